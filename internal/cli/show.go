package cli

import (
	"encoding/json"

	ucli "github.com/urfave/cli/v2"
)

func (a *app) showCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "show",
		Usage:     "print one incident, as markdown or parsed as JSON",
		ArgsUsage: "[ID]",
		Description: "ID may be a unique prefix; without it pm uses $PM_INCIDENT, else the only open incident.\n\n" +
			"Examples:\n" +
			"  pm show 2026-11-24-api\n" +
			"  pm show --format json | jq '.hypotheses[] | select(.state == \"confirmed\")'",
		Flags: []ucli.Flag{
			incidentFlag(),
			&ucli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "md", Usage: "md or json"},
		},
		Action: a.runShow,
	}
}

// incidentFlag is the -i flag every per-incident command shares.
func incidentFlag() ucli.Flag {
	return &ucli.StringFlag{Name: "incident", Aliases: []string{"i"}, Usage: "incident `ID` (a unique prefix is enough; default $PM_INCIDENT or the only open one)"}
}

func (a *app) runShow(c *ucli.Context) error {
	format, err := a.checkFormat(c, "md", "json")
	if err != nil {
		return err
	}
	if c.NArg() > 1 {
		return usageError("pm show takes one ID, got %d arguments", c.NArg())
	}
	return a.show(showOptions{ID: c.Args().First(), Incident: c.String("incident"), Format: format})
}

// showOptions is what pm show is asked.
type showOptions struct {
	ID       string // the argument: an id or a unique prefix, "" for Incident
	Incident string // -i, "" for $PM_INCIDENT or the only open one
	Format   string // md or json
}

// show prints the incident's file as it is, or parsed as JSON.
func (a *app) show(o showOptions) error {
	id := o.ID
	if id == "" {
		id = o.Incident
	}
	w, err := a.openWorkspace()
	if err != nil {
		return err
	}
	f, err := w.pick(id)
	if err != nil {
		return err
	}
	if o.Format == "md" {
		_, err = a.env.Stdout.Write(f.doc.Bytes())
		return err
	}
	// The path in JSON is relative to the repository root: the same
	// wherever the command is run from.
	f.doc.Path = w.rel(f.path)
	v := f.doc.JSON(true)
	enc := json.NewEncoder(a.env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
