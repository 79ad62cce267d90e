//go:build linux

package repo

import (
	"encoding/binary"
	"reflect"
	"testing"
)

// TestAppendDirents: records built as the kernel writes them (ino, off,
// reclen, type, the name and NUL padding to 8 bytes) give their names,
// without ".", ".." and deleted (ino 0) entries, and a short last record
// that ends the buffer is read (go test -race checks that no read goes
// past the buffer, which reading it as a whole unix.Dirent did).
func TestAppendDirents(t *testing.T) {
	var b []byte
	add := func(ino uint64, name string) {
		rec := (19 + len(name) + 1 + 7) &^ 7
		r := make([]byte, rec)
		binary.NativeEndian.PutUint64(r[0:], ino)
		binary.NativeEndian.PutUint64(r[8:], 1)
		binary.NativeEndian.PutUint16(r[16:], uint16(rec))
		r[18] = 8 // DT_REG
		copy(r[19:], name)
		b = append(b, r...)
	}
	add(1, ".")
	add(2, "..")
	add(3, "a.md")
	add(0, "deleted.md")
	add(4, "é-漢字.md")
	add(5, "x")
	exact := make([]byte, len(b)) // the last record ends the allocation
	copy(exact, b)
	got := appendDirents(nil, exact)
	if want := []string{"a.md", "é-漢字.md", "x"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("names %q, want %q", got, want)
	}
	if got := appendDirents(nil, exact[:10]); len(got) != 0 {
		t.Fatalf("a torn record gave %q", got)
	}
}
