package lint

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
)

func TestMarkdownVerdict(t *testing.T) {
	f := func(l Level) Finding {
		return Finding{Path: "a.md", Line: 1, Column: 1, Rule: "r", Level: l, Message: "m"}
	}
	for _, tc := range []struct {
		name string
		r    Report
		want string
	}{
		{"nothing to lint", Report{}, "## ✅ pm lint: no incident files to lint\n"},
		{"clean", Report{Files: []string{"a.md", "b.md"}}, "## ✅ pm lint: no findings in 2 files\n"},
		{"errors", Report{Files: []string{"a.md", "b.md"}, Findings: []Finding{f(Error), f(Error), f(Info)}},
			"## ❌ pm lint: 2 errors, 1 info in 1 of 2 files\n"},
		{"warnings only pass", Report{Files: []string{"a.md"}, Findings: []Finding{f(Warning)}},
			"## ⚠️ pm lint passed with 1 warning in 1 of 1 file\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := writeReport(t, "markdown", tc.r)
			if first, _, _ := strings.Cut(got, "\n"); first+"\n" != tc.want {
				t.Errorf("verdict %q, want %q", first, tc.want)
			}
		})
	}
}

// A cell's text must stay in its cell: every table row has exactly the six
// unescaped pipes of five columns, whatever the message holds.
func TestMarkdownCellsStayInTheirColumns(t *testing.T) {
	r := fixtureReport()
	r.Findings = append(r.Findings, Finding{Path: "a|b.md", Line: 4, Column: 1, Rule: "r", Level: Error,
		Message: `back\|slash | pipe` + "\n" + `<script>x</script> [link](javascript:x) ` + "`code|x`", Suggestion: "a\r\nb|c"})
	out := writeReport(t, "markdown", r)
	var rows int
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "|") {
			continue
		}
		rows++
		if n := unescapedPipes(line); n != 6 {
			t.Errorf("row has %d unescaped pipes, want 6: %s", n, line)
		}
		if strings.Contains(line, "<script>") || strings.Contains(line, "[link]") {
			t.Errorf("row lets markup through: %s", line)
		}
	}
	if want := 2*3 + len(r.Findings); rows != want { // header and rule line per file, plus findings
		t.Errorf("%d table rows, want %d:\n%s", rows, want, out)
	}
}

func unescapedPipes(s string) int {
	var n int
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n
}

// A big run stays a short summary: rows and clean file names are capped
// and the rest counted, so the job summary stays far below GitHub's 1 MiB.
func TestMarkdownCapsLongReports(t *testing.T) {
	var r Report
	for i := range 2000 {
		path := fmt.Sprintf("postmortems/%04d.md", i)
		r.Files = append(r.Files, path)
		if i%2 == 0 {
			r.Findings = append(r.Findings, Finding{Path: path, Line: 3, Column: 1, Rule: "blame-words", Level: Error,
				Message: strings.Repeat("long message ", 20)})
		}
	}
	out := writeReport(t, "markdown", r)
	if len(out) > 200_000 {
		t.Errorf("summary is %d bytes", len(out))
	}
	var rows int
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "| ") && !strings.HasPrefix(line, "| line ") && !strings.HasPrefix(line, "| ---") {
			rows++
		}
	}
	if rows != markdownMaxRows {
		t.Errorf("%d finding rows, want the cap %d", rows, markdownMaxRows)
	}
	for _, want := range []string{
		"## ❌ pm lint: 1000 errors in 1000 of 2000 files",
		fmt.Sprintf("… and %d more findings in %d more files;", 1000-markdownMaxRows, 1000-markdownMaxRows),
		fmt.Sprintf(" and %d more\n", 1000-markdownMaxCleanFiles),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
}

// TestMarkdownRendersAsWritten renders the summary as GitHub does (GFM
// tables, <br> allowed) and checks every message and suggestion comes out
// as the same text in its own cell: escaping neither leaks markup nor shows
// stray backslashes.
func TestMarkdownRendersAsWritten(t *testing.T) {
	r := fixtureReport()
	r.Findings = append(r.Findings, Finding{Path: "x.md", Line: 9, Column: 1, Rule: "r", Level: Error,
		Message:    `a|b \ c *d* _e_ <i>f</i> [g](h) ~~i~~ # j ! & k` + "\nline two",
		Suggestion: "`x` & <y>"})
	var out bytes.Buffer
	md := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(gmhtml.WithUnsafe()))
	if err := md.Convert([]byte(writeReport(t, "markdown", r)), &out); err != nil {
		t.Fatal(err)
	}
	rendered := out.String()
	escape := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace // as goldmark escapes
	cell := func(s string) string {
		lines := strings.Split(s, "\n")
		for i, l := range lines {
			lines[i] = escape(l)
		}
		return "<td>" + strings.Join(lines, "<br>") + "</td>"
	}
	for _, f := range r.Findings {
		if !strings.Contains(rendered, cell(f.Message)) {
			t.Errorf("message %q does not render as itself; got\n%s", f.Message, rendered)
		}
		if f.Suggestion != "" && !strings.Contains(rendered, cell(f.Suggestion)) {
			t.Errorf("suggestion %q does not render as itself", f.Suggestion)
		}
	}
	if n, want := strings.Count(rendered, "<tr>"), len(r.Findings)+3; n != want {
		t.Errorf("%d table rows rendered, want %d (a header per file and a row per finding)", n, want)
	}
}
