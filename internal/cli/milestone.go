package cli

import (
	"fmt"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/incident"
)

// milestoneCommands move an incident through its states (incident.Doc's
// Milestone has the rules). Each sets the status and its timestamp and
// appends the milestone entry, in one commit.
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
				var kept time.Time // a mitigated time a second pm mitigate left as it was
				err = a.writeEntry(c, incident.Entry{Kind: m.kind, Text: text}, func(d *incident.Doc, e *incident.Entry) error {
					before := d.Meta.Mitigated
					if err := d.Milestone(*e); err != nil {
						return asUsage(err)
					}
					if m.kind == "mitigated" && !before.IsZero() && d.Meta.Mitigated.Equal(before) {
						kept = before
					}
					return nil
				})
				if err == nil && !kept.IsZero() {
					fmt.Fprintf(a.env.Stderr, "pm: the incident was already mitigated at %s; that time stays, as when impact first stopped (pm mitigate --at an earlier time moves it)\n", kept.Format("2006-01-02 15:04Z"))
				}
				return err
			},
		})
	}
	return cmds
}
