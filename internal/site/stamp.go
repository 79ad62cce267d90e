package site

import "os"

// stampFile is the stamp of the file at p, following symbolic links (an
// image may be one); the zero stamp when there is none. Where the system
// has no inode numbers, size and modification time say whether it is the
// file that was written.
func stampFile(p string) stamp {
	fi, err := os.Stat(p)
	if err != nil {
		return stamp{}
	}
	return stamp{Size: fi.Size(), Mtime: fi.ModTime().UnixNano(), Ino: inode(fi), OK: true}
}
