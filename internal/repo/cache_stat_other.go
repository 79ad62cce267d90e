//go:build !linux

package repo

import "os"

// folderStatter stats by path on other systems (see the Linux version).
type folderStatter struct{}

func newFolderStatter(string) folderStatter { return folderStatter{} }
func (folderStatter) close()                {}

func (folderStatter) lstat(abs, name string) (statInfo, bool) {
	fi, err := os.Lstat(abs)
	if err != nil {
		return statInfo{}, false
	}
	return statOf(fi), fi.Mode().IsRegular()
}
