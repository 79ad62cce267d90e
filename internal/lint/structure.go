package lint

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pm-tool/pm/internal/incident"

	"github.com/pm-tool/pm/internal/config"
)

// statuses are the values of status, in the order an incident moves.
var statuses = []string{"investigating", "mitigated", "resolved", "closed"}

// requiredKeys must be present and non-empty in every frontmatter.
var requiredKeys = []string{"id", "title", "status", "severity", "started"}

// knownKeys are the frontmatter keys pm reads; an unknown key close to one
// of them is probably a typo.
var knownKeys = []string{"id", "title", "status", "severity", "started", "detected", "mitigated", "resolved",
	"commander", "authors", "services", "tags", "private"}

// done reports whether an incident is over, so that its post-mortem must be
// complete: sections written, placeholders gone, action items present.
func done(status string) bool { return status == "resolved" || status == "closed" }

// structureFindings runs the rules that read the parsed document.
func (e *Engine) structureFindings(s *scan, d *incident.Doc, add func(Finding)) {
	m := d.Meta
	at := func(rule string, line int, level Level, format string, args ...any) {
		if !e.on[rule] {
			return
		}
		col := 1
		if line >= 1 && line <= s.numLines() {
			a, _ := s.lineRange(line)
			l := s.line(line)
			_, rest := indentOf(l)
			col = s.col(line, a+len(l)-len(rest))
		}
		add(Finding{Line: line, Column: col, Rule: rule, Level: level, Message: fmt.Sprintf(format, args...)})
	}
	keyLine := func(k string) int {
		if n, ok := m.Lines[k]; ok {
			return n
		}
		return s.fmClose
	}
	top := s.title // where findings about the whole document point
	if top == 0 {
		top = max(s.fmClose+1, 1)
		if top > s.numLines() {
			top = s.numLines()
		}
	}

	// section-headings: whatever the status, since pm writes to the
	// sections it finds
	ms := e.misleveledHeadings(s, d)
	sectionHeadingFindings(d, ms, at)

	// frontmatter
	if s.fmOpen == 0 {
		at("frontmatter", 1, Error, "no frontmatter: start the file with a --- line, the keys %s, and a closing --- (pm new writes them)", strings.Join(requiredKeys, ", "))
		return
	}
	values := map[string]bool{"id": strings.TrimSpace(m.ID) != "", "title": m.Title != "", "status": m.Status != "", "severity": m.Severity != "", "started": !m.Started.IsZero()}
	for _, k := range requiredKeys {
		if values[k] {
			continue
		}
		if _, ok := m.Lines[k]; ok {
			at("frontmatter", keyLine(k), Error, "%s is empty; fill it in, like %s", k, keyHint[k])
		} else {
			at("frontmatter", s.fmClose, Error, "%s is missing; add it before this line: %s", k, keyHint[k])
		}
	}
	if values["id"] {
		if why := badID(m.ID); why != "" {
			at("frontmatter", keyLine("id"), Error, "id %q %s: the id names the file and goes into commit messages and URLs; use the file name without .md (%s)", m.ID, why, fileID(d.Path, "2026-11-24-api-returns-502"))
		} else if name := fileID(d.Path, ""); name != "" && name != m.ID {
			at("frontmatter", keyLine("id"), Warning, "id %q differs from the file name %q; pm finds incidents by file name (-i), so make them the same", m.ID, name)
		}
	}
	for _, k := range []string{"title", "commander", "severity", "status"} {
		if r, ok := escapedControl(s, textValue(m, k)); ok {
			at("frontmatter", keyLine(k), Error, "%s holds the control character %s (written as a YAML escape): a terminal that prints it obeys it; remove it", k, runeName(r))
		}
	}
	if m.Status != "" && !slices.Contains(statuses, m.Status) {
		hint := ""
		if i := slices.IndexFunc(statuses, func(v string) bool { return strings.EqualFold(v, m.Status) }); i >= 0 {
			hint = fmt.Sprintf(" (write it in lower case: %s)", statuses[i])
		}
		at("frontmatter", keyLine("status"), Error, "status %q is not one of %s%s", m.Status, strings.Join(statuses, ", "), hint)
	}
	if m.Severity != "" && !slices.Contains(e.cfg.Severities, m.Severity) {
		hint := " (set severities in .pm.yml)"
		if i := slices.IndexFunc(e.cfg.Severities, func(v string) bool { return strings.EqualFold(v, m.Severity) }); i >= 0 {
			hint = fmt.Sprintf(" (did you mean %s?)", e.cfg.Severities[i])
		}
		at("frontmatter", keyLine("severity"), Error, "severity %q is not one of %s%s", m.Severity, strings.Join(e.cfg.Severities, ", "), hint)
	}
	for _, k := range m.Extra {
		if c := config.Closest(k, knownKeys); c != "" {
			at("frontmatter", keyLine(k), Warning, "unknown key %q: did you mean %q? (pm ignores %q)", k, c, k)
		}
	}
	status := m.Status

	// milestone-order
	type milestone struct {
		key string
		t   time.Time
	}
	order := []milestone{{"started", m.Started}, {"detected", m.Detected}, {"mitigated", m.Mitigated}, {"resolved", m.Resolved}}
	var latest milestone
	for _, ms := range order {
		if ms.t.IsZero() {
			continue
		}
		if !latest.t.IsZero() && ms.t.Before(latest.t) {
			at("milestone-order", keyLine(ms.key), Error, "%s %s is before %s %s; milestones go started ≤ detected ≤ mitigated ≤ resolved (all in UTC)",
				ms.key, ms.t.Format(time.RFC3339), latest.key, latest.t.Format(time.RFC3339))
			continue
		}
		latest = ms
	}

	// status-consistency
	reopened := false
	for _, en := range d.Entries {
		switch en.Kind {
		case "reopened":
			reopened = true
		case "mitigated", "resolved", "closed":
			reopened = false
		}
	}
	switch status {
	case "resolved", "closed":
		if m.Resolved.IsZero() {
			at("status-consistency", keyLine("status"), Error, "status is %s but resolved has no time; set it (pm resolve does) or change the status", status)
		}
	case "mitigated":
		if m.Mitigated.IsZero() {
			at("status-consistency", keyLine("status"), Error, "status is mitigated but mitigated has no time; set it (pm mitigate does) or change the status")
		}
		if !m.Resolved.IsZero() {
			at("status-consistency", keyLine("resolved"), Error, "resolved has a time but status is mitigated; set status: resolved, or empty resolved if it is not over")
		}
	case "investigating":
		if !m.Resolved.IsZero() {
			at("status-consistency", keyLine("resolved"), Error, "resolved has a time but status is investigating; set status: resolved, or empty resolved if it is not over (pm reopen does)")
		} else if !m.Mitigated.IsZero() && !reopened {
			at("status-consistency", keyLine("mitigated"), Error, "mitigated has a time but status is investigating; set status: mitigated (pm mitigate does), or record the reopening with pm reopen")
		}
	}

	// log-order and hypothesis-ref
	var prev *incident.Entry
	opened := map[string]string{} // id -> state
	for i := range d.Entries {
		en := &d.Entries[i]
		if prev != nil && en.Time.Before(prev.Time) {
			at("log-order", en.Line, Warning, "entry at %s comes after one at %s (line %d); keep the log in time order (--at inserts an entry in its place)",
				en.Time.Format(time.RFC3339), prev.Time.Format(time.RFC3339), prev.Line)
		} else {
			prev = en
		}
		id := strings.ToUpper(en.Hypothesis)
		switch en.Kind {
		case "hypothesis":
			if _, ok := opened[id]; ok && id != "" {
				at("hypothesis-ref", en.Line, Warning, "%s is opened a second time; give the new hypothesis the next free number", id)
			} else if id != "" {
				opened[id] = "open"
			}
		case "confirmed", "refuted":
			switch st, ok := opened[id]; {
			case id == "":
			case !ok:
				at("hypothesis-ref", en.Line, Warning, "%s %s, but no hypothesis %s was opened before this line; check the number", en.Kind, id, id)
			case st != "open":
				at("hypothesis-ref", en.Line, Warning, "%s %s, but %s was already %s; a hypothesis is closed once", en.Kind, id, id, st)
			default:
				opened[id] = en.Kind
			}
		}
	}

	// action-items: a due date must be a date, whatever the status
	for _, a := range d.Actions {
		if a.Due == "" {
			continue
		}
		if why := incident.DateProblem(a.Due); why != "" && e.on["action-items"] {
			line := s.line(a.Line)
			a0, _ := s.lineRange(a.Line)
			col := 1
			if k := bytes.LastIndex(line, []byte(a.Due)); k >= 0 {
				col = s.col(a.Line, a0+k)
			}
			add(Finding{Line: a.Line, Column: col, Rule: "action-items", Level: Error,
				Message: fmt.Sprintf("the due field %q %s; write due YYYY-MM-DD, like due 2026-12-08", a.Due, why)})
		}
	}

	// action-owner: every open item, whatever the status
	for _, a := range d.Actions {
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
			at("action-owner", a.Line, Warning, "action item has no %s: end it with — @owner, due YYYY-MM-DD (or a ticket link)", strings.Join(miss, " and no "))
		}
	}

	if !done(status) {
		return
	}

	// required-sections
	for _, want := range e.cfg.Lint.RequiredSections {
		i := slices.IndexFunc(d.Sections, func(sec incident.Section) bool { return strings.EqualFold(sec.Heading, strings.TrimSpace(want)) })
		if i < 0 {
			if ml, ok := misleveledFor(ms, want); ok {
				at("required-sections", ml.line, Error, "missing section \"## %s\": %s, and a %s post-mortem needs it", ml.name, ml.levelPhrase(), status)
				continue
			}
			at("required-sections", top, Error, "missing section \"## %s\": a %s post-mortem needs it (sections are set by lint.required_sections in .pm.yml)", want, status)
			continue
		}
		sec := d.Sections[i]
		// An empty "Action items" is the action-items rule's finding.
		if sectionEmpty(s, sec) && !(strings.EqualFold(sec.Heading, "Action items") && e.on["action-items"]) {
			at("required-sections", sec.Line, Error, "section %q is empty: a %s post-mortem needs its text", sec.Heading, status)
		}
	}

	// placeholder: a warning while resolved (the write-up follows the fix,
	// often by days), an error once closed (the post-mortem is done).
	placeholderLevel := Warning
	if status == "closed" {
		placeholderLevel = Error
	}
	for n := s.fmClose + 1; n <= s.numLines() && e.on["placeholder"]; n++ {
		if s.kind[n-1] != kindProse {
			continue
		}
		l := s.line(n)
		if k := bytes.Index(l, []byte("_TODO:")); k >= 0 {
			text := strings.TrimSuffix(strings.TrimSpace(string(l[k+1:])), "_")
			if r := []rune(text); len(r) > 50 {
				text = string(r[:49]) + "…"
			}
			a, _ := s.lineRange(n)
			add(Finding{Line: n, Column: s.col(n, a+k), Rule: "placeholder", Level: placeholderLevel,
				Message: fmt.Sprintf("template placeholder left in a %s post-mortem (%q): replace it with the text it asks for, or delete the line", status, text)})
		}
	}

	// action-items
	if len(d.Actions) == 0 {
		line, hint := top, ""
		if i := slices.IndexFunc(d.Sections, func(sec incident.Section) bool { return strings.EqualFold(sec.Heading, "Action items") }); i >= 0 {
			line = d.Sections[i].Line
			if hasPlainItems(s, d.Sections[i]) {
				hint = "; the list items there are not task items: start each with \"- [ ] \""
			}
		} else if ml, ok := misleveledFor(ms, "Action items"); ok {
			line, hint = ml.line, fmt.Sprintf("; items under %q do not count until it is written ## Action items", ml.written)
		}
		at("action-items", line, Error, "a %s incident needs at least one action item (- [ ] TEXT — @owner, due DATE, prevent|detect|clarify|automate)%s", status, hint)
	}

	// unresolved-hypothesis
	for _, h := range d.Hypotheses {
		if h.State == "open" {
			at("unresolved-hypothesis", h.Line, Warning, "%s is still open in a %s incident: confirm or refute it with the reason (pm confirm %s TEXT / pm refute %s TEXT)", h.ID, status, h.ID, h.ID)
		}
	}
}

var keyHint = map[string]string{
	"id":       "id: 2026-11-24-api-returns-502 (the file name without .md)",
	"title":    "title: API returns 502 for all requests",
	"status":   "status: investigating (or mitigated, resolved, closed)",
	"severity": "severity: SEV2 (one of the severities in .pm.yml)",
	"started":  "started: 2026-11-24T09:10:00Z (when impact began, UTC)",
}

// sectionEmpty reports whether a section has no text: only blank lines
// and comments (a placeholder counts as text here; the placeholder rule
// reports it).
func sectionEmpty(s *scan, sec incident.Section) bool {
	for n := sec.Line + 1; n <= sec.EndLine && n <= s.numLines(); n++ {
		switch s.kind[n-1] {
		case kindBlank, kindComment:
			continue
		}
		l := bytes.TrimSpace(s.line(n))
		if len(l) == 0 || isSetextUnderline(l) || (bytes.HasPrefix(l, []byte("<!--")) && bytes.HasSuffix(l, []byte("-->"))) {
			continue
		}
		return false
	}
	return true
}

func isSetextUnderline(l []byte) bool {
	return len(l) > 0 && (len(bytes.Trim(l, "=")) == 0 || len(bytes.Trim(l, "-")) == 0)
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
