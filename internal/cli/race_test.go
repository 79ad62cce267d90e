package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestRaceWithUserCommits is issue 11's race: a responder's pm writes while
// a teammate on the same clone commits another file with plain git. No
// pm commit may take an entry away; one a user's commit took (git's own
// race, below) must be back in pm's next commit; and every entry pm
// reported as committed must be in HEAD, or, when a user's commit took it
// after pm's last one, in the file.
// 40 pm writes against 40 git commits, 10 rounds.
func TestRaceWithUserCommits(t *testing.T) {
	pm, err := exec.LookPath("pm")
	if err != nil {
		t.Fatalf("the test binary should be on PATH as pm (TestMain): %v", err)
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("needs the git CLI")
	}
	rounds, writes := 10, 40
	if testing.Short() {
		rounds = 2
	}
	env := append(os.Environ(), "HOME="+t.TempDir(), "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Alice", "GIT_AUTHOR_EMAIL=alice@example.com",
		"GIT_COMMITTER_NAME=Alice", "GIT_COMMITTER_EMAIL=alice@example.com", "PM_LOCK_TIMEOUT=30s")
	run := func(dir string, name string, args ...string) (string, error) {
		cmd := exec.Command(name, args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	for round := 1; round <= rounds; round++ {
		dir := filepath.Join(t.TempDir(), "repo")
		if out, err := run(t.TempDir(), "git", "init", "-q", "-b", "main", dir); err != nil {
			t.Fatalf("git init: %v\n%s", err, out)
		}
		if out, err := run(dir, pm, "new", "Race"); err != nil {
			t.Fatalf("pm new: %v\n%s", err, out)
		}
		file := "postmortems/" + time.Now().UTC().Format("2006-01-02") + "-race.md"
		var wg sync.WaitGroup
		committed := make([]bool, writes)
		userCommits := 0
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range writes {
				_, err := run(dir, pm, "note", fmt.Sprintf("entry %02d of round %d", i, round))
				committed[i] = err == nil
				time.Sleep(20 * time.Millisecond)
			}
		}()
		go func() {
			defer wg.Done()
			for i := range writes {
				os.WriteFile(filepath.Join(dir, "other.txt"), []byte(fmt.Sprintf("user change %d\n", i)), 0o644)
				// A user whose commit meets a busy index.lock sees git's
				// own refusal; like a user, the loop goes on.
				if _, err := run(dir, "git", "add", "other.txt"); err == nil {
					if _, err := run(dir, "git", "commit", "-q", "-m", fmt.Sprintf("user %d", i)); err == nil {
						userCommits++
					}
				}
				time.Sleep(15 * time.Millisecond)
			}
		}()
		wg.Wait()
		if userCommits == 0 {
			t.Fatalf("round %d: no user commit got through; the race was not run", round)
		}
		// pm's commits never take an entry away. A user's commit can, in
		// one case that is git's own: git commit reads the index before
		// it takes index.lock and writes what it read back once it has
		// the lock, so when all of a pm commit falls between the two, that
		// git commit is refused (its compare-and-swap of the branch finds
		// pm's commit) but leaves an index without pm's entry, and the
		// user's next commit is made from it. Then the entry is still in
		// the file, and pm's next commit has it again.
		revs, err := run(dir, "git", "rev-list", "--reverse", "HEAD", "--", file)
		if err != nil {
			t.Fatal(err)
		}
		prev := ""
		taken := map[string]string{} // entry line → the user commit that took it
		for _, rev := range strings.Fields(revs) {
			cur, err := run(dir, "git", "show", rev+":"+file)
			if err != nil {
				t.Fatalf("round %d: %v\n%s", round, err, cur)
			}
			subject, _ := run(dir, "git", "log", "-1", "--format=%s", rev)
			subject = strings.TrimSpace(subject)
			byPM := strings.HasPrefix(subject, "pm(")
			for l, by := range taken {
				if byPM && strings.Contains(cur, l) {
					delete(taken, l)
				} else if byPM {
					t.Errorf("round %d: %s took away %q, and pm's next commit %s (%s) does not have it back", round, by, l, rev[:7], subject)
					delete(taken, l)
				}
			}
			for _, l := range strings.Split(prev, "\n") {
				if strings.Contains(l, "entry ") && !strings.Contains(cur, l) {
					if byPM {
						t.Errorf("round %d: pm's commit %s (%s) took away %q", round, rev[:7], subject, l)
					} else {
						t.Logf("round %d: %s (%s) took away %q: git's race, see above", round, rev[:7], subject, l)
						taken[l] = rev[:7] + " (" + subject + ")"
					}
				}
			}
			prev = cur
		}
		head, err := run(dir, "git", "show", "HEAD:"+file)
		if err != nil {
			t.Fatalf("round %d: %v\n%s", round, err, head)
		}
		work, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(file)))
		for l, by := range taken {
			if !strings.Contains(string(work), l) {
				t.Errorf("round %d: %s took away %q after pm's last commit, and the file lacks it too", round, by, l)
			}
		}
		for i, ok := range committed {
			entry := fmt.Sprintf("entry %02d of round %d", i, round)
			if ok && !strings.Contains(head, entry) && !(len(taken) > 0 && strings.Contains(string(work), entry)) {
				t.Errorf("round %d: %q was committed, but HEAD lacks it", round, entry)
			}
			if !ok && !strings.Contains(string(work), entry) {
				t.Errorf("round %d: %q failed and is not in the file either", round, entry)
			}
		}
		if out, err := run(dir, "git", "fsck", "--strict", "--no-dangling"); err != nil || out != "" {
			t.Errorf("round %d: git fsck: %v\n%s", round, err, out)
		}
	}
}
