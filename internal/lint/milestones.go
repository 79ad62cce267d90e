package lint

import "time"

// The rules of the milestone times: milestone-order and
// status-consistency.

// milestoneOrder reports a milestone time before an earlier milestone's.
func (f *file) milestoneOrder() {
	if !f.hasFrontmatter() {
		return
	}
	type milestone struct {
		key string
		t   time.Time
	}
	m := f.d.Meta
	order := []milestone{{"started", m.Started}, {"detected", m.Detected}, {"mitigated", m.Mitigated}, {"resolved", m.Resolved}}
	var latest milestone
	for _, ms := range order {
		if ms.t.IsZero() {
			continue
		}
		if !latest.t.IsZero() && ms.t.Before(latest.t) {
			f.at("milestone-order", f.keyLine(ms.key), "%s %s is before %s %s; milestones go started ≤ detected ≤ mitigated ≤ resolved (all in UTC)",
				ms.key, ms.t.Format(time.RFC3339), latest.key, latest.t.Format(time.RFC3339))
			continue
		}
		latest = ms
	}
}

// statusConsistency reports a status that the milestone times contradict.
func (f *file) statusConsistency() {
	if !f.hasFrontmatter() {
		return
	}
	m := f.d.Meta
	switch status := m.Status; status {
	case "resolved", "closed":
		if m.Resolved.IsZero() {
			f.at("status-consistency", f.keyLine("status"), "status is %s but resolved has no time; set it (pm resolve does) or change the status", status)
		}
	case "mitigated":
		if m.Mitigated.IsZero() {
			f.at("status-consistency", f.keyLine("status"), "status is mitigated but mitigated has no time; set it (pm mitigate does) or change the status")
		}
		if !m.Resolved.IsZero() {
			f.at("status-consistency", f.keyLine("resolved"), "resolved has a time but status is mitigated; set status: resolved, or empty resolved if it is not over")
		}
	case "investigating":
		if !m.Resolved.IsZero() {
			f.at("status-consistency", f.keyLine("resolved"), "resolved has a time but status is investigating; set status: resolved, or empty resolved if it is not over (pm reopen does)")
		} else if !m.Mitigated.IsZero() && !f.reopened() {
			f.at("status-consistency", f.keyLine("mitigated"), "mitigated has a time but status is investigating; set status: mitigated (pm mitigate does), or record the reopening with pm reopen")
		}
	}
}

// reopened reports whether the log's last change of state is a reopening.
func (f *file) reopened() bool {
	reopened := false
	for _, en := range f.d.Entries {
		switch en.Kind {
		case "reopened":
			reopened = true
		case "mitigated", "resolved", "closed":
			reopened = false
		}
	}
	return reopened
}
