package lint

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Formats are the output formats Write knows, in the order help lists them
// (DESIGN §5). Each one lives in its own file, as golangci-lint's printers do,
// so a new format is a new file and a line in Write.
var Formats = []string{"text", "json", "github", "sarif", "markdown"}

// ErrUnknownFormat is wrapped by Write's error for a format it does not know,
// so the command line can tell bad usage (exit 2) from a failed write.
var ErrUnknownFormat = errors.New("unknown format")

// Write prints r to w in format, one of Formats. Machine formats print
// nothing but the report; summaries for people belong on stderr, which is
// the caller's business.
func Write(w io.Writer, format string, r Report) error {
	var p interface{ Print(Report) error }
	switch format {
	case "text":
		p = newTextPrinter(w)
	case "json":
		p = newJSONPrinter(w)
	case "github":
		p = newGitHubPrinter(w)
	case "sarif":
		p = newSARIFPrinter(w)
	case "markdown":
		p = newMarkdownPrinter(w)
	default:
		return fmt.Errorf("%w %q: use one of %s", ErrUnknownFormat, format, strings.Join(Formats, ", "))
	}
	return p.Print(r)
}

// sortedFindings returns a sorted copy of fs. The engine already sorts, but
// every printer must be deterministic on its own: vale printed in whatever
// order its goroutines finished until asked to sort.
func sortedFindings(fs []Finding) []Finding {
	out := slices.Clone(fs)
	sortFindings(out)
	return out
}

// sortFindings is the one order of findings, the engine's and every
// printer's: by file, line, column, rule, then message.
func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column),
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Message, b.Message),
		)
	})
}

// lintedFiles is every file of the run, sorted and unique: the files the
// engine listed plus any a finding names, so a report that forgot a file
// still counts it.
func lintedFiles(r Report) []string {
	files := slices.Clone(r.Files)
	for _, f := range r.Findings {
		files = append(files, f.Path)
	}
	slices.Sort(files)
	return slices.Compact(files)
}

// levelCounts is the number of findings at each level.
type levelCounts struct{ errors, warnings, infos int }

func countLevels(fs []Finding) levelCounts {
	var c levelCounts
	for _, f := range fs {
		switch f.Level {
		case Error:
			c.errors++
		case Warning:
			c.warnings++
		case Info:
			c.infos++
		}
	}
	return c
}

// phrase says the counts for people: "2 errors, 1 warning", leaving out
// levels with none; "no findings" when all are zero.
func (c levelCounts) phrase() string {
	var parts []string
	if c.errors > 0 {
		parts = append(parts, countNoun(c.errors, "error", "errors"))
	}
	if c.warnings > 0 {
		parts = append(parts, countNoun(c.warnings, "warning", "warnings"))
	}
	if c.infos > 0 {
		parts = append(parts, countNoun(c.infos, "info", "info"))
	}
	if len(parts) == 0 {
		return "no findings"
	}
	return strings.Join(parts, ", ")
}

func countNoun(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
