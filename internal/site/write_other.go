//go:build !unix

package site

import "os"

// createFile writes data to a new file at p (truncating one that exists).
func createFile(p string, data []byte) error { return os.WriteFile(p, data, 0o644) }
