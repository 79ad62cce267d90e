package incident

import (
	"fmt"
	"strings"
)

// section returns the index of the first section whose heading matches (case-insensitively), or -1.
func (d *Doc) section(heading string) int {
	heading = strings.TrimSpace(heading)
	for i, s := range d.Sections {
		if strings.EqualFold(s.Heading, heading) {
			return i
		}
	}
	return -1
}

// lastContentLine returns the last non-blank line of section i, which is its heading when the
// body is blank.
func (d *Doc) lastContentLine(i int) int {
	n := d.Sections[i].EndLine
	for n > d.secs[i].headEnd && d.blank(n) {
		n--
	}
	return n
}

// addSection writes "## heading" with md as its body after the section named after (before the
// heading that follows it), or at the end of the file when there is no such section. A blank line
// is kept before the next heading when the file has one there, and added before the new heading at
// the end of a file.
func (d *Doc) addSection(heading, after, md string, verify func(nd *Doc) error) error {
	text := "## " + heading + "\n" + md
	if i := d.section(after); i >= 0 && d.Sections[i].EndLine < d.numLines() {
		n := d.Sections[i].EndLine + 1
		if d.blank(n - 1) {
			text += "\n"
		}
		return d.insertLines(n, text, verify)
	}
	if len(d.src) > len(utf8BOM) || (len(d.src) > 0 && !d.bom) {
		if !d.blank(d.numLines()) {
			text = "\n" + text
		}
	}
	return d.insertLines(d.numLines()+1, text, verify)
}

// ReplaceSection replaces the body of the first level-2 section whose heading matches
// (case-insensitively) and keeps the heading and the blank lines that end the old body. A missing
// section is added at the end of the file. The body may not add or remove headings of level 1 or 2.
func (d *Doc) ReplaceSection(heading string, body string) error {
	body = normalizeText(body)
	if body != "" && !strings.HasSuffix(body, "\n") {
		body += "\n"
	}
	before := d.headings()
	i := d.section(heading)
	if i < 0 {
		want := append(before, strings.TrimSpace(heading))
		return d.addSection(strings.TrimSpace(heading), "", body, func(nd *Doc) error {
			return sameHeadings(d, nd, want)
		})
	}
	verify := func(nd *Doc) error { return sameHeadings(d, nd, before) }
	from, last := d.secs[i].headEnd+1, d.lastContentLine(i)
	if last < from {
		return d.insertLines(from, body, verify)
	}
	start, end := d.lineStart(from), d.lineStart(last+1)
	ins := d.withEOL(body)
	if end == len(d.src) && len(d.src) > 0 && d.src[len(d.src)-1] != '\n' && strings.HasSuffix(ins, d.eol()) {
		ins = strings.TrimSuffix(ins, d.eol()) // the file ended without a newline: keep it that way
	}
	return d.edit(start, end, ins, verify)
}

func (d *Doc) headings() []string {
	h := make([]string, len(d.Sections))
	for i, s := range d.Sections {
		h[i] = s.Heading
	}
	return h
}

func sameHeadings(d, nd *Doc, want []string) error {
	got := nd.headings()
	ok := len(got) == len(want) && nd.Title == d.Title && nd.h1 == d.h1
	for i := 0; ok && i < len(got); i++ {
		ok = strings.EqualFold(got[i], want[i])
	}
	if !ok {
		return fmt.Errorf("%s: the new section text would add, remove or hide headings (or leave a code block open); the file was left unchanged", d.Path)
	}
	return nil
}

// ChangedSections names, in after's order, the sections whose text differs
// between before and after (added ones too), then those removed: what an
// edit of the whole file changed, for its commit message.
func ChangedSections(before, after *Doc) []string {
	old := map[string]string{}
	for i, s := range before.Sections {
		old[strings.ToLower(s.Heading)] = before.bodyText(i)
	}
	var out []string
	for i, s := range after.Sections {
		k := strings.ToLower(s.Heading)
		if t, ok := old[k]; !ok || t != after.bodyText(i) {
			out = append(out, s.Heading)
		}
		delete(old, k)
	}
	for _, s := range before.Sections {
		if _, ok := old[strings.ToLower(s.Heading)]; ok {
			out = append(out, s.Heading+" (removed)")
		}
	}
	return out
}
