//go:build darwin || freebsd || netbsd

package repo

import (
	"os"
	"syscall"
)

// birthOfFile is when the file open as f (created at path) was born, in
// nanoseconds since 1970, from the birth time these systems' stat gives.
// ok is false when the file system keeps none (FreeBSD then reports -1,
// others 0). See removeOrphans for why it is needed.
func birthOfFile(f statter, path string) (ns int64, ok bool) {
	fi, err := f.Stat()
	if err != nil {
		return 0, false
	}
	return birthOf(fi)
}

// birthOfPath is birthOfFile for the file at path itself (a symbolic link
// is not followed).
func birthOfPath(path string) (ns int64, ok bool) {
	fi, err := os.Lstat(path)
	if err != nil {
		return 0, false
	}
	return birthOf(fi)
}

func birthOf(fi os.FileInfo) (int64, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || st.Birthtimespec.Sec <= 0 {
		return 0, false
	}
	return syscall.TimespecToNsec(st.Birthtimespec), true
}
