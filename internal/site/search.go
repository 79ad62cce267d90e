package site

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxWords bounds each incident's entry in the search index. The index
// holds each distinct word once, in the order it first appears, which is
// enough to find an incident by any word of it and keeps the index of
// 10,000 incidents a few megabytes.
const maxWords = 800

// searchWords returns the distinct words of s, lower-cased, in the order
// they first appear, at most max of them, joined by spaces. Words are runs
// of letters and digits, and keep inner dots, dashes and underscores
// (error-rate, 10.0.0.1, db_primary) as well as their parts.
func searchWords(s string, max int) string {
	seen := make(map[string]struct{}, 256)
	var out strings.Builder
	out.Grow(len(s) / 3)
	n := 0
	add := func(w string) {
		if w == "" || n >= max {
			return
		}
		if _, ok := seen[w]; ok {
			return
		}
		seen[w] = struct{}{}
		if n > 0 {
			out.WriteByte(' ')
		}
		out.WriteString(w)
		n++
	}
	inWord := func(r rune) bool {
		return r == '-' || r == '_' || r == '.' || r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') ||
			r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
	}
	for i := 0; i < len(s) && n < max; {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !inWord(r) {
			i += size
			continue
		}
		j := i + size
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if !inWord(r) {
				break
			}
			j += size
		}
		w := strings.ToLower(strings.Trim(s[i:j], "-_."))
		i = j
		if w == "" {
			continue
		}
		add(w)
		if strings.ContainsAny(w, "-_.") {
			for _, part := range strings.FieldsFunc(w, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
				add(part)
			}
		}
	}
	return out.String()
}

// maxText bounds the text of each incident that the search index keeps in
// order, for phrases and the snippet under a result: the summary, impact
// and the log's first entries. Words after it are still found, through the
// list of distinct words that follows.
const maxText = 1200

// searchText is one incident's entry in the search index: the body's text
// in order, whitespace collapsed and log timestamps dropped (a search for
// "23" should not match every entry's clock), at most maxText bytes; a
// newline; then the distinct words of meta (id, severity, services, people)
// and of the rest of the body that the text does not hold. Title and summary are searched from the
// catalog the script already has.
func searchText(body, meta string) string {
	var b strings.Builder
	b.Grow(maxText + 256)
	rest := ""
	for f := range strings.FieldsSeq(body) {
		if rest != "" {
			break
		}
		if isTimestamp(f) {
			continue
		}
		if b.Len()+len(f)+1 > maxText {
			rest = body[strings.Index(body, f):] // f's first occurrence: at worst some words twice
			break
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f)
	}
	b.WriteByte('\n')
	// Only words the text lacks: the text finds the others, and the index
	// of 10,000 incidents is what the first search waits for.
	low := strings.ToLower(b.String())
	n := 0
	for w := range strings.SplitSeq(searchWords(meta+" "+rest, maxWords), " ") {
		if w == "" || startsWord(low, w) {
			continue
		}
		if n > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
		n++
	}
	return b.String()
}

// isTimestamp reports whether a word is an RFC 3339 time such as the log
// writes (2023-01-01T23:00:00Z), which no reader searches for.
func isTimestamp(w string) bool {
	w = strings.Trim(w, "`*_()[],.")
	return len(w) >= 16 && w[4] == '-' && w[7] == '-' && (w[10] == 'T' || w[10] == 't') && w[13] == ':' &&
		w[0] >= '0' && w[0] <= '9'
}

// startsWord reports whether w begins a word of s, which is how the
// site's script matches a search term: then s finds w without the list.
func startsWord(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		at := i + j
		if at == 0 {
			return true
		}
		if r, _ := utf8.DecodeLastRuneInString(s[:at]); !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return true
		}
		i = at + 1
	}
}
