package cli

import (
	"fmt"
	"slices"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/incident"
	"github.com/pm-tool/pm/internal/repo"
)

// milestoneKeys are the frontmatter times pm set corrects, in the order
// they must go (lint's milestone-order).
var milestoneKeys = []string{"started", "detected", "mitigated", "resolved"}

func (a *app) setCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "set",
		Usage:     "correct a milestone time: started, detected, mitigated or resolved",
		ArgsUsage: "KEY TIME [WHY]",
		Description: "Sets the frontmatter time KEY (started, detected, mitigated or resolved) to\n" +
			"TIME and logs a note saying what it was and what it is now, in one commit.\n" +
			"TIME is written as for --at. mitigated and resolved are corrected once pm\n" +
			"mitigate or pm resolve has set them; a time out of order with the other\n" +
			"milestones (started ≤ detected ≤ mitigated ≤ resolved) is refused.\n\n" +
			"Examples:\n" +
			"  pm set detected \"2019-12-04 00:52\" \"the first page, from the pager log\"\n" +
			"  pm set started 09:02 -i 2026-11-24-api",
		Flags:  []ucli.Flag{incidentFlag()},
		Action: a.runSet,
	}
}

// setOptions is what pm set is asked.
type setOptions struct {
	Incident string   // -i, "" for $PM_INCIDENT or the only open one
	Key      string   // one of milestoneKeys
	Time     string   // as typed
	Why      []string // the words of the reason, optional
}

func (a *app) runSet(c *ucli.Context) error {
	args := c.Args().Slice()
	if len(args) < 2 {
		return usageError("pm set needs KEY and TIME, e.g. pm set detected 09:12 (KEY is one of %s)", strings.Join(milestoneKeys, ", "))
	}
	return a.setTime(setOptions{Incident: c.String("incident"), Key: args[0], Time: args[1], Why: args[2:]})
}

// setTime corrects one milestone time under the lock and logs the note
// that says so, so the log keeps what the file said before.
func (a *app) setTime(o setOptions) error {
	key := strings.ToLower(o.Key)
	if !slices.Contains(milestoneKeys, key) {
		return usageError("pm set corrects started, detected, mitigated or resolved, not %q (pm edit changes anything else)", o.Key)
	}
	w, err := a.openWorkspace()
	if err != nil {
		return err
	}
	now := a.env.Now().UTC().Truncate(time.Second)
	t, err := parseWhen(o.Time, now, w.zone())
	if err != nil {
		return usageError("pm set %s: %v", key, err)
	}
	f, err := w.pick(o.Incident)
	if err != nil {
		return err
	}
	why := strings.Join(strings.Fields(strings.Join(o.Why, " ")), " ")
	e := incident.Entry{Kind: "note", Text: key + " set to " + stamp(t)}
	unchanged := false
	res, err := w.store.Apply(repo.Change{Path: f.path, Entry: e, Edit: func(d *incident.Doc, e *incident.Entry) error {
		was := milestone(d.Meta, key)
		switch {
		case was.Equal(t):
			unchanged = true
			return errUnchanged
		case was.IsZero() && (key == "mitigated" || key == "resolved"):
			cmd := map[string]string{"mitigated": "mitigate", "resolved": "resolve"}[key]
			return usageError("%s has no %s time yet: pm %s --at %s sets it with its status", d.Meta.ID, key, cmd, o.Time)
		}
		if err := milestoneOrder(d.Meta, key, t); err != nil {
			return err
		}
		if err := d.SetTime(key, t); err != nil {
			return asUsage(err)
		}
		e.Text = key + " corrected from " + stamp(was) + " to " + stamp(t)
		if why != "" {
			e.Text += ": " + why
		}
		return nil
	}})
	if unchanged {
		fmt.Fprintf(a.env.Stderr, "pm: %s is %s already; nothing changed\n", key, t.In(w.zone()).Format("2006-01-02 15:04 MST"))
		return nil
	}
	if err != nil {
		return err
	}
	w.report(res, res.Entry.Label()+": "+res.Entry.Subject())
	return nil
}

// errUnchanged stops a pm set that would change nothing; it is never shown.
var errUnchanged = fmt.Errorf("unchanged")

// stamp is a time as pm stores it, or "empty".
func stamp(t time.Time) string {
	if t.IsZero() {
		return "empty"
	}
	return t.UTC().Format(time.RFC3339)
}

// milestone is the time of key in m.
func milestone(m incident.Meta, key string) time.Time {
	return map[string]time.Time{"started": m.Started, "detected": m.Detected, "mitigated": m.Mitigated, "resolved": m.Resolved}[key]
}

// milestoneOrder refuses t for key when it is out of order with another
// milestone that has a time. Pairs that do not involve key are not its
// business: correcting one wrong time at a time must be possible.
func milestoneOrder(m incident.Meta, key string, t time.Time) error {
	i := slices.Index(milestoneKeys, key)
	for j, other := range milestoneKeys {
		o := milestone(m, other)
		if j == i || o.IsZero() {
			continue
		}
		if j < i && t.Before(o) || j > i && t.After(o) {
			rel := map[bool]string{true: "before", false: "after"}[j < i]
			return usageError("%s %s would be %s %s %s; milestones go started ≤ detected ≤ mitigated ≤ resolved (pm set %s first if that one is wrong)",
				key, stamp(t), rel, other, stamp(o), other)
		}
	}
	return nil
}
