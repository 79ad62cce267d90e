package repo

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestCommitsMatchGitLog: git is the oracle. In a history with a merged
// branch, renames, deletions, an empty commit and pm's own commits, the
// window's commits are git log --since/--until's (pm's left out), newest
// first, and each one's files are git diff-tree's against its first parent.
func TestCommitsMatchGitLog(t *testing.T) {
	dir := t.TempDir()
	mustGitIn(t, dir, nil, "init", "-q", "-b", "main")
	base := time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC)
	at := func(min int) map[string]string {
		when := fmt.Sprintf("@%d +0000", base.Add(time.Duration(min)*time.Minute).Unix())
		return map[string]string{"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
	}
	write := func(name, content string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	commit := func(min int, msg string) {
		mustGitIn(t, dir, at(min), "add", "-A")
		mustGitIn(t, dir, at(min), "commit", "-q", "--allow-empty", "-m", msg)
	}
	write("deploy/api.yaml", "image: 1\n")
	commit(0, "root")
	write("deploy/api.yaml", "image: 2\n")
	write("src/a.go", "package a\n")
	commit(30, "deploy 2")
	mustGitIn(t, dir, nil, "checkout", "-q", "-b", "feature")
	write("src/b.go", "package b\n")
	commit(40, "feature b")
	mustGitIn(t, dir, nil, "checkout", "-q", "main")
	write("postmortems/x.md", "x\n")
	commit(50, "pm(x): down: api\n\nPm-Incident: x\nPm-Kind: down")
	mustGitIn(t, dir, at(60), "merge", "-q", "--no-ff", "-m", "merge feature", "feature")
	mustGitIn(t, dir, at(70), "mv", "src/a.go", "src/c.go")
	mustGitIn(t, dir, at(70), "rm", "-q", "deploy/api.yaml")
	commit(70, "rename and delete")
	commit(80, "trigger deploy")
	write("postmortems/x.md", "y\n")
	commit(90, "postmortems: edit by hand")

	r, err := Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []struct{ from, to int }{{0, 90}, {35, 75}, {-60, 10}, {100, 200}} {
		from, to := base.Add(time.Duration(w.from)*time.Minute), base.Add(time.Duration(w.to)*time.Minute)
		h, err := r.Commits(from, to, func(p string) bool { return strings.HasPrefix(p, "postmortems/") })
		if err != nil {
			t.Fatal(err)
		}
		log := mustGitIn(t, dir, nil, "log", "--format=%H %s", fmt.Sprintf("--since=@%d", from.Unix()), fmt.Sprintf("--until=@%d", to.Unix()))
		var want, got []string
		skipped := 0
		for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
			if line == "" {
				continue
			}
			hash, subject, _ := strings.Cut(line, " ")
			if strings.HasPrefix(subject, "pm(") || strings.HasPrefix(subject, "postmortems:") {
				skipped++
				continue
			}
			files := mustGitIn(t, dir, nil, "show", "--diff-merges=first-parent", "--no-renames", "--name-only", "--format=", hash)
			fs := strings.Fields(files)
			slices.Sort(fs)
			want = append(want, hash+" "+subject+" "+strings.Join(fs, ","))
		}
		for _, c := range h.Commits {
			got = append(got, c.Hash+" "+c.Subject+" "+strings.Join(c.Files, ","))
		}
		if !slices.Equal(got, want) {
			t.Errorf("window %d..%d min:\ngot  %q\nwant %q", w.from, w.to, got, want)
		}
		if h.Skipped != skipped {
			t.Errorf("window %d..%d min: skipped %d, want %d", w.from, w.to, h.Skipped, skipped)
		}
	}

	// A fresh repository has no history, and no error.
	empty := t.TempDir()
	mustGitIn(t, empty, nil, "init", "-q")
	er, err := Find(empty)
	if err != nil {
		t.Fatal(err)
	}
	if h, err := er.Commits(base, base.Add(time.Hour), nil); err != nil || len(h.Commits) != 0 {
		t.Errorf("unborn HEAD: %v, %v", h, err)
	}
}
