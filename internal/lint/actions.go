package lint

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/pm-tool/pm/internal/incident"
)

// The rules of action items: action-items and action-owner.

// actionItems reports a due field that is not a date, whatever the
// status, and a post-mortem without action items.
func (f *file) actionItems() {
	if !f.hasFrontmatter() {
		return
	}
	s := f.s
	for _, a := range f.d.Actions {
		if a.Due == "" {
			continue
		}
		if why := incident.DateProblem(a.Due); why != "" {
			line := s.line(a.Line)
			a0, _ := s.lineRange(a.Line)
			col := 1
			if k := bytes.LastIndex(line, []byte(a.Due)); k >= 0 {
				col = s.col(a.Line, a0+k)
			}
			f.add(Finding{Line: a.Line, Column: col, Rule: "action-items",
				Message: fmt.Sprintf("the due field %q %s; write due YYYY-MM-DD, like due 2026-12-08", a.Due, why)})
		}
	}
	if f.postMortem() && len(f.d.Actions) == 0 {
		f.noActionItems()
	}
}

// noActionItems reports a post-mortem without action items, at its
// Action items section if it has one.
func (f *file) noActionItems() {
	d := f.d
	line, hint := f.top(), ""
	if i := slices.IndexFunc(d.Sections, func(sec incident.Section) bool { return strings.EqualFold(sec.Heading, "Action items") }); i >= 0 {
		line = d.Sections[i].Line
		if hasPlainItems(f.s, d.Sections[i]) {
			hint = "; the list items there are not task items: start each with \"- [ ] \""
		}
	} else if ml, ok := misleveledFor(f.misleveled(), "Action items"); ok {
		line, hint = ml.line, fmt.Sprintf("; items under %q do not count until it is written ## Action items", ml.written)
	}
	f.at("action-items", line, "a %s incident needs at least one action item (- [ ] TEXT — @owner, due DATE, prevent|detect|clarify|automate)%s", d.Meta.Status, hint)
}

// actionOwners reports the open action items without an owner, or with
// neither a due date nor a ticket, whatever the status.
func (f *file) actionOwners() {
	if !f.hasFrontmatter() {
		return
	}
	for _, a := range f.d.Actions {
		if a.Done {
			continue
		}
		var miss []string
		if a.Owner == "" {
			miss = append(miss, "owner")
		}
		if a.Due == "" && a.Ticket == "" {
			miss = append(miss, "due date or ticket")
		}
		if len(miss) > 0 {
			f.at("action-owner", a.Line, "action item has no %s: end it with — @owner, due YYYY-MM-DD (or a ticket link)", strings.Join(miss, " and no "))
		}
	}
}

// hasPlainItems reports whether a section holds list items that are not
// task items ("- fix it" instead of "- [ ] fix it").
func hasPlainItems(s *scan, sec incident.Section) bool {
	for n := sec.Line + 1; n <= sec.EndLine && n <= s.numLines(); n++ {
		if s.kind[n-1] != kindProse {
			continue
		}
		_, rest := indentOf(s.line(n))
		if m := listMarker(rest); m > 0 && !bytes.HasPrefix(rest[min(m, len(rest)):], []byte("[")) {
			return true
		}
	}
	return false
}
