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
	}
	if _, err := rawTree("100644 a").upsert("b", filemode.Regular, plumbing.ZeroHash); err == nil {
		t.Error("a torn tree was spliced without an error")
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
