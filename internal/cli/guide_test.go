package cli

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestGuideLeavesStdout: the guide writes to stderr only. The whole loop,
// every writing command, is run twice in two identical repositories, with
// the guide on and with PM_GUIDE=0: stdout is the same byte for byte, so
// scripts that read it (H=$(pm hypothesis …), pm new's id) see no change,
// and only the guided run's stderr has "pm: next:" lines.
func TestGuideLeavesStdout(t *testing.T) {
	steps := [][]string{
		{"new", "API returns 502", "--started", "09:00"},
		{"hypothesis", "a bad deploy"},
		{"down", "api", "every request returns 502"},
		{"up", "db", "accepts connections"},
		{"observe", "-"},
		{"orient", "deploy 4812 at 08:55"},
		{"refute", "H1", "rolled back, still 502"},
		{"note", "paged the db team"},
		{"decide", "rotate the credentials first"},
		{"hypothesis", "the credentials expired"},
		{"confirm", "H2", "vault lease expired at 08:59"},
		{"act", "rotated the credentials"},
		{"mitigate"},
		{"timeline", "--write"},
		{"action", "Renew leases from CI", "--owner", "@ana", "--due", "2026-12-08", "--kind", "automate"},
		{"done", "1"},
		{"resolve", "all hosts renewed"},
		{"close", "--force"},
	}
	run := func(guide string) (outs, errs []string) {
		dir := t.TempDir()
		if out, err := exec.Command("git", "init", "-q", dir).CombinedOutput(); err != nil {
			t.Fatalf("git init: %v %s", err, out)
		}
		vars := map[string]string{"GIT_AUTHOR_NAME": "Alice Example", "GIT_AUTHOR_EMAIL": "alice@example.com",
			"GIT_COMMITTER_NAME": "Alice Example", "GIT_COMMITTER_EMAIL": "alice@example.com", "HOME": dir,
			"GIT_CONFIG_NOSYSTEM": "1", "PM_GUIDE": guide, "TZ": "UTC"}
		for i, args := range steps {
			var out, errb bytes.Buffer
			now := time.Date(2026, 11, 24, 9, 10+i, 0, 0, time.UTC)
			env := Env{Stdin: strings.NewReader("ERROR pq: password authentication failed\nERROR again\n"), Stdout: &out, Stderr: &errb, Dir: dir,
				Getenv: func(k string) string { return vars[k] }, Now: func() time.Time { return now }}
			if code := Main(append([]string{"pm"}, args...), env); code != 0 {
				t.Fatalf("PM_GUIDE=%s pm %s: exit %d\n%s", guide, strings.Join(args, " "), code, errb.String())
			}
			outs, errs = append(outs, out.String()), append(errs, errb.String())
		}
		return outs, errs
	}
	onOut, onErr := run("")
	offOut, offErr := run("0")
	for i, args := range steps {
		if onOut[i] != offOut[i] {
			t.Errorf("pm %s: stdout differs with the guide on:\n%q\nwithout:\n%q", strings.Join(args, " "), onOut[i], offOut[i])
		}
		if strings.Contains(offErr[i], "pm: next:") {
			t.Errorf("pm %s with PM_GUIDE=0 still guides: %q", strings.Join(args, " "), offErr[i])
		}
		// Every command before close names a next step; close leaves none.
		if guided := strings.Contains(onErr[i], "pm: next:"); guided != (args[0] != "close") {
			t.Errorf("pm %s: guided %v, stderr %q", strings.Join(args, " "), guided, onErr[i])
		}
	}
}
