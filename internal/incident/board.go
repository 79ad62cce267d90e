package incident

import (
	"slices"
	"sort"
	"strings"
	"time"
)

// SystemState is one system's latest state as the log records it: the
// board's Systems section and what the guide reasons about.
type SystemState struct {
	System string    `json:"system"`
	State  string    `json:"state"` // up | down
	Since  time.Time `json:"since"`
	Author string    `json:"author"`
	Text   string    `json:"text"` // the entry's first line
}

// Systems is the latest state of each system taken stock of, by time
// whatever order the file has (a merge may interleave), down first since
// that is what people look for, then by name.
func (d *Doc) Systems() []SystemState {
	latest := map[string]SystemState{}
	for _, e := range d.Entries {
		if !takesSystem(e.Kind) {
			continue
		}
		if s, ok := latest[e.System]; !ok || !e.Time.Before(s.Since) {
			latest[e.System] = SystemState{System: e.System, State: e.Kind, Since: e.Time, Author: e.Author, Text: firstLine(e.Text)}
		}
	}
	out := make([]SystemState, 0, len(latest))
	for _, s := range latest {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].State != out[j].State {
			return out[i].State == "down"
		}
		return out[i].System < out[j].System
	})
	return out
}

// Board is what pm status shows (and --format json prints), derived from
// one document: the README documents its JSON.
type Board struct {
	ID       string     `json:"id"`
	Title    string     `json:"title"`
	Status   string     `json:"status"`
	Severity string     `json:"severity"`
	Started  *time.Time `json:"started"`
	Detected *time.Time `json:"detected"`
	Elapsed  string     `json:"elapsed"` // since started (until resolved), said as "1h04m"
	// ElapsedSeconds is the same in whole seconds, as every other duration
	// in pm's JSON; null without a start.
	ElapsedSeconds *int64           `json:"elapsed_seconds"`
	Systems        []SystemState    `json:"systems"`
	Hypotheses     []OpenHypothesis `json:"open_hypotheses"`
	// Confirmed are the causes found: once one is confirmed the board
	// says so instead of asking for a hypothesis.
	Confirmed []ConfirmedCause `json:"confirmed"`
	Last      []LastEntry      `json:"last_entries"`
	// Step is where the incident is in the method's loop and what it does
	// next (NextStep); null once closed.
	Step *LoopStep `json:"step"`
}

// LoopStep is the method's step and what it does next.
type LoopStep struct {
	Phase   string `json:"phase"` // observe, orient, decide, act or learn
	Next    string `json:"next"`
	Command string `json:"command"`
}

// ConfirmedCause is a cause found, with the evidence.
type ConfirmedCause struct {
	ID        string    `json:"id"`
	Text      string    `json:"text"`
	Reason    string    `json:"reason"` // the confirming entry's text
	Confirmed time.Time `json:"confirmed"`
}

// OpenHypothesis is a hypothesis still to verify.
type OpenHypothesis struct {
	ID     string    `json:"id"`
	Text   string    `json:"text"`
	Opened time.Time `json:"opened"`
}

// LastEntry is one of the latest entries, in one line.
type LastEntry struct {
	Time   time.Time `json:"time"`
	Kind   string    `json:"kind"`
	Text   string    `json:"text"`
	Author string    `json:"author"`
}

// NewBoard is d's board at now with its last entries (in time order);
// deps sharpens the step after a refute.
func NewBoard(d *Doc, now time.Time, last int, deps Dependencies) Board {
	b := Board{ID: d.Meta.ID, Title: d.Meta.Title, Status: d.Meta.Status, Severity: d.Meta.Severity,
		Hypotheses: []OpenHypothesis{}, Confirmed: []ConfirmedCause{}, Last: []LastEntry{}}
	if t := d.Meta.Started; !t.IsZero() {
		b.Started = &t
		end := now
		if r := d.Meta.Resolved; !r.IsZero() {
			end = r
		}
		b.Elapsed = Span(end.Sub(t))
		secs := int64(end.Sub(t) / time.Second)
		b.ElapsedSeconds = &secs
	}
	if t := d.Meta.Detected; !t.IsZero() {
		b.Detected = &t
	}
	b.Systems = d.Systems()
	for _, h := range d.Hypotheses {
		switch h.State {
		case "open":
			b.Hypotheses = append(b.Hypotheses, OpenHypothesis{ID: h.ID, Text: firstLine(h.Text), Opened: h.Opened})
		case "confirmed":
			b.Confirmed = append(b.Confirmed, ConfirmedCause{ID: h.ID, Text: firstLine(h.Text), Reason: firstLine(h.Reason), Confirmed: h.Closed})
		}
	}
	for _, e := range Latest(d.Entries, last) {
		b.Last = append(b.Last, LastEntry{Time: e.Time, Kind: e.Label(), Text: e.Subject(), Author: e.Author})
	}
	if s := NextStep(d, deps); s.Phase != "" {
		b.Step = &LoopStep{Phase: s.Phase, Next: s.Say, Command: s.Command}
	}
	return b
}

// Latest is the last n entries in time order, whatever order the file has
// them in (a merge may interleave): pm status and pm watch.
func Latest(entries []Entry, n int) []Entry {
	out := slices.Clone(entries)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	if len(out) > n {
		out = out[len(out)-n:]
	}
	return out
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}
