package lint

import (
	"bytes"
	"strings"

	"github.com/pm-tool/pm/internal/config"
	"github.com/pm-tool/pm/internal/incident"
)

// The rules of sections: section-headings and required-sections.

// builtinAliases are the other headings under which post-mortems written
// before pm hold the sections it requires. They were read off the level-2
// headings of the real corpus (testdata/real: DFDS, GitLab, Google's SRE
// book, student and news post-mortems) and of the common public templates
// (Google SRE, PagerDuty, Atlassian); the corpus headings among them:
//
//   - Summary: Issue Summary, Overview, TL;DR, Summation, What happened?
//   - Timeline: Incident timeline – a concise recap (the part after " – " is
//     a subtitle), Timeline (all times PT) (a parenthesised note)
//   - Contributing factors: Root Cause and Resolution, Contributing Factors
//     (findings)
//   - Action items: Corrective and Preventative Measures, Corrective
//     Measures, Corrective Actions, Prevention, Next steps
//
// A heading counts for the section whose own name it is before it counts
// as another one's alias, so a team that requires "Root cause" as a section
// of its own keeps it. Only level-2 headings are sections: the sre
// template's "### What went wrong" under "## Lessons learned" is not its
// contributing factors. lint.section_aliases in .pm.yml adds a team's own;
// explain/required-sections.txt lists these for pm lint --explain.
var builtinAliases = []struct {
	section string
	aliases []string
}{
	{"Summary", []string{"Issue summary", "Incident summary", "Overview", "Executive summary", "Exec summary",
		"TL;DR", "Summation", "Synopsis", "What happened"}},
	{"Impact", []string{"Customer impact", "User impact", "Business impact", "Impact assessment", "Who was affected"}},
	{"Timeline", []string{"Timeline of events", "Incident timeline", "Chronology", "Sequence of events"}},
	{"Contributing factors", []string{"Contributing causes", "Root cause", "Root causes", "Root cause analysis",
		"Root cause and resolution", "Cause", "Causes", "Why did it happen", "What went wrong"}},
	{config.ActionsSection, []string{"Action plan", "Actions", "Remediation", "Remediations", "Remediation items",
		"Corrective actions", "Corrective measures", "Corrective and preventative measures",
		"Corrective and preventive measures", "Preventive measures", "Preventative measures", "Prevention",
		"Follow-up", "Follow-ups", "Follow-up actions", "Follow-up items", "Next steps"}},
}

// sectionNames tells which known section a level-2 heading stands for:
// by its own name or by an alias, compared as headingKey does.
type sectionNames struct {
	canon map[string]string // headingKey of a known section -> its name as configured
	alias map[string]string // headingKey of an alias -> the section's name as configured
}

// newSectionNames indexes the known sections (knownSections) and their
// aliases: the built-in ones of the sections that are known, then those of
// lint.section_aliases, which win where both name a heading.
func newSectionNames(cfg config.Config, known []string) *sectionNames {
	n := &sectionNames{canon: map[string]string{}, alias: map[string]string{}}
	for _, k := range known {
		if _, ok := n.canon[headingKey(k)]; !ok {
			n.canon[headingKey(k)] = k
		}
	}
	add := func(section string, aliases []string) {
		name, ok := n.canon[headingKey(section)]
		if !ok {
			return // not a section lint looks for
		}
		for _, a := range aliases {
			if k := headingKey(a); k != "" && n.canon[k] == "" {
				n.alias[k] = name
			}
		}
	}
	for _, b := range builtinAliases {
		add(b.section, b.aliases)
	}
	for section, aliases := range cfg.Lint.SectionAliases {
		add(section, aliases)
	}
	return n
}

// find returns the index in d.Sections of the section name, -1 when there
// is none: the first heading that is its name, else the first that is one
// of its aliases. A heading of two names ("Summary for CMOC notice / Exec
// summary") is either.
func (n *sectionNames) find(d *incident.Doc, name string) int {
	want := headingKey(name)
	canon := n.canon[want]
	for pass := range 2 {
		if pass == 1 && canon == "" {
			break
		}
		for i, sec := range d.Sections {
			for _, part := range headingParts(sec.Heading) {
				k := headingKey(part)
				if (pass == 0 && k == want) || (pass == 1 && n.alias[k] == canon) {
					return i
				}
			}
		}
	}
	return -1
}

// headingParts is a heading and, when it joins names with " / ", each of
// them.
func headingParts(h string) []string {
	parts := strings.Split(h, " / ")
	if len(parts) == 1 {
		return parts
	}
	return append([]string{h}, parts...)
}

// headingKey is a heading as lint compares it: without case, without a
// subtitle after a spaced dash ("Incident timeline – a concise recap"), a
// parenthesised note ("Timeline (all times PT)") or trailing punctuation
// ("Summary:", "Why did it happen?"), with runs of spaces as one.
func headingKey(h string) string {
	h = strings.TrimSpace(h)
	for _, dash := range []string{" – ", " — "} {
		if i := strings.Index(h, dash); i > 0 {
			h = h[:i]
		}
	}
	for {
		prev := h
		h = strings.TrimRight(h, " \t:.?!;,")
		if strings.HasSuffix(h, ")") {
			if i := strings.LastIndex(h, "("); i > 0 {
				h = h[:i]
			}
		}
		if h == prev {
			break
		}
	}
	return strings.ToLower(strings.Join(strings.Fields(h), " "))
}

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
// post-mortem lacks or left empty. A section counts under its own name or
// one of its aliases (sectionNames), whatever the case and trailing
// punctuation.
func (f *file) requiredSections() {
	if !f.postMortem() {
		return
	}
	s, d, status := f.s, f.d, f.d.Meta.Status
	for _, want := range f.e.cfg.Lint.RequiredSections {
		want = strings.TrimSpace(want)
		i := f.e.names.find(d, want)
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
		if sectionEmpty(s, sec) && !(headingKey(want) == headingKey(config.ActionsSection) && f.e.on["action-items"]) {
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
