package repo

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// The gitparity suite is DESIGN §4's rule made into a test: for the user's
// repository a pm commit is indistinguishable from `git commit -- FILE` of
// the same change. Each scenario builds two identical repositories, makes
// the same change in both, commits it with the real git CLI in one and with
// CommitFile in the other, and compares what a user could see: the commit
// (its id, so tree, parents, identity, dates and message all at once, where
// nothing random such as a signature is in it), the tree, `git ls-files
// --eol`, the signature status, which hooks ran with what message, `git
// status`, `git diff --cached`, the exit status where git refuses, and git
// fsck --strict.

const parityMsg = "pm(2026-11-24-api): observe: nginx says upstream connect() failed\n\nPm-Incident: 2026-11-24-api\nPm-Kind: observe\n"

// parityCase is one scenario. setup runs in each of the two repositories
// after the base commit (unless unborn), with identical results since every
// date is fixed. file is written with content in both, then committed.
type parityCase struct {
	name     string
	unborn   bool
	setup    func(t *testing.T, dir string)
	file     string // default postmortems/2026-11-24-api.md
	content  string // default two LF lines
	noVerify bool
	// sub is the folder, below the repository built, that is the work tree
	// to commit in (a submodule, a linked worktree); "" for the root.
	sub string
	// env is extra environment for both sides, given the repository.
	env func(dir string) map[string]string
	// byGit is whether pm must hand this commit to git (false: the
	// plumbing path must make the identical commit itself).
	byGit bool
	// signed: compare %G? instead of commit ids (signatures differ).
	signed bool
	// fails: git refuses the commit; pm must refuse too.
	fails bool
	// umask, when not 0, is the process's umask for both commits.
	umask int
}

// hookScript logs the hook's name, the index it was given (without the
// pid in a temporary index's name) and the first line of any message file into hooks.log in the git dir; prepare-commit-msg
// also adds a trailer, which the commit must then carry. exit is its status.
func hookScript(name string, exit int) string {
	s := "#!/bin/sh\n" +
		`log="$(git rev-parse --git-common-dir)/hooks.log"` + "\n" +
		`idx=""; [ -n "$GIT_INDEX_FILE" ] && idx="$(basename "$GIT_INDEX_FILE" | tr -d 0-9)"` + "\n" +
		`msg=""; [ -f "$1" ] && msg="$(head -n 1 "$1")"` + "\n" +
		`echo "` + name + ` index=$idx args=$# msg=$msg" >> "$log"` + "\n"
	if name == "prepare-commit-msg" {
		s += `printf 'Hooked-By: prepare-commit-msg\n' >> "$1"` + "\n"
	}
	return s + fmt.Sprintf("exit %d\n", exit)
}

func withHook(name string, exit int) func(*testing.T, string) {
	return func(t *testing.T, dir string) {
		p := filepath.Join(dir, ".git", "hooks", name)
		putFile(t, p, hookScript(name, exit))
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

// parityEnv is the fixed identity and dates both sides commit with.
func parityEnv() map[string]string {
	when := fmt.Sprintf("@%d +0000", testWhen.Unix())
	return map[string]string{
		"GIT_AUTHOR_NAME": "Alice Responder", "GIT_AUTHOR_EMAIL": "alice@example.com", "GIT_AUTHOR_DATE": when,
		"GIT_COMMITTER_NAME": "Alice Responder", "GIT_COMMITTER_EMAIL": "alice@example.com", "GIT_COMMITTER_DATE": when,
	}
}

// gitIn runs git in dir with env added, returning output and error.
func gitIn(dir string, env map[string]string, stdin string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = os.Environ()
	for k, v := range parityEnv() {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func mustGitIn(t *testing.T, dir string, env map[string]string, args ...string) string {
	t.Helper()
	out, err := gitIn(dir, env, "", args...)
	if err != nil {
		t.Fatalf("git %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return out
}

// parityRepo builds one of the two repositories of a case.
func parityRepo(t *testing.T, c parityCase) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "repo")
	mustGitIn(t, t.TempDir(), nil, "init", "-q", "-b", "main", dir)
	if !c.unborn {
		putFile(t, filepath.Join(dir, "README.md"), "readme\n")
		putFile(t, filepath.Join(dir, "postmortems", "2026-11-24-api.md"), "# API\n")
		putFile(t, filepath.Join(dir, "postmortems", "older.md"), "# older\n")
		putFile(t, filepath.Join(dir, "src", "deep", "main.go"), "package main\n")
		mustGitIn(t, dir, nil, "add", ".")
		mustGitIn(t, dir, nil, "commit", "-q", "-m", "base")
	}
	if c.setup != nil {
		c.setup(t, dir)
	}
	return dir
}

func TestGitParity(t *testing.T) {
	isolateGit(t)
	for _, k := range []string{"GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"} {
		t.Setenv(k, parityEnv()[k])
	}
	cases := []parityCase{
		{name: "plain"},
		{name: "new-file", file: "postmortems/2026-11-25-new.md"},
		{name: "unborn", unborn: true},
		{name: "index-v4", setup: func(t *testing.T, d string) { mustGitIn(t, d, nil, "update-index", "--index-version", "4") }},
		{name: "split-index", byGit: true, setup: func(t *testing.T, d string) { mustGitIn(t, d, nil, "update-index", "--split-index") }},
		{name: "sparse-index", byGit: true, setup: func(t *testing.T, d string) {
			mustGitIn(t, d, nil, "sparse-checkout", "set", "--sparse-index", "postmortems")
		}},
		{name: "autocrlf-crlf-content", byGit: true, content: "# API\r\nline two\r\n", setup: func(t *testing.T, d string) {
			mustGitIn(t, d, nil, "config", "core.autocrlf", "true")
		}},
		{name: "autocrlf-lf-content", content: "# API\nline two\n", setup: func(t *testing.T, d string) {
			mustGitIn(t, d, nil, "config", "core.autocrlf", "true")
		}},
		{name: "eol-attributes", byGit: true, content: "# API\r\nline two\r\n", setup: func(t *testing.T, d string) {
			putFile(t, filepath.Join(d, ".gitattributes"), "* text=auto eol=crlf\n")
			mustGitIn(t, d, nil, "add", ".gitattributes")
			mustGitIn(t, d, nil, "commit", "-q", "-m", "attributes")
		}},
		{name: "clean-filter", byGit: true, setup: func(t *testing.T, d string) {
			putFile(t, filepath.Join(d, "postmortems", ".gitattributes"), "*.md filter=upper\n")
			mustGitIn(t, d, nil, "config", "filter.upper.clean", "tr a-z A-Z")
			mustGitIn(t, d, nil, "config", "filter.upper.smudge", "cat")
			// Renormalize, so that files committed before the filter are
			// stored filtered in both repositories alike: whether plain
			// git add re-reads a stat-clean file depends on the clock
			// (racy git), which made the two repositories differ.
			mustGitIn(t, d, nil, "add", "--renormalize", ".")
			mustGitIn(t, d, nil, "commit", "-q", "-m", "filter")
		}},
		{name: "unconfigured-filter", setup: func(t *testing.T, d string) {
			putFile(t, filepath.Join(d, ".gitattributes"), "*.md filter=lfs\n")
			mustGitIn(t, d, nil, "add", ".")
			mustGitIn(t, d, nil, "commit", "-q", "-m", "attributes")
		}},
		{name: "linked-worktree", sub: "../wt", setup: func(t *testing.T, d string) {
			mustGitIn(t, d, nil, "worktree", "add", "-q", "-b", "incident", "../wt")
		}},
		{name: "submodule", sub: "sub", setup: func(t *testing.T, d string) {
			src := filepath.Join(filepath.Dir(d), "subsrc")
			mustGitIn(t, filepath.Dir(d), nil, "init", "-q", "-b", "main", src)
			putFile(t, filepath.Join(src, "postmortems", "2026-11-24-api.md"), "# sub\n")
			mustGitIn(t, src, nil, "add", ".")
			mustGitIn(t, src, nil, "commit", "-q", "-m", "sub base")
			mustGitIn(t, d, nil, "-c", "protocol.file.allow=always", "submodule", "add", "-q", "../subsrc", "sub")
			mustGitIn(t, d, nil, "commit", "-q", "-m", "add submodule")
			mustGitIn(t, filepath.Join(d, "sub"), nil, "switch", "-q", "main")
		}},
		{name: "git-dir-and-work-tree", env: func(d string) map[string]string {
			return map[string]string{"GIT_DIR": filepath.Join(filepath.Dir(d), "elsewhere.git"), "GIT_WORK_TREE": d}
		}, setup: func(t *testing.T, d string) {
			if err := os.Rename(filepath.Join(d, ".git"), filepath.Join(filepath.Dir(d), "elsewhere.git")); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "gpg-signed", byGit: true, signed: true, setup: signWithGPG},
		{name: "ssh-signed", byGit: true, signed: true, setup: signWithSSH},
		{name: "hooks-path", byGit: true, setup: func(t *testing.T, d string) {
			mustGitIn(t, d, nil, "config", "core.hooksPath", "githooks")
			p := filepath.Join(d, "githooks", "commit-msg")
			putFile(t, p, hookScript("commit-msg", 0))
			os.Chmod(p, 0o755)
		}},
		{name: "hook-not-executable", setup: func(t *testing.T, d string) {
			putFile(t, filepath.Join(d, ".git", "hooks", "pre-commit"), hookScript("pre-commit", 1))
		}},
		{name: "no-verify", byGit: true, noVerify: true, setup: func(t *testing.T, d string) {
			withHook("pre-commit", 1)(t, d)
			withHook("commit-msg", 1)(t, d)
			withHook("post-commit", 0)(t, d)
		}},
		{name: "no-verify-only-verify-hooks", noVerify: true, setup: withHook("pre-commit", 1)},
		// The modes of what the commit writes (objects, their folders, the
		// ref, the index, the reflog) follow the umask and
		// core.sharedRepository as git's do.
		{name: "umask-077", umask: 0o077},
		{name: "umask-002", umask: 0o002},
		{name: "shared-group", setup: sharedRepo("group")},
		{name: "shared-all", setup: sharedRepo("all")},
		{name: "shared-0640", setup: sharedRepo("0640")},
		{name: "shared-group-umask-077", umask: 0o077, setup: sharedRepo("group")},
	}
	for _, h := range []string{"pre-commit", "prepare-commit-msg", "commit-msg", "post-commit"} {
		cases = append(cases,
			parityCase{name: h + "-passes", byGit: true, setup: withHook(h, 0)},
			// A failing post-commit hook does not undo the commit, in git.
			parityCase{name: h + "-fails", byGit: true, fails: h != "post-commit", setup: withHook(h, 1)})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkParity(t, c) })
	}
}

// sharedRepo sets core.sharedRepository, as git init --shared=VALUE does,
// and gives the existing objects folder its modes.
func sharedRepo(value string) func(*testing.T, string) {
	return func(t *testing.T, d string) {
		mustGitIn(t, d, nil, "config", "core.sharedRepository", value)
	}
}

func checkParity(t *testing.T, c parityCase) {
	if c.umask != 0 {
		old := syscall.Umask(c.umask)
		defer syscall.Umask(old)
	}
	if c.file == "" {
		c.file = "postmortems/2026-11-24-api.md"
	}
	if c.content == "" {
		c.content = "# API\n- observe nginx says upstream connect() failed\n"
	}
	viaGit, viaPM := parityRepo(t, c), parityRepo(t, c)
	env := func(dir string) map[string]string {
		if c.env == nil {
			return nil
		}
		return c.env(dir)
	}
	wt := func(dir string) string { return filepath.Clean(filepath.Join(dir, c.sub)) }

	// git commit -- FILE, the way a user commits one file (adding it
	// first when git does not track it yet).
	putFile(t, filepath.Join(wt(viaGit), c.file), c.content)
	if _, err := gitIn(wt(viaGit), env(viaGit), "", "ls-files", "--error-unmatch", "--", c.file); err != nil {
		mustGitIn(t, wt(viaGit), env(viaGit), "add", "--", c.file)
	}
	args := []string{"commit", "-q", "-F", "-"}
	if c.noVerify {
		args = append(args, "--no-verify")
	}
	out, gitErr := gitIn(wt(viaGit), env(viaGit), parityMsg, append(args, "--", c.file)...)
	if (gitErr != nil) != c.fails {
		t.Fatalf("git commit: err %v, want failure %v\n%s", gitErr, c.fails, out)
	}

	// The same with pm.
	putFile(t, filepath.Join(wt(viaPM), c.file), c.content)
	pmEnv := env(viaPM)
	getenv := func(k string) string {
		if v, ok := pmEnv[k]; ok {
			return v
		}
		return os.Getenv(k)
	}
	r, err := FindEnv(wt(viaPM), getenv)
	if err != nil {
		t.Fatalf("FindEnv: %v", err)
	}
	req := testRequest(c.file, parityMsg)
	req.NoVerify, req.Getenv = c.noVerify, getenv
	res, pmErr := r.CommitFile(req)
	if (pmErr != nil) != c.fails {
		t.Fatalf("CommitFile: err %v, want failure %v (git said %q)", pmErr, c.fails, out)
	}
	if pmErr == nil && (res.ByGit != "") != c.byGit {
		t.Errorf("ByGit = %q, want git %v", res.ByGit, c.byGit)
	}
	var ce *CommitError
	if pmErr != nil && !errors.As(pmErr, &ce) {
		t.Errorf("CommitFile error %T, want *CommitError", pmErr)
	}

	same := func(what string, args ...string) {
		t.Helper()
		a, errA := gitIn(wt(viaGit), env(viaGit), "", args...)
		b, errB := gitIn(wt(viaPM), env(viaPM), "", args...)
		if a != b || (errA != nil) != (errB != nil) {
			t.Errorf("%s differs:\ngit: %q (%v)\npm:  %q (%v)", what, a, errA, b, errB)
		}
	}
	if !c.signed {
		same("commit id", "rev-parse", "HEAD")
	}
	same("tree", "rev-parse", "HEAD^{tree}")
	same("message", "log", "-1", "--format=%B")
	same("identity and dates", "log", "-1", "--format=%an <%ae> %ad | %cn <%ce> %cd")
	same("signature status", "log", "-1", "--format=%G?")
	same("ls-files --eol", "ls-files", "--eol", "--", c.file)
	same("status", "status", "--porcelain", "--untracked-files=no")
	same("staged", "diff", "--cached", "--name-status")
	same("index entry", "ls-files", "-s", "--", c.file)
	if !c.fails && !c.byGit {
		if a, b := writtenModes(t, wt(viaGit), env(viaGit), c.file), writtenModes(t, wt(viaPM), env(viaPM), c.file); a != b {
			t.Errorf("modes of what the commit wrote differ:\ngit:\n%s\npm:\n%s", a, b)
		}
	}
	hooksLog := func(dir string) string {
		common := strings.TrimSpace(mustGitIn(t, wt(dir), env(dir), "rev-parse", "--path-format=absolute", "--git-common-dir"))
		b, _ := os.ReadFile(filepath.Join(common, "hooks.log"))
		return string(b)
	}
	if a, b := hooksLog(viaGit), hooksLog(viaPM); a != b {
		t.Errorf("hooks ran differently:\ngit:\n%s\npm:\n%s", a, b)
	}
	if c.signed {
		if got := strings.TrimSpace(mustGitIn(t, wt(viaPM), env(viaPM), "log", "-1", "--format=%G?")); got != "G" {
			t.Errorf("pm's commit signature status %q, want G (good)", got)
		}
	}
	if out, err := gitIn(wt(viaPM), env(viaPM), "", "fsck", "--strict", "--no-progress", "--no-dangling"); err != nil || strings.TrimSpace(out) != "" {
		t.Errorf("git fsck --strict: %v\n%s", err, out)
	}
}

// writtenModes lists the modes of what a commit writes in the git dir:
// the commit's, tree's and blob's objects and their fan-out folders, the
// branch's ref file, the index and HEAD's reflog.
func writtenModes(t *testing.T, dir string, env map[string]string, file string) string {
	t.Helper()
	common := strings.TrimSpace(mustGitIn(t, dir, env, "rev-parse", "--path-format=absolute", "--git-common-dir"))
	gitDir := strings.TrimSpace(mustGitIn(t, dir, env, "rev-parse", "--path-format=absolute", "--git-dir"))
	index := strings.TrimSpace(mustGitIn(t, dir, env, "rev-parse", "--path-format=absolute", "--git-path", "index"))
	ids := strings.Fields(mustGitIn(t, dir, env, "rev-parse", "HEAD", "HEAD^{tree}", "HEAD:"+path.Dir(file), "HEAD:"+file))
	ref := strings.TrimSpace(mustGitIn(t, dir, env, "symbolic-ref", "-q", "HEAD"))
	paths := map[string]string{"index": index, "reflog HEAD": filepath.Join(gitDir, "logs", "HEAD"), "ref": filepath.Join(common, filepath.FromSlash(ref))}
	for i, id := range ids {
		obj := filepath.Join(common, "objects", id[:2], id[2:])
		paths[fmt.Sprintf("object %d", i)] = obj
		paths[fmt.Sprintf("object %d folder", i)] = filepath.Dir(obj)
	}
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(paths)) {
		fi, err := os.Stat(paths[k])
		mode := "missing"
		if err == nil {
			mode = fi.Mode().String()
		}
		fmt.Fprintf(&b, "%s %s\n", k, mode)
	}
	return b.String()
}

// signWithGPG makes an OpenPGP key (no passphrase) in a GNUPGHOME of the
// test's and has the repository sign every commit with it.
func signWithGPG(t *testing.T, d string) {
	if _, err := exec.LookPath("gpg"); err != nil {
		t.Skip("gpg is not installed (apt-get install gnupg)")
	}
	home := os.Getenv("GNUPGHOME")
	if home == "" || !strings.HasPrefix(home, os.TempDir()) {
		home = filepath.Join(t.TempDir(), "gnupg")
		if err := os.MkdirAll(home, 0o700); err != nil {
			t.Fatal(err)
		}
		t.Setenv("GNUPGHOME", home)
		cmd := exec.Command("gpg", "--batch", "--passphrase", "", "--quick-gen-key", "Alice Responder <alice@example.com>", "ed25519", "sign", "never")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("gpg key: %v\n%s", err, out)
		}
	}
	mustGitIn(t, d, nil, "config", "user.signingkey", "alice@example.com")
	mustGitIn(t, d, nil, "config", "commit.gpgsign", "true")
}

// signWithSSH makes an ed25519 key with ssh-keygen and has the repository
// sign with it (gpg.format=ssh), trusting it in an allowed-signers file so
// that %G? can say G.
func signWithSSH(t *testing.T, d string) {
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		t.Skip("ssh-keygen is not installed (apt-get install openssh-client)")
	}
	key := filepath.Join(filepath.Dir(d), "id_ed25519")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice", "-f", key).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	pub, err := os.ReadFile(key + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	allowed := filepath.Join(filepath.Dir(d), "allowed_signers")
	putFile(t, allowed, "alice@example.com "+string(pub))
	mustGitIn(t, d, nil, "config", "gpg.format", "ssh")
	mustGitIn(t, d, nil, "config", "user.signingkey", key+".pub")
	mustGitIn(t, d, nil, "config", "gpg.ssh.allowedSignersFile", allowed)
	mustGitIn(t, d, nil, "config", "commit.gpgsign", "true")
}

// TestGitParityDiscovery: where git finds a repository from a folder, pm
// finds the same work tree and git dir; where git refuses, pm refuses.
func TestGitParityDiscovery(t *testing.T) {
	isolateGit(t)
	top := t.TempDir()
	repo := filepath.Join(top, "repo")
	mustGitIn(t, top, nil, "init", "-q", "-b", "main", repo)
	putFile(t, filepath.Join(repo, "a", "b", "f.txt"), "f\n")
	bare := filepath.Join(top, "bare.git")
	mustGitIn(t, top, nil, "init", "-q", "--bare", bare)

	cases := []struct {
		name string
		dir  string
		env  map[string]string
	}{
		{"root", repo, nil},
		{"subfolder", filepath.Join(repo, "a", "b"), nil},
		{"inside-git-dir", filepath.Join(repo, ".git", "refs"), nil},
		{"bare", bare, nil},
		{"ceiling", filepath.Join(repo, "a", "b"), map[string]string{"GIT_CEILING_DIRECTORIES": filepath.Join(repo, "a")}},
		{"ceiling-above-root", filepath.Join(repo, "a", "b"), map[string]string{"GIT_CEILING_DIRECTORIES": top}},
		{"git-dir", top, map[string]string{"GIT_DIR": filepath.Join(repo, ".git")}},
		{"git-dir-work-tree", top, map[string]string{"GIT_DIR": filepath.Join(repo, ".git"), "GIT_WORK_TREE": repo}},
		{"outside", top, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, gitErr := gitIn(c.dir, c.env, "", "rev-parse", "--path-format=absolute", "--show-toplevel", "--git-dir")
			getenv := func(k string) string {
				if v, ok := c.env[k]; ok {
					return v
				}
				return os.Getenv(k)
			}
			r, err := FindEnv(c.dir, getenv)
			if (gitErr != nil) != (err != nil) {
				t.Fatalf("git: %q %v; pm: %+v %v", out, gitErr, r, err)
			}
			if err != nil {
				return
			}
			if want := fmt.Sprintf("%s\n%s\n", r.Root, r.GitDir); out != want {
				t.Errorf("git says\n%spm says\n%s", out, want)
			}
		})
	}
}

// TestGitParityOwnership: in a repository that belongs to another user, git
// refuses ("dubious ownership") and so does pm, until safe.directory says
// otherwise. Changing a folder's owner needs root.
func TestGitParityOwnership(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give a repository to another user")
	}
	isolateGit(t)
	dir := filepath.Join(t.TempDir(), "theirs")
	mustGitIn(t, filepath.Dir(dir), nil, "init", "-q", "-b", "main", dir)
	for _, p := range []string{dir, filepath.Join(dir, ".git")} {
		if err := os.Chown(p, 12345, 12345); err != nil {
			t.Fatal(err)
		}
	}
	out, gitErr := gitIn(dir, nil, "", "status", "--porcelain")
	_, err := FindEnv(dir, os.Getenv)
	var dub *DubiousOwnershipError
	if gitErr == nil || !strings.Contains(out, "dubious ownership") || !errors.As(err, &dub) {
		t.Fatalf("git: %v %q; pm: %v", gitErr, out, err)
	}
	if !strings.Contains(err.Error(), "git config --global --add safe.directory "+dir) {
		t.Errorf("pm's advice %q lacks git's command", err)
	}
	mustGitIn(t, dir, nil, "config", "--global", "--add", "safe.directory", dir)
	if _, err := gitIn(dir, nil, "", "status"); err != nil {
		t.Fatal("git still refuses after safe.directory")
	}
	if _, err := FindEnv(dir, os.Getenv); err != nil {
		t.Errorf("pm refuses after safe.directory: %v", err)
	}
	mustGitIn(t, dir, nil, "config", "--global", "--add", "safe.directory", "")
	if _, err := FindEnv(dir, os.Getenv); err == nil {
		t.Error("an empty safe.directory must reset the list, as in git")
	}
}
