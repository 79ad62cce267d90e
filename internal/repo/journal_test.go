package repo

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestJournalKeepListForget: a record written is listed whole, oldest
// first, and gone once forgotten; a damaged record, one of another version
// and a dead writer's half-written file are reported or cleaned, never
// fatal.
func TestJournalKeepListForget(t *testing.T) {
	dir := newGitRepo(t)
	r, err := Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	second, err := r.Keep(&Words{Incident: "b", Accepted: t0.Add(time.Second), Entry: &Logged{Time: t0, Kind: "observe", Text: "two\nlines"}})
	if err != nil {
		t.Fatal(err)
	}
	first, err := r.Keep(&Words{Incident: "a", Accepted: t0, Action: &Action{Text: "alert", Owner: "@bob"}})
	if err != nil {
		t.Fatal(err)
	}
	jd := filepath.Join(dir, ".git", "pm", "journal")
	os.WriteFile(filepath.Join(jd, "20261124T000000.000000000Z-1-000000000000.json"), []byte(`{"v":1,"incident":"x","entry":`), 0o644)
	os.WriteFile(filepath.Join(jd, "20261124T000001.000000000Z-1-000000000001.json"), []byte(`{"v":99,"incident":"x","entry":{"kind":"note","text":"x"}}`), 0o644)
	dead := filepath.Join(jd, ".20261124T000002.000000000Z-"+strconv.Itoa(deadPid(t))+"-000000000002.json.tmp")
	os.WriteFile(dead, []byte(`{"v":1`), 0o644)

	got, bad := r.Journal()
	if len(got) != 2 || got[0].Name() != first || got[1].Name() != second {
		t.Fatalf("Journal() = %v, want %s then %s", got, first, second)
	}
	if got[1].Entry.Text != "two\nlines" || got[0].Action.Owner != "@bob" {
		t.Errorf("records changed on the way: %+v %+v", got[1].Entry, got[0].Action)
	}
	if len(bad) != 2 || !strings.Contains(bad[0].Reason, "damaged") || !strings.Contains(bad[1].Reason, "another version") {
		t.Errorf("problems = %+v, want one damaged and one of another version", bad)
	}
	if _, err := os.Stat(dead); err == nil {
		t.Error("a dead writer's temporary record was left")
	}
	if n := r.Pending(); n != 4 {
		t.Errorf("Pending() = %d, want 4 (every .json record)", n)
	}
	r.Forget(first)
	r.Forget(second)
	if got, _ := r.Journal(); len(got) != 0 {
		t.Errorf("after Forget: %v", got)
	}
}

// BenchmarkJournal is the journal's work for one pm observe done alone: the
// record written, flushed to disk, and removed after the commit. In pm the
// flush overlaps the incident file's own (see writeRecord), so what a
// command pays is less; bench/run measures that end to end.
func BenchmarkJournal(b *testing.B) {
	dir := newGitRepo(b)
	r, err := Find(dir)
	if err != nil {
		b.Fatal(err)
	}
	w := &Words{Incident: "2026-11-24-api", File: "postmortems/2026-11-24-api.md", Accepted: time.Now(),
		Entry: &Logged{Time: time.Now(), Kind: "observe", Text: "p99 latency 4 s on api since the deploy", Author: "Alice"}}
	for b.Loop() {
		name, err := r.Keep(w)
		if err != nil {
			b.Fatal(err)
		}
		r.SyncJournal()
		r.Forget(name)
	}
}
