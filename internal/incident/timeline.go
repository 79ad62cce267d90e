package incident

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// timelineEvent is one line of the timeline.
type timelineEvent struct {
	t    time.Time
	rank int // at equal times: started, detected, the log, then mitigated and resolved
	what string
}

// Timeline is the Timeline section pm timeline prints and writes: the
// frontmatter milestones merged with the log. A milestone that the log
// already records (a "mitigated" entry) is not repeated. Times are shown
// in loc, whose name follows the date on the first line of each day
// (2026-11-24 09:10 PST), each with its offset from the start.
func Timeline(d *Doc, loc *time.Location) string {
	var evs []timelineEvent
	logged := map[string]bool{}
	for _, e := range d.Entries {
		logged[e.Kind] = true
		text := e.Subject()
		what := "**" + e.Label() + "**"
		if text != "" {
			what += " " + text
		}
		if e.Author != "" {
			what += " _(" + e.Author + ")_"
		}
		evs = append(evs, timelineEvent{e.Time, 2, what})
	}
	for _, m := range []struct {
		t          time.Time
		rank       int
		kind, what string
	}{
		{d.Meta.Started, 0, "started", "**started** impact began"},
		{d.Meta.Detected, 1, "detected", "**detected** we realised"},
		{d.Meta.Mitigated, 3, "mitigated", "**mitigated** impact stopped"},
		{d.Meta.Resolved, 3, "resolved", "**resolved** root problem fixed"},
	} {
		if !m.t.IsZero() && !logged[m.kind] {
			evs = append(evs, timelineEvent{m.t, m.rank, m.what})
		}
	}
	sort.SliceStable(evs, func(i, j int) bool {
		if !evs[i].t.Equal(evs[j].t) {
			return evs[i].t.Before(evs[j].t)
		}
		return evs[i].rank < evs[j].rank
	})
	if len(evs) == 0 {
		return ""
	}
	origin := d.Meta.Started
	if origin.IsZero() {
		origin = evs[0].t
	}
	var b strings.Builder
	day := ""
	for _, e := range evs {
		t := e.t.In(loc)
		stamp := t.Format("15:04")
		if dd := t.Format("2006-01-02"); dd != day {
			stamp, day = t.Format("2006-01-02 15:04 MST"), dd
		}
		fmt.Fprintf(&b, "- %s (%s) %s\n", stamp, Offset(e.t.Sub(origin)), e.what)
	}
	return b.String()
}

// Offset is an offset from the start as T+10m, T+1h05m or T-15m: +HH:MM
// read as a UTC offset next to a clock time.
func Offset(d time.Duration) string {
	sign := "+"
	if d < 0 {
		sign, d = "-", -d
	}
	return "T" + sign + Span(d.Truncate(time.Minute)) // whole minutes, as the clock column shows them
}

// Span prints a length of time the way people say it: 45m, 1h04m, 2d03h
// (pm status's elapsed, pm list's time to resolve, pm stats).
func Span(d time.Duration) string {
	if d < 0 {
		return "-" + Span(-d)
	}
	m := int(d.Minutes())
	switch {
	case m < 60:
		return fmt.Sprintf("%dm", m)
	case m < 48*60:
		return fmt.Sprintf("%dh%02dm", m/60, m%60)
	default:
		return fmt.Sprintf("%dd%02dh", m/(24*60), m%(24*60)/60)
	}
}
