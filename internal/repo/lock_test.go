package repo

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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
