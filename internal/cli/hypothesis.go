package cli

import (
	"regexp"
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/incident"
)

// verdict is a command that closes a hypothesis with its evidence.
type verdict struct{ name, kind, usage, example string }

var verdicts = []verdict{
	{"confirm", "confirmed", "the hypothesis held: write down the evidence", `pm confirm H2 "vault shows the lease expired at 09:09"`},
	{"refute", "refuted", "the hypothesis was wrong: write down what made you reject it", `pm refute H1 "memory at 40%, the api log says credentials are missing"`},
}

// hypothesisCommands are the decide step written down: a numbered
// hypothesis, then its fate with the evidence.
func (a *app) hypothesisCommands() []*ucli.Command {
	cmds := []*ucli.Command{{
		Name:      "hypothesis",
		Usage:     "write down the most probable cause; prints its id (H1, H2, …)",
		ArgsUsage: "TEXT|-",
		Description: "Appends a hypothesis entry numbered per incident and prints its id.\n\n" +
			"Examples:\n  pm hypothesis \"credentials were not rotated onto this machine\"\n  H=$(pm hypothesis \"disk full on db-3\")",
		Flags:  logFlags(),
		Action: func(c *ucli.Context) error { return a.hypothesis(entryFlags(c, c.Args().Slice())) },
	}}
	for _, v := range verdicts {
		cmds = append(cmds, a.closeHypothesis(v))
	}
	return cmds
}

// hypothesis writes a hypothesis entry and prints its id.
func (a *app) hypothesis(o entryOptions) error {
	text, err := a.entryText(o, "hypothesis", true)
	if err != nil {
		return err
	}
	return a.writeEntry(o, incident.Entry{Kind: "hypothesis", Text: text}, func(d *incident.Doc, e *incident.Entry) error {
		e.Hypothesis = incident.NextHypothesisID(d) // under the lock: ids stay unique
		return nil
	})
}

var hypothesisIDRE = regexp.MustCompile(`^[Hh]?([1-9][0-9]*)$`)

func (a *app) closeHypothesis(v verdict) *ucli.Command {
	return &ucli.Command{
		Name:        v.name,
		Usage:       v.usage,
		ArgsUsage:   "Hn TEXT|-",
		Description: "Closes hypothesis Hn as " + v.kind + "; the reason is required.\n\nExamples:\n  " + v.example,
		Flags:       logFlags(),
		Action: func(c *ucli.Context) error {
			m := hypothesisIDRE.FindStringSubmatch(c.Args().First())
			if m == nil {
				return usageError("pm %s needs a hypothesis id first, e.g. %s", v.name, v.example)
			}
			o := entryFlags(c, c.Args().Tail())
			o.Hypothesis = "H" + m[1]
			return a.settle(o)
		},
	}
}

// settle closes the open hypothesis o.Hypothesis as confirmed or refuted
// (o.Command), with the reason, which is required.
func (a *app) settle(o entryOptions) error {
	v := verdicts[slices.IndexFunc(verdicts, func(v verdict) bool { return v.name == o.Command })]
	id := o.Hypothesis
	reason, err := a.logText(o, incident.Entry{Kind: v.kind, Hypothesis: id})
	if err != nil {
		return err
	}
	if strings.TrimSpace(reason) == "" {
		// The example with the user's own id, ready to edit and run.
		return usageError("pm %s %s needs the reason: what made you %s it? e.g. %s", v.name, id, v.name, strings.Replace(v.example, " H1 ", " "+id+" ", 1))
	}
	return a.writeEntry(o, incident.Entry{Kind: v.kind, Hypothesis: id, Text: reason}, func(d *incident.Doc, e *incident.Entry) error {
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
