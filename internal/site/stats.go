package site

import (
	"fmt"
	"html/template"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/pm-tool/pm/internal/incident"
)

// statsData is the stats page: counts, medians by severity, and four
// charts drawn as inline SVG (no library, no script: they show with
// JavaScript off and print well).
type statsData struct {
	Total, Open, Resolved int
	BySeverity            []sevStats
	Months                template.HTML // incidents per month by severity
	TTR                   template.HTML // time to resolve per month
	Services              template.HTML // busiest services
	Actions               template.HTML // share of action items done
	ActionsTotal          int
	ActionsDone           int
	ActionsOverdue        int
	Legend                []legendItem
}

type sevStats struct {
	Severity, Class    string
	Count              int
	TTD, TTM, TTR, P90 string // medians (and 90th percentile of time to resolve), "" without data
}

type legendItem struct{ Name, Class string }

// monthsShown bounds the monthly charts to the last five years with
// incidents, so that a bar stays wide enough to see.
const monthsShown = 60

// writeStats draws the stats page from s.stats, the figures of pm stats
// (incident.ComputeStats) over the public incidents: counts, medians and
// 90th percentiles by nearest rank, months in the site's zone, action
// items done, late and open. Only the busiest-services chart counts for
// itself, from the service groups: each bar links to a group's page and
// must agree with the list there.
func (s *site) writeStats() error {
	st := s.stats
	d := statsData{Total: st.Incidents, Open: s.open, Resolved: st.Incidents - s.open}
	for _, c := range st.BySeverity {
		cls := s.sevClass(c.Key)
		ttr := severitySummary(st.Resolve, c.Key)
		d.BySeverity = append(d.BySeverity, sevStats{Severity: c.Key, Class: cls, Count: c.Count,
			TTD: secondsText(severitySummary(st.Detect, c.Key).Median), TTM: secondsText(severitySummary(st.Mitigate, c.Key).Median),
			TTR: secondsText(ttr.Median), P90: secondsText(ttr.P90)})
		d.Legend = append(d.Legend, legendItem{Name: c.Key, Class: cls})
	}
	var months []string
	byMonth := map[string]incident.Month{}
	if n := len(st.ByMonth); n > 0 {
		first, _ := time.Parse("2006-01", st.ByMonth[0].Key)
		last, _ := time.Parse("2006-01", st.ByMonth[n-1].Key)
		months = monthRange(first, last)
		for _, m := range st.ByMonth {
			byMonth[m.Key] = m
		}
	}
	if len(months) > monthsShown {
		months = months[len(months)-monthsShown:]
	}
	d.Months = s.monthChart(months, byMonth)
	d.TTR = ttrChart(months, byMonth)
	d.Services = s.serviceChart()
	t := st.Actions.Total
	d.ActionsTotal, d.ActionsDone, d.ActionsOverdue = t.Done+t.Late+t.Open, t.Done, t.Late
	d.Actions = actionChart(t.Done, t.Open, t.Late)
	return s.page("stats.html", "stats.html", "Stats", "stats", d)
}

// sevClass is the CSS class of a severity as incident.Stats names it:
// "none" is the incidents without one, unless .pm.yml has a severity of
// that name.
func (s *site) sevClass(key string) string {
	if _, ok := s.sevRank[key]; key == "none" && !ok {
		return "sevx"
	}
	return "sev" + itoa(min(s.rank(key), 4))
}

// severitySummary is the summary of one severity; zero (no figures) when
// none of its incidents has the duration.
func severitySummary(ds incident.DurationStats, sev string) incident.Summary {
	for _, x := range ds.BySeverity {
		if x.Severity == sev {
			return x
		}
	}
	return incident.Summary{}
}

// duration is a figure of incident.Stats, in seconds, as a Duration.
func duration(sec *int64) time.Duration { return time.Duration(*sec) * time.Second }

// secondsText is a figure of incident.Stats as the site writes durations;
// "" when there is none.
func secondsText(sec *int64) string {
	if sec == nil {
		return ""
	}
	return human(duration(sec))
}

// monthRange lists every month from first to last (in their own zone),
// "2006-01", gaps
// included so that a quiet month shows as one.
func monthRange(first, last time.Time) []string {
	if first.IsZero() {
		return nil
	}
	var out []string
	m := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(last.Year(), last.Month(), 1, 0, 0, 0, 0, time.UTC)
	for !m.After(end) {
		out = append(out, m.Format("2006-01"))
		m = m.AddDate(0, 1, 0)
	}
	return out
}

// The charts share one frame: a viewBox of chartW × chartH with margins
// for the axis labels; the SVG scales to the width of the page.
const (
	chartW, chartH         = 720, 240
	padL, padR, padT, padB = 44, 8, 10, 26
	plotW, plotH           = chartW - padL - padR, chartH - padT - padB
	svgOpen                = `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-t">`
	// A chart whose bars are links is a group, not an image: an image's
	// content is not read or reached, so links in it are lost to a keyboard
	// and a screen reader (axe: nested-interactive).
	svgOpenLinks         = `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %d %d" role="group" aria-labelledby="%s-t">`
	svgTitle             = `<title id="%s-t">%s</title>`
	noData               = `<text x="%d" y="%d" class="axis" text-anchor="middle">no data yet</text>`
	barGap       float64 = 0.18
)

// countStep is the step between the four ticks of a count axis that
// reaches top: a whole 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of
// ten, so that the ticks read 0, 15, 30, 45, 60 and never 0, 14, 28.
func countStep(top float64) float64 {
	need := top / 4
	if need <= 1 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(need)))
	for _, f := range []float64{1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if v := f * p; v >= need && v == math.Trunc(v) {
			return v
		}
	}
	return 10 * p
}

// durationSteps are the steps a time axis counts in: ticks of 0, 15m,
// 30m, 45m, 60m, or 0, 6h, 12h, 18h, 24h, never 0.2h, 0.3h.
var durationSteps = []time.Duration{
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour,
	24 * time.Hour, 2 * 24 * time.Hour, 3 * 24 * time.Hour, 7 * 24 * time.Hour, 14 * 24 * time.Hour, 30 * 24 * time.Hour,
}

// durationStep is the step between the four ticks of a time axis that
// reaches top.
func durationStep(top time.Duration) time.Duration {
	for _, s := range durationSteps {
		if 4*s >= top {
			return s
		}
	}
	s := durationSteps[len(durationSteps)-1]
	return s * time.Duration(math.Ceil(float64(top)/float64(4*s)))
}

// tickLabel writes a tick of a time axis counting in step, all ticks in
// one unit and short enough for the axis's margin: 0 30m 60m 90m 120m,
// 0 6h 12h 18h 24h, 0 3d 6d 9d 12d.
func tickLabel(d, step time.Duration) string {
	switch {
	case d == 0:
		return "0"
	case step < time.Hour:
		return itoa(int(d/time.Minute)) + "m"
	case step < 24*time.Hour:
		return itoa(int(d/time.Hour)) + "h"
	default:
		return itoa(int(d/(24*time.Hour))) + "d"
	}
}

// f formats a coordinate with at most one decimal, so the same input
// always gives the same text.
func f(v float64) string {
	s := fmt.Sprintf("%.1f", v)
	return strings.TrimSuffix(s, ".0")
}

// yAxis draws horizontal grid lines with labels from 0 to top.
func yAxis(b *strings.Builder, top float64, label func(float64) string) {
	for i := 0; i <= 4; i++ {
		v := top * float64(i) / 4
		y := padT + plotH - plotH*float64(i)/4
		fmt.Fprintf(b, `<line class="grid" x1="%d" x2="%d" y1="%s" y2="%s"/>`, padL, chartW-padR, f(y), f(y))
		fmt.Fprintf(b, `<text class="axis" x="%d" y="%s" text-anchor="end">%s</text>`, padL-6, f(y+4), esc(label(v)))
	}
}

// xLabels writes month labels under the bars, thinned to fit.
func xLabels(b *strings.Builder, months []string, bw float64) {
	step := int(math.Ceil(44 / bw))
	for i, m := range months {
		t, _ := time.Parse("2006-01", m)
		if step > 1 && i%step != 0 && t.Month() != time.January {
			continue
		}
		// One form in a chart: every label "Nov 26", or where they must
		// thin out, only the years.
		label := t.Format("Jan 06")
		if step > 3 {
			if t.Month() != time.January && i != 0 {
				continue
			}
			label = t.Format("2006")
		}
		x := padL + bw*(float64(i)+0.5)
		fmt.Fprintf(b, `<text class="axis" x="%s" y="%d" text-anchor="middle">%s</text>`, f(x), chartH-8, esc(label))
	}
}

func (s *site) monthChart(months []string, counts map[string]incident.Month) template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, svgOpen, chartW, chartH, "months")
	fmt.Fprintf(&b, svgTitle, "months", "Incidents per month, by severity")
	if len(months) == 0 {
		fmt.Fprintf(&b, noData, chartW/2, chartH/2)
		b.WriteString(`</svg>`)
		return template.HTML(b.String())
	}
	top := 0
	for _, m := range months {
		top = max(top, counts[m].Count)
	}
	ymax := 4 * countStep(float64(top))
	yAxis(&b, ymax, func(v float64) string { return f(v) })
	bw := float64(plotW) / float64(len(months))
	for i, m := range months {
		y := float64(padT + plotH)
		for _, c := range counts[m].BySeverity {
			h := float64(plotH) * float64(c.Count) / ymax
			y -= h
			cls := s.sevClass(c.Key)
			name := c.Key
			if cls == "sevx" {
				name = "no severity"
			}
			fmt.Fprintf(&b, `<rect class="%s" x="%s" y="%s" width="%s" height="%s"><title>%s %s: %d</title></rect>`,
				cls, f(padL+bw*float64(i)+bw*barGap/2), f(y), f(bw*(1-barGap)), f(h), esc(m), esc(name), c.Count)
		}
	}
	xLabels(&b, months, bw)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func ttrChart(months []string, ttr map[string]incident.Month) template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, svgOpen, chartW, chartH, "ttr")
	fmt.Fprintf(&b, svgTitle, "ttr", "Time to resolve per month: median bar, 90th percentile tick")
	top := 0.0
	for _, m := range months {
		if p90 := ttr[m].Resolve.P90; p90 != nil {
			top = math.Max(top, duration(p90).Hours())
		}
	}
	if top == 0 {
		fmt.Fprintf(&b, noData, chartW/2, chartH/2)
		b.WriteString(`</svg>`)
		return template.HTML(b.String())
	}
	step := durationStep(time.Duration(top * float64(time.Hour)))
	ymax := 4 * step.Hours()
	yAxis(&b, ymax, func(v float64) string { return tickLabel(time.Duration(math.Round(v/step.Hours()))*step, step) })
	bw := float64(plotW) / float64(len(months))
	for i, m := range months {
		r := ttr[m].Resolve
		if r.N == 0 {
			continue
		}
		med, p90 := duration(r.Median), duration(r.P90)
		h := float64(plotH) * med.Hours() / ymax
		x := padL + bw*float64(i) + bw*barGap/2
		fmt.Fprintf(&b, `<rect class="ttr" x="%s" y="%s" width="%s" height="%s"><title>%s: median %s, 90th percentile %s (%d resolved)</title></rect>`,
			f(x), f(float64(padT+plotH)-h), f(bw*(1-barGap)), f(h), esc(m), esc(human(med)), esc(human(p90)), r.N)
		y := float64(padT+plotH) - float64(plotH)*p90.Hours()/ymax
		fmt.Fprintf(&b, `<line class="p90" x1="%s" x2="%s" y1="%s" y2="%s"/>`, f(x), f(x+bw*(1-barGap)), f(y), f(y))
	}
	xLabels(&b, months, bw)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// serviceChart draws the ten services with most incidents as horizontal
// bars, each a link to the service's page.
func (s *site) serviceChart() template.HTML {
	gs := append([]*group(nil), s.services...)
	sort.SliceStable(gs, func(i, j int) bool { return len(gs[i].Pages) > len(gs[j].Pages) })
	if len(gs) > 10 {
		gs = gs[:10]
	}
	const w, row, left, right = 420, 24, 120, 34
	h := max(len(gs), 1)*row + 8
	var b strings.Builder
	fmt.Fprintf(&b, svgOpenLinks, w, h, "services")
	fmt.Fprintf(&b, svgTitle, "services", "Busiest services: incidents per service")
	if len(gs) == 0 {
		fmt.Fprintf(&b, noData, w/2, h/2+4)
		b.WriteString(`</svg>`)
		return template.HTML(b.String())
	}
	top := float64(len(gs[0].Pages))
	for i, g := range gs {
		y := 4 + i*row
		bw := float64(w-left-right) * float64(len(g.Pages)) / top
		name := g.Name
		if r := []rune(name); len(r) > 18 {
			name = string(r[:17]) + "…"
		}
		fmt.Fprintf(&b, `<a href="%s"><text class="label" x="%d" y="%d" text-anchor="end">%s</text>`, esc(g.Href()), left-8, y+16, esc(name))
		fmt.Fprintf(&b, `<rect class="bar" x="%d" y="%d" width="%s" height="%d"><title>%s: %d</title></rect></a>`, left, y+3, f(math.Max(bw, 1)), row-6, esc(g.Name), len(g.Pages))
		fmt.Fprintf(&b, `<text class="axis" x="%s" y="%d">%d</text>`, f(float64(left)+bw+6), y+16, len(g.Pages))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// actionChart is one bar split into done, open and overdue action items.
func actionChart(done, open, overdue int) template.HTML {
	const cw, h = 420, 64
	total := done + open + overdue
	var b strings.Builder
	fmt.Fprintf(&b, svgOpen, cw, h, "actions")
	fmt.Fprintf(&b, svgTitle, "actions", "Share of action items done")
	if total == 0 {
		fmt.Fprintf(&b, noData, cw/2, h/2+4)
		b.WriteString(`</svg>`)
		return template.HTML(b.String())
	}
	x := 0.0
	for _, part := range []struct {
		n          int
		cls, label string
	}{{done, "done", "done"}, {open, "open", "open"}, {overdue, "overdue", "overdue"}} {
		if part.n == 0 {
			continue
		}
		w := float64(cw) * float64(part.n) / float64(total)
		pct := 100 * float64(part.n) / float64(total)
		fmt.Fprintf(&b, `<rect class="%s" x="%s" y="4" width="%s" height="32"><title>%s: %d of %d (%.0f%%)</title></rect>`, part.cls, f(x), f(w), part.label, part.n, total, pct)
		if w > 60 {
			fmt.Fprintf(&b, `<text class="label" x="%s" y="56" text-anchor="middle">%s %.0f%%</text>`, f(x+w/2), part.label, pct)
		}
		x += w
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
