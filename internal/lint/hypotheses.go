package lint

import "strings"

// The rules of hypotheses: hypothesis-ref and unresolved-hypothesis.

// hypothesisRefs reports a log entry that opens a hypothesis twice, or
// confirms or refutes one that is not open.
func (f *file) hypothesisRefs() {
	if !f.hasFrontmatter() {
		return
	}
	opened := map[string]string{} // id -> state
	for _, en := range f.d.Entries {
		id := strings.ToUpper(en.Hypothesis)
		if id == "" {
			continue
		}
		switch en.Kind {
		case "hypothesis":
			if _, ok := opened[id]; ok {
				f.at("hypothesis-ref", en.Line, "%s is opened a second time; give the new hypothesis the next free number", id)
			} else {
				opened[id] = "open"
			}
		case "confirmed", "refuted":
			switch st, ok := opened[id]; {
			case !ok:
				f.at("hypothesis-ref", en.Line, "%s %s, but no hypothesis %s was opened before this line; check the number", en.Kind, id, id)
			case st != "open":
				f.at("hypothesis-ref", en.Line, "%s %s, but %s was already %s; a hypothesis is closed once", en.Kind, id, id, st)
			default:
				opened[id] = en.Kind
			}
		}
	}
}

// unresolvedHypotheses reports the hypotheses still open once the
// incident is over.
func (f *file) unresolvedHypotheses() {
	if !f.postMortem() {
		return
	}
	for _, h := range f.d.Hypotheses {
		if h.State == "open" {
			f.at("unresolved-hypothesis", h.Line, "%s is still open in a %s incident: confirm or refute it with the reason (pm confirm %s TEXT / pm refute %s TEXT)", h.ID, f.d.Meta.Status, h.ID, h.ID)
		}
	}
}
