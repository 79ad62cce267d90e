//go:build linux

package repo

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// birthOfFile is when the file open as f (created at path) was born, in
// nanoseconds since 1970, asked of the kernel with statx on the open file;
// where f gives no descriptor, on path. ok is false when the kernel or the
// file system does not say: no statx (Linux before 4.11, some sandboxes),
// or a file system that keeps no birth time (ext4 with 128-byte inodes,
// NFS, FAT). See removeOrphans for why it is needed.
func birthOfFile(f statter, path string) (ns int64, ok bool) {
	if c, isConn := f.(syscall.Conn); isConn {
		if rc, err := c.SyscallConn(); err == nil {
			var asked bool
			err := rc.Control(func(fd uintptr) {
				ns, ok = statxBirth(int(fd), "", unix.AT_EMPTY_PATH)
				asked = true
			})
			if err == nil && asked {
				return ns, ok
			}
		}
	}
	return birthOfPath(path)
}

// birthOfPath is birthOfFile for the file at path itself (a symbolic link
// is not followed).
func birthOfPath(path string) (ns int64, ok bool) {
	return statxBirth(unix.AT_FDCWD, path, unix.AT_SYMLINK_NOFOLLOW)
}

func statxBirth(dirfd int, path string, flags int) (int64, bool) {
	var st unix.Statx_t
	if err := unix.Statx(dirfd, path, flags|unix.AT_STATX_SYNC_AS_STAT, unix.STATX_BTIME, &st); err != nil {
		return 0, false
	}
	if st.Mask&unix.STATX_BTIME == 0 || st.Btime.Sec <= 0 {
		return 0, false
	}
	return st.Btime.Sec*1e9 + int64(st.Btime.Nsec), true
}
