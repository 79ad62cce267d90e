//go:build unix

package repo_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/pm-tool/pm/internal/repo"
)

// TestFaultChild is the process TestKilledMidWrite kills: it runs pm
// observe with a hook that SIGKILLs the process at the point named in the
// environment. Run on its own, it does nothing.
func TestFaultChild(t *testing.T) {
	point, dir := os.Getenv(envFaultPoint), os.Getenv(envFaultDir)
	if point == "" {
		t.Skip("run by TestKilledMidWrite")
	}
	repo.SetFaultHook(func(p string) {
		if p == point {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // the signal is on its way
		}
	})
	code, stderr := runPM(t, dir, "observe", "first")
	// Reaching this line means the point was never reached: the parent
	// reports it, as the child exits normally.
	fmt.Fprintf(os.Stderr, "fault point %q not reached; pm exited %d: %s", point, code, stderr)
}

// TestKilledMidWrite kills pm observe at each fault point and checks what
// is left and that the next pm observe recovers: the file is the old or the
// new version, git fsck is clean, the branch names the old or the new
// commit, and afterwards both entries that reached the file are committed
// with nothing left over — no lock, no temporary file, a clean status.
func TestKilledMidWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	cases := []struct {
		point string
		// what the kill leaves: the new file in place, the new commit
		newFile, newCommit bool
	}{
		{repo.FaultTempWritten, false, false},
		{repo.FaultRenamed, true, false},
		{repo.FaultObjectsWritten, true, false},
		{repo.FaultRefLocked, true, false},
		{repo.FaultRefUpdated, true, true},
	}
	for _, c := range cases {
		// Not parallel: cli.Main shares urfave/cli's package-level
		// flags, so two in one process race.
		t.Run(c.point, func(t *testing.T) {
			dir := newFaultRepo(t)
			file := filepath.Join(dir, filepath.FromSlash(faultIncident))
			old := readFile(t, file)
			oldHead := strings.TrimSpace(git(t, dir, "rev-parse", "HEAD"))

			cmd := exec.Command(os.Args[0], "-test.run=^TestFaultChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), envFaultPoint+"="+c.point, envFaultDir+"="+dir)
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				t.Fatalf("pm was not killed at %s (err %v):\n%s", c.point, err, out)
			}
			if ws, ok := ee.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
				t.Fatalf("pm ended with %v, not SIGKILL:\n%s", err, out)
			}

			// What the crash left: one whole version of the file.
			got := readFile(t, file)
			const first = "- `2026-11-24T09:12:00Z` **observe** first _(Alice Example)_\n"
			isNew := strings.Count(got, first) == 1 && strings.Replace(got, first, "", 1) == old
			switch {
			case got != old && !isNew:
				t.Fatalf("the file is neither the old nor the new version:\n%s", got)
			case isNew != c.newFile:
				t.Errorf("the file is the new version: %v, want %v", isNew, c.newFile)
			}
			if out, err := gitErr(dir, "fsck", "--strict", "--no-dangling"); err != nil || strings.Contains(out, "error") {
				t.Errorf("git fsck after the crash: %v\n%s", err, out)
			}
			head := strings.TrimSpace(git(t, dir, "rev-parse", "HEAD"))
			if (head != oldHead) != c.newCommit {
				t.Errorf("HEAD = %s (old %s), want the new commit: %v", head, oldHead, c.newCommit)
			}
			if c.newCommit {
				if msg := git(t, dir, "log", "-1", "--format=%s"); !strings.Contains(msg, "observe: first") {
					t.Errorf("the new commit is %q", msg)
				}
			}

			// The next pm recovers.
			if !repo.BirthTimeKnown(filepath.Join(dir, ".git")) {
				t.Skipf("%s gives files no birth time: pm cannot tell a dead pm's git locks and temporary files from later ones, so it leaves them to the user; recovery not checked", dir)
			}
			// Exit 0 and no "pm:" line: no lock message, no index hint.
			if code, stderr := runPM(t, dir, "observe", "second"); code != 0 || strings.Contains(stderr, "pm:") {
				t.Fatalf("the next pm observe: exit %d:\n%s", code, stderr)
			}
			got = readFile(t, file)
			if !strings.Contains(got, "**observe** second _(Alice Example)_\n") {
				t.Errorf("the second entry is not in the file:\n%s", got)
			}
			if strings.Contains(got, "**observe** first") != c.newFile {
				t.Errorf("first entry in the file: %v, want %v", !c.newFile, c.newFile)
			}
			if st := git(t, dir, "status", "--porcelain", "--ignored", "--untracked-files=all"); st != "" {
				t.Errorf("git status after recovery:\n%s", st)
			}
			if n := strings.Count(git(t, dir, "log", "--format=%s"), "\n"); n != 2+btoi(c.newCommit) {
				t.Errorf("%d commits, want %d:\n%s", n, 2+btoi(c.newCommit), git(t, dir, "log", "--format=%s"))
			}
			if out, err := gitErr(dir, "fsck", "--strict", "--no-dangling"); err != nil || strings.Contains(out, "error") {
				t.Errorf("git fsck after recovery: %v\n%s", err, out)
			}
			assertNoLeftovers(t, dir)
		})
	}
}
