package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/incident"
)

func (a *app) relatedCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "related",
		Usage:     "earlier incidents like this one, with their confirmed causes and action items",
		ArgsUsage: "[ID]",
		Description: "Ranks the incidents that started before this one by what they share with it: each\n" +
			"service counts 3, each tag 2, each word of the title and of the confirmed hypotheses 1\n" +
			"(common words left out). Their causes are things to verify, not answers: assuming it is\n" +
			"the same as last time is the classic mistake. ID may be a unique prefix; without it pm\n" +
			"uses $PM_INCIDENT, else the only open incident.\n\n" +
			"Examples:\n" +
			"  pm related\n" +
			"  pm related 2026-11-24-api --limit 3\n" +
			"  pm related --format json | jq -r '.[].causes[].text'",
		Flags: []ucli.Flag{
			incidentFlag(),
			&ucli.IntFlag{Name: "limit", Aliases: []string{"n"}, Value: 10, Usage: "show at most `N` incidents"},
			formatFlag("text", "text or json"),
		},
		Action: a.runRelated,
	}
}

// relatedJSON is one item of `pm related --format json`.
type relatedJSON struct {
	ID       string     `json:"id"`
	Path     string     `json:"path"`
	Title    string     `json:"title"`
	Status   string     `json:"status"`
	Severity string     `json:"severity"`
	Started  *time.Time `json:"started"`
	Score    int        `json:"score"`
	Shared   sharedJSON `json:"shared"`
	Causes   []cause    `json:"causes"`
	Actions  openDone   `json:"actions"`
}

type sharedJSON struct {
	Services []string `json:"services"`
	Tags     []string `json:"tags"`
	Words    []string `json:"words"`
}

// cause is a confirmed hypothesis and the evidence that confirmed it.
type cause struct {
	ID     string `json:"id"`
	Text   string `json:"text"`
	Reason string `json:"reason"`
}

type openDone struct {
	Open int `json:"open"`
	Done int `json:"done"`
}

// relatedOptions is what pm related is asked.
type relatedOptions struct {
	ID     string // the incident: an id or unique prefix, "" for the usual pick
	Limit  int    // at most this many; negative for all
	Format string // text or json
}

func (a *app) runRelated(c *ucli.Context) error {
	format, err := a.checkFormat(c, "text", "json")
	if err != nil {
		return err
	}
	if c.NArg() > 1 {
		return usageError("pm related takes one ID, got %d arguments", c.NArg())
	}
	id := c.Args().First()
	if id == "" {
		id = c.String("incident")
	}
	return a.related(relatedOptions{ID: id, Limit: c.Int("limit"), Format: format})
}

// related prints the earlier incidents most like the one o.ID names.
func (a *app) related(o relatedOptions) error {
	w, all, skipped, err := a.loadAllCounted()
	if err != nil {
		return err
	}
	target, err := w.pickAmong(o.ID, all, skipped > 0)
	if err != nil {
		return err
	}
	var docs []*incident.Doc
	paths := map[*incident.Doc]string{}
	for _, f := range all {
		if f.path != target.path {
			docs = append(docs, f.doc)
			paths[f.doc] = f.path
		}
	}
	matches := incident.Related(target.doc, docs)
	if n := o.Limit; n >= 0 && len(matches) > n {
		matches = matches[:n]
	}
	list := make([]relatedJSON, 0, len(matches))
	for _, m := range matches {
		list = append(list, relatedOf(m, w.rel(paths[m.Doc])))
	}
	if o.Format == "json" {
		return writeJSON(a.env.Stdout, list)
	}
	printRelated(a.env.Stdout, target.id, list)
	return nil
}

// relatedOf is one match as pm related shows it; path is the incident's
// file, relative to the repository root.
func relatedOf(m incident.Match, path string) relatedJSON {
	d := m.Doc
	r := relatedJSON{ID: incident.ID(d), Path: path, Title: docTitle(d), Status: d.Meta.Status, Severity: d.Meta.Severity,
		Score: m.Score, Shared: sharedJSON{Services: nonNil(m.Services), Tags: nonNil(m.Tags), Words: nonNil(m.Words)}, Causes: []cause{}}
	if t := d.Meta.Started; !t.IsZero() {
		r.Started = &t
	}
	for _, h := range d.Hypotheses {
		if h.State == "confirmed" {
			r.Causes = append(r.Causes, cause{ID: h.ID, Text: h.Text, Reason: h.Reason})
		}
	}
	r.Actions.Open, r.Actions.Done = actionCounts(d)
	return r
}

// printRelated is the text form: per earlier incident, what it shares with
// id, its confirmed causes and its action items.
func printRelated(out io.Writer, id string, list []relatedJSON) {
	if len(list) == 0 {
		fmt.Fprintf(out, "No earlier incident shares a service, tag or word with %s.\n", id)
		return
	}
	fmt.Fprintf(out, "Earlier incidents like %s — causes to verify, not assume:\n", id)
	for _, r := range list {
		fmt.Fprintf(out, "\n  %s  %s (%s, %s)\n", printable(r.ID), printable(r.Title), printable(r.Severity), printable(r.Status))
		var why []string
		for _, s := range []struct {
			name string
			list []string
		}{{"services", r.Shared.Services}, {"tags", r.Shared.Tags}, {"words", r.Shared.Words}} {
			if len(s.list) > 0 {
				why = append(why, s.name+" "+strings.Join(s.list, ", "))
			}
		}
		fmt.Fprintf(out, "    shares %s (score %d)\n", strings.Join(why, "; "), r.Score)
		if len(r.Causes) == 0 {
			fmt.Fprintln(out, "    no confirmed cause recorded")
		}
		for _, h := range r.Causes {
			fmt.Fprintf(out, "    was %s: %s\n", printable(h.ID), printable(firstLine(h.Text)))
		}
		if r.Actions.Open+r.Actions.Done == 0 {
			fmt.Fprintln(out, "    no action items")
		} else {
			fmt.Fprintf(out, "    action items: %d open, %d done\n", r.Actions.Open, r.Actions.Done)
		}
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
