package cli

import (
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/incident"
)

// milestoneCommands move an incident through its states. Each sets the
// status and its timestamp and appends the milestone entry, in one commit.
//
//	investigating → mitigated → resolved → closed;  reopen → investigating
//
// Resolving sets "mitigated" too when it is still empty (impact that is
// fixed has stopped); closing a still-open incident resolves it first, in
// the same commit, so no closed incident lacks a resolved time. Reopening
// clears "resolved", since the root problem is evidently not fixed.
func (a *app) milestoneCommands() []*ucli.Command {
	type ms struct {
		name, kind, status, usage, example string
	}
	list := []ms{
		{"mitigate", "mitigated", "mitigated", "impact has stopped: set status and the mitigated time", `pm mitigate "traffic drained to eu-west"`},
		{"resolve", "resolved", "resolved", "the root problem is fixed: set status and the resolved time", `pm resolve "credentials rotated, alert added"`},
		{"close", "closed", "closed", "the post-mortem is done: set status closed", `pm close`},
		{"reopen", "reopened", "investigating", "it is not over: back to investigating", `pm reopen "502s are back"`},
	}
	var cmds []*ucli.Command
	for _, m := range list {
		m := m
		cmds = append(cmds, &ucli.Command{
			Name:        m.name,
			Usage:       m.usage,
			ArgsUsage:   "[TEXT|-]",
			Description: "Appends a " + m.kind + " entry and sets status: " + m.status + ".\n\nExamples:\n  " + m.example + "\n  pm " + m.name + " --at 10:42",
			Flags:       logFlags(),
			Action: func(c *ucli.Context) error {
				text, err := a.entryText(c, false)
				if err != nil {
					return err
				}
				return a.writeEntry(c, incident.Entry{Kind: m.kind, Text: text}, func(d *incident.Doc, e *incident.Entry) error {
					return milestone(d, m.kind, e)
				})
			},
		})
	}
	return cmds
}

// milestone checks the move is allowed from the current status and makes
// the frontmatter changes that go with it.
func milestone(d *incident.Doc, kind string, e *incident.Entry) error {
	status := d.Meta.Status
	var err error
	switch kind {
	case "mitigated":
		if status == "resolved" || status == "closed" {
			return usageError("%s is already %s; pm reopen first if it is not over", d.Meta.ID, status)
		}
		err = setMilestone(d, "mitigated", "mitigated", e.Time)
	case "resolved":
		if status == "resolved" || status == "closed" {
			return usageError("%s is already %s", d.Meta.ID, status)
		}
		if d.Meta.Mitigated.IsZero() {
			if err = d.SetTime("mitigated", e.Time); err != nil {
				break
			}
		}
		err = setMilestone(d, "resolved", "resolved", e.Time)
	case "closed":
		if status == "closed" {
			return usageError("%s is already closed", d.Meta.ID)
		}
		if status != "resolved" {
			// Resolve first, in the same commit, with its own entry.
			r := incident.Entry{Time: e.Time, Kind: "resolved", Text: "resolved on close", Author: e.Author}
			if err = milestone(d, "resolved", &r); err != nil {
				break
			}
			if err = d.AppendEntry(r); err != nil {
				break
			}
		}
		err = setMilestone(d, "closed", "", e.Time)
	case "reopened":
		if status != "resolved" && status != "closed" && status != "mitigated" {
			return usageError("%s is still %s; nothing to reopen", d.Meta.ID, status)
		}
		if err = setMilestone(d, "investigating", "", e.Time); err == nil && !d.Meta.Resolved.IsZero() {
			err = d.SetTime("resolved", time.Time{})
		}
	}
	if err != nil {
		return usageError("%v", err)
	}
	return nil
}
