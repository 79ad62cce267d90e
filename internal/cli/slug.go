package cli

import (
	"strings"
	"unicode"
)

// slug turns a title into the part of an id people can read in a file
// name: lower-case ASCII letters and digits joined by hyphens, at most
// maxSlug characters cut at a word boundary. Other characters separate
// words; a title with none of these letters gives "incident", so every id
// is a safe, portable file name.
func slug(title string) string {
	const maxSlug = 48
	var b strings.Builder
	dash := false
	for _, r := range title {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
	}
	s := b.String()
	if len(s) > maxSlug {
		s = s[:maxSlug]
		if i := strings.LastIndexByte(s, '-'); i > maxSlug/2 {
			s = s[:i]
		}
		s = strings.Trim(s, "-")
	}
	if s == "" {
		s = "incident"
	}
	return s
}
