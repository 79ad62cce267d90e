package cli

import (
	"fmt"
	"sort"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/incident"
	"github.com/pm-tool/pm/internal/repo"
)

func (a *app) timelineCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "timeline",
		Usage: "milestones and log entries merged in time order, with times relative to the start",
		Description: "Prints the timeline as markdown; --write puts it in the incident's \"## Timeline\"\n" +
			"section (replacing that section only) and commits it.\n\n" +
			"Examples:\n  pm timeline\n  pm timeline --write -i 2026-11-24-api",
		Flags: []ucli.Flag{
			incidentFlag(),
			&ucli.BoolFlag{Name: "write", Aliases: []string{"w"}, Usage: "replace the ## Timeline section with it and commit"},
		},
		Action: a.runTimeline,
	}
}

// event is one line of the timeline.
type event struct {
	t    time.Time
	rank int // at equal times: started, detected, the log, then mitigated and resolved
	what string
}

// timeline merges the frontmatter milestones with the log. A milestone that
// the log already records (a "mitigated" entry) is not repeated. Times are
// shown in loc, whose name follows the date on the first line of each day
// (2026-11-24 09:10 PST).
func timeline(d *incident.Doc, loc *time.Location) string {
	var evs []event
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
		evs = append(evs, event{e.Time, 2, what})
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
			evs = append(evs, event{m.t, m.rank, m.what})
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
		fmt.Fprintf(&b, "- %s (%s) %s\n", stamp, relative(e.t.Sub(origin)), e.what)
	}
	return b.String()
}

// relative is an offset from the start as T+10m, T+1h05m or T-15m: +HH:MM
// read as a UTC offset next to a clock time.
func relative(d time.Duration) string {
	sign := "+"
	if d < 0 {
		sign, d = "-", -d
	}
	return "T" + sign + duration(d.Truncate(time.Minute)) // whole minutes, as the clock column shows them
}

func (a *app) runTimeline(c *ucli.Context) error {
	w, f, err := a.target(c)
	if err != nil {
		return err
	}
	if !c.Bool("write") {
		_, err := fmt.Fprint(a.env.Stdout, timeline(f.doc, w.zone()))
		return err
	}
	res, err := w.store.Apply(repo.Change{Path: f.path, Kind: "timeline", Subject: "write the timeline from the log", Edit: func(d *incident.Doc, _ *incident.Entry) error {
		// In the team's zone (.pm.yml), not the writer's: the file reads
		// the same whoever wrote the section.
		if err := d.ReplaceSection("Timeline", timeline(d, w.cfg.Location())); err != nil {
			return usageError("%v", err)
		}
		return nil
	}})
	if err != nil {
		return err
	}
	w.report(res, "timeline written")
	a.guide(w, f.path)
	return nil
}
