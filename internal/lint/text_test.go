package lint

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTextPositions(t *testing.T) {
	for _, tc := range []struct {
		f    Finding
		want string
	}{
		{Finding{Path: "p/a.md", Line: 3, Column: 7, Rule: "r", Level: Error, Message: "m"}, "p/a.md:3:7: error r: m\n"},
		{Finding{Path: "p/a.md", Line: 3, Rule: "r", Level: Warning, Message: "m"}, "p/a.md:3: warning r: m\n"},
		{Finding{Path: "p/a.md", Rule: "r", Level: Info, Message: "m"}, "p/a.md: info r: m\n"},
		{Finding{Path: "p/a.md", Line: 1, Column: 1, Rule: "r", Level: Error, Message: "m", Suggestion: "s"},
			"p/a.md:1:1: error r: m\n    suggestion: s\n"},
		{Finding{Path: "p/a.md", Line: 1, Column: 1, Rule: "r", Level: Error, Message: "one\r\ntwo\rthree"},
			"p/a.md:1:1: error r: one\n    two\n    three\n"},
	} {
		got := writeReport(t, "text", Report{Findings: []Finding{tc.f}})
		if got != tc.want {
			t.Errorf("text for %+v = %q, want %q", tc.f, got, tc.want)
		}
	}
}

// Every line of text output is a finding in the shape editors parse, or an
// indented continuation of the one above: nothing else reaches stdout.
func TestTextLinesAreFindingsOrIndented(t *testing.T) {
	finding := regexp.MustCompile(`^[^ ].*?(:\d+(:\d+)?)?: (error|warning|info) [a-z-]+: `)
	out := writeReport(t, "text", fixtureReport())
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	var n int
	for _, l := range lines {
		switch {
		case finding.MatchString(l):
			n++
		case strings.HasPrefix(l, "    "):
		default:
			t.Errorf("line %q is neither a finding nor indented", l)
		}
	}
	if want := len(fixtureReport().Findings); n != want {
		t.Errorf("%d finding lines, want %d:\n%s", n, want, out)
	}
	if got := writeReport(t, "text", Report{Files: []string{"a.md"}}); got != "" {
		t.Errorf("a clean report printed %q, want nothing", got)
	}
}

// TestPosMemo: positions asked for out of order, across lines and inside
// a byte order mark are the same as counted from the start of the line.
func TestPosMemo(t *testing.T) {
	src := []byte("\ufeffab\u00e9c\nxy\u00e9z\n\nlast")
	s := newScan(src, nil)
	want := func(off int) (int, int) {
		line := 1
		start := 3
		for i := 0; i < off; i++ {
			if src[i] == '\n' {
				line, start = line+1, i+1
			}
		}
		return line, utf8.RuneCount(src[min(start, off):off]) + 1
	}
	for _, off := range []int{0, 5, 4, 8, 3, 1, 13, 9, 14, 16, 2, 17, 6} {
		l, c := s.pos(off)
		wl, wc := want(off)
		if l != wl || c != wc {
			t.Errorf("pos(%d) = %d:%d, want %d:%d", off, l, c, wl, wc)
		}
	}
}
