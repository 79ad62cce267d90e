package repo

import (
	"bytes"
	"crypto/sha1"
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

	"github.com/pm-tool/pm/internal/cachefile"
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
	mode, name, end, ok := t.at(off)
	if !ok {
		return rawEntry{}, errors.New("malformed tree object")
	}
	m, err := strconv.ParseUint(string(mode), 8, 32)
	if err != nil {
		return rawEntry{}, errors.New("malformed tree object")
	}
	e := rawEntry{mode: filemode.FileMode(m), name: string(name), start: off, end: end}
	copy(e.hash[:], t[end-20:end])
	return e, nil
}

// at splits the entry at off into its mode's and name's bytes, without the
// copies next makes: with 100,000 incidents a search passes 50,000 entries.
func (t rawTree) at(off int) (mode, name []byte, end int, ok bool) {
	rest := t[off:]
	sp := bytes.IndexByte(rest, ' ')
	if sp <= 0 {
		return nil, nil, 0, false
	}
	nul := bytes.IndexByte(rest[sp:], 0)
	if nul < 0 || off+sp+nul+1+20 > len(t) {
		return nil, nil, 0, false
	}
	nul += sp
	return rest[:sp], rest[sp+1 : nul], off + nul + 1 + 20, true
}

// dirMode is how a folder's mode is written in a tree.
const dirMode = "40000"

// find is the entry called name, and, when there is none, the offset where
// an entry of that name and mode would go. A folder and a file of one name
// sort apart (postmortems/ comes after postmortems.md, the file
// postmortems before it), so the search goes on to the place of the later
// of the two, and stops there: half the tree on average.
func (t rawTree) find(name string, mode filemode.FileMode) (e rawEntry, ok bool, at int, err error) {
	key := sortName(name, mode)
	at = -1
	for off := 0; off < len(t); {
		m, n, end, good := t.at(off)
		if !good {
			return rawEntry{}, false, 0, errors.New("malformed tree object")
		}
		if string(n) == name {
			x, err := t.next(off)
			return x, err == nil, off, err
		}
		c := compareSortName(n, string(m) == dirMode, key)
		if at < 0 && c > 0 {
			at = off
		}
		if c > 0 && compareSortName(n, string(m) == dirMode, name+"/") > 0 {
			return rawEntry{}, false, at, nil // past both places the name could be
		}
		off = end
	}
	if at < 0 {
		at = len(t)
	}
	return rawEntry{}, false, at, nil
}

// compareSortName compares the sort name of the entry called name (a
// folder when dir) with key, as strings.Compare would, without building it.
func compareSortName(name []byte, dir bool, key string) int {
	n := min(len(name), len(key))
	if c := bytes.Compare(name[:n], []byte(key[:n])); c != 0 {
		return c
	}
	switch {
	case len(name) > len(key):
		return 1
	case len(name) == len(key):
		if dir {
			return 1 // name + "/" is longer than key
		}
		return 0
	case !dir:
		return -1
	}
	// name is a proper prefix of key: compare the "/" a folder sorts with.
	if c := bytes.Compare([]byte{'/'}, []byte(key[len(name):len(name)+1])); c != 0 || len(key) == len(name)+1 {
		return c
	}
	return -1
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
	e, ok, _, err := t.find(name, filemode.Regular)
	if err != nil || !ok {
		return object.TreeEntry{}, false
	}
	return object.TreeEntry{Name: e.name, Mode: e.mode, Hash: e.hash}, true
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
	if t, ok := readTreeCache(objects, h); ok {
		return t, nil
	}
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

// The tree cache holds the content of the last large tree pm wrote (the
// incident folder's, changed by every commit): inflating it again took a
// fifth of a commit with 100,000 incidents. It is one file, the tree's id
// and then its content, replaced by a rename, and it is used only when the
// content hashes to the id asked for, so a stale or damaged one is never
// believed. It is keyed by content, so linked worktrees share it beside
// the objects.
func treeCacheFile(objects string) string {
	return filepath.Join(filepath.Dir(objects), "pm", "tree-cache")
}

// readTreeCache is tree h from the tree cache, ok when it holds h.
func readTreeCache(objects string, h plumbing.Hash) (rawTree, bool) {
	f, err := os.Open(treeCacheFile(objects))
	if err != nil {
		return nil, false
	}
	defer f.Close()
	var id plumbing.Hash
	if _, err := io.ReadFull(f, id[:]); err != nil || id != h {
		return nil, false // most trees read are not the cached one: only its id is read
	}
	fi, err := f.Stat()
	if err != nil || fi.Size() < int64(len(h)) || fi.Size() > 1<<31 {
		return nil, false
	}
	t := make([]byte, fi.Size()-int64(len(h)))
	if _, err := io.ReadFull(f, t); err != nil {
		return nil, false
	}
	// crypto/sha1 rather than go-git's collision-detecting hash: this
	// checks pm's own copy, at a third of the cost.
	d := sha1.New()
	fmt.Fprintf(d, "tree %d\x00", len(t))
	d.Write(t)
	if !bytes.Equal(d.Sum(nil), h[:]) {
		return nil, false
	}
	return t, true
}

// writeTreeCache keeps tree h's content t in the tree cache; failures are
// ignored.
func writeTreeCache(objects string, h plumbing.Hash, t []byte) {
	cachefile.ReplaceFile(treeCacheFile(objects), func(f *os.File) error {
		if _, err := f.Write(h[:]); err != nil {
			return err
		}
		_, err := f.Write(t)
		return err
	})
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
