package repo

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
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

	storeOnce sync.Once
	store     *filesystem.Storage

	heldMu sync.Mutex
	held   *heldLock // pm's lock while Lock holds it, for its notes
}

// ErrNotRepository is wrapped by Find's error when dir is not inside a git
// work tree, so that callers can fall back to writing files without commits.
var ErrNotRepository = errors.New("not inside a git work tree")

// Find walks up from dir to the work tree root, the folder holding .git. It
// works from subfolders and in linked worktrees, where .git is a file
// ("gitdir: ...") naming .git/worktrees/NAME, whose commondir file names the
// shared git dir.
//
// Find does its own discovery instead of go-git's PlainOpenWithOptions:
// go-git v5.19's Open refuses any repository that sets an extension such as
// extensions.worktreeConfig or partialClone ("unknown extension"), which pm
// must support. GIT_DIR, GIT_WORK_TREE, core.worktree and
// GIT_CEILING_DIRECTORIES are not consulted.
func Find(dir string) (*Repo, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("find repository from %s: %w", dir, err)
	}
	if _, err := os.Stat(abs); err != nil {
		return nil, fmt.Errorf("find repository: %w", err)
	}
	for d := abs; ; {
		if filepath.Base(d) == ".git" {
			return nil, fmt.Errorf("%s is inside a git dir: %w (run pm from the work tree)", abs, ErrNotRepository)
		}
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
				return &Repo{Root: d, GitDir: gitDir, CommonDir: common}, nil
			}
			if !fi.IsDir() {
				return nil, fmt.Errorf("%s points to %s, which is not a git dir (repair the worktree with git worktree repair)", dot, gitDir)
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			return nil, fmt.Errorf("%s: %w (run git init, or run pm from inside a repository)", abs, ErrNotRepository)
		}
		d = parent
	}
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
