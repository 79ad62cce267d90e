//go:build unix

package site

import "golang.org/x/sys/unix"

// stampFile is the stamp of the file at p, following symbolic links (an
// image may be one); the zero stamp when there is none.
func stampFile(p string) stamp {
	var st unix.Stat_t
	if unix.Stat(p, &st) != nil {
		return stamp{}
	}
	return stampOf(&st)
}

// stampPage is the stamp of the page at p, which must be a regular file
// of its own: a symbolic link there is not a page pm wrote, and linking
// it into the new site would link the link.
func stampPage(p string) stamp {
	var st unix.Stat_t
	if unix.Lstat(p, &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
		return stamp{}
	}
	return stampOf(&st)
}

func stampOf(st *unix.Stat_t) stamp {
	return stamp{Size: st.Size, Mtime: st.Mtim.Nano(), Ctime: st.Ctim.Nano(), Ino: uint64(st.Ino), OK: true}
}
