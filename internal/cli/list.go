package cli

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/incident"
)

func (a *app) listCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "list",
		Usage: "all incidents, newest first, as a table, JSON or CSV",
		Description: "Each filter may be repeated or given a comma-separated list; an incident matches when it\n" +
			"has any of the values (case does not matter), and all filters must match. --status open\n" +
			"means every status but resolved and closed. Files pm cannot parse are named on stderr and\n" +
			"skipped. The table fits 100 columns: id (a clipped id still works as a prefix), start\n" +
			"date (UTC), severity, status, title, services and TTR, the time from start to resolved.\n\n" +
			"Examples:\n" +
			"  pm list\n" +
			"  pm list --status open\n" +
			"  pm list --service api --severity SEV1,SEV2\n" +
			"  pm list --format json | jq -r '.[] | select(.resolved == null) | .id'\n" +
			"  pm list --tag config --format csv > incidents.csv",
		Flags: []ucli.Flag{
			&ucli.StringSliceFlag{Name: "status", Usage: "only incidents with this `STATUS`: investigating, mitigated, resolved, closed or open (repeat or separate with commas for any of several)"},
			&ucli.StringSliceFlag{Name: "severity", Aliases: []string{"s"}, Usage: "only incidents of this `SEVERITY` (repeat or separate with commas for any of several)"},
			&ucli.StringSliceFlag{Name: "service", Usage: "only incidents on this `SERVICE` (repeat or separate with commas for any of several)"},
			&ucli.StringSliceFlag{Name: "tag", Usage: "only incidents with this `TAG` (repeat or separate with commas for any of several)"},
			formatFlag("table", "table, json or csv"),
		},
		Action: a.runList,
	}
}

// formatFlag is the --format flag of the listing commands.
func formatFlag(def, usage string) ucli.Flag {
	return &ucli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: def, Usage: usage}
}

// checkFormat rejects a --format value the command does not print.
func (a *app) checkFormat(c *ucli.Context, allowed ...string) (string, error) {
	f := c.String("format")
	for _, v := range allowed {
		if f == v {
			return f, nil
		}
	}
	return "", a.badValue(c, "format", f, allowed, "")
}

// splitList turns repeated and comma-separated flag values into one list.
func splitList(values []string) []string {
	var out []string
	for _, v := range values {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// listOptions is what pm list is asked.
type listOptions struct {
	Filter incident.Filter // checked: every status is one pm knows, or open
	Format string          // table, json or csv
}

func (a *app) runList(c *ucli.Context) error {
	format, err := a.checkFormat(c, "table", "json", "csv")
	if err != nil {
		return err
	}
	if err := noArgs(c, "filter with --status, --severity, --service, --tag"); err != nil {
		return err
	}
	f := incident.Filter{Status: splitList(c.StringSlice("status")), Severity: splitList(c.StringSlice("severity")),
		Service: splitList(c.StringSlice("service")), Tag: splitList(c.StringSlice("tag"))}
	for _, s := range f.Status {
		if match, _ := oneOf(s, append(slices.Clone(incident.Statuses), "open")); match == "" {
			return a.badValue(c, "status", s, append(slices.Clone(incident.Statuses), "open"), "(open: not resolved or closed)")
		}
	}
	return a.list(listOptions{Filter: f, Format: format})
}

// list prints the incidents that match o.Filter, newest first.
func (a *app) list(o listOptions) error {
	w, files, err := a.loadAll()
	if err != nil {
		return err
	}
	var rows []incidentFile
	for _, x := range files {
		if o.Filter.Match(x.doc) {
			rows = append(rows, x)
		}
	}
	sortNewestFirst(rows)
	out := a.env.Stdout
	switch o.Format {
	case "json":
		list := make([]incident.DocJSON, 0, len(rows))
		for _, x := range rows {
			list = append(list, w.listJSON(x))
		}
		return writeJSONArray(out, list)
	case "csv":
		return writeListCSV(out, w, rows)
	}
	if len(rows) == 0 {
		if len(files) == 0 {
			fmt.Fprintf(a.env.Stderr, "pm: no incidents in %s yet; start one with pm new TITLE\n", w.display(w.folder()))
		} else {
			fmt.Fprintf(a.env.Stderr, "pm: none of the %d incidents match\n", len(files))
		}
		return nil
	}
	a.printListTable(out, w, files, rows)
	return nil
}

// sortNewestFirst orders incidents by start, newest first; those without a
// start time last, by id.
func sortNewestFirst(rows []incidentFile) {
	sort.SliceStable(rows, func(i, j int) bool {
		si, sj := rows[i].doc.Meta.Started, rows[j].doc.Meta.Started
		if si.IsZero() != sj.IsZero() {
			return sj.IsZero()
		}
		if !si.Equal(sj) {
			return si.After(sj)
		}
		return rows[i].id < rows[j].id
	})
}

// writeListCSV is pm list --format csv: a header row, then one row an
// incident.
func writeListCSV(out io.Writer, w *workspace, rows []incidentFile) error {
	cw := csv.NewWriter(out)
	_ = cw.Write([]string{"id", "path", "title", "status", "severity", "started", "detected", "mitigated", "resolved",
		"commander", "authors", "services", "tags", "time_to_resolve_seconds", "actions_open", "actions_done"})
	for _, x := range rows {
		m := x.doc.Meta
		open, done := actionCounts(x.doc)
		ttr := ""
		if d, ok := timeToResolve(m); ok {
			ttr = strconv.FormatInt(int64(d/time.Second), 10)
		}
		_ = cw.Write([]string{incidentID(x), w.rel(x.path), docTitle(x.doc), m.Status, m.Severity, csvTime(m.Started), csvTime(m.Detected),
			csvTime(m.Mitigated), csvTime(m.Resolved), m.Commander, strings.Join(m.Authors, ";"), strings.Join(m.Services, ";"),
			strings.Join(m.Tags, ";"), ttr, strconv.Itoa(open), strconv.Itoa(done)})
	}
	cw.Flush()
	return cw.Error()
}

// printListTable is pm list's table, 100 columns wide: rows are the
// incidents shown, files all of them (an id is clipped only as far as it
// stays a unique prefix among them).
func (a *app) printListTable(out io.Writer, w *workspace, files, rows []incidentFile) {
	all := make([]string, len(files))
	for i, x := range files {
		all[i] = incidentID(x)
	}
	ids := make([]string, len(rows))
	for i, x := range rows {
		ids[i] = incidentID(x)
	}
	idWidth, shown := idCells(ids, all, 22, 32)
	cols := []column{{head: "ID", max: idWidth}, {head: "STARTED", max: 10}, {head: "SEV", max: 6, paint: a.palette(w).severity}, {head: "STATUS", max: 13},
		{head: "TITLE"}, {head: "SERVICES", max: 12, middle: true}, {head: "TTR", max: 6, right: true}}
	var cells [][]string
	for i, x := range rows {
		m := x.doc.Meta
		started, ttr := "-", "-"
		if !m.Started.IsZero() {
			started = m.Started.In(w.zone()).Format("2006-01-02")
		}
		if d, ok := timeToResolve(m); ok {
			ttr = incident.Span(d)
		}
		cells = append(cells, []string{shown[i], started, m.Severity, m.Status, docTitle(x.doc), strings.Join(m.Services, ","), ttr})
	}
	writeTable(out, tableWidth, cols, cells)
}

// listJSON is one incident in pm list's JSON: pm show's object without
// the entries, its path relative to the repository root.
func (w *workspace) listJSON(x incidentFile) incident.DocJSON {
	j := x.doc.JSON(false).(incident.DocJSON)
	j.Path = w.rel(x.path)
	j.ID = incidentID(x)
	return j
}

// incidentID is the id an incident is listed under: its frontmatter id,
// else its file name.
func incidentID(x incidentFile) string {
	if x.doc != nil && x.doc.Meta.ID != "" {
		return x.doc.Meta.ID
	}
	return x.id
}

// docTitle falls back to the first heading, as pm show's JSON does.
func docTitle(d *incident.Doc) string {
	if d.Meta.Title != "" {
		return d.Meta.Title
	}
	return d.Title
}

// timeToResolve is resolved − started, when both are known and in order.
func timeToResolve(m incident.Meta) (time.Duration, bool) {
	if m.Started.IsZero() || m.Resolved.IsZero() || m.Resolved.Before(m.Started) {
		return 0, false
	}
	return m.Resolved.Sub(m.Started), true
}

func actionCounts(d *incident.Doc) (open, done int) {
	for _, a := range d.Actions {
		if a.Done {
			done++
		} else {
			open++
		}
	}
	return open, done
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// writeJSON prints v as indented JSON, the way every --format json does.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // titles and texts stay readable: <, > and & as they are
	return enc.Encode(v)
}

// writeJSONArray prints list exactly as writeJSON would, one element at a
// time: 10,000 incidents make megabytes of JSON, and encoding them as one
// value costs a second pass over one huge buffer that keeps growing.
func writeJSONArray[T any](w io.Writer, list []T) error {
	if len(list) == 0 {
		_, err := io.WriteString(w, "[]\n")
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("  ", "  ")
	enc.SetEscapeHTML(false)
	_, _ = bw.WriteString("[\n")
	for i, v := range list {
		buf.Reset()
		if err := enc.Encode(v); err != nil {
			return err
		}
		_, _ = bw.WriteString("  ")
		_, _ = bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		if i < len(list)-1 {
			_, _ = bw.WriteString(",")
		}
		_, _ = bw.WriteString("\n")
	}
	_, _ = bw.WriteString("]\n")
	return bw.Flush()
}

// loadAll opens the workspace and loads every incident, as summaries
// through the cache (see repo.Cache and repo.LoadSummaries: enough to list,
// count and compare, not to edit). A file that does not parse is named on
// stderr with its line, one line per file, and skipped; pm leaves it as it
// is. The listing commands go on without it, so one bad file does not hide
// all the others.
func (a *app) loadAll() (*workspace, []incidentFile, error) {
	w, files, _, err := a.loadAllCounted()
	return w, files, err
}

// loadAllCounted is loadAll, also saying how many files it skipped.
func (a *app) loadAllCounted() (w *workspace, files []incidentFile, skipped int, err error) {
	w, err = a.openWorkspace()
	if err != nil {
		return nil, nil, 0, err
	}
	all, err := w.cache().LoadSummaries(w.folder(), w.display)
	if err != nil {
		return nil, nil, 0, w.unreadable(err)
	}
	files = make([]incidentFile, 0, len(all))
	for _, f := range all {
		if f.Err != nil || f.Doc == nil {
			fmt.Fprintf(a.env.Stderr, "pm: skipped %s (fix it; pm leaves the file as it is)\n", firstLine(errString(f.Err)))
			skipped++
			continue
		}
		files = append(files, incidentFile{id: f.ID, path: f.Path, doc: f.Doc})
	}
	return w, files, skipped, nil
}

func errString(err error) string {
	if err == nil {
		return "a file that could not be read"
	}
	return err.Error()
}

// tableWidth is the width the listing tables are laid out for.
const tableWidth = 100

// column is one column of a table.
type column struct {
	head   string
	max    int  // widest it may get; 0 makes it the column that takes the room the others leave
	right  bool // align right (durations, counts)
	middle bool // clip a name in the middle, as its end tells it apart (eu-west-1); a list (a,b) still at its end
	// paint colours a cell on a terminal (palette), after layout: the
	// widths are those of the plain text.
	paint func(string) string
}

// appendSpaces appends n spaces (none for n ≤ 0).
func appendSpaces(b []byte, n int) []byte {
	const spaces = "                                                                "
	for n > 0 {
		k := min(n, len(spaces))
		b = append(b, spaces[:k]...)
		n -= k
	}
	return b
}

// writeTable prints rows under a header in columns two spaces apart, no
// line wider than width (in terminal cells: CJK and emoji take two): fixed columns are as wide as
// their widest cell up to their max, the flexible one takes what is left,
// and cells that do not fit are clipped with "…".
func writeTable(out io.Writer, width int, cols []column, rows [][]string) {
	w := bufio.NewWriterSize(out, 64<<10)
	defer w.Flush()
	// plain[r][i]: the cell is printable ASCII, one cell a byte, so that a
	// cell that fits is printed as it is, without clip's passes over it:
	// most of pm actions' 24,000 rows.
	plain := make([][]bool, len(rows))
	flags := make([]bool, len(rows)*len(cols))
	for r := range rows {
		plain[r] = flags[r*len(cols) : (r+1)*len(cols)]
	}
	// Rows are measured and printed in chunks on every core, each chunk's
	// lines into its own buffer, written in order: pm actions prints
	// 240,000 rows with 100,000 incidents.
	chunks := (len(rows) + tableChunk - 1) / tableChunk
	widest := make([][]int, chunks)
	_ = incident.Parallel(chunks, 0, func(k int) error {
		n := make([]int, len(cols))
		for r := k * tableChunk; r < min(len(rows), (k+1)*tableChunk); r++ {
			for i, cell := range rows[r] {
				if plainCells && plainASCII(cell) {
					plain[r][i] = true
					n[i] = max(n[i], len(cell))
				} else {
					n[i] = max(n[i], cells(cell))
				}
			}
		}
		widest[k] = n
		return nil
	})
	widths := make([]int, len(cols))
	flex, used := -1, 2*(len(cols)-1)
	for i, c := range cols {
		n := cells(c.head)
		for _, wk := range widest {
			n = max(n, wk[i])
		}
		if c.max == 0 {
			flex, widths[i] = i, n
			continue
		}
		widths[i] = min(n, max(c.max, cells(c.head)))
		used += widths[i]
	}
	if flex >= 0 {
		widths[flex] = max(min(widths[flex], width-used), cells(cols[flex].head))
	}
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = c.head
	}
	_, _ = w.Write(appendLine(nil, cols, widths, head, nil, true)) // bufio remembers the error; the command's writer reports it
	printed := make([][]byte, chunks)
	_ = incident.Parallel(chunks, 0, func(k int) error {
		var b []byte
		for r := k * tableChunk; r < min(len(rows), (k+1)*tableChunk); r++ {
			b = appendLine(b, cols, widths, rows[r], plain[r], false)
		}
		printed[k] = b
		return nil
	})
	for _, b := range printed {
		_, _ = w.Write(b)
	}
}

// tableChunk is how many rows writeTable measures and prints at a time.
const tableChunk = 4096

// appendLine appends one line of a table: row's cells in columns of the
// widths, two spaces apart, without trailing spaces (plain as writeTable
// works it out; nil for the header).
func appendLine(b []byte, cols []column, widths []int, row []string, plain []bool, header bool) []byte {
	start := len(b)
	for i, c := range cols {
		var s string
		var pad int
		if plain != nil && plain[i] && len(row[i]) <= widths[i] {
			s, pad = row[i], widths[i]-len(row[i]) // what clip and clipMiddle give
		} else {
			s = clip(row[i], widths[i])
			if c.middle && !strings.Contains(row[i], ",") {
				s = clipMiddle(row[i], widths[i])
			}
			pad = widths[i] - cells(s)
		}
		if i > 0 {
			b = append(b, "  "...)
		}
		if c.paint != nil && !header {
			s = c.paint(s)
		}
		if c.right {
			b = appendSpaces(b, pad)
			b = append(b, s...)
		} else {
			b = append(b, s...)
			b = appendSpaces(b, pad)
		}
	}
	b = b[:start+len(bytes.TrimRight(b[start:], " "))]
	return append(b, '\n')
}

// plainCells turns writeTable's fast path for plain cells on; a test turns
// it off to check that the path changes nothing.
var plainCells = true

// plainASCII: s is printable ASCII (space to tilde), which printable
// leaves as it is and which takes a cell a byte.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
