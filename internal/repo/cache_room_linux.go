//go:build linux

package repo

import (
	"path/filepath"
	"syscall"
)

// roomForCache tells whether the file system holding dir has room for a
// cache of size bytes with plenty to spare. A nearly full disk must keep
// its last pages for the entry the user is writing, which the cache is
// written before.
func roomForCache(dir string, size int) bool {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		// dir (gitDir/pm) is made on the first write: ask of the git dir.
		if err := syscall.Statfs(filepath.Dir(dir), &st); err != nil {
			return true // the write will fail or not; either is fine
		}
	}
	free := st.Bavail * uint64(st.Bsize)
	return free >= 4*uint64(size)+cacheSpare
}
