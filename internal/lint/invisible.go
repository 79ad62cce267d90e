package lint

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// invisibleLead marks the bytes that can start a character the
// invisible-characters rule looks for: C0 controls other than tab, line
// feed and carriage return; 0xC2, which leads the C1 controls; 0xE2, which
// leads U+2000–U+2FFF (the bidi controls and zero-width characters); 0xEF,
// which leads U+FEFF. Every other byte is skipped with one table look-up.
var invisibleLead = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = c != '\t' && c != '\n' && c != '\r'
	}
	t[0xC2], t[0xE2], t[0xEF] = true, true, true
	return t
}()

// invisibleKind sorts what the rule finds by what it does to a reader.
type invisibleKind uint8

const (
	notInvisible invisibleKind = iota
	bidiControl                // reorders the text around it
	zeroWidth                  // hides inside a word
	controlChar                // C0/C1 controls: terminals obey them
)

// invisibleNames names the bidi and zero-width characters the rule reports,
// as Unicode does.
var invisibleNames = map[rune]string{
	0x200B: "ZERO WIDTH SPACE",
	0x200C: "ZERO WIDTH NON-JOINER",
	0x200D: "ZERO WIDTH JOINER",
	0x2060: "WORD JOINER",
	0xFEFF: "ZERO WIDTH NO-BREAK SPACE (a byte order mark inside the file)",
	0x202A: "LEFT-TO-RIGHT EMBEDDING",
	0x202B: "RIGHT-TO-LEFT EMBEDDING",
	0x202C: "POP DIRECTIONAL FORMATTING",
	0x202D: "LEFT-TO-RIGHT OVERRIDE",
	0x202E: "RIGHT-TO-LEFT OVERRIDE",
	0x2066: "LEFT-TO-RIGHT ISOLATE",
	0x2067: "RIGHT-TO-LEFT ISOLATE",
	0x2068: "FIRST STRONG ISOLATE",
	0x2069: "POP DIRECTIONAL ISOLATE",
}

// c0Names are the names (Unicode name aliases) of the C0 controls.
var c0Names = [0x20]string{
	"NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION", "ENQUIRY",
	"ACKNOWLEDGE", "BELL", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED", "LINE TABULATION",
	"FORM FEED", "CARRIAGE RETURN", "SHIFT OUT", "SHIFT IN", "DATA LINK ESCAPE", "DEVICE CONTROL ONE",
	"DEVICE CONTROL TWO", "DEVICE CONTROL THREE", "DEVICE CONTROL FOUR", "NEGATIVE ACKNOWLEDGE",
	"SYNCHRONOUS IDLE", "END OF TRANSMISSION BLOCK", "CANCEL", "END OF MEDIUM", "SUBSTITUTE", "ESCAPE",
	"INFORMATION SEPARATOR FOUR", "INFORMATION SEPARATOR THREE", "INFORMATION SEPARATOR TWO",
	"INFORMATION SEPARATOR ONE",
}

// c1Names names the C1 controls a terminal is most likely to act on.
var c1Names = map[rune]string{
	0x85: "NEXT LINE", 0x90: "DEVICE CONTROL STRING", 0x9B: "CONTROL SEQUENCE INTRODUCER",
	0x9C: "STRING TERMINATOR", 0x9D: "OPERATING SYSTEM COMMAND",
}

// classifyInvisible says whether r is one of the characters the rule
// reports.
func classifyInvisible(r rune) invisibleKind {
	switch {
	case r < 0x20:
		if r == '\t' || r == '\n' || r == '\r' {
			return notInvisible
		}
		return controlChar
	case r >= 0x80 && r < 0xA0:
		return controlChar
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return bidiControl
	case r >= 0x200B && r <= 0x200D, r == 0x2060, r == 0xFEFF:
		return zeroWidth
	}
	return notInvisible
}

// isHidden reports whether r is a zero-width or bidi control character,
// which can hide inside a word; the tokenizer reads through them.
func isHidden(r rune) bool {
	k := classifyInvisible(r)
	return k == zeroWidth || k == bidiControl
}

// runeName is "U+202E RIGHT-TO-LEFT OVERRIDE".
func runeName(r rune) string {
	name := invisibleNames[r]
	switch {
	case r < 0x20:
		name = c0Names[r]
	case r >= 0x80 && r < 0xA0:
		name = c1Names[r]
		if name == "" {
			name = "C1 CONTROL"
		}
	}
	return fmt.Sprintf("U+%04X %s", r, name)
}

// invisibles reports characters that make a line display
// differently from what it holds: bidi controls anywhere (code included:
// that is where Trojan-source text does harm), control characters anywhere
// (a terminal that prints them obeys them), and zero-width characters
// outside code, except where a script or an emoji sequence needs them. One
// finding a line, naming the worst character on it.
func (f *file) invisibles() {
	s := f.s
	src := s.src
	var (
		pending Finding
		kind    invisibleKind // of pending; notInvisible when none
		more    int           // further characters on pending's line
	)
	flush := func() {
		if kind == notInvisible {
			return
		}
		if more > 0 {
			pending.Message += fmt.Sprintf(" (%s on this line)", countNoun(more, "more invisible character", "more invisible characters"))
		}
		f.add(pending)
		kind, more = notInvisible, 0
	}
	for i := s.bom; i < len(src); i++ {
		c := src[i]
		if !invisibleLead[c] {
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(src[i:])
		}
		k := classifyInvisible(r)
		if k == zeroWidth && !s.hidesText(i, size, r) {
			k = notInvisible
		}
		if k == notInvisible {
			i += size - 1
			continue
		}
		line, col := s.pos(i)
		switch {
		case kind != notInvisible && line == pending.Line:
			more++
			if k == bidiControl && kind != bidiControl { // name the worst
				pending, kind = invisibleFinding(r, k, line, col), k
			}
		default:
			flush()
			pending, kind = invisibleFinding(r, k, line, col), k
		}
		i += size - 1
	}
	flush()
}

func invisibleFinding(r rune, k invisibleKind, line, col int) Finding {
	var msg string
	switch k {
	case bidiControl:
		msg = runeName(r) + " makes this line display differently from what it says; remove it"
	case zeroWidth:
		msg = runeName(r) + " is invisible and can hide a word from search and from word checks such as the language rules; remove it"
	default:
		msg = runeName(r) + " is a control character: a terminal that prints this line obeys it instead of showing it; remove it"
	}
	return Finding{Line: line, Column: col, EndLine: line, EndColumn: col + 1, Rule: "invisible-characters", Message: msg}
}

// hidesText reports whether the zero-width character r at src[i:i+size]
// should be reported: not in code, not joining an emoji sequence, and not
// between two letters of a script that uses it (Persian and Indic text need
// U+200C and U+200D, Thai and Khmer mark word breaks with U+200B).
func (s *scan) hidesText(i, size int, r rune) bool {
	line, _ := s.pos(i)
	switch s.kind[line-1] {
	case kindCode:
		return false
	case kindFrontmatter:
		return true
	}
	a, b := s.lineRange(line)
	if inCodeSpan(s.src[a:b], i-a) {
		return false
	}
	if r == 0x2060 || r == 0xFEFF {
		return true
	}
	prev, _ := utf8.DecodeLastRune(s.src[a:i])
	if prev == 0xFE0F || prev == 0xFE0E || prev >= 0x1F3FB && prev <= 0x1F3FF {
		// a variation selector or skin tone ends the emoji before it
		p, _ := utf8.DecodeLastRune(s.src[a : i-utf8.RuneLen(prev)])
		if isPictographic(p) {
			prev = p
		}
	}
	next, _ := utf8.DecodeRune(s.src[i+size : b])
	if r == 0x200D && isPictographic(prev) && isPictographic(next) {
		return false
	}
	return !(scriptLetter(prev) && scriptLetter(next))
}

// scriptLetter reports whether r is a letter or mark of a script other than
// Latin, where zero-width characters have a job.
func scriptLetter(r rune) bool {
	return r >= 0x370 && (unicode.IsLetter(r) || unicode.IsMark(r)) && !unicode.Is(unicode.Latin, r)
}

// isPictographic reports whether r is an emoji or pictograph that a zero
// width joiner may join to another (👩‍💻, ❤️‍🔥, 🏳️‍🌈). It is an
// approximation of Unicode's Extended_Pictographic property: the blocks
// that hold emoji.
func isPictographic(r rune) bool {
	switch {
	case r >= 0x1F000 && r <= 0x1FAFF: // emoji, symbols and pictographs, skin tones, flags
		return true
	case r >= 0x2190 && r <= 0x21FF, r >= 0x2300 && r <= 0x23FF, r >= 0x25A0 && r <= 0x27BF,
		r >= 0x2900 && r <= 0x297F, r >= 0x2B00 && r <= 0x2BFF: // arrows, technical, shapes, symbols, dingbats
		return true
	case r == 0x00A9, r == 0x00AE, r == 0x203C, r == 0x2049, r == 0x2122, r == 0x2139, r == 0x3030, r == 0x303D:
		return true
	}
	return false
}

// inCodeSpan reports whether byte off of line l lies inside a code span,
// matching backtick runs the way scan.inline does.
func inCodeSpan(l []byte, off int) bool {
	for i := 0; i < len(l) && i <= off; {
		switch l[i] {
		case '\\':
			i += 2
			continue
		case '`':
		default:
			i++
			continue
		}
		k, closeAt := codeSpan(l, i)
		if closeAt < 0 {
			i = k
			continue
		}
		if off < closeAt {
			return true
		}
		i = closeAt
	}
	return false
}
