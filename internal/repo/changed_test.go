package repo

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestChangedSince builds a history with the git CLI and checks, for each
// way of naming a revision, which files differ from it.
func TestChangedSince(t *testing.T) {
	dir := newGitRepo(t)
	write := func(rel, content string) { putFile(t, filepath.Join(dir, rel), content) }
	write("postmortems/a.md", "a1\n")
	write("postmortems/b.md", "b1\n")
	write("other/c.md", "c1\n")
	runGit(t, dir, "add", "-A")
	runGit(t, dir, "commit", "-q", "-m", "one")
	runGit(t, dir, "tag", "-a", "-m", "first", "v1")
	runGit(t, dir, "tag", "light")
	first := strings.TrimSpace(runGit(t, dir, "rev-parse", "HEAD"))

	write("postmortems/a.md", "a2\n")
	runGit(t, dir, "commit", "-q", "-am", "two")
	runGit(t, dir, "branch", "feature")
	write("postmortems/b.md", "b3\n")
	runGit(t, dir, "commit", "-q", "-am", "three")
	runGit(t, dir, "update-ref", "refs/remotes/origin/main", first)
	runGit(t, dir, "pack-refs", "--all")

	// Work tree: a new file, an uncommitted edit, a deleted file.
	write("postmortems/new.md", "new\n")
	write("other/c.md", "c-edited\n")
	if err := os.Remove(filepath.Join(dir, "postmortems/b.md")); err != nil {
		t.Fatal(err)
	}

	r, err := Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{"postmortems/a.md", "postmortems/b.md", "postmortems/new.md", "other/c.md"}
	for _, tc := range []struct {
		ref  string
		want []string
	}{
		{"HEAD", []string{"postmortems/new.md", "other/c.md"}},
		{"@", []string{"postmortems/new.md", "other/c.md"}},
		{"main", []string{"postmortems/new.md", "other/c.md"}},
		{"refs/heads/main", []string{"postmortems/new.md", "other/c.md"}},
		{"feature", []string{"postmortems/new.md", "other/c.md"}},
		{"HEAD~2", []string{"postmortems/a.md", "postmortems/new.md", "other/c.md"}},
		{"HEAD^^", []string{"postmortems/a.md", "postmortems/new.md", "other/c.md"}},
		{"main~1^", []string{"postmortems/a.md", "postmortems/new.md", "other/c.md"}},
		{"v1", []string{"postmortems/a.md", "postmortems/new.md", "other/c.md"}},
		{"light", []string{"postmortems/a.md", "postmortems/new.md", "other/c.md"}},
		{"origin/main", []string{"postmortems/a.md", "postmortems/new.md", "other/c.md"}},
		{first, []string{"postmortems/a.md", "postmortems/new.md", "other/c.md"}},
		{first[:7], []string{"postmortems/a.md", "postmortems/new.md", "other/c.md"}},
		{strings.ToUpper(first[:9]), []string{"postmortems/a.md", "postmortems/new.md", "other/c.md"}},
	} {
		got, err := r.ChangedSince(tc.ref, paths)
		if err != nil {
			t.Errorf("ChangedSince(%q): %v", tc.ref, err)
			continue
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("ChangedSince(%q) = %q, want %q", tc.ref, got, tc.want)
		}
	}

	for _, bad := range []string{"nope", "HEAD~9", "HEAD^3", "main:x", "../etc", "a..b", "HEAD~x", first[:3]} {
		if got, err := r.ChangedSince(bad, paths[:1]); err == nil {
			t.Errorf("ChangedSince(%q) = %q, want an error", bad, got)
		} else if !strings.Contains(err.Error(), "revision") {
			t.Errorf("ChangedSince(%q) error %q does not name the revision", bad, err)
		}
	}
}

// TestChangedSinceFolderBecameFile covers a path whose parent was a file in
// the old tree, and a file that was a folder.
func TestChangedSinceFolderBecameFile(t *testing.T) {
	dir := newGitRepo(t)
	putFile(t, filepath.Join(dir, "x"), "was a file\n")
	putFile(t, filepath.Join(dir, "y/z.md"), "z\n")
	runGit(t, dir, "add", "-A")
	runGit(t, dir, "commit", "-q", "-m", "one")
	if err := os.Remove(filepath.Join(dir, "x")); err != nil {
		t.Fatal(err)
	}
	putFile(t, filepath.Join(dir, "x/a.md"), "a\n")
	r, err := Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.ChangedSince("HEAD", []string{"x/a.md", "y/z.md"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{"x/a.md"}) {
		t.Errorf("got %q, want [x/a.md]", got)
	}
}
