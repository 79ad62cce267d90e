package incident

import "testing"

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"plain title":           "plain title",
		"émoji 🔥 and עברית":     "émoji 🔥 and עברית",
		"tab\there":             "tab here",
		"\x1b]0;pwned\a\x1b[2J": "\uFFFD]0;pwned\uFFFD\uFFFD[2J",
		"a\u202egnilas\u202c b": "a\uFFFDgnilas\uFFFD b",
		"iso \u2066x\u2069":     "iso \uFFFDx\uFFFD",
		"c1 \u009b31m del \x7f": "c1 \uFFFD31m del \uFFFD",
		"zero\u200bwidth stays": "zero\u200bwidth stays",
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"hook says\n\tdone\n":    "hook says\n\tdone\n",
		"nul\x00 esc\x1b[2J\r\n": "nul\uFFFD esc\uFFFD[2J\uFFFD\n",
		"latin-1 \xe9t\xe9\n":    "latin-1 \uFFFDt\uFFFD\n",
	} {
		if got := PrintableLines(in); got != want {
			t.Errorf("PrintableLines(%q) = %q, want %q", in, got, want)
		}
	}
}
