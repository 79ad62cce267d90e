package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/pm-tool/pm/internal/incident"
	"github.com/pm-tool/pm/internal/repo"
)

// lockTimeout bounds how long a command waits for another pm process on the
// same repository. Writers hold the lock for milliseconds, so waiting this
// long means something is stuck; the error then says which file to check.
// PM_LOCK_TIMEOUT (a Go duration such as 30s) changes it, for slow network
// file systems and for tests.
const lockTimeout = 10 * time.Second

func (w *workspace) lockTimeout() time.Duration {
	if d, err := time.ParseDuration(w.app.env.Getenv("PM_LOCK_TIMEOUT")); err == nil && d >= 0 {
		return d
	}
	return lockTimeout
}

// workspace is where a command works: the git work tree (or, outside git,
// the current folder) and its configuration.
type workspace struct {
	root string
	repo *repo.Repo // nil outside a git repository
	cfg  repo.Config
	app  *app
	// identity is resolved once per command: reading git's config files is
	// the same work for the entry's author and for the commit.
	identity *identity
}

type identity struct {
	author, committer repo.Signature
	err               error
}

// ident resolves the git identity once (w.repo must be set).
func (w *workspace) ident() identity {
	if w.identity == nil {
		a, c, err := w.repo.Identity(w.app.env.Getenv, w.app.env.Now())
		w.identity = &identity{a, c, err}
	}
	return *w.identity
}

func (a *app) openWorkspace() (*workspace, error) {
	w := &workspace{app: a, root: a.dir}
	r, err := repo.Find(a.dir)
	switch {
	case err == nil:
		w.repo, w.root = r, r.Root
	case errors.Is(err, repo.ErrNotRepository):
	default:
		return nil, err
	}
	cfg, err := repo.LoadConfig(w.root)
	if err != nil {
		return nil, asUsage(err)
	}
	w.cfg = cfg
	// Checked once here rather than in every command that lists, reads or
	// writes the folder, so the user gets one sentence instead of an
	// operating-system error from whichever command ran first.
	if fi, err := os.Stat(w.folder()); err == nil && !fi.IsDir() {
		return nil, usageError("%s is a file, but pm keeps incidents in a folder of that name; move the file away or set folder: in .pm.yml", w.display(w.folder()))
	}
	return w, nil
}

// folder is the absolute incident folder.
func (w *workspace) folder() string {
	return filepath.Join(w.root, filepath.FromSlash(w.cfg.Folder))
}

// rel is path relative to the repository root, slash-separated, as git
// names it.
func (w *workspace) rel(abs string) string {
	r, err := filepath.Rel(w.root, abs)
	if err != nil {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(r)
}

// display is path as the user should type it from where they are, the way
// git prints paths relative to the current folder.
func (w *workspace) display(abs string) string {
	r, err := filepath.Rel(w.app.dir, abs)
	if err != nil {
		return abs
	}
	return r
}

// lock serialises pm processes working on the same repository (or folder).
func (w *workspace) lock() (func() error, error) {
	var unlock func() error
	var err error
	if w.repo != nil {
		unlock, err = w.repo.Lock(w.lockTimeout())
	} else {
		if err := os.MkdirAll(w.folder(), 0o755); err != nil {
			return nil, err
		}
		unlock, err = repo.LockPath(filepath.Join(w.folder(), ".pm.lock"), w.lockTimeout())
	}
	if err != nil {
		if !errors.Is(err, repo.ErrLockTimeout) {
			// The lock file could not be made: the disk is full or
			// read-only, so the write would fail too. Say what to do.
			err = fmt.Errorf("%w; nothing was changed; %s", err, diskHint(err, ""))
		}
		return nil, &exitError{code: exitProblem, err: err}
	}
	return unlock, nil
}

// incidentFile is one incident file found in the folder; doc is nil when
// the file does not parse (err says why, with its line).
type incidentFile struct {
	id   string
	path string // absolute
	doc  *incident.Doc
	err  error
}

// incidentPaths lists the incident files: *.md directly in the folder,
// sorted by name. Templates live in a subfolder and are not incidents.
func (w *workspace) incidentPaths() ([]string, error) {
	return repo.IncidentFiles(w.folder())
}

// loadIncidents reads and parses every incident file, in parallel, sorted
// by id. A file that does not parse is kept in the list with its error,
// never rewritten.
func (w *workspace) loadIncidents() ([]incidentFile, error) {
	return w.load(repo.LoadIncidents)
}

// load turns what a repo loader read into incidentFiles.
func (w *workspace) load(loader func(string, func(string) string) ([]repo.Loaded, error)) ([]incidentFile, error) {
	loaded, err := loader(w.folder(), w.display)
	if err != nil {
		return nil, err
	}
	out := make([]incidentFile, len(loaded))
	for i, l := range loaded {
		out[i] = incidentFile{id: l.ID, path: l.Path, doc: l.Doc, err: l.Err}
	}
	return out, nil
}

// change is one write of one incident file, committed as one commit.
type change struct {
	abs     string
	data    []byte
	id      string
	kind    string // "new", "observe", ...
	subject string // first line of the text
	// uncommittable, when set, is why the change must be written but not
	// committed (the lock could not be had): the user's words are kept.
	uncommittable error
	// entry, when set, is the entry this change adds, as markdown. If the
	// file cannot be written it is printed with the error (lostEntry), so
	// that words that came from a pipe are not lost with the write.
	entry string
}

// commitMessage is DESIGN §4's message: subject, then trailers that let
// tools find pm's commits.
func commitMessage(id, kind, subject string) string {
	subject, _, _ = strings.Cut(subject, "\n")
	subject = strings.TrimSpace(subject)
	if len([]rune(subject)) > 72 {
		subject = string([]rune(subject)[:71]) + "…"
	}
	head := fmt.Sprintf("pm(%s): %s: %s", id, kind, subject)
	if subject == "" {
		head = fmt.Sprintf("pm(%s): %s", id, kind)
	}
	return fmt.Sprintf("%s\n\nPm-Incident: %s\nPm-Kind: %s\n", head, id, kind)
}

// save writes the file atomically and commits it, returning the commit id
// ("" when nothing was committed). The file is written first, so whatever
// happens to the commit, the user's words are on disk; when the commit
// fails the error says so and how to commit by hand. When the file itself
// cannot be written (a read-only file or folder, a full disk), it is left
// exactly as it was, the error says why and what to do in one line, and
// the entry that was not written follows it (see lostEntry).
func (w *workspace) save(c change) (string, error) {
	if err := os.MkdirAll(filepath.Dir(c.abs), 0o755); err != nil {
		return "", lostEntry(problemError("cannot create %s: %v", w.display(filepath.Dir(c.abs)), err), c.entry)
	}
	write := repo.WriteFileAtomic
	if w.repo != nil {
		write = w.repo.WriteFile // a crash leaves no temporary file in the work tree
	}
	if err := write(c.abs, c.data, 0o644); err != nil {
		return "", lostEntry(w.writeFailed(c.abs, err), c.entry)
	}
	env := w.app.env
	if w.repo == nil {
		fmt.Fprintf(env.Stderr, "pm: not in a git repository: wrote %s, nothing was committed\n", w.display(c.abs))
		return "", nil
	}
	if w.app.noCommit {
		return "", nil
	}
	msg := commitMessage(c.id, c.kind, c.subject)
	manual := fmt.Sprintf("git add %s && git commit -m %s -- %s", shellQuote(w.display(c.abs)), shellQuote(strings.SplitN(msg, "\n", 2)[0]), shellQuote(w.display(c.abs)))
	if c.uncommittable != nil {
		return "", problemError("%v\nyour change is saved in %s but not committed; once the lock is free, commit it with:\n  %s", c.uncommittable, w.display(c.abs), manual)
	}
	id := w.ident()
	author, committer, err := id.author, id.committer, id.err
	if err != nil {
		return "", problemError("%v\nyour change is saved in %s; once that is fixed, commit it with:\n  %s", err, w.display(c.abs), manual)
	}
	res, err := w.repo.CommitFile(repo.CommitRequest{Path: w.rel(c.abs), Message: msg, Author: author, Committer: committer})
	if err != nil {
		return "", problemError("could not commit: %v\nyour change is saved in %s; commit it with:\n  %s", err, w.display(c.abs), manual)
	}
	if res.IndexHint != "" {
		fmt.Fprintf(env.Stderr, "pm: committed, but git's index could not be updated safely; refresh it with: %s\n", res.IndexHint)
	}
	return res.Hash, nil
}

// writeFailed is the one line a failed write gets: the file, why, that
// nothing was changed, and what to do. Exit code 1, as for a failed
// commit: the command was fine, the machine refused (DESIGN §3).
func (w *workspace) writeFailed(abs string, err error) error {
	file := w.display(abs)
	reason := err.Error()
	if we := (*repo.WriteError)(nil); errors.As(err, &we) {
		reason = we.Reason()
	}
	hint := diskHint(err, w.display(filepath.Dir(abs)))
	if errors.Is(err, repo.ErrReadOnlyFile) {
		hint = "make it writable (chmod u+w " + shellQuote(file) + ") if it should change"
	}
	return problemError("cannot write %s: %s; nothing was changed; %s", file, reason, hint)
}

// diskHint says what to do about a write the system refused. dir, when
// given, is the folder pm writes the file in, for the permission hint.
func diskHint(err error, dir string) string {
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return "free some disk space, then run the command again"
	case errors.Is(err, syscall.EROFS):
		return "the file system is mounted read-only; remount it read-write or work in a clone on a writable disk"
	case dir != "" && (errors.Is(err, repo.ErrReadOnlyFolder) || errors.Is(err, os.ErrPermission)):
		return "pm replaces a file through a temporary file beside it, so " + dir + " must be writable (chmod u+w " + shellQuote(dir) + ")"
	case errors.Is(err, os.ErrPermission):
		return "check that you may write there"
	}
	return "run the command again once that is fixed"
}

// lostEntry adds to err, from a command that could not write its entry,
// the entry itself as it would have appeared in the file. Text typed as an
// argument is still in the shell's history, but text piped in (pm observe -
// < log) would otherwise be gone: printed, it can be saved and recorded
// again once the disk or the permissions are fixed.
func lostEntry(err error, entry string) error {
	if entry == "" {
		return err
	}
	return &exitError{code: exitCode(err), err: fmt.Errorf("%w\nthis entry is not in the file; run the command again once that is fixed, or paste it into the log:\n%s",
		err, strings.TrimSuffix(entry, "\n"))}
}

// shellQuote quotes s for a POSIX shell when it needs it, so printed
// commands can be pasted as they are.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
