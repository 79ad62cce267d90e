package lsp

import (
	"io"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/pm-tool/pm/internal/lint"
)

// Every character column of a line with emoji, CJK, combining marks and
// tabs maps to the UTF-16 offset the standard library's encoder gives, and
// back.
func TestUTF16PositionsRoundTrip(t *testing.T) {
	lines := []string{"ascii", "\t🔥数据e\u0301 👩‍🚒 x", ""}
	for li, l := range lines {
		runes := []rune(l)
		for col := 1; col <= len(runes)+1; col++ {
			p := utf16Position(lines, li+1, col)
			if want := len(utf16.Encode(runes[:col-1])); p.Line != li || p.Character != want {
				t.Errorf("line %d col %d: %+v, want character %d", li+1, col, p, want)
			}
			if gl, gc := runeColumn(lines, p); gl != li+1 || gc != col {
				t.Errorf("line %d col %d: back to %d:%d", li+1, col, gl, gc)
			}
		}
		// Past the end of the line is the end of the line.
		if p := utf16Position(lines, li+1, len(runes)+5); p.Character != len(utf16.Encode(runes)) {
			t.Errorf("line %d past the end: %+v", li+1, p)
		}
	}
}

func TestFindingRange(t *testing.T) {
	lines := []string{"🔥 careless", "second"}
	for _, tc := range []struct {
		f    lint.Finding
		want Range
	}{
		{lint.Finding{Line: 1, Column: 3, EndLine: 1, EndColumn: 11}, Range{Position{0, 3}, Position{0, 11}}},
		{lint.Finding{Line: 2}, Range{Position{1, 0}, Position{1, 6}}},             // no column: the line
		{lint.Finding{Line: 1, Column: 3}, Range{Position{0, 3}, Position{0, 11}}}, // no end: to the end of the line
		{lint.Finding{Line: 1, Column: 1, EndLine: 2, EndColumn: 3}, Range{Position{0, 0}, Position{1, 2}}},
		{lint.Finding{}, Range{}}, // about the whole file
		{lint.Finding{Line: 9, Column: 1}, Range{Position{1, 6}, Position{1, 6}}}, // past the end of the text
	} {
		if got := findingRange(lines, tc.f); got != tc.want {
			t.Errorf("%+v: %+v, want %+v", tc.f, got, tc.want)
		}
	}
}

// TestConfirmAdoptGuess: an adopt-guess finding's code action deletes the
// comment and the blanks before it, and no suppression comment is offered
// above a frontmatter line.
func TestConfirmAdoptGuess(t *testing.T) {
	line := "title: Café 🔥 outage          # pm adopt: guessed from line 15, the first heading; check it"
	text := "---\nid: x\n" + line + "\r\nstatus: resolved\n---\n"
	col := utf8.RuneCountInString(line[:strings.Index(line, "#")]) + 1
	f := lint.Finding{Line: 3, Column: col, EndLine: 3, EndColumn: utf8.RuneCountInString(line) + 1, Rule: "adopt-guess",
		Level: lint.Warning, Message: "title was guessed by pm adopt", Suggestion: "title: Café 🔥 outage"}
	s := New(nil, nil, io.Discard)
	uri := "file:///r/postmortems/x.md"
	s.docs[uri] = &document{path: "postmortems/x.md", text: text, findings: []lint.Finding{f}, linted: true}
	got := s.codeActions(codeActionParams{Range: Range{Start: Position{Line: 2}, End: Position{Line: 2}}, TextDocument: struct {
		URI string `json:"uri"`
	}{uri}})
	if len(got) != 1 || got[0].Edit == nil || !got[0].IsPreferred || got[0].Title != "adopt-guess: checked, delete the comment (title: Café 🔥 outage)" {
		t.Fatalf("code actions %+v", got)
	}
	edits := got[0].Edit.Changes[uri]
	if len(edits) != 1 || edits[0].NewText != "" {
		t.Fatalf("edits %+v", edits)
	}
	e := edits[0]
	u := utf16.Encode([]rune(line))
	if after := string(utf16.Decode(u[:e.Range.Start.Character])) + string(utf16.Decode(u[min(e.Range.End.Character, len(u)):])); e.Range.Start.Line != 2 || e.Range.End.Line != 2 || after != "title: Café 🔥 outage" {
		t.Errorf("edit %+v leaves %q", e, after)
	}
}
