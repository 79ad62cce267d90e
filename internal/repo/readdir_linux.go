//go:build linux

package repo

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// readNames is the names in folder, as os.File.Readdirnames(-1) gives
// them, read with one large getdents buffer: Go's 8 KB buffer took 50
// system calls for a folder of 10,000 incidents, each paying this
// machine's system-call cost. The names share the bytes the kernel wrote,
// which are never written again, rather than being copied one by one:
// with 10,000 files the copies were a sixth of listing the folder.
func readNames(folder string) ([]string, error) {
	fd, err := unix.Open(folder, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: folder, Err: err}
	}
	defer unix.Close(fd)
	var names []string
	for {
		buf := make([]byte, 256<<10)
		n, err := unix.Getdents(fd, buf)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "readdirent", Path: folder, Err: err}
		}
		if n <= 0 {
			return names, nil
		}
		names = appendDirents(names, buf[:n])
	}
}

// appendDirents appends the names of the linux_dirent64 records in b
// (skipping ".", ".." and deleted entries, as unix.ParseDirent does),
// each a string over b's bytes.
func appendDirents(names []string, b []byte) []string {
	const nameOff = int(unsafe.Offsetof(unix.Dirent{}.Name))
	for len(b) >= nameOff {
		d := (*unix.Dirent)(unsafe.Pointer(&b[0]))
		rec := int(d.Reclen)
		if rec < nameOff || rec > len(b) {
			break
		}
		name := b[nameOff:rec]
		for i, c := range name {
			if c == 0 {
				name = name[:i]
				break
			}
		}
		if d.Ino != 0 && len(name) > 0 && string(name) != "." && string(name) != ".." {
			names = append(names, unsafe.String(&name[0], len(name)))
		}
		b = b[rec:]
	}
	return names
}
