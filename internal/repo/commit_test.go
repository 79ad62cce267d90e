package repo

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// isolateGit makes git commands started by the test read no user or system
// config and use a fixed identity, so results do not depend on the machine.
func isolateGit(t testing.TB) {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", filepath.Join(home, ".gitconfig"))
	for _, k := range []string{"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_CONFIG_COUNT", "GIT_CONFIG_PARAMETERS"} {
		if _, ok := os.LookupEnv(k); ok {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
	t.Setenv("GIT_AUTHOR_NAME", "Git Tester")
	t.Setenv("GIT_AUTHOR_EMAIL", "git@example.com")
	t.Setenv("GIT_COMMITTER_NAME", "Git Tester")
	t.Setenv("GIT_COMMITTER_EMAIL", "git@example.com")
}

// git runs git in dir and returns its stdout; the test fails on an error.
func runGit(t testing.TB, dir string, args ...string) string {
	t.Helper()
	out, err := runGitErr(dir, args...)
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func runGitErr(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		return stdout.String() + stderr.String(), err
	}
	return stdout.String(), nil
}

// newGitRepo makes an empty repository on branch main.
func newGitRepo(t testing.TB) string {
	t.Helper()
	isolateGit(t)
	return initGitRepo(t)
}

// initGitRepo is newGitRepo for parallel subtests, whose parent test has
// called isolateGit.
func initGitRepo(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	runGit(t, dir, "init", "-q", "-b", "main")
	return dir
}

func putFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

var testWhen = time.Date(2026, 11, 24, 9, 14, 3, 0, time.UTC)

func testRequest(path, msg string) CommitRequest {
	sig := Signature{Name: "Alice Responder", Email: "alice@example.com", When: testWhen}
	return CommitRequest{Path: path, Message: msg, Author: sig, Committer: sig}
}

// commitFile writes content to rel in the work tree and commits it with pm.
func commitFile(t testing.TB, root, rel, content string) CommitResult {
	t.Helper()
	putFile(t, filepath.Join(root, filepath.FromSlash(rel)), content)
	r, err := Find(root)
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.CommitFile(testRequest(rel, "pm(x): note: "+rel+"\n\nPm-Incident: x\nPm-Kind: note\n"))
	if err != nil {
		t.Fatalf("CommitFile(%s): %v", rel, err)
	}
	return res
}

func fsck(t testing.TB, dir string) {
	t.Helper()
	if out, err := runGitErr(dir, "fsck", "--strict", "--no-progress", "--no-dangling"); err != nil || strings.TrimSpace(out) != "" {
		t.Fatalf("git fsck: %v\n%s", err, out)
	}
}

func TestCommitFileUnbornThenSecond(t *testing.T) {
	dir := newGitRepo(t)
	r, err := Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	putFile(t, filepath.Join(dir, "postmortems", "2026-11-24-api.md"), "# API\n")
	msg := "pm(2026-11-24-api): new: API returns 502\n\nPm-Incident: 2026-11-24-api\nPm-Kind: new\n"
	req := testRequest("postmortems/2026-11-24-api.md", msg)
	req.Author.Name = "Bob Author"
	res, err := r.CommitFile(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.ByGit != "" {
		t.Errorf("ByGit = %q, want the plumbing path", res.ByGit)
	}
	if got := strings.TrimSpace(runGit(t, dir, "rev-parse", "HEAD")); got != res.Hash {
		t.Errorf("HEAD = %s, CommitFile returned %s", got, res.Hash)
	}
	if got := runGit(t, dir, "log", "-1", "--format=%B"); strings.TrimRight(got, "\n") != strings.TrimRight(msg, "\n") {
		t.Errorf("message = %q, want %q", got, msg)
	}
	if got := runGit(t, dir, "log", "-1", "--format=%an <%ae> %ad|%cn <%ce>", "--date=iso-strict"); got != "Bob Author <alice@example.com> 2026-11-24T09:14:03+00:00|Alice Responder <alice@example.com>\n" {
		t.Errorf("identity = %q", got)
	}
	if got := runGit(t, dir, "rev-list", "--parents", "HEAD"); len(strings.Fields(got)) != 1 {
		t.Errorf("first commit has parents: %q", got)
	}
	if got := runGit(t, dir, "status", "--porcelain"); got != "" {
		t.Errorf("status after first commit = %q, want clean", got)
	}
	if h, err := r.Head(); err != nil || h != res.Hash {
		t.Errorf("Head() = %q, %v; want %s", h, err, res.Hash)
	}
	if got := runGit(t, dir, "reflog", "-1", "--format=%gs"); got != "commit (initial): pm(2026-11-24-api): new: API returns 502\n" {
		t.Errorf("reflog = %q", got)
	}

	// A second commit: the first is its parent, only the file changed.
	first := res.Hash
	putFile(t, filepath.Join(dir, "postmortems", "2026-11-24-api.md"), "# API\n\n- observed\n")
	res, err = r.CommitFile(testRequest("postmortems/2026-11-24-api.md", "pm(2026-11-24-api): observe: x"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(runGit(t, dir, "rev-parse", "HEAD^")); got != first {
		t.Errorf("parent = %s, want %s", got, first)
	}
	if got := runGit(t, dir, "log", "-1", "--format=%B"); got != "pm(2026-11-24-api): observe: x\n\n" {
		t.Errorf("message without newline = %q", got)
	}
	if got := runGit(t, dir, "status", "--porcelain"); got != "" {
		t.Errorf("status = %q, want clean", got)
	}
	fsck(t, dir)
}

// The entry's stat data must be what git itself records, or git would
// think the file changed: git diff-files compares stat data only, without
// reading content.
func TestCommitFileStatDataMatchesGit(t *testing.T) {
	dir := newGitRepo(t)
	putFile(t, filepath.Join(dir, "base.md"), "base\n")
	runGit(t, dir, "add", ".")
	runGit(t, dir, "commit", "-q", "-m", "base")
	commitFile(t, dir, "postmortems/new.md", "new\n")
	commitFile(t, dir, "base.md", "changed\n")
	if got := runGit(t, dir, "diff-files", "--name-only"); got != "" {
		t.Errorf("git diff-files = %q: the index's stat data differ from the files'", got)
	}
	debug := runGit(t, dir, "ls-files", "--debug", "postmortems/new.md")
	if strings.Contains(debug, "size: 0\t") || !strings.Contains(debug, "size: 4") {
		t.Errorf("entry stat data:\n%s", debug)
	}
}

func TestCommitFileKeepsUserChanges(t *testing.T) {
	dir := newGitRepo(t)
	putFile(t, filepath.Join(dir, "a.txt"), "a\n")
	putFile(t, filepath.Join(dir, "src", "b.go"), "package b\n")
	putFile(t, filepath.Join(dir, "z.txt"), "z\n")
	putFile(t, filepath.Join(dir, "postmortems", "old.md"), "old\n")
	runGit(t, dir, "add", ".")
	runGit(t, dir, "commit", "-q", "-m", "base")

	// Staged, unstaged, staged-then-modified, staged delete, untracked.
	putFile(t, filepath.Join(dir, "a.txt"), "a staged\n")
	runGit(t, dir, "add", "a.txt")
	putFile(t, filepath.Join(dir, "src", "b.go"), "package b // unstaged\n")
	putFile(t, filepath.Join(dir, "src", "new.go"), "package b\n")
	runGit(t, dir, "add", "src/new.go")
	putFile(t, filepath.Join(dir, "src", "new.go"), "package b // and more\n")
	runGit(t, dir, "rm", "-q", "--cached", "z.txt")
	putFile(t, filepath.Join(dir, "untracked.txt"), "u\n")
	before := runGit(t, dir, "status", "--porcelain")
	beforeStaged := runGit(t, dir, "diff", "--cached", "--name-status")

	res := commitFile(t, dir, "postmortems/2026-11-24-api.md", "# incident\n")
	if res.ByGit != "" {
		t.Fatalf("ByGit = %q, want the plumbing path", res.ByGit)
	}
	if after := runGit(t, dir, "status", "--porcelain"); after != before {
		t.Errorf("git status changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if after := runGit(t, dir, "diff", "--cached", "--name-status"); after != beforeStaged {
		t.Errorf("staged changes differ:\nbefore:\n%s\nafter:\n%s", beforeStaged, after)
	}
	if got := runGit(t, dir, "show", "--stat", "--format=", "HEAD"); !strings.Contains(got, "postmortems/2026-11-24-api.md") || strings.Count(got, "|") != 1 {
		t.Errorf("git show --stat HEAD = %q, want only the incident file", got)
	}
	if got := runGit(t, dir, "show", "HEAD:a.txt"); got != "a\n" {
		t.Errorf("a.txt in the commit = %q, want the committed version, not the staged one", got)
	}
	fsck(t, dir)
}

func TestCommitFileIndexFormats(t *testing.T) {
	setups := []struct {
		name  string
		setup func(t *testing.T, dir string)
		byGit bool // the index is one pm hands to git
		few   bool // only the first two changes: the format is not about order
	}{
		{"v2", func(t *testing.T, dir string) { runGit(t, dir, "update-index", "--index-version", "2") }, false, false},
		{"v3", func(t *testing.T, dir string) {
			// skip-worktree needs extended flags, which need version 3.
			runGit(t, dir, "update-index", "--skip-worktree", "postmortems/c.md")
			if v := indexVersion(t, dir); v != 3 {
				t.Fatalf("index version %d, want 3", v)
			}
		}, false, false},
		{"v4", func(t *testing.T, dir string) { runGit(t, dir, "update-index", "--index-version", "4") }, false, false},
		{"v4-manyfiles", func(t *testing.T, dir string) {
			// feature.manyFiles: index v4 and the untracked cache, as
			// large repositories are set up.
			runGit(t, dir, "config", "feature.manyFiles", "true")
			os.Remove(filepath.Join(dir, ".git", "index"))
			runGit(t, dir, "reset", "-q")
			runGit(t, dir, "status", "--porcelain")
			if v := indexVersion(t, dir); v != 4 {
				t.Fatalf("index version %d, want 4", v)
			}
		}, false, false},
		{"split", func(t *testing.T, dir string) { runGit(t, dir, "update-index", "--split-index") }, true, true},
		{"untracked-cache+fsmonitor-free", func(t *testing.T, dir string) {
			runGit(t, dir, "config", "core.untrackedCache", "true")
			runGit(t, dir, "update-index", "--untracked-cache")
			runGit(t, dir, "status", "--porcelain")
		}, false, true},
		{"eoie-ieot", func(t *testing.T, dir string) {
			runGit(t, dir, "config", "index.threads", "2")
			runGit(t, dir, "config", "index.recordEndOfIndexEntries", "true")
			runGit(t, dir, "config", "index.recordOffsetTable", "true")
			runGit(t, dir, "update-index", "--force-write-index")
		}, false, true},
	}
	changes := []struct {
		name, path string
	}{
		{"update", "postmortems/b-existing.md"},
		{"insert-nested-new-folder", "postmortems/2026/11/new.md"},
		{"insert-first", "0-first.md"},
		{"insert-last", "zzz/last.md"},
		{"insert-between-prefixes", "postmortems/b-existing.md.bak"},
		{"insert-dash-sorts-before-slash", "postmortems-x.md"},
	}
	isolateGit(t)
	for _, s := range setups {
		for i, c := range changes {
			if s.few && i >= 2 {
				break
			}
			t.Run(s.name+"/"+c.name, func(t *testing.T) {
				t.Parallel()
				dir := initGitRepo(t)
				for _, f := range []string{"README.md", "postmortems/a.md", "postmortems/b-existing.md", "postmortems/c.md", "postmortems/sub/d.md", "src/x.go"} {
					putFile(t, filepath.Join(dir, filepath.FromSlash(f)), f+"\n")
				}
				runGit(t, dir, "add", ".")
				runGit(t, dir, "commit", "-q", "-m", "base")
				putFile(t, filepath.Join(dir, "src", "x.go"), "unstaged\n")
				putFile(t, filepath.Join(dir, "README.md"), "staged\n")
				runGit(t, dir, "add", "README.md")
				s.setup(t, dir)
				before := runGit(t, dir, "status", "--porcelain")

				res := commitFile(t, dir, c.path, "pm content for "+c.path+"\n")
				if (res.ByGit != "") != s.byGit {
					t.Fatalf("ByGit = %q, want git %v", res.ByGit, s.byGit)
				}
				if after := runGit(t, dir, "status", "--porcelain"); after != before {
					t.Errorf("status:\nbefore:\n%s\nafter:\n%s", before, after)
				}
				if got := runGit(t, dir, "ls-files", "-s", "--", c.path); !strings.Contains(got, c.path) {
					t.Errorf("ls-files -s %s = %q", c.path, got)
				}
				// The index must still be sorted and complete: git checks
				// order on read, and a fresh index built from ls-files must
				// give the same tree.
				checkIndexConsistent(t, dir)
				if got := runGit(t, dir, "show", "--stat", "--format=", "HEAD"); strings.Count(got, "|") != 1 || !strings.Contains(got, c.path) {
					t.Errorf("commit touches more than %s: %q", c.path, got)
				}
				fsck(t, dir)
			})
		}
	}
}

// checkIndexConsistent verifies that git reads the index, that its entries
// are in order, and that the tree git writes from it (using the cache-tree
// where valid) equals the tree built from its entries alone.
func checkIndexConsistent(t *testing.T, dir string) {
	t.Helper()
	ls := runGit(t, dir, "ls-files", "-s")
	var prev string
	for _, line := range strings.Split(strings.TrimSpace(ls), "\n") {
		_, name, _ := strings.Cut(line, "\t")
		if name < prev {
			t.Fatalf("index out of order: %q after %q", name, prev)
		}
		prev = name
	}
	if strings.Contains(ls, " 1\t") || strings.Contains(ls, " 2\t") {
		return // conflicts: write-tree is not possible
	}
	if out, _ := runGitErr(dir, "ls-files", "--cached", "-t"); strings.Contains(out, "\nS ") {
		return
	}
	tree := strings.TrimSpace(runGit(t, dir, "write-tree"))
	fresh := filepath.Join(t.TempDir(), "index")
	cmd := exec.Command("git", "-C", dir, "update-index", "--index-info")
	cmd.Env = append(os.Environ(), "GIT_INDEX_FILE="+fresh)
	var info strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(ls), "\n") {
		// "mode oid stage\tpath" is also update-index --index-info's format.
		info.WriteString(line + "\n")
	}
	cmd.Stdin = strings.NewReader(info.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("rebuild index: %v\n%s", err, out)
	}
	cmd = exec.Command("git", "-C", dir, "write-tree")
	cmd.Env = append(os.Environ(), "GIT_INDEX_FILE="+fresh)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("write-tree of rebuilt index: %v", err)
	}
	if want := strings.TrimSpace(string(out)); tree != want {
		t.Errorf("git write-tree = %s, but the index's entries give %s (stale cache-tree)", tree, want)
	}
}

func indexVersion(t *testing.T, dir string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, ".git", "index"))
	if err != nil || len(b) < 8 {
		t.Fatalf("read index: %v", err)
	}
	return int(b[7])
}

func TestCommitFileCacheTree(t *testing.T) {
	dir := newGitRepo(t)
	for _, f := range []string{"a.md", "postmortems/a.md", "postmortems/deep/b.md", "src/x.go"} {
		putFile(t, filepath.Join(dir, filepath.FromSlash(f)), f+"\n")
	}
	runGit(t, dir, "add", ".")
	runGit(t, dir, "commit", "-q", "-m", "base") // leaves a full cache-tree
	runGit(t, dir, "write-tree")

	commitFile(t, dir, "postmortems/deep/b.md", "changed\n")
	commitFile(t, dir, "postmortems/deep/new/c.md", "new\n")
	if got := runGit(t, dir, "status", "--porcelain"); got != "" {
		t.Errorf("status = %q, want clean", got)
	}
	checkIndexConsistent(t, dir)
	if tree, head := strings.TrimSpace(runGit(t, dir, "write-tree")), strings.TrimSpace(runGit(t, dir, "rev-parse", "HEAD^{tree}")); tree != head {
		t.Errorf("write-tree %s != HEAD's tree %s", tree, head)
	}
	// git's next commit must contain both its own file and pm's.
	putFile(t, filepath.Join(dir, "src", "y.go"), "y\n")
	runGit(t, dir, "add", "src/y.go")
	runGit(t, dir, "commit", "-q", "-m", "git commit after pm")
	ls := runGit(t, dir, "ls-tree", "-r", "--name-only", "HEAD")
	for _, f := range []string{"postmortems/deep/b.md", "postmortems/deep/new/c.md", "src/y.go", "a.md"} {
		if !strings.Contains(ls, f+"\n") {
			t.Errorf("ls-tree HEAD lacks %s:\n%s", f, ls)
		}
	}
	if got := runGit(t, dir, "show", "HEAD:postmortems/deep/b.md"); got != "changed\n" {
		t.Errorf("b.md = %q", got)
	}
	fsck(t, dir)
}

func TestCommitFileLinkedWorktree(t *testing.T) {
	dir := newGitRepo(t)
	putFile(t, filepath.Join(dir, "README.md"), "hi\n")
	runGit(t, dir, "add", ".")
	runGit(t, dir, "commit", "-q", "-m", "base")
	putFile(t, filepath.Join(dir, "staged.txt"), "main staged\n")
	runGit(t, dir, "add", "staged.txt")
	mainIndex, err := os.ReadFile(filepath.Join(dir, ".git", "index"))
	if err != nil {
		t.Fatal(err)
	}
	mainHead := strings.TrimSpace(runGit(t, dir, "rev-parse", "main"))

	wt := filepath.Join(t.TempDir(), "wt")
	runGit(t, dir, "worktree", "add", "-q", "-b", "incident", wt)
	putFile(t, filepath.Join(wt, "postmortems", "x.md"), "x\n")
	r, err := Find(filepath.Join(wt, "postmortems"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Root != wt || r.GitDir != filepath.Join(dir, ".git", "worktrees", "wt") || r.CommonDir != filepath.Join(dir, ".git") {
		t.Fatalf("Find = %+v", r)
	}
	res, err := r.CommitFile(testRequest("postmortems/x.md", "pm(x): new: x"))
	if err != nil {
		t.Fatal(err)
	}
	if res.ByGit != "" {
		t.Errorf("ByGit = %q, want the plumbing path", res.ByGit)
	}
	if got := strings.TrimSpace(runGit(t, dir, "rev-parse", "incident")); got != res.Hash {
		t.Errorf("branch incident = %s, want %s", got, res.Hash)
	}
	if got := strings.TrimSpace(runGit(t, dir, "rev-parse", "main")); got != mainHead {
		t.Errorf("main moved to %s", got)
	}
	if got := runGit(t, wt, "status", "--porcelain"); got != "" {
		t.Errorf("worktree status = %q", got)
	}
	after, _ := os.ReadFile(filepath.Join(dir, ".git", "index"))
	if string(after) != string(mainIndex) {
		t.Error("the main worktree's index changed")
	}
	if got := runGit(t, wt, "reflog", "-1", "--format=%gs", "HEAD"); !strings.Contains(got, "pm(x): new: x") {
		t.Errorf("worktree HEAD reflog = %q", got)
	}
	fsck(t, dir)
}

func TestCommitFileRefusals(t *testing.T) {
	cases := []struct {
		name   string
		setup  func(t *testing.T, dir string)
		path   string
		reason string
	}{
		{"detached", func(t *testing.T, dir string) { runGit(t, dir, "checkout", "-q", "--detach") }, "p.md", "detached"},
		{"merge", func(t *testing.T, dir string) {
			putFile(t, filepath.Join(dir, ".git", "MERGE_HEAD"), strings.TrimSpace(runGit(t, dir, "rev-parse", "HEAD"))+"\n")
		}, "p.md", "merge is in progress"},
		{"rebase", func(t *testing.T, dir string) { os.Mkdir(filepath.Join(dir, ".git", "rebase-merge"), 0o755) }, "p.md", "rebase is in progress"},
		{"cherry-pick", func(t *testing.T, dir string) { putFile(t, filepath.Join(dir, ".git", "CHERRY_PICK_HEAD"), "x\n") }, "p.md", "cherry-pick"},
		{"revert", func(t *testing.T, dir string) { putFile(t, filepath.Join(dir, ".git", "REVERT_HEAD"), "x\n") }, "p.md", "revert"},
		{"missing", nil, "nope.md", "file missing"},
		{"escape", nil, "../x.md", "not a file path"},
		{"dotgit", nil, ".git/config", "not a file path"},
		{"folder", func(t *testing.T, dir string) { os.Mkdir(filepath.Join(dir, "d"), 0o755) }, "d", "not a regular file"},
		{"file-as-folder", nil, "base.md/x.md", "file missing"},
		{"beyond-symlink", func(t *testing.T, dir string) {
			os.Mkdir(filepath.Join(dir, "real"), 0o755)
			putFile(t, filepath.Join(dir, "real", "p.md"), "p\n")
			if err := os.Symlink("real", filepath.Join(dir, "linked")); err != nil {
				t.Skip(err)
			}
		}, "linked/p.md", "symbolic link"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := newGitRepo(t)
			putFile(t, filepath.Join(dir, "base.md"), "base\n")
			runGit(t, dir, "add", ".")
			runGit(t, dir, "commit", "-q", "-m", "base")
			head := runGit(t, dir, "rev-parse", "HEAD")
			if c.setup != nil {
				c.setup(t, dir)
			}
			putFile(t, filepath.Join(dir, "p.md"), "p\n")
			r, err := Find(dir)
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.CommitFile(testRequest(c.path, "msg"))
			var ce *CommitError
			if !errors.As(err, &ce) || !strings.Contains(ce.Reason, c.reason) {
				t.Fatalf("err = %v, want *CommitError about %q", err, c.reason)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
			if got := runGit(t, dir, "rev-parse", "HEAD"); got != head {
				t.Errorf("HEAD moved")
			}
		})
	}
}

func TestCommitFileBranchMoved(t *testing.T) {
	dir := newGitRepo(t)
	putFile(t, filepath.Join(dir, "base.md"), "base\n")
	runGit(t, dir, "add", ".")
	runGit(t, dir, "commit", "-q", "-m", "base")
	var moved string
	defer atFault(faultObjectsWritten, func() {
		// Another writer commits between pm's read of the branch and its
		// update (with plumbing: pm holds the index lock).
		moved = strings.TrimSpace(runGit(t, dir, "commit-tree", "-p", "HEAD", "-m", "concurrent", "HEAD^{tree}"))
		runGit(t, dir, "update-ref", "refs/heads/main", moved)
	})()
	putFile(t, filepath.Join(dir, "p.md"), "p\n")
	r, _ := Find(dir)
	// Like a second git commit after the first one won the branch, pm
	// commits again on top of the concurrent commit, which is kept.
	res, err := r.CommitFile(testRequest("p.md", "msg"))
	if err != nil {
		t.Fatalf("CommitFile: %v", err)
	}
	if got := strings.TrimSpace(runGit(t, dir, "rev-parse", "HEAD^")); got != moved {
		t.Errorf("HEAD^ = %s, want the concurrent commit %s kept under pm's", got, moved)
	}
	if got := strings.TrimSpace(runGit(t, dir, "rev-parse", "HEAD")); got != res.Hash {
		t.Errorf("HEAD = %s, CommitFile returned %s", got, res.Hash)
	}
	for _, l := range []string{"refs/heads/main.lock", "index.lock"} {
		if _, err := os.Stat(filepath.Join(dir, ".git", l)); !os.IsNotExist(err) {
			t.Errorf("%s left behind", l)
		}
	}
	if got := runGit(t, dir, "status", "--porcelain"); got != "" {
		t.Errorf("status = %q", got)
	}
	fsck(t, dir)
}

func TestCommitFileUnbornBranchCreatedConcurrently(t *testing.T) {
	dir := newGitRepo(t)
	defer atFault(faultObjectsWritten, func() {
		empty := strings.TrimSpace(runGit(t, dir, "hash-object", "-w", "-t", "tree", "/dev/null"))
		c := strings.TrimSpace(runGit(t, dir, "commit-tree", "-m", "someone else first", empty))
		runGit(t, dir, "update-ref", "refs/heads/main", c)
	})()
	putFile(t, filepath.Join(dir, "p.md"), "p\n")
	r, _ := Find(dir)
	if _, err := r.CommitFile(testRequest("p.md", "msg")); err != nil {
		t.Fatalf("CommitFile: %v", err)
	}
	if got := runGit(t, dir, "log", "--format=%s"); got != "msg\nsomeone else first\n" {
		t.Errorf("log = %q, want pm's commit on top of the one made first", got)
	}
}

func TestCommitFileIndexLocked(t *testing.T) {
	dir := newGitRepo(t)
	putFile(t, filepath.Join(dir, "base.md"), "base\n")
	runGit(t, dir, "add", ".")
	runGit(t, dir, "commit", "-q", "-m", "base")
	head := runGit(t, dir, "rev-parse", "HEAD")
	lock := filepath.Join(dir, ".git", "index.lock")
	putFile(t, lock, "held by someone")
	defer func(w time.Duration) { indexLockWait = w }(indexLockWait)
	indexLockWait = 50 * time.Millisecond
	putFile(t, filepath.Join(dir, "postmortems", "x y.md"), "x\n")
	r, err := Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.CommitFile(testRequest("postmortems/x y.md", "msg"))
	if err == nil || !strings.Contains(err.Error(), "index.lock exists") {
		t.Fatalf("err = %v, want the index lock named", err)
	}
	// git's rule: the branch never moves without the index.
	if got := runGit(t, dir, "rev-parse", "HEAD"); got != head {
		t.Errorf("HEAD moved to %s while the index was locked", got)
	}
	if b, _ := os.ReadFile(lock); string(b) != "held by someone" {
		t.Error("someone else's index.lock was touched")
	}
	os.Remove(lock)
	res := commitFile(t, dir, "postmortems/x y.md", "x\n")
	if got := runGit(t, dir, "status", "--porcelain"); got != "" || res.ByGit != "" {
		t.Errorf("status after the lock was freed = %q (by git: %q)", got, res.ByGit)
	}
}

func TestCommitFileConflictedEntry(t *testing.T) {
	dir := newGitRepo(t)
	putFile(t, filepath.Join(dir, "p.md"), "base\n")
	runGit(t, dir, "add", ".")
	runGit(t, dir, "commit", "-q", "-m", "base")
	blob := strings.TrimSpace(runGit(t, dir, "rev-parse", "HEAD:p.md"))
	cmd := exec.Command("git", "-C", dir, "update-index", "--index-info")
	cmd.Stdin = strings.NewReader("0 0000000000000000000000000000000000000000\tp.md\n" +
		"100644 " + blob + " 1\tp.md\n100644 " + blob + " 2\tp.md\n100644 " + blob + " 3\tp.md\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	res := commitFile(t, dir, "p.md", "resolved\n")
	if res.ByGit == "" {
		t.Fatal("conflicted entry rewritten in-process, want it handed to git")
	}
	if got := runGit(t, dir, "status", "--porcelain"); got != "" {
		t.Errorf("status after git's commit = %q", got)
	}
}

func TestCommitFileIntentToAdd(t *testing.T) {
	dir := newGitRepo(t)
	putFile(t, filepath.Join(dir, "base.md"), "base\n")
	runGit(t, dir, "add", ".")
	runGit(t, dir, "commit", "-q", "-m", "base")
	putFile(t, filepath.Join(dir, "p.md"), "draft\n")
	runGit(t, dir, "add", "-N", "p.md")
	res := commitFile(t, dir, "p.md", "final\n")
	if res.ByGit != "" {
		t.Fatalf("ByGit = %q, want the plumbing path", res.ByGit)
	}
	if got := runGit(t, dir, "status", "--porcelain"); got != "" {
		t.Errorf("status = %q, want clean (intent-to-add cleared)", got)
	}
	if got := runGit(t, dir, "diff", "--cached", "--name-only"); got != "" {
		t.Errorf("staged = %q", got)
	}
	checkIndexConsistent(t, dir)
}

func TestCommitFileModes(t *testing.T) {
	dir := newGitRepo(t)
	putFile(t, filepath.Join(dir, "run.sh"), "#!/bin/sh\n")
	os.Chmod(filepath.Join(dir, "run.sh"), 0o755)
	runGit(t, dir, "add", ".")
	runGit(t, dir, "commit", "-q", "-m", "base")

	putFile(t, filepath.Join(dir, "run.sh"), "#!/bin/sh\necho hi\n") // WriteFile keeps 0755
	commitFile(t, dir, "run.sh", "#!/bin/sh\necho hi\n")
	if got := runGit(t, dir, "ls-tree", "HEAD", "run.sh"); !strings.HasPrefix(got, "100755 ") {
		t.Errorf("ls-tree = %q, want mode 100755", got)
	}
	if err := os.Symlink("run.sh", filepath.Join(dir, "link")); err != nil {
		t.Skip("no symlinks:", err)
	}
	r, _ := Find(dir)
	if _, err := r.CommitFile(testRequest("link", "link")); err != nil {
		t.Fatal(err)
	}
	if got := runGit(t, dir, "ls-tree", "HEAD", "link"); !strings.HasPrefix(got, "120000 ") {
		t.Errorf("ls-tree = %q, want a symlink", got)
	}
	if got := runGit(t, dir, "status", "--porcelain"); got != "" {
		t.Errorf("status = %q", got)
	}
	fsck(t, dir)
}

func TestCommitFileUnchanged(t *testing.T) {
	dir := newGitRepo(t)
	first := commitFile(t, dir, "p.md", "same\n")
	// Touch the file so its stat data changes but not its content.
	later := time.Now().Add(2 * time.Second)
	os.Chtimes(filepath.Join(dir, "p.md"), later, later)
	res := commitFile(t, dir, "p.md", "same\n")
	if !res.Unchanged || res.Hash != first.Hash {
		t.Errorf("second commit of the same content = %+v, want Unchanged at %s", res, first.Hash)
	}
	if got := runGit(t, dir, "rev-list", "--count", "HEAD"); got != "1\n" {
		t.Errorf("%s commits, want 1", got)
	}
	if got := runGit(t, dir, "status", "--porcelain"); got != "" {
		t.Errorf("status = %q", got)
	}
}

// A racily clean entry (changed in the same second the index was written,
// same size) must not look clean after pm rewrites the index with a newer
// mtime: pm smudges it as git does.
func TestCommitFileSmudgesRacyEntries(t *testing.T) {
	dir := newGitRepo(t)
	runGit(t, dir, "config", "core.trustctime", "false")
	runGit(t, dir, "config", "core.checkStat", "minimal")
	a := filepath.Join(dir, "a.txt")
	when := time.Now().Add(-100 * time.Second).Truncate(time.Second)
	putFile(t, a, "aaaa\n")
	os.Chtimes(a, when, when)
	runGit(t, dir, "add", "a.txt")
	os.Chtimes(filepath.Join(dir, ".git", "index"), when, when)
	putFile(t, a, "bbbb\n")
	os.Chtimes(a, when, when)

	commitFile(t, dir, "p.md", "p\n")
	if got := runGit(t, dir, "diff", "--name-only"); got != "a.txt\n" {
		t.Errorf("git diff --name-only = %q, want a.txt (racily clean entry smudged)", got)
	}
}

func TestCommitFileCoreFilemodeFalse(t *testing.T) {
	dir := newGitRepo(t)
	runGit(t, dir, "config", "core.filemode", "false")
	putFile(t, filepath.Join(dir, "p.md"), "p\n")
	os.Chmod(filepath.Join(dir, "p.md"), 0o755)
	commitFile(t, dir, "p.md", "p\n")
	if got := runGit(t, dir, "ls-tree", "HEAD", "p.md"); !strings.HasPrefix(got, "100644 ") {
		t.Errorf("ls-tree = %q, want 100644 with core.filemode=false", got)
	}
	if got := runGit(t, dir, "status", "--porcelain"); got != "" {
		t.Errorf("status = %q", got)
	}
}

func TestCommitFileIdentityRequired(t *testing.T) {
	dir := newGitRepo(t)
	putFile(t, filepath.Join(dir, "p.md"), "p\n")
	r, _ := Find(dir)
	req := testRequest("p.md", "m")
	req.Author.Email = " <> "
	var ie *IdentityError
	if _, err := r.CommitFile(req); !errors.As(err, &ie) {
		t.Fatalf("err = %v, want *IdentityError", err)
	}
}

// benchRepo returns a work tree of 100,000 files in 1,000 folders (plus a
// postmortems folder), committed and checked out with git. It is built once
// with git fast-import and cached under the system temp folder, so only the
// first benchmark run pays for it.
func benchRepo(b *testing.B) (dir, base string) {
	b.Helper()
	dir = filepath.Join(os.TempDir(), "pm-bench-100k-v1")
	ready := filepath.Join(dir, ".git", "pm-bench-ready")
	if _, err := os.Stat(ready); err != nil {
		os.RemoveAll(dir)
		runGit(b, os.TempDir(), "init", "-q", "-b", "main", dir)
		var stream strings.Builder
		stream.WriteString("commit refs/heads/main\ncommitter Bench <bench@example.com> 1700000000 +0000\ndata 5\nbase\n")
		for d := range 1000 {
			for f := range 100 {
				content := fmt.Sprintf("file %d of folder %d\n", f, d)
				fmt.Fprintf(&stream, "M 100644 inline dir%03d/file%06d.txt\ndata %d\n%s\n", d, d*100+f, len(content), content)
			}
		}
		for i := range 50 {
			content := fmt.Sprintf("# incident %d\n", i)
			fmt.Fprintf(&stream, "M 100644 inline postmortems/2025-01-%02d-old-%d.md\ndata %d\n%s\n", i%28+1, i, len(content), content)
		}
		cmd := exec.Command("git", "-C", dir, "fast-import", "--quiet")
		cmd.Stdin = strings.NewReader(stream.String())
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("fast-import: %v\n%s", err, out)
		}
		runGit(b, dir, "reset", "-q", "--hard", "main")
		runGit(b, dir, "status", "--porcelain") // refresh the index once
		putFile(b, ready, "ok\n")
	}
	base = strings.TrimSpace(runGit(b, dir, "rev-parse", "refs/heads/main^{commit}"))
	if tag, err := runGitErr(dir, "rev-parse", "refs/tags/bench-base"); err == nil {
		base = strings.TrimSpace(tag)
	} else {
		runGit(b, dir, "tag", "bench-base", base)
	}
	runGit(b, dir, "reset", "-q", "--hard", base)
	runGit(b, dir, "clean", "-fdq", "--", "postmortems")
	return dir, base
}

// BenchmarkCommitFile100k measures one CommitFile in a 100,000-file
// repository, alternating a new incident file and an update of it.
func BenchmarkCommitFile100k(b *testing.B) {
	isolateGit(b)
	dir, _ := benchRepo(b)
	run := time.Now().UnixNano()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		rel := fmt.Sprintf("postmortems/bench-%d-%d.md", run, i/2)
		content := fmt.Sprintf("# bench %d\n\n- entry %d\n", i/2, i)
		if err := WriteFileAtomic(filepath.Join(dir, filepath.FromSlash(rel)), []byte(content), 0o644); err != nil {
			b.Fatal(err)
		}
		req := testRequest(rel, fmt.Sprintf("pm(bench): note: %d", i))
		b.StartTimer()
		// A fresh Repo each time, as each pm command is a new process:
		// nothing (pack index, object cache) carries over.
		r, err := Find(dir)
		if err != nil {
			b.Fatal(err)
		}
		res, err := r.CommitFile(req)
		if err != nil {
			b.Fatal(err)
		}
		if res.ByGit != "" {
			b.Fatalf("committed by git: %s", res.ByGit)
		}
	}
	b.StopTimer()
	if fi, err := os.Stat(filepath.Join(dir, ".git", "index")); err == nil {
		b.ReportMetric(float64(fi.Size())/1e6, "index-MB")
	}
	if out := runGit(b, dir, "status", "--porcelain"); out != "" {
		b.Fatalf("status after the benchmark: %q", out)
	}
}
