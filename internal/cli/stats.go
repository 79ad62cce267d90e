package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/incident"
)

func (a *app) statsCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "stats",
		Usage: "counts, time to detect / mitigate / resolve, busiest services, action-item follow-through",
		Description: "Durations run from started to detected, mitigated and resolved; median and p90 use the\n" +
			"nearest-rank method (always a duration that really occurred). Incidents whose timestamps\n" +
			"are missing or out of order are left out of a duration and named, not silently dropped;\n" +
			"those that simply have not got there yet (not resolved) are counted as pending.\n" +
			"Months are those of started in your time zone, as --since is read.\n" +
			"An action item is done when ticked, late when not ticked and past its due date, open\n" +
			"otherwise: the file does not say when an item was ticked. Files pm cannot parse are\n" +
			"named on stderr and skipped.\n\n" +
			"Examples:\n" +
			"  pm stats\n" +
			"  pm stats --since 2026-01-01\n" +
			"  pm stats --format json | jq '.time_to_resolve.all'",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "since", Usage: "only incidents started on or after `DATE` (YYYY-MM-DD, in your time zone: $TZ, else .pm.yml)"},
			formatFlag("table", "table or json"),
		},
		Action: a.runStats,
	}
}

// statsOptions is what pm stats is asked.
type statsOptions struct {
	Since  string // YYYY-MM-DD in the responder's time zone; "" for all
	Format string // table or json
}

func (a *app) runStats(c *ucli.Context) error {
	format, err := a.checkFormat(c, "table", "json")
	if err != nil {
		return err
	}
	if err := noArgs(c, ""); err != nil {
		return err
	}
	return a.stats(statsOptions{Since: c.String("since"), Format: format})
}

// stats prints the figures of every incident (o.Since: of those started
// on or after that day).
func (a *app) stats(o statsOptions) error {
	w, files, err := a.loadAll()
	if err != nil {
		return err
	}
	loc := w.zone()
	opt := incident.StatsOptions{Today: a.env.Now().In(loc), Severities: w.cfg.Severities, Location: loc}
	if s := o.Since; s != "" {
		if why := incident.DateProblem(s); why != "" {
			return usageError("--since %s %s; write it as YYYY-MM-DD, e.g. 2026-01-01", s, why)
		}
		t, _ := time.ParseInLocation(time.DateOnly, s, loc)
		opt.Since = t
	}
	docs := make([]*incident.Doc, len(files))
	for i, f := range files {
		docs[i] = f.doc
	}
	s := incident.ComputeStats(docs, opt)
	if o.Format == "json" {
		return writeJSON(a.env.Stdout, s)
	}
	printStats(a.env.Stdout, s, opt.Today)
	return nil
}

// printStats lays out Stats as sections of small tables, readable in 80
// columns.
func printStats(w io.Writer, s incident.Stats, today time.Time) {
	fmt.Fprintln(w, statsHeading(s, today.Location()))
	if s.Incidents == 0 {
		return
	}
	printCounts(w, "By severity", s.BySeverity, len(s.BySeverity))
	printMonths(w, s.ByMonth)
	printDurations(w, s)
	printCounts(w, "Busiest services", s.Services, 10)

	h := s.Hypotheses
	fmt.Fprintf(w, "\nHypotheses\n  %d in %d %s (%.2f per incident): %d confirmed, %d refuted (%.0f%%), %d open\n",
		h.Total, s.Incidents, plural(s.Incidents, "incident", "incidents"), h.PerIncident, h.Confirmed, h.Refuted, h.RefutedShare*100, h.Open)

	fmt.Fprintf(w, "\nAction items  %6s  %6s  %6s\n", "done", "late", "open")
	for _, k := range append(s.Actions.ByKind, s.Actions.Total) {
		fmt.Fprintf(w, "  %-10s  %6d  %6d  %6d\n", k.Kind, k.Done, k.Late, k.Open)
	}
	fmt.Fprintf(w, "  late: not done and due before %s; open: not done, not yet due or no due date\n", today.Format("2006-01-02"))
}

// statsHeading is the first line: how many incidents, and what became of
// those without a start time.
func statsHeading(s incident.Stats, loc *time.Location) string {
	head := fmt.Sprintf("%d %s", s.Incidents, plural(s.Incidents, "incident", "incidents"))
	if s.Since != nil {
		head += " started since " + s.Since.In(loc).Format("2006-01-02")
		if s.Undated > 0 {
			head += fmt.Sprintf(" (%d without a start time left out)", s.Undated)
		}
	} else if s.Undated > 0 {
		head += fmt.Sprintf(" (%d without a start time, in no month)", s.Undated)
	}
	return head
}

// printCounts is a titled list of counts, the first limit of them.
func printCounts(w io.Writer, title string, cs []incident.Count, limit int) {
	fmt.Fprintf(w, "\n%s\n", title)
	width := 0
	for _, c := range cs[:min(limit, len(cs))] {
		width = max(width, len(c.Key))
	}
	for i, c := range cs {
		if i == limit {
			fmt.Fprintf(w, "  … and %d more\n", len(cs)-limit)
			break
		}
		fmt.Fprintf(w, "  %-*s  %4d\n", width, c.Key, c.Count)
	}
}

// printDurations is the table of time to detect, mitigate and resolve, by
// severity, with notes under it on the incidents pending or left out.
func printDurations(w io.Writer, s incident.Stats) {
	fmt.Fprintf(w, "\nTime to     %-9s %6s  %7s  %7s\n", "severity", "n", "median", "p90")
	var notes []string
	for _, d := range []struct {
		name, milestone string
		stats           incident.DurationStats
	}{{"detect", "detected", s.Detect}, {"mitigate", "mitigated", s.Mitigate}, {"resolve", "resolved", s.Resolve}} {
		row := func(label, sev string, x incident.Summary) {
			fmt.Fprintf(w, "  %-9s %-9s %6d  %7s  %7s\n", label, sev, x.N, seconds(x.Median), seconds(x.P90))
		}
		row(d.name, "all", d.stats.All)
		for _, x := range d.stats.BySeverity {
			row("", x.Severity, x)
		}
		notes = append(notes, durationNotes(d.name, d.milestone, d.stats)...)
	}
	for _, n := range notes {
		fmt.Fprintf(w, "  %s\n", n)
	}
}

// durationNotes say how many incidents have not reached the milestone yet
// and which were left out of time to name, the first three by id.
func durationNotes(name, milestone string, d incident.DurationStats) []string {
	var notes []string
	if n := d.Pending; n > 0 {
		notes = append(notes, fmt.Sprintf("%d not %s yet", n, milestone))
	}
	if n := len(d.LeftOut); n > 0 {
		notes = append(notes, fmt.Sprintf("%d left out of time to %s (missing or misordered timestamps):", n, name))
		for i, id := range d.LeftOut {
			if i == 3 {
				notes = append(notes, fmt.Sprintf("  … and %d more (pm stats --format json lists them all)", n-3))
				break
			}
			notes = append(notes, "  "+id)
		}
	}
	return notes
}

// printMonths prints incidents by month as a year × month grid, compact
// however many years there are.
func printMonths(w io.Writer, months []incident.Month) {
	if len(months) == 0 {
		return
	}
	byYear := map[string]*[12]int{}
	var years []string
	for _, m := range months {
		y, mm, ok := strings.Cut(m.Key, "-")
		n, err := strconv.Atoi(mm)
		if !ok || err != nil || n < 1 || n > 12 {
			continue
		}
		if byYear[y] == nil {
			byYear[y] = &[12]int{}
			years = append(years, y)
		}
		byYear[y][n-1] = m.Count
	}
	fmt.Fprint(w, "\nBy month ")
	for m := time.January; m <= time.December; m++ {
		fmt.Fprintf(w, " %4s", m.String()[:3])
	}
	fmt.Fprintln(w)
	for _, y := range years {
		var b strings.Builder
		fmt.Fprintf(&b, "  %-7s", y)
		for _, n := range byYear[y] {
			if n == 0 {
				b.WriteString("    .")
			} else {
				fmt.Fprintf(&b, " %4d", n)
			}
		}
		fmt.Fprintln(w, b.String())
	}
}

// seconds prints a duration in seconds the way pm prints durations; "-"
// when there is none.
func seconds(s *int64) string {
	if s == nil {
		return "-"
	}
	if *s < 60 && *s > 0 {
		return fmt.Sprintf("%ds", *s)
	}
	return incident.Span(time.Duration(*s) * time.Second)
}
