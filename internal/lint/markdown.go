package lint

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The job summary must stay short to be read, and GitHub refuses a step
// summary over 1 MiB: past these numbers the summary says how much more
// there is instead of listing it.
const (
	markdownMaxRows       = 300 // findings shown in tables, across all files
	markdownMaxCleanFiles = 50  // clean files named on the one line
)

// markdownPrinter prints a review summary for a pull request or
// $GITHUB_STEP_SUMMARY: the verdict in a heading, then per file the counts
// by level and a table of findings with their suggested rewrites, so a
// reviewer sees the whole verdict without reading logs.
type markdownPrinter struct{ w io.Writer }

func newMarkdownPrinter(w io.Writer) *markdownPrinter { return &markdownPrinter{w: w} }

func (p *markdownPrinter) Print(r Report) error {
	fs := sortedFindings(r.Findings)
	byFile := map[string][]Finding{}
	for _, f := range fs {
		byFile[f.Path] = append(byFile[f.Path], f)
	}
	files := lintedFiles(r)
	var dirty, clean []string
	for _, path := range files {
		if len(byFile[path]) > 0 {
			dirty = append(dirty, path)
		} else {
			clean = append(clean, path)
		}
	}

	bw := bufio.NewWriter(p.w)
	c := countLevels(fs)
	switch {
	case len(files) == 0:
		fmt.Fprintf(bw, "## ✅ pm lint: no incident files to lint\n")
	case len(fs) == 0:
		fmt.Fprintf(bw, "## ✅ pm lint: no findings in %s\n", countNoun(len(files), "file", "files"))
	case c.errors > 0:
		fmt.Fprintf(bw, "## ❌ pm lint: %s in %d of %s\n", c.phrase(), len(dirty), countNoun(len(files), "file", "files"))
	default:
		fmt.Fprintf(bw, "## ⚠️ pm lint passed with %s in %d of %s\n", c.phrase(), len(dirty), countNoun(len(files), "file", "files"))
	}

	budget := markdownMaxRows
	for i, path := range dirty {
		ffs := byFile[path]
		if budget == 0 {
			var more int
			for _, rest := range dirty[i:] {
				more += len(byFile[rest])
			}
			fmt.Fprintf(bw, "\n… and %s in %s; run `pm lint` to see them all.\n",
				countNoun(more, "more finding", "more findings"), countNoun(len(dirty)-i, "more file", "more files"))
			break
		}
		fmt.Fprintf(bw, "\n### %s — %s\n\n", escapeMarkdown(path), countLevels(ffs).phrase())
		fmt.Fprintf(bw, "| line | level | rule | message | suggested rewrite |\n")
		fmt.Fprintf(bw, "| ---: | --- | --- | --- | --- |\n")
		shown := min(len(ffs), budget)
		for _, f := range ffs[:shown] {
			line := "—"
			if f.Line > 0 {
				line = strconv.Itoa(f.Line)
			}
			fmt.Fprintf(bw, "| %s | %s | %s | %s | %s |\n", line, escapeCell(string(f.Level)),
				escapeCell(f.Rule), escapeCell(f.Message), escapeCell(f.Suggestion))
		}
		budget -= shown
		if shown < len(ffs) {
			fmt.Fprintf(bw, "\n… and %s more in this file.\n", countNoun(len(ffs)-shown, "finding", "findings"))
		}
	}

	if len(clean) > 0 && len(fs) > 0 {
		names := make([]string, 0, min(len(clean), markdownMaxCleanFiles))
		for _, path := range clean[:min(len(clean), markdownMaxCleanFiles)] {
			names = append(names, escapeMarkdown(path))
		}
		line := strings.Join(names, ", ")
		if more := len(clean) - len(names); more > 0 {
			line += fmt.Sprintf(" and %d more", more)
		}
		fmt.Fprintf(bw, "\nNo findings in %s: %s\n", countNoun(len(clean), "file", "files"), line)
	}
	return bw.Flush()
}

// markdownEscaper backslash-escapes the characters that would turn text
// into markup (emphasis, code, links, raw HTML, entities, strikethrough) or
// end a table cell. CommonMark allows a backslash before any ASCII
// punctuation, so the text reads the same once rendered.
var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`,
	`<`, `\<`, `>`, `\>`, `&`, `\&`, `|`, `\|`, `~`, `\~`, `#`, `\#`, `!`, `\!`,
)

// escapeMarkdown makes s literal text on one line.
func escapeMarkdown(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(s)
	return markdownEscaper.Replace(s)
}

// escapeCell makes s literal text inside a table cell; a line break, which
// would end the row, becomes <br>.
func escapeCell(s string) string {
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = markdownEscaper.Replace(l)
	}
	return strings.Join(lines, "<br>")
}
