package repo_test

// Fault tests (issue 7, "Faults"): pm is killed at each point of a write
// and a commit, and the next pm must find the file whole (old or new, never
// partial), git sound, and carry on; a read-only file or folder and a full
// or read-only disk give one clear line and change nothing. They drive the
// real command, cli.Main, and live here rather than in internal/cli
// because the fault hooks are only reachable from repo's own tests
// (export_test.go): pm itself has no way to be told to crash.

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pm-tool/pm/internal/cli"
	"github.com/pm-tool/pm/internal/repo"
)

const (
	faultIncident = "postmortems/2026-11-24-disk-fills-up.md"
	// The child process reads these.
	envFaultPoint = "PM_TEST_FAULT_POINT"
	envFaultDir   = "PM_TEST_FAULT_DIR"
)

var faultNow = time.Date(2026, 11, 24, 9, 12, 0, 0, time.UTC)

// runPM runs pm in this process in dir and returns its exit code and what
// it printed to stderr.
func runPM(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	return runPMIn(t, dir, "", args...)
}

// runPMIn is runPM with stdin.
func runPMIn(t *testing.T, dir, stdin string, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	vars := map[string]string{
		"GIT_AUTHOR_NAME": "Alice Example", "GIT_AUTHOR_EMAIL": "alice@example.com",
		"GIT_COMMITTER_NAME": "Alice Example", "GIT_COMMITTER_EMAIL": "alice@example.com",
		"HOME": dir, "GIT_CONFIG_NOSYSTEM": "1",
		// These tests read stderr for what pm says about a failure and
		// its recovery; the guide's next step (guide.txtar) would be noise.
		"PM_GUIDE": "0",
	}
	env := cli.Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Dir: dir,
		Getenv: func(k string) string { return vars[k] }, Now: func() time.Time { return faultNow }}
	code := cli.Main(append([]string{"pm"}, args...), env)
	return code, errb.String()
}

// git runs the git CLI in dir, isolated from the machine's configuration.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := gitErr(dir, args...)
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func gitErr(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+dir, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// newFaultRepo makes a git repository with one incident, committed by pm.
func newFaultRepo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("the fault tests check results with the git CLI, which is not installed")
	}
	dir := t.TempDir()
	git(t, dir, "-c", "init.defaultBranch=main", "init", "-q")
	if code, stderr := runPM(t, dir, "new", "Disk fills up"); code != 0 {
		t.Fatalf("pm new: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, faultIncident)); err != nil {
		t.Fatal(err)
	}
	return dir
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// assertNoLeftovers fails for any lock file in .git and any temporary
// file anywhere in the work tree.
func assertNoLeftovers(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if strings.HasSuffix(name, ".lock") || strings.Contains(name, ".tmp-") || strings.HasSuffix(name, ".takeover") {
			t.Errorf("left behind: %s", p)
		}
		if d.IsDir() && name == "objects" {
			return filepath.SkipDir
		}
		return nil
	})
}

// TestWriteFailsCleanly: pm observe on a read-only file, in a read-only
// folder, on a read-only or full disk (injected at each step of the write,
// since no small file system can be made without root) exits 1 with one
// line that names the file, the cause and what to do; the file is byte for
// byte what it was, nothing is committed or left behind, and the entry the
// user gave, which is now in no file, is printed back. Once the cause is
// gone the same command works.
func TestWriteFailsCleanly(t *testing.T) {
	const file = faultIncident
	enospc := func(op string) error {
		return &os.PathError{Op: op, Path: "/x/.y.tmp-0123456789ab", Err: syscall.ENOSPC}
	}
	cases := []struct {
		name  string
		fault func(t *testing.T, dir string) (restore func())
		line  string // the first line of stderr
	}{
		{"read-only file", chmod(file, 0o444),
			"pm: cannot write " + file + ": the file is read-only; nothing was changed; make it writable (chmod u+w " + file + ") if it should change"},
		{"read-only folder", chmod("postmortems", 0o555),
			"pm: cannot write " + file + ": its folder is read-only; nothing was changed; pm replaces a file through a temporary file beside it, so postmortems must be writable (chmod u+w postmortems)"},
		{"permission denied at create, injected", inject("create", &os.PathError{Op: "open", Path: "/x", Err: syscall.EACCES}),
			"pm: cannot write " + file + ": create a temporary file: permission denied; nothing was changed; pm replaces a file through a temporary file beside it, so postmortems must be writable (chmod u+w postmortems)"},
		{"read-only file system", inject("create", &os.PathError{Op: "open", Path: "/x", Err: syscall.EROFS}),
			"pm: cannot write " + file + ": create a temporary file: read-only file system; nothing was changed; the file system is mounted read-only; remount it read-write or work in a clone on a writable disk"},
		{"disk full at write", inject("write", enospc("write")),
			"pm: cannot write " + file + ": write: no space left on device; nothing was changed; free some disk space, then run the command again"},
		{"disk full at sync", inject("sync", enospc("sync")),
			"pm: cannot write " + file + ": sync: no space left on device; nothing was changed; free some disk space, then run the command again"},
		{"disk full at rename", inject("rename", &os.LinkError{Op: "rename", Old: "/x/.y.tmp-0123456789ab", New: "/x/y", Err: syscall.ENOSPC}),
			"pm: cannot write " + file + ": replace: no space left on device; nothing was changed; free some disk space, then run the command again"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := newFaultRepo(t)
			path := filepath.Join(dir, filepath.FromSlash(file))
			old := readFile(t, path)
			head := git(t, dir, "rev-parse", "HEAD")

			restore := c.fault(t, dir)
			code, stderr := runPMIn(t, dir, "kubectl logs api-7f9c\nerror: connection refused\n", "observe", "-")
			restore()

			lines := strings.Split(stderr, "\n")
			if code != 1 || lines[0] != c.line {
				t.Errorf("exit %d, first line\n%s\nwant exit 1 and\n%s", code, lines[0], c.line)
			}
			// The text came from a pipe: it is printed back in full.
			entry := "- `2026-11-24T09:12:00Z` **observe** pasted 2 lines from stdin _(Alice Example)_\n  ```\n  kubectl logs api-7f9c\n  error: connection refused\n  ```\n"
			// It is also kept in the journal, which pm recover reads.
			if !strings.HasSuffix(stderr, "kept in pm's journal: once that is fixed, pm recover writes it back; here it is:\n"+entry) {
				t.Errorf("stderr does not end with the entry:\n%s", stderr)
			}
			if got := readFile(t, path); got != old {
				t.Errorf("the file changed:\n%s", got)
			}
			if git(t, dir, "rev-parse", "HEAD") != head {
				t.Error("something was committed")
			}
			if st := git(t, dir, "status", "--porcelain", "--ignored", "--untracked-files=all"); st != "" {
				t.Errorf("git status:\n%s", st)
			}
			assertNoLeftovers(t, dir)

			if code, stderr := runPM(t, dir, "observe", "once the disk is fine"); code != 0 {
				t.Fatalf("once the cause is gone: exit %d: %s", code, stderr)
			}
			if git(t, dir, "status", "--porcelain") != "" {
				t.Error("not committed once the cause is gone")
			}
			if code, stderr := runPM(t, dir, "recover"); code != 0 {
				t.Fatalf("pm recover: exit %d: %s", code, stderr)
			}
			if got := git(t, dir, "show", "HEAD:"+file); !strings.Contains(got, "error: connection refused") {
				t.Errorf("pm recover did not commit the kept entry:\n%s", got)
			}
		})
	}
}

// chmod makes rel read-only with mode until restore. pm honours the
// permission bits even as root, where the system would let it write, so
// this case runs under any user.
func chmod(rel string, mode os.FileMode) func(*testing.T, string) func() {
	return func(t *testing.T, dir string) func() {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		restore := func() { os.Chmod(p, fi.Mode().Perm()) }
		t.Cleanup(restore)
		return restore
	}
}

// inject fails one step of the file write with err.
func inject(step string, err error) func(*testing.T, string) func() {
	return func(*testing.T, string) func() { return repo.WriteFault(step, err) }
}
