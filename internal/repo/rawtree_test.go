package repo

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// encodeTree is go-git's encoding of entries, the reference rawTree's
// splicing must match byte for byte.
func encodeTree(t *testing.T, entries []object.TreeEntry) []byte {
	t.Helper()
	sort.Sort(object.TreeEntrySorter(entries))
	o := &plumbing.MemoryObject{}
	if err := (&object.Tree{Entries: entries}).Encode(o); err != nil {
		t.Fatal(err)
	}
	rd, _ := o.Reader()
	var b bytes.Buffer
	b.ReadFrom(rd)
	return b.Bytes()
}

// TestRawTreeUpsert: replacing and inserting entries (files, folders,
// names that sort differently as folders, a file that becomes a folder)
// gives exactly the bytes go-git's Tree.Encode gives for the same entries.
func TestRawTreeUpsert(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	names := []string{"a", "a.md", "a-b", "a0", "b", "postmortems", "postmortems.md", "postmortems-old", "z", "Z", "é", "a b"}
	modes := []filemode.FileMode{filemode.Regular, filemode.Executable, filemode.Dir, filemode.Symlink}
	for round := 0; round < 5000; round++ {
		var entries []object.TreeEntry
		seen := map[string]bool{}
		for i := rng.IntN(8); i > 0; i-- {
			n := names[rng.IntN(len(names))]
			if seen[n] {
				continue
			}
			seen[n] = true
			var h plumbing.Hash
			h[0] = byte(rng.IntN(256))
			entries = append(entries, object.TreeEntry{Name: n, Mode: modes[rng.IntN(len(modes))], Hash: h})
		}
		raw := rawTree(encodeTree(t, append([]object.TreeEntry(nil), entries...)))
		var h plumbing.Hash
		h[1] = byte(round)
		e := object.TreeEntry{Name: names[rng.IntN(len(names))], Mode: modes[rng.IntN(len(modes))], Hash: h}
		got, err := raw.upsert(e.Name, e.Mode, e.Hash)
		if err != nil {
			t.Fatal(err)
		}
		var want []object.TreeEntry
		for _, x := range entries {
			if x.Name != e.Name {
				want = append(want, x)
			}
		}
		want = append(want, e)
		if w := encodeTree(t, want); !bytes.Equal(got, w) {
			t.Fatalf("round %d: upsert %v into %v:\n got %q\nwant %q", round, e, entries, got, w)
		}
		if x, ok := got.entry(e.Name); !ok || x != e {
			t.Fatalf("round %d: entry(%q) = %v, %v", round, e.Name, x, ok)
		}
		// Every name, there or not, is found (or not) as a scan of
		// the whole tree finds it, although the search stops early.
		for _, n := range names {
			x, ok := raw.entry(n)
			var w object.TreeEntry
			for _, y := range entries {
				if y.Name == n {
					w = y
				}
			}
			if ok != (w.Name != "") || ok && x != w {
				t.Fatalf("round %d: entry(%q) in %v = %v, %v; want %v", round, n, entries, x, ok, w)
			}
		}
	}
	if _, err := rawTree("100644 a").upsert("b", filemode.Regular, plumbing.ZeroHash); err == nil {
		t.Error("a torn tree was spliced without an error")
	}
}

// TestCompareSortName: the comparison without building the sort name is
// strings.Compare of it.
func TestCompareSortName(t *testing.T) {
	words := []string{"", "a", "a/", "a.md", "a0", "a/b", "ab", "b", "/", "a-", "é"}
	for _, n := range words {
		for _, dir := range []bool{false, true} {
			mode := filemode.Regular
			if dir {
				mode = filemode.Dir
			}
			for _, key := range words {
				if got, want := compareSortName([]byte(n), dir, key), strings.Compare(sortName(n, mode), key); got != want {
					t.Errorf("compareSortName(%q, dir %v, %q) = %d, want %d", n, dir, key, got, want)
				}
			}
		}
	}
}

// TestLooseObjectsAsGit: objects pm writes are the ones git writes (same
// id, readable by git cat-file and fsck), and pm reads git's own loose
// trees.
func TestLooseObjectsAsGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("needs the git CLI")
	}
	dir := t.TempDir()
	mustGitIn(t, dir, nil, "init", "-q")
	objects := filepath.Join(dir, ".git", "objects")
	for _, level := range []string{"", "0", "9", "-1"} {
		cfg := &configSet{}
		if level != "" {
			pc, err := parseConfig([]byte("[core]\n\tcompression = "+level+"\n"), "config")
			if err != nil {
				t.Fatal(err)
			}
			cfg = &configSet{entries: pc.entries}
		}
		lw := (&Repo{CommonDir: filepath.Join(dir, ".git")}).looseWriter(cfg)
		content := []byte(strings.Repeat(fmt.Sprintf("pm at level %q\n", level), 100))
		h, err := lw.write(plumbing.BlobObject, content)
		if err != nil {
			t.Fatal(err)
		}
		if got := mustGitIn(t, dir, nil, "cat-file", "blob", h.String()); got != string(content) {
			t.Errorf("level %q: git reads %q", level, got)
		}
		want, err := gitIn(dir, nil, string(content), "hash-object", "--stdin")
		if err != nil || strings.TrimSpace(want) != h.String() {
			t.Errorf("level %q: id %s, git's %s (%v)", level, h, want, err)
		}
	}
	os.WriteFile(filepath.Join(dir, "f"), []byte("x\n"), 0o644)
	mustGitIn(t, dir, nil, "add", "f")
	treeID := strings.TrimSpace(mustGitIn(t, dir, nil, "write-tree"))
	raw, err := readTree(nil, objects, plumbing.NewHash(treeID))
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := raw.entry("f"); !ok || e.Mode != filemode.Regular {
		t.Errorf("git's tree read back as %q", raw)
	}
	if out := mustGitIn(t, dir, nil, "fsck", "--strict"); strings.Contains(out, "error") {
		t.Errorf("git fsck: %s", out)
	}
}

// TestTreeCache: a large tree pm writes is kept in the tree cache and read
// back from it, git reads the loose object pm wrote beside it, and a cache
// that does not hash to the id asked for (damaged, or another tree's) is
// passed over for the object itself.
func TestTreeCache(t *testing.T) {
	dir := t.TempDir()
	mustGitIn(t, dir, nil, "init", "-q")
	objects := filepath.Join(dir, ".git", "objects")
	lw := looseWriter{dir: objects, level: 1}
	var entries []object.TreeEntry
	for i := range 8000 { // about 400 KB, over parallelObject
		var h plumbing.Hash
		h[0], h[1] = byte(i), byte(i>>8)
		entries = append(entries, object.TreeEntry{Name: fmt.Sprintf("2026-01-01-incident-%05d.md", i), Mode: filemode.Regular, Hash: h})
	}
	content := encodeTree(t, entries)
	if len(content) < parallelObject {
		t.Fatalf("tree of %d bytes is not a large one", len(content))
	}
	h, err := lw.write(plumbing.TreeObject, content)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(mustGitIn(t, dir, nil, "cat-file", "-t", h.String())); got != "tree" {
		t.Fatalf("git cat-file -t %s: %q", h, got)
	}
	if cached, ok := readTreeCache(objects, h); !ok || !bytes.Equal(cached, content) {
		t.Fatalf("the large tree is not in the tree cache (ok %v)", ok)
	}
	if _, ok := readTreeCache(objects, plumbing.NewHash("4b825dc642cb6eb9a060e54bf8d69288fbee4904")); ok {
		t.Fatal("the tree cache answered for another tree")
	}
	file := treeCacheFile(objects)
	b := readBytes(t, file)
	b[len(b)-1] ^= 1
	writeFile(t, file, string(b))
	if _, ok := readTreeCache(objects, h); ok {
		t.Fatal("a damaged tree cache was believed")
	}
	got, err := readTree(nil, objects, h)
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("readTree past a damaged cache: %v", err)
	}
}

// TestCommitLargeTree: with a folder whose tree is a large object (1,200
// files of long names, over parallelObject), pm's commits in a row (the second starting
// from the tree cache), after a git commit that moved HEAD past the cached
// tree, and after the cache was damaged, each give the tree git's
// write-tree gives for the same work tree, and git fsck finds nothing.
func TestCommitLargeTree(t *testing.T) {
	dir := newGitRepo(t)
	folder := filepath.Join(dir, "postmortems")
	if err := os.MkdirAll(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("-with-a-long-title", 10)
	for i := range 1200 {
		os.WriteFile(filepath.Join(folder, fmt.Sprintf("2026-01-01-incident-%05d%s.md", i, long)), []byte(fmt.Sprint(i)), 0o644)
	}
	runGit(t, dir, "add", "-A")
	runGit(t, dir, "commit", "-q", "-m", "archive")
	sameAsGit := func(step string) {
		t.Helper()
		head := strings.TrimSpace(runGit(t, dir, "rev-parse", "HEAD^{tree}"))
		want := strings.TrimSpace(runGit(t, dir, "write-tree"))
		if head != want {
			t.Fatalf("%s: pm committed tree %s, git's write-tree of the same index %s", step, head, want)
		}
		if st := runGit(t, dir, "status", "--porcelain"); st != "" {
			t.Fatalf("%s: git status after the commit:\n%s", step, st)
		}
	}
	objects := filepath.Join(dir, ".git", "objects")
	rel := "postmortems/2026-01-01-incident-00042" + long + ".md"
	commitFile(t, dir, rel, "first\n")
	sameAsGit("first commit")
	if _, err := os.Stat(treeCacheFile(objects)); err != nil {
		t.Fatalf("no tree cache after a large tree: %v", err)
	}
	commitFile(t, dir, rel, "second\n")
	sameAsGit("from the tree cache")
	putFile(t, filepath.Join(folder, "2026-02-01-by-git.md"), "git\n")
	runGit(t, dir, "add", "postmortems/2026-02-01-by-git.md")
	runGit(t, dir, "commit", "-q", "-m", "by git")
	commitFile(t, dir, rel, "third\n")
	sameAsGit("after git moved HEAD")
	if !strings.Contains(runGit(t, dir, "ls-tree", "HEAD", "postmortems/"), "2026-02-01-by-git.md") {
		t.Fatal("git's file is missing from pm's commit")
	}
	b := readBytes(t, treeCacheFile(objects))
	b[len(b)/2] ^= 0xff
	writeFile(t, treeCacheFile(objects), string(b))
	commitFile(t, dir, rel, "fourth\n")
	sameAsGit("past a damaged cache")
	fsck(t, dir)
}
