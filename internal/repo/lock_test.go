package repo

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLockSerialisesGoroutines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pm.lock")
	var holders, maxHolders atomic.Int32
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				unlock, err := LockPath(path, 10*time.Second)
				if err != nil {
					t.Error(err)
					return
				}
				n := holders.Add(1)
				if n > maxHolders.Load() {
					maxHolders.Store(n)
				}
				time.Sleep(time.Millisecond)
				holders.Add(-1)
				if err := unlock(); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if maxHolders.Load() != 1 {
		t.Errorf("%d holders at once, want 1", maxHolders.Load())
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("lock file left behind")
	}
}

// TestLockHelperProcess is run as a child process by
// TestLockSerialisesProcesses: it increments a counter file under the lock.
func TestLockHelperProcess(t *testing.T) {
	dir := os.Getenv("PM_LOCK_HELPER_DIR")
	if dir == "" {
		t.Skip("helper process only")
	}
	for range 10 {
		unlock, err := LockPath(filepath.Join(dir, "pm.lock"), 20*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		counter := filepath.Join(dir, "counter")
		b, _ := os.ReadFile(counter)
		n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		if err := os.WriteFile(counter, []byte(strconv.Itoa(n+1)), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := unlock(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLockSerialisesProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	const procs = 3
	var cmds []*exec.Cmd
	for range procs {
		cmd := exec.Command(os.Args[0], "-test.run=^TestLockHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), "PM_LOCK_HELPER_DIR="+dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("helper: %v", err)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "counter"))
	if got := strings.TrimSpace(string(b)); got != strconv.Itoa(procs*10) {
		t.Errorf("counter = %s, want %d: increments were lost", got, procs*10)
	}
}

// deadPid returns the pid of a process that has exited.
func deadPid(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

func TestLockStaleAndLive(t *testing.T) {
	host, _ := os.Hostname()
	cases := []struct {
		name     string
		content  string
		age      time.Duration
		wantTake bool
	}{
		{"dead pid on this host", fmt.Sprintf("pid %d\nhost %s\ntime x\n", deadPid(t), host), 0, true},
		{"live pid, old", fmt.Sprintf("pid %d\nhost %s\ntime x\n", os.Getppid(), host), 10 * time.Minute, true},
		{"other host, old", "pid 1\nhost elsewhere\ntime x\n", 10 * time.Minute, true},
		{"live pid", fmt.Sprintf("pid %d\nhost %s\ntime x\n", os.Getppid(), host), 0, false},
		{"other host", fmt.Sprintf("pid %d\nhost elsewhere\ntime x\n", deadPid(t)), 0, false},
		{"dead pid, other pid namespace", fmt.Sprintf("pid %d\nhost %s\npidns pid:[1]\ntime x\n", deadPid(t), host), 0, false},
		{"dead pid, other pid namespace, old", fmt.Sprintf("pid %d\nhost %s\npidns pid:[1]\ntime x\n", deadPid(t), host), 10 * time.Minute, true},
		{"empty (being written)", "", 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "pm.lock")
			putFile(t, path, c.content)
			if c.age > 0 {
				old := time.Now().Add(-c.age)
				os.Chtimes(path, old, old)
			}
			unlock, err := LockPath(path, 50*time.Millisecond)
			if !c.wantTake {
				if !errors.Is(err, ErrLockTimeout) {
					t.Fatalf("err = %v, want ErrLockTimeout", err)
				}
				if msg := err.Error(); !strings.Contains(msg, path) || !strings.Contains(msg, "rm "+path) || strings.Contains(msg, "\n") {
					t.Errorf("message %q should name the file and how to remove it, on one line", msg)
				}
				if b, _ := os.ReadFile(path); string(b) != c.content {
					t.Error("a live lock was modified")
				}
				return
			}
			if err != nil {
				t.Fatalf("stale lock not taken over: %v", err)
			}
			b, _ := os.ReadFile(path)
			if !strings.Contains(string(b), fmt.Sprintf("pid %d\n", os.Getpid())) {
				t.Errorf("lock content = %q, want ours", b)
			}
			if err := unlock(); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Error("unlock left the file")
			}
			if _, err := os.Stat(path + ".takeover"); !os.IsNotExist(err) {
				t.Error("takeover guard left behind")
			}
		})
	}
}

// TestLockHostHolds: a pid in a lock means a process here only when the
// lock was taken on this host name and in this pid namespace; a lock from
// before the namespace was written is judged by host name, as then.
func TestLockHostHolds(t *testing.T) {
	here := lockHost{name: "box", pidns: "pid:[4026531836]"}
	dead := fmt.Sprintf("pid %d\n", deadPid(t))
	cases := []struct {
		name    string
		self    lockHost
		content string
		want    bool
	}{
		{"same host and namespace", here, "pid 7\nhost box\npidns pid:[4026531836]\ntime x\n", true},
		{"container on the host's network", here, "pid 7\nhost box\npidns pid:[4026532301]\ntime x\n", false},
		{"other host", here, "pid 7\nhost other\npidns pid:[4026531836]\ntime x\n", false},
		{"older pm, no namespace", here, "pid 7\nhost box\ntime x\n", true},
		{"older pm, other host", here, "pid 7\nhost other\ntime x\n", false},
		{"holder could not read its namespace", here, "pid 7\nhost box\npidns unknown\n", false},
		{"we cannot read ours", lockHost{"box", "unknown"}, "pid 7\nhost box\npidns unknown\n", false},
		{"empty namespace field", lockHost{"box", ""}, "pid 7\nhost box\npidns \n", false},
		{"we have no namespaces, holder has", lockHost{"box", ""}, "pid 7\nhost box\npidns pid:[4026531836]\n", false},
		{"neither has namespaces", lockHost{"box", ""}, "pid 7\nhost box\ntime x\n", true},
	}
	for _, c := range cases {
		if got := c.self.holds([]byte(c.content)); got != c.want {
			t.Errorf("%s: holds = %v, want %v", c.name, got, c.want)
		}
		if dead := holderDead([]byte(strings.Replace(c.content, "pid 7\n", dead, 1)), c.self); dead != c.want {
			t.Errorf("%s: holderDead = %v, want %v", c.name, dead, c.want)
		}
	}
}

func TestPidNamespace(t *testing.T) {
	cases := []struct {
		goos   string
		target string // what /proc/self/ns/pid reads as
		err    error
		want   string
	}{
		{"linux", "pid:[4026531836]", nil, "pid:[4026531836]"},
		{"linux", "", os.ErrNotExist, "unknown"}, // no /proc
		{"linux", "", nil, "unknown"},
		{"linux", "pid:[1]\nhost x", nil, "unknown"},
		{"darwin", "", nil, ""},
		{"windows", "", nil, ""},
	}
	for _, c := range cases {
		readlink := func(name string) (string, error) {
			if c.goos != "linux" || name != "/proc/self/ns/pid" {
				t.Errorf("%s: read link %s", c.goos, name)
			}
			return c.target, c.err
		}
		if got := pidNamespace(c.goos, readlink); got != c.want {
			t.Errorf("pidNamespace(%s) with %q, %v = %q, want %q", c.goos, c.target, c.err, got, c.want)
		}
	}
	if runtime.GOOS == "linux" {
		if _, err := os.Readlink("/proc/self/ns/pid"); err == nil {
			if got := readString(t, lockedFile(t)); !strings.Contains(got, "\npidns pid:[") {
				t.Errorf("lock file %q does not name the pid namespace", got)
			}
		}
	}
}

// lockedFile takes a lock in a new folder and returns its path; the lock is
// released when the test ends.
func lockedFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pm.lock")
	unlock, err := LockPath(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unlock() })
	return path
}

func TestDescribeHolder(t *testing.T) {
	self := lockHost{name: "box", pidns: "pid:[4026531836]"}
	cases := []struct{ content, want string }{
		{"pid 7\nhost box\npidns pid:[4026531836]\ntime T\n", "pid 7 on box since T"},
		{"pid 7\nhost box\npidns pid:[4026532301]\ntime T\n", "pid 7 on box (pid namespace pid:[4026532301]) since T"},
		{"pid 7\nhost box\ntime T\n", "pid 7 on box since T"},
		{"", "an unknown process"},
	}
	for _, c := range cases {
		if got := describeHolder([]byte(c.content), self); got != c.want {
			t.Errorf("describeHolder(%q) = %q, want %q", c.content, got, c.want)
		}
	}
}

func TestUnlockAfterTakeover(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pm.lock")
	unlock, err := LockPath(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	putFile(t, path, "pid 1\nhost other\n") // someone judged us stale
	if err := unlock(); err == nil {
		t.Error("unlock removed another process's lock")
	}
	if _, err := os.Stat(path); err != nil {
		t.Error("the other process's lock was removed")
	}
}

func TestRepoLock(t *testing.T) {
	r := fakeRepo(t, t.TempDir())
	unlock, err := r.Lock(time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(r.CommonDir, "pm.lock")); err != nil {
		t.Errorf("lock not in the common dir: %v", err)
	}
	if _, err := r.Lock(20 * time.Millisecond); !errors.Is(err, ErrLockTimeout) {
		t.Errorf("second Lock err = %v, want ErrLockTimeout", err)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
}

// TestHeldLockNotes checks the notes a holder keeps in its lock file: each
// file it owns is listed while it exists, dropped before it goes (in any
// order), and unlock still recognises the lock as its own.
func TestHeldLockNotes(t *testing.T) {
	dir := t.TempDir()
	if !birthKnown(t, dir) {
		t.Skipf("%s gives files no birth time: pm notes nothing (TestOwnWithoutBirthTime)", dir)
	}
	path := filepath.Join(dir, "pm.lock")
	l, err := lockPath(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	token := readString(t, path)
	create := func(name string) *os.File {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	a, b := create("index.lock"), create("main.lock")
	l.own(filepath.Join(dir, "index.lock"), a)
	l.own(filepath.Join(dir, "main.lock"), b)
	tmp := filepath.Join(t.TempDir(), ".x.md.tmp-0123456789ab")
	tf, err := os.Create(tmp)
	if err != nil {
		t.Fatal(err)
	}
	defer tf.Close()
	l.own(tmp, tf)

	got := readString(t, path)
	lines := strings.Split(strings.TrimPrefix(got, token), "\n")
	if !strings.HasPrefix(got, token) || len(lines) != 4 || lines[3] != "" {
		t.Fatalf("lock content %q: want the token and three notes", got)
	}
	for i, file := range []string{filepath.Join(dir, "index.lock"), filepath.Join(dir, "main.lock"), tmp} {
		name := file
		if i < 2 {
			name = filepath.Base(file)
		}
		if want := "owns " + idOf(t, file) + " " + name; lines[i] != want {
			t.Errorf("note %d = %q, want %q", i, lines[i], want)
		}
	}
	l.free(filepath.Join(dir, "index.lock")) // not the last note
	if got := readString(t, path); got != token+lines[1]+"\n"+lines[2]+"\n" {
		t.Errorf("after freeing the first: %q", got)
	}
	l.free(tmp)
	l.free(filepath.Join(dir, "main.lock"))
	l.free(filepath.Join(dir, "main.lock")) // twice is harmless
	if got := readString(t, path); got != token {
		t.Errorf("after freeing all: %q, want the token alone", got)
	}
	l.own(filepath.Join(dir, "main.lock"), b)
	if err := l.unlock(); err != nil {
		t.Fatalf("unlock with a note left: %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("unlock left the lock file")
	}
	var none *heldLock // outside Lock, CommitFile passes nil
	none.own(tmp, tf)
	none.free(tmp)
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestTakeOverRemovesOrphans: taking over the lock of a holder that died
// removes the git locks and temporary files it noted as its own — the very
// files, by inode and birth time — and nothing else; a holder that is
// merely old (or in another pid namespace) may still be at work, so its
// files stay. Where the file system keeps no birth time, nothing goes.
func TestTakeOverRemovesOrphans(t *testing.T) {
	self := thisHost()
	host := self.name
	dead := fmt.Sprintf("pid %d\nhost %s\ntime x\n", deadPid(t), host) // as pm wrote it before pidns
	deadHere := fmt.Sprintf("pid %d\nhost %s\n", deadPid(t), host)     // as pm writes it now
	if self.pidns != "" {
		deadHere += "pidns " + self.pidns + "\n"
	}
	deadHere += "time x\n"
	aliveOld := fmt.Sprintf("pid %d\nhost %s\ntime x\n", os.Getppid(), host)
	otherHostOld := fmt.Sprintf("pid %d\nhost elsewhere\ntime x\n", deadPid(t))
	otherNSOld := fmt.Sprintf("pid %d\nhost %s\npidns pid:[1]\ntime x\n", deadPid(t), host)
	// owns is the note pm writes for the orphan: its real DEV:INO:BIRTH.
	owns := func(id, rel, _ string) string { return "owns " + id + " " + rel + "\n" }
	cases := []struct {
		name   string
		holder string
		old    bool
		// note returns the lock file's notes for the orphan at path
		// (id is its real DEV:INO:BIRTH) and a file outside .git.
		note       func(id, rel, abs string) string
		wantRemove bool
	}{
		{"dead holder, its ref lock", dead, false, owns, true},
		{"dead holder in this pid namespace", deadHere, false, owns, self.pidns != "unknown"},
		{"dead holder, absolute path", dead, false, func(id, _, abs string) string { return "owns " + id + " " + abs + "\n" }, true},
		{"dead holder, the lock was replaced", dead, false, func(id, rel, _ string) string { return "owns 1:1:1 " + rel + "\n" }, false},
		{"dead holder, same inode, born earlier", dead, false, func(id, rel, _ string) string { return "owns " + devIno(id) + ":1 " + rel + "\n" }, false},
		{"dead holder, a note without birth time", dead, false, func(id, rel, _ string) string { return "owns " + devIno(id) + " " + rel + "\n" }, false},
		{"dead holder, no note", dead, false, func(string, string, string) string { return "" }, false},
		{"dead holder, note is garbage", dead, false, func(id, rel, _ string) string { return "owns " + rel + "\n" }, false},
		{"live holder, old lock", aliveOld, true, owns, false},
		{"other host, old lock", otherHostOld, true, owns, false},
		{"other pid namespace, old lock", otherNSOld, true, owns, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			gitDir := t.TempDir()
			orphan := filepath.Join(gitDir, "refs", "heads", "main.lock")
			putFile(t, orphan, "0123456789012345678901234567890123456789\n")
			path := filepath.Join(gitDir, "pm.lock")
			putFile(t, path, c.holder+c.note(idOf(t, orphan), "refs/heads/main.lock", orphan))
			if c.old {
				old := time.Now().Add(-10 * time.Minute)
				os.Chtimes(path, old, old)
			}
			unlock, err := LockPath(path, time.Second)
			if err != nil {
				t.Fatalf("stale lock not taken over: %v", err)
			}
			defer unlock()
			_, err = os.Stat(orphan)
			want := c.wantRemove && birthKnown(t, gitDir)
			if removed := os.IsNotExist(err); removed != want {
				t.Errorf("orphan removed: %v, want %v", removed, want)
			}
		})
	}
}

// TestRemoveOrphansOnlyItsKind: a note can only remove a git lock inside
// the lock's folder or a temporary file of WriteFileAtomic, whatever else
// it names with the right identity (and nothing where the file system
// keeps no birth time).
func TestRemoveOrphansOnlyItsKind(t *testing.T) {
	gitDir := filepath.Join(t.TempDir(), ".git")
	outside := filepath.Dir(gitDir)
	files := map[string]bool{ // path → may be removed
		filepath.Join(gitDir, "refs", "heads", "main.lock"):             true,
		filepath.Join(gitDir, "index.lock"):                             true,
		filepath.Join(gitDir, "worktrees", "wt", "index.lock"):          true,
		filepath.Join(outside, "postmortems", ".x.md.tmp-00aa11bb22cc"): true,
		filepath.Join(gitDir, "HEAD"):                                   false,
		filepath.Join(gitDir, "config"):                                 false,
		filepath.Join(outside, "other.lock"):                            false, // a .lock, but not in the lock's folder
		filepath.Join(outside, "postmortems", "x.md"):                   false,
		filepath.Join(outside, "postmortems", ".x.md.tmp-nothex012345"): false,
	}
	content := "pid 1\nhost h\ntime x\n"
	for p := range files {
		putFile(t, p, "x")
		name := p
		if rel, err := filepath.Rel(gitDir, p); err == nil && filepath.IsLocal(rel) {
			name = filepath.ToSlash(rel)
		}
		content += "owns " + idOf(t, p) + " " + name + "\n"
	}
	content += "owns " + idOf(t, filepath.Join(outside, "other.lock")) + " ../other.lock\n"
	removeOrphans(filepath.Join(gitDir, "pm.lock"), []byte(content))
	known := birthKnown(t, gitDir) && birthKnown(t, outside)
	for p, mayGo := range files {
		mayGo = mayGo && known
		_, err := os.Stat(p)
		if gone := os.IsNotExist(err); gone != mayGo {
			t.Errorf("%s removed: %v, want %v", p, gone, mayGo)
		}
	}
}

// idOf is the DEV:INO:BIRTH a note gives for path. Where the file system
// keeps no birth time, pm notes nothing; the id is then DEV:INO:1, what a
// note would need to say for pm to remove the file, which it must not (see
// birthKnown). Where the system has no inode numbers, the test is skipped.
func idOf(t *testing.T, path string) string {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if id, ok := identityAt(path); ok {
		return id.String()
	}
	dev, ino, ok := fileID(fi)
	if !ok {
		t.Skip("no inode numbers on this system: orphans are never removed")
	}
	return fileIdentity{dev: dev, ino: ino, birth: 1}.String()
}

// devIno is the DEV:INO of an id, without the birth time.
func devIno(id string) string {
	return id[:strings.LastIndex(id, ":")]
}

// birthKnown reports whether files created in dir get a birth time. Where
// they do not, pm must remove none of a dead holder's files.
func birthKnown(t *testing.T, dir string) bool {
	t.Helper()
	probe := filepath.Join(dir, ".birth-probe")
	putFile(t, probe, "")
	defer os.Remove(probe)
	_, ok := identityAt(probe)
	return ok
}

func TestParseFileIdentity(t *testing.T) {
	cases := []struct {
		in   string
		want fileIdentity
		ok   bool
	}{
		{"2049:9977909:1795603155884297809", fileIdentity{2049, 9977909, 1795603155884297809}, true},
		{"0:12:1", fileIdentity{0, 12, 1}, true},
		{"2049:9977909", fileIdentity{}, false}, // an older pm's note: no birth time
		{"2049:9977909:0", fileIdentity{}, false},
		{"2049:9977909:-5", fileIdentity{}, false},
		{"2049:0:17", fileIdentity{}, false},
		{"2049:9977909:17:1", fileIdentity{}, false},
		{"a:b:c", fileIdentity{}, false},
		{"", fileIdentity{}, false},
	}
	for _, c := range cases {
		got, ok := parseFileIdentity(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("parseFileIdentity(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
		if ok && got.String() != c.in {
			t.Errorf("%q reads back as %q", c.in, got.String())
		}
	}
}

// statOnly is an open file that says its device and inode number but
// nothing else: no descriptor, no birth time, no path on disk.
type statOnly struct{ fi os.FileInfo }

func (s statOnly) Stat() (os.FileInfo, error) { return s.fi, nil }

type inodeInfo struct{ os.FileInfo }

func (inodeInfo) Sys() any { return &struct{ Dev, Ino uint64 }{Dev: 2049, Ino: 42} }

// TestOwnWithoutBirthTime: a file whose birth time cannot be had is not
// noted, so that no later file with its inode number can be taken for it.
func TestOwnWithoutBirthTime(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pm.lock")
	l, err := lockPath(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer l.unlock()
	token := readString(t, path)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	f := statOnly{inodeInfo{fi}}
	if _, _, ok := fileID(must(f.Stat())); !ok {
		t.Fatal("the fake file should have an inode number")
	}
	l.own(filepath.Join(dir, "gone", "index.lock"), f)
	if got := readString(t, path); got != token {
		t.Errorf("noted a file without a birth time: %q", strings.TrimPrefix(got, token))
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
