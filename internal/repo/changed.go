package repo

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// ChangedSince returns those of paths (slash-separated, relative to the
// root) whose content in the work tree differs from their blob in the tree
// of the commit ref names, or that ref's tree does not have: the files a
// pull request adds or changes. Files missing from the work tree are left
// out. The order of paths is kept.
//
// It compares blob ids, as git does, reading only the trees along each
// path (never the whole tree, never the index), so it stays fast in a large
// repository. Contents are hashed as they are on disk: clean filters and
// end-of-line conversion are not applied, as pm's commits do not apply them.
//
// ref may be a branch, tag or remote-tracking branch (main, v1.2,
// origin/main), a full ref name, HEAD, a full or abbreviated commit id (at
// least 4 digits), each optionally followed by ~N, ^ or ^N.
func (r *Repo) ChangedSince(ref string, paths []string) ([]string, error) {
	commit, err := r.resolveRevision(ref)
	if err != nil {
		return nil, err
	}
	store := r.storage()
	trees := map[plumbing.Hash][]object.TreeEntry{}
	readTree := func(h plumbing.Hash) ([]object.TreeEntry, error) {
		if t, ok := trees[h]; ok {
			return t, nil
		}
		t, err := object.GetTree(store, h)
		if err != nil {
			return nil, fmt.Errorf("%s: read tree %s: %w (check the repository with git fsck)", ref, h, err)
		}
		trees[h] = t.Entries
		return t.Entries, nil
	}
	var out []string
	for _, p := range paths {
		if err := checkPath(p); err != nil {
			return nil, err
		}
		content, err := os.ReadFile(filepath.Join(r.Root, filepath.FromSlash(p)))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		blob := plumbing.ComputeHash(plumbing.BlobObject, content)
		old, found, err := lookupPath(readTree, commit.TreeHash, p)
		if err != nil {
			return nil, err
		}
		if !found || old != blob {
			out = append(out, p)
		}
	}
	return out, nil
}

// lookupPath finds the blob at path p under the tree root, reading only the
// trees along the way.
func lookupPath(readTree func(plumbing.Hash) ([]object.TreeEntry, error), root plumbing.Hash, p string) (plumbing.Hash, bool, error) {
	comps := strings.Split(p, "/")
	h := root
	for i, name := range comps {
		entries, err := readTree(h)
		if err != nil {
			return plumbing.ZeroHash, false, err
		}
		e, ok := findEntry(entries, name)
		if !ok {
			return plumbing.ZeroHash, false, nil
		}
		last := i == len(comps)-1
		if last != (e.Mode != filemode.Dir) {
			return plumbing.ZeroHash, false, nil // a folder where a file is, or the other way round
		}
		h = e.Hash
	}
	return h, true, nil
}

// resolveRevision turns a revision as a user types it into a commit.
func (r *Repo) resolveRevision(rev string) (*object.Commit, error) {
	base, ops, err := splitRevision(rev)
	if err != nil {
		return nil, err
	}
	h, err := r.resolveBase(base, rev)
	if err != nil {
		return nil, err
	}
	store := r.storage()
	c, err := peelToCommit(store, h, rev)
	if err != nil {
		return nil, err
	}
	for _, op := range ops {
		n := op.n
		if op.tilde {
			for range n {
				if len(c.ParentHashes) == 0 {
					return nil, fmt.Errorf("revision %q: %s has no parent", rev, c.Hash.String()[:7])
				}
				if c, err = object.GetCommit(store, c.ParentHashes[0]); err != nil {
					return nil, fmt.Errorf("revision %q: %w", rev, err)
				}
			}
			continue
		}
		if n == 0 {
			continue // ^0 is the commit itself
		}
		if n > len(c.ParentHashes) {
			return nil, fmt.Errorf("revision %q: %s has no parent %d", rev, c.Hash.String()[:7], n)
		}
		if c, err = object.GetCommit(store, c.ParentHashes[n-1]); err != nil {
			return nil, fmt.Errorf("revision %q: %w", rev, err)
		}
	}
	return c, nil
}

type revOp struct {
	tilde bool // ~N (first parents) rather than ^N (the Nth parent)
	n     int
}

// splitRevision splits "main~2^2" into "main" and its suffixes.
func splitRevision(rev string) (string, []revOp, error) {
	i := strings.IndexAny(rev, "~^")
	if i < 0 {
		i = len(rev)
	}
	base, rest := rev[:i], rev[i:]
	if base == "" || base == "@" {
		base = "HEAD"
	}
	var ops []revOp
	for rest != "" {
		op := revOp{tilde: rest[0] == '~', n: 1}
		rest = rest[1:]
		j := 0
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		if j > 0 {
			n, err := strconv.Atoi(rest[:j])
			if err != nil || n > 1<<20 {
				return "", nil, fmt.Errorf("revision %q: bad number %q", rev, rest[:j])
			}
			op.n = n
		}
		rest = rest[j:]
		if rest != "" && rest[0] != '~' && rest[0] != '^' {
			return "", nil, fmt.Errorf("revision %q is not one pm understands: use a branch, tag or commit id, optionally with ~N or ^N", rev)
		}
		ops = append(ops, op)
	}
	return base, ops, nil
}

// resolveBase finds the object a ref name or commit id names, in git's
// order: a full id, the ref as written, refs/NAME, refs/tags/NAME,
// refs/heads/NAME, refs/remotes/NAME, refs/remotes/NAME/HEAD, then an
// abbreviated id.
func (r *Repo) resolveBase(name, rev string) (plumbing.Hash, error) {
	if h, ok := parseHash(strings.ToLower(name)); ok {
		return h, nil
	}
	if strings.Contains(name, "..") || strings.HasPrefix(name, "/") || strings.ContainsAny(name, "\\ :?*[\x00") || strings.HasSuffix(name, ".lock") {
		return plumbing.ZeroHash, fmt.Errorf("revision %q is not a valid ref name or commit id", rev)
	}
	var candidates []string
	if name == "HEAD" || strings.HasPrefix(name, "refs/") {
		candidates = []string{name}
	}
	candidates = append(candidates, "refs/"+name, "refs/tags/"+name, "refs/heads/"+name, "refs/remotes/"+name, "refs/remotes/"+name+"/HEAD")
	for _, c := range candidates {
		_, h, exists, err := r.resolveRef(c)
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("revision %q: %w", rev, err)
		}
		if exists && !h.IsZero() {
			return h, nil
		}
	}
	if h, ok, err := r.abbreviated(name, rev); err != nil || ok {
		return h, err
	}
	return plumbing.ZeroHash, fmt.Errorf("unknown revision %q: no branch, tag or commit of that name (try git fetch, or git log --oneline to see commits)", rev)
}

// abbreviated resolves an abbreviated commit id of 4 to 39 hex digits.
func (r *Repo) abbreviated(name, rev string) (plumbing.Hash, bool, error) {
	low := strings.ToLower(name)
	if len(low) < 4 || len(low) >= 40 {
		return plumbing.ZeroHash, false, nil
	}
	for i := 0; i < len(low); i++ {
		if c := low[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return plumbing.ZeroHash, false, nil
		}
	}
	prefix, err := hex.DecodeString(low[:len(low)/2*2])
	if err != nil {
		return plumbing.ZeroHash, false, nil
	}
	store := r.storage()
	hashes, err := store.HashesWithPrefix(prefix)
	if err != nil {
		return plumbing.ZeroHash, false, fmt.Errorf("revision %q: %w", rev, err)
	}
	var found []plumbing.Hash
	for _, h := range hashes {
		if !strings.HasPrefix(h.String(), low) {
			continue
		}
		if _, err := peelToCommit(store, h, rev); err == nil {
			found = append(found, h)
		}
	}
	switch len(found) {
	case 0:
		return plumbing.ZeroHash, false, nil
	case 1:
		return found[0], true, nil
	}
	return plumbing.ZeroHash, false, fmt.Errorf("revision %q is ambiguous: %d commits start with it; give more digits", rev, len(found))
}

// peelToCommit follows annotated tags to the commit they name.
func peelToCommit(store *filesystem.Storage, h plumbing.Hash, rev string) (*object.Commit, error) {
	for range 10 {
		o, err := store.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			return nil, fmt.Errorf("revision %q: object %s: %w", rev, h, err)
		}
		switch o.Type() {
		case plumbing.CommitObject:
			return object.DecodeCommit(store, o)
		case plumbing.TagObject:
			t, err := object.DecodeTag(store, o)
			if err != nil {
				return nil, fmt.Errorf("revision %q: %w", rev, err)
			}
			h = t.Target
		default:
			return nil, fmt.Errorf("revision %q names a %s, not a commit", rev, o.Type())
		}
	}
	return nil, fmt.Errorf("revision %q: tags nested too deep", rev)
}
