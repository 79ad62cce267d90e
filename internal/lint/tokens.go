package lint

import (
	"slices"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// token is one word of prose.
type token struct {
	start, end int    // byte offsets in the source
	low        string // lower-cased, typographic apostrophes written as '
	// join is set when only spaces, one line break or emphasis (* _ ~)
	// stand between the previous word and this one, so a phrase may run
	// on across them.
	join bool
	// sent is set when the word starts a sentence, a list item, a heading
	// or a block, where a capital letter says nothing about a name.
	sent bool
	caps uint8 // capsLower, capsTitle ("Alice") or capsOther ("API", "GitHub")
}

const (
	capsLower uint8 = iota
	capsTitle
	capsOther
)

// asciiWord marks the ASCII letters and digits.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	return t
}()

// isWordRune reports whether r is part of a word.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		c := byte(r)
		return c|0x20 >= 'a' && c|0x20 <= 'z' || c >= '0' && c <= '9'
	}
	// A zero-width or bidi control character inside or after a word
	// ("hu\u200bman") is read through, so it cannot hide the word from
	// the rules (the invisible-characters rule reports it).
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || isHidden(r)
}

// isJoiner reports whether r joins two words into one ("fault-tolerant",
// "don't", "pool_size", "node.js", "bob@example.com").
func isJoiner(r rune) bool {
	return r == '\'' || r == '’' || r == '-' || r == '_' || r == '.' || r == '@'
}

// tokenize splits the prose of a scanned file into words. The words'
// lower-case forms point into sc.low: they live as long as sc is not
// reused.
func tokenize(s *scan, sc *scratch) []token {
	prose := s.prose
	// Lower-case ASCII once for the whole file, so most words are slices
	// of one string.
	lowBuf := slices.Grow(sc.low[:0], len(prose))[:len(prose)]
	for i, c := range prose {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lowBuf[i] = c
	}
	sc.low = lowBuf
	low := ""
	if len(lowBuf) > 0 {
		low = unsafe.String(unsafe.SliceData(lowBuf), len(lowBuf))
	}
	toks := sc.toks[:0]
	defer func() { sc.toks = toks[:0] }()
	prevEnd := s.bodyStart
	i := s.bodyStart
	for i < len(prose) {
		c := prose[i]
		if c < utf8.RuneSelf && !asciiWord[c] && c != '@' {
			i++ // the common case: space, punctuation, blanked out
			continue
		}
		var r rune
		size := 1
		if c < utf8.RuneSelf {
			r = rune(c)
		} else {
			r, size = utf8.DecodeRune(prose[i:])
		}
		handle := c == '@' && i+1 < len(prose) && startsWord(prose[i+1:])
		if !handle && !isWordRune(r) {
			i += size
			continue
		}
		start := i
		ascii := true
		i += size
		for i < len(prose) {
			c := prose[i]
			if c < utf8.RuneSelf && asciiWord[c] {
				i++
				continue
			}
			var r rune
			size := 1
			if c < utf8.RuneSelf {
				r = rune(c)
			} else {
				r, size = utf8.DecodeRune(prose[i:])
			}
			if isWordRune(r) {
				if c >= utf8.RuneSelf {
					ascii = false
				}
				i += size
				continue
			}
			if isJoiner(r) && i+size < len(prose) && startsWord(prose[i+size:]) {
				if c >= utf8.RuneSelf {
					ascii = false
				}
				i += size
				continue
			}
			break
		}
		t := token{start: start, end: i}
		if ascii && c < utf8.RuneSelf {
			t.low = low[start:i]
		} else {
			t.low = normWord(string(s.src[start:i]))
		}
		t.join, t.sent = gap(prose[prevEnd:start], len(toks) == 0)
		t.caps = capsOf(s.src[start:i])
		toks = append(toks, t)
		prevEnd = i
	}
	return toks
}

// startsWord reports whether b begins with a word character.
func startsWord(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	if b[0] < utf8.RuneSelf {
		return isWordRune(rune(b[0]))
	}
	r, _ := utf8.DecodeRune(b)
	return isWordRune(r)
}

// gap reads what stands between two words: whether a phrase may run on
// across it, and whether the second word starts a sentence or block.
func gap(g []byte, first bool) (join, sent bool) {
	join, sent = !first, first
	lineStart := false // only spaces since the last line break
	breaks := 0
	for _, c := range g {
		switch c {
		case ' ', '\t', '\r':
			continue
		case '\n':
			breaks++
			lineStart = true
			if breaks >= 2 { // a blank line
				join, sent = false, true
			}
			continue
		case '*', '+':
			if lineStart { // a list marker
				join, sent = false, true
			}
		case '_', '~':
		case 0, '.', '!', '?', ':', '#', '|', '[', ']', '(', ')', '"', '-', '>', '<', '=':
			join, sent = false, true
		default:
			join = false
			if c >= utf8.RuneSelf { // dashes, typographic quotes, bullets
				sent = true
			}
		}
		breaks = 0
		lineStart = false
	}
	return join, sent
}

// capsOf classifies a word's capitals: "alice", "Alice" or "API"/"GitHub".
func capsOf(w []byte) uint8 {
	r, size := utf8.DecodeRune(w)
	if !unicode.IsUpper(r) {
		return capsLower
	}
	for _, r := range string(w[size:]) {
		if r == '\'' || r == '’' {
			break // "Alice's"
		}
		if unicode.IsUpper(r) {
			return capsOther
		}
	}
	return capsTitle
}
