package incident

import (
	"reflect"
	"testing"
)

func TestValidKinds(t *testing.T) {
	want := []string{"observe", "orient", "decide", "act", "note", "hypothesis", "confirmed", "refuted",
		"up", "down", "mitigated", "resolved", "closed", "reopened"}
	got := ValidKinds()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ValidKinds() = %q", got)
	}
	got[0] = "changed"
	if ValidKinds()[0] != "observe" {
		t.Error("ValidKinds() exposes its backing array")
	}
}

func TestHypotheses(t *testing.T) {
	log := "## Investigation log\n" +
		"- `2026-01-01T00:01:00Z` **hypothesis H1** dns _(a)_\n" +
		"- `2026-01-01T00:02:00Z` **confirmed H7** unknown: ignored _(a)_\n" +
		"- `2026-01-01T00:03:00Z` **hypothesis H2** disk\n" +
		"- `2026-01-01T00:04:00Z` **refuted H1** dig works\n" +
		"- `2026-01-01T00:05:00Z` **confirmed H1** second close: ignored\n" +
		"- `2026-01-01T00:06:00Z` **hypothesis H1** reopened id: ignored\n" +
		"- `2026-01-01T00:07:00Z` **hypothesis** H10 lenient id\n"
	d := mustParse(t, "x.md", []byte(log))
	want := []Hypothesis{
		{ID: "H1", Text: "dns", State: "refuted", Reason: "dig works", Opened: at("2026-01-01T00:01:00Z"), Closed: at("2026-01-01T00:04:00Z"), Line: 2},
		{ID: "H2", Text: "disk", State: "open", Opened: at("2026-01-01T00:03:00Z"), Line: 4},
		{ID: "H10", Text: "lenient id", State: "open", Opened: at("2026-01-01T00:07:00Z"), Line: 8},
	}
	if !reflect.DeepEqual(d.Hypotheses, want) {
		t.Errorf("Hypotheses =\n%+v\nwant\n%+v", d.Hypotheses, want)
	}
	for _, tt := range []struct{ src, want string }{
		{"", "H1"},
		{log, "H11"},
		{"## Investigation log\n- `2026-01-01T00:01:00Z` **refuted H4** only a close\n", "H5"},
	} {
		if got := NextHypothesisID(mustParse(t, "x.md", []byte(tt.src))); got != tt.want {
			t.Errorf("NextHypothesisID = %q, want %q", got, tt.want)
		}
	}
}
