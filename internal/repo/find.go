package repo

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// Repo is a git work tree pm operates in.
type Repo struct {
	Root      string // absolute work tree root
	GitDir    string // this work tree's git dir (.git, or .git/worktrees/NAME for linked worktrees)
	CommonDir string // the shared git dir (same as GitDir except in linked worktrees)
	// Index is git's index file: GitDir/index, or GIT_INDEX_FILE.
	Index string

	storeOnce sync.Once
	store     *filesystem.Storage

	heldMu sync.Mutex
	held   *heldLock       // pm's lock while Lock holds it, for its notes
	syncs  []chan struct{} // journal records still being flushed (SyncJournal)
	config *configSet      // git's configuration, once read (loadConfig)
	// gitEnv is added to the environment of every git pm runs here: a
	// worktree pm opened for sync.branch names itself (BranchCheckout).
	gitEnv []string
}

// ErrNotRepository is wrapped by Find's error when dir is not inside a git
// work tree, so that callers can fall back to writing files without commits.
var ErrNotRepository = errors.New("not inside a git work tree")

// Find is FindEnv with the process's environment.
func Find(dir string) (*Repo, error) { return FindEnv(dir, os.Getenv) }

// FindEnv finds the repository a git command started in dir would use, as
// git's setup does (setup.c), so that pm works wherever git does and
// refuses where git refuses:
//
//   - GIT_DIR names the git dir; the work tree is then GIT_WORK_TREE, else
//     core.worktree, else the folder pm runs in (git's rule).
//   - Otherwise it walks up from dir to the folder holding .git (a folder,
//     or a "gitdir: PATH" file as in linked worktrees and submodules),
//     never up into a folder of GIT_CEILING_DIRECTORIES. GIT_WORK_TREE and
//     core.worktree, when set, name the work tree.
//   - A bare repository, or a folder inside a git dir, has no work tree:
//     refused with one sentence.
//   - A repository owned by another user is refused unless safe.directory
//     (system, global or GIT_CONFIG_COUNT config) names it or is "*", with
//     git's own advice: pm must not write root-owned objects into someone
//     else's repository.
//   - GIT_INDEX_FILE names the index.
//
// Find does its own discovery instead of go-git's PlainOpenWithOptions:
// go-git v5.19's Open refuses any repository that sets an extension such as
// extensions.worktreeConfig or partialClone ("unknown extension"), which pm
// must support.
func FindEnv(dir string, getenv func(string) string) (*Repo, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("find repository from %s: %w", dir, err)
	}
	if _, err := os.Stat(abs); err != nil {
		return nil, fmt.Errorf("find repository: %w", err)
	}
	var r *Repo
	if gd := getenv("GIT_DIR"); gd != "" {
		if r, err = fromGitDirEnv(abs, gd, getenv); err != nil {
			return nil, err
		}
	} else if r, err = discover(abs, getenv); err != nil {
		return nil, err
	}
	if err := r.checkOwnership(getenv); err != nil {
		return nil, err
	}
	r.Index = filepath.Join(r.GitDir, "index")
	if f := getenv("GIT_INDEX_FILE"); f != "" {
		if !filepath.IsAbs(f) {
			f = filepath.Join(abs, f)
		}
		r.Index = filepath.Clean(f)
	}
	return r, nil
}

// fromGitDirEnv is discovery with GIT_DIR set.
func fromGitDirEnv(abs, gd string, getenv func(string) string) (*Repo, error) {
	if !filepath.IsAbs(gd) {
		gd = filepath.Join(abs, gd)
	}
	gd = filepath.Clean(gd)
	if fi, err := os.Stat(gd); err == nil && !fi.IsDir() {
		p, err := readGitFile(gd)
		if err != nil {
			return nil, err
		}
		gd = p
	}
	if !isGitDir(gd) {
		return nil, fmt.Errorf("GIT_DIR=%s is not a git repository: %w (unset GIT_DIR or point it at one)", gd, ErrNotRepository)
	}
	common, err := commonDir(gd)
	if err != nil {
		return nil, err
	}
	r := &Repo{GitDir: gd, CommonDir: common}
	root, err := r.workTree(abs, getenv, true)
	if err != nil {
		return nil, err
	}
	r.Root = root
	return r, nil
}

// discover walks up from abs as git does without GIT_DIR.
func discover(abs string, getenv func(string) string) (*Repo, error) {
	ceilings := ceilingDirs(getenv("GIT_CEILING_DIRECTORIES"))
	for d := abs; ; {
		dot := filepath.Join(d, ".git")
		if fi, err := os.Stat(dot); err == nil {
			gitDir := dot
			if !fi.IsDir() {
				if gitDir, err = readGitFile(dot); err != nil {
					return nil, err
				}
			}
			if isGitDir(gitDir) {
				common, err := commonDir(gitDir)
				if err != nil {
					return nil, err
				}
				r := &Repo{Root: d, GitDir: gitDir, CommonDir: common}
				root, err := r.workTree(d, getenv, false)
				if err != nil {
					return nil, err
				}
				r.Root = root
				return r, nil
			}
			if !fi.IsDir() {
				return nil, fmt.Errorf("%s points to %s, which is not a git dir (repair the worktree with git worktree repair)", dot, gitDir)
			}
		}
		if isGitDir(d) {
			if filepath.Base(d) == ".git" || !configBool(bareValue(d)) {
				return nil, fmt.Errorf("%s is inside a git dir: %w (run pm from the work tree)", abs, ErrNotRepository)
			}
			return nil, &NoWorkTreeError{Dir: d}
		}
		parent := filepath.Dir(d)
		if parent == d || slices.Contains(ceilings, parent) {
			return nil, fmt.Errorf("%s: %w (run git init, or run pm from inside a repository)", abs, ErrNotRepository)
		}
		d = parent
	}
}

// NoWorkTreeError is a bare repository: pm keeps incidents in a work tree.
type NoWorkTreeError struct{ Dir string }

func (e *NoWorkTreeError) Error() string {
	return e.Dir + " is a bare repository, which has no work tree for incident files; clone it (git clone " + ShellQuote(e.Dir) + ") and run pm in the clone"
}

// ExitCode: like git's "must be run in a work tree", a usage error.
func (e *NoWorkTreeError) ExitCode() int { return 2 }

// bareValue reads core.bare from a git dir's own config, for configBool.
func bareValue(gitDir string) (string, bool, bool) {
	set, err := (&Repo{CommonDir: gitDir}).localOnly()
	if err != nil {
		return "", false, false
	}
	v, ok := set.get("core", "", "bare")
	return v, ok, false
}

// workTree is the work tree of r found from dir: GIT_WORK_TREE, else
// core.worktree (relative to the git dir), else the folder the discovery
// found (fromEnv: the folder pm runs in, as git does with GIT_DIR alone).
// A repository with core.bare and no work tree named is refused.
func (r *Repo) workTree(dir string, getenv func(string) string, fromEnv bool) (string, error) {
	if wt := getenv("GIT_WORK_TREE"); wt != "" {
		if !filepath.IsAbs(wt) {
			wt = filepath.Join(dir, wt)
		}
		return filepath.Clean(wt), nil
	}
	set, err := r.localOnly()
	if err != nil {
		return "", err
	}
	if wt, ok := set.get("core", "", "worktree"); ok && wt != "" {
		if !filepath.IsAbs(wt) {
			wt = filepath.Join(r.GitDir, wt)
		}
		return filepath.Clean(wt), nil
	}
	if set.boolean("core", "", "bare", false) {
		return "", &NoWorkTreeError{Dir: r.GitDir}
	}
	return dir, nil
}

// ceilingDirs parses GIT_CEILING_DIRECTORIES: absolute paths separated by
// the list separator; relative entries are ignored, as git does.
func ceilingDirs(v string) []string {
	var out []string
	for _, p := range filepath.SplitList(v) {
		if filepath.IsAbs(p) {
			out = append(out, filepath.Clean(p))
		}
	}
	return out
}

// readGitFile reads a ".git" file of the form "gitdir: PATH".
func readGitFile(file string) (string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", file, err)
	}
	line, _, _ := strings.Cut(string(data), "\n")
	p, ok := strings.CutPrefix(strings.TrimRight(line, "\r"), "gitdir: ")
	if !ok || strings.TrimSpace(p) == "" {
		return "", fmt.Errorf("%s:1: not a gitdir file (expected \"gitdir: PATH\")", file)
	}
	p = strings.TrimSpace(p)
	if !filepath.IsAbs(p) {
		p = filepath.Join(filepath.Dir(file), p)
	}
	return filepath.Clean(p), nil
}

func isGitDir(dir string) bool {
	if fi, err := os.Stat(filepath.Join(dir, "HEAD")); err != nil || !fi.Mode().IsRegular() {
		return false
	}
	if _, err := os.Stat(filepath.Join(dir, "commondir")); err == nil {
		return true
	}
	fi, err := os.Stat(filepath.Join(dir, "objects"))
	return err == nil && fi.IsDir()
}

func commonDir(gitDir string) (string, error) {
	data, err := os.ReadFile(filepath.Join(gitDir, "commondir"))
	if errors.Is(err, os.ErrNotExist) {
		return gitDir, nil
	}
	if err != nil {
		return "", fmt.Errorf("read %s: %w", filepath.Join(gitDir, "commondir"), err)
	}
	p := strings.TrimSpace(string(data))
	if !filepath.IsAbs(p) {
		p = filepath.Join(gitDir, p)
	}
	p = filepath.Clean(p)
	if fi, err := os.Stat(p); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("%s names %s, which does not exist (repair with git worktree repair)", filepath.Join(gitDir, "commondir"), p)
	}
	return p, nil
}

// storage opens the object database lazily: commands that never commit do
// not pay for it. Pack indexes are read on the first object lookup.
func (r *Repo) storage() *filesystem.Storage {
	r.storeOnce.Do(func() {
		r.store = filesystem.NewStorageWithOptions(osfs.New(r.CommonDir), cache.NewObjectLRUDefault(), filesystem.Options{})
	})
	return r.store
}

// headTarget returns the ref HEAD points to ("refs/heads/main"), or "" when
// HEAD is detached.
func (r *Repo) headTarget() (string, error) {
	ref, _, err := r.readHead()
	return ref, err
}

// readHead reads GitDir/HEAD: either a symbolic ref or a detached commit.
func (r *Repo) readHead() (ref string, detached plumbing.Hash, err error) {
	file := filepath.Join(r.GitDir, "HEAD")
	data, err := os.ReadFile(file)
	if err != nil {
		return "", plumbing.ZeroHash, fmt.Errorf("read %s: %w", file, err)
	}
	s := strings.TrimSpace(string(data))
	if t, ok := strings.CutPrefix(s, "ref:"); ok {
		return strings.TrimSpace(t), plumbing.ZeroHash, nil
	}
	h, ok := parseHash(s)
	if !ok {
		return "", plumbing.ZeroHash, fmt.Errorf("%s:1: neither a ref nor a commit id (repair HEAD with git switch)", file)
	}
	return "", h, nil
}

// refFile is where a loose ref lives: per-worktree refs in GitDir, the rest
// in CommonDir.
func (r *Repo) refFile(name string) string {
	dir := r.CommonDir
	if name == "HEAD" || strings.HasPrefix(name, "refs/bisect/") || strings.HasPrefix(name, "refs/worktree/") || strings.HasPrefix(name, "refs/rewritten/") {
		dir = r.GitDir
	}
	return filepath.Join(dir, filepath.FromSlash(name))
}

// resolveRef follows symbolic refs from name to the ref that holds a commit
// id and returns that ref's name and value (zero, exists=false when the ref
// does not exist yet, as on an unborn branch).
func (r *Repo) resolveRef(name string) (final string, h plumbing.Hash, exists bool, err error) {
	for range 5 {
		target, h, exists, err := r.readRef(name)
		if err != nil || target == "" {
			return name, h, exists, err
		}
		name = target
	}
	return "", plumbing.ZeroHash, false, fmt.Errorf("%s: symbolic refs nested too deep", name)
}

// readRef reads one ref, loose first and then from packed-refs. A symbolic
// ref returns its target and no hash.
func (r *Repo) readRef(name string) (target string, h plumbing.Hash, exists bool, err error) {
	file := r.refFile(name)
	data, err := os.ReadFile(file)
	if err == nil {
		s := strings.TrimSpace(string(data))
		if t, ok := strings.CutPrefix(s, "ref:"); ok {
			return strings.TrimSpace(t), plumbing.ZeroHash, true, nil
		}
		h, ok := parseHash(s)
		if !ok {
			return "", plumbing.ZeroHash, false, fmt.Errorf("%s:1: not a commit id (repair the ref with git update-ref)", file)
		}
		return "", h, true, nil
	}
	if !errors.Is(err, os.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) && !errors.Is(err, syscall.EISDIR) {
		return "", plumbing.ZeroHash, false, fmt.Errorf("read ref %s: %w", name, err)
	}
	h, exists, err = r.packedRef(name)
	return "", h, exists, err
}

func (r *Repo) packedRef(name string) (plumbing.Hash, bool, error) {
	file := filepath.Join(r.CommonDir, "packed-refs")
	f, err := os.Open(file)
	if errors.Is(err, os.ErrNotExist) {
		return plumbing.ZeroHash, false, nil
	}
	if err != nil {
		return plumbing.ZeroHash, false, fmt.Errorf("read %s: %w", file, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	suffix := []byte(" " + name)
	for sc.Scan() {
		line := bytes.TrimRight(sc.Bytes(), "\r")
		if len(line) > 41 && bytes.HasSuffix(line, suffix) && len(line) == 40+len(suffix) {
			if h, ok := parseHash(string(line[:40])); ok {
				return h, true, nil
			}
		}
	}
	if err := sc.Err(); err != nil {
		return plumbing.ZeroHash, false, fmt.Errorf("read %s: %w", file, err)
	}
	return plumbing.ZeroHash, false, nil
}

func parseHash(s string) (plumbing.Hash, bool) {
	if len(s) != 40 {
		return plumbing.ZeroHash, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return plumbing.ZeroHash, false
		}
	}
	return plumbing.NewHash(s), true
}

// Head returns the current branch's commit hash, "" on an unborn branch,
// or the commit id when HEAD is detached.
func (r *Repo) Head() (string, error) {
	ref, detached, err := r.readHead()
	if err != nil {
		return "", err
	}
	if ref == "" {
		return detached.String(), nil
	}
	_, h, exists, err := r.resolveRef(ref)
	if err != nil || !exists {
		return "", err
	}
	return h.String(), nil
}

// indexFile is git's index: Index as Find set it, else GitDir/index (a Repo
// built by hand in a test).
func (r *Repo) indexFile() string {
	if r.Index != "" {
		return r.Index
	}
	return filepath.Join(r.GitDir, "index")
}
