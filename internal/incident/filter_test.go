package incident

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// fixture describes a small incident for the tests of filter, stats and
// related; build turns it into a parsed Doc.
type fixture struct {
	id, title, status, severity            string
	started, detected, mitigated, resolved string
	services, tags                         string // "a, b"
	log                                    string // log entries, one per line
	actions                                string // action items, one per line
}

func build(t testing.TB, f fixture) *Doc {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "---\nid: %s\ntitle: %s\nstatus: %s\nseverity: %s\nstarted: %s\ndetected: %s\nmitigated: %s\nresolved: %s\nservices: [%s]\ntags: [%s]\n---\n\n# %s\n\n## Investigation log\n%s\n## Action items\n%s",
		f.id, f.title, f.status, f.severity, f.started, f.detected, f.mitigated, f.resolved, f.services, f.tags, f.title, f.log, f.actions)
	return mustParse(t, "postmortems/"+f.id+".md", []byte(b.String()))
}

func ids(docs []*Doc) string {
	var out []string
	for _, d := range docs {
		out = append(out, ID(d))
	}
	return strings.Join(out, " ")
}

func TestFilter(t *testing.T) {
	docs := []*Doc{
		build(t, fixture{id: "a", status: "investigating", severity: "SEV1", services: "api, nginx", tags: "config"}),
		build(t, fixture{id: "b", status: "mitigated", severity: "SEV2", services: "db"}),
		build(t, fixture{id: "c", status: "resolved", severity: "sev2", services: "API", tags: "deploy, config"}),
		build(t, fixture{id: "d", status: "closed", severity: "SEV3"}),
	}
	for _, tc := range []struct {
		name string
		f    Filter
		want string
	}{
		{"everything", Filter{}, "a b c d"},
		{"status", Filter{Status: []string{"closed"}}, "d"},
		{"status open", Filter{Status: []string{"open"}}, "a b"},
		{"status any of", Filter{Status: []string{"Resolved", "closed"}}, "c d"},
		{"severity any case", Filter{Severity: []string{"SEV2"}}, "b c"},
		{"service any case", Filter{Service: []string{"api"}}, "a c"},
		{"tag", Filter{Tag: []string{"config"}}, "a c"},
		{"all fields", Filter{Status: []string{"open"}, Service: []string{"api"}, Tag: []string{"config"}}, "a"},
		{"nothing", Filter{Service: []string{"dns"}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ids(tc.f.Select(docs)); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestID(t *testing.T) {
	d := build(t, fixture{id: "2026-11-24-x"})
	if ID(d) != "2026-11-24-x" {
		t.Errorf("ID = %q", ID(d))
	}
	d.Meta.ID = ""
	if ID(d) != "2026-11-24-x" {
		t.Errorf("ID without frontmatter id = %q, want the file name", ID(d))
	}
}

func TestActionState(t *testing.T) {
	today := time.Date(2026, 11, 24, 23, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		a    Action
		want string
	}{
		{Action{Done: true, Due: "2026-01-01"}, ActionDone},
		{Action{Due: "2026-11-23"}, ActionOverdue},
		{Action{Due: "2026-11-24"}, ActionOpen}, // due today is not late yet
		{Action{Due: "2026-12-01"}, ActionOpen},
		{Action{}, ActionOpen},
		{Action{Due: "soon"}, ActionOpen},
	} {
		if got := ActionState(tc.a, today); got != tc.want {
			t.Errorf("%+v: got %s, want %s", tc.a, got, tc.want)
		}
	}
	// Today is the date in today's own location: 23:30 UTC on the 24th is
	// already the 25th in Tokyo, where an item due on the 24th is late.
	tokyo := time.FixedZone("JST", 9*3600)
	if got := ActionState(Action{Due: "2026-11-24"}, today.In(tokyo)); got != ActionOverdue {
		t.Errorf("in Tokyo: got %s, want overdue", got)
	}
}

func TestActions(t *testing.T) {
	today := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	docs := []*Doc{
		build(t, fixture{id: "b", actions: "- [ ] Alert on lease expiry — @bob, due 2026-12-08, detect\n" +
			"- [x] Runbook — @alice, due 2026-11-01, clarify\n" +
			"- [ ] Canary stage — @carol, @bob, due 2026-11-20, prevent\n"}),
		build(t, fixture{id: "a", actions: "- [ ] No due date — @bob, automate\n" +
			"- [ ] Cap retries — @dave, due 2026-11-20, prevent\n"}),
	}
	key := func(items []ActionItem) string {
		var out []string
		for _, it := range items {
			out = append(out, fmt.Sprintf("%s#%d:%s", it.Incident, it.N, it.State))
		}
		return strings.Join(out, " ")
	}
	for _, tc := range []struct {
		name string
		f    ActionFilter
		want string
	}{
		// By due date, then incident, then number; no due date last.
		{"all", ActionFilter{}, "b#2:done a#2:overdue b#3:overdue b#1:open a#1:open"},
		{"open", ActionFilter{Open: true}, "a#2:overdue b#3:overdue b#1:open a#1:open"},
		{"overdue", ActionFilter{Overdue: true}, "a#2:overdue b#3:overdue"},
		{"owner among several", ActionFilter{Owner: "@bob"}, "b#3:overdue b#1:open a#1:open"},
		{"owner without @", ActionFilter{Owner: "Carol", Overdue: true}, "b#3:overdue"},
		{"nobody", ActionFilter{Owner: "@zed"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.f.Today = today
			if got := key(Actions(docs, tc.f)); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
	if got := Actions(nil, ActionFilter{}); got == nil || len(got) != 0 {
		t.Errorf("no docs: got %#v, want an empty list", got)
	}
}

// TestActionsOrderByDue: documents in id order take the grouping path,
// others the full sort; both give the reference order (due date, those
// without one last, then id, then number, then position) on random
// archives with repeated ids and dates.
func TestActionsOrderByDue(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	dues := []string{"", "2026-01-01", "2026-01-02", "2025-12-31", "2026-02-10"}
	for round := range 300 {
		var docs []*Doc
		for range rng.IntN(30) {
			d := &Doc{Meta: Meta{ID: fmt.Sprintf("2026-01-%02d-x", rng.IntN(12))}}
			for range rng.IntN(5) {
				d.Actions = append(d.Actions, Action{Text: fmt.Sprint(rng.IntN(1000)), Due: dues[rng.IntN(len(dues))]})
			}
			docs = append(docs, d)
		}
		if round%2 == 0 {
			slices.SortStableFunc(docs, func(a, b *Doc) int { return strings.Compare(a.Meta.ID, b.Meta.ID) })
		}
		var want []ActionItem
		for _, d := range docs {
			for i, a := range d.Actions {
				want = append(want, ActionItem{Incident: ID(d), N: i + 1, State: ActionState(a, time.Time{}), Action: a})
			}
		}
		// The oracle: one sort key per item, a missing date after every date.
		key := func(a ActionItem) string {
			due := a.Due
			if due == "" {
				due = "\xff"
			}
			return fmt.Sprintf("%s\x00%s\x00%06d", due, a.Incident, a.N)
		}
		slices.SortStableFunc(want, func(a, b ActionItem) int { return strings.Compare(key(a), key(b)) })
		got := Actions(docs, ActionFilter{})
		if (len(got) > 0 || len(want) > 0) && !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d (docs sorted: %v): order differs\n got %v\nwant %v", round, round%2 == 0, got, want)
		}
	}
}
