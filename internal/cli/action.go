package cli

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/incident"
	"github.com/pm-tool/pm/internal/repo"
)

// actionKinds are the four questions of DESIGN's learn step: what would
// prevent it, detect it earlier, make it clearer, automate the response.
var actionKinds = []string{"prevent", "detect", "clarify", "automate"}

func (a *app) actionCommands() []*ucli.Command {
	return []*ucli.Command{
		{
			Name:      "action",
			Usage:     "add an action item: an owner, a due date or ticket, and a kind",
			ArgsUsage: "TEXT",
			Description: "Appends a task item to \"## Action items\" and commits it. Kinds: prevent, detect,\n" +
				"clarify, automate.\n\nExamples:\n" +
				"  pm action \"Alert on expiry\" --owner @bob --due 2026-12-08 --kind detect\n" +
				"  pm action \"Runbook for credential rotation\" --owner @al --ticket OPS-1",
			Flags: []ucli.Flag{
				incidentFlag(),
				&ucli.StringFlag{Name: "owner", Usage: "who sees it through: `@handle`"},
				&ucli.StringFlag{Name: "due", Usage: "due `DATE` (YYYY-MM-DD)"},
				&ucli.StringFlag{Name: "kind", Usage: "`KIND`: prevent, detect, clarify or automate"},
				&ucli.StringFlag{Name: "ticket", Usage: "tracker `URL` or key (OPS-123)"},
			},
			Action: a.runAction,
		},
		{
			Name:        "done",
			Usage:       "tick action item N (the # column of pm actions)",
			ArgsUsage:   "N",
			Description: "Marks the Nth action item of the incident done ([x]) and commits it.\n\nExamples:\n  pm done 2\n  pm done -i 2026-11-24-api 1",
			Flags:       []ucli.Flag{incidentFlag()},
			Action:      a.runDone,
		},
	}
}

// actionOptions is what pm action is asked: the item and its fields, as
// typed (the owner's @ may be missing; the due date is checked here).
type actionOptions struct {
	Incident string // -i, "" for $PM_INCIDENT or the only open one
	Text     string // the item, its words joined by single spaces
	Owner    string // --owner, with or without its @
	Due      string // --due YYYY-MM-DD
	Kind     string // --kind, one of actionKinds
	Ticket   string // --ticket
}

func (a *app) runAction(c *ucli.Context) error {
	text := strings.Join(strings.Fields(strings.Join(c.Args().Slice(), " ")), " ")
	if text == "" {
		return usageError("pm action needs TEXT, e.g. pm action \"Alert before leases expire\" --owner @bob --due 2026-12-08 --kind detect")
	}
	kind := c.String("kind")
	if kind != "" && !slices.Contains(actionKinds, kind) {
		if k, _ := oneOf(kind, actionKinds); k != "" {
			kind = k // any case, as severities and statuses
		} else {
			return a.badValue(c, "kind", kind, actionKinds, "")
		}
	}
	return a.addAction(actionOptions{Incident: c.String("incident"), Text: text, Owner: c.String("owner"), Due: c.String("due"), Kind: kind, Ticket: c.String("ticket")})
}

// addAction appends the action item under "## Action items" and commits
// it; an item without an owner, a due date or ticket, and a kind is
// written, with a note that it is not done yet.
func (a *app) addAction(o actionOptions) error {
	act := incident.Action{Text: o.Text, Owner: o.Owner, Due: o.Due, Kind: o.Kind, Ticket: o.Ticket}
	if act.Owner != "" && !strings.HasPrefix(act.Owner, "@") {
		act.Owner = "@" + act.Owner
	}
	if act.Due != "" {
		if why := incident.DateProblem(act.Due); why != "" {
			return usageError("--due %s %s; write it as YYYY-MM-DD, e.g. 2026-12-08", act.Due, why)
		}
	}
	w, f, err := a.target(o.Incident)
	if err != nil {
		return err
	}
	res, err := w.store.Apply(repo.Change{Path: f.path, Kind: "action", Subject: o.Text, Action: &act, Edit: func(d *incident.Doc, _ *incident.Entry) error {
		if err := d.AddAction(act); err != nil {
			return usageError("%v", err)
		}
		return nil
	}})
	if err != nil {
		return err
	}
	if act.Owner == "" || act.Due == "" && act.Ticket == "" || act.Kind == "" {
		fmt.Fprintf(a.env.Stderr, "pm: note: an action item needs an owner, a due date or ticket, and a kind before the post-mortem is done\n")
	}
	w.report(res, "action: "+o.Text)
	a.guide(w, f.path)
	return nil
}

// doneOptions is what pm done is asked.
type doneOptions struct {
	Incident string // -i, "" for $PM_INCIDENT or the only open one
	N        int    // the item's number, from 1 (the # column of pm actions)
}

func (a *app) runDone(c *ucli.Context) error {
	n, err := strconv.Atoi(c.Args().First())
	if err != nil || c.NArg() != 1 {
		return usageError("pm done needs the number of one action item, e.g. pm done 2 (the # column of pm actions)")
	}
	return a.done(doneOptions{Incident: c.String("incident"), N: n})
}

// done ticks action item o.N and commits it.
func (a *app) done(o doneOptions) error {
	n := o.N
	w, f, err := a.target(o.Incident)
	if err != nil {
		return err
	}
	var text string
	res, err := w.store.Apply(repo.Change{Path: f.path, Kind: "done", Edit: func(d *incident.Doc, _ *incident.Entry) error {
		if n < 1 || n > len(d.Actions) {
			return usageError("%s has %d action items; there is no %d", d.Meta.ID, len(d.Actions), n)
		}
		if d.Actions[n-1].Done {
			return usageError("action item %d is already done: %s", n, d.Actions[n-1].Text)
		}
		text = d.Actions[n-1].Text
		return d.SetActionDone(n, true)
	}, SubjectFn: func() string { return text }})
	if err != nil {
		return err
	}
	w.report(res, "done: "+text)
	a.guide(w, f.path)
	return nil
}
