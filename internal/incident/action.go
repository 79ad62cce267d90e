package incident

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

var (
	urlRE       = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://[^\s,]+$`)
	ticketKeyRE = regexp.MustCompile(`^(?:[A-Z][A-Z0-9_]*-[0-9]+|#[0-9]+)$`)
	ownerRE     = regexp.MustCompile(`^@[^\s,]+$`)
	isoDateRE   = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
)

// FormatAction returns the markdown of one action item, with a trailing newline:
// "- [ ] TEXT — @owner, due 2026-12-08, detect, https://tracker/OPS-1".
func FormatAction(a Action) string {
	box := " "
	if a.Done {
		box = "x"
	}
	line := CleanText(a.Text)
	var f []string
	if a.Owner != "" {
		f = append(f, a.Owner)
	}
	if a.Due != "" {
		f = append(f, "due "+a.Due)
	}
	if a.Kind != "" {
		f = append(f, a.Kind)
	}
	if a.Ticket != "" {
		f = append(f, a.Ticket)
	}
	if len(f) > 0 {
		line += emDash + strings.Join(f, ", ")
	} else if t, fs := splitActionFields(line); t != line || len(fs) > 0 {
		line += " —" // the text itself reads like fields: say there are none
	}
	return "- [" + box + "] " + line + "\n"
}

// parseActionLine reads a task item's text after the list marker. ok is false when it is not a
// task item.
func parseActionLine(s string) (Action, bool) {
	if len(s) < 3 || s[0] != '[' || s[2] != ']' || (s[1] != ' ' && s[1] != 'x' && s[1] != 'X') ||
		(len(s) > 3 && s[3] != ' ' && s[3] != '\t') {
		return Action{}, false
	}
	a := Action{Done: s[1] != ' '}
	rest := strings.TrimPrefix(s[3:], " ")
	var fields []string
	a.Text, fields = splitActionFields(rest)
	for _, f := range fields {
		a.applyField(f)
	}
	return a, true
}

// splitActionFields splits an item's text from its comma-separated fields: after the last " — "
// when at least one field there is recognised (the others are ignored), or after the last " -- "
// or " - " when every field there is. A trailing " —" means no fields.
func splitActionFields(s string) (string, []string) {
	if strings.HasSuffix(s, " —") {
		return s[:len(s)-len(" —")], nil
	}
	for _, sep := range []string{emDash, " -- ", " - "} {
		i := strings.LastIndex(s, sep)
		if i < 0 {
			continue
		}
		f := splitFields(s[i+len(sep):])
		some, all := false, len(f) > 0
		for _, x := range f {
			ok := new(Action).applyField(x)
			some, all = some || ok, all && ok
		}
		if all || (some && sep == emDash) {
			return s[:i], f
		}
	}
	return s, nil
}

func splitFields(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// applyField records one field and reports whether it was recognised. The first due date and
// ticket win; several owners are joined with ", ".
func (a *Action) applyField(f string) bool {
	lower := strings.ToLower(f)
	switch {
	case strings.HasPrefix(f, "@"):
		if a.Owner != "" {
			a.Owner += ", "
		}
		a.Owner += f
	case strings.HasPrefix(f, "[") && strings.Contains(f, "](") && strings.HasSuffix(f, ")"):
		a.setTicket(f[strings.LastIndex(f, "](")+2 : len(f)-1])
	case strings.HasPrefix(f, "<") && strings.HasSuffix(f, ">") && strings.Contains(f, "://"):
		a.setTicket(f[1 : len(f)-1])
	case strings.Contains(f, "://"), ticketKeyRE.MatchString(f):
		a.setTicket(f)
	case len(f) > 4 && strings.HasPrefix(lower, "due") && (f[3] == ' ' || f[3] == ':'):
		if a.Due == "" {
			a.Due = strings.TrimSpace(strings.TrimPrefix(f[3:], ":"))
		}
	case isoDateRE.MatchString(f):
		if a.Due == "" {
			a.Due = f
		}
	case isActionKind(lower):
		if a.Kind == "" {
			a.Kind = lower
		}
	default:
		return false
	}
	return true
}

func (a *Action) setTicket(t string) {
	if a.Ticket == "" {
		a.Ticket = t
	}
}

func isActionKind(k string) bool {
	for _, v := range actionKinds {
		if v == k {
			return true
		}
	}
	return false
}

// validateAction says what is wrong with an action item pm is asked to write.
func validateAction(a Action) error {
	for _, f := range [][2]string{{"owner", a.Owner}, {"due date", a.Due}, {"kind", a.Kind}, {"ticket", a.Ticket}} {
		if err := checkWord(f[0], f[1]); err != nil {
			return err
		}
	}
	if strings.TrimSpace(a.Text) == "" || strings.ContainsAny(a.Text, "\r\n") {
		return fmt.Errorf("an action item needs a one-line text")
	}
	if a.Owner != "" {
		for _, o := range strings.Split(a.Owner, ", ") {
			if !ownerRE.MatchString(o) || strings.IndexFunc(o, unicode.IsSpace) >= 0 {
				return fmt.Errorf("owner %q should be a handle like @bob", a.Owner)
			}
		}
	}
	if a.Due != "" {
		if why := DateProblem(a.Due); why != "" {
			return fmt.Errorf("due date %q %s; write it as YYYY-MM-DD, e.g. 2026-12-08", a.Due, why)
		}
	}
	if a.Kind != "" && !isActionKind(a.Kind) {
		return fmt.Errorf("action kind %q should be one of %s", a.Kind, strings.Join(actionKinds, ", "))
	}
	if a.Ticket != "" && (!urlRE.MatchString(a.Ticket) && !ticketKeyRE.MatchString(a.Ticket) || strings.IndexFunc(a.Ticket, unicode.IsSpace) >= 0) {
		return fmt.Errorf("ticket %q should be a URL like https://tracker.example/OPS-123 (without commas) or a key like OPS-123", a.Ticket)
	}
	return nil
}

// AddAction appends an action item after the last one in "## Action items", or after whatever the
// section holds; without the section, it is created after "## Contributing factors" (or at the end
// of the file).
func (d *Doc) AddAction(a Action) error {
	if err := validateAction(a); err != nil {
		return fmt.Errorf("%s: %w", d.Path, err)
	}
	a.Line, a.Text = 0, CleanText(a.Text)
	md := FormatAction(a)
	want := append(append([]Action(nil), d.Actions...), a)
	oldEntries := d.Entries
	verify := func(nd *Doc) error {
		if !sameActions(nd.Actions, want) || !sameEntries(nd.Entries, oldEntries) {
			return fmt.Errorf("%s: the action item cannot be added without disturbing the file (an unclosed code block?); add it by hand", d.Path)
		}
		return nil
	}
	switch {
	case d.act < 0:
		return d.addSection(actionsHeading, "Contributing factors", md, verify)
	case len(d.Actions) > 0:
		return d.insertLines(d.acts[len(d.acts)-1].item.end+1, md, verify)
	default:
		return d.insertLines(d.lastContentLine(d.act)+1, md, verify)
	}
}

// SetActionDone ticks (or unticks) action item n, counted from 1 in file order. Only the character
// inside "[ ]" changes.
func (d *Doc) SetActionDone(n int, done bool) error {
	if n < 1 || n > len(d.Actions) {
		return fmt.Errorf("%s: there is no action item %d (the file has %d); list them with pm show", d.Path, n, len(d.Actions))
	}
	if d.Actions[n-1].Done == done {
		return nil
	}
	box := d.acts[n-1].box
	c := " "
	if done {
		c = "x"
	}
	return d.edit(box, box+1, c, func(nd *Doc) error {
		if len(nd.Actions) != len(d.Actions) || nd.Actions[n-1].Done != done {
			return fmt.Errorf("%s:%d: cannot tick this action item; edit it by hand", d.Path, d.Actions[n-1].Line)
		}
		return nil
	})
}

func sameActions(a, b []Action) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		x.Line, y.Line = 0, 0
		if x != y {
			return false
		}
	}
	return true
}

// HasAction reports whether the incident has action item a (text, owner,
// due date, kind and ticket; done or not).
func (d *Doc) HasAction(a Action) bool {
	a.Text = CleanText(a.Text)
	for _, x := range d.Actions {
		if x.Text == a.Text && x.Owner == a.Owner && x.Due == a.Due && x.Kind == a.Kind && x.Ticket == a.Ticket {
			return true
		}
	}
	return false
}
