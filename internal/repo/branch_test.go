package repo

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBranchCheckoutSigns: where commit.gpgsign is set, the root commit pm
// starts sync.branch with is signed as git commit would sign it (git
// commit-tree alone ignores commit.gpgsign), and the worktree pm returns
// is a checkout of that branch inside the git dir.
func TestBranchCheckoutSigns(t *testing.T) {
	isolateGit(t)
	d := filepath.Join(t.TempDir(), "repo")
	mustGitIn(t, filepath.Dir(d), nil, "init", "-q", "-b", "main", d)
	mustGitIn(t, d, nil, "commit", "-q", "--allow-empty", "-m", "init")
	signWithSSH(t, d)
	r, err := Find(d)
	if err != nil {
		t.Fatal(err)
	}
	wt, made, err := r.BranchCheckout("incidents", BranchOptions{Lock: time.Second, Wait: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if want := "started branch incidents for incident files (this repository has no remote yet)"; made != want {
		t.Errorf("made = %q, want %q", made, want)
	}
	if want := filepath.Join(r.CommonDir, "pm", "worktrees", "incidents"); wt.Root != want {
		t.Errorf("worktree at %s, want %s", wt.Root, want)
	}
	if got := strings.TrimSpace(mustGitIn(t, d, nil, "log", "-1", "--format=%G? %T", "incidents")); got != "G "+emptyTree {
		t.Errorf("root commit: %%G? %%T = %q, want a good signature on the empty tree", got)
	}
	if got := strings.TrimSpace(mustGitIn(t, d, nil, "rev-parse", "--abbrev-ref", "HEAD")); got != "main" {
		t.Errorf("the user's checkout moved to %s", got)
	}
	again, made, err := r.BranchCheckout("incidents", BranchOptions{Lock: time.Second})
	if err != nil || made != "" || again.Root != wt.Root {
		t.Errorf("second call: %v, made %q, root %s; want the same worktree, made nothing", err, made, again.Root)
	}
}

// TestBranchCheckoutWithoutGit: without the git program the error says
// what is missing and the way out, not an exec error alone.
func TestBranchCheckoutWithoutGit(t *testing.T) {
	isolateGit(t)
	d := filepath.Join(t.TempDir(), "repo")
	mustGitIn(t, filepath.Dir(d), nil, "init", "-q", "-b", "main", d)
	r, err := Find(d)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", t.TempDir())
	_, _, err = r.BranchCheckout("incidents", BranchOptions{Lock: time.Second})
	if err == nil || !strings.Contains(err.Error(), "git worktree list could not run") || !strings.HasSuffix(err.Error(), "install git, or remove sync.branch from .pm.yml") {
		t.Errorf("got %v", err)
	}
}
