package cli

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/incident"
	"github.com/pm-tool/pm/internal/repo"
)

func (a *app) newCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "new",
		Usage:     "start an incident: write its file from a template and commit it",
		ArgsUsage: "TITLE",
		Description: "Creates FOLDER/ID.md from a template, commits it, and prints its path and id.\n" +
			"Earlier incidents on the same services are listed with their confirmed causes:\n" +
			"things to verify now, not answers.\n\n" +
			"Examples:\n" +
			"  pm new \"API returns 502\" --severity SEV2 --service api,nginx\n" +
			"  pm new \"Checkout slow\" --started 09:10 --tag payments --template sre\n" +
			"  pm new \"Disk full\" --started \"2019-12-04 00:30\" --detected 2019-12-04T00:52",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "severity", Aliases: []string{"s"}, Usage: "severity, one of the configured list (default from .pm.yml, SEV3)"},
			&ucli.StringSliceFlag{Name: "service", Usage: "affected `SERVICE` (repeat or separate with commas)"},
			&ucli.StringSliceFlag{Name: "tag", Usage: "`TAG` for finding it later (repeat or separate with commas)"},
			&ucli.StringFlag{Name: "started", Usage: "when impact began: `TIME` as 09:10, \"2026-11-24 09:10\" or RFC 3339 (default now)"},
			&ucli.StringFlag{Name: "detected", Usage: "when we realised: `TIME` as for --started (default now, or the started time when --started is over a day ago: a backfill)"},
			&ucli.StringFlag{Name: "commander", Usage: "incident commander (default your git user.name)"},
			&ucli.StringFlag{Name: "template", Aliases: []string{"t"}, Usage: "template `NAME`: default, sre, minimal or one in FOLDER/templates"},
		},
		Action: a.runNew,
	}
}

// newOptions is what pm new is asked.
type newOptions struct {
	Title    []string // the words of the title, or "-" to read it from stdin
	Severity string   // "" for .pm.yml's default
	// SeverityFlag is the severity flag as it was typed (-s or
	// --severity), for the error about a severity .pm.yml does not list.
	SeverityFlag   string
	Services, Tags []string // as typed: cleaned up before use
	Started        string   // when impact began, as typed; "" for now (or Detected)
	// Detected is when we realised, as typed; "" for now, or for Started
	// when that is over backfillAge ago.
	Detected  string
	Commander string // "" for the git user's name
	Template  string // "" for .pm.yml's template
}

func (a *app) runNew(c *ucli.Context) error {
	return a.newIncident(newOptions{Title: c.Args().Slice(), Severity: c.String("severity"), SeverityFlag: a.typedFlag(c, "severity"),
		Services: c.StringSlice("service"), Tags: c.StringSlice("tag"), Started: c.String("started"),
		Detected: c.String("detected"), Commander: c.String("commander"), Template: c.String("template")})
}

// newIncident writes the new incident's file, commits it, and lists the
// earlier incidents on its services.
func (a *app) newIncident(o newOptions) error {
	title, err := a.readText(o.Title, incident.Entry{})
	if err != nil {
		return err
	}
	title = strings.Join(strings.Fields(title), " ")
	if title == "" {
		return usageError("pm new needs a title, e.g. pm new \"API returns 502\"")
	}
	w, err := a.openWorkspace()
	if err != nil {
		return err
	}
	d, err := a.newDraft(w, title, o)
	if err != nil {
		return err
	}
	// The earlier incidents on its services are read while the new one is
	// written and committed: the two share nothing, and in a long history
	// the reading (a stat of every file) then fills the commit's waits on
	// the disk instead of following them.
	var earlier []incidentFile
	loaded := make(chan struct{})
	go func() {
		defer close(loaded)
		earlier = w.loadEarlier(d.data.Services)
	}()
	defer func() { <-loaded }() // never left running (a test's folder goes away after)
	res, err := w.store.Create(title, d.render(w))
	if res.ID != "" {
		abs := w.store.IncidentPath(res.ID)
		if _, statErr := os.Stat(abs); statErr == nil {
			fmt.Fprintf(a.env.Stdout, "created %s\nid: %s\n", w.display(abs), res.ID)
		}
	}
	w.notices(res)
	if err != nil {
		return err
	}
	w.share(res)
	<-loaded
	if err := w.printEarlier(res.ID, d.data.Services, earlier); err != nil {
		return err
	}
	a.guide(w, w.store.IncidentPath(res.ID))
	return nil
}

// draft is what pm new writes: the template, and what it fills in (all
// but the id, chosen as the file is created).
type draft struct {
	data     incident.TemplateData
	template string // the template's name, for errors
	src      []byte
}

// newDraft settles what o leaves to .pm.yml, the clock and git, and
// checks what it names: the severity, the start time and the template.
func (a *app) newDraft(w *workspace, title string, o newOptions) (draft, error) {
	cfg := w.cfg
	severity := o.Severity
	if severity == "" {
		severity = cfg.DefaultSeverity
	}
	sev, _ := oneOf(severity, cfg.Severities)
	if sev == "" {
		return draft{}, badValueAs(o.SeverityFlag, severity, cfg.Severities, "(set severities in .pm.yml)")
	}
	now := a.env.Now().UTC().Truncate(time.Second)
	started, detected, err := a.startedDetected(o, now, w.zone())
	if err != nil {
		return draft{}, err
	}
	commander := o.Commander
	if commander == "" && w.repo != nil {
		if id := w.ident(); id.err == nil {
			commander = id.author.Name
		}
	}
	var authors []string
	if commander != "" {
		authors = []string{commander}
	}
	d := draft{template: o.Template, data: incident.TemplateData{Title: title, Status: "investigating", Severity: sev,
		Commander: commander, Started: started, Detected: detected, Services: cleanList(o.Services), Tags: cleanList(o.Tags), Authors: authors}}
	if d.template == "" {
		d.template = cfg.Template
	}
	src, err := repo.Template(w.home, cfg.Folder, d.template)
	if err != nil {
		return draft{}, asUsage(err)
	}
	d.src = src
	return d, nil
}

// backfillAge is how far back --started must be for pm new to take it as a
// backfill (an incident written up after the fact) rather than one being
// worked now: then detected defaults to the started time, not to now, which
// would come after the mitigated and resolved times of the backfill.
const backfillAge = 24 * time.Hour

// startedDetected are the incident's started and detected times from
// --started and --detected. Detected defaults to now: pm new is typed when
// someone realises there is an incident, even with --started 09:10 for
// impact that began earlier. With --started over backfillAge ago it
// defaults to the started time instead, and pm says so; without --started,
// started defaults to --detected (impact began at the latest when we
// realised), else to now. Detected before started is refused.
func (a *app) startedDetected(o newOptions, now time.Time, zone *time.Location) (started, detected time.Time, err error) {
	started, detected = now, now
	if o.Started != "" {
		if started, err = parseWhen(o.Started, now, zone); err != nil {
			return started, detected, usageError("--started: %v", err)
		}
	}
	switch {
	case o.Detected != "":
		if detected, err = parseWhen(o.Detected, now, zone); err != nil {
			return started, detected, usageError("--detected: %v", err)
		}
		if o.Started == "" {
			started = detected
		} else if detected.Before(started) {
			return started, detected, usageError("--detected %s is before --started %s: we cannot realise before impact began; milestones go started ≤ detected", o.Detected, o.Started)
		}
	case o.Started != "" && now.Sub(started) > backfillAge:
		detected = started
		fmt.Fprintf(a.env.Stderr, "pm: --started is over a day ago, so detected is the started time too (a backfill); if you realised later, say when with --detected TIME or pm set detected TIME\n")
	}
	return started, detected, nil
}

// render makes the draft's file for the store: the id chosen among those
// taken, the template filled in, and checked to be a file pm can read.
func (d draft) render(w *workspace) func(taken map[string]bool) (string, []byte, error) {
	return func(taken map[string]bool) (string, []byte, error) {
		id := incident.NewID(w.cfg.IDScheme, w.cfg.IDPrefix, d.data.Started, d.data.Title, taken)
		td := d.data
		td.ID = id
		data, err := incident.ExecuteTemplate(d.template, d.src, td)
		if err != nil {
			return "", nil, usageError("template %q: %v", d.template, err)
		}
		if _, err := incident.Parse(w.display(w.store.IncidentPath(id)), data); err != nil {
			return "", nil, usageError("template %q makes a file pm cannot read: %v", d.template, err)
		}
		return id, data, nil
	}
}

// loadEarlier reads the incidents on any of services (none without
// services). A problem reading them is no problem of the new incident's:
// it gives none.
func (w *workspace) loadEarlier(services []string) []incidentFile {
	if len(services) == 0 {
		return nil
	}
	files, err := w.load(func(folder string, display func(string) string) ([]repo.Loaded, error) {
		return w.cache().LoadSummariesOn(folder, display, services)
	})
	if err != nil {
		return nil
	}
	return files
}

// printEarlier lists earlier incidents that share a service with the new
// one, with what was confirmed as their cause. The classic panic mistake is
// assuming it is the same as last time, so the heading says to verify.
func (w *workspace) printEarlier(id string, services []string, files []incidentFile) error {
	var earlier []*incident.Doc
	for _, f := range files {
		if f.doc == nil || f.id == id {
			continue
		}
		for _, s := range f.doc.Meta.Services {
			if slices.Contains(services, s) {
				earlier = append(earlier, f.doc)
				break
			}
		}
	}
	if len(earlier) == 0 {
		return nil
	}
	sort.SliceStable(earlier, func(i, j int) bool { return earlier[i].Meta.Started.After(earlier[j].Meta.Started) })
	out := w.app.env.Stdout
	fmt.Fprintf(out, "\nEarlier incidents on %s — causes to verify, not assume:\n", strings.Join(services, ", "))
	const maxEarlier = 5
	for i, d := range earlier {
		if i == maxEarlier {
			fmt.Fprintf(out, "  … and %d more (pm list --service %s)\n", len(earlier)-maxEarlier, services[0])
			break
		}
		fmt.Fprintf(out, "  %s  %s (%s, %s)\n", printable(d.Meta.ID), printable(d.Meta.Title), printable(d.Meta.Severity), printable(d.Meta.Status))
		confirmed := 0
		for _, h := range d.Hypotheses {
			if h.State == "confirmed" {
				confirmed++
				fmt.Fprintf(out, "    was %s: %s\n", printable(h.ID), printable(firstLine(h.Text)))
			}
		}
		if confirmed == 0 {
			fmt.Fprintf(out, "    no confirmed cause recorded\n")
		}
	}
	return nil
}

// cleanList trims, drops empties and duplicates, keeping the order given.
func cleanList(in []string) []string {
	out := []string{}
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
