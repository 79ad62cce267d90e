package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSyncThreeResponders is issue 14's scenario: three clones with
// sync: auto, three responders writing 30 entries each at the same time
// (observations, hypotheses, a refute and a confirm, action items) against
// one remote. No command fails; once each clone has run pm sync, every
// clone holds every entry and item exactly once, in time order, each
// confirm and refute names the hypothesis its responder meant, there is no
// conflict marker, and git fsck --strict is clean everywhere.
//
// The same again with sync.branch, against a remote whose main branch
// refuses every push (as a protected branch does): the incidents live on
// their own branch, each clone's checkout of main is untouched.
func TestSyncThreeResponders(t *testing.T) {
	t.Run("main", func(t *testing.T) { threeResponders(t, "sync: auto\n", "") })
	t.Run("sync.branch", func(t *testing.T) {
		threeResponders(t, "sync:\n  mode: auto\n  branch: incidents\n", "incidents")
	})
}

// protectMain is a remote's update hook that refuses pushes to main.
const protectMain = "#!/bin/sh\nif [ \"$1\" = refs/heads/main ]; then echo 'main is protected' >&2; exit 1; fi\n"

func threeResponders(t *testing.T, pmYML, branch string) {
	pm, err := exec.LookPath("pm")
	if err != nil {
		t.Fatalf("the test binary should be on PATH as pm (TestMain): %v", err)
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("needs the git CLI")
	}
	home := t.TempDir()
	base := append(os.Environ(), "HOME="+home, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+filepath.Join(home, ".gitconfig"),
		"GIT_TERMINAL_PROMPT=0", "PM_LOCK_TIMEOUT=30s", "PM_INCIDENT=")
	run := func(dir, who string, args ...string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, args[0], args[1:]...)
		cmd.Dir = dir
		cmd.Env = append(append([]string{}, base...), "GIT_AUTHOR_NAME="+who, "GIT_AUTHOR_EMAIL="+strings.ToLower(who)+"@example.com",
			"GIT_COMMITTER_NAME="+who, "GIT_COMMITTER_EMAIL="+strings.ToLower(who)+"@example.com")
		cmd.WaitDelay = time.Second
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	must := func(dir, who string, args ...string) string {
		t.Helper()
		out, err := run(dir, who, args...)
		if err != nil {
			t.Fatalf("%s: %s: %v\n%s", who, strings.Join(args, " "), err, out)
		}
		return out
	}
	root := t.TempDir()
	remote := filepath.Join(root, "remote.git")
	must(root, "Setup", "git", "init", "-q", "--bare", "-b", "main", remote)
	seed := filepath.Join(root, "seed")
	must(root, "Setup", "git", "clone", "-q", remote, seed)
	must(seed, "Setup", pm, "init")
	os.WriteFile(filepath.Join(seed, ".pm.yml"), []byte(pmYML), 0o644)
	must(seed, "Setup", "git", "add", ".pm.yml", ".gitattributes")
	must(seed, "Setup", "git", "commit", "-q", "-m", "Set up pm")
	must(seed, "Setup", "git", "push", "-q", "origin", "main")
	mainTip := strings.TrimSpace(must(seed, "Setup", "git", "rev-parse", "main"))
	if branch != "" {
		if err := os.WriteFile(filepath.Join(remote, "hooks", "update"), []byte(protectMain), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	must(seed, "Setup", pm, "new", "Checkout fails for EU customers", "--service", "checkout")

	names := []string{"Alice", "Bob", "Carol"}
	clones := map[string]string{}
	for _, who := range names {
		clones[who] = filepath.Join(root, strings.ToLower(who))
		must(root, who, "git", "clone", "-q", remote, clones[who])
	}

	// hypothesisID finds the id the incident gives the hypothesis with
	// this text now, as a responder reads it off pm status before
	// confirming it: a hypothesis opened at the same time as a teammate's
	// may have been renumbered by the merge.
	type entryJSON struct {
		Time       time.Time `json:"time"`
		Kind       string    `json:"kind"`
		Hypothesis string    `json:"hypothesis"`
		Text       string    `json:"text"`
		Author     string    `json:"author"`
	}
	type showJSON struct {
		Path       string      `json:"path"`
		Entries    []entryJSON `json:"entries"`
		Hypotheses []struct {
			ID, Text, State string
		} `json:"hypotheses"`
		Actions []struct{ Text string } `json:"actions"`
	}
	show := func(dir, who string) (showJSON, error) {
		out, err := run(dir, who, pm, "show", "--format", "json")
		var s showJSON
		if err == nil {
			err = json.Unmarshal([]byte(out), &s)
		}
		if err != nil {
			return s, fmt.Errorf("pm show: %v\n%s", err, out)
		}
		return s, nil
	}
	hypothesisID := func(dir, who, text string) (string, error) {
		s, err := show(dir, who)
		if err != nil {
			return "", err
		}
		for _, h := range s.Hypotheses {
			if h.Text == text {
				return h.ID, nil
			}
		}
		return "", fmt.Errorf("no hypothesis %q in %s", text, dir)
	}

	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	notShared, cameIn, shared := 0, 0, 0
	fail := func(format string, args ...any) {
		mu.Lock()
		failures = append(failures, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	for _, who := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dir := clones[who]
			for i := range 30 {
				var args []string
				switch {
				case i%10 == 3:
					args = []string{pm, "hypothesis", fmt.Sprintf("%s hypothesis %d", who, i)}
				case i == 15:
					id, err := hypothesisID(dir, who, who+" hypothesis 3")
					if err != nil {
						fail("%s: %v", who, err)
						return
					}
					args = []string{pm, "refute", id, who + " refutes hypothesis 3"}
				case i == 25:
					id, err := hypothesisID(dir, who, who+" hypothesis 13")
					if err != nil {
						fail("%s: %v", who, err)
						return
					}
					args = []string{pm, "confirm", id, who + " confirms hypothesis 13"}
				case i == 20 || i == 28:
					args = []string{pm, "action", fmt.Sprintf("%s action item %d", who, i), "--owner", "@" + strings.ToLower(who), "--due", "2026-12-31", "--kind", "detect"}
				default:
					args = []string{pm, "observe", fmt.Sprintf("%s observation %d", who, i)}
				}
				out, err := run(dir, who, args...)
				if err != nil {
					fail("%s: %s: %v\n%s", who, strings.Join(args[1:], " "), err, out)
					return
				}
				mu.Lock()
				if strings.Contains(out, "not shared yet") {
					notShared++
				}
				if strings.Contains(out, "from teammates came in") {
					cameIn++
				}
				if strings.Contains(out, "pm: shared with") {
					shared++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("%d commands failed:\n%s", len(failures), strings.Join(failures, "\n"))
	}
	t.Logf("of 90 commands, %d shared at once (%d of them merging teammates' commits), %d not", shared, cameIn, notShared)
	// Each clone shares what it could not yet, twice round, so that the
	// last one's merge reaches the others.
	for range 2 {
		for _, who := range names {
			must(clones[who], who, pm, "sync")
		}
	}
	var first []byte
	for _, who := range names {
		s, err := show(clones[who], who)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(s.Path)
		if !filepath.IsAbs(s.Path) {
			data, _ = os.ReadFile(filepath.Join(clones[who], s.Path))
		}
		if first == nil {
			first = data
		} else if !bytes.Equal(first, data) {
			t.Fatalf("%s's incident differs from Alice's:\n%s", who, data)
		}
		if bytes.Contains(data, []byte("<<<<<<<")) || bytes.Contains(data, []byte(">>>>>>>")) {
			t.Fatalf("conflict markers in %s's incident:\n%s", who, data)
		}
		count := map[string]int{}
		for _, e := range s.Entries {
			count[e.Text]++
		}
		for _, a := range s.Actions {
			count[a.Text]++
		}
		for _, w := range names {
			for i := range 30 {
				var text string
				switch {
				case i%10 == 3:
					text = fmt.Sprintf("%s hypothesis %d", w, i)
				case i == 15:
					text = w + " refutes hypothesis 3"
				case i == 25:
					text = w + " confirms hypothesis 13"
				case i == 20 || i == 28:
					text = fmt.Sprintf("%s action item %d", w, i)
				default:
					text = fmt.Sprintf("%s observation %d", w, i)
				}
				if count[text] != 1 {
					t.Errorf("%s's clone holds %q %d times, want once", who, text, count[text])
				}
			}
		}
		if !sort.SliceIsSorted(s.Entries, func(i, j int) bool { return s.Entries[i].Time.Before(s.Entries[j].Time) }) {
			t.Errorf("%s's log is not in time order", who)
		}
		// Each refute and confirm names the hypothesis its responder meant.
		opened := map[string]string{}
		for _, e := range s.Entries {
			if e.Kind == "hypothesis" {
				if prev, dup := opened[e.Hypothesis]; dup {
					t.Errorf("%s: %s opened twice (%q and %q)", who, e.Hypothesis, prev, e.Text)
				}
				opened[e.Hypothesis] = e.Text
			}
		}
		closings := 0
		for _, e := range s.Entries {
			if e.Kind != "confirmed" && e.Kind != "refuted" {
				continue
			}
			closings++
			w, _, _ := strings.Cut(e.Text, " ")
			want := w + " hypothesis 3"
			if strings.Contains(e.Text, "confirms") {
				want = w + " hypothesis 13"
			}
			if opened[e.Hypothesis] != want {
				t.Errorf("%s: %q closes %s, which is %q, not %q", who, e.Text, e.Hypothesis, opened[e.Hypothesis], want)
			}
		}
		if closings != 6 {
			t.Errorf("%s: %d confirmed or refuted entries, want 6 (a refute and a confirm each)", who, closings)
		}
	}
	for _, dir := range append([]string{remote}, clones["Alice"], clones["Bob"], clones["Carol"]) {
		must(dir, "Check", "git", "fsck", "--strict")
	}
	for _, who := range names {
		if st := must(clones[who], who, "git", "status", "--porcelain"); st != "" {
			t.Errorf("%s's clone is not clean:\n%s", who, st)
		}
		if branch == "" {
			continue
		}
		wt := filepath.Join(clones[who], ".git", "pm", "worktrees", branch)
		if st := must(wt, who, "git", "status", "--porcelain"); st != "" {
			t.Errorf("%s's checkout of %s is not clean:\n%s", who, branch, st)
		}
		if tip := strings.TrimSpace(must(clones[who], who, "git", "rev-parse", "main")); tip != mainTip {
			t.Errorf("%s's main moved from %s to %s: sync.branch must leave it alone", who, mainTip, tip)
		}
	}
	if branch != "" {
		if tip := strings.TrimSpace(must(remote, "Check", "git", "rev-parse", "main")); tip != mainTip {
			t.Errorf("the remote's main moved from %s to %s", mainTip, tip)
		}
		local := must(clones["Alice"], "Check", "git", "rev-parse", branch)
		if tip := must(remote, "Check", "git", "rev-parse", branch); tip != local {
			t.Errorf("the remote's %s is %s, Alice's %s after the last sync", branch, tip, local)
		}
	}
}
