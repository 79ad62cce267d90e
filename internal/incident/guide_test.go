package incident

import (
	"strings"
	"testing"
)

// TestNextStep: the most advanced state of the loop decides the step.
func TestNextStep(t *testing.T) {
	down := Entry{Kind: "down", System: "api", Text: "502"}
	up := Entry{Kind: "up", System: "db", Text: "fine"}
	logs := Entry{Kind: "observe", Text: "pasted 2 lines from stdin\nERROR a\nERROR b"}
	orient := Entry{Kind: "orient", Text: "deploy at 09:05"}
	h := func(state string) []Hypothesis { return []Hypothesis{{ID: "H1", Text: "x", State: state}} }
	for _, tt := range []struct {
		name    string
		entries []Entry
		hyps    []Hypothesis
		want    string
	}{
		{"nothing yet", nil, nil, "take stock"},
		{"a hypothesis first still takes stock", nil, h("open"), "take stock"},
		{"something down, no logs", []Entry{down}, nil, "read the logs of api"},
		{"nothing down: no logs to read", []Entry{up}, nil, "orient"},
		{"logs read", []Entry{down, logs}, nil, "orient"},
		{"oriented", []Entry{down, logs, orient}, nil, "decide"},
		{"open hypothesis", []Entry{down, logs, orient}, h("open"), "verify H1"},
		{"just refuted", []Entry{down, logs, orient, {Kind: "refuted"}}, h("refuted"), "one step further away: what api depends on"},
		{"refuted, the rest of the board", []Entry{down, up, logs, orient, {Kind: "refuted"}}, h("refuted"), "what api depends on, and what depends on it (up on the board: db)"},
		{"refuted, then observed again", []Entry{down, logs, orient, {Kind: "refuted"}, up}, h("refuted"), "decide"},
		{"refuted, another open", []Entry{down, logs, orient, {Kind: "refuted"}}, append(h("refuted"), Hypothesis{ID: "H2", State: "open"}), "verify H2"},
		{"confirmed without logs: act", []Entry{down, {Kind: "confirmed"}}, h("confirmed"), "act on the confirmed cause"},
		{"acted", []Entry{down, {Kind: "confirmed"}, {Kind: "act"}}, h("confirmed"), "pm mitigate"},
	} {
		d := &Doc{Meta: Meta{Status: "investigating"}, Entries: tt.entries, Hypotheses: tt.hyps}
		got := NextStep(d, nil)
		if !strings.Contains(got.Say+" "+got.Command, tt.want) {
			t.Errorf("%s: %q (%s), want %q", tt.name, got.Say, got.Command, tt.want)
		}
	}
	if s := NextStep(&Doc{Meta: Meta{Status: "investigating", Services: []string{"ledger-api"}}}, nil); s.Command != `pm down ledger-api "what you see"` {
		t.Errorf("with a service: %v, want it named in the command", s)
	}
	stale, err := Parse("x.md", []byte("---\nid: x\ntitle: X\nstatus: resolved\nseverity: SEV2\nstarted: 2026-11-24T09:00:00Z\nresolved: 2026-11-24T11:00:00Z\n---\n# X\n\n## Timeline\n\n- 09:00 (T+0m) **started** impact began\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s := NextStep(stale, nil); !strings.Contains(s.Say, "the timeline stops before the fix") || s.Command != "pm timeline --write" {
		t.Errorf("resolved, timeline from before: %v", s)
	}
	mitigated := &Doc{Meta: Meta{Status: "mitigated"}, Entries: []Entry{down}}
	if s := NextStep(mitigated, nil); s.Command != `pm up api "what you see now"` || !strings.Contains(s.Say, "still has api down") {
		t.Errorf("mitigated with api still down: %v", s)
	}
	if s := NextStep(&Doc{Meta: Meta{Status: "closed"}}, nil); s != (Step{}) {
		t.Errorf("closed: %v, want no step", s)
	}
}

// TestFurtherAway: after a refute, depends_on names the neighbours of
// what failed, both ways, and the command takes stock of the first one not
// on the board yet.
func TestFurtherAway(t *testing.T) {
	deps := Dependencies{"API": {"db", "cache"}, "checkout": {"api"}, "web": {"api"}, "db": {"disk"}}
	d := &Doc{Meta: Meta{Status: "investigating"},
		Entries: []Entry{
			{Kind: "down", System: "api", Text: "502"},
			{Kind: "up", System: "db", Text: "fine"},
			{Kind: "observe", Text: "x\ny"},
			{Kind: "hypothesis", Hypothesis: "H1", Text: "bad deploy"},
			{Kind: "refuted", Hypothesis: "H1", Text: "no deploy today"},
		}}
	d.deriveHypotheses()
	got := NextStep(d, deps)
	want := Step{"observe", "observe again, one step further away: api depends on db, cache; checkout, web depend on api", `pm down cache "…" or pm up cache`}
	if got != want {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}
	d.Entries = append(d.Entries, Entry{Kind: "up", System: "cache"})
	if got := NextStep(d, deps); got.Phase != "orient" {
		t.Errorf("after observing again: %#v, want orient", got)
	}
	// Every neighbour on the board already: still named, free text.
	d.Entries = append(d.Entries, Entry{Kind: "up", System: "checkout"}, Entry{Kind: "up", System: "web"}, Entry{Kind: "refuted", Hypothesis: "H1"})
	if got := NextStep(d, deps); got.Command != `pm observe "…"` || !strings.Contains(got.Say, "api depends on db, cache") {
		t.Errorf("all neighbours on the board: %#v", got)
	}
}

// TestTooEarly: the first hypothesis before anything was observed, and
// the first one naming a system that is down before its logs were pasted;
// each once.
func TestTooEarly(t *testing.T) {
	hyp := func(text string) Entry { return Entry{Kind: "hypothesis", Text: text} }
	down := Entry{Kind: "down", System: "api", Text: "502"}
	dbDown := Entry{Kind: "down", System: "db", Text: "slow"}
	pasted := func(text string) Entry { return Entry{Kind: "observe", Text: "pasted 2 lines from stdin\n" + text} }
	for _, tt := range []struct {
		name    string
		entries []Entry
		hyps    []Hypothesis
		e       Entry
		want    string
	}{
		{"nothing observed", nil, nil, hyp("bad deploy"), "comes before anything was observed"},
		{"nothing observed, second hypothesis", nil, []Hypothesis{{ID: "H1"}}, hyp("bad deploy"), ""},
		{"observed, names no system", []Entry{down}, nil, hyp("bad deploy"), ""},
		{"names api, no logs", []Entry{down}, nil, hyp("the API pods run out of memory"), "names api, whose logs nobody has pasted yet"},
		{"names api, a one-line observe is not a log", []Entry{down, {Kind: "observe", Text: "api 502"}}, nil, hyp("api OOM"), "names api"},
		{"names api, logs pasted while only api is down", []Entry{down, pasted("ERROR x")}, nil, hyp("api OOM"), ""},
		{"two down, the logs pasted name db only", []Entry{down, dbDown, pasted("db: ERROR x")}, nil, hyp("api OOM"), "names api"},
		{"two down, the logs pasted name api", []Entry{down, dbDown, pasted("api-7 ERROR x")}, nil, hyp("api OOM"), ""},
		{"once per system", []Entry{down}, []Hypothesis{{ID: "H1", Text: "api deploy"}}, hyp("api OOM"), ""},
		{"a word containing the name", []Entry{down}, nil, hyp("rapid growth in traffic"), ""},
		{"a note is not a hypothesis", nil, nil, Entry{Kind: "note"}, ""},
	} {
		d := &Doc{Entries: tt.entries, Hypotheses: tt.hyps}
		got := TooEarly(d, tt.e)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// BenchmarkNextAfter is the guide's whole in-process cost on a pm observe
// (issue 20: under 1 ms), on a long incident: 300 entries, 10 hypotheses.
func BenchmarkNextAfter(b *testing.B) {
	d := &Doc{Meta: Meta{Status: "investigating"}}
	for i := range 300 {
		e := Entry{Kind: "observe", Text: "p99 latency 4 s\nmore"}
		switch i % 30 {
		case 0:
			e = Entry{Kind: "down", System: "api", Text: "502"}
		case 1:
			e = Entry{Kind: "hypothesis", Hypothesis: "H" + strings.Repeat("1", 1+i/30), Text: "a cause"}
		case 2:
			e = Entry{Kind: "refuted", Hypothesis: "H" + strings.Repeat("1", 1+i/30), Text: "no"}
		}
		d.Entries = append(d.Entries, e)
	}
	d.deriveHypotheses()
	deps := Dependencies{"api": {"db", "cache"}, "web": {"api"}}
	e := Entry{Kind: "observe", Text: "one more"}
	b.ReportAllocs()
	for b.Loop() {
		NextAfter(d, e, deps)
	}
}
