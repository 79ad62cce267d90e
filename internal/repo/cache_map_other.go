//go:build !linux

package repo

import (
	"io"
	"os"
)

// readWhole is the cache file's bytes (cache_map_linux.go maps them).
func readWhole(f *os.File, size int64) ([]byte, error) {
	buf := make([]byte, size)
	_, err := io.ReadFull(f, buf)
	return buf, err
}
