package incident

import (
	"testing"
	"time"
)

// TestNewBoard: each system's latest state by time whatever the file's
// order, down first; open and confirmed hypotheses; the last entries in
// time order; elapsed until resolved; no step once closed.
func TestNewBoard(t *testing.T) {
	at := func(m int) time.Time { return time.Date(2026, 11, 24, 9, m, 0, 0, time.UTC) }
	d := &Doc{Meta: Meta{ID: "x", Status: "investigating", Started: at(0)},
		Entries: []Entry{
			{Kind: "up", System: "db", Time: at(5), Text: "fine"},
			{Kind: "up", System: "api", Time: at(20), Text: "back\nmore"},
			{Kind: "down", System: "api", Time: at(10), Text: "502"}, // merged in late: older than the up
			{Kind: "down", System: "web", Time: at(12), Text: "blank page"},
			{Kind: "hypothesis", Hypothesis: "H1", Time: at(13), Text: "pool\ntoo small"},
			{Kind: "hypothesis", Hypothesis: "H2", Time: at(14), Text: "credentials"},
			{Kind: "confirmed", Hypothesis: "H2", Time: at(15), Text: "lease expired"},
		}}
	d.deriveHypotheses()
	b := NewBoard(d, at(30), 2, nil)
	var systems []string
	for _, s := range b.Systems {
		systems = append(systems, s.State+" "+s.System+" "+s.Text)
	}
	if want := []string{"down web blank page", "up api back", "up db fine"}; !equal(systems, want) {
		t.Errorf("systems %q, want %q", systems, want)
	}
	if len(b.Hypotheses) != 1 || b.Hypotheses[0].ID != "H1" || b.Hypotheses[0].Text != "pool" {
		t.Errorf("open hypotheses %+v", b.Hypotheses)
	}
	if len(b.Confirmed) != 1 || b.Confirmed[0].Reason != "lease expired" {
		t.Errorf("confirmed %+v", b.Confirmed)
	}
	if len(b.Last) != 2 || b.Last[0].Kind != "confirmed H2" || b.Last[1].Kind != "up" {
		t.Errorf("last entries %+v, want confirmed H2 then up (by time)", b.Last)
	}
	if b.Elapsed != "30m" || b.Step == nil || b.Step.Phase != "act" {
		t.Errorf("elapsed %q, step %+v", b.Elapsed, b.Step)
	}
	d.Meta.Resolved, d.Meta.Status = at(25), "closed"
	if b := NewBoard(d, at(59), 0, nil); b.Elapsed != "25m" || b.Step != nil || len(b.Last) != 0 {
		t.Errorf("closed: elapsed %q (want until resolved), step %+v, last %v", b.Elapsed, b.Step, b.Last)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
