package incident

import "time"

// DocJSON is the `pm show --format json` object (DESIGN §3); other commands reuse its parts.
type DocJSON struct {
	ID         string           `json:"id"`
	Path       string           `json:"path"`
	Title      string           `json:"title"`
	Status     string           `json:"status"`
	Severity   string           `json:"severity"`
	Started    *time.Time       `json:"started"`
	Detected   *time.Time       `json:"detected"`
	Mitigated  *time.Time       `json:"mitigated"`
	Resolved   *time.Time       `json:"resolved"`
	Commander  string           `json:"commander"`
	Authors    []string         `json:"authors"`
	Services   []string         `json:"services"`
	Tags       []string         `json:"tags"`
	Entries    *[]EntryJSON     `json:"entries,omitempty"`
	Hypotheses []HypothesisJSON `json:"hypotheses"`
	Actions    []ActionJSON     `json:"actions"`
}

// EntryJSON is one log entry in JSON.
type EntryJSON struct {
	Time       time.Time `json:"time"`
	Kind       string    `json:"kind"`
	Hypothesis string    `json:"hypothesis"`
	System     string    `json:"system"`
	Text       string    `json:"text"`
	Author     string    `json:"author"`
	Line       int       `json:"line"`
}

// HypothesisJSON is one hypothesis in JSON; closed is null while it is open.
type HypothesisJSON struct {
	ID     string     `json:"id"`
	Text   string     `json:"text"`
	State  string     `json:"state"`
	Reason string     `json:"reason"`
	Opened *time.Time `json:"opened"`
	Closed *time.Time `json:"closed"`
}

// ActionJSON is one action item in JSON.
type ActionJSON struct {
	Text   string `json:"text"`
	Owner  string `json:"owner"`
	Due    string `json:"due"`
	Kind   string `json:"kind"`
	Ticket string `json:"ticket"`
	Done   bool   `json:"done"`
	Line   int    `json:"line"`
}

// JSON returns the document as a DocJSON for encoding/json: times RFC 3339 or null, lists never
// null, entries only when withEntries. The title falls back to the first level-1 heading.
func (d *Doc) JSON(withEntries bool) any {
	m := d.Meta
	j := DocJSON{
		ID: m.ID, Path: d.Path, Title: m.Title, Status: m.Status, Severity: m.Severity,
		Started: timePtr(m.Started), Detected: timePtr(m.Detected), Mitigated: timePtr(m.Mitigated), Resolved: timePtr(m.Resolved),
		Commander: m.Commander, Authors: nonNil(m.Authors), Services: nonNil(m.Services), Tags: nonNil(m.Tags),
		Hypotheses: make([]HypothesisJSON, 0, len(d.Hypotheses)),
		Actions:    make([]ActionJSON, 0, len(d.Actions)),
	}
	if j.Title == "" {
		j.Title = d.Title
	}
	if withEntries {
		es := make([]EntryJSON, 0, len(d.Entries))
		for _, e := range d.Entries {
			es = append(es, EntryJSON(e)) // one field each: a new one in Entry must be named here too
		}
		j.Entries = &es
	}
	for _, h := range d.Hypotheses {
		j.Hypotheses = append(j.Hypotheses, HypothesisJSON{ID: h.ID, Text: h.Text, State: h.State, Reason: h.Reason, Opened: timePtr(h.Opened), Closed: timePtr(h.Closed)})
	}
	for _, a := range d.Actions {
		j.Actions = append(j.Actions, ActionJSONOf(a))
	}
	return j
}

// ActionJSONOf converts one action item, for commands that list actions across incidents.
func ActionJSONOf(a Action) ActionJSON {
	return ActionJSON(a)
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
