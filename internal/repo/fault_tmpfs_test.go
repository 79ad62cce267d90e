//go:build linux

package repo_test

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// TestFullDisk runs pm on a real, tiny, full file system: a tmpfs, which
// only root can mount (the test skips otherwise; TestWriteFailsCleanly
// covers the same outcome by injection everywhere). With the disk full,
// pm cannot even take its lock; with one page left, it takes the lock and
// the write of the new version fails. Either way the file is unchanged,
// the entry is printed back, nothing is left behind, and once space is
// freed the next pm works.
func TestFullDisk(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	mnt := t.TempDir()
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, "size=1m,mode=0755"); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(mnt, syscall.MNT_DETACH) })
	dir := filepath.Join(mnt, "repo")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	git(t, dir, "-c", "init.defaultBranch=main", "init", "-q", "--template=")
	if code, stderr := runPM(t, dir, "new", "Disk fills up"); code != 0 {
		t.Fatalf("pm new: exit %d: %s", code, stderr)
	}
	path := filepath.Join(dir, filepath.FromSlash(faultIncident))
	old := readFile(t, path)
	head := git(t, dir, "rev-parse", "HEAD")

	// Fill the disk a page at a time until it refuses.
	filler := filepath.Join(mnt, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	page := make([]byte, 4096)
	for {
		if _, err := f.Write(page); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	fi, _ := f.Stat()
	f.Close()

	// The journal is written first, then the lock, then the file: with no
	// room at all the journal refuses; with a page free, whichever step
	// runs out first. Either way one line says what and what to do.
	noSpace := ": no space left on device; nothing was changed; free some disk space, then run the command again"
	for _, c := range []struct {
		name string
		want *regexp.Regexp
		free int64 // bytes to give back before pm runs
	}{
		{"no space at all", regexp.MustCompile("^pm: cannot keep the entry in pm's journal: write .*" + regexp.QuoteMeta(noSpace) + "$"), 0},
		{"room for one page", regexp.MustCompile("^pm: (cannot keep the entry in pm's journal: write .*|take lock .*|cannot write " + regexp.QuoteMeta(faultIncident) + ": write)" + regexp.QuoteMeta(noSpace) + "$"), 4096},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := os.Truncate(filler, fi.Size()-c.free); err != nil {
				t.Fatal(err)
			}
			code, stderr := runPM(t, dir, "observe", "the disk is full")
			if first, _, _ := strings.Cut(stderr, "\n"); code != 1 || !c.want.MatchString(first) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and first line\n%s", code, stderr, c.want)
			}
			if !strings.HasSuffix(stderr, "\n- `2026-11-24T09:12:00Z` **observe** the disk is full _(Alice Example)_\n") {
				t.Errorf("the entry is not printed back:\n%s", stderr)
			}
			if got := readFile(t, path); got != old {
				t.Errorf("the file changed:\n%s", got)
			}
			if git(t, dir, "rev-parse", "HEAD") != head {
				t.Error("something was committed")
			}
			assertNoLeftovers(t, dir)
		})
	}

	os.Remove(filler)
	if code, stderr := runPM(t, dir, "observe", "space freed"); code != 0 {
		t.Fatalf("after freeing space: exit %d: %s", code, stderr)
	}
	if st := git(t, dir, "status", "--porcelain", "--untracked-files=all"); st != "" {
		t.Errorf("git status:\n%s", st)
	}
	assertNoLeftovers(t, dir)
}
