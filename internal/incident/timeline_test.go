package incident

import (
	"testing"
	"time"
)

// TestTimeline: milestones and the log in time order, a milestone the log
// records not repeated, the date and zone on each day's first line, and
// offsets from the start, negative for something noticed before it.
func TestTimeline(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2026, 11, 24, h, m, 0, 0, time.UTC) }
	d := &Doc{
		Meta: Meta{Started: at(9, 10), Detected: at(9, 12), Mitigated: at(9, 31), Resolved: at(33, 0)},
		Entries: []Entry{
			{Kind: "observe", Time: at(9, 5), Text: "a deploy went out", Author: "Ana"},
			{Kind: "down", System: "api", Time: at(9, 12), Text: "502\nmore lines"},
			{Kind: "mitigated", Time: at(9, 31), Text: "api answers"},
		},
	}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip(err)
	}
	want := "- 2026-11-24 10:05 CET (T-5m) **observe** a deploy went out _(Ana)_\n" +
		"- 10:10 (T+0m) **started** impact began\n" +
		"- 10:12 (T+2m) **detected** we realised\n" +
		"- 10:12 (T+2m) **down** api 502\n" +
		"- 10:31 (T+21m) **mitigated** api answers\n" +
		"- 2026-11-25 10:00 CET (T+23h50m) **resolved** root problem fixed\n"
	if got := Timeline(d, paris); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := Timeline(&Doc{}, time.UTC); got != "" {
		t.Errorf("empty incident: %q", got)
	}
}

func TestSpan(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0m"}, {59 * time.Second, "0m"}, {45 * time.Minute, "45m"}, {64 * time.Minute, "1h04m"},
		{47*time.Hour + 59*time.Minute, "47h59m"}, {51 * time.Hour, "2d03h"}, {-15 * time.Minute, "-15m"},
	} {
		if got := Span(c.d); got != c.want {
			t.Errorf("Span(%v) = %q, want %q", c.d, got, c.want)
		}
	}
	if got := Offset(-90 * time.Second); got != "T-1m" {
		t.Errorf("Offset(-90s) = %q, want T-1m", got)
	}
}
