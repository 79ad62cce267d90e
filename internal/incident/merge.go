package incident

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Merge is the three-way merge behind `pm merge-driver`: two responders wrote to the same incident
// in two clones, and git asks for one file. base is the common ancestor (empty when there is
// none), ours the local version, theirs the one being merged in. It does no I/O.
//
// The result starts from ours' bytes and only splices, so everything ours has that the merge does
// not touch (comments, CRLF line endings, a BOM, hand-written text) survives byte for byte:
//
//   - Investigation log: the union of both sides' entries. An entry is identified by its time, kind,
//     hypothesis, system, text and author; one that base has and one side deleted stays deleted;
//     one added on both sides appears once. Entries are inserted in time order with AppendEntry.
//     When both sides opened the same hypothesis number with different entries (both wrote H3),
//     both are kept and theirs is renumbered to the next number no side uses; theirs' own later
//     entries that name it (confirmed H3, refuted H3) follow. A mention of "H3" inside a text is
//     not rewritten.
//   - Frontmatter, key by key on the parsed values: a key changed on one side takes that change;
//     changed on both to the same value is fine. Changed differently on both: status takes the
//     most advanced (investigating < mitigated < resolved < closed), mitigated and resolved the
//     earliest time, authors, services and tags the union of both sides' additions (in order,
//     without what either side removed). Any other key is a conflict. Keys pm does not know are
//     compared as written.
//   - Action items: the union by text; an item either side changed takes that change, and it is
//     done when either side ticked it (an item one side unticked, and the other left alone, stays
//     unticked).
//   - Every other section, and the text before the first section: three-way on the whole body.
//     Prose in the log and action-item sections (outside the entries and items) is merged the
//     same way.
//
// A conflict is written git-style, "<<<<<<< ours", "=======", ">>>>>>> theirs" around the two
// versions of the section body, frontmatter key or action item, and conflict is true. A version
// that does not parse is an error, and nothing is merged: the caller must leave ours as it was,
// so that git reports a conflict and no side is lost.
func Merge(path string, base, ours, theirs []byte) (merged []byte, conflict bool, err error) {
	merged, conflicts, err := MergeReport(path, base, ours, theirs)
	return merged, len(conflicts) > 0, err
}

// MergeReport is Merge that also says where each conflict was left, one "path:line: what" line
// per conflict, so the merge driver can tell the person resolving it where to look.
func MergeReport(path string, base, ours, theirs []byte) (merged []byte, conflicts []string, err error) {
	m := &merger{path: path, conflicted: map[string]bool{}}
	for _, s := range []struct {
		dst  **Doc
		side string
		src  []byte
	}{{&m.b, "the common ancestor", base}, {&m.o, "our", ours}, {&m.t, "their", theirs}, {&m.d, "our", ours}} {
		d, err := Parse(path, s.src)
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) {
				return nil, nil, fmt.Errorf("%s:%d: in %s version: %s", pe.Path, pe.Line, s.side, pe.Msg)
			}
			return nil, nil, fmt.Errorf("%s: in %s version: %w", path, s.side, err)
		}
		*s.dst = d
	}
	for _, step := range []func() error{m.mergeSections, m.mergeEntries, m.mergeActions, m.mergeFrontmatter, m.check} {
		if err := step(); err != nil {
			return nil, nil, fmt.Errorf("%s: cannot merge the two versions: %w", path, err)
		}
	}
	out, msgs := m.writeConflicts()
	return out, msgs, nil
}

// merger holds the three parsed versions and the result being built.
type merger struct {
	path    string
	b, o, t *Doc // base, ours, theirs: never edited
	d       *Doc // the result: starts as ours, edited in place
	pending []pendingConflict
	// conflicted holds the sections whose whole body is between markers.
	conflicted map[string]bool

	wantEntries map[string]int // the log the result must have, by Entry.Key
	wantActions []wantAction   // the action items the result must have
}

// pendingConflict is a conflict found while merging. Its place is looked up in the finished
// result, after every other edit, because markers make a file unparsable.
type pendingConflict struct {
	what string
	// locate returns the byte range of the result the markers replace, and ours' text for it
	// ("\n" line endings).
	locate func(d *Doc) (start, end int, ours string, err error)
	theirs string
}

// ---- shared helpers ----

// rawLines returns lines from..to (inclusive) with "\n" line endings, the last one ended too;
// "" when to < from.
func (d *Doc) rawLines(from, to int) string {
	if to < from {
		return ""
	}
	start := d.lineStart(from)
	if from <= 1 && d.bom {
		start = len(utf8BOM)
	}
	s := strings.ReplaceAll(string(d.src[start:d.lineStart(to+1)]), "\r\n", "\n")
	if s != "" && !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return s
}

// spliceLines replaces lines from..to (inclusive) with text ("\n" line endings, whole lines);
// to = from-1 inserts before line from. A file that ended without a newline keeps doing so when
// its last line is replaced.
func (d *Doc) spliceLines(from, to int, text string, verify func(nd *Doc) error) error {
	start, end := d.lineStart(from), d.lineStart(to+1)
	if to < from {
		end = start
	}
	if from <= 1 && d.bom {
		start = max(start, len(utf8BOM))
		end = max(end, start)
	}
	ins := d.withEOL(text)
	atEOF := end == len(d.src) && len(d.src) > 0 && d.src[len(d.src)-1] != '\n'
	switch {
	case atEOF && to >= from && start < end:
		ins = strings.TrimSuffix(ins, d.eol())
	case atEOF && ins != "":
		ins = d.eol() + strings.TrimSuffix(ins, d.eol())
	}
	return d.edit(start, end, ins, verify)
}

// sectionKeys names each section by its heading (any case) and how many sections before it share
// that heading, so two "## Notes" sections stay apart.
func sectionKeys(d *Doc) []string {
	seen := map[string]int{}
	keys := make([]string, len(d.Sections))
	for i, s := range d.Sections {
		h := strings.ToLower(strings.TrimSpace(s.Heading))
		keys[i] = h + "\x00" + strconv.Itoa(seen[h])
		seen[h]++
	}
	return keys
}

func findSection(d *Doc, key string) int { return slices.Index(sectionKeys(d), key) }

func sectionName(key string) string { h, _, _ := strings.Cut(key, "\x00"); return h }

var (
	logKey     = strings.ToLower(logHeading) + "\x000"
	actionsKey = strings.ToLower(actionsHeading) + "\x000"
)

// bodyText is the body of section i from the line after its heading to its last non-blank line.
func (d *Doc) bodyText(i int) string {
	return d.rawLines(d.secs[i].headEnd+1, d.lastContentLine(i))
}

// sectionText is section i from its heading to its last non-blank line.
func (d *Doc) sectionText(i int) string { return d.rawLines(d.Sections[i].Line, d.lastContentLine(i)) }

// preambleRange is the byte range between the frontmatter and the first section: the title and
// whatever is written above "## Summary".
func (d *Doc) preambleRange() (start, end int) {
	if d.bom {
		start = len(utf8BOM)
	}
	if d.fm.present {
		start = d.lineStart(d.fm.close + 1)
	}
	end = len(d.src)
	if len(d.Sections) > 0 {
		end = max(start, d.lineStart(d.Sections[0].Line))
	}
	return start, end
}

// preambleLines are the first and last non-blank lines of the preamble; to < from when it is blank.
func (d *Doc) preambleLines() (from, to int) {
	s, e := d.preambleRange()
	if s >= e {
		return 1, 0
	}
	from, to = d.lineOf(s), d.lineOf(e-1)
	for from <= to && d.blank(from) {
		from++
	}
	for to >= from && d.blank(to) {
		to--
	}
	return from, to
}

func (d *Doc) preambleText() string {
	s, e := d.preambleRange()
	return strings.ReplaceAll(string(d.src[s:e]), "\r\n", "\n")
}

// sameShape checks after an edit that the sections are still want and, unless their sections
// were the ones edited, that the entries and action items did not move.
func sameShape(d *Doc, want []string, entries, actions bool) func(nd *Doc) error {
	return func(nd *Doc) error {
		switch {
		case !slices.Equal(sectionKeys(nd), want):
			return fmt.Errorf("the merged text would add, remove or hide headings (an unclosed code block?)")
		case entries && !sameEntries(nd.Entries, d.Entries):
			return fmt.Errorf("the merged text would change the investigation log (an unclosed code block?)")
		case actions && !sameActions(nd.Actions, d.Actions):
			return fmt.Errorf("the merged text would change the action items (an unclosed code block?)")
		}
		return nil
	}
}

// merge3 merges how many times something occurs: a change on one side wins, an addition made on
// both sides counts once.
func merge3(b, o, t int) int {
	switch {
	case o == t:
		return o
	case o == b:
		return t
	case t == b:
		return o
	case o > b && t > b:
		return max(o, t)
	case o < b && t < b:
		return min(o, t)
	}
	return max(0, o+t-b)
}

// ---- sections ----

// mergeSections merges the text before the first section and every section body except the log
// and the action items, whose entries and items are merged one by one.
func (m *merger) mergeSections() error {
	pb, po, pt := m.b.preambleText(), m.o.preambleText(), m.t.preambleText()
	switch {
	case po == pt || pt == pb:
	case po == pb:
		start, end := m.d.preambleRange()
		text := pt
		if end < len(m.d.src) && text != "" && !strings.HasSuffix(text, "\n") {
			text += "\n"
		}
		if err := m.d.edit(start, end, m.d.withEOL(text), sameShape(m.d, sectionKeys(m.d), true, true)); err != nil {
			return fmt.Errorf("the text above the first section: %w", err)
		}
	default:
		m.pending = append(m.pending, pendingConflict{what: "the title and the text above the first section were changed differently on both sides", theirs: trimBlankLines(pt),
			locate: func(d *Doc) (int, int, string, error) {
				from, to := d.preambleLines()
				if to < from {
					s, _ := d.preambleRange()
					return s, s, "", nil
				}
				s, e := d.lineStart(from), d.lineStart(to+1)
				if from == 1 && d.bom {
					s = len(utf8BOM)
				}
				return s, e, d.rawLines(from, to), nil
			}})
	}

	bk, ok, tk := sectionKeys(m.b), sectionKeys(m.o), sectionKeys(m.t)
	for oi, key := range ok {
		if key == logKey || key == actionsKey {
			continue
		}
		bi, ti := slices.Index(bk, key), slices.Index(tk, key)
		oc := m.o.bodyText(oi)
		switch {
		case ti >= 0:
			tc := m.t.bodyText(ti)
			switch {
			case oc == tc || (bi >= 0 && tc == m.b.bodyText(bi)):
			case bi >= 0 && oc == m.b.bodyText(bi):
				if err := m.replaceContent(key, tc); err != nil {
					return err
				}
			default:
				m.sectionConflict(key, tc)
			}
		case bi < 0: // added on our side only
		case oc == m.b.bodyText(bi) && m.o.Sections[oi].Heading == m.b.Sections[bi].Heading:
			if err := m.deleteSection(key); err != nil {
				return err
			}
		default: // they deleted what we changed
			m.pending = append(m.pending, pendingConflict{what: fmt.Sprintf("section %q was changed here and deleted there", m.o.Sections[oi].Heading),
				locate: func(d *Doc) (int, int, string, error) {
					i := findSection(d, key)
					if i < 0 {
						return 0, 0, "", fmt.Errorf("section %q went missing", sectionName(key))
					}
					s, e := d.lineStart(d.Sections[i].Line), d.lineStart(d.lastContentLine(i)+1)
					return s, e, d.sectionText(i), nil
				}})
		}
	}
	for ti, key := range tk {
		if key == logKey || key == actionsKey || slices.Contains(ok, key) {
			continue
		}
		bi := slices.Index(bk, key)
		switch {
		case bi < 0:
			if err := m.addTheirSection(key); err != nil {
				return err
			}
		case m.t.bodyText(ti) == m.b.bodyText(bi): // we deleted it, they left it alone
		default: // we deleted what they changed
			m.pending = append(m.pending, pendingConflict{what: fmt.Sprintf("section %q was deleted here and changed there", m.t.Sections[ti].Heading),
				theirs: m.t.sectionText(ti),
				locate: func(d *Doc) (int, int, string, error) {
					at := m.insertionPoint(key)
					return at, at, "", nil
				}})
		}
	}
	return nil
}

// sectionConflict records a section whose body both sides changed differently; the markers go
// around our body in the result (which may by then hold merged entries) and theirs.
func (m *merger) sectionConflict(key, theirs string) {
	m.conflicted[key] = true
	m.pending = append(m.pending, pendingConflict{what: fmt.Sprintf("section %q was changed differently on both sides", m.o.Sections[findSection(m.o, key)].Heading), theirs: theirs,
		locate: func(d *Doc) (int, int, string, error) {
			i := findSection(d, key)
			if i < 0 {
				return 0, 0, "", fmt.Errorf("section %q went missing", sectionName(key))
			}
			from, to := d.secs[i].headEnd+1, d.lastContentLine(i)
			if to < from {
				return d.lineStart(from), d.lineStart(from), "", nil
			}
			return d.lineStart(from), d.lineStart(to + 1), d.bodyText(i), nil
		}})
}

// replaceContent puts text in place of the body of the result's section key.
func (m *merger) replaceContent(key, text string) error {
	d := m.d
	i := findSection(d, key)
	if i < 0 {
		return fmt.Errorf("section %q went missing", sectionName(key))
	}
	verify := sameShape(d, sectionKeys(d), key != logKey, key != actionsKey)
	if err := d.spliceLines(d.secs[i].headEnd+1, d.lastContentLine(i), text, verify); err != nil {
		return fmt.Errorf("section %q: %w", d.Sections[i].Heading, err)
	}
	return nil
}

// deleteSection removes the result's section key, heading and all.
func (m *merger) deleteSection(key string) error {
	d := m.d
	i := findSection(d, key)
	if i < 0 {
		return nil
	}
	want := slices.Delete(sectionKeys(d), i, i+1)
	if err := d.spliceLines(d.Sections[i].Line, d.Sections[i].EndLine, "", sameShape(d, want, true, true)); err != nil {
		return fmt.Errorf("deleting section %q: %w", d.Sections[i].Heading, err)
	}
	return nil
}

// insertionPoint is where their section key belongs in the result: after the nearest section
// before it in their file that the result has, else before the nearest one after it, else at the
// end of the file.
func (m *merger) insertionPoint(key string) int {
	d, tk := m.d, sectionKeys(m.t)
	ti := slices.Index(tk, key)
	for j := ti - 1; j >= 0; j-- {
		if i := findSection(d, tk[j]); i >= 0 {
			return d.lineStart(d.Sections[i].EndLine + 1)
		}
	}
	for j := ti + 1; j < len(tk); j++ {
		if i := findSection(d, tk[j]); i >= 0 {
			return d.lineStart(d.Sections[i].Line)
		}
	}
	return len(d.src)
}

// addTheirSection copies their section key, heading and body, into the result where it belongs.
func (m *merger) addTheirSection(key string) error {
	d, tk := m.d, sectionKeys(m.t)
	ti := slices.Index(tk, key)
	text := m.t.rawLines(m.t.Sections[ti].Line, m.t.Sections[ti].EndLine)
	at := m.insertionPoint(key)
	line := d.lineOf(at)
	if at == len(d.src) {
		line = d.numLines() + 1
		if len(d.src) > 0 && !d.blank(d.numLines()) {
			text = "\n" + text // a blank line before the heading, as between the other sections
		}
	} else if !strings.HasSuffix(text, "\n\n") {
		text += "\n"
	}
	// The sections the result must have afterwards: ours with theirs slotted in.
	want := sectionKeys(d)
	pos := len(want)
	for i, s := range d.Sections {
		if d.lineStart(s.Line) >= at {
			pos = i
			break
		}
	}
	want = slices.Insert(want, pos, key)
	if err := d.spliceLines(line, line-1, text, sameShape(d, want, key != logKey, key != actionsKey)); err != nil {
		return fmt.Errorf("adding their section %q: %w", m.t.Sections[ti].Heading, err)
	}
	return nil
}

// residual is what a section holds besides its entries or items, blank lines left out, so that
// prose changed by hand in the log or the action items is merged too. "\x00" stands for a missing
// section.
func residual(d *Doc, key string, items []span) string {
	i := findSection(d, key)
	if i < 0 {
		return "\x00"
	}
	var b strings.Builder
	for n := d.secs[i].headEnd + 1; n <= d.Sections[i].EndLine; n++ {
		inItem := false
		for _, sp := range items {
			if n >= sp.start && n <= sp.end {
				inItem = true
				break
			}
		}
		if !inItem && !d.blank(n) {
			b.WriteString(d.line(n) + "\n")
		}
	}
	return b.String()
}

// mergeResidual merges the prose of the log or the action items: when only they changed it,
// their section body replaces ours, and the entries or items are then reconciled on top of it.
func (m *merger) mergeResidual(key string, items func(d *Doc) []span) error {
	rb, ro, rt := residual(m.b, key, items(m.b)), residual(m.o, key, items(m.o)), residual(m.t, key, items(m.t))
	switch {
	case ro == rt || rt == rb:
		return nil
	case ro == rb:
		ti := findSection(m.t, key)
		if ti < 0 {
			return nil // they deleted the section: its entries go one by one
		}
		if findSection(m.d, key) < 0 {
			return m.addTheirSection(key)
		}
		return m.replaceContent(key, m.t.bodyText(ti))
	}
	ti := findSection(m.t, key)
	if ti < 0 {
		return nil // we changed it, they deleted it: keep ours, entries merge one by one
	}
	m.conflicted[key] = true
	m.pending = append(m.pending, pendingConflict{what: fmt.Sprintf("the text around the items of section %q was changed differently on both sides", m.t.Sections[ti].Heading), theirs: m.t.bodyText(ti),
		locate: func(d *Doc) (int, int, string, error) {
			i := findSection(d, key)
			if i < 0 {
				at := m.insertionPoint(key)
				return at, at, "", nil
			}
			from, to := d.secs[i].headEnd+1, d.lastContentLine(i)
			if to < from {
				return d.lineStart(from), d.lineStart(from), "", nil
			}
			return d.lineStart(from), d.lineStart(to + 1), d.bodyText(i), nil
		}})
	return nil
}

// ---- investigation log ----

// Key is what makes two entries the same entry: the merge unions logs by
// it, and pm watch prints each entry once by it.
func (e Entry) Key() string {
	return strings.Join([]string{e.Time.UTC().Format(time.RFC3339Nano), e.Kind, e.Hypothesis, e.System, e.Text, e.Author}, "\x00")
}

func entryCounts(es []Entry) map[string]int {
	c := make(map[string]int, len(es))
	for _, e := range es {
		c[e.Key()]++
	}
	return c
}

// renumberTheirs returns their entries with every hypothesis they opened under a number we also
// opened, with a different entry, moved to the next number nobody uses, and their later entries
// naming it moved along. renamed marks the entries that changed.
func (m *merger) renumberTheirs() (es []Entry, renamed []bool) {
	inBase := entryCounts(m.b.Entries)
	baseOpens, ourOpens := map[string]bool{}, map[string]string{}
	top := 0
	for _, d := range []*Doc{m.b, m.o, m.t} {
		for _, e := range d.Entries {
			if n, ok := hypothesisNumber(e.Hypothesis); ok && n > top {
				top = n
			}
		}
	}
	for _, e := range m.b.Entries {
		if e.Kind == "hypothesis" {
			baseOpens[e.Hypothesis] = true
		}
	}
	for _, e := range m.o.Entries {
		if _, seen := ourOpens[e.Hypothesis]; e.Kind == "hypothesis" && !seen {
			ourOpens[e.Hypothesis] = e.Key()
		}
	}
	rename := map[string]string{}
	for _, e := range m.t.Entries {
		k := e.Key()
		ours, clash := ourOpens[e.Hypothesis]
		if e.Kind != "hypothesis" || inBase[k] > 0 || baseOpens[e.Hypothesis] || !clash || ours == k || rename[e.Hypothesis] != "" {
			continue
		}
		top++
		rename[e.Hypothesis] = "H" + strconv.Itoa(top)
	}
	es, renamed = slices.Clone(m.t.Entries), make([]bool, len(m.t.Entries))
	for i, e := range es {
		if to := rename[e.Hypothesis]; to != "" && inBase[e.Key()] == 0 {
			es[i].Hypothesis, renamed[i] = to, true
		}
	}
	return es, renamed
}

// mergeEntries makes the result's log the union of both sides' entries, in time order.
func (m *merger) mergeEntries() error {
	if err := m.mergeResidual(logKey, func(d *Doc) []span { return d.ents }); err != nil {
		return err
	}
	theirs, renamed := m.renumberTheirs()
	cb, co, ct := entryCounts(m.b.Entries), entryCounts(m.o.Entries), entryCounts(theirs)
	want := map[string]int{}
	for _, c := range []map[string]int{cb, co, ct} {
		for k := range c {
			if n := merge3(cb[k], co[k], ct[k]); n > 0 {
				want[k] = n
			}
		}
	}
	m.wantEntries = want

	// Entries the result has too often (theirs deleted them, or the section came from their side).
	for {
		d, have, drop := m.d, entryCounts(m.d.Entries), -1
		for i := len(d.Entries) - 1; i >= 0 && drop < 0; i-- {
			if have[d.Entries[i].Key()] > want[d.Entries[i].Key()] {
				drop = i
			}
		}
		if drop < 0 {
			break
		}
		rest := slices.Delete(slices.Clone(d.Entries), drop, drop+1)
		acts := d.Actions
		sp := d.ents[drop]
		err := d.spliceLines(sp.start, sp.end, "", func(nd *Doc) error {
			if !sameEntries(nd.Entries, rest) || !sameActions(nd.Actions, acts) {
				return fmt.Errorf("removing the entry on line %d would disturb the rest of the file", sp.start)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}

	// Entries the result lacks: theirs first, in their order, then ours (when their section
	// replaced ours).
	type source struct {
		e   Entry
		raw string // the entry as written, "" when renumbered
	}
	var adds []source
	for i, e := range theirs {
		raw := ""
		if !renamed[i] {
			raw = m.t.rawLines(m.t.ents[i].start, m.t.ents[i].end)
		}
		adds = append(adds, source{e, raw})
	}
	for i, e := range m.o.Entries {
		adds = append(adds, source{e, m.o.rawLines(m.o.ents[i].start, m.o.ents[i].end)})
	}
	for _, s := range adds {
		k := s.e.Key()
		for n := entryCounts(m.d.Entries)[k]; n < want[k]; n++ {
			if err := m.d.AppendEntry(s.e); err != nil {
				if s.raw == "" {
					return err
				}
				if err := m.insertRawEntry(s.e, s.raw); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// insertRawEntry inserts an entry as its side wrote it, in time order, for a hand-written entry
// that AppendEntry would not write as it is (a "down" without a system, say).
func (m *merger) insertRawEntry(e Entry, raw string) error {
	d := m.d
	if d.log < 0 {
		return fmt.Errorf("cannot place the entry %q: the log section is missing", e.Text)
	}
	pos := -1
	for i, x := range d.Entries {
		if !x.Time.After(e.Time) {
			pos = i
		}
	}
	line := d.lastContentLine(d.log) + 1
	switch {
	case pos >= 0:
		line = d.ents[pos].end + 1
	case len(d.Entries) > 0:
		line = d.ents[0].start
	}
	want := slices.Insert(slices.Clone(d.Entries), pos+1, e)
	acts := d.Actions
	return d.spliceLines(line, line-1, raw, func(nd *Doc) error {
		if !sameEntries(nd.Entries, want) || !sameActions(nd.Actions, acts) {
			return fmt.Errorf("the entry %q cannot be placed in time order without disturbing the log", e.Text)
		}
		return nil
	})
}

// ---- action items ----

// wantAction is one action item the result must have: which side's version, and whether done.
type wantAction struct {
	key  string
	from *Doc
	idx  int // in from.Actions
	done bool
}

// actionKeys names each action item by its text and how many items before it share that text.
func actionKeys(d *Doc) []string {
	seen := map[string]int{}
	keys := make([]string, len(d.Actions))
	for i, a := range d.Actions {
		keys[i] = a.Text + "\x00" + strconv.Itoa(seen[a.Text])
		seen[a.Text]++
	}
	return keys
}

// version is an action item without its checkbox and line: what "changed" means for its fields.
func version(a Action) Action { a.Done, a.Line = false, 0; return a }

func (d *Doc) actionRaw(i int) string { return d.rawLines(d.acts[i].item.start, d.acts[i].item.end) }

// mergeActions makes the result's action items the union of both sides' by text.
func (m *merger) mergeActions() error {
	if err := m.mergeResidual(actionsKey, func(d *Doc) []span {
		out := make([]span, len(d.acts))
		for i, a := range d.acts {
			out[i] = a.item
		}
		return out
	}); err != nil {
		return err
	}
	bk, ok, tk := actionKeys(m.b), actionKeys(m.o), actionKeys(m.t)
	sectionConflict := m.conflicted[actionsKey]
	var keys []string
	for _, k := range slices.Concat(tk, ok, bk) {
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		bi, oi, ti := slices.Index(bk, k), slices.Index(ok, k), slices.Index(tk, k)
		changed := func(i int, side *Doc) bool { // a side's item differs from base's
			return bi >= 0 && i >= 0 && (version(side.Actions[i]) != version(m.b.Actions[bi]) || side.Actions[i].Done != m.b.Actions[bi].Done)
		}
		present := merge3(b2i(bi >= 0), b2i(oi >= 0), b2i(ti >= 0)) > 0
		if !present && !changed(oi, m.o) && !changed(ti, m.t) {
			continue // deleted on one side; an item the other side changed is kept
		}
		w := wantAction{key: k}
		switch {
		case oi >= 0 && ti >= 0:
			vo, vt := version(m.o.Actions[oi]), version(m.t.Actions[ti])
			w.from, w.idx = m.o, oi
			if vo != vt {
				switch {
				case bi >= 0 && vo == version(m.b.Actions[bi]):
					w.from, w.idx = m.t, ti
				case bi >= 0 && vt == version(m.b.Actions[bi]):
				case !sectionConflict:
					m.actionConflict(k, m.t.actionRaw(ti))
				}
			}
			od, td := m.o.Actions[oi].Done, m.t.Actions[ti].Done
			// Done when either side ticked it, unless one side unticked it and the other
			// left it alone.
			w.done = od || td
			if bi >= 0 && od != td && m.b.Actions[bi].Done {
				w.done = false
			}
		case oi >= 0:
			w.from, w.idx, w.done = m.o, oi, m.o.Actions[oi].Done
		default:
			w.from, w.idx, w.done = m.t, ti, m.t.Actions[ti].Done
		}
		m.wantActions = append(m.wantActions, w)
	}
	want := map[string]wantAction{}
	for _, w := range m.wantActions {
		want[w.key] = w
	}
	d := m.d

	// Items the result should not have.
	for {
		keys, drop := actionKeys(d), -1
		for i := len(keys) - 1; i >= 0 && drop < 0; i-- {
			if _, keep := want[keys[i]]; !keep {
				drop = i
			}
		}
		if drop < 0 {
			break
		}
		rest := slices.Delete(slices.Clone(d.Actions), drop, drop+1)
		ents := d.Entries
		sp := d.acts[drop].item
		if err := d.spliceLines(sp.start, sp.end, "", func(nd *Doc) error {
			if !sameActions(nd.Actions, rest) || !sameEntries(nd.Entries, ents) {
				return fmt.Errorf("removing the action item on line %d would disturb the rest of the file", sp.start)
			}
			return nil
		}); err != nil {
			return err
		}
	}
	// Items the result has in the other side's version, and checkboxes.
	for i, k := range actionKeys(d) {
		w := want[k]
		src := w.from.Actions[w.idx]
		if version(d.Actions[i]) != version(src) {
			sp := d.acts[i].item
			if err := d.spliceLines(sp.start, sp.end, w.from.actionRaw(w.idx), func(nd *Doc) error {
				if len(nd.Actions) != len(d.Actions) || version(nd.Actions[i]) != version(src) {
					return fmt.Errorf("the action item on line %d cannot take the other side's version", sp.start)
				}
				return nil
			}); err != nil {
				return err
			}
		}
		if err := d.SetActionDone(i+1, w.done); err != nil {
			return err
		}
	}
	// Items the result lacks, in the order they come in (theirs, then ours).
	for _, w := range m.wantActions {
		if slices.Contains(actionKeys(d), w.key) {
			continue
		}
		a := w.from.Actions[w.idx]
		a.Done = w.done
		if err := d.AddAction(a); err != nil {
			if err := m.insertRawAction(a, w.from.actionRaw(w.idx)); err != nil {
				return err
			}
		}
		if err := d.SetActionDone(len(d.Actions), w.done); err != nil {
			return err
		}
	}
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// insertRawAction adds a hand-written action item as its side wrote it, after the last item.
func (m *merger) insertRawAction(a Action, raw string) error {
	d := m.d
	if d.act < 0 {
		return fmt.Errorf("cannot place the action item %q: the action items section is missing", a.Text)
	}
	line := d.lastContentLine(d.act) + 1
	if n := len(d.acts); n > 0 {
		line = d.acts[n-1].item.end + 1
	}
	ents, before := d.Entries, len(d.Actions)
	return d.spliceLines(line, line-1, raw, func(nd *Doc) error {
		if len(nd.Actions) != before+1 || version(nd.Actions[before]) != version(a) || !sameEntries(nd.Entries, ents) {
			return fmt.Errorf("the action item %q cannot be added without disturbing the file", a.Text)
		}
		return nil
	})
}

func (m *merger) actionConflict(key, theirs string) {
	text, _, _ := strings.Cut(key, "\x00")
	m.pending = append(m.pending, pendingConflict{what: fmt.Sprintf("action item %q was changed differently on both sides", text), theirs: theirs,
		locate: func(d *Doc) (int, int, string, error) {
			i := slices.Index(actionKeys(d), key)
			if i < 0 {
				return 0, 0, "", fmt.Errorf("action item %q went missing", text)
			}
			sp := d.acts[i].item
			return d.lineStart(sp.start), d.lineStart(sp.end + 1), d.actionRaw(i), nil
		}})
}

// ---- frontmatter ----

// statusOrder ranks statuses for a status both sides changed: the most advanced wins.
var statusOrder = []string{"investigating", "mitigated", "resolved", "closed"}

// fmValue is a frontmatter key's value as compared: parsed for the keys pm knows, as written for
// the others.
type fmValue struct {
	kind    byte // 's' text, 't' time, 'l' list, 'b' bool, 'r' raw
	s       string
	t       time.Time
	l       []string
	b       bool
	present bool // for raw values: the key exists
}

func (v fmValue) equal(w fmValue) bool {
	return v.s == w.s && v.t.Equal(w.t) && slices.Equal(v.l, w.l) && v.b == w.b && v.present == w.present
}

func metaValue(d *Doc, key string) fmValue {
	m := d.Meta
	switch key {
	case "id", "title", "status", "severity", "commander":
		return fmValue{kind: 's', s: map[string]string{"id": m.ID, "title": m.Title, "status": m.Status, "severity": m.Severity, "commander": m.Commander}[key]}
	case "started", "detected", "mitigated", "resolved":
		return fmValue{kind: 't', t: map[string]time.Time{"started": m.Started, "detected": m.Detected, "mitigated": m.Mitigated, "resolved": m.Resolved}[key]}
	case "authors", "services", "tags":
		return fmValue{kind: 'l', l: map[string][]string{"authors": m.Authors, "services": m.Services, "tags": m.Tags}[key]}
	case "private":
		return fmValue{kind: 'b', b: m.Private}
	}
	if k := d.fmKey(key); k != nil {
		return fmValue{kind: 'r', s: d.rawLines(k.line, d.valueEnd(k)), present: true}
	}
	return fmValue{kind: 'r'}
}

// keyText is a key's lines as written, "" when the key is missing.
func keyText(d *Doc, key string) string {
	if k := d.fmKey(key); k != nil {
		return d.rawLines(k.line, d.valueEnd(k))
	}
	return ""
}

// mergeFrontmatter merges the frontmatter key by key.
func (m *merger) mergeFrontmatter() error {
	var names []string
	for _, d := range []*Doc{m.o, m.t, m.b} {
		for _, k := range d.fm.keys {
			if !slices.Contains(names, k.name) {
				names = append(names, k.name)
			}
		}
	}
	for _, name := range names {
		vb, vo, vt := metaValue(m.b, name), metaValue(m.o, name), metaValue(m.t, name)
		if vo.equal(vt) || vt.equal(vb) {
			continue
		}
		if vo.equal(vb) {
			if err := m.setKey(name, vt, true); err != nil {
				return err
			}
			continue
		}
		v, ok := resolveBoth(name, vb, vo, vt)
		if !ok {
			m.keyConflict(name)
			continue
		}
		if !v.equal(vo) {
			if err := m.setKey(name, v, v.equal(vt)); err != nil {
				return err
			}
		}
	}
	return nil
}

// resolveBoth decides a key both sides changed differently, where a rule can.
func resolveBoth(name string, b, o, t fmValue) (fmValue, bool) {
	switch name {
	case "authors", "services", "tags":
		return fmValue{kind: 'l', l: mergeList(b.l, o.l, t.l)}, true
	case "status":
		ro, rt := slices.Index(statusOrder, o.s), slices.Index(statusOrder, t.s)
		if ro < 0 || rt < 0 {
			return o, false
		}
		if rt > ro {
			return t, true
		}
		return o, true
	case "mitigated", "resolved":
		if o.t.IsZero() || (!t.t.IsZero() && t.t.Before(o.t)) {
			return t, true
		}
		return o, true
	}
	return o, false
}

// mergeList merges a list both sides changed: ours in its order without what they removed, then
// what they added and we did not remove, in their order; each item once.
func mergeList(b, o, t []string) []string {
	out := []string{}
	for _, x := range o {
		if !(slices.Contains(b, x) && !slices.Contains(t, x)) && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	for _, x := range t {
		if !(slices.Contains(b, x) && !slices.Contains(o, x)) && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// setKey writes a key's merged value into the result with the document's own edits, or, for a
// value taken from their side that those cannot write (or a key pm does not know), their lines as
// they wrote them.
func (m *merger) setKey(name string, v fmValue, fromTheirs bool) error {
	d := m.d
	var err error
	switch v.kind {
	case 's':
		err = d.SetField(name, v.s)
	case 't':
		err = d.SetTime(name, v.t)
	case 'l':
		err = d.SetList(name, v.l)
	case 'b':
		err = d.SetField(name, strconv.FormatBool(v.b))
	default:
		err = errors.New("a key pm does not know")
	}
	if err == nil || !fromTheirs {
		return err
	}
	text := keyText(m.t, name)
	check := func(nd *Doc) error {
		if keyText(nd, name) != text {
			return fmt.Errorf("frontmatter key %s cannot take their value", name)
		}
		return nil
	}
	k := d.fmKey(name)
	switch {
	case k != nil:
		return d.spliceLines(k.line, d.valueEnd(k), text, check)
	case text == "":
		return nil
	case d.fm.present:
		return d.spliceLines(d.fm.close, d.fm.close-1, text, check)
	}
	at := 0
	if d.bom {
		at = len(utf8BOM)
	}
	return d.edit(at, at, d.withEOL("---\n"+text+"---\n"), check)
}

// keyConflict records a frontmatter key both sides changed differently.
func (m *merger) keyConflict(name string) {
	m.pending = append(m.pending, pendingConflict{what: "frontmatter key " + name + " was changed differently on both sides", theirs: keyText(m.t, name),
		locate: func(d *Doc) (int, int, string, error) {
			if k := d.fmKey(name); k != nil {
				return d.lineStart(k.line), d.lineStart(d.valueEnd(k) + 1), keyText(d, name), nil
			}
			if !d.fm.present {
				return 0, 0, "", fmt.Errorf("our version has no frontmatter left to hold %s", name)
			}
			at := d.lineStart(d.fm.close)
			return at, at, "", nil
		}})
}

// ---- finishing ----

// check makes sure, before anything is written, that the result has exactly the entries and action
// items the merge decided on: nothing either side wrote is lost on the way.
func (m *merger) check() error {
	have := entryCounts(m.d.Entries)
	if len(have) != len(m.wantEntries) {
		return fmt.Errorf("the merged log would not hold every entry exactly once")
	}
	for k, n := range m.wantEntries {
		if have[k] != n {
			return fmt.Errorf("the merged log would not hold every entry exactly once")
		}
	}
	keys := actionKeys(m.d)
	if len(keys) != len(m.wantActions) {
		return fmt.Errorf("the merged action items would not hold every item exactly once")
	}
	for _, w := range m.wantActions {
		i := slices.Index(keys, w.key)
		if i < 0 || m.d.Actions[i].Done != w.done {
			return fmt.Errorf("the merged action items would not hold every item exactly once")
		}
	}
	return nil
}

// Conflict markers, as git writes them.
const (
	markerOurs   = "<<<<<<< ours\n"
	markerSep    = "=======\n"
	markerTheirs = ">>>>>>> theirs\n"
)

// writeConflicts returns the result with markers around every conflict, and one line per
// conflict saying where it is.
func (m *merger) writeConflicts() ([]byte, []string) {
	d := m.d
	type repl struct {
		start, end int
		text, what string
		order      int
	}
	var rs []repl
	for i, p := range m.pending {
		start, end, ours, err := p.locate(d)
		if err != nil {
			// The place is gone: put both versions at the end rather than lose theirs.
			start, end, ours = len(d.src), len(d.src), ""
		}
		block := markerOurs + withNL(ours) + markerSep + withNL(p.theirs) + markerTheirs
		if start == len(d.src) && len(d.src) > 0 && d.src[len(d.src)-1] != '\n' {
			block = "\n" + block
		}
		rs = append(rs, repl{start, end, d.withEOL(block), p.what, i})
	}
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].start != rs[j].start {
			return rs[i].start < rs[j].start
		}
		return rs[i].order < rs[j].order
	})
	var out bytes.Buffer
	var msgs []string
	at := 0
	for _, r := range rs {
		if r.start < at { // overlapping places: cannot happen, but never write a mangled file
			r.start = at
			r.end = max(r.end, at)
		}
		out.Write(d.src[at:r.start])
		line := 1 + bytes.Count(out.Bytes(), []byte{'\n'})
		if strings.HasPrefix(r.text, "\n") || strings.HasPrefix(r.text, "\r\n") {
			line++
		}
		out.WriteString(r.text)
		at = r.end
		msgs = append(msgs, fmt.Sprintf("%s:%d: %s; keep the right version between the <<<<<<< and >>>>>>> lines", m.path, line, r.what))
	}
	if len(rs) == 0 {
		return d.src, nil
	}
	out.Write(d.src[at:])
	return out.Bytes(), msgs
}

func withNL(s string) string {
	if s != "" && !strings.HasSuffix(s, "\n") {
		return s + "\n"
	}
	return s
}

// trimBlankLines drops blank lines at the start and end of s.
func trimBlankLines(s string) string {
	lines := strings.SplitAfter(s, "\n")
	i, j := 0, len(lines)
	for i < j && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	for j > i && strings.TrimSpace(lines[j-1]) == "" {
		j--
	}
	return withNL(strings.Join(lines[i:j], ""))
}
