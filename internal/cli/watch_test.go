package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/pm-tool/pm/internal/incident"
)

// TestWatchTerminal: on a terminal pm watch redraws the whole board in
// place (cursor home, clear) at each refresh, teammates' entries marked;
// piped, it appends each entry once.
func TestWatchTerminal(t *testing.T) {
	at := func(m int) time.Time { return time.Date(2026, 11, 24, 9, m, 0, 0, time.UTC) }
	d := &incident.Doc{Meta: incident.Meta{ID: "2026-11-24-api", Title: "API returns 502", Status: "investigating", Severity: "SEV2", Started: at(0)},
		Entries: []incident.Entry{
			{Time: at(5), Kind: "observe", Text: "mine", Author: "Alice"},
			{Time: at(4), Kind: "observe", Text: "theirs", Author: "Bob"},
		}}
	var out bytes.Buffer
	v := &watcher{out: &out, terminal: true, me: "Alice", last: 10, seen: map[string]bool{}, zone: time.UTC}
	v.show(d, at(6), "in step with origin/main at 09:06:00", 2*time.Second)
	v.show(d, at(6), "in step with origin/main at 09:06:02", 2*time.Second)
	s := out.String()
	if strings.Count(s, "\x1b[H\x1b[2J") != 2 || !strings.HasPrefix(s, "\x1b[H\x1b[2J2026-11-24-api  API returns 502\n") {
		t.Fatalf("want two full redraws, got:\n%q", s)
	}
	for _, want := range []string{"\n* 09:04:00  observe       theirs (Bob)\n  09:05:00  observe       mine (Alice)\n", "in step with origin/main at 09:06:02 · every 2s · Ctrl-C stops\n"} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %q in:\n%s", want, s)
		}
	}

	out.Reset()
	v = &watcher{out: &out, me: "Alice", last: 1, seen: map[string]bool{}, zone: time.UTC}
	v.show(d, at(6), "", time.Second)
	d.Entries = append(d.Entries, incident.Entry{Time: at(7), Kind: "note", Text: "later", Author: "Carol"})
	v.show(d, at(8), "", time.Second)
	v.show(d, at(9), "", time.Second)
	if got, want := out.String(), "  09:05:00  observe       mine (Alice)\n* 09:07:00  note          later (Carol)\n"; got != want {
		t.Errorf("piped: got\n%s\nwant\n%s", got, want)
	}
}
