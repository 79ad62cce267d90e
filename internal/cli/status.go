package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/incident"
)

func (a *app) statusCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "status",
		Usage: "the board: each system's latest state, open hypotheses, the last entries",
		Description: "Readable in 80 columns, for the incident channel or a second terminal.\n\n" +
			"Examples:\n  pm status\n  watch -n 10 pm status -i 2026-11-24-api\n  pm status --format json | jq '.systems[] | select(.state == \"down\")'",
		Flags: []ucli.Flag{
			incidentFlag(),
			&ucli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "text or json"},
			&ucli.IntFlag{Name: "last", Value: 5, Usage: "how many of the latest entries to show"},
		},
		Action: a.runStatus,
	}
}

func (a *app) runStatus(c *ucli.Context) error {
	if err := noArgs(c, "name the incident with -i ID"); err != nil {
		return err
	}
	format, err := a.checkFormat(c, "text", "json")
	if err != nil {
		return err
	}
	return a.status(statusOptions{Incident: c.String("incident"), Format: format, Last: c.Int("last")})
}

// statusOptions is what pm status is asked.
type statusOptions struct {
	Incident string // -i, "" for $PM_INCIDENT, else the open ones
	Format   string // text or json
	Last     int    // --last: how many of the latest entries (below 0: none)
}

// status prints the board of the incident, or a short board of each open
// one when several are open and none is named.
func (a *app) status(o statusOptions) error {
	format := o.Format
	w, err := a.openWorkspace()
	if err != nil {
		return err
	}
	fs, state, err := w.pickAll(o.Incident)
	if err == nil && len(fs) > 1 && format == "json" {
		err = severalOpen(fs, state) // one object per run: scripts name the incident
	}
	if err != nil {
		return err
	}
	if note := w.journalNote(); note != "" {
		fmt.Fprintf(a.env.Stderr, "pm: %s\n", note)
	}
	now := a.env.Now().UTC()
	if len(fs) > 1 {
		return a.printOverview(w, fs, state, now)
	}
	b := incident.NewBoard(fs[0].doc, now, max(o.Last, 0), w.cfg.DependsOn)
	if format == "json" {
		enc := json.NewEncoder(a.env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(b)
	}
	printBoard(a.env.Stdout, b, a.palette(w), w.zone(), a.guideOn(w))
	return nil
}

// width is the terminal width the board is laid out for.
const width = 80

// printBoard writes the board. guide adds the method's next step at the
// end (the loop's position is always shown: it is a fact, not advice).
func printBoard(w io.Writer, b incident.Board, p palette, loc *time.Location, guide bool) {
	printHeading(w, b, true, p, loc)
	if b.Step != nil {
		fmt.Fprintln(w, "Step: "+loopLine(b.Step.Phase, p))
	}

	fmt.Fprintln(w, "\nSystems")
	if len(b.Systems) == 0 {
		fmt.Fprintln(w, "  none recorded yet: pm down SYSTEM / pm up SYSTEM")
	}
	for _, s := range b.Systems {
		state := strings.ToUpper(s.State)
		line := fmt.Sprintf("  %-4s  %s %s  %s", state, padRight(clipMiddle(s.System, 12), 12), s.Since.In(loc).Format("15:04"), s.Text)
		fmt.Fprintln(w, p.at(withAuthor(line, s.Author, width), 2, state, p.kind))
	}
	fmt.Fprintln(w, "\nOpen hypotheses")
	switch {
	case len(b.Hypotheses) == 0 && len(b.Confirmed) > 0:
		fmt.Fprintln(w, "  none open: the cause is confirmed (below)")
	case len(b.Hypotheses) == 0:
		fmt.Fprintln(w, "  none open")
	}
	for _, h := range b.Hypotheses {
		fmt.Fprintln(w, clip(fmt.Sprintf("  %-4s %s  %s", h.ID, h.Opened.In(loc).Format("15:04"), h.Text), width))
	}
	if len(b.Confirmed) > 0 {
		fmt.Fprintln(w, "\nConfirmed")
	}
	for _, h := range b.Confirmed {
		line := fmt.Sprintf("  %-4s %s  %s", h.ID, h.Confirmed.In(loc).Format("15:04"), h.Text)
		if h.Reason != "" {
			line += ": " + h.Reason
		}
		fmt.Fprintln(w, p.at(clip(line, width), 2, h.ID, func(s string) string { return p.paint(green, s) }))
	}
	if len(b.Last) > 0 {
		fmt.Fprintln(w, "\nLast entries")
	}
	for _, e := range b.Last {
		line := strings.TrimRight(fmt.Sprintf("  %s  %-13s %s", e.Time.In(loc).Format("15:04"), e.Kind, e.Text), " ")
		fmt.Fprintln(w, p.at(withAuthor(line, e.Author, width), 9, e.Kind, p.kind))
	}
	if guide && b.Step != nil {
		fmt.Fprintln(w, "\nNext")
		fmt.Fprintln(w, wrapHelpLine("  "+b.Step.Next, width))
		fmt.Fprintln(w, "  "+b.Step.Command)
	}
}

// loopLine draws the method's loop with the current step in capitals
// (and bold in colour), so it reads without colour too:
// observe › orient › DECIDE › act › learn.
func loopLine(phase string, p palette) string {
	parts := make([]string, len(incident.Phases))
	for i, ph := range incident.Phases {
		parts[i] = ph
		if ph == phase {
			parts[i] = p.paint(bold, strings.ToUpper(ph))
		}
	}
	return strings.Join(parts, " › ")
}

// printHeading is a board's first two lines: id and title, then severity,
// status, start and (detected) detection. The times there carry the
// zone (09:10 PST) that every time on the board is shown in.
func printHeading(w io.Writer, b incident.Board, detected bool, p palette, loc *time.Location) {
	fmt.Fprintln(w, clip(b.ID+"  "+b.Title, width))
	head := []string{b.Severity, b.Status}
	if b.Started != nil {
		head = append(head, "started "+b.Started.In(loc).Format("2006-01-02 15:04 MST")+" ("+b.Elapsed+")")
	}
	if detected && b.Detected != nil {
		head = append(head, "detected "+b.Detected.In(loc).Format("15:04 MST"))
	}
	fmt.Fprintln(w, p.at(clip(strings.Join(head, " · "), width), 0, b.Severity, p.severity))
}

// printOverview is pm status with several incidents open and none named:
// a short board of each, so that whoever joins sees them all at once
// rather than a refusal.
func (a *app) printOverview(ws *workspace, fs []incidentFile, state string, now time.Time) error {
	out := a.env.Stdout
	fmt.Fprintf(out, "%d incidents are %s (pm status -i ID shows one board)\n", len(fs), state)
	for _, f := range fs {
		full, err := ws.readIncident(f.path)
		if err != nil {
			return err
		}
		b := incident.NewBoard(full.doc, now, 1, ws.cfg.DependsOn)
		fmt.Fprintln(out)
		printHeading(out, b, false, a.palette(ws), ws.zone())
		var down []string
		for _, s := range b.Systems {
			if s.State == "down" {
				down = append(down, s.System)
			}
		}
		facts := []string{"no system down"}
		if len(down) > 0 {
			facts = []string{"down: " + strings.Join(down, ", ")}
		}
		facts = append(facts, fmt.Sprintf("%d %s", len(b.Hypotheses), plural(len(b.Hypotheses), "open hypothesis", "open hypotheses")))
		for _, h := range b.Confirmed {
			facts = append(facts, h.ID+" confirmed")
		}
		fmt.Fprintln(out, clip("  "+strings.Join(facts, " · "), width))
		for _, e := range b.Last {
			line := fmt.Sprintf("  last %s  %s  %s", e.Time.In(ws.zone()).Format("15:04"), e.Kind, e.Text)
			fmt.Fprintln(out, withAuthor(line, e.Author, width))
		}
	}
	return nil
}
