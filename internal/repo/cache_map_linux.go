//go:build linux

package repo

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// readWhole is the cache file's bytes, mapped rather than read: a read
// into a fresh 7 MB buffer (10,000 incidents) faulted in and zeroed every
// page first, a sixth of a warm pm new. MAP_POPULATE maps the pages the
// kernel already caches in one call. The mapping is never unmapped: the
// decoded Docs' strings point into it for the rest of the command, as they
// pointed into the buffer. pm replaces the cache by renaming a new file
// over it, so the mapped file never changes under a reader (git maps its
// index the same way). Where mapping fails, the file is read.
func readWhole(f *os.File, size int64) ([]byte, error) {
	if size > 0 {
		if b, err := unix.Mmap(int(f.Fd()), 0, int(size), unix.PROT_READ, unix.MAP_PRIVATE|unix.MAP_POPULATE); err == nil {
			return b, nil
		}
	}
	buf := make([]byte, size)
	_, err := io.ReadFull(f, buf)
	return buf, err
}
