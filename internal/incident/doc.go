// Package incident is pm's document model: it parses one incident file (YAML frontmatter plus
// markdown) into its metadata, sections, investigation log, hypotheses and action items, and edits
// it in place. It does no I/O: callers pass bytes in and write Bytes() out.
//
// A Doc keeps the exact source bytes. Every edit splices the source and parses the result again, so
// whatever pm does not understand (unknown keys, comments, extra sections, CRLF line endings, a
// UTF-8 BOM, trailing spaces, hand-written prose) survives byte for byte, and an edit that would
// disturb anything else is refused instead of written.
//
// # File grammar
//
// Frontmatter: the first non-blank line is "---", the YAML mapping follows, a "---" line closes it
// (split with github.com/adrg/frontmatter). Known keys: id, title, status, severity, commander
// (text); started, detected, mitigated, resolved (RFC 3339 or empty); authors, services, tags
// (lists); private (true or false). Any other key is kept and listed in Meta.Extra.
//
// Sections are the level-2 headings ("## Summary") at the top level of the document, not inside
// code blocks or quotes; a section runs to the next level-1 or level-2 heading. Headings are
// matched case-insensitively.
//
// Investigation log: each top-level list item under "## Investigation log" whose first line is a
// code span holding a time followed by a bold kind is an entry:
//
//	## Investigation log
//	- `TIME` **KIND** TEXT _(AUTHOR)_
//	- `TIME` **hypothesis H2** TEXT _(AUTHOR)_       also confirmed H2, refuted H2
//	- `TIME` **down** SYSTEM — TEXT _(AUTHOR)_       also up; " — TEXT" only when there is text
//
// where
//
//	TIME    RFC 3339, written in UTC: 2026-11-24T09:14:03Z (fractional seconds only when present)
//	KIND    observe orient decide act note mitigated resolved closed reopened
//	SYSTEM  one word without spaces (api, eu-west-db)
//	TEXT    the first line of the text, verbatim (everything between the kind and the author)
//	AUTHOR  optional; an empty "_()_" is written only when TEXT itself ends like an author
//
// A text of several lines keeps its first line on the item line; the other lines go into a fenced
// code block under the item, indented two spaces and starting on the next line (no blank line, so
// the list stays tight on GitHub). The fence is one backtick longer than the longest run of
// backticks in those lines (at least three), so pasted text can never close it:
//
//	## Investigation log
//	- `2026-11-24T09:15:10Z` **observe** nginx error.log _(alice)_
//	  ```
//	  2026/11/24 09:15:02 [error] upstream connect() failed
//	  ```
//
// The text read back is the first line, "\n", and the block's lines joined by "\n" (each with up to
// the fence's indentation removed). Line endings inside a text are normalised to "\n". Parsing is
// lenient with hand-written entries: kind and hypothesis id in any case, the id after the bold
// ("**hypothesis** H3 ..."), extra spaces, "up api text" without the dash, and a text wrapped over
// several lines (joined with spaces). A list item in the log that is not an entry (prose,
// sub-bullets, a code span that is not a time) is kept and ignored. An item that starts like an
// entry (a code span holding something that begins with a digit, then a bold word) but has a bad
// time or an unknown kind is a ParseError.
//
// Action items: each top-level GFM task item under "## Action items":
//
//	## Action items
//	- [ ] TEXT — @OWNER, due YYYY-MM-DD, KIND, TICKET
//	- [x] ...                                         done ("[X]" too)
//
// The fields after the last " — " are comma separated and may come in any order: "@handle" is the
// owner, "due DATE" (or a bare date) the due date, prevent/detect/clarify/automate the kind, and a
// URL, "[label](URL)", "<URL>" or an issue key (OPS-123, #42) the ticket. Hand-written items may use
// " -- " or " - " instead of the em dash when every field after it is recognised. An item without
// fields whose text would otherwise read as fields is written with a trailing " —".
package incident

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Doc is one parsed incident file. It keeps the source bytes; edits splice the source and re-parse,
// so everything pm does not understand survives byte for byte.
type Doc struct {
	Path       string       // display path used in errors
	Meta       Meta         // the frontmatter
	Title      string       // text of the first level-1 heading ("" if none)
	Sections   []Section    // level-2 headings in order
	Entries    []Entry      // investigation log entries, in file order
	Hypotheses []Hypothesis // derived from the entries
	Actions    []Action     // action items, in file order (numbered 1.. for `pm done N`)

	src   []byte
	bom   bool
	crlf  bool
	lines []int // byte offset of the start of each line; lines[0] == 0
	fm    fmInfo
	secs  []secInfo // parallel to Sections
	ents  []span    // parallel to Entries: the whole list item
	acts  []actInfo // parallel to Actions
	log   int       // index in Sections of "## Investigation log", -1 if none
	act   int       // index in Sections of "## Action items", -1 if none
	h1    int       // number of level-1 headings
}

// Meta is the frontmatter. Times are UTC; list fields are never nil after Parse.
type Meta struct {
	ID, Title, Status, Severity, Commander string
	Started, Detected, Mitigated, Resolved time.Time // zero when empty/absent
	Authors, Services, Tags                []string  // never nil after Parse
	Private                                bool
	Lines                                  map[string]int // 1-based line of each top-level key in the file
	Extra                                  []string       // unknown top-level keys, in order (kept, reported by lint)
}

// Section is one level-2 heading and its body.
type Section struct {
	Heading       string // heading text, trimmed
	Line, EndLine int    // heading line and last line of its body, 1-based
}

// Entry is one investigation log entry.
type Entry struct {
	Time       time.Time // UTC
	Kind       string    // one of ValidKinds()
	Hypothesis string    // "H2" for hypothesis/confirmed/refuted
	System     string    // for up/down
	Text       string    // may contain newlines (multi-line text / pasted logs)
	Author     string
	Line       int
}

// Hypothesis is derived from the log: `hypothesis Hn` opens it, the first `confirmed Hn` or
// `refuted Hn` closes it.
type Hypothesis struct {
	ID, Text, State, Reason string // State: open|confirmed|refuted; Reason is the closing entry's text
	Opened, Closed          time.Time
	Line                    int // line of the entry that opened it
}

// Action is one action item.
type Action struct {
	Text   string
	Owner  string // as written, e.g. "@bob"
	Due    string // "2026-12-08" or ""
	Kind   string // prevent|detect|clarify|automate or ""
	Ticket string // URL (or issue key) or ""
	Done   bool
	Line   int
}

// ParseError is a problem at one line of a file, worded for the person who has to fix it.
type ParseError struct {
	Path string
	Line int
	Msg  string
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg) }

// Section names pm writes to; matched case-insensitively.
const (
	logHeading     = "Investigation log"
	actionsHeading = "Action items"
)

var kinds = []string{"observe", "orient", "decide", "act", "note", "hypothesis", "confirmed", "refuted",
	"up", "down", "mitigated", "resolved", "closed", "reopened"}

// ValidKinds returns the entry kinds in their canonical order.
func ValidKinds() []string { return append([]string(nil), kinds...) }

// ActionKinds are the four kinds of action item, from the method's "learn" step.
var actionKinds = []string{"prevent", "detect", "clarify", "automate"}

func isKind(k string) bool {
	for _, v := range kinds {
		if v == k {
			return true
		}
	}
	return false
}

// takesHypothesis reports whether a kind names a hypothesis (hypothesis, confirmed, refuted).
func takesHypothesis(kind string) bool {
	return kind == "hypothesis" || kind == "confirmed" || kind == "refuted"
}

// takesSystem reports whether a kind names a system (up, down).
func takesSystem(kind string) bool { return kind == "up" || kind == "down" }

// NextHypothesisID returns the id for a new hypothesis: one more than the highest id the log
// mentions, "H1" when there is none.
func NextHypothesisID(d *Doc) string {
	max := 0
	for _, e := range d.Entries {
		if n, ok := hypothesisNumber(e.Hypothesis); ok && n > max {
			max = n
		}
	}
	return "H" + strconv.Itoa(max+1)
}

// hypothesisNumber returns n for "Hn" (any case).
func hypothesisNumber(id string) (int, bool) {
	if len(id) < 2 || (id[0] != 'H' && id[0] != 'h') {
		return 0, false
	}
	for i := 1; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(id[1:])
	return n, err == nil
}

// deriveHypotheses builds d.Hypotheses from the log in file order. A close of an unknown hypothesis
// and a second close are ignored here (lint reports them).
func (d *Doc) deriveHypotheses() {
	d.Hypotheses = nil
	idx := map[string]int{}
	for _, e := range d.Entries {
		if !takesHypothesis(e.Kind) || e.Hypothesis == "" {
			continue
		}
		id := strings.ToUpper(e.Hypothesis)
		i, known := idx[id]
		switch e.Kind {
		case "hypothesis":
			if !known {
				idx[id] = len(d.Hypotheses)
				d.Hypotheses = append(d.Hypotheses, Hypothesis{ID: id, Text: e.Text, State: "open", Opened: e.Time, Line: e.Line})
			}
		default:
			if known && d.Hypotheses[i].State == "open" {
				h := &d.Hypotheses[i]
				h.State, h.Reason, h.Closed = e.Kind, e.Text, e.Time
			}
		}
	}
}
