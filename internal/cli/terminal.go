package cli

import "strings"

// printable makes text from an incident file safe to print on a terminal.
// A title or entry may hold control characters (pasted from a log, or put
// there on purpose): an escape sequence would clear the screen, retitle the
// window or hide the rest of a line, and a bidi override (U+202E) would
// make the line read differently from what is in the file. Each such
// character becomes U+FFFD, so it is visible that something was there; the
// file itself is never changed. A tab becomes a space so columns line up.
func printable(s string) string {
	clean := true
	for _, r := range s {
		if unsafeRune(r) || r == '\t' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return ' '
		case unsafeRune(r):
			return '\uFFFD'
		}
		return r
	}, s)
}

// unsafeRune: C0 and C1 controls, DEL, and the bidi embedding, override and
// isolate controls.
func unsafeRune(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r < 0xa0) ||
		(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}
