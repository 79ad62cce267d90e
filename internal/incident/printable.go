package incident

import (
	"strings"
	"unicode/utf8"
)

// Printable makes text safe to show on one line of a terminal or to put in
// a commit message. A title or entry may hold control characters (pasted
// from a log, or put there on purpose): an escape sequence would clear the
// screen, retitle the window or hide the rest of a line, a NUL makes git
// fsck --strict refuse the commit, and a bidi override (U+202E) would make
// the line read differently from what is in the file. Each such character
// becomes U+FFFD, so it is visible that something was there; a tab becomes
// a space so columns line up. The file itself is never changed by this.
func Printable(s string) string {
	return printable(s, false)
}

// PrintableLines is Printable for text of several lines (a hook's output, a
// commit message body): newlines and tabs are kept.
func PrintableLines(s string) string {
	return printable(s, true)
}

func printable(s string, lines bool) string {
	clean := utf8.ValidString(s)
	for _, r := range s {
		if unsafeRune(r) && !(lines && (r == '\n' || r == '\t')) || !lines && r == '\t' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case lines && (r == '\n' || r == '\t'):
			return r
		case r == '\t':
			return ' '
		case unsafeRune(r):
			return '\uFFFD'
		}
		return r
	}, CleanText(s))
}

// unsafeRune: C0 and C1 controls, DEL, and the bidi embedding, override and
// isolate controls.
func unsafeRune(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r < 0xa0) ||
		(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}
