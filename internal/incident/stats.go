package incident

import (
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// Stats is what pm stats reports about a set of incidents; it is also the
// `pm stats --format json` object.
//
// Definitions, so that nobody has to guess what a figure means:
//
//   - Time to detect is detected − started, to mitigate mitigated − started,
//     to resolve resolved − started, each over the incidents that have both
//     timestamps with the second not before the first.
//   - Median and p90 use the nearest-rank method (see Percentile): of n
//     durations sorted ascending, the p-th percentile is the one at rank
//     ⌈p/100 × n⌉ (1-based). It is always a duration that really occurred;
//     the median of an even number of them is the lower middle one, not the
//     mean of the two middle ones, which no incident took. Durations are
//     counted in whole seconds. pm stats and pm site both report these
//     figures: there is no other implementation to disagree with.
//   - An incident whose status says a milestone has not come yet (resolve
//     while investigating or mitigated, mitigate while investigating) is
//     pending for that duration. Any other incident without both timestamps,
//     or with them in the wrong order, is left out, and named, so that it
//     can be fixed rather than silently dropped.
//   - Months are those of started in StatsOptions.Location, the zone the
//     output shows its dates in (UTC when nil): the responder's zone for pm
//     stats, the one --since and "late" are read in, so that an incident
//     counted since 2026-11-01 is never in October's row; the team's zone
//     for pm site, the one its pages show dates in. An incident without
//     started is in no month; with Since it is left out altogether, since
//     nobody can tell whether it is recent (Undated counts it either way).
//   - An action item is done when ticked, late when not ticked and its due
//     date is before today, and open otherwise (not yet due, or no due
//     date). The file does not record when an item was ticked, so "done"
//     cannot tell on time from late.
type Stats struct {
	Since      *time.Time      `json:"since"`     // null: all incidents
	Incidents  int             `json:"incidents"` // incidents counted
	Undated    int             `json:"undated"`   // incidents without started (left out when since is set)
	BySeverity []Count         `json:"by_severity"`
	ByMonth    []Month         `json:"by_month"` // months with incidents, oldest first
	Detect     DurationStats   `json:"time_to_detect"`
	Mitigate   DurationStats   `json:"time_to_mitigate"`
	Resolve    DurationStats   `json:"time_to_resolve"`
	Services   []Count         `json:"services"` // busiest first
	Hypotheses HypothesisStats `json:"hypotheses"`
	Actions    ActionStats     `json:"actions"`
}

// Count is how many incidents have one key (a severity, a month such as
// "2026-11", a service).
type Count struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// Month is how many incidents started in one month ("2026-11"), and, for
// pm site's charts, by severity and how long they took to resolve. Those
// two are not in the JSON object, whose shape the README documents.
type Month struct {
	Key        string  `json:"key"`
	Count      int     `json:"count"`
	BySeverity []Count `json:"-"` // in the order of Stats.BySeverity; only those with incidents
	Resolve    Summary `json:"-"` // time to resolve of the month's incidents that have one
}

// DurationStats summarises one duration over all incidents and by severity.
type DurationStats struct {
	All        Summary   `json:"all"`
	BySeverity []Summary `json:"by_severity"` // severities in the configured order, then others; only those with incidents
	Pending    int       `json:"pending"`     // incidents that have not reached the milestone yet
	LeftOut    []string  `json:"left_out"`    // ids of incidents with missing or misordered timestamps
}

// Summary is the median and 90th percentile (nearest rank) of N durations,
// in seconds; both are null when N is 0.
type Summary struct {
	Severity string `json:"severity,omitempty"`
	N        int    `json:"n"`
	Median   *int64 `json:"median_seconds"`
	P90      *int64 `json:"p90_seconds"`
}

// HypothesisStats counts hypotheses by their fate.
type HypothesisStats struct {
	Total        int     `json:"total"`
	PerIncident  float64 `json:"per_incident"`  // Total / incidents, rounded to 2 decimals
	Confirmed    int     `json:"confirmed"`     //
	Refuted      int     `json:"refuted"`       //
	Open         int     `json:"open"`          //
	RefutedShare float64 `json:"refuted_share"` // Refuted / Total (0 when there are none), rounded to 2 decimals
}

// ActionStats counts action items by kind and state.
type ActionStats struct {
	ByKind []KindCount `json:"by_kind"` // prevent, detect, clarify, automate, then any other kind ("none" for items without one)
	Total  KindCount   `json:"total"`   // Kind is "total"
}

// KindCount is how many action items of one kind are done, late and open.
type KindCount struct {
	Kind string `json:"kind"`
	Done int    `json:"done"`
	Late int    `json:"late"`
	Open int    `json:"open"`
}

// StatsOptions are the inputs of ComputeStats besides the incidents.
type StatsOptions struct {
	Since      time.Time // count only incidents started at or after Since; zero for all
	Today      time.Time // what late action items are relative to
	Severities []string  // the configured severities, worst first: the order of by-severity rows
	// Location is the zone months are counted in; nil for UTC.
	Location *time.Location
}

// ComputeStats works out Stats for docs. It reads the documents only.
func ComputeStats(docs []*Doc, opt StatsOptions) Stats {
	s := Stats{BySeverity: []Count{}, ByMonth: []Month{}, Services: []Count{}}
	loc := opt.Location
	if loc == nil {
		loc = time.UTC
	}
	if !opt.Since.IsZero() {
		t := opt.Since.UTC()
		s.Since = &t
	}
	var set []*Doc
	for _, d := range docs {
		if d.Meta.Started.IsZero() {
			s.Undated++
			if !opt.Since.IsZero() {
				continue
			}
		} else if d.Meta.Started.Before(opt.Since) {
			continue
		}
		set = append(set, d)
	}
	s.Incidents = len(set)

	sev := map[string]int{}
	month := map[string][]*Doc{}
	svc := map[string]int{}
	for _, d := range set {
		sev[severityKey(d)]++
		if t := d.Meta.Started; !t.IsZero() {
			k := t.In(loc).Format("2006-01")
			month[k] = append(month[k], d)
		}
		for _, x := range uniqueFold(d.Meta.Services) {
			svc[x]++
		}
	}
	order := severityOrder(opt.Severities, sev)
	for _, k := range order {
		s.BySeverity = append(s.BySeverity, Count{Key: k, Count: sev[k]})
	}
	reached := func(statuses ...string) func(string) bool {
		return func(st string) bool { return !slices.Contains(statuses, strings.ToLower(st)) }
	}
	detected := func(m Meta) time.Time { return m.Detected }
	mitigated := func(m Meta) time.Time { return m.Mitigated }
	resolved := func(m Meta) time.Time { return m.Resolved }
	for _, k := range sortedKeys(month) {
		ds := month[k]
		m := Month{Key: k, Count: len(ds), BySeverity: []Count{}}
		n := map[string]int{}
		for _, d := range ds {
			n[severityKey(d)]++
		}
		for _, v := range order {
			if n[v] > 0 {
				m.BySeverity = append(m.BySeverity, Count{Key: v, Count: n[v]})
			}
		}
		m.Resolve = durations(ds, nil, resolved, reached("investigating", "mitigated")).All
		s.ByMonth = append(s.ByMonth, m)
	}
	for k, n := range svc {
		s.Services = append(s.Services, Count{Key: k, Count: n})
	}
	sort.Slice(s.Services, func(i, j int) bool {
		a, b := s.Services[i], s.Services[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Key < b.Key
	})

	s.Detect = durations(set, order, detected, func(string) bool { return true })
	s.Mitigate = durations(set, order, mitigated, reached("investigating"))
	s.Resolve = durations(set, order, resolved, reached("investigating", "mitigated"))

	for _, d := range set {
		for _, h := range d.Hypotheses {
			s.Hypotheses.Total++
			switch h.State {
			case "confirmed":
				s.Hypotheses.Confirmed++
			case "refuted":
				s.Hypotheses.Refuted++
			default:
				s.Hypotheses.Open++
			}
		}
	}
	if s.Incidents > 0 {
		s.Hypotheses.PerIncident = round2(float64(s.Hypotheses.Total) / float64(s.Incidents))
	}
	if s.Hypotheses.Total > 0 {
		s.Hypotheses.RefutedShare = round2(float64(s.Hypotheses.Refuted) / float64(s.Hypotheses.Total))
	}

	byKind := map[string]*KindCount{}
	s.Actions.Total.Kind = "total"
	for _, d := range set {
		for _, a := range d.Actions {
			k := strings.ToLower(a.Kind)
			if k == "" {
				k = "none"
			}
			c := byKind[k]
			if c == nil {
				c = &KindCount{Kind: k}
				byKind[k] = c
			}
			for _, c := range []*KindCount{c, &s.Actions.Total} {
				switch ActionState(a, opt.Today) {
				case ActionDone:
					c.Done++
				case ActionOverdue:
					c.Late++
				default:
					c.Open++
				}
			}
		}
	}
	s.Actions.ByKind = []KindCount{}
	for _, k := range actionKinds {
		if c := byKind[k]; c != nil {
			s.Actions.ByKind = append(s.Actions.ByKind, *c)
		} else {
			s.Actions.ByKind = append(s.Actions.ByKind, KindCount{Kind: k})
		}
		delete(byKind, k)
	}
	for _, k := range sortedKeys(byKind) {
		s.Actions.ByKind = append(s.Actions.ByKind, *byKind[k])
	}
	return s
}

// durations summarises end − started over set. reached tells, from a
// status, whether the milestone should have happened.
func durations(set []*Doc, severities []string, end func(Meta) time.Time, reached func(status string) bool) DurationStats {
	out := DurationStats{BySeverity: []Summary{}, LeftOut: []string{}}
	var all []time.Duration
	bySev := map[string][]time.Duration{}
	for _, d := range set {
		start, stop := d.Meta.Started, end(d.Meta)
		switch {
		case !start.IsZero() && !stop.IsZero() && !stop.Before(start):
			all = append(all, stop.Sub(start))
			bySev[severityKey(d)] = append(bySev[severityKey(d)], stop.Sub(start))
		case stop.IsZero() && !reached(d.Meta.Status):
			out.Pending++
		default:
			out.LeftOut = append(out.LeftOut, ID(d))
		}
	}
	sort.Strings(out.LeftOut)
	out.All = summarise(all)
	for _, k := range severities {
		if len(bySev[k]) > 0 {
			sum := summarise(bySev[k])
			sum.Severity = k
			out.BySeverity = append(out.BySeverity, sum)
		}
	}
	return out
}

func summarise(ds []time.Duration) Summary {
	s := Summary{N: len(ds)}
	if len(ds) == 0 {
		return s
	}
	slices.Sort(ds)
	med, p90 := int64(Percentile(ds, 50)/time.Second), int64(Percentile(ds, 90)/time.Second)
	s.Median, s.P90 = &med, &p90
	return s
}

// Percentile returns the p-th percentile (0 < p ≤ 100) of sorted, which
// must be sorted ascending and not empty, by the nearest-rank method: the
// element at rank ⌈p/100 × n⌉, counting from 1. It is the one percentile
// of pm: pm stats and pm site's stats page (through ComputeStats) both use
// it, and it never interpolates, so every figure is a duration some
// incident really took.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// severityKey is the severity an incident is counted under; "none" when it
// has none.
func severityKey(d *Doc) string {
	if d.Meta.Severity == "" {
		return "none"
	}
	return d.Meta.Severity
}

// severityOrder lists the severities present in counts: the configured
// ones first, in their order, then any others sorted.
func severityOrder(configured []string, counts map[string]int) []string {
	var out []string
	for _, k := range configured {
		if counts[k] > 0 && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	for _, k := range sortedKeys(counts) {
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// uniqueFold drops repeats that differ only in case, keeping the first
// spelling, so that [api, API] counts once.
func uniqueFold(list []string) []string {
	var out []string
	for _, s := range list {
		if s != "" && !containsFold(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
