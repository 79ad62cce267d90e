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
			"  pm new \"Checkout slow\" --started 09:10 --tag payments --template sre",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "severity", Aliases: []string{"s"}, Usage: "severity, one of the configured list (default from .pm.yml, SEV3)"},
			&ucli.StringSliceFlag{Name: "service", Usage: "affected `SERVICE` (repeat or separate with commas)"},
			&ucli.StringSliceFlag{Name: "tag", Usage: "`TAG` for finding it later (repeat or separate with commas)"},
			&ucli.StringFlag{Name: "started", Usage: "when impact began: `TIME` as 09:10, \"2026-11-24 09:10\" or RFC 3339 (default now)"},
			&ucli.StringFlag{Name: "commander", Usage: "incident commander (default your git user.name)"},
			&ucli.StringFlag{Name: "template", Aliases: []string{"t"}, Usage: "template `NAME`: default, sre, minimal or one in FOLDER/templates"},
		},
		Action: a.runNew,
	}
}

func (a *app) runNew(c *ucli.Context) error {
	title, err := a.readText(c.Args().Slice(), incident.Entry{})
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
	cfg := w.cfg
	severity := c.String("severity")
	if severity == "" {
		severity = cfg.DefaultSeverity
	}
	sev, _ := oneOf(severity, cfg.Severities)
	if sev == "" {
		return a.badValue(c, "severity", severity, cfg.Severities, "(set severities in .pm.yml)")
	}
	severity = sev
	now := a.env.Now().UTC().Truncate(time.Second)
	started := now
	if s := c.String("started"); s != "" {
		if started, err = parseWhen(s, now, w.zone()); err != nil {
			return usageError("--started: %v", err)
		}
	}
	commander := c.String("commander")
	if commander == "" && w.repo != nil {
		if id := w.ident(); id.err == nil {
			commander = id.author.Name
		}
	}
	var authors []string
	if commander != "" {
		authors = []string{commander}
	}
	tmplName := c.String("template")
	if tmplName == "" {
		tmplName = cfg.Template
	}
	src, err := repo.Template(w.home, cfg.Folder, tmplName)
	if err != nil {
		return asUsage(err)
	}

	services, tags := cleanList(c.StringSlice("service")), cleanList(c.StringSlice("tag"))
	res, err := w.store.Create(title, func(taken map[string]bool) (string, []byte, error) {
		id := incident.NewID(cfg.IDScheme, cfg.IDPrefix, started, title, taken)
		data, err := incident.ExecuteTemplate(tmplName, src, incident.TemplateData{
			ID: id, Title: title, Status: "investigating", Severity: severity, Commander: commander,
			Started: started, Detected: now, Services: services, Tags: tags, Authors: authors,
		})
		if err != nil {
			return "", nil, usageError("template %q: %v", tmplName, err)
		}
		if _, err := incident.Parse(w.display(w.store.IncidentPath(id)), data); err != nil {
			return "", nil, usageError("template %q makes a file pm cannot read: %v", tmplName, err)
		}
		return id, data, nil
	})
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
	if err := w.printEarlier(res.ID, services); err != nil {
		return err
	}
	a.guide(w, w.store.IncidentPath(res.ID))
	return nil
}

// printEarlier lists earlier incidents that share a service with the new
// one, with what was confirmed as their cause. The classic panic mistake is
// assuming it is the same as last time, so the heading says to verify.
func (w *workspace) printEarlier(id string, services []string) error {
	if len(services) == 0 {
		return nil
	}
	files, err := w.load(func(folder string, display func(string) string) ([]repo.Loaded, error) {
		return w.cache().LoadSummariesOn(folder, display, services)
	})
	if err != nil {
		return nil // the incident is created; a listing problem must not fail it
	}
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
