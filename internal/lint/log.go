package lint

import (
	"time"

	"github.com/pm-tool/pm/internal/incident"
)

// The log-order rule: the investigation log reads in time order.

// logOrder reports a log entry earlier than the one before it.
func (f *file) logOrder() {
	if !f.hasFrontmatter() {
		return
	}
	var prev *incident.Entry
	for i := range f.d.Entries {
		en := &f.d.Entries[i]
		if prev != nil && en.Time.Before(prev.Time) {
			f.at("log-order", en.Line, "entry at %s comes after one at %s (line %d); keep the log in time order (--at inserts an entry in its place)",
				en.Time.Format(time.RFC3339), prev.Time.Format(time.RFC3339), prev.Line)
		} else {
			prev = en
		}
	}
}
