package incident

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// mdParser finds blocks only: headings, lists, code blocks. Entries and action items are read from
// the raw lines, so inline parsing, the larger part of goldmark's time, is skipped: there are no
// inline parsers, and paragraphs are swapped for raw blocks that goldmark does not walk inline. A
// goldmark parser is safe for concurrent use once built.
var mdParser = parser.NewParser(
	parser.WithBlockParsers(parser.DefaultBlockParsers()...),
	parser.WithParagraphTransformers(util.Prioritized(rawParagraphs{}, 100)),
)

// rawPara stands in for a paragraph; its lines are as goldmark collected them (not trimmed).
type rawPara struct{ ast.BaseBlock }

var kindRawPara = ast.NewNodeKind("PmRawParagraph")

func (n *rawPara) Kind() ast.NodeKind            { return kindRawPara }
func (n *rawPara) IsRaw() bool                   { return true }
func (n *rawPara) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

type rawParagraphs struct{}

// Transform swaps p for a rawPara, except when goldmark is about to turn p into a setext heading
// (the current line is an underline): a transformed paragraph cannot become one.
func (rawParagraphs) Transform(p *ast.Paragraph, reader text.Reader, _ parser.Context) {
	if p.Lines().Len() == 0 || p.Parent() == nil {
		return
	}
	if line, _ := reader.PeekLine(); isSetextBar(line) {
		return
	}
	r := &rawPara{}
	r.SetLines(p.Lines())
	r.SetPos(p.Lines().At(0).Start)
	r.SetBlankPreviousLines(p.HasBlankPreviousLines())
	p.Parent().ReplaceChild(p.Parent(), p, r)
}

func isSetextBar(line []byte) bool {
	t := bytes.TrimSpace(line)
	if len(t) == 0 || (t[0] != '-' && t[0] != '=') {
		return false
	}
	return len(bytes.Trim(t, string(t[:1]))) == 0
}

// isPara reports whether n is a paragraph in any of the forms goldmark may leave it.
func isPara(n ast.Node) bool {
	if n == nil || n.Lines().Len() == 0 {
		return false
	}
	k := n.Kind()
	return k == kindRawPara || k == ast.KindParagraph || k == ast.KindTextBlock
}

// span is a range of whole lines, 1-based and inclusive.
type span struct{ start, end int }

// secInfo holds what edits need to know about a section beyond Section.
type secInfo struct {
	headEnd int // last line of the heading (the underline of a setext heading)
}

// actInfo locates an action item's checkbox and its list item.
type actInfo struct {
	box  int // byte offset of the character between "[" and "]"
	item span
}

// Parse reads one incident file. path is used only in error messages. It never modifies src and
// keeps a reference to it.
func Parse(path string, src []byte) (*Doc, error) {
	d, bodyStart, err := parseHead(path, src)
	if err != nil {
		return nil, err
	}
	if err := d.parseBody(bodyStart); err != nil {
		return nil, err
	}
	d.deriveHypotheses()
	return d, nil
}

// ParseMeta reads only the frontmatter: the Doc it returns has Meta and
// nothing from the body (no sections, entries or actions) and must not be
// edited or rendered. Choosing which incident a command is about needs
// only each file's status, and skipping the markdown keeps pm note quick
// in a folder of thousands of incidents.
func ParseMeta(path string, src []byte) (*Doc, error) {
	d, base, err := prepare(path, src)
	if err != nil {
		return nil, err
	}
	if ok, err := d.fastMeta(base); ok {
		if err != nil {
			return nil, err
		}
		return d, nil
	}
	if _, err := d.parseFrontmatter(base); err != nil {
		return nil, err
	}
	return d, nil
}

// parseHead indexes the lines and reads the frontmatter, returning where
// the markdown body begins.
func parseHead(path string, src []byte) (*Doc, int, error) {
	d, base, err := prepare(path, src)
	if err != nil {
		return nil, 0, err
	}
	bodyStart, err := d.parseFrontmatter(base)
	if err != nil {
		return nil, 0, err
	}
	return d, bodyStart, nil
}

// prepare checks that src is text and indexes its lines, returning the
// Doc and where the text begins after a BOM.
func prepare(path string, src []byte) (*Doc, int, error) {
	if err := checkText(path, src); err != nil {
		return nil, 0, err
	}
	d := &Doc{Path: path, src: src, log: -1, act: -1}
	base := 0
	if bytes.HasPrefix(src, utf8BOM) {
		d.bom, base = true, len(utf8BOM)
	}
	d.indexLines()
	if i := bytes.IndexByte(src, '\n'); i > 0 && src[i-1] == '\r' {
		d.crlf = true
	}
	return d, base, nil
}

// Bytes returns the file exactly as parsed, after any edits. Do not modify the result.
func (d *Doc) Bytes() []byte { return d.src }

// checkText refuses what is not UTF-8 text: a NUL byte (a binary file, or
// one saved as UTF-16) or an invalid UTF-8 sequence (a file saved as
// Latin-1). Either would be written back garbled or render as mojibake, so
// pm names the line and column and changes nothing.
func checkText(path string, src []byte) error {
	line, col, nul, found := NotText(src)
	switch {
	case !found:
		return nil
	case nul:
		return &ParseError{Path: path, Line: line, Msg: fmt.Sprintf("column %d holds a NUL byte: not a text file (pm reads UTF-8 markdown; a file saved as UTF-16 must be saved as UTF-8)", col)}
	}
	return &ParseError{Path: path, Line: line, Msg: fmt.Sprintf("column %d is not valid UTF-8: save the file as UTF-8", col)}
}

// NotText finds what makes src not UTF-8 text: the first NUL byte, else the
// first byte that is not UTF-8. line and col (in characters) are 1-based;
// found is false for text. Parse and lint both refuse such a file and
// point at the same place.
func NotText(src []byte) (line, col int, nul, found bool) {
	off := bytes.IndexByte(src, 0)
	nul = off >= 0
	if !nul {
		if utf8.Valid(src) {
			return 0, 0, false, false
		}
		for off = 0; off < len(src); {
			r, size := utf8.DecodeRune(src[off:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			off += size
		}
	}
	line = 1 + bytes.Count(src[:off], []byte{'\n'})
	col = 1 + utf8.RuneCount(src[bytes.LastIndexByte(src[:off], '\n')+1:off])
	return line, col, nul, true
}

// CheckIncident reports why d is not an incident file: it has no
// frontmatter. Parse accepts such a file (lint checks the rest of it, and a
// merge may start from an empty base); the commands that list, show,
// publish or write incidents leave it alone.
func (d *Doc) CheckIncident() error {
	if d.fm.present {
		return nil
	}
	return &ParseError{Path: d.Path, Line: 1, Msg: "not an incident file: it has no frontmatter (an incident starts with a --- line and keys like id and title; pm new writes them); pm leaves it as it is"}
}

func (d *Doc) indexLines() {
	n := bytes.Count(d.src, []byte{'\n'})
	d.lines = make([]int, 1, n+1)
	for i := 0; ; {
		j := bytes.IndexByte(d.src[i:], '\n')
		if j < 0 || i+j+1 == len(d.src) {
			break
		}
		i += j + 1
		d.lines = append(d.lines, i)
	}
}

// numLines is the number of lines; a final line without a newline counts, an empty file has one.
func (d *Doc) numLines() int { return len(d.lines) }

// lineOf returns the 1-based line holding byte offset off.
func (d *Doc) lineOf(off int) int {
	return sort.Search(len(d.lines), func(i int) bool { return d.lines[i] > off })
}

// lineStart is the offset where line n begins; n past the end gives len(src).
func (d *Doc) lineStart(n int) int {
	if n < 1 {
		return 0
	}
	if n > len(d.lines) {
		return len(d.src)
	}
	return d.lines[n-1]
}

// lineEnd is the offset where line n's content ends, before "\n" or "\r\n".
func (d *Doc) lineEnd(n int) int {
	e := d.lineStart(n + 1)
	if e > d.lineStart(n) && d.src[e-1] == '\n' {
		e--
		if e > d.lineStart(n) && d.src[e-1] == '\r' {
			e--
		}
	}
	return e
}

// line returns line n without its line ending.
func (d *Doc) line(n int) string { return string(d.src[d.lineStart(n):d.lineEnd(n)]) }

func (d *Doc) blank(n int) bool {
	for _, c := range d.src[d.lineStart(n):d.lineEnd(n)] {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

// eol is the line ending the file uses.
func (d *Doc) eol() string {
	if d.crlf {
		return "\r\n"
	}
	return "\n"
}

// nodeStart returns the offset (in the parsed body) where a block begins, or -1.
func nodeStart(n ast.Node) int {
	if p := n.Pos(); p >= 0 {
		return p
	}
	for c := n; c != nil; c = c.FirstChild() {
		if c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
			return c.Lines().At(0).Start
		}
	}
	return -1
}

// parseBody finds the title, the sections, the log entries and the action items in
// src[bodyStart:].
func (d *Doc) parseBody(bodyStart int) error {
	body := d.src[bodyStart:]
	root := mdParser.Parse(text.NewReader(body))

	type block struct {
		n    ast.Node
		line int
	}
	var blocks []block
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		if s := nodeStart(n); s >= 0 {
			blocks = append(blocks, block{n, d.lineOf(bodyStart + s)})
		}
	}
	last := d.numLines()

	// Sections and title.
	type secRange struct{ first, end int } // indexes into blocks: [first, end)
	var ranges []secRange
	open := -1
	closeSection := func(i int) {
		if open >= 0 {
			ranges[open].end = i
			open = -1
		}
	}
	for i, b := range blocks {
		h, ok := b.n.(*ast.Heading)
		if !ok || h.Level > 2 {
			continue
		}
		closeSection(i)
		txt := headingText(h, body)
		if h.Level == 1 {
			d.h1++
			if d.Title == "" {
				d.Title = txt
			}
			continue
		}
		headEnd := b.line
		if l := h.Lines(); l.Len() > 0 {
			headEnd = d.lineOf(bodyStart + l.At(l.Len()-1).Start)
		}
		if !isATX(d.line(b.line)) {
			headEnd++ // the setext underline
		}
		d.Sections = append(d.Sections, Section{Heading: txt, Line: b.line})
		d.secs = append(d.secs, secInfo{headEnd: headEnd})
		ranges = append(ranges, secRange{first: i + 1})
		open = len(ranges) - 1
	}
	closeSection(len(blocks))
	for i := range d.Sections {
		end := last
		if r := ranges[i]; r.end < len(blocks) {
			end = blocks[r.end].line - 1
		}
		d.Sections[i].EndLine = end
		if d.log < 0 && strings.EqualFold(d.Sections[i].Heading, logHeading) {
			d.log = i
		}
		if d.act < 0 && strings.EqualFold(d.Sections[i].Heading, actionsHeading) {
			d.act = i
		}
	}

	// List items of a section: each with its first line of text and its extent.
	items := func(sec int, fn func(item *ast.ListItem, sp span) error) error {
		r := ranges[sec]
		for bi := r.first; bi < r.end; bi++ {
			list, ok := blocks[bi].n.(*ast.List)
			if !ok {
				continue
			}
			next := d.Sections[sec].EndLine + 1
			if bi+1 < len(blocks) {
				next = blocks[bi+1].line
			}
			for it := list.FirstChild(); it != nil; it = it.NextSibling() {
				item, ok := it.(*ast.ListItem)
				if !ok {
					continue
				}
				start := d.lineOf(bodyStart + nodeStart(item))
				end := next - 1
				if nx := item.NextSibling(); nx != nil {
					if s := nodeStart(nx); s >= 0 {
						end = d.lineOf(bodyStart+s) - 1
					}
				}
				for end > start && d.blank(end) {
					end--
				}
				if err := fn(item, span{start, end}); err != nil {
					return err
				}
			}
		}
		return nil
	}

	countItems := func(sec int) int {
		n := 0
		for bi := ranges[sec].first; bi < ranges[sec].end; bi++ {
			if list, ok := blocks[bi].n.(*ast.List); ok {
				n += list.ChildCount()
			}
		}
		return n
	}
	if d.log >= 0 {
		n := countItems(d.log)
		d.Entries, d.ents = make([]Entry, 0, n), make([]span, 0, n)
		err := items(d.log, func(item *ast.ListItem, sp span) error {
			para := item.FirstChild()
			if !isPara(para) {
				return nil
			}
			e, ok, err := d.readEntry(para, bodyStart)
			if err != nil || !ok {
				return err
			}
			if fcb, isCode := para.NextSibling().(*ast.FencedCodeBlock); isCode {
				if more, ok := d.codeLines(fcb, bodyStart); ok {
					e.Text += "\n" + more
				}
			}
			d.Entries = append(d.Entries, e)
			d.ents = append(d.ents, sp)
			return nil
		})
		if err != nil {
			return err
		}
	}
	if d.act >= 0 {
		_ = items(d.act, func(item *ast.ListItem, sp span) error {
			para := item.FirstChild()
			if !isPara(para) {
				return nil
			}
			s, n, off := d.paraText(para, bodyStart)
			a, ok := parseActionLine(s)
			if !ok {
				return nil
			}
			a.Line = n
			d.Actions = append(d.Actions, a)
			d.acts = append(d.acts, actInfo{box: off + 1, item: sp})
			return nil
		})
	}
	return nil
}

// isATX reports whether a heading's first line is an ATX heading ("## x"), not setext text.
func isATX(line string) bool {
	i := 0
	for i < 3 && i < len(line) && line[i] == ' ' {
		i++
	}
	n := 0
	for i+n < len(line) && line[i+n] == '#' {
		n++
	}
	return n >= 1 && n <= 6 && (i+n == len(line) || line[i+n] == ' ' || line[i+n] == '\t')
}

func headingText(h *ast.Heading, src []byte) string {
	l := h.Lines()
	parts := make([]string, 0, l.Len())
	for i := 0; i < l.Len(); i++ {
		s := l.At(i)
		parts = append(parts, strings.TrimSpace(string(s.Value(src))))
	}
	return strings.TrimSpace(strings.Join(parts, " "))
}

// paraText returns the text of a list item's first paragraph from the raw source: its first line
// after the list marker, joined with any further (hand-wrapped) lines by single spaces, plus the
// line number and offset where it starts.
func (d *Doc) paraText(para ast.Node, bodyStart int) (string, int, int) {
	segs := para.Lines()
	off := bodyStart + segs.At(0).Start
	n := d.lineOf(off)
	end := d.lineEnd(n)
	for off < end && (d.src[off] == ' ' || d.src[off] == '\t') {
		off++
	}
	if segs.Len() == 1 {
		return string(d.src[off:end]), n, off
	}
	var b strings.Builder
	b.Write(bytes.TrimRight(d.src[off:end], " \t"))
	prev := n
	for i := 1; i < segs.Len(); i++ {
		ln := d.lineOf(bodyStart + segs.At(i).Start)
		if ln == prev {
			continue
		}
		prev = ln
		if t := bytes.TrimSpace(d.src[d.lineStart(ln):d.lineEnd(ln)]); len(t) > 0 {
			b.WriteByte(' ')
			b.Write(t)
		}
	}
	s := b.String()
	return s, n, off
}

// readEntry reads the entry that starts the paragraph para, if it is one.
func (d *Doc) readEntry(para ast.Node, bodyStart int) (Entry, bool, error) {
	s, n, _ := d.paraText(para, bodyStart)
	e, ok, msg := parseEntryLine(s)
	if msg != "" {
		return e, false, &ParseError{Path: d.Path, Line: n, Msg: msg}
	}
	e.Line = n
	return e, ok, nil
}

// codeLines returns the content of a fenced code block read from the raw lines, with up to the
// fence's indentation removed from each, joined by "\n". ok is false for an empty block.
func (d *Doc) codeLines(fcb *ast.FencedCodeBlock, bodyStart int) (string, bool) {
	segs := fcb.Lines()
	if segs.Len() == 0 {
		return "", false
	}
	fenceOff := bodyStart + fcb.Pos()
	fenceLine := d.lineOf(fenceOff)
	indent := 0
	for i := d.lineStart(fenceLine); i < fenceOff && d.src[i] == ' '; i++ {
		indent++
	}
	var b strings.Builder
	prev, written := fenceLine, 0
	for i := 0; i < segs.Len(); i++ {
		ln := d.lineOf(bodyStart + segs.At(i).Start)
		if ln <= prev {
			continue
		}
		prev = ln
		if written > 0 {
			b.WriteByte('\n')
		}
		written++
		s := d.line(ln)
		for k := 0; k < indent && len(s) > 0 && s[0] == ' '; k++ {
			s = s[1:]
		}
		b.WriteString(s)
	}
	return b.String(), true
}
