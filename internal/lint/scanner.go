package lint

import (
	"bytes"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// scan is one pass over a file's lines that tells prose from everything
// else. The language rules read only prose: prose is a copy of the source
// in which frontmatter, code blocks and spans, block quotes, HTML comments
// and tags, link targets and URLs are blanked out with NUL bytes (line
// breaks kept), so every offset in it is an offset in the source.
type scan struct {
	src        []byte
	bom        int   // 3 when the file starts with a UTF-8 byte order mark
	lineStarts []int // byte offset where each line begins; lineStarts[0] == 0
	prose      []byte
	kind       []lineKind // per line (index 0 is line 1)

	fmOpen, fmClose int // frontmatter lines ("---"), 0 when there is none
	title           int // line of the first level-1 heading, 0 when none
	bodyStart       int // byte offset where the markdown body begins
	firstContent    int // first non-blank line after the frontmatter that is not a comment, 0 when none

	directives []directive // pm-lint comments, in file order

	last posMemo // the last position pos computed
}

// posMemo remembers where pos last was, so that positions asked for in
// file order on one long line cost the runes between them, not the runes
// from the start of the line each time (a one-line file with thousands of
// findings was quadratic).
type posMemo struct{ off, line, col int }

// lineKind says what a whole line is, for rules that work by line.
type lineKind uint8

const (
	kindProse lineKind = iota
	kindBlank
	kindFrontmatter
	kindCode    // fenced or indented code block, fences included
	kindQuote   // block quote
	kindComment // inside an HTML comment that spans lines
)

// directive is one <!-- pm-lint-... --> comment.
type directive struct {
	line, col int    // where the comment starts
	endLine   int    // line where it ends
	text      string // the comment's inside, trimmed
}

// newScan indexes the lines of src and blanks out what is not prose. Its
// buffers come from sc, which may be nil.
func newScan(src []byte, sc *scratch) *scan {
	if sc == nil {
		sc = new(scratch)
	}
	s := &scan{src: src}
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		s.bom = 3
	}
	s.lineStarts = append(sc.lineStarts[:0], 0)
	for i := 0; ; {
		j := bytes.IndexByte(src[i:], '\n')
		if j < 0 || i+j+1 == len(src) {
			break
		}
		i += j + 1
		s.lineStarts = append(s.lineStarts, i)
	}
	s.prose = append(sc.prose[:0], src...)
	s.kind = slices.Grow(sc.kind[:0], len(s.lineStarts))[:len(s.lineStarts)]
	clear(s.kind)
	s.frontmatter()
	s.body()
	return s
}

// numLines counts lines; a last line without a newline counts, an empty
// file has one.
func (s *scan) numLines() int { return len(s.lineStarts) }

// lineRange returns the byte range of line n (1-based) without its line
// ending.
func (s *scan) lineRange(n int) (int, int) {
	start := s.lineStarts[n-1]
	if n == 1 {
		start = s.bom
	}
	end := len(s.src)
	if n < len(s.lineStarts) {
		end = s.lineStarts[n]
	}
	if end > start && s.src[end-1] == '\n' {
		end--
		if end > start && s.src[end-1] == '\r' {
			end--
		}
	}
	return start, end
}

func (s *scan) line(n int) []byte {
	a, b := s.lineRange(n)
	return s.src[a:b]
}

// pos turns a byte offset into a 1-based line and a 1-based column counted
// in characters (runes), as editors show them.
func (s *scan) pos(off int) (line, col int) {
	if m := s.last; m.line > 0 && off >= m.off && (m.line == len(s.lineStarts) || off < s.lineStarts[m.line]) {
		col = m.col + utf8.RuneCount(s.src[m.off:off])
		s.last = posMemo{off, m.line, col}
		return m.line, col
	}
	line = sort.Search(len(s.lineStarts), func(i int) bool { return s.lineStarts[i] > off })
	start := s.lineStarts[line-1]
	if line == 1 {
		start = min(s.bom, off)
	}
	col = utf8.RuneCount(s.src[start:off]) + 1
	if line > 1 || off >= s.bom { // not inside a byte order mark
		s.last = posMemo{off, line, col}
	}
	return line, col
}

// col returns the column of byte offset off on line n.
func (s *scan) col(n, off int) int {
	a, _ := s.lineRange(n)
	if off < a {
		return 1
	}
	return utf8.RuneCount(s.src[a:off]) + 1
}

// mask blanks out src[a:b] in the prose copy, keeping line breaks.
func (s *scan) mask(a, b int) {
	for i := a; i < b; i++ {
		if c := s.prose[i]; c != '\n' {
			s.prose[i] = 0
		}
	}
}

func (s *scan) maskLine(n int, k lineKind) {
	a, b := s.lineRange(n)
	s.mask(a, b)
	s.kind[n-1] = k
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

// frontmatter finds the frontmatter the way the parser does: the first
// non-blank line is "---" and the next "---" line closes it. An unclosed
// frontmatter runs to the end of the file (the parser reports it).
func (s *scan) frontmatter() {
	n := s.numLines()
	open := 0
	for i := 1; i <= n; i++ {
		if l := s.line(i); !isBlank(l) {
			if string(bytes.TrimSpace(l)) == "---" {
				open = i
			}
			break
		}
	}
	if open == 0 {
		return
	}
	closeLine := n
	for i := open + 1; i <= n; i++ {
		if string(bytes.TrimSpace(s.line(i))) == "---" {
			closeLine = i
			break
		}
	}
	s.fmOpen, s.fmClose = open, closeLine
	for i := 1; i <= closeLine; i++ {
		s.maskLine(i, kindFrontmatter)
	}
	if closeLine < n {
		s.bodyStart = s.lineStarts[closeLine]
	} else {
		s.bodyStart = len(s.src)
	}
}

// indentOf returns the width of a line's leading white space (tabs to the
// next multiple of 4) and the rest of the line.
func indentOf(l []byte) (int, []byte) {
	w := 0
	for i, c := range l {
		switch c {
		case ' ':
			w++
		case '\t':
			w += 4 - w%4
		default:
			return w, l[i:]
		}
	}
	return w, nil
}

// fenceOpen returns the fence character and length when rest opens a
// fenced code block.
func fenceOpen(rest []byte) (byte, int) {
	if len(rest) < 3 || (rest[0] != '`' && rest[0] != '~') {
		return 0, 0
	}
	c := rest[0]
	n := 0
	for n < len(rest) && rest[n] == c {
		n++
	}
	if n < 3 || (c == '`' && bytes.IndexByte(rest[n:], '`') >= 0) {
		return 0, 0
	}
	return c, n
}

// listMarker returns the width of a list marker and the spaces after it
// ("- ", "1. ", "* [ ] " counts only "* "), or 0.
func listMarker(rest []byte) int {
	i := 0
	switch {
	case len(rest) > 0 && (rest[0] == '-' || rest[0] == '*' || rest[0] == '+'):
		i = 1
	default:
		for i < len(rest) && i < 9 && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 || i >= len(rest) || (rest[i] != '.' && rest[i] != ')') {
			return 0
		}
		i++
	}
	if i == len(rest) {
		return i // an empty item
	}
	if rest[i] != ' ' && rest[i] != '\t' {
		return 0
	}
	sp := 0
	for i+sp < len(rest) && rest[i+sp] == ' ' && sp < 4 {
		sp++
	}
	if sp == 0 {
		sp = 1
	}
	return i + sp
}

// isRefDef reports whether rest is a link reference definition
// ("[label]: https://...").
func isRefDef(rest []byte) bool {
	if len(rest) < 4 || rest[0] != '[' || rest[1] == '^' {
		return false
	}
	j := bytes.Index(rest, []byte("]:"))
	return j > 1 && bytes.IndexByte(rest[1:j], ']') < 0
}

// body classifies the lines after the frontmatter and blanks out what is
// not prose.
func (s *scan) body() {
	var (
		inFence              bool
		fenceCh              byte
		fenceLen             int
		inComment            bool
		comment              directive
		commentText          strings.Builder
		inQuote, inIndented  bool
		prevBlank            = true
		listIndent           = -1
		first                = s.fmClose + 1
		titleSeen, contentOn bool
	)
	for n := first; n <= s.numLines(); n++ {
		a, b := s.lineRange(n)
		l := s.src[a:b]
		if inComment {
			k := bytes.Index(l, []byte("-->"))
			if k < 0 {
				commentText.Write(l)
				commentText.WriteByte('\n')
				s.maskLine(n, kindComment)
				continue
			}
			commentText.Write(l[:k])
			s.mask(a, a+k+3)
			inComment = false
			comment.endLine = n
			s.addComment(comment, commentText.String())
			if isBlank(l[k+3:]) {
				s.kind[n-1] = kindComment
				continue
			}
			// text after the comment on the same line is prose
			s.inline(n, a+k+3, b, &inComment, &comment, &commentText)
			continue
		}
		if inFence {
			s.maskLine(n, kindCode)
			if _, rest := indentOf(l); len(rest) >= fenceLen && rest[0] == fenceCh {
				m := 0
				for m < len(rest) && rest[m] == fenceCh {
					m++
				}
				if m >= fenceLen && isBlank(rest[m:]) {
					inFence = false
				}
			}
			continue
		}
		indent, rest := indentOf(l)
		if len(rest) == 0 {
			s.kind[n-1] = kindBlank
			prevBlank, inQuote = true, false
			continue
		}
		if !contentOn && !bytes.HasPrefix(rest, []byte("<!--")) {
			contentOn = true
			s.firstContent = n
		}
		base := 0
		if listIndent >= 0 {
			if prevBlank && indent < listIndent && listMarker(rest) == 0 {
				listIndent = -1
			} else {
				base = listIndent
			}
		}
		if (prevBlank || inIndented) && indent >= base+4 {
			s.maskLine(n, kindCode)
			inIndented, prevBlank = true, false
			continue
		}
		inIndented = false
		if c, k := fenceOpen(rest); k > 0 {
			s.maskLine(n, kindCode)
			inFence, fenceCh, fenceLen, prevBlank = true, c, k, false
			continue
		}
		if rest[0] == '>' || (inQuote && !prevBlank) {
			s.maskLine(n, kindQuote)
			inQuote, prevBlank = true, false
			continue
		}
		if isRefDef(rest) {
			s.maskLine(n, kindCode)
			prevBlank = false
			continue
		}
		if m := listMarker(rest); m > 0 {
			listIndent = indent + m
			// The fields of an action item (owner, due date, kind, ticket)
			// are not prose: its owner is not the cause of anything.
			if item := rest[m:]; len(item) >= 4 && item[0] == '[' && item[2] == ']' && (item[1] == ' ' || item[1] == 'x' || item[1] == 'X') {
				if k := bytes.LastIndex(l, []byte(" — ")); k >= 0 {
					s.mask(a+k, b)
				} else if k := bytes.LastIndex(l, []byte(" -- ")); k >= 0 {
					s.mask(a+k, b)
				}
			}
		}
		if !titleSeen && len(rest) >= 2 && rest[0] == '#' && (rest[1] == ' ' || rest[1] == '\t') {
			titleSeen = true
			s.title = n
		}
		prevBlank = false
		s.inline(n, a, b, &inComment, &comment, &commentText)
	}
	if inComment {
		s.addComment(comment, "") // never closed: not a directive
	}
}

// codeSpan reads the run of backticks at l[i]: k is the first byte after
// it, and closeAt the first byte after the run of the same length that
// closes the code span, or -1 when none does (the run is then literal).
func codeSpan(l []byte, i int) (k, closeAt int) {
	k = i
	for k < len(l) && l[k] == '`' {
		k++
	}
	run := k - i
	for j := k; j < len(l); {
		if l[j] != '`' {
			j++
			continue
		}
		e := j
		for e < len(l) && l[e] == '`' {
			e++
		}
		if e-j == run {
			return k, e
		}
		j = e
	}
	return k, -1
}

// inline blanks out the inline parts of line n (src[a:b]) that are not
// prose: code spans, HTML comments (which may run on over lines: inComment
// is set), tags, autolinks, link targets and bare URLs. It reports whether
// a comment was left open.
func (s *scan) inline(n, a, b int, inComment *bool, comment *directive, text *strings.Builder) bool {
	src := s.src
	for i := a; i < b; {
		c := src[i]
		switch {
		case c == '\\':
			i += 2
		case c == '`':
			k, closeAt := codeSpan(src[:b], i)
			if closeAt < 0 {
				i = k // a lone run of backticks is literal
				continue
			}
			s.mask(i, closeAt)
			i = closeAt
		case c == '<' && bytes.HasPrefix(src[i:b], []byte("<!--")):
			k := bytes.Index(src[i+4:b], []byte("-->"))
			line, col := n, s.col(n, i)
			if k < 0 {
				*inComment = true
				*comment = directive{line: line, col: col}
				text.Reset()
				text.Write(src[i+4 : b])
				text.WriteByte('\n')
				s.mask(i, b)
				return true
			}
			s.addComment(directive{line: line, col: col, endLine: n}, string(src[i+4:i+4+k]))
			s.mask(i, i+4+k+3)
			i += 4 + k + 3
		case c == '<' && i+1 < b && (isASCIILetter(src[i+1]) || src[i+1] == '/'):
			k := bytes.IndexByte(src[i:b], '>')
			if k < 0 {
				i++
				continue
			}
			s.mask(i, i+k+1)
			i += k + 1
		case c == ']' && i+1 < b && src[i+1] == '(':
			depth, j := 0, i+1
			for ; j < b; j++ {
				if src[j] == '(' {
					depth++
				} else if src[j] == ')' {
					depth--
					if depth == 0 {
						break
					}
				}
			}
			if j == b {
				i++
				continue
			}
			s.mask(i+1, j+1)
			i = j + 1
		case c == ':' && i+2 < b && src[i+1] == '/' && src[i+2] == '/':
			st := i
			for st > a && isASCIILetter(src[st-1]) {
				st--
			}
			if st == i {
				i++
				continue
			}
			e := i
			for e < b && src[e] != ' ' && src[e] != '\t' && src[e] != ')' && src[e] != '>' {
				e++
			}
			s.mask(st, e)
			i = e
		default:
			i++
		}
	}
	return false
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// addComment records a pm-lint directive.
func (s *scan) addComment(d directive, text string) {
	text = strings.TrimSpace(text)
	if !strings.HasPrefix(text, "pm-lint-") {
		return
	}
	if d.endLine == 0 {
		d.endLine = d.line
	}
	d.text = text
	s.directives = append(s.directives, d)
}
