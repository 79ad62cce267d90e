package repo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/klauspost/compress/zlib"
)

// rawTree is a tree object's content as git stores it: entries of
// "MODE NAME\0" and a 20-byte id, in git's order. pm changes one entry of
// the incident folder's tree per commit; with 10,000 incidents that tree
// is 750 KB, and decoding it into entries and encoding them again was a
// fifth of a pm observe. A rawTree is searched and spliced as bytes.
type rawTree []byte

// rawEntry is one entry of a rawTree and where it lies in it.
type rawEntry struct {
	mode       filemode.FileMode
	name       string
	hash       plumbing.Hash
	start, end int // the entry's bytes: raw[start:end]
}

// next decodes the entry at off.
func (t rawTree) next(off int) (rawEntry, error) {
	sp := bytes.IndexByte(t[off:], ' ')
	nul := bytes.IndexByte(t[off:], 0)
	if sp <= 0 || nul <= sp || off+nul+1+20 > len(t) {
		return rawEntry{}, errors.New("malformed tree object")
	}
	m, err := strconv.ParseUint(string(t[off:off+sp]), 8, 32)
	if err != nil {
		return rawEntry{}, errors.New("malformed tree object")
	}
	e := rawEntry{mode: filemode.FileMode(m), name: string(t[off+sp+1 : off+nul]), start: off, end: off + nul + 1 + 20}
	copy(e.hash[:], t[off+nul+1:e.end])
	return e, nil
}

// find is the entry called name, and, when there is none, the offset where
// an entry of that name and mode would go. The whole tree is scanned: a
// folder and a file of one name sort apart (postmortems/ comes after
// postmortems.md, the file postmortems before it).
func (t rawTree) find(name string, mode filemode.FileMode) (e rawEntry, ok bool, at int, err error) {
	key := sortName(name, mode)
	at = -1
	for off := 0; off < len(t); {
		x, err := t.next(off)
		if err != nil {
			return rawEntry{}, false, 0, err
		}
		if x.name == name {
			return x, true, off, nil
		}
		if at < 0 && sortName(x.name, x.mode) > key {
			at = off
		}
		off = x.end
	}
	if at < 0 {
		at = len(t)
	}
	return rawEntry{}, false, at, nil
}

// upsert returns a new tree with name set to (mode, hash), replacing the
// entry of that name or inserted in git's order.
func (t rawTree) upsert(name string, mode filemode.FileMode, hash plumbing.Hash) (rawTree, error) {
	e, ok, at, err := t.find(name, mode)
	if err != nil {
		return nil, err
	}
	end := at
	if ok {
		at, end = e.start, e.end
		if e.mode != mode && sortName(name, e.mode) != sortName(name, mode) {
			// A folder becomes a file or the other way round: its place
			// in git's order changes.
			rest := append(append(rawTree{}, t[:at]...), t[end:]...)
			return rest.upsert(name, mode, hash)
		}
	}
	entry := strconv.FormatUint(uint64(mode), 8) + " " + name + "\x00"
	out := make(rawTree, 0, len(t)+len(entry)+20)
	out = append(out, t[:at]...)
	out = append(out, entry...)
	out = append(out, hash[:]...)
	return append(out, t[end:]...), nil
}

// entry returns the tree's entry called name.
func (t rawTree) entry(name string) (object.TreeEntry, bool) {
	for off := 0; off < len(t); {
		e, err := t.next(off)
		if err != nil {
			return object.TreeEntry{}, false
		}
		if e.name == name {
			return object.TreeEntry{Name: e.name, Mode: e.mode, Hash: e.hash}, true
		}
		off = e.end
	}
	return object.TreeEntry{}, false
}

// sortName is the name git sorts a tree entry by: a folder's as if it
// ended with "/".
func sortName(name string, mode filemode.FileMode) string {
	if mode == filemode.Dir {
		return name + "/"
	}
	return name
}

// readTree reads tree h: straight from its loose object when it is one
// (the common case, the tree pm's own last commit wrote), else through
// go-git, which also reads packs.
func readTree(store *filesystem.Storage, objects string, h plumbing.Hash) (rawTree, error) {
	hex := h.String()
	f, err := os.Open(filepath.Join(objects, hex[:2], hex[2:]))
	if err == nil {
		defer f.Close()
		t, err := readLoose(f, plumbing.TreeObject)
		if err != nil {
			return nil, fmt.Errorf("read tree %s: %w", h, err)
		}
		return t, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	o, err := store.EncodedObject(plumbing.TreeObject, h)
	if err != nil {
		return nil, err
	}
	rd, err := o.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	return io.ReadAll(rd)
}

// readLoose inflates a loose object of type t: its "TYPE SIZE\0" header,
// then exactly SIZE bytes.
func readLoose(f io.Reader, t plumbing.ObjectType) ([]byte, error) {
	zr, err := zlib.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	var head [64]byte
	n, nul := 0, -1
	for nul < 0 && n < len(head) {
		if _, err := io.ReadFull(zr, head[n:n+1]); err != nil {
			return nil, err
		}
		if head[n] == 0 {
			nul = n
		}
		n++
	}
	typ, size, ok := bytes.Cut(head[:max(nul, 0)], []byte(" "))
	if nul < 0 || !ok || string(typ) != t.String() {
		return nil, fmt.Errorf("not a %s object", t)
	}
	sz, err := strconv.Atoi(string(size))
	if err != nil || sz < 0 || sz > 1<<31 {
		return nil, errors.New("malformed object header")
	}
	out := make([]byte, sz)
	if _, err := io.ReadFull(zr, out); err != nil {
		return nil, err
	}
	return out, nil
}
