package repo

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestFind(t *testing.T) {
	dir := newGitRepo(t)
	putFile(t, filepath.Join(dir, "a", "b", "c.md"), "x\n")
	runGit(t, dir, "add", ".")
	runGit(t, dir, "commit", "-q", "-m", "base")
	wt := filepath.Join(t.TempDir(), "linked")
	runGit(t, dir, "worktree", "add", "-q", wt)
	os.MkdirAll(filepath.Join(wt, "a", "deeper"), 0o755)
	// A repository with an extension go-git's Open refuses.
	ext := newGitRepo(t)
	runGit(t, ext, "config", "extensions.worktreeConfig", "true")
	// A nested repository wins over the outer one.
	nested := filepath.Join(dir, "vendor", "inner")
	os.MkdirAll(nested, 0o755)
	runGit(t, nested, "init", "-q")

	cases := []struct {
		name, from           string
		root, gitDir, common string
	}{
		{"root", dir, dir, filepath.Join(dir, ".git"), filepath.Join(dir, ".git")},
		{"subfolder", filepath.Join(dir, "a", "b"), dir, filepath.Join(dir, ".git"), filepath.Join(dir, ".git")},
		{"relative path", ".", dir, filepath.Join(dir, ".git"), filepath.Join(dir, ".git")},
		{"linked worktree", filepath.Join(wt, "a", "deeper"), wt, filepath.Join(dir, ".git", "worktrees", "linked"), filepath.Join(dir, ".git")},
		{"extensions", ext, ext, filepath.Join(ext, ".git"), filepath.Join(ext, ".git")},
		{"nested", nested, nested, filepath.Join(nested, ".git"), filepath.Join(nested, ".git")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.from == "." {
				t.Chdir(filepath.Join(dir, "a"))
			}
			r, err := Find(c.from)
			if err != nil {
				t.Fatal(err)
			}
			if r.Root != c.root || r.GitDir != c.gitDir || r.CommonDir != c.common {
				t.Errorf("Find(%s) = root %s, git dir %s, common %s; want %s, %s, %s", c.from, r.Root, r.GitDir, r.CommonDir, c.root, c.gitDir, c.common)
			}
		})
	}
}

func TestFindOutside(t *testing.T) {
	isolateGit(t)
	dir := t.TempDir()
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), ".git")); err == nil {
		t.Skip("the temp folder is inside a git repository")
	}
	_, err := Find(dir)
	if !errors.Is(err, ErrNotRepository) {
		t.Fatalf("err = %v, want ErrNotRepository", err)
	}
	if _, err := Find(filepath.Join(dir, "missing")); err == nil || errors.Is(err, ErrNotRepository) {
		t.Errorf("missing folder: err = %v, want a plain error", err)
	}
	repo := newGitRepo(t)
	if _, err := Find(filepath.Join(repo, ".git", "refs")); !errors.Is(err, ErrNotRepository) {
		t.Errorf("inside .git: err = %v, want ErrNotRepository", err)
	}
}

func TestHead(t *testing.T) {
	dir := newGitRepo(t)
	r, _ := Find(dir)
	if h, err := r.Head(); h != "" || err != nil {
		t.Errorf("unborn Head() = %q, %v", h, err)
	}
	putFile(t, filepath.Join(dir, "f"), "f\n")
	runGit(t, dir, "add", ".")
	runGit(t, dir, "commit", "-q", "-m", "x")
	want := runGit(t, dir, "rev-parse", "HEAD")
	runGit(t, dir, "pack-refs", "--all") // the branch now lives in packed-refs only
	if h, err := r.Head(); h+"\n" != want || err != nil {
		t.Errorf("Head() = %q, %v; want %s", h, err, want)
	}
}

func TestInit(t *testing.T) {
	dir := t.TempDir()
	r, err := Init(dir)
	if err != nil {
		t.Fatal(err)
	}
	if r.Root != dir {
		t.Errorf("Root = %q, want %q", r.Root, dir)
	}
	// git itself accepts it: an unborn main branch, a sound repository.
	cmd := exec.Command("git", "-C", dir, "symbolic-ref", "HEAD")
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("git: %v", err)
	}
	if got := strings.TrimSpace(string(out)); got != "refs/heads/main" {
		t.Errorf("HEAD = %q, want refs/heads/main", got)
	}
	if out, err := exec.Command("git", "-C", dir, "fsck").CombinedOutput(); err != nil {
		t.Errorf("git fsck: %v\n%s", err, out)
	}
	if _, err := Init(dir); err == nil {
		t.Error("Init over an existing repository succeeded")
	}
}
