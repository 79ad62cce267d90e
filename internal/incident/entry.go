package incident

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// emDash separates a system from its text, and an action item's text from its fields.
const emDash = " — "

// Label is the kind as the log and the commit message write it:
// "observe", "hypothesis H2", "down".
func (e Entry) Label() string {
	if e.Hypothesis != "" {
		return e.Kind + " " + e.Hypothesis
	}
	return e.Kind
}

// Subject is what an entry says, in one line: "api every request returns
// 502" for a down entry.
func (e Entry) Subject() string {
	first, _, _ := strings.Cut(e.Text, "\n")
	return strings.TrimSpace(e.System + " " + first)
}

// FormatEntry returns the markdown of one entry, with a trailing newline, as AppendEntry writes it
// (before line endings are converted for a CRLF file). Line endings in the text become "\n".
func FormatEntry(e Entry) string {
	text := normalizeText(e.Text)
	head, more, multi := strings.Cut(text, "\n")
	var rest strings.Builder // everything after the bold kind on the item line
	if takesSystem(e.Kind) {
		rest.WriteString(" " + e.System)
		if head != "" {
			rest.WriteString(emDash + head)
		}
	} else if head != "" {
		rest.WriteString(" " + head)
	}
	if e.Author != "" {
		rest.WriteString(" _(" + e.Author + ")_")
	} else if _, _, ok := splitAuthor(rest.String()); ok {
		rest.WriteString(" _()_") // the text ends like an author: mark the author as empty
	}

	var b strings.Builder
	b.WriteString("- `" + e.Time.UTC().Format(time.RFC3339Nano) + "` **" + e.Kind)
	if e.Hypothesis != "" {
		b.WriteString(" " + e.Hypothesis)
	}
	b.WriteString("**" + rest.String() + "\n")
	if multi {
		fence := strings.Repeat("`", max(3, LongestRun(more, '`')+1))
		b.WriteString("  " + fence + "\n")
		for _, l := range strings.Split(more, "\n") {
			if l != "" {
				b.WriteString("  " + l)
			}
			b.WriteString("\n")
		}
		b.WriteString("  " + fence + "\n")
	}
	return b.String()
}

// normalizeText turns "\r\n" and lone "\r" into "\n", after CleanText.
func normalizeText(s string) string {
	s = CleanText(s)
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// CleanText is what pm writes of any text it is given: the bytes that are
// not UTF-8 and NUL bytes each become U+FFFD. A log piped into pm observe
// may hold either, and Parse refuses a file that does, so writing them
// as they are would make the incident unreadable; the replacement keeps
// the rest of the entry and shows where something was.
func CleanText(s string) string {
	if utf8.ValidString(s) && !strings.Contains(s, "\x00") {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// checkWord refuses a name pm writes as it is (a system, an author, an
// owner, a ticket): these come from arguments and configuration, and a
// byte that is not text there is a mistake to report, not to repair.
func checkWord(what, s string) error {
	if !utf8.ValidString(s) || strings.Contains(s, "\x00") {
		return fmt.Errorf("the %s %q is not UTF-8 text", what, s)
	}
	return nil
}

// LongestRun is the length of the longest run of c in s: a fence of one more
// backquote than any run inside cannot be closed by the text it holds.
func LongestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

// splitAuthor splits a trailing " _(author)_" (and any spaces after it) off s.
func splitAuthor(s string) (rest, author string, ok bool) {
	t := strings.TrimRight(s, " \t")
	if !strings.HasSuffix(t, ")_") {
		return s, "", false
	}
	i := strings.LastIndex(t, " _(")
	if i < 0 || i+3 > len(t)-2 {
		return s, "", false
	}
	return t[:i], t[i+3 : len(t)-2], true
}

// parseEntryLine reads the first line of a log list item (after the list marker). ok is false when
// the line is not an entry; msg is set when it looks like one but is wrong.
func parseEntryLine(s string) (e Entry, ok bool, msg string) {
	if !strings.HasPrefix(s, "`") {
		return e, false, ""
	}
	j := strings.IndexByte(s[1:], '`')
	if j < 0 {
		return e, false, ""
	}
	ts, after := s[1:1+j], s[2+j:]
	t, terr := time.Parse(time.RFC3339, ts)
	bold := strings.HasPrefix(strings.TrimLeft(after, " "), "**")
	if terr != nil {
		if bold && ts != "" && ts[0] >= '0' && ts[0] <= '9' {
			return e, false, fmt.Sprintf("timestamp %q is not RFC 3339, write it like 2026-11-24T09:14:03Z", ts)
		}
		return e, false, ""
	}
	if !bold {
		return e, false, "an entry needs its kind in bold after the time, like `" + ts + "` **observe** what you saw"
	}
	after = strings.TrimLeft(after, " ")[2:]
	k := strings.Index(after, "**")
	if k < 0 {
		return e, false, "the kind after the time is not closed with **; write it like **observe**"
	}
	spec, rest := after[:k], after[k+2:]
	kind, id, _ := strings.Cut(strings.TrimSpace(spec), " ")
	kind, id = strings.ToLower(kind), strings.TrimSpace(id)
	if !isKind(kind) {
		return e, false, fmt.Sprintf("unknown entry kind %q; use one of %s", strings.TrimSpace(spec), strings.Join(kinds, ", "))
	}
	e.Time, e.Kind = t.UTC(), kind

	rest, e.Author, _ = splitAuthor(rest)
	rest = strings.TrimPrefix(rest, " ")
	switch {
	case takesHypothesis(kind):
		if id == "" { // hand-written "**refuted** H1 because ..."
			w, tail, _ := strings.Cut(rest, " ")
			if _, isID := hypothesisNumber(w); isID {
				id, rest = w, tail
			}
		}
		if id != "" {
			if _, isID := hypothesisNumber(id); !isID {
				return e, false, fmt.Sprintf("hypothesis id %q should look like H1", id)
			}
			id = "H" + id[1:]
		}
		e.Hypothesis = id
	case id != "":
		return e, false, fmt.Sprintf("unknown entry kind %q; only hypothesis, confirmed and refuted take an id", strings.TrimSpace(spec))
	case takesSystem(kind):
		if strings.HasPrefix(rest, strings.TrimPrefix(emDash, " ")) { // "**down** — text": no system
			rest = " " + rest
		} else {
			i := strings.IndexAny(rest, " \t")
			if i < 0 {
				i = len(rest)
			}
			e.System, rest = rest[:i], rest[i:]
		}
		if strings.HasPrefix(rest, emDash) {
			rest = rest[len(emDash):]
		} else {
			rest = strings.TrimPrefix(rest, " ")
		}
	}
	e.Text = rest
	return e, true, ""
}

// validateEntry says what is wrong with an entry pm is asked to write.
func validateEntry(e Entry) error {
	switch {
	case e.Time.IsZero():
		return errors.New("the entry has no time")
	case e.Time.UTC().Year() < 0 || e.Time.UTC().Year() > 9999:
		return fmt.Errorf("the year %d cannot be written as RFC 3339", e.Time.UTC().Year())
	case !isKind(e.Kind):
		return fmt.Errorf("unknown entry kind %q; use one of %s", e.Kind, strings.Join(kinds, ", "))
	}
	if takesHypothesis(e.Kind) {
		if n, ok := hypothesisNumber(e.Hypothesis); !ok || e.Hypothesis[0] != 'H' || n < 0 {
			return fmt.Errorf("a %s entry needs a hypothesis id like H1, not %q", e.Kind, e.Hypothesis)
		}
	} else if e.Hypothesis != "" {
		return fmt.Errorf("a %s entry takes no hypothesis id (got %q)", e.Kind, e.Hypothesis)
	}
	if takesSystem(e.Kind) {
		if e.System == "" || strings.IndexFunc(e.System, unicode.IsSpace) >= 0 || strings.HasPrefix(e.System, "—") ||
			strings.Contains(e.System, "_(") || strings.Contains(e.System, ")_") {
			return fmt.Errorf("a system name is one word without spaces, like api or eu-west-db, not %q", e.System)
		}
	} else if e.System != "" {
		return fmt.Errorf("a %s entry takes no system (got %q)", e.Kind, e.System)
	}
	if err := checkWord("system", e.System); err != nil {
		return err
	}
	if err := checkWord("author", e.Author); err != nil {
		return err
	}
	if strings.ContainsAny(e.Author, "\r\n") || strings.Contains(e.Author, "_(") || strings.Contains(e.Author, ")_") {
		return fmt.Errorf("the author %q cannot contain line breaks, \"_(\" or \")_\"", e.Author)
	}
	return nil
}

// AppendEntry writes an entry into "## Investigation log", after the last entry whose time is not
// later than its own (so entries recorded after the fact land in time order), or before the first
// entry when it is the earliest. Without entries it goes after whatever the section already holds;
// without the section, the section is created after "## Impact" (or at the end of the file).
func (d *Doc) AppendEntry(e Entry) error {
	if err := validateEntry(e); err != nil {
		return fmt.Errorf("%s: %w", d.Path, err)
	}
	e.Time, e.Text, e.Line = e.Time.UTC(), normalizeText(e.Text), 0
	md := FormatEntry(e)
	pos := -1
	for i, x := range d.Entries {
		if !x.Time.After(e.Time) {
			pos = i
		}
	}
	want := make([]Entry, 0, len(d.Entries)+1)
	want = append(append(append(want, d.Entries[:pos+1]...), e), d.Entries[pos+1:]...)
	oldActions := d.Actions
	verify := func(nd *Doc) error {
		if !sameEntries(nd.Entries, want) || !sameActions(nd.Actions, oldActions) {
			near := d.numLines()
			if d.log >= 0 {
				near = d.Sections[d.log].Line
			}
			return fmt.Errorf("%s:%d: the entry cannot be added without disturbing the investigation log (an unclosed code block?); fix the log or add the entry by hand", d.Path, near)
		}
		return nil
	}
	switch {
	case d.log < 0:
		return d.addSection(logHeading, "Impact", md, verify)
	case pos >= 0:
		return d.insertLines(d.ents[pos].end+1, md, verify)
	case len(d.Entries) > 0:
		return d.insertLines(d.ents[0].start, md, verify)
	default:
		return d.insertLines(d.lastContentLine(d.log)+1, md, verify)
	}
}

func sameEntries(a, b []Entry) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if !x.Time.Equal(y.Time) || x.Kind != y.Kind || x.Hypothesis != y.Hypothesis || x.System != y.System ||
			x.Text != y.Text || x.Author != y.Author {
			return false
		}
	}
	return true
}

// HasEntry reports whether the log holds e: the same time, kind, system,
// text and author, and the same hypothesis id unless anyId (a hypothesis
// whose number is decided when it is written, so a recovered one may carry
// another). pm recover asks it to tell an entry the file lost from one it
// still has.
func (d *Doc) HasEntry(e Entry, anyID bool) bool {
	e.Time, e.Text = e.Time.UTC(), normalizeText(CleanText(e.Text))
	for _, x := range d.Entries {
		if x.Time.Equal(e.Time) && x.Kind == e.Kind && x.System == e.System && x.Text == e.Text && x.Author == e.Author &&
			(anyID || strings.EqualFold(x.Hypothesis, e.Hypothesis)) {
			return true
		}
	}
	return false
}
