//go:build !linux

package repo

import "os"

// readNames is the names in folder (readdir_linux.go reads them with
// fewer system calls).
func readNames(folder string) ([]string, error) {
	d, err := os.Open(folder)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.Readdirnames(-1)
}
