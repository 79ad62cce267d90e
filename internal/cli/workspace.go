package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pm-tool/pm/internal/config"
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
	// root is the work tree the incident files are in: the user's
	// checkout, or with sync.branch pm's checkout of that branch.
	root string
	// home is the user's checkout (or folder), where .pm.yml, the
	// templates and the site's default output are: with sync.branch only
	// the incident files move to the branch.
	home string
	repo *repo.Repo // nil outside a git repository
	cfg  config.Config
	app  *app
	// identity is resolved once per command: reading git's config files is
	// the same work for the entry's author and for the commit.
	identity *identity
	// store runs every write of an incident file (repo.Store).
	store *repo.Store
	// loc is the responder's time zone once asked for (zone).
	loc *time.Location
}

// zone is the time zone of the person at the keyboard: typed times (--at,
// --started) are read in it and every time pm prints is shown in it, with
// its name (09:10 PST). config.Config.Zone has the order: $TZ, then
// .pm.yml's timezone, then UTC. A TZ pm cannot read is said once.
func (w *workspace) zone() *time.Location {
	if w.loc == nil {
		var bad string
		w.loc, bad = w.cfg.Zone(w.app.env.Getenv("TZ"))
		if bad != "" {
			fmt.Fprintf(w.app.env.Stderr, "pm: TZ=%s names no time zone pm knows; times are in %s (.pm.yml timezone, else UTC)\n", bad, w.loc)
		}
	}
	return w.loc
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
	r, err := repo.FindEnv(a.dir, a.env.Getenv)
	switch {
	case err == nil:
		w.repo, w.root = r, r.Root
	case errors.Is(err, repo.ErrNotRepository):
	default:
		return nil, err
	}
	cfg, err := config.LoadConfig(w.root)
	if err != nil {
		return nil, asUsage(err)
	}
	w.cfg, w.home = cfg, w.root
	a.ws = w
	if err := w.useBranch(); err != nil {
		return nil, err
	}
	w.store = &repo.Store{
		Root: w.root, Folder: w.folder(), Git: w.repo, NoCommit: a.noCommit, NoVerify: a.noVerify, Getenv: a.env.Getenv,
		LockTimeout: w.lockTimeout(), Display: w.display, User: a.env.Getenv("USER"), Now: a.env.Now,
		Ident: func() (repo.Signature, repo.Signature, error) {
			id := w.ident()
			return id.author, id.committer, id.err
		},
	}
	// Checked once here rather than in every command that lists, reads or
	// writes the folder, so the user gets one sentence instead of an
	// operating-system error from whichever command ran first.
	if fi, err := os.Stat(w.folder()); err == nil && !fi.IsDir() {
		return nil, usageError("%s is a file, but pm keeps incidents in a folder of that name; move the file away or set folder: in .pm.yml", w.display(w.folder()))
	}
	return w, nil
}

// useBranch moves the workspace to pm's checkout of sync.branch, making it
// the first time (and saying so).
func (w *workspace) useBranch() error {
	if w.repo == nil || w.cfg.Sync.Branch == "" {
		return nil
	}
	wt, made, err := w.repo.BranchCheckout(w.cfg.Sync.Branch, repo.BranchOptions{Getenv: w.app.env.Getenv, Wait: w.cfg.Sync.Wait, Lock: w.lockTimeout()})
	if err != nil {
		return fmt.Errorf("sync.branch %s in %s: %w", w.cfg.Sync.Branch, w.display(filepath.Join(w.home, config.ConfigFile)), err)
	}
	if made != "" {
		fmt.Fprintf(w.app.env.Stderr, "pm: %s; pm keeps its checkout in %s (git worktree list shows it)\n", made, w.display(wt.Root))
	}
	w.repo, w.root = wt, wt.Root
	return nil
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

// incidentFile is one incident file found in the folder; doc is nil when
// the file does not parse (err says why, with its line).
type incidentFile struct {
	id   string
	path string // absolute
	doc  *incident.Doc
	err  error
	sum  [32]byte // repo.Loaded.Sum
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
		return nil, w.unreadable(err)
	}
	out := make([]incidentFile, len(loaded))
	for i, l := range loaded {
		out[i] = incidentFile{id: l.ID, path: l.Path, doc: l.Doc, err: l.Err, sum: l.Sum}
	}
	return out, nil
}

// report tells the user, git-style, what was written where: data goes to
// stdout, so this goes to stderr, after what the store had to say.
func (w *workspace) report(res repo.Result, what string) {
	w.notices(res)
	if res.Hash != "" {
		fmt.Fprintf(w.app.env.Stderr, "[%s %s] %s\n", printable(res.ID), res.Hash[:min(7, len(res.Hash))], printable(strings.TrimSuffix(what, ": ")))
	}
	w.share(res)
}

// notices prints what the store had to say beside the commit. It runs after
// every write, so it is also where a clone that never saw pm init gets the
// merge driver registered (clones do not copy .git/config): the next git
// pull of a teammate's entries then merges them, with no setup step to
// forget mid-outage. A driver the user set is kept.
func (w *workspace) notices(res repo.Result) {
	if w.repo != nil && !w.app.noCommit {
		_, _ = w.registerMergeDriver() // best effort: pm init reports failures
	}
	if res.GitOutput != "" {
		fmt.Fprint(w.app.env.Stderr, res.GitOutput)
	}
	for _, n := range res.Notices {
		fmt.Fprintf(w.app.env.Stderr, "pm: %s\n", n)
	}
}

// unreadable is the problem when the incident folder, or a folder in it,
// cannot be read (its permissions, most often): which folder, as the user
// types it, why, and how to look, instead of Go's "open /abs/path: ...".
func (w *workspace) unreadable(err error) error {
	var pe *fs.PathError
	if !errors.As(err, &pe) {
		return problemError("cannot list %s: %v", w.display(w.folder()), err)
	}
	shown := w.display(filepath.Clean(pe.Path))
	return problemError("cannot read %s: %v; check its permissions with ls -ld %s", shown, pe.Err, shown)
}
