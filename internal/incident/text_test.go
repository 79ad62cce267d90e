package incident

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestParseRefusesNonText: a NUL byte or a byte that is not UTF-8 is a
// ParseError naming the line and the column in characters, wherever it is.
func TestParseRefusesNonText(t *testing.T) {
	head := "---\nid: x\ntitle: T\n---\n\n# T\n"
	for _, c := range []struct {
		name, src string
		line      int
		msg       string
	}{
		{"nul in body", head + "ünïcode\x00 here\n", 7, "column 8 holds a NUL byte"},
		{"nul in frontmatter", "---\nid: x\x00\n---\n", 2, "column 6 holds a NUL byte"},
		{"utf-16", "\xff\xfe-\x00-\x00-\x00", 1, "NUL byte"},
		{"latin-1", head + "Renée\ncaf\xe9\n", 8, "column 4 is not valid UTF-8"},
		{"truncated sequence at the end", head + "x \xe2\x82", 7, "column 3 is not valid UTF-8"},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, parse := range []func(string, []byte) (*Doc, error){Parse, ParseMeta} {
				_, err := parse("p.md", []byte(c.src))
				var pe *ParseError
				if !errors.As(err, &pe) || pe.Line != c.line || !strings.Contains(pe.Msg, c.msg) {
					t.Errorf("got %v, want line %d with %q", err, c.line, c.msg)
				}
			}
		})
	}
}

// TestCheckIncident: only a file with frontmatter is an incident; Parse
// itself stays lenient for lint and merges.
func TestCheckIncident(t *testing.T) {
	for src, ok := range map[string]bool{
		"---\nid: x\n---\n# X\n":  true,
		"---\n---\n":              true,
		"\ufeff---\nid: x\n---\n": true,
		"":                        false,
		"# Notes\n\ntext\n":       false,
		"+++\nid = 1\n+++\n":      false,
		"---\rid: x\r---\r":       false,
	} {
		d, err := Parse("p.md", []byte(src))
		if err != nil {
			t.Fatalf("Parse(%q): %v", src, err)
		}
		if got := d.CheckIncident() == nil; got != ok {
			t.Errorf("CheckIncident(%q) ok = %v, want %v", src, got, ok)
		}
	}
}

// TestCleanText: text pm is given (a piped log) is written as UTF-8 with
// U+FFFD where a byte was not text, so the file stays readable.
func TestCleanText(t *testing.T) {
	for in, want := range map[string]string{
		"plain":           "plain",
		"caf\xe9 au lait": "caf\uFFFD au lait",
		"nul\x00byte":     "nul\uFFFDbyte",
		"cut \xe2\x82":    "cut \uFFFD",
		"ok € ✓":          "ok € ✓",
	} {
		if got := CleanText(in); got != want {
			t.Errorf("CleanText(%q) = %q, want %q", in, got, want)
		}
	}
	d := mustParse(t, "p.md", []byte("---\nid: p\n---\n\n## Investigation log\n"))
	e := Entry{Time: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC), Kind: "observe", Text: "dump \xff\x00 end\nline two \xc3"}
	if err := d.AppendEntry(e); err != nil {
		t.Fatal(err)
	}
	nd, err := Parse("p.md", d.Bytes())
	if err != nil {
		t.Fatalf("the file pm wrote does not parse: %v", err)
	}
	if got := nd.Entries[0].Text; got != "dump \uFFFD\uFFFD end\nline two \uFFFD" {
		t.Errorf("entry text %q", got)
	}
	for _, bad := range []Entry{
		{Time: e.Time, Kind: "down", System: "ap\xffi"},
		{Time: e.Time, Kind: "note", Text: "x", Author: "Ren\xe9e"},
	} {
		if err := d.AppendEntry(bad); err == nil || !strings.Contains(err.Error(), "not UTF-8 text") {
			t.Errorf("AppendEntry(%+v): %v", bad, err)
		}
	}
	if err := d.AddAction(Action{Text: "fix caf\xe9", Owner: "@b\xff"}); err == nil {
		t.Error("an owner that is not UTF-8 was accepted")
	}
	if err := d.AddAction(Action{Text: "fix caf\xe9", Owner: "@bob"}); err != nil {
		t.Fatal(err)
	}
	if nd, err := Parse("p.md", d.Bytes()); err != nil || nd.Actions[0].Text != "fix caf\uFFFD" {
		t.Errorf("action: %v %+v", err, nd)
	}
}
