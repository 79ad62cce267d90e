package cli

import (
	"encoding/csv"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/incident"
)

func (a *app) actionsCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "actions",
		Usage: "action items across all incidents: who owes what, by when",
		Description: "Items come by due date (those without one last). An item is overdue when it is not done\n" +
			"and its due date is before today (in your time zone: $TZ, else .pm.yml). The # column is the\n" +
			"number pm done takes. Listing always exits 0; with --fail-on-overdue pm exits 1 when any\n" +
			"listed item is overdue, for a scheduled CI job. Files pm cannot parse are named on\n" +
			"stderr and skipped.\n\n" +
			"Examples:\n" +
			"  pm actions --open\n" +
			"  pm actions --owner @bob --overdue\n" +
			"  pm actions --format csv > actions.csv\n" +
			"  pm actions --open --fail-on-overdue      # in a nightly job",
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "open", Usage: "only items not done"},
			&ucli.BoolFlag{Name: "overdue", Usage: "only items not done whose due date has passed"},
			&ucli.StringFlag{Name: "owner", Usage: "only items owned by `@HANDLE`"},
			formatFlag("table", "table, json or csv"),
			&ucli.BoolFlag{Name: "fail-on-overdue", Usage: "exit 1 when any listed item is overdue"},
		},
		Action: a.runActions,
	}
}

// actionJSON is one item of `pm actions --format json`: pm show's action
// object with the incident's id added.
type actionJSON struct {
	Incident string `json:"incident"`
	incident.ActionJSON
}

// actionsOptions is what pm actions is asked.
type actionsOptions struct {
	Open, Overdue bool   // only items not done; only those past due
	Owner         string // only items of this @handle ("" for all)
	Format        string // table, json or csv
	FailOnOverdue bool   // a problem (exit 1) when a listed item is overdue
}

func (a *app) runActions(c *ucli.Context) error {
	format, err := a.checkFormat(c, "table", "json", "csv")
	if err != nil {
		return err
	}
	if err := noArgs(c, "filter with --open, --overdue, --owner"); err != nil {
		return err
	}
	return a.actions(actionsOptions{Open: c.Bool("open"), Overdue: c.Bool("overdue"), Owner: c.String("owner"),
		Format: format, FailOnOverdue: c.Bool("fail-on-overdue")})
}

// actions lists the action items of every incident that pass the filters.
func (a *app) actions(o actionsOptions) error {
	w, files, err := a.loadAll()
	if err != nil {
		return err
	}
	docs := make([]*incident.Doc, len(files))
	for i, f := range files {
		docs[i] = f.doc
	}
	items := incident.Actions(docs, incident.ActionFilter{Open: o.Open, Overdue: o.Overdue,
		Owner: o.Owner, Today: a.env.Now().In(w.zone())})
	overdue := 0
	for _, it := range items {
		if it.State == incident.ActionOverdue {
			overdue++
		}
	}
	out := a.env.Stdout
	switch o.Format {
	case "json":
		list := make([]actionJSON, 0, len(items))
		for _, it := range items {
			list = append(list, actionJSON{Incident: it.Incident, ActionJSON: incident.ActionJSONOf(it.Action)})
		}
		if err := writeJSONArray(out, list); err != nil {
			return err
		}
	case "csv":
		if err := writeActionsCSV(out, items); err != nil {
			return err
		}
	default:
		if len(items) == 0 {
			fmt.Fprintln(a.env.Stderr, "pm: no action items match")
			break
		}
		a.printActionsTable(out, w, files, items)
	}
	if o.FailOnOverdue && overdue > 0 {
		return problemError("%d action %s overdue (pm actions --overdue lists %s)", overdue, plural(overdue, "item is", "items are"), plural(overdue, "it", "them"))
	}
	return nil
}

// writeActionsCSV is pm actions --format csv: a header row, then one row
// an item.
func writeActionsCSV(out io.Writer, items []incident.ActionItem) error {
	cw := csv.NewWriter(out)
	_ = cw.Write([]string{"incident", "number", "state", "text", "owner", "due", "kind", "ticket", "done", "line"})
	for _, it := range items {
		_ = cw.Write([]string{it.Incident, strconv.Itoa(it.N), it.State, it.Text, it.Owner, it.Due, it.Kind, it.Ticket,
			strconv.FormatBool(it.Done), strconv.Itoa(it.Line)})
	}
	cw.Flush()
	return cw.Error()
}

// printActionsTable is pm actions' table, 100 columns wide; files are all
// the incidents, among which a clipped id must stay a unique prefix.
func (a *app) printActionsTable(out io.Writer, w *workspace, files []incidentFile, items []incident.ActionItem) {
	all := make([]string, len(files))
	for i, x := range files {
		all[i] = incidentID(x)
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.Incident
	}
	idWidth, shown := idCells(ids, all, 22, 32)
	cols := []column{{head: "INCIDENT", max: idWidth}, {head: "#", max: 3, right: true}, {head: "STATE", max: 7, paint: a.palette(w).actionState},
		{head: "DUE", max: 10}, {head: "OWNER", max: 12}, {head: "KIND", max: 8}, {head: "TEXT"}, {head: "TICKET", max: 12}}
	// One array behind every row: 240,000 rows with 100,000 incidents.
	flat := make([]string, 0, len(items)*len(cols))
	cells := make([][]string, len(items))
	for i, it := range items {
		at := len(flat)
		flat = append(flat, shown[i], strconv.Itoa(it.N), it.State, orDash(it.Due), orDash(it.Owner),
			orDash(it.Kind), it.Text, orDash(ticketLabel(it.Ticket)))
		cells[i] = flat[at:len(flat):len(flat)]
	}
	writeTable(out, tableWidth, cols, cells)
}

// ticketLabel is how a ticket shows in a narrow column: an issue key as it
// is, a URL by the last part of its path, which is usually the key
// (OPS-123 of https://tracker.example/browse/OPS-123). JSON and CSV keep
// the whole URL.
func ticketLabel(t string) string {
	if !strings.Contains(t, "//") {
		return t // not a URL (an issue key): url.Parse of every one was a tenth of pm actions
	}
	u, err := url.Parse(t)
	if err != nil || u.Host == "" {
		return t
	}
	if p := strings.Trim(u.Path, "/"); p != "" {
		return p[strings.LastIndexByte(p, '/')+1:]
	}
	return u.Host
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
