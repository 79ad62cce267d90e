package lint

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// textPrinter prints one finding a line, `path:line:col: level rule:
// message`, the shape editors and grep already understand. A suggested
// rewrite follows on an indented line, so the first line stays parseable.
type textPrinter struct{ w io.Writer }

func newTextPrinter(w io.Writer) *textPrinter { return &textPrinter{w: w} }

// Print writes the findings and nothing else: the summary is chatter for
// stderr, printed by the command.
func (p *textPrinter) Print(r Report) error {
	bw := bufio.NewWriter(p.w)
	for _, f := range sortedFindings(r.Findings) {
		fmt.Fprintf(bw, "%s: %s %s: %s\n", textPosition(f), f.Level, f.Rule, indentLines(f.Message))
		if f.Suggestion != "" {
			fmt.Fprintf(bw, "    suggestion: %s\n", indentLines(f.Suggestion))
		}
	}
	return bw.Flush()
}

// textPosition is `path:line:col`, shortened to `path:line` or `path` when the
// column or line is unknown (0), so nothing points at a place that is not
// there.
func textPosition(f Finding) string {
	switch {
	case f.Line <= 0:
		return f.Path
	case f.Column <= 0:
		return fmt.Sprintf("%s:%d", f.Path, f.Line)
	}
	return fmt.Sprintf("%s:%d:%d", f.Path, f.Line, f.Column)
}

// indentLines keeps a multi-line text under its finding: every line after
// the first is indented, so no line of it can be mistaken for a finding.
func indentLines(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.ReplaceAll(s, "\n", "\n    ")
}
