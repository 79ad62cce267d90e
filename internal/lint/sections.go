package lint

import (
	"bytes"
	"slices"
	"strings"

	"github.com/pm-tool/pm/internal/incident"
)

// The rules of sections: section-headings and required-sections.

// sectionHeadings reports level-2 headings that appear twice (pm reads and
// writes only the first) and known sections written at another level,
// which pm does not see. Whatever the status: pm writes to the sections
// it finds.
func (f *file) sectionHeadings() {
	if !f.parsed() {
		return
	}
	d := f.d
	for i, sec := range d.Sections {
		first, times := 0, 1
		for _, prev := range d.Sections[:i] {
			if strings.EqualFold(prev.Heading, sec.Heading) {
				if first == 0 {
					first = prev.Line
				}
				times++
			}
		}
		switch {
		case times == 2:
			f.at("section-headings", sec.Line, "section %q appears twice (also line %d); pm reads and writes only the first", "## "+sec.Heading, first)
		case times > 2:
			f.at("section-headings", sec.Line, "section %q appears %d times so far (first on line %d); pm reads and writes only the first", "## "+sec.Heading, times, first)
		}
	}
	for _, m := range f.misleveled() {
		if m.level == 0 {
			f.at("section-headings", m.line, "%q is not a heading (a space must follow the #s), so pm does not see it as the section; write ## %s", m.written, m.name)
			continue
		}
		f.at("section-headings", m.line, "%q is not a level-2 heading, so pm does not see it as the section; write ## %s", m.written, m.name)
	}
}

// requiredSections reports the sections of lint.required_sections that a
// post-mortem lacks or left empty.
func (f *file) requiredSections() {
	if !f.postMortem() {
		return
	}
	s, d, status := f.s, f.d, f.d.Meta.Status
	for _, want := range f.e.cfg.Lint.RequiredSections {
		i := slices.IndexFunc(d.Sections, func(sec incident.Section) bool { return strings.EqualFold(sec.Heading, strings.TrimSpace(want)) })
		if i < 0 {
			if ml, ok := misleveledFor(f.misleveled(), want); ok {
				f.at("required-sections", ml.line, "missing section \"## %s\": %s, and a %s post-mortem needs it", ml.name, ml.levelPhrase(), status)
				continue
			}
			f.at("required-sections", f.top(), "missing section \"## %s\": a %s post-mortem needs it (sections are set by lint.required_sections in .pm.yml)", want, status)
			continue
		}
		sec := d.Sections[i]
		// An empty "Action items" is the action-items rule's finding.
		if sectionEmpty(s, sec) && !(strings.EqualFold(sec.Heading, "Action items") && f.e.on["action-items"]) {
			f.at("required-sections", sec.Line, "section %q is empty: a %s post-mortem needs its text", sec.Heading, status)
		}
	}
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
