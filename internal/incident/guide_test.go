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
		last    Entry
		want    string
	}{
		{"nothing yet", nil, nil, Entry{}, "take stock"},
		{"a hypothesis first still takes stock", nil, h("open"), Entry{Kind: "hypothesis"}, "take stock"},
		{"something down, no logs", []Entry{down}, nil, Entry{}, "read the logs of api"},
		{"nothing down: no logs to read", []Entry{up}, nil, Entry{}, "orient"},
		{"logs read", []Entry{down, logs}, nil, Entry{}, "orient"},
		{"oriented", []Entry{down, logs, orient}, nil, Entry{}, "decide"},
		{"open hypothesis", []Entry{down, logs, orient}, h("open"), Entry{}, "verify H1"},
		{"just refuted", []Entry{down, logs, orient}, h("refuted"), Entry{Kind: "refuted"}, "one step further away: what api depends on"},
		{"confirmed without logs: act", []Entry{down, {Kind: "confirmed"}}, h("confirmed"), Entry{}, "act on the confirmed cause"},
		{"acted", []Entry{down, {Kind: "confirmed"}, {Kind: "act"}}, h("confirmed"), Entry{}, "pm mitigate"},
	} {
		d := &Doc{Meta: Meta{Status: "investigating"}, Entries: tt.entries, Hypotheses: tt.hyps}
		got := NextStep(d, tt.last)
		if !strings.Contains(got.Say+" "+got.Command, tt.want) {
			t.Errorf("%s: %q (%s), want %q", tt.name, got.Say, got.Command, tt.want)
		}
	}
	if s := NextStep(&Doc{Meta: Meta{Status: "closed"}}, Entry{}); s != (Step{}) {
		t.Errorf("closed: %v, want no step", s)
	}
}

// TestTooEarly: only the first hypothesis, and only before anything was
// observed.
func TestTooEarly(t *testing.T) {
	hyp := Entry{Kind: "hypothesis", Text: "bad deploy"}
	if !TooEarly(&Doc{}, hyp) {
		t.Error("a first hypothesis with nothing observed is not too early")
	}
	if TooEarly(&Doc{Entries: []Entry{{Kind: "observe", Text: "x"}}}, hyp) {
		t.Error("a hypothesis after an observation is too early")
	}
	if TooEarly(&Doc{Hypotheses: []Hypothesis{{ID: "H1"}}}, hyp) {
		t.Error("the second hypothesis is warned about again")
	}
	if TooEarly(&Doc{}, Entry{Kind: "note"}) {
		t.Error("a note is too early")
	}
}
