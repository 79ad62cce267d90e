package repo

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing/format/gitattributes"

	"github.com/pm-tool/pm/internal/incident"
)

// This file decides when a commit cannot be made faithfully in-process and
// hands it to the git binary instead. pm's rule (DESIGN §4) is that its
// commit is indistinguishable from `git commit -- FILE`; the plumbing fast
// path is exactly that only when git itself would do nothing but write the
// blob, the trees, the commit, the ref and the index entry. Whatever else
// git would do — run a hook, sign, convert line endings, run a clean filter,
// keep a split or sparse index — is done by running git, which is the one
// faithful implementation of it. The plain case never runs git.

// hookNames are the hooks `git commit -- FILE` may run. pre-commit and
// commit-msg are skipped by --no-verify, as in git; the others always run.
// reference-transaction and post-index-change run on every ref and index
// update git makes, so a repository that has them gets git too.
var (
	verifyHooks = []string{"pre-commit", "commit-msg"}
	alwaysHooks = []string{"prepare-commit-msg", "post-commit", "reference-transaction", "post-index-change"}
)

// hooksDir is where git looks for hooks: core.hooksPath (relative to the
// work tree root, where git runs hooks; ~ expanded), else CommonDir/hooks.
func (r *Repo) hooksDir(cfg *configSet, getenv func(string) string) string {
	if p, ok := cfg.get("core", "", "hookspath"); ok && p != "" {
		p = expandHome(p, getenv)
		if !filepath.IsAbs(p) {
			p = filepath.Join(r.Root, p)
		}
		return p
	}
	return filepath.Join(r.CommonDir, "hooks")
}

// hooksThatRun lists the hooks git would run for this commit: files in the
// hooks folder that are executable (git ignores the others, with a hint).
func (r *Repo) hooksThatRun(cfg *configSet, getenv func(string) string, noVerify bool) []string {
	names := alwaysHooks
	if !noVerify {
		names = append(append([]string{}, verifyHooks...), alwaysHooks...)
	}
	return r.executableHooks(cfg, getenv, names)
}

// executableHooks lists those of names that git would run: files in the
// hooks folder that are executable (git ignores the others, with a hint).
func (r *Repo) executableHooks(cfg *configSet, getenv func(string) string, names []string) []string {
	dir := r.hooksDir(cfg, getenv)
	var run []string
	for _, n := range names {
		fi, err := os.Stat(filepath.Join(dir, n))
		if err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			run = append(run, n)
		}
	}
	return run
}

// needsGit says why git must make this commit, or "" when the plumbing path
// gives the same result. content is the file as it is in the work tree.
func (r *Repo) needsGit(cfg *configSet, getenv func(string) string, rel string, content []byte, noVerify bool) string {
	if hooks := r.hooksThatRun(cfg, getenv, noVerify); len(hooks) > 0 {
		return "the " + strings.Join(hooks, ", ") + " hook"
	}
	if cfg.boolean("commit", "", "gpgsign", false) {
		return "commit.gpgsign (signing)"
	}
	attrs, err := r.attributes(cfg, getenv, rel)
	if err != nil {
		return "its .gitattributes (" + err.Error() + ")"
	}
	for _, name := range []string{"filter", "ident", "working-tree-encoding"} {
		if a, ok := attrs[name]; ok && !a.IsUnset() && !a.IsUnspecified() {
			if name == "filter" && !r.filterConfigured(cfg, a.Value()) {
				continue // git ignores a filter driver that is not configured
			}
			return "the " + name + " attribute"
		}
	}
	// End-of-line conversion only ever turns CRLF into LF on the way in, so
	// a file without CR is stored as it is whatever the settings say.
	if bytes.IndexByte(content, '\r') < 0 {
		return ""
	}
	for _, name := range []string{"text", "eol", "crlf"} {
		if a, ok := attrs[name]; ok && !a.IsUnspecified() {
			return "the " + name + " attribute (line endings)"
		}
	}
	if v, ok := cfg.get("core", "", "autocrlf"); ok && (strings.EqualFold(v, "input") || configBool(v, true, false)) {
		return "core.autocrlf (line endings)"
	}
	return ""
}

// filterConfigured: a filter attribute takes effect only when
// filter.NAME.clean or .process is configured.
func (r *Repo) filterConfigured(cfg *configSet, name string) bool {
	for _, k := range []string{"clean", "process"} {
		if v, ok := cfg.get("filter", name, k); ok && v != "" {
			return true
		}
	}
	return false
}

// attributes are the git attributes of rel that bear on how it is stored,
// read from the files git reads for it: core.attributesFile (default
// $XDG_CONFIG_HOME/git/attributes), the .gitattributes files from the root
// down to the file's folder, and GitDir/info/attributes, lowest priority
// first. Only these few small files are read, never the whole tree.
func (r *Repo) attributes(cfg *configSet, getenv func(string) string, rel string) (map[string]gitattributes.Attribute, error) {
	var stack []gitattributes.MatchAttribute
	read := func(file string, domain []string, macros bool) error {
		data, err := os.ReadFile(file)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) || errors.Is(err, os.ErrPermission) {
				return nil
			}
			return err
		}
		m, err := gitattributes.ReadAttributes(bytes.NewReader(data), domain, macros)
		if err != nil {
			return fmt.Errorf("%s: %v", file, err)
		}
		stack = append(stack, m...)
		return nil
	}
	global, ok := cfg.get("core", "", "attributesfile")
	if ok && global != "" {
		global = expandHome(global, getenv)
	} else if xdg := getenv("XDG_CONFIG_HOME"); xdg != "" {
		global = filepath.Join(xdg, "git", "attributes")
	} else if home := getenv("HOME"); home != "" {
		global = filepath.Join(home, ".config", "git", "attributes")
	}
	if global != "" {
		if err := read(global, nil, true); err != nil {
			return nil, err
		}
	}
	parts := strings.Split(rel, "/")
	for i := 0; i < len(parts); i++ {
		if err := read(filepath.Join(r.Root, filepath.Join(parts[:i]...), ".gitattributes"), parts[:i], i == 0); err != nil {
			return nil, err
		}
	}
	if err := read(filepath.Join(r.CommonDir, "info", "attributes"), nil, true); err != nil {
		return nil, err
	}
	if len(stack) == 0 {
		return nil, nil
	}
	attrs, _ := gitattributes.NewMatcher(stack).Match(parts, nil)
	return attrs, nil
}

// gitDate is a signature's time as git reads it from GIT_AUTHOR_DATE:
// seconds since the epoch and the zone, so the commit git makes carries
// exactly the time pm would have written.
func gitDate(s Signature) string {
	return fmt.Sprintf("@%d %s", s.When.Unix(), s.When.Format("-0700"))
}

// commitWithGit makes the commit by running `git commit -- FILE` in the work
// tree, with pm's message and the identity and times pm resolved, so that
// everything git does for a commit (hooks, signing, filters, the index)
// happens as it does for the user's own commits. A file git does not track
// yet is added first (`git commit -- FILE` refuses untracked paths). why
// says what made git necessary, for the error.
func (r *Repo) commitWithGit(req CommitRequest, why string, tracked bool) (CommitResult, error) {
	rel := req.Path
	git, err := exec.LookPath("git")
	if err != nil {
		return CommitResult{}, &CommitError{Reason: "commit " + rel + ": " + why + " needs the git program to commit faithfully, and git is not installed",
			Hint: "install git, then commit the file with git commit -- " + ShellQuote(rel)}
	}
	env := append([]string{},
		"GIT_AUTHOR_NAME="+cleanIdent(req.Author.Name), "GIT_AUTHOR_EMAIL="+cleanIdent(req.Author.Email), "GIT_AUTHOR_DATE="+gitDate(req.Author),
		"GIT_COMMITTER_NAME="+cleanIdent(req.Committer.Name), "GIT_COMMITTER_EMAIL="+cleanIdent(req.Committer.Email), "GIT_COMMITTER_DATE="+gitDate(req.Committer),
		"GIT_EDITOR=:", "GIT_TERMINAL_PROMPT=0")
	run := func(stdin string, args ...string) (string, error) {
		return r.runGitAt(git, env, stdin, 0, args...)
	}
	if !tracked {
		if out, err := run("", "add", "--", rel); err != nil {
			return CommitResult{}, &CommitError{Reason: "commit " + rel + ": git add failed: " + strings.TrimSpace(incident.PrintableLines(out)), Hint: "fix what git says, then run git add and git commit -- " + ShellQuote(rel)}
		}
	}
	args := []string{"commit", "-q", "-F", "-"}
	if req.NoVerify {
		args = append(args, "--no-verify")
	}
	args = append(args, "--", rel)
	out, err := run(req.Message, args...)
	if err != nil {
		what := "git commit failed"
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() > 0 {
			what = "git commit refused it (run for " + why + ")"
		}
		msg := strings.TrimSpace(incident.PrintableLines(out))
		if msg != "" {
			msg = ":\n" + msg
		}
		return CommitResult{}, &CommitError{Reason: "commit " + rel + ": " + what + msg}
	}
	branch, err := r.headTarget()
	if err != nil {
		return CommitResult{}, &CommitError{Reason: "commit " + rel + ": " + err.Error()}
	}
	_, h, exists, err := r.resolveRef(branch)
	if err != nil || !exists {
		return CommitResult{}, &CommitError{Reason: "commit " + rel + ": git committed, but pm cannot read the branch afterwards", Hint: "check git log"}
	}
	return CommitResult{Hash: h.String(), Output: incident.PrintableLines(out), ByGit: why}, nil
}

// errGitTimeout is a git command stopped because it took longer than it
// was given (a fetch from a remote that does not answer).
var errGitTimeout = errors.New("git took too long")

// runGit runs the git program in the work tree with the environment plus
// env, stdin as its input, and returns what it printed (stdout and stderr
// together, as a terminal shows them). A timeout above 0 stops it, and
// everything it started (ssh, a credential helper), after that long:
// errGitTimeout.
func (r *Repo) runGit(env []string, stdin string, timeout time.Duration, args ...string) (string, error) {
	git, err := exec.LookPath("git")
	if err != nil {
		return "", err
	}
	return r.runGitAt(git, env, stdin, timeout, args...)
}

func (r *Repo) runGitAt(git string, env []string, stdin string, timeout time.Duration, args ...string) (string, error) {
	cmd := exec.Command(git, args...)
	cmd.Dir = r.Root
	cmd.Env = append(append(os.Environ(), r.gitEnv...), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if timeout <= 0 {
		err := cmd.Run()
		return out.String(), err
	}
	setProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		return "", err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return out.String(), err
	case <-time.After(timeout):
		killProcessGroup(cmd)
		<-done //nolint:errcheck // killed: its error says only that
		return out.String(), errGitTimeout
	}
}
