//go:build !linux && !darwin && !freebsd && !netbsd

package repo

// birthOfFile would be when the file was born. This system's stat gives no
// birth time that pm reads, so no file can be told apart from a later one
// that reuses its inode number, and pm never removes a dead holder's files
// here (see removeOrphans): git's own message stays.
func birthOfFile(f statter, path string) (ns int64, ok bool) { return 0, false }

// birthOfPath is birthOfFile for the file at path.
func birthOfPath(path string) (ns int64, ok bool) { return 0, false }
