package lint

import (
	"fmt"

	"github.com/pm-tool/pm/internal/incident"
)

// check is what a row of the rule table runs: one pass over a file that
// reports the findings of its rule. Rules that are found in one pass (the
// word lists) share one check; Engine.Lint runs each check once a file, if
// any of its rules is on.
//
// A check reports through file.add and leaves Finding.Level empty: the
// engine gives a finding its rule's default level from the table, or the
// one .pm.yml sets. A check sets a level only where a finding is milder
// than its rule (a frontmatter key that looks misspelt is a warning).
//
// A check must not use the table itself (rules, ruleByName): the table
// holds the checks, so Go would find an initialization cycle. What a check
// needs of its rule it reads through file.e.info.
type check struct {
	run func(f *file)
}

// checkOf makes the check of one rule.
func checkOf(run func(f *file)) *check { return &check{run: run} }

// file is one file as the checks read it: its scan, its parsed document,
// and where findings go. What several checks need is computed on first
// use.
type file struct {
	e   *Engine
	s   *scan
	d   *incident.Doc // nil when the file does not parse
	sc  *scratch
	add func(Finding)

	ms     []misleveled // see misleveledHeadings
	msDone bool
	toks   []token // the words of the prose; see tokenize
	tDone  bool
	lw     lazyWords
}

// parsed reports whether the file parsed as an incident: the rules that
// read the document need it.
func (f *file) parsed() bool { return f.d != nil }

// hasFrontmatter reports whether the file parsed and has a frontmatter:
// without one the rules that read the status and times have nothing to
// read (the frontmatter rule reports it).
func (f *file) hasFrontmatter() bool { return f.d != nil && f.s.fmOpen != 0 }

// postMortem reports whether the incident is over, so that its
// post-mortem must be complete: sections written, placeholders gone,
// action items present.
func (f *file) postMortem() bool { return f.hasFrontmatter() && done(f.d.Meta.Status) }

// misleveled returns the headings that name a known section at another
// level (misleveledHeadings), computed once.
func (f *file) misleveled() []misleveled {
	if !f.msDone {
		f.ms, f.msDone = f.e.misleveledHeadings(f.s, f.d), true
	}
	return f.ms
}

// tokens returns the words of the prose (tokenize), computed once.
func (f *file) tokens() []token {
	if !f.tDone {
		f.toks, f.tDone = tokenize(f.s, f.sc), true
	}
	return f.toks
}

// keyLine is the line of a frontmatter key, or the closing --- when the
// key is missing.
func (f *file) keyLine(k string) int {
	if n, ok := f.d.Meta.Lines[k]; ok {
		return n
	}
	return f.s.fmClose
}

// top is where findings about the whole document point: the title, or the
// first line after the frontmatter.
func (f *file) top() int {
	if f.s.title != 0 {
		return f.s.title
	}
	return min(max(f.s.fmClose+1, 1), f.s.numLines())
}

// at reports a finding of rule at the first non-blank character of line
// (column 1 for a line outside the file), with the rule's level.
func (f *file) at(rule string, line int, format string, args ...any) {
	f.atLevel("", rule, line, format, args...)
}

// atLevel is at with a level of its own: "" for the rule's, or a milder
// one.
func (f *file) atLevel(level Level, rule string, line int, format string, args ...any) {
	f.atSuggesting(level, rule, line, "", format, args...)
}

// atSuggesting is atLevel with a suggested rewrite of the line.
func (f *file) atSuggesting(level Level, rule string, line int, suggestion, format string, args ...any) {
	s := f.s
	col := 1
	if line >= 1 && line <= s.numLines() {
		a, _ := s.lineRange(line)
		l := s.line(line)
		_, rest := indentOf(l)
		col = s.col(line, a+len(l)-len(rest))
	}
	f.add(Finding{Line: line, Column: col, Rule: rule, Level: level, Message: fmt.Sprintf(format, args...), Suggestion: suggestion})
}
