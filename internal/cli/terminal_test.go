package cli

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
		if got := printable(in); got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
	}
	if got := clip("\x1b[2Jabcdef", 4); got != "\uFFFD[2…" {
		t.Errorf("clip sanitises before it counts: %q", got)
	}
}
