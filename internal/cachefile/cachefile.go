// Package cachefile is the layout of pm's cache files: the metadata
// cache and the listing of an incident folder, the tree cache and the
// site's memo. Each is replaced whole, through a temporary file renamed
// over it (ReplaceFile), so a reader sees one whole file or another; most
// start with a magic line naming their version, then the folder they
// describe, and end in a CRC-32C of what comes before (WriteChecked,
// Checked). In between are varints and length-prefixed strings and lists
// (Writer, Reader). A cache is never a source of truth: a file that does
// not check out is as good as none, and a failed write leaves the old one.
package cachefile

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"
	"unsafe"
)

// castagnoli is the CRC-32C table the checksums use (hardware-assisted on
// amd64 and arm64).
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Sum is the CRC-32C of b, as a checked file ends in it.
func Sum(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// WriteChecked replaces the file at path with what write writes followed
// by its CRC-32C (see ReplaceFile).
func WriteChecked(path string, write func(*bufio.Writer)) {
	ReplaceFile(path, checked(write))
}

// Checked is what follows the magic and the folder in a file written
// by WriteChecked (buf), ok when its CRC-32C, magic and folder are right.
func Checked(buf []byte, magic, folder string) (r Reader, ok bool) {
	if len(buf) < 4 {
		return Reader{}, false
	}
	body, sum := buf[:len(buf)-4], binary.LittleEndian.Uint32(buf[len(buf)-4:])
	if crc32.Checksum(body, castagnoli) != sum || !bytes.HasPrefix(body, []byte(magic)) {
		return Reader{}, false
	}
	r = Reader{B: body[len(magic):]}
	return r, r.Str() == folder && !r.Bad
}

// checked is a file's content as write writes it, followed by its CRC-32C.
func checked(write func(*bufio.Writer)) func(*os.File) error {
	return func(f *os.File) error {
		sum := crc32.New(castagnoli)
		bw := bufio.NewWriterSize(io.MultiWriter(f, sum), 64<<10)
		write(bw)
		if err := bw.Flush(); err != nil {
			return err
		}
		_, err := f.Write(binary.LittleEndian.AppendUint32(nil, sum.Sum32()))
		return err
	}
}

// ReplaceFile replaces the file at path with what write writes, through a
// temporary file beside it renamed over it, so that a Reader sees one
// whole file or another. Failures are ignored: pm's caches only save time.
func ReplaceFile(path string, write func(*os.File) error) {
	tmp, err := NewTemp(path)
	if err != nil {
		return
	}
	FinishTemp(tmp, path, write)
}

// NewTemp makes a temporary file beside path (and path's folder if need
// be).
func NewTemp(path string) (*os.File, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return os.CreateTemp(dir, filepath.Base(path)+".tmp*")
}

// FinishTemp writes tmp with write and renames it to path, or removes it.
func FinishTemp(tmp *os.File, path string, write func(*os.File) error) {
	err := write(tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
}

// UnsafeString is b as a string sharing its bytes (see Reader.Str).
func UnsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// Writer appends the cache's encoding: varints, and strings and lists
// prefixed by their length.
type Writer struct{ B []byte }

func (w *Writer) Uvarint(v uint64) { w.B = binary.AppendUvarint(w.B, v) }
func (w *Writer) Varint(v int64)   { w.B = binary.AppendVarint(w.B, v) }
func (w *Writer) Str(s string)     { w.Uvarint(uint64(len(s))); w.B = append(w.B, s...) }
func (w *Writer) Bytes(p []byte)   { w.Uvarint(uint64(len(p))); w.B = append(w.B, p...) }

func (w *Writer) Bool(v bool) {
	if v {
		w.B = append(w.B, 1)
	} else {
		w.B = append(w.B, 0)
	}
}

// count writes a list's length, 0 for a nil list and n+1 otherwise, so
// that nil and empty lists come back as they were.
func (w *Writer) Count(n int, isNil bool) {
	if isNil {
		w.Uvarint(0)
	} else {
		w.Uvarint(uint64(n) + 1)
	}
}

func (w *Writer) Strs(l []string) {
	w.Count(len(l), l == nil)
	for _, s := range l {
		w.Str(s)
	}
}

// time writes the zero time as 0, others as 1 and Unix seconds and
// nanoseconds; they are read back in UTC, as Parse gives them.
func (w *Writer) Time(t time.Time) {
	if t.IsZero() {
		w.B = append(w.B, 0)
		return
	}
	w.B = append(w.B, 1)
	w.Varint(t.Unix())
	w.Varint(int64(t.Nanosecond()))
}

// Reader reads what Writer wrote; bad is set, and zero values returned,
// once anything does not fit.
type Reader struct {
	B   []byte // what is left to read
	Bad bool
}

func (r *Reader) Uvarint() uint64 {
	v, n := binary.Uvarint(r.B)
	if n <= 0 {
		r.Bad, r.B = true, nil
		return 0
	}
	r.B = r.B[n:]
	return v
}

func (r *Reader) Varint() int64 {
	v, n := binary.Varint(r.B)
	if n <= 0 {
		r.Bad, r.B = true, nil
		return 0
	}
	r.B = r.B[n:]
	return v
}

func (r *Reader) Bytes() []byte {
	n := r.Uvarint()
	if n > uint64(len(r.B)) {
		r.Bad, r.B = true, nil
		return nil
	}
	p := r.B[:n:n]
	r.B = r.B[n:]
	return p
}

// str returns the string without copying it: it shares the cache file's
// buffer, which is read once and never written to, so every string of
// 10,000 summaries costs no allocation (a third of a warm pm list's time
// went to them). The buffer lives as long as any summary does.
func (r *Reader) Str() string {
	return UnsafeString(r.Bytes())
}

func (r *Reader) Bool() bool {
	if len(r.B) == 0 || r.B[0] > 1 {
		r.Bad, r.B = true, nil
		return false
	}
	v := r.B[0] == 1
	r.B = r.B[1:]
	return v
}

func (r *Reader) Count() (n int, isNil bool) {
	v := r.Uvarint()
	if v == 0 {
		return 0, true
	}
	if v-1 > uint64(len(r.B)) { // each element takes a byte at least
		r.Bad, r.B = true, nil
		return 0, true
	}
	return int(v - 1), false
}

func (r *Reader) Strs() []string {
	n, isNil := r.Count()
	if isNil {
		return nil
	}
	l := make([]string, n)
	for i := range l {
		l[i] = r.Str()
	}
	return l
}

func (r *Reader) Time() time.Time {
	if len(r.B) == 0 {
		r.Bad = true
		return time.Time{}
	}
	set := r.B[0]
	r.B = r.B[1:]
	if set == 0 {
		return time.Time{}
	}
	s, ns := r.Varint(), r.Varint()
	if ns < 0 || ns >= 1e9 || s > math.MaxInt64/2 {
		r.Bad = true
		return time.Time{}
	}
	return time.Unix(s, ns).UTC()
}
