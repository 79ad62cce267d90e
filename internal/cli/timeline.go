package cli

import (
	"fmt"

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

// timelineOptions is what pm timeline is asked.
type timelineOptions struct {
	Incident string // -i, "" for $PM_INCIDENT or the only open one
	Write    bool   // --write: into the file's ## Timeline, committed
}

func (a *app) runTimeline(c *ucli.Context) error {
	if err := noArgs(c, "name the incident with -i ID"); err != nil {
		return err
	}
	return a.timeline(timelineOptions{Incident: c.String("incident"), Write: c.Bool("write")})
}

// timeline prints the incident's timeline in the responder's zone, or
// writes it into the file in the team's.
func (a *app) timeline(o timelineOptions) error {
	w, f, err := a.target(o.Incident)
	if err != nil {
		return err
	}
	if !o.Write {
		_, err := fmt.Fprint(a.env.Stdout, incident.Timeline(f.doc, w.zone()))
		return err
	}
	res, err := w.store.Apply(repo.Change{Path: f.path, Kind: "timeline", Subject: "write the timeline from the log", Edit: func(d *incident.Doc, _ *incident.Entry) error {
		// In the team's zone (.pm.yml), not the writer's: the file reads
		// the same whoever wrote the section.
		if err := d.ReplaceSection("Timeline", incident.Timeline(d, w.cfg.Location())); err != nil {
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
