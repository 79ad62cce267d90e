package lint

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unsafe"

	"github.com/pm-tool/pm/internal/config"
	"github.com/pm-tool/pm/internal/incident"
)

// misleveled is a heading that names a section pm knows but that pm does
// not read as that section: it is not level 2 ("### Investigation log",
// "# Action items"), or it lacks the space after its #s ("##Action items").
type misleveled struct {
	line    int
	written string // the heading as written, trimmed: "### Investigation log"
	name    string // the section it names, as configured: "Investigation log"
	level   int    // number of #s
}

// knownSections are the sections pm reads or a resolved post-mortem needs:
// the required ones of .pm.yml, the investigation log and the action items.
func knownSections(cfg config.Config) []string {
	names := make([]string, 0, len(cfg.Lint.RequiredSections)+2)
	for _, n := range cfg.Lint.RequiredSections {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	return append(names, "Investigation log", config.ActionsSection)
}

// misleveledHeadings finds the headings that name a known section which
// the document does not have at level 2 (under its name or an alias). A
// heading names a section as headingKey compares them, by the section's own
// name only: an alias at level 3 is as likely a sub-heading ("### What went
// wrong" under "## Lessons learned"). A level-1 heading that is the
// document's title (the first one, before any section) is a title, not a
// misplaced section.
func (e *Engine) misleveledHeadings(s *scan, d *incident.Doc) []misleveled {
	var out []misleveled
	for n := s.fmClose + 1; n <= s.numLines(); n++ {
		if s.kind[n-1] != kindProse {
			continue
		}
		indent, rest := indentOf(s.line(n))
		if indent > 3 || len(rest) < 2 || rest[0] != '#' {
			continue
		}
		level := 0
		for level < len(rest) && rest[level] == '#' {
			level++
		}
		if level > 6 {
			continue
		}
		text := rest[level:]
		spaced := len(text) == 0 || text[0] == ' ' || text[0] == '\t'
		if spaced && level == 2 {
			continue // a section; duplicates are found from the parsed document
		}
		if spaced {
			text = trimClosingHashes(text)
		}
		text = bytes.TrimSpace(text)
		if len(text) == 0 {
			continue
		}
		// The source is not modified while the scan runs: the name can
		// share its bytes (most headings are no known section).
		name := unsafe.String(unsafe.SliceData(text), len(text))
		if spaced && level == 1 && n == s.title && (len(d.Sections) == 0 || d.Sections[0].Line > n) {
			continue
		}
		known := e.known
		key := headingKey(name)
		i := slices.IndexFunc(known, func(k string) bool { return headingKey(k) == key })
		if i < 0 || e.names.find(d, known[i]) >= 0 {
			continue
		}
		if !spaced {
			level = 0 // not a heading at all
		}
		out = append(out, misleveled{line: n, written: string(bytes.TrimSpace(rest)), name: known[i], level: level})
	}
	return out
}

// trimClosingHashes drops an ATX heading's optional closing sequence
// ("## Summary ##").
func trimClosingHashes(text []byte) []byte {
	t := bytes.TrimRight(text, " \t")
	k := len(t)
	for k > 0 && t[k-1] == '#' {
		k--
	}
	if k < len(t) && (k == 0 || t[k-1] == ' ' || t[k-1] == '\t') {
		return t[:k]
	}
	return text
}

// misleveledFor returns the misplaced heading of a section, if any.
func misleveledFor(ms []misleveled, section string) (misleveled, bool) {
	for _, m := range ms {
		if headingKey(m.name) == headingKey(section) {
			return m, true
		}
	}
	return misleveled{}, false
}

// levelPhrase describes a misplaced heading, at its line, for other rules'
// messages.
func (m misleveled) levelPhrase() string {
	if m.level == 0 {
		return fmt.Sprintf("%q here is not a heading", m.written)
	}
	return fmt.Sprintf("%q here is level %d, not 2", m.written, m.level)
}
