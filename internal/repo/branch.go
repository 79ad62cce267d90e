package repo

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/pm-tool/pm/internal/incident"
)

// emptyTree is git's tree with no entries, the tree of a branch's root
// commit when pm starts it.
const emptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"

// This file is sync.branch (issue 14): where the team protects its main
// branch, incidents live on a branch of their own, and pm works on it
// without touching the user's checkout.
//
// pm keeps a linked worktree of that branch, CommonDir/pm/worktrees/BRANCH,
// made once with git worktree add, and every command then runs there as it
// would in any checkout: commits (with hooks and signing, as git commit in
// that worktree would make them), pm's lock, the journal, pm sync, pm lint
// and pm site. A worktree rather than commits by plumbing alone, because
// hooks need a work tree to run in and lint, site and the editor need the
// files; inside the git dir, because it is pm's and must never show in the
// user's git status. git worktree list shows it, and git worktree remove
// takes it away (pm makes it again when next needed).
//
// The branch comes from, in order: a worktree that already has it checked
// out (the user's own, say), the local branch, the remote's branch (fetched
// from the upstream remote of the current branch, else origin, within the
// sync wait), or, when nobody has started it yet, a new root commit with
// an empty tree: git worktree add has no --orphan before git 2.42, and a
// root commit of pm's own keeps the branch free of the code it protects.
// Two responders who both start it offline get two roots; pm sync merges
// unrelated histories of incident files like any others.

// BranchOptions tune BranchCheckout.
type BranchOptions struct {
	Getenv func(string) string
	// Wait bounds the fetch that looks for the branch on the remote.
	Wait time.Duration
	// Lock bounds the wait for pm's lock while the worktree is made.
	Lock time.Duration
}

// BranchCheckout returns the work tree in which pm keeps the incident files
// of branch: r itself when r has it checked out, else the worktree that
// has it, else pm's own worktree of it, made now (made says where the
// branch came from, for the user; "" when the worktree was there already).
func (r *Repo) BranchCheckout(branch string, opts BranchOptions) (wt *Repo, made string, err error) {
	ref := "refs/heads/" + branch
	if cur, err := r.headTarget(); err == nil && cur == ref {
		return r, "", nil
	}
	path := r.branchWorktreePath(branch)
	if wt, ok := openBranchWorktree(path, ref, opts.Getenv); ok {
		return wt, "", nil // the fast path of every command: two stats and a read
	}
	unlock, err := r.Lock(opts.Lock)
	if err != nil {
		return nil, "", err
	}
	defer func() { _ = unlock() }()
	if wt, ok := openBranchWorktree(path, ref, opts.Getenv); ok {
		return wt, "", nil // another pm made it while this one waited
	}
	if p, err := r.checkedOutAt(ref); err != nil {
		return nil, "", err
	} else if p != "" {
		if wt, ok := openBranchWorktree(p, ref, opts.Getenv); ok {
			return wt, "", nil
		}
	}
	how, err := r.startBranch(branch, opts)
	if err != nil {
		return nil, "", err
	}
	// A folder left by a worktree git no longer knows (git worktree prune,
	// or a copy of the repository) would make git worktree add refuse.
	_, _ = r.runGit(nil, "", 0, "worktree", "prune")
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, "", fmt.Errorf("%s is in the way of pm's checkout of branch %s: move it away, then run pm again", path, branch)
	}
	if out, err := r.runGit(nil, "", 0, "worktree", "add", "-q", path, branch); err != nil {
		return nil, "", branchGitError("git worktree add "+ShellQuote(path)+" "+branch, out, err)
	}
	wt, ok := openBranchWorktree(path, ref, opts.Getenv)
	if !ok {
		return nil, "", fmt.Errorf("git worktree add made %s, but it is not a checkout of %s: run git worktree list", path, branch)
	}
	return wt, how, nil
}

// branchWorktreePath is pm's worktree of branch.
func (r *Repo) branchWorktreePath(branch string) string {
	return filepath.Join(r.CommonDir, "pm", "worktrees", filepath.FromSlash(branch))
}

// openBranchWorktree opens the work tree at path when it is a checkout of
// ref. The environment's GIT_DIR, GIT_WORK_TREE and GIT_INDEX_FILE name the
// user's checkout, not this one: they are set to this one's, for discovery
// here and for every git pm runs in it.
func openBranchWorktree(path, ref string, getenv func(string) string) (*Repo, bool) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if _, err := os.Stat(filepath.Join(path, ".git")); err != nil {
		return nil, false
	}
	own := func(k string) string {
		switch k {
		case "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE":
			return ""
		}
		return getenv(k)
	}
	wt, err := FindEnv(path, own)
	if err != nil || wt.Root != filepath.Clean(path) {
		return nil, false
	}
	if head, err := wt.headTarget(); err != nil || head != ref {
		return nil, false // switched to another branch since: not pm's to use
	}
	wt.gitEnv = []string{"GIT_DIR=" + wt.GitDir, "GIT_WORK_TREE=" + wt.Root, "GIT_INDEX_FILE=" + wt.Index}
	return wt, true
}

// checkedOutAt is the work tree that has ref checked out, "" if none, as
// git worktree list reports it (git refuses to check a branch out twice).
func (r *Repo) checkedOutAt(ref string) (string, error) {
	out, err := r.runGit(nil, "", 0, "worktree", "list", "--porcelain")
	if err != nil {
		return "", branchGitError("git worktree list", out, err)
	}
	var at string
	for _, l := range strings.Split(out, "\n") {
		if p, ok := strings.CutPrefix(l, "worktree "); ok {
			at = p
		} else if l == "branch "+ref {
			return at, nil
		}
	}
	return "", nil
}

// startBranch makes the local branch when it does not exist: from the
// remote's when it has one, else as a new root. It says what it did.
func (r *Repo) startBranch(branch string, opts BranchOptions) (string, error) {
	ref := "refs/heads/" + branch
	if _, _, ok, err := r.resolveRef(ref); err != nil {
		return "", err
	} else if ok {
		return "incidents are on branch " + branch, nil
	}
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	cfg, err := r.loadConfig(getenv)
	if err != nil {
		return "", err
	}
	remote := r.branchRemote(cfg)
	if remote != "" {
		tracking := "refs/remotes/" + remote + "/" + branch
		// Within the wait: offline, pm starts the branch here, and pm sync
		// merges it with the remote's later.
		_, _ = r.runGit([]string{"GIT_TERMINAL_PROMPT=0"}, "", opts.Wait, "fetch", "-q", "--no-write-fetch-head", remote, "+"+ref+":"+tracking)
		if _, h, ok, err := r.resolveRef(tracking); err == nil && ok {
			if out, err := r.runGit(nil, "", 0, "branch", "-q", "--track", branch, strings.TrimPrefix(tracking, "refs/remotes/")); err != nil {
				return "", branchGitError("git branch "+branch, out, err)
			}
			return fmt.Sprintf("incidents are on branch %s, taken from %s (%s)", branch, remote, h.String()[:7]), nil
		}
	}
	// git mktree writes the empty tree, which git itself treats as always
	// there but pm reads from the object store, as git commit would have
	// written it. git commit-tree ignores commit.gpgsign, so -S asks for
	// the signature a commit of the user's would have; update-ref with an
	// empty old value creates the branch only if nobody did in between.
	if out, err := r.runGit(nil, "", 0, "mktree"); err != nil || strings.TrimSpace(out) != emptyTree {
		return "", branchGitError("git mktree", out, err)
	}
	args := []string{"commit-tree", emptyTree, "-m", "Start branch " + branch + " for incident files\n\nMade by pm for sync.branch in .pm.yml: incidents live here, apart from the code."}
	if cfg.boolean("commit", "", "gpgsign", false) {
		args = append(args, "-S")
	}
	out, err := r.runGit(nil, "", 0, args...)
	if err != nil {
		return "", branchGitError("git commit-tree (the first commit of "+branch+")", out, err)
	}
	root := strings.TrimSpace(out)
	if out, err := r.runGit(nil, "", 0, "update-ref", "-m", "pm: start branch "+branch, ref, root, ""); err != nil {
		return "", branchGitError("git update-ref "+ref, out, err)
	}
	where := "nobody has shared it yet"
	if remote == "" {
		where = "this repository has no remote yet"
	} else {
		// Its upstream, as git push -u would set it, so that pm sync
		// shares it through the remote it was looked for on.
		_, _ = r.runGit(nil, "", 0, "config", "branch."+branch+".remote", remote)
		_, _ = r.runGit(nil, "", 0, "config", "branch."+branch+".merge", ref)
	}
	return fmt.Sprintf("started branch %s for incident files (%s)", branch, where), nil
}

// branchRemote is the remote pm shares the branch through: the current
// branch's upstream remote, else origin, else the only remote.
func (r *Repo) branchRemote(cfg *configSet) string {
	if cur, err := r.headTarget(); err == nil {
		if rm, ok := cfg.get("branch", strings.TrimPrefix(cur, "refs/heads/"), "remote"); ok && rm != "" && rm != "." {
			return rm
		}
	}
	return defaultRemote(cfg)
}

// branchGitError is a git command of BranchCheckout's that failed, in
// words that say what to do: git missing, or what git said.
func branchGitError(what, out string, err error) error {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return fmt.Errorf("%s could not run (%v): pm needs the git program to keep the incidents on their own branch; install git, or remove sync.branch from .pm.yml", what, err)
	}
	said := strings.TrimSpace(incident.PrintableLines(out))
	if said == "" {
		said = "no output"
	}
	return fmt.Errorf("%s failed, and git said: %s; fix that, then run pm again", what, said)
}
