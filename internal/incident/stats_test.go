package incident

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	m := func(ns ...int) []time.Duration {
		var out []time.Duration
		for _, n := range ns {
			out = append(out, time.Duration(n)*time.Minute)
		}
		return out
	}
	for _, tc := range []struct {
		in        []time.Duration
		p         float64
		wantMinut int
	}{
		{m(7), 50, 7},
		{m(7), 90, 7},
		{m(1, 2), 50, 1},          // rank ⌈1⌉ = 1: the lower middle
		{m(1, 2), 90, 2},          // rank ⌈1.8⌉ = 2
		{m(1, 2, 3), 50, 2},       // rank ⌈1.5⌉ = 2
		{m(1, 2, 3, 4, 5), 90, 5}, // rank ⌈4.5⌉ = 5
		{m(1, 2, 3, 4, 5), 50, 3}, // rank ⌈2.5⌉ = 3 (these three were pm site's own quantile test)
		{m(1, 2, 3, 4, 5), 10, 1}, // rank ⌈0.5⌉ = 1
		{m(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 90, 9},
		{m(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 50, 5},
		{m(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), 90, 10}, // ⌈9.9⌉ = 10
	} {
		if got := Percentile(tc.in, tc.p); got != time.Duration(tc.wantMinut)*time.Minute {
			t.Errorf("p%v of %v = %v, want %dm", tc.p, tc.in, got, tc.wantMinut)
		}
	}
}

func sec(n int64) *int64 { return &n }

func TestComputeStats(t *testing.T) {
	const day = "2026-11-"
	docs := []*Doc{
		// started 10:00; detect 5m, mitigate 20m, resolve 60m
		build(t, fixture{id: "a", status: "closed", severity: "SEV1", started: day + "01T10:00:00Z", detected: day + "01T10:05:00Z",
			mitigated: day + "01T10:20:00Z", resolved: day + "01T11:00:00Z", services: "api, nginx", tags: "config",
			log: "- `2026-11-01T10:06:00Z` **hypothesis H1** memory _(a)_\n- `2026-11-01T10:07:00Z` **refuted H1** no _(a)_\n" +
				"- `2026-11-01T10:08:00Z` **hypothesis H2** lease _(a)_\n- `2026-11-01T10:09:00Z` **confirmed H2** yes _(a)_\n",
			actions: "- [x] Runbook — @a, due 2026-11-10, clarify\n- [ ] Alert — @b, due 2026-11-20, detect\n"}),
		// detect 15m, mitigate 40m, resolve 120m
		build(t, fixture{id: "b", status: "resolved", severity: "SEV2", started: day + "05T08:00:00Z", detected: day + "05T08:15:00Z",
			mitigated: day + "05T08:40:00Z", resolved: day + "05T10:00:00Z", services: "api",
			log:     "- `2026-11-05T08:16:00Z` **hypothesis H1** disk _(a)_\n",
			actions: "- [ ] Canary — @c, due 2026-12-20, prevent\n- [ ] Docs — @c, clarify\n- [ ] Cap — @d, due 2026-10-01\n"}),
		// detect 1m, mitigate 10m, still mitigated: resolve pending
		build(t, fixture{id: "c", status: "mitigated", severity: "SEV2", started: "2026-10-30T23:00:00Z", detected: "2026-10-30T23:01:00Z",
			mitigated: "2026-10-30T23:10:00Z", services: "db, API"}),
		// no detected: left out of detect; mitigated before started: left out; resolve 30m
		build(t, fixture{id: "d", status: "closed", severity: "SEV9", started: day + "10T12:00:00Z",
			mitigated: day + "10T11:00:00Z", resolved: day + "10T12:30:00Z", services: "db"}),
		// investigating, no mitigated/resolved: pending for both
		build(t, fixture{id: "e", status: "investigating", severity: "SEV1", started: day + "20T09:00:00Z", detected: day + "20T09:02:00Z"}),
		// no started at all: undated, left out of every duration
		build(t, fixture{id: "f", status: "closed", severity: "", detected: day + "21T09:00:00Z", resolved: day + "21T10:00:00Z", services: "api"}),
	}
	today := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	got := ComputeStats(docs, StatsOptions{Today: today, Severities: []string{"SEV1", "SEV2", "SEV3", "SEV4"}})

	// By hand:
	// detect   a 5m, b 15m, c 1m, e 2m → sorted 1,2,5,15 (n 4): median rank ⌈2⌉=2 → 2m, p90 rank ⌈3.6⌉=4 → 15m;
	//          SEV1 a 5, e 2 → 2,5: median 2m, p90 5m; SEV2 b 15, c 1 → 1,15: median 1m, p90 15m;
	//          left out d (no detected), f (no started); pending none.
	// mitigate a 20m, b 40m, c 10m → 10,20,40: median 20m, p90 40m; SEV1 a 20: 20/20; SEV2 10,40: 10/40;
	//          pending e (investigating); left out d (before started), f.
	// resolve  a 60m, b 120m, d 30m → 30,60,120: median 60m, p90 120m; SEV1 60/60; SEV2 120/120; SEV9 30/30;
	//          pending c (mitigated), e (investigating); left out f.
	// hypotheses: a has 2 (1 refuted, 1 confirmed), b has 1 open → 3 in 6 incidents = 0.5; refuted 1/3 = 0.33.
	// actions (today 2026-11-24): clarify: a#1 done, b#2 open (no due); detect: a#2 late (due 11-20);
	//          prevent: b#1 open (due 12-20); none: b#3 late (due 10-01).
	want := Stats{
		Incidents:  6,
		Undated:    1,
		BySeverity: []Count{{"SEV1", 2}, {"SEV2", 2}, {"SEV9", 1}, {"none", 1}},
		// By month: c in October; a, b, d, e in November, whose resolve
		// times are d 30m, a 60m, b 120m: median rank 2, p90 rank ⌈2.7⌉ = 3.
		ByMonth: []Month{
			{Key: "2026-10", Count: 1, BySeverity: []Count{{"SEV2", 1}}},
			{Key: "2026-11", Count: 4, BySeverity: []Count{{"SEV1", 2}, {"SEV2", 1}, {"SEV9", 1}},
				Resolve: Summary{N: 3, Median: sec(3600), P90: sec(7200)}},
		},
		Detect: DurationStats{
			All:        Summary{N: 4, Median: sec(120), P90: sec(900)},
			BySeverity: []Summary{{Severity: "SEV1", N: 2, Median: sec(120), P90: sec(300)}, {Severity: "SEV2", N: 2, Median: sec(60), P90: sec(900)}},
			LeftOut:    []string{"d", "f"},
		},
		Mitigate: DurationStats{
			All:        Summary{N: 3, Median: sec(1200), P90: sec(2400)},
			BySeverity: []Summary{{Severity: "SEV1", N: 1, Median: sec(1200), P90: sec(1200)}, {Severity: "SEV2", N: 2, Median: sec(600), P90: sec(2400)}},
			Pending:    1,
			LeftOut:    []string{"d", "f"},
		},
		Resolve: DurationStats{
			All: Summary{N: 3, Median: sec(3600), P90: sec(7200)},
			BySeverity: []Summary{{Severity: "SEV1", N: 1, Median: sec(3600), P90: sec(3600)}, {Severity: "SEV2", N: 1, Median: sec(7200), P90: sec(7200)},
				{Severity: "SEV9", N: 1, Median: sec(1800), P90: sec(1800)}},
			Pending: 2,
			LeftOut: []string{"f"},
		},
		// api: a, b, c (as "API"), f → 4? No: c writes "API", a different key from "api"
		// across incidents; within one incident case repeats count once.
		Services:   []Count{{"api", 3}, {"db", 2}, {"API", 1}, {"nginx", 1}},
		Hypotheses: HypothesisStats{Total: 3, PerIncident: 0.5, Confirmed: 1, Refuted: 1, Open: 1, RefutedShare: 0.33},
		Actions: ActionStats{
			ByKind: []KindCount{{Kind: "prevent", Open: 1}, {Kind: "detect", Late: 1}, {Kind: "clarify", Done: 1, Open: 1}, {Kind: "automate"}, {Kind: "none", Late: 1}},
			Total:  KindCount{Kind: "total", Done: 1, Late: 2, Open: 2},
		},
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("got\n%s\nwant\n%s", g, w)
	}

	// Months are counted in Location: twelve hours west of UTC, a (started
	// 2026-11-01T10:00Z) started on 31 October; October's resolve times
	// are a's 60m, November's d 30m and b 120m.
	west := ComputeStats(docs, StatsOptions{Today: today, Severities: []string{"SEV1", "SEV2"}, Location: time.FixedZone("UTC-12", -12*3600)})
	wantMonths := []Month{
		{Key: "2026-10", Count: 2, BySeverity: []Count{{"SEV1", 1}, {"SEV2", 1}}, Resolve: Summary{N: 1, Median: sec(3600), P90: sec(3600)}},
		{Key: "2026-11", Count: 3, BySeverity: []Count{{"SEV1", 1}, {"SEV2", 1}, {"SEV9", 1}}, Resolve: Summary{N: 2, Median: sec(1800), P90: sec(7200)}},
	}
	if !reflect.DeepEqual(west.ByMonth, wantMonths) {
		t.Errorf("by month at UTC-12:\n got %+v\nwant %+v", west.ByMonth, wantMonths)
	}
	// The per-month figures are for pm site only: the JSON keeps its shape.
	if b, _ := json.Marshal(west.ByMonth); string(b) != `[{"key":"2026-10","count":2},{"key":"2026-11","count":3}]` {
		t.Errorf("by_month JSON = %s", b)
	}

	// Since: only incidents started on or after it; the undated one cannot
	// be placed and is left out, but still counted as undated.
	since := ComputeStats(docs, StatsOptions{Since: time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC), Today: today})
	if since.Incidents != 3 || since.Undated != 1 || since.Since == nil || since.Resolve.All.N != 2 || len(since.Resolve.LeftOut) != 0 {
		t.Errorf("since 2026-11-05: %+v", since)
	}
}

func TestComputeStatsEmpty(t *testing.T) {
	s := ComputeStats(nil, StatsOptions{})
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	// Lists are never null, so that consumers need no special case.
	want := `{"since":null,"incidents":0,"undated":0,"by_severity":[],"by_month":[],` +
		`"time_to_detect":{"all":{"n":0,"median_seconds":null,"p90_seconds":null},"by_severity":[],"pending":0,"left_out":[]},` +
		`"time_to_mitigate":{"all":{"n":0,"median_seconds":null,"p90_seconds":null},"by_severity":[],"pending":0,"left_out":[]},` +
		`"time_to_resolve":{"all":{"n":0,"median_seconds":null,"p90_seconds":null},"by_severity":[],"pending":0,"left_out":[]},` +
		`"services":[],"hypotheses":{"total":0,"per_incident":0,"confirmed":0,"refuted":0,"open":0,"refuted_share":0},` +
		`"actions":{"by_kind":[{"kind":"prevent","done":0,"late":0,"open":0},{"kind":"detect","done":0,"late":0,"open":0},` +
		`{"kind":"clarify","done":0,"late":0,"open":0},{"kind":"automate","done":0,"late":0,"open":0}],"total":{"kind":"total","done":0,"late":0,"open":0}}}`
	if string(b) != want {
		t.Errorf("got\n%s\nwant\n%s", b, want)
	}
}
