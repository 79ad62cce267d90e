package site

import (
	"strings"
	"unicode"
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
	seen := map[string]bool{}
	var out []string
	add := func(w string) {
		if w == "" || seen[w] || len(out) >= max {
			return
		}
		seen[w] = true
		out = append(out, w)
	}
	for _, f := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '.')
	}) {
		f = strings.Trim(f, "-_.")
		if f == "" {
			continue
		}
		add(f)
		if strings.ContainsAny(f, "-_.") {
			for _, part := range strings.FieldsFunc(f, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
				add(part)
			}
		}
	}
	return strings.Join(out, " ")
}
