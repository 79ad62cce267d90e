package repo

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/klauspost/compress/zlib"
)

// looseWriter writes loose objects as git does: zlib at git's loose
// compression (core.looseCompression, else core.compression, else 1, best
// speed), into a temporary file beside the object that is then renamed
// into place, read-only (0444 under the umask, then core.sharedRepository's
// modes, as git's write_loose_object). go-git compresses at zlib's default level 6,
// which for the tree of a folder of 10,000 incidents (750 KB) was a
// quarter of a pm observe; git's level 1 writes the same object id.
type looseWriter struct {
	dir    string // the objects folder
	level  int
	shared int // core.sharedRepository (sharedPerm)
}

func (r *Repo) looseWriter(cfg *configSet) looseWriter {
	level := 1
	for _, key := range []string{"compression", "loosecompression"} {
		if v, ok := cfg.get("core", "", key); ok {
			if n, err := strconv.Atoi(v); err == nil && n >= -1 && n <= 9 {
				level = n
			}
		}
	}
	if level == -1 {
		level = zlib.DefaultCompression
	}
	return looseWriter{dir: filepath.Join(r.CommonDir, "objects"), level: level, shared: sharedPerm(cfg)}
}

// write stores an object of type t and returns its id. An object already
// there is left as it is (its content is the same, by its id).
//
// A large object (the tree of a folder of 100,000 incidents is 4.5 MB) is
// compressed while its id is computed, into a temporary file in the
// objects folder, since the fan-out folder depends on the id: the two
// took a third of such a commit one after the other.
func (lw looseWriter) write(t plumbing.ObjectType, content []byte) (plumbing.Hash, error) {
	var h plumbing.Hash
	var tmp string
	var err error
	if len(content) < parallelObject {
		h = plumbing.ComputeHash(t, content)
		if lw.has(h) { // not compressed again
			return h, nil
		}
		if err := lw.mkdir(filepath.Dir(lw.path(h))); err != nil {
			return h, err
		}
		tmp, err = lw.compress(filepath.Dir(lw.path(h)), t, content) // beside it, as git does
	} else {
		hashed := make(chan plumbing.Hash, 1)
		go func() {
			h := plumbing.ComputeHash(t, content)
			if t == plumbing.TreeObject {
				writeTreeCache(lw.dir, h, content) // the next commit starts from it
			}
			hashed <- h
		}()
		tmp, err = lw.compress(lw.dir, t, content)
		h = <-hashed
		if err == nil && lw.has(h) {
			os.Remove(tmp)
			return h, nil
		}
		if err == nil {
			err = lw.mkdir(filepath.Dir(lw.path(h)))
		}
	}
	if err != nil {
		os.Remove(tmp)
		return h, err
	}
	defer os.Remove(tmp)
	path := lw.path(h)
	if err := os.Rename(tmp, path); err != nil && !errors.Is(err, fs.ErrExist) {
		return h, err
	}
	if err := adjustShared(lw.shared, path); err != nil {
		return h, fmt.Errorf("unable to set permission to %s: %w", path, err)
	}
	return h, nil
}

// has says whether the loose object h is there already.
func (lw looseWriter) has(h plumbing.Hash) bool {
	_, err := os.Lstat(lw.path(h))
	return err == nil
}

// parallelObject is the size from which write hashes and compresses at
// once; below it a goroutine costs more than it saves.
const parallelObject = 256 << 10

// path is where the loose object h lives.
func (lw looseWriter) path(h plumbing.Hash) string {
	hex := h.String()
	return filepath.Join(lw.dir, hex[:2], hex[2:])
}

// compress writes the object's loose form to a new temporary file in dir
// and returns the file's path.
func (lw looseWriter) compress(dir string, t plumbing.ObjectType, content []byte) (string, error) {
	tmp, err := createTemp(dir, "tmp_obj_", 0o444)
	if err != nil {
		return "", err
	}
	// Buffered: the compressor writes in small pieces, each a system call.
	bw := bufio.NewWriterSize(tmp, 64<<10)
	zw, err := zlib.NewWriterLevel(bw, lw.level)
	if err == nil {
		fmt.Fprintf(zw, "%s %d\x00", t, len(content))
		_, err = zw.Write(content)
		err = errors.Join(err, zw.Close(), bw.Flush())
	}
	if err = errors.Join(err, tmp.Close()); err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return tmp.Name(), nil
}

// mkdir makes an object fan-out folder as git does: mode 0777 under the
// umask, then core.sharedRepository's modes.
func (lw looseWriter) mkdir(dir string) error {
	err := os.Mkdir(dir, 0o777)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		err = os.MkdirAll(dir, 0o777) // no objects folder at all: git would make it too
	}
	if err != nil {
		return err
	}
	return adjustShared(lw.shared, dir)
}

// createTemp is os.CreateTemp with the mode git's git_mkstemp_mode gives
// (the umask applies), where os.CreateTemp always makes 0600.
func createTemp(dir, prefix string, mode os.FileMode) (*os.File, error) {
	for range 100 {
		var rnd [6]byte
		if _, err := rand.Read(rnd[:]); err != nil {
			return nil, err
		}
		f, err := os.OpenFile(filepath.Join(dir, prefix+hex.EncodeToString(rnd[:])), os.O_RDWR|os.O_CREATE|os.O_EXCL, mode)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, fmt.Errorf("cannot make a temporary file in %s", dir)
}

// tree encodes a tree of entries (sorted as git sorts them) and writes it.
func (lw looseWriter) tree(entries []object.TreeEntry) (plumbing.Hash, error) {
	o := &plumbing.MemoryObject{}
	if err := (&object.Tree{Entries: entries}).Encode(o); err != nil {
		return plumbing.ZeroHash, err
	}
	return lw.encoded(plumbing.TreeObject, o)
}

// commit encodes c as go-git does and writes it.
func (lw looseWriter) commit(c *object.Commit) (plumbing.Hash, error) {
	o := &plumbing.MemoryObject{}
	if err := c.Encode(o); err != nil {
		return plumbing.ZeroHash, err
	}
	return lw.encoded(plumbing.CommitObject, o)
}

// encoded writes an object go-git has encoded.
func (lw looseWriter) encoded(t plumbing.ObjectType, o *plumbing.MemoryObject) (plumbing.Hash, error) {
	rd, err := o.Reader()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	content, err := io.ReadAll(rd)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	return lw.write(t, content)
}
