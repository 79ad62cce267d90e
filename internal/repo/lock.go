package repo

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrLockTimeout is wrapped by Lock and LockPath when another process held
// the lock for longer than the caller was willing to wait.
var ErrLockTimeout = errors.New("timed out waiting for the pm lock")

// Tunables of the lock; variables so tests can shorten them.
var (
	// lockStaleAge is the age after which a lock is taken over even when
	// its holder cannot be checked (another host, or a pid that was
	// reused). pm holds the lock for well under a second.
	lockStaleAge = 5 * time.Minute
	// takeoverStaleAge bounds how long a crashed takeover blocks others.
	takeoverStaleAge = 10 * time.Second
	lockPoll         = 10 * time.Millisecond
	lockPollMax      = 100 * time.Millisecond
	// lockClock is the lock's only clock: it measures waiting and lock
	// age, not anything that ends up in a file's content.
	lockClock = time.Now
)

// Lock takes pm's inter-process lock for this repository, CommonDir/pm.lock,
// so that concurrent pm processes (also from linked worktrees) serialise
// their read-modify-commit cycles and none of their entries is lost. See
// LockPath.
func (r *Repo) Lock(timeout time.Duration) (unlock func() error, err error) {
	return LockPath(filepath.Join(r.CommonDir, "pm.lock"), timeout)
}

// LockPath takes the lock file path: it is created with O_EXCL and holds the
// holder's pid, host and start time. A stale lock — its holder's pid no
// longer runs on this host, or it is older than a few minutes — is taken
// over safely: takeovers are serialised by path+".takeover" and re-check
// that the lock is still the one found stale. LockPath polls until timeout,
// then returns an error wrapping ErrLockTimeout that names the file and
// holder. unlock removes the lock if it is still ours.
func LockPath(path string, timeout time.Duration) (unlock func() error, err error) {
	host, _ := os.Hostname()
	start := lockClock()
	token := fmt.Sprintf("pid %d\nhost %s\ntime %s\n", os.Getpid(), host, start.UTC().Format(time.RFC3339Nano))
	wait := lockPoll
	for {
		ok, err := tryLock(path, token)
		if err != nil {
			return nil, err
		}
		if ok {
			return func() error { return releaseLock(path, token) }, nil
		}
		holder, err := os.ReadFile(path)
		if err == nil && lockIsStale(path, holder, host) && takeOver(path, holder) {
			continue
		}
		if lockClock().Sub(start) >= timeout {
			return nil, fmt.Errorf("%w: %s is held by %s; if no pm is running, remove it (rm %s)",
				ErrLockTimeout, path, describeHolder(holder), path)
		}
		time.Sleep(wait)
		if wait *= 2; wait > lockPollMax {
			wait = lockPollMax
		}
	}
}

func tryLock(path, token string) (bool, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("take lock %s: %w", path, err)
	}
	_, werr := f.WriteString(token)
	cerr := f.Close()
	if werr != nil || cerr != nil {
		os.Remove(path)
		return false, fmt.Errorf("take lock %s: %w", path, errors.Join(werr, cerr))
	}
	return true, nil
}

func releaseLock(path, token string) error {
	cur, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("release lock %s: it was removed while pm held it", path)
	}
	if err != nil {
		return fmt.Errorf("release lock %s: %w", path, err)
	}
	if string(cur) != token {
		return fmt.Errorf("release lock %s: another process took it over as stale while pm held it", path)
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("release lock %s: %w", path, err)
	}
	return nil
}

func lockField(content []byte, name string) string {
	for _, line := range strings.Split(string(content), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return v
		}
	}
	return ""
}

func describeHolder(content []byte) string {
	pid, host := lockField(content, "pid"), lockField(content, "host")
	if pid == "" {
		return "an unknown process"
	}
	s := "pid " + pid
	if host != "" {
		s += " on " + host
	}
	if t := lockField(content, "time"); t != "" {
		s += " since " + t
	}
	return s
}

// lockIsStale reports whether the lock's holder is gone: a process on this
// host that no longer exists, or a lock older than lockStaleAge. A lock
// without content yet (its holder is between create and write) is fresh
// unless old.
func lockIsStale(path string, content []byte, host string) bool {
	fi, err := os.Stat(path)
	if err != nil {
		return false
	}
	if lockClock().Sub(fi.ModTime()) > lockStaleAge {
		return true
	}
	pid, err := strconv.Atoi(lockField(content, "pid"))
	if err != nil || pid <= 0 || lockField(content, "host") != host {
		return false
	}
	return !processAlive(pid)
}

// processAlive asks the kernel whether pid exists (signal 0). Where that
// question cannot be asked, the process is assumed alive and only the lock's
// age makes it stale.
func processAlive(pid int) bool {
	if pid == os.Getpid() {
		return true
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	if err == nil || errors.Is(err, syscall.EPERM) {
		return true
	}
	return !errors.Is(err, os.ErrProcessDone) && !errors.Is(err, syscall.ESRCH)
}

// takeOver removes a stale lock. Two waiters may find the same stale lock;
// the takeover file makes only one of them remove it, and only if the lock
// still has the content that was judged stale, so a fresh lock taken in the
// meantime is never removed.
// It reports whether the lock is gone, so the caller retries at once.
func takeOver(path string, stale []byte) bool {
	guard := path + ".takeover"
	g, err := os.OpenFile(guard, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if fi, err := os.Stat(guard); err == nil && lockClock().Sub(fi.ModTime()) > takeoverStaleAge {
			os.Remove(guard)
		}
		return false
	}
	g.Close()
	defer os.Remove(guard)
	cur, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return true
	}
	if err == nil && bytes.Equal(cur, stale) {
		return os.Remove(path) == nil
	}
	return false
}
