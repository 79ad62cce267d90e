package incident

import (
	"path"
	"slices"
	"strings"
	"time"
)

// Statuses are the statuses of an incident, in the order it goes through
// them (DESIGN §1).
var Statuses = []string{"investigating", "mitigated", "resolved", "closed"}

// Filter selects incidents the way pm list's flags do. Each field lists the
// values it accepts, compared without regard to case; an incident matches a
// field when it has any of them (for services and tags: when any of its
// services or tags is one of them). An empty field accepts every incident.
type Filter struct {
	// Status values; "open" stands for every status but resolved and
	// closed, the incidents still being worked on.
	Status   []string
	Severity []string
	Service  []string
	Tag      []string
}

// Match reports whether d passes every field of f.
func (f Filter) Match(d *Doc) bool {
	m := d.Meta
	status := func(v string) bool {
		return strings.EqualFold(v, m.Status) ||
			strings.EqualFold(v, "open") && !strings.EqualFold(m.Status, "resolved") && !strings.EqualFold(m.Status, "closed")
	}
	return matchAny(f.Status, status) &&
		matchAny(f.Severity, func(v string) bool { return strings.EqualFold(v, m.Severity) }) &&
		matchAny(f.Service, func(v string) bool { return containsFold(m.Services, v) }) &&
		matchAny(f.Tag, func(v string) bool { return containsFold(m.Tags, v) })
}

// Select returns the documents that match f, in their order.
func (f Filter) Select(docs []*Doc) []*Doc {
	out := []*Doc{}
	for _, d := range docs {
		if f.Match(d) {
			out = append(out, d)
		}
	}
	return out
}

func matchAny(want []string, ok func(string) bool) bool {
	if len(want) == 0 {
		return true
	}
	for _, v := range want {
		if ok(v) {
			return true
		}
	}
	return false
}

func containsFold(list []string, v string) bool {
	for _, s := range list {
		if strings.EqualFold(s, v) {
			return true
		}
	}
	return false
}

// ID is the incident's id: the frontmatter's id, else the file name without
// ".md".
func ID(d *Doc) string {
	if d.Meta.ID != "" {
		return d.Meta.ID
	}
	return strings.TrimSuffix(path.Base(strings.ReplaceAll(d.Path, "\\", "/")), ".md")
}

// Action states, as pm actions and pm stats report them. The file records
// only whether an item is ticked, not when, so a done item is just done:
// nobody can tell from the file whether it was done on time.
const (
	ActionDone    = "done"    // ticked
	ActionOverdue = "overdue" // not ticked, and its due date is before today
	ActionOpen    = "open"    // not ticked, due today or later, or without a due date
)

// ActionState says whether a is done, overdue or open on the date of today
// (taken in today's own location, so the caller decides the time zone). A
// due date that is not a date (lint reports it) never makes an item
// overdue.
func ActionState(a Action, today time.Time) string {
	if a.Done {
		return ActionDone
	}
	due, err := time.Parse("2006-01-02", a.Due)
	if err == nil && due.Format("2006-01-02") < today.Format("2006-01-02") {
		return ActionOverdue
	}
	return ActionOpen
}

// ActionItem is one action item with the incident it belongs to.
type ActionItem struct {
	Incident string // the incident's id (see ID)
	N        int    // its number in the incident, as pm done N counts: 1..
	State    string // ActionDone, ActionOverdue or ActionOpen
	Action
}

// ActionFilter selects action items the way pm actions' flags do.
type ActionFilter struct {
	Open    bool      // only items not done
	Overdue bool      // only items not done whose due date is before Today
	Owner   string    // only items with this owner among theirs ("@bob" or "bob", any case)
	Today   time.Time // what overdue is relative to
}

// Actions returns the action items of docs that pass f, ordered by due
// date (items without one last), then incident id, then number: the order
// in which they need attention.
func Actions(docs []*Doc, f ActionFilter) []ActionItem {
	owner := strings.TrimPrefix(strings.TrimSpace(f.Owner), "@")
	n := 0
	for _, d := range docs {
		n += len(d.Actions)
	}
	out := make([]ActionItem, 0, n)
	for _, d := range docs {
		id := ID(d)
		for i, a := range d.Actions {
			it := ActionItem{Incident: id, N: i + 1, State: ActionState(a, f.Today), Action: a}
			if f.Open && it.State == ActionDone || f.Overdue && it.State != ActionOverdue {
				continue
			}
			if owner != "" && !hasOwner(a.Owner, owner) {
				continue
			}
			out = append(out, it)
		}
	}
	if inIncidentOrder(out) {
		return byDue(out)
	}
	// Sorted by index, ties broken by position: the order of a stable sort
	// (two files may carry the same id) while moving 4-byte indexes rather
	// than the items, which made the sort a sixth of pm actions' time
	// with 20,000 items.
	idx := make([]int32, len(out))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(i, j int32) int {
		a, b := &out[i], &out[j]
		if (a.Due == "") != (b.Due == "") {
			if a.Due == "" {
				return 1
			}
			return -1
		}
		if c := strings.Compare(a.Due, b.Due); c != 0 {
			return c
		}
		if c := strings.Compare(a.Incident, b.Incident); c != 0 {
			return c
		}
		if a.N != b.N {
			return a.N - b.N
		}
		return int(i - j)
	})
	sorted := make([]ActionItem, len(out))
	for k, i := range idx {
		sorted[k] = out[i]
	}
	out = sorted
	return out
}

// inIncidentOrder: the items are in order of incident id, then number, as
// they are when the documents come sorted by id (a listing's order).
func inIncidentOrder(items []ActionItem) bool {
	for k := 1; k < len(items); k++ {
		a, b := &items[k-1], &items[k]
		if c := strings.Compare(a.Incident, b.Incident); c > 0 || c == 0 && a.N > b.N {
			return false
		}
	}
	return true
}

// byDue is the items, already in incident order, in Actions' order: by due
// date, those without one last, and within a date in the order they came.
// That is the full sort's order, found by grouping rather than comparing:
// with 100,000 incidents the sort of 240,000 items took a fifth of pm
// actions.
func byDue(items []ActionItem) []ActionItem {
	groups := map[string][]int32{}
	var dues []string
	for k := range items {
		d := items[k].Due
		if _, ok := groups[d]; !ok {
			dues = append(dues, d)
		}
		groups[d] = append(groups[d], int32(k))
	}
	slices.SortFunc(dues, func(a, b string) int {
		if (a == "") != (b == "") {
			if a == "" {
				return 1
			}
			return -1
		}
		return strings.Compare(a, b)
	})
	sorted := make([]ActionItem, 0, len(items))
	for _, d := range dues {
		for _, k := range groups[d] {
			sorted = append(sorted, items[k])
		}
	}
	return sorted
}

// hasOwner reports whether owners ("@bob" or "@bob, @carol", as parsed)
// names handle (without its "@").
func hasOwner(owners, handle string) bool {
	for _, o := range strings.Split(owners, ",") {
		if strings.EqualFold(strings.TrimPrefix(strings.TrimSpace(o), "@"), handle) {
			return true
		}
	}
	return false
}
