package incident

import (
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
			first, _, _ := strings.Cut(e.Text, "\n")
			latest[e.System] = SystemState{System: e.System, State: e.Kind, Since: e.Time, Author: e.Author, Text: first}
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
