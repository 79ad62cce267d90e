package repo

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
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
// LockPath. While it is held, CommitFile and WriteFile note in it the files
// they create and must clean up (git's lock files, temporary files), so
// that if this process dies, the next pm removes them (see heldLock).
func (r *Repo) Lock(timeout time.Duration) (unlock func() error, err error) {
	l, err := lockPath(filepath.Join(r.CommonDir, "pm.lock"), timeout)
	if err != nil {
		return nil, err
	}
	r.heldMu.Lock()
	r.held = l
	r.heldMu.Unlock()
	return func() error {
		r.heldMu.Lock()
		if r.held == l {
			r.held = nil
		}
		r.heldMu.Unlock()
		return l.unlock()
	}, nil
}

// lockHeld returns the pm lock r holds, or nil.
func (r *Repo) lockHeld() *heldLock {
	r.heldMu.Lock()
	defer r.heldMu.Unlock()
	return r.held
}

// WriteFile is WriteFileAtomic for a file of this repository. While r
// holds pm's lock, the temporary file is noted in it, so that if pm dies
// before the rename the next pm removes it instead of leaving an untracked
// ".NAME.tmp-…" file in the work tree.
func (r *Repo) WriteFile(path string, data []byte, perm os.FileMode) error {
	return writeFileAtomic(path, data, perm, r.lockHeld(), "")
}

// LockPath takes the lock file path: it is created with O_EXCL and holds the
// holder's pid, host (name and, on Linux, pid namespace; see lockHost) and
// start time. A stale lock — its holder's pid no longer runs on this host,
// or it is older than a few minutes — is taken over safely: takeovers are
// serialised by path+".takeover" and re-check that the lock is still the
// one found stale. LockPath polls until timeout, then returns an error
// wrapping ErrLockTimeout that names the file and holder. unlock removes
// the lock if it is still ours.
func LockPath(path string, timeout time.Duration) (unlock func() error, err error) {
	l, err := lockPath(path, timeout)
	if err != nil {
		return nil, err
	}
	return l.unlock, nil
}

func lockPath(path string, timeout time.Duration) (*heldLock, error) {
	self := thisHost()
	start := lockClock()
	token := fmt.Sprintf("pid %d\nhost %s\n", os.Getpid(), self.name)
	if self.pidns != "" {
		token += "pidns " + self.pidns + "\n"
	}
	token += "time " + start.UTC().Format(time.RFC3339Nano) + "\n"
	wait := lockPoll
	for {
		f, err := tryLock(path, token)
		if err != nil {
			return nil, err
		}
		if f != nil {
			return &heldLock{path: path, f: f, token: token}, nil
		}
		holder, err := os.ReadFile(path)
		if err == nil && lockIsStale(path, holder, self) && takeOver(path, holder, holderDead(holder, self)) {
			continue
		}
		if lockClock().Sub(start) >= timeout {
			return nil, fmt.Errorf("%w: %s is held by %s; if no pm is running, remove it (rm %s)",
				ErrLockTimeout, path, describeHolder(holder, self), path)
		}
		time.Sleep(wait)
		if wait *= 2; wait > lockPollMax {
			wait = lockPollMax
		}
	}
}

// tryLock creates the lock file with token in it and returns it, still
// open for heldLock's notes; nil when another process holds it. The file
// is written under a temporary name and hard-linked into place, so that
// the lock never exists without its holder's pid: a pm killed between
// create and write used to leave an empty lock that every later pm waited
// out (issue 12's soak). Temporary files of pms killed before the link are
// removed once they are a minute old.
func tryLock(path, token string) (*os.File, error) {
	dir, base := filepath.Split(path)
	if old, _ := filepath.Glob(filepath.Join(dir, "."+base+".tmp-*")); len(old) > 0 {
		for _, o := range old {
			if fi, err := os.Stat(o); err == nil && lockClock().Sub(fi.ModTime()) > time.Minute {
				os.Remove(o)
			}
		}
	}
	var rnd [6]byte
	rand.Read(rnd[:])
	tmp := filepath.Join(dir, "."+base+".tmp-"+hex.EncodeToString(rnd[:]))
	if f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644); err == nil {
		_, werr := f.WriteString(token)
		lerr := werr
		if werr == nil {
			lerr = os.Link(tmp, path)
		}
		os.Remove(tmp)
		switch {
		case werr == nil && lerr == nil:
			return f, nil
		case errors.Is(lerr, os.ErrExist):
			f.Close()
			return nil, nil
		}
		f.Close()
		if werr != nil {
			return nil, fmt.Errorf("take lock %s: %w", path, errnoOf(werr))
		}
		// No hard links on this file system: create in place below.
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("take lock %s: %w", path, errnoOf(err))
	}
	if _, err := f.WriteString(token); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("take lock %s: %w", path, errnoOf(err))
	}
	return f, nil
}

// heldLock is a pm lock this process holds. After the holder's pid, host,
// pid namespace and time, its file lists the files the holder has created
// and must rename or remove before it lets go: git's index.lock and
// refs/heads/BRANCH.lock, its own temporary files. One line each,
//
//	owns DEV:INO:BIRTH PATH
//
// with the file's device, inode number and birth time (nanoseconds since
// 1970; see fileIdentity), and PATH relative to the lock's folder when
// inside it. A line is written right after the file is created exclusively
// and dropped just before the file is renamed or removed, so the list never
// claims a file that is not the holder's: at worst (a crash between the two
// steps) a file is not listed and is left for the user, as before. When
// the holder dies, the process that takes the lock over removes the files
// listed (takeOver), and nothing else: see removeOrphans for the checks.
type heldLock struct {
	path  string
	mu    sync.Mutex
	f     *os.File // open from tryLock until unlock, for the notes
	token string   // pid, host, time
	owned []ownedFile
}

type ownedFile struct{ path, line string }

// content is what the lock file holds now.
func (l *heldLock) content() string {
	var b strings.Builder
	b.WriteString(l.token)
	for _, o := range l.owned {
		b.WriteString(o.line)
	}
	return b.String()
}

// statter is an open file, as own needs it.
type statter interface{ Stat() (os.FileInfo, error) }

// own notes that the holder created path (open as f) and will rename or
// remove it. Where a file's identity cannot be had (no inode numbers, as on
// Windows; no birth time, as on ext4 with small inodes) or the note cannot
// be written (a full disk), nothing is noted: a crash then leaves the file
// for the user, which is safe.
func (l *heldLock) own(path string, f statter) {
	if l == nil {
		return
	}
	id, ok := identityOfFile(f, path)
	if !ok || strings.ContainsAny(path, "\n\r") {
		return
	}
	name := path
	if rel, err := filepath.Rel(filepath.Dir(l.path), path); err == nil && filepath.IsLocal(rel) {
		name = filepath.ToSlash(rel)
	}
	l.note(path, fmt.Sprintf("owns %s %s\n", id, name))
}

// ownName notes a temporary file by name before it is created. Only this
// process ever makes a file of that random name, so, unlike git's lock
// files, it needs no identity to be removed safely: this closes the window
// between creating the file and noting it, where a kill used to leave a
// ".NAME.tmp-…" file in the work tree.
func (l *heldLock) ownName(path string) {
	if l == nil || strings.ContainsAny(path, "\n\r") {
		return
	}
	l.note(path, fmt.Sprintf("owns pending %s\n", l.rel(path)))
}

// rel is path as notes write it: relative to the lock's folder when inside.
func (l *heldLock) rel(path string) string {
	if rel, err := filepath.Rel(filepath.Dir(l.path), path); err == nil && filepath.IsLocal(rel) {
		return filepath.ToSlash(rel)
	}
	return path
}

// note appends a line about path to the lock file.
func (l *heldLock) note(path, line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	size := int64(len(l.content()))
	if _, err := l.f.WriteAt([]byte(line), size); err != nil {
		_ = l.f.Truncate(size)
		return
	}
	l.owned = append(l.owned, ownedFile{path: path, line: line})
}

// free drops the notes of path; call it once the file is renamed or
// removed. If the lock file cannot be rewritten, every note is dropped: the
// safe side.
func (l *heldLock) free(path string) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	i := slices.IndexFunc(l.owned, func(o ownedFile) bool { return o.path == path })
	if i < 0 {
		return
	}
	off := int64(len(l.token))
	for _, o := range l.owned[:i] {
		off += int64(len(o.line))
	}
	l.owned = slices.DeleteFunc(l.owned, func(o ownedFile) bool { return o.path == path })
	var tail []byte
	for _, o := range l.owned[i:] {
		tail = append(tail, o.line...)
	}
	if _, err := l.f.WriteAt(tail, off); err == nil {
		if err := l.f.Truncate(off + int64(len(tail))); err == nil {
			return
		}
	}
	l.owned = nil
	_ = l.f.Truncate(int64(len(l.token)))
}

// unlock removes the lock if it is still ours.
func (l *heldLock) unlock() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f != nil {
		l.f.Close()
		l.f = nil
	}
	return releaseLock(l.path, l.content())
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
	v, _ := lockFieldOK(content, name)
	return v
}

// lockFieldOK is lockField that also says whether the field is there.
func lockFieldOK(content []byte, name string) (string, bool) {
	for _, line := range strings.Split(string(content), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			return v, true
		}
	}
	return "", false
}

// lockHost is where a lock's holder runs, as far as its pid means
// anything: the host name and, on Linux, the pid namespace.
type lockHost struct {
	name  string
	pidns string // "pid:[4026531836]"; "unknown" when unreadable; "" off Linux
}

// thisHost is the lockHost of this process.
func thisHost() lockHost {
	name, _ := os.Hostname()
	return lockHost{name: name, pidns: pidNamespace(runtime.GOOS, os.Readlink)}
}

// pidNamespace names the pid namespace this process sees pids in. A
// container started with the host's network (docker --network host) has
// the host's name but its own pids: a pid there names another process
// than here, so the namespace is part of the host's identity. Systems
// without pid namespaces give "". On Linux, a namespace that cannot be
// read is "unknown", which matches no other, so a holder that wrote it is
// judged by its lock's age only.
func pidNamespace(goos string, readlink func(string) (string, error)) string {
	if goos != "linux" {
		return ""
	}
	ns, err := readlink("/proc/self/ns/pid")
	if err != nil || ns == "" || strings.ContainsAny(ns, "\n\r") {
		return "unknown"
	}
	return ns
}

// holds reports whether a lock with content was taken by a process whose
// pid means the same here as in self: same host name and, when the lock
// names one, same pid namespace. A lock of a pm from before the namespace
// was recorded is judged by its host name alone, as it was then.
func (h lockHost) holds(content []byte) bool {
	if lockField(content, "host") != h.name {
		return false
	}
	ns, ok := lockFieldOK(content, "pidns")
	return !ok || (ns == h.pidns && ns != "unknown" && ns != "")
}

func describeHolder(content []byte, self lockHost) string {
	pid, host := lockField(content, "pid"), lockField(content, "host")
	if pid == "" {
		return "an unknown process"
	}
	s := "pid " + pid
	if host != "" {
		s += " on " + host
	}
	if ns, ok := lockFieldOK(content, "pidns"); ok && ns != self.pidns {
		s += " (pid namespace " + ns + ")"
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
func lockIsStale(path string, content []byte, self lockHost) bool {
	fi, err := os.Stat(path)
	if err != nil {
		return false
	}
	if lockClock().Sub(fi.ModTime()) > lockStaleAge {
		return true
	}
	return holderDead(content, self)
}

// holderDead reports whether the lock's holder provably no longer runs: its
// pid is on this host, in this pid namespace (see lockHost.holds), and the
// kernel knows no such process. A lock that is merely old is stale but its
// holder may still be at work (another host or container, a reused pid);
// its files are left alone.
func holderDead(content []byte, self lockHost) bool {
	pid, err := strconv.Atoi(lockField(content, "pid"))
	if err != nil || pid <= 0 || !self.holds(content) {
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
// meantime is never removed. When the holder is dead, the files it noted
// as its own go first (removeOrphans): a git lock it died holding would
// otherwise block every later commit.
// It reports whether the lock is gone, so the caller retries at once.
func takeOver(path string, stale []byte, dead bool) bool {
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
		if dead {
			removeOrphans(path, stale)
		}
		return os.Remove(path) == nil
	}
	return false
}

// removeOrphans removes the files a dead holder of the lock at lockPath
// noted as its own (see heldLock). A noted file is removed only if it still
// is the very file the holder created — same device, inode number and
// birth time — and is either a git lock file inside the lock's folder
// (NAME.lock) or a temporary file of WriteFileAtomic (.NAME.tmp-HEX). The
// birth time matters: when the user removes the dead holder's lock by hand,
// as git tells them to, and a git command takes the lock again (git commit
// -a holds it while the editor is open), ext4 and XFS usually give the new
// file the inode number just freed. A git lock created after the holder
// died is born later and stays, as does anything the note cannot vouch
// for (a note without a birth time, from an older pm); the user then sees
// git's "locked" message as before. Where the file system keeps no birth
// time, own notes nothing, so nothing is ever removed there.
func removeOrphans(lockPath string, content []byte) []string {
	dir := filepath.Dir(lockPath)
	abs := func(name string) string {
		p := filepath.FromSlash(name)
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		return p
	}
	var removed []string
	for _, line := range strings.Split(string(content), "\n") {
		rest, ok := strings.CutPrefix(line, "owns ")
		if !ok {
			continue
		}
		idS, name, ok := strings.Cut(rest, " ")
		if !ok || name == "" {
			continue
		}
		if idS == "pending" {
			// A temporary file noted by name before it was made:
			// nobody else makes a file of that random name.
			if p := abs(name); isTempName(filepath.Base(p)) && os.Remove(p) == nil {
				removed = append(removed, p)
			}
			continue
		}
		want, ok := parseFileIdentity(idS)
		if !ok {
			continue
		}
		p := abs(name)
		rel, err := filepath.Rel(dir, p)
		gitLock := err == nil && filepath.IsLocal(rel) && strings.HasSuffix(p, ".lock") && p != lockPath
		if !gitLock && !isTempName(filepath.Base(p)) {
			continue
		}
		if got, ok := identityAt(p); !ok || got != want {
			continue
		}
		if os.Remove(p) == nil {
			removed = append(removed, p)
		}
	}
	return removed
}

// isTempName reports whether name is one of WriteFileAtomic's temporary
// files: ".NAME.tmp-" and 12 hex digits.
func isTempName(name string) bool {
	i := strings.LastIndex(name, ".tmp-")
	if !strings.HasPrefix(name, ".") || i < 2 || len(name)-i-len(".tmp-") != 12 {
		return false
	}
	_, err := hex.DecodeString(name[i+len(".tmp-"):])
	return err == nil
}

// fileIdentity tells a file apart from every other file, also from a later
// one at the same path that reuses its inode number: device, inode number
// and birth time in nanoseconds. Only a file recreated within one tick of
// the kernel's clock (a few milliseconds) would match; a person removing a
// lock by hand and a git command taking it again are never that quick.
type fileIdentity struct {
	dev, ino uint64
	birth    int64
}

// String is the note's form, DEV:INO:BIRTH.
func (id fileIdentity) String() string {
	return fmt.Sprintf("%d:%d:%d", id.dev, id.ino, id.birth)
}

// parseFileIdentity reads DEV:INO:BIRTH. An older pm's DEV:INO has no
// birth time and is refused: such a file is never removed.
func parseFileIdentity(s string) (fileIdentity, bool) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return fileIdentity{}, false
	}
	dev, err1 := strconv.ParseUint(parts[0], 10, 64)
	ino, err2 := strconv.ParseUint(parts[1], 10, 64)
	birth, err3 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || ino == 0 || birth <= 0 {
		return fileIdentity{}, false
	}
	return fileIdentity{dev: dev, ino: ino, birth: birth}, true
}

// identityOfFile is the identity of the file open as f, created at path;
// ok is false where the system gives no inode numbers or no birth time.
func identityOfFile(f statter, path string) (fileIdentity, bool) {
	fi, err := f.Stat()
	if err != nil {
		return fileIdentity{}, false
	}
	dev, ino, ok := fileID(fi)
	if !ok {
		return fileIdentity{}, false
	}
	birth, ok := birthOfFile(f, path)
	return fileIdentity{dev: dev, ino: ino, birth: birth}, ok
}

// identityAt is the identity of the regular file at path (a symbolic link
// is not followed, nor anything else accepted).
func identityAt(path string) (fileIdentity, bool) {
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return fileIdentity{}, false
	}
	dev, ino, ok := fileID(fi)
	if !ok {
		return fileIdentity{}, false
	}
	birth, ok := birthOfPath(path)
	return fileIdentity{dev: dev, ino: ino, birth: birth}, ok
}

// fileID is the device and inode number of a file, where the system has
// them (read by field name, as statOf does, so one file serves every Unix).
func fileID(fi os.FileInfo) (dev, ino uint64, ok bool) {
	sys := reflect.ValueOf(fi.Sys())
	if sys.Kind() == reflect.Pointer && !sys.IsNil() {
		sys = sys.Elem()
	}
	if sys.Kind() != reflect.Struct {
		return 0, 0, false
	}
	num := func(name string) (uint64, bool) {
		f := sys.FieldByName(name)
		switch {
		case !f.IsValid():
			return 0, false
		case f.CanUint():
			return f.Uint(), true
		case f.CanInt():
			return uint64(f.Int()), true
		}
		return 0, false
	}
	dev, ok1 := num("Dev")
	ino, ok2 := num("Ino")
	return dev, ino, ok1 && ok2 && ino != 0
}

// BirthTimeKnown reports whether files created in dir get a birth
// (creation) time. Without one pm cannot tell a git lock file a killed pm
// left from a live git's lock that reuses its inode, so it removes none of
// a dead pm's files there (see removeOrphans) and git's own message stays.
// The tests ask it to know which recovery to expect.
func BirthTimeKnown(dir string) bool {
	f, err := os.CreateTemp(dir, ".birth-probe-")
	if err != nil {
		return false
	}
	defer os.Remove(f.Name())
	defer f.Close()
	_, ok := identityOfFile(f, f.Name())
	return ok
}

// createNoted creates path exclusively, as git creates its lock files, and
// notes it in held (pm's lock) before it exists under that name, so that no
// instant exists at which a kill leaves path behind unnoted (the soak of
// issue 12 found that window: an index.lock that blocked every later
// commit). The file is made under a temporary name beside path, noted under
// both names with its identity (inode and birth time survive a link), then
// hard-linked to path, which fails if path exists, exactly like O_EXCL; the
// temporary name is then removed. If pm dies at any point, the next pm's
// takeover removes whichever of the two names still is this very file, and
// nothing else. Where hard links are not supported, it falls back to
// O_EXCL and a note right after.
func createNoted(path string, held *heldLock, flag int, perm os.FileMode) (*os.File, error) {
	if held == nil {
		return os.OpenFile(path, flag|os.O_CREATE|os.O_EXCL, perm)
	}
	var rnd [6]byte
	rand.Read(rnd[:])
	dir, base := filepath.Split(path)
	tmp := filepath.Join(dir, "."+base+".tmp-"+hex.EncodeToString(rnd[:]))
	f, err := os.OpenFile(tmp, flag|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return nil, err
	}
	held.own(tmp, f)
	held.own(path, f)
	if err := os.Link(tmp, path); err != nil {
		held.free(path)
		if !errors.Is(err, os.ErrExist) {
			// No hard links here (FAT, some network file systems).
			held.free(tmp)
			f.Close()
			os.Remove(tmp)
			f, err := os.OpenFile(path, flag|os.O_CREATE|os.O_EXCL, perm)
			if err == nil {
				held.own(path, f)
			}
			return f, err
		}
		held.free(tmp)
		f.Close()
		os.Remove(tmp)
		return nil, err
	}
	held.free(tmp)
	os.Remove(tmp)
	return f, nil
}
