package cli

import (
	"fmt"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/incident"
)

// nextCommand is the guide in full (issue 20): the next step of the
// method for the incident's state, and the orient checklist. It prints
// whatever guide: says, as it is asked for.
func (a *app) nextCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "next",
		Usage: "what the method does next for this incident, and the questions to orient by",
		Description: "Prints the next step of observe, orient, decide, act for the incident's state, with the\n" +
			"command to type, and the orient checklist (answer each with pm orient).\n\n" +
			"Examples:\n  pm next\n  pm next -i 2026-11-24-api",
		Flags:  []ucli.Flag{incidentFlag()},
		Action: a.runNext,
	}
}

// nextOptions is what pm next is asked.
type nextOptions struct {
	Incident string // -i, "" for $PM_INCIDENT or the only open one
}

func (a *app) runNext(c *ucli.Context) error {
	if err := noArgs(c, "name the incident with -i ID"); err != nil {
		return err
	}
	return a.next(nextOptions{Incident: c.String("incident")})
}

// next prints the incident's next step and, while it is investigating,
// the orient checklist.
func (a *app) next(o nextOptions) error {
	w, f, err := a.target(o.Incident)
	if err != nil {
		return err
	}
	d := f.doc
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %s · %s\n", d.Meta.ID, printable(d.Meta.Title), d.Meta.Status)
	if s := incident.NextStep(d, w.cfg.DependsOn); s.Say != "" {
		fmt.Fprintf(&b, "\nNext: %s\n  %s\n", s.Say, s.Command)
	} else {
		b.WriteString("\nNothing: the post-mortem is closed (pm reopen if it is not over).\n")
	}
	if d.Meta.Status == "investigating" {
		b.WriteString("\nOrient: answer each with pm orient \"…\"\n")
		for _, q := range incident.OrientQuestions {
			fmt.Fprintf(&b, "  - %s\n", q)
		}
	}
	_, err = fmt.Fprint(a.env.Stdout, b.String())
	return err
}
