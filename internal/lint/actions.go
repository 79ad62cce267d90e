package lint

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/pm-tool/pm/internal/config"
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
	if len(f.d.Actions) == 0 && f.untrackedActions() {
		return // found under the section, each reported with its rewrite
	}
	if f.postMortem() && len(f.d.Actions) == 0 {
		f.noActionItems()
	}
}

// noActionItems reports a post-mortem without action items, at its
// Action items section (or the section an alias names) if it has one.
func (f *file) noActionItems() {
	d := f.d
	line, hint := f.top(), ""
	if i := f.e.names.find(d, config.ActionsSection); i >= 0 {
		line = d.Sections[i].Line
	} else if ml, ok := misleveledFor(f.misleveled(), config.ActionsSection); ok {
		line, hint = ml.line, fmt.Sprintf("; items under %q do not count until it is written ## Action items", ml.written)
	}
	f.at("action-items", line, "a %s incident needs at least one action item (- [ ] TEXT — @owner, due DATE, prevent|detect|clarify|automate)%s", d.Meta.Status, hint)
}

// untrackedActions reports, when pm found no action item, the items that
// the action section holds in a form pm does not track, as an archive
// written before pm has them: plain list items ("- Add an alert …",
// "1. …") and the rows of a table, each a warning with its task item as
// the suggestion; and task items under a heading that is an alias of
// "## Action items", which pm's commands do not read. It reports whether
// it found any: then the section has action items, and a post-mortem is
// not without them. Only top-level items count (sub-items are details of
// theirs), and only where the section has no task item pm reads, as
// before: beside task items, plain ones are notes.
func (f *file) untrackedActions() bool {
	d, s := f.d, f.s
	i := f.e.names.find(d, config.ActionsSection)
	if i < 0 {
		return false
	}
	sec := d.Sections[i]
	found, tasks := false, false
	base := -1 // indent of the section's top-level list items
	for n := sec.Line + 1; n <= sec.EndLine && n <= s.numLines(); n++ {
		if s.kind[n-1] != kindProse {
			continue
		}
		indent, rest := indentOf(s.line(n))
		if t, ok := tableAt(s, n, sec.EndLine); ok {
			for _, r := range t.rows {
				found = true
				f.untracked(r.line, "a table row", r.action)
			}
			n = t.end
			continue
		}
		m := listMarker(rest)
		if m == 0 || indent > 3 || (base >= 0 && indent > base) {
			continue
		}
		if base < 0 {
			base = indent
		}
		text := strings.TrimSpace(string(rest[min(m, len(rest)):]))
		if text == "" {
			continue
		}
		if isTaskBox(text) {
			tasks, found = true, true
			continue
		}
		found = true
		f.untracked(n, "a plain list item", plainAction(text))
	}
	if tasks {
		f.atSuggesting(Warning, "action-items", sec.Line, "## Action items", "pm reads task items only under \"## Action items\": pm actions, pm done and the owner checks do not see those under %q; rename the heading", "## "+sec.Heading)
	}
	return found
}

// untracked reports one action item written as what (a plain list item, a
// table row), with a as its rewrite.
func (f *file) untracked(line int, what string, a incident.Action) {
	f.atSuggesting(Warning, "action-items", line, strings.TrimSuffix(incident.FormatAction(a), "\n"),
		"action item written as %s, which pm does not track (pm actions, pm done, the owner and due-date checks): write it as a task item with an owner and a due date", what)
}

// isTaskBox reports whether a list item's text starts with a GFM task box.
func isTaskBox(t string) bool {
	return len(t) >= 3 && t[0] == '[' && t[2] == ']' && strings.ContainsRune(" xX", rune(t[1])) && (len(t) == 3 || t[3] == ' ' || t[3] == '\t')
}

// plainAction is the task item a plain list item's text becomes: the
// fields it already has (read as pm reads a task item's), an owner in
// trailing parentheses ("(bob)") as @bob, and placeholders for the owner
// and the due date it lacks.
func plainAction(text string) incident.Action {
	a := incident.Action{Text: text}
	if d, err := incident.Parse("item.md", []byte("## Action items\n\n- [ ] "+text+"\n")); err == nil && len(d.Actions) == 1 {
		a = d.Actions[0]
		a.Done = false
	}
	if a.Owner == "" {
		if i := strings.LastIndex(a.Text, " ("); i > 0 && strings.HasSuffix(a.Text, ")") {
			if who := a.Text[i+2 : len(a.Text)-1]; who != "" && !strings.ContainsAny(who, " \t,;:()") {
				a.Text, a.Owner = strings.TrimSpace(a.Text[:i]), "@"+strings.TrimPrefix(who, "@")
			}
		}
	}
	return withPlaceholders(a)
}

// withPlaceholders fills in what action-owner asks of an open item.
func withPlaceholders(a incident.Action) incident.Action {
	if a.Owner == "" {
		a.Owner = "@owner"
	}
	if a.Due == "" && a.Ticket == "" && !a.Done {
		a.Due = "YYYY-MM-DD"
	}
	return a
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

// actionTable is a markdown table of action items: its last line and its
// rows, each read as a task item.
type actionTable struct {
	end  int
	rows []tableRow
}

type tableRow struct {
	line   int
	action incident.Action
}

var (
	tableDelimRE = regexp.MustCompile(`^:?-+:?$`)
	isoDateInRE  = regexp.MustCompile(`\b[0-9]{4}-[0-9]{2}-[0-9]{2}\b`)
	ticketInRE   = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://[^\s,|)]+|\b[A-Z][A-Z0-9_]*-[0-9]+\b|#[0-9]+\b`)
)

// tableAt reads the table whose header row is line n, when line n+1 (at
// most last) is its delimiter row (| --- | :-: |). The columns are told
// apart by their headers, as teams name them (Google's SRE book: "Action
// Item | Type | Owner | Bug"): the owner, the due date, the ticket, the
// kind, and the text (a header with action, item or task in it, else the
// first other column). A row with DONE in it is done.
func tableAt(s *scan, n, last int) (actionTable, bool) {
	if n+1 > last || !bytes.ContainsRune(s.line(n), '|') {
		return actionTable{}, false
	}
	if s.kind[n] != kindProse || !bytes.ContainsRune(s.line(n+1), '|') {
		return actionTable{}, false
	}
	for _, c := range tableCells(string(s.line(n + 1))) {
		if !tableDelimRE.MatchString(c) {
			return actionTable{}, false
		}
	}
	const none = -1
	text, owner, due, ticket, kind := none, none, none, none, none
	header := tableCells(string(s.line(n)))
	for i, h := range header {
		h = strings.ToLower(h)
		has := func(words ...string) bool {
			for _, w := range words {
				if strings.Contains(h, w) {
					return true
				}
			}
			return false
		}
		switch {
		case owner == none && (has("owner", "assignee", "responsible") || h == "who"):
			owner = i
		case due == none && (has("due", "deadline", "eta") || h == "date" || h == "when"):
			due = i
		case ticket == none && has("bug", "ticket", "issue", "jira", "link", "tracking"):
			ticket = i
		case kind == none && (h == "type" || h == "kind" || h == "category"):
			kind = i
		case text == none && has("action", "item", "task", "todo", "description", "what"):
			text = i
		}
	}
	for i := range header {
		if text == none && i != owner && i != due && i != ticket && i != kind {
			text = i
		}
	}
	t := actionTable{end: n + 1}
	for r := n + 2; r <= last && s.kind[r-1] == kindProse; r++ {
		l := strings.TrimSpace(string(s.line(r)))
		if l == "" || !strings.Contains(l, "|") {
			break
		}
		t.end = r
		cells := tableCells(l)
		cell := func(i int) string {
			if i == none || i >= len(cells) {
				return ""
			}
			return cells[i]
		}
		a := incident.Action{Text: cell(text)}
		if a.Text == "" {
			continue
		}
		if w := strings.Fields(cell(owner)); len(w) > 0 {
			if o := strings.Trim(w[0], "@,;"); o != "" && !slices.Contains([]string{"n/a", "-", "tbd", "none", "?"}, strings.ToLower(o)) {
				a.Owner = "@" + o
			}
		}
		a.Due = isoDateInRE.FindString(cell(due))
		a.Ticket = ticketInRE.FindString(cell(ticket))
		if k := strings.ToLower(cell(kind)); slices.Contains([]string{"prevent", "detect", "clarify", "automate"}, k) {
			a.Kind = k
		}
		for _, c := range cells {
			if slices.Contains(strings.Fields(c), "DONE") || strings.EqualFold(c, "done") {
				a.Done = true
			}
		}
		t.rows = append(t.rows, tableRow{line: r, action: withPlaceholders(a)})
	}
	return t, true
}

// tableCells splits a table row into its trimmed cells ("\|" is a pipe
// inside a cell).
func tableCells(l string) []string {
	l = strings.TrimSpace(l)
	l = strings.TrimPrefix(l, "|")
	if strings.HasSuffix(l, "|") && !strings.HasSuffix(l, "\\|") {
		l = l[:len(l)-1]
	}
	parts := strings.Split(strings.ReplaceAll(l, "\\|", "\x00"), "|")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(strings.ReplaceAll(p, "\x00", "|"))
	}
	return parts
}
