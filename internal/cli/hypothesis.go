package cli

import (
	"regexp"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/incident"
)

// hypothesisCommands are the decide step written down: a numbered
// hypothesis, then its fate with the evidence.
func (a *app) hypothesisCommands() []*ucli.Command {
	return []*ucli.Command{
		{
			Name:      "hypothesis",
			Usage:     "write down the most probable cause; prints its id (H1, H2, …)",
			ArgsUsage: "TEXT|-",
			Description: "Appends a hypothesis entry numbered per incident and prints its id.\n\n" +
				"Examples:\n  pm hypothesis \"credentials were not rotated onto this machine\"\n  H=$(pm hypothesis \"disk full on db-3\")",
			Flags: logFlags(),
			Action: func(c *ucli.Context) error {
				text, err := a.entryText(c, true)
				if err != nil {
					return err
				}
				return a.writeEntry(c, incident.Entry{Kind: "hypothesis", Text: text}, func(d *incident.Doc, e *incident.Entry) error {
					e.Hypothesis = incident.NextHypothesisID(d) // under the lock: ids stay unique
					return nil
				})
			},
		},
		a.closeHypothesis("confirm", "confirmed", "the hypothesis held: write down the evidence", `pm confirm H2 "vault shows the lease expired at 09:09"`),
		a.closeHypothesis("refute", "refuted", "the hypothesis was wrong: write down what made you reject it", `pm refute H1 "memory at 40%, the api log says credentials are missing"`),
	}
}

var hypothesisIDRE = regexp.MustCompile(`^[Hh]?([1-9][0-9]*)$`)

func (a *app) closeHypothesis(name, kind, usage, example string) *ucli.Command {
	return &ucli.Command{
		Name:        name,
		Usage:       usage,
		ArgsUsage:   "Hn TEXT|-",
		Description: "Closes hypothesis Hn as " + kind + "; the reason is required.\n\nExamples:\n  " + example,
		Flags:       logFlags(),
		Action: func(c *ucli.Context) error {
			m := hypothesisIDRE.FindStringSubmatch(c.Args().First())
			if m == nil {
				return usageError("pm %s needs a hypothesis id first, e.g. %s", name, example)
			}
			id := "H" + m[1]
			reason, err := a.logText(c, c.Args().Tail(), incident.Entry{Kind: kind, Hypothesis: id})
			if err != nil {
				return err
			}
			if strings.TrimSpace(reason) == "" {
				// The example with the user's own id, ready to edit and run.
				return usageError("pm %s %s needs the reason: what made you %s it? e.g. %s", name, id, name, strings.Replace(example, " H1 ", " "+id+" ", 1))
			}
			return a.writeEntry(c, incident.Entry{Kind: kind, Hypothesis: id, Text: reason}, func(d *incident.Doc, e *incident.Entry) error {
				for _, h := range d.Hypotheses {
					if h.ID != id {
						continue
					}
					if h.State != "open" {
						return usageError("%s is already %s (%s); open a new hypothesis instead", id, h.State, firstLine(h.Reason))
					}
					return nil
				}
				return usageError("there is no hypothesis %s in %s%s", id, d.Meta.ID, openList(d))
			})
		},
	}
}

// openList names the open hypotheses, to say what the user may have meant.
func openList(d *incident.Doc) string {
	var open []string
	for _, h := range d.Hypotheses {
		if h.State == "open" {
			open = append(open, h.ID)
		}
	}
	if len(open) == 0 {
		return " (none is open; pm hypothesis TEXT opens one)"
	}
	return " (open: " + strings.Join(open, ", ") + ")"
}
