//go:build !unix

package site

import "os"

// stampFile is the stamp of the file at p, following symbolic links; the
// zero stamp when there is none. Without inode numbers and change times,
// size and modification time say whether it is the file that was written.
func stampFile(p string) stamp {
	fi, err := os.Stat(p)
	if err != nil {
		return stamp{}
	}
	return stamp{Size: fi.Size(), Mtime: fi.ModTime().UnixNano(), OK: true}
}

// stampPage is the stamp of the page at p, which must be a regular file.
func stampPage(p string) stamp {
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return stamp{}
	}
	return stamp{Size: fi.Size(), Mtime: fi.ModTime().UnixNano(), OK: true}
}
