package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pm-tool/pm/internal/config"
)

// Suppression comments (HTML comments, so they do not show on GitHub):
//
//	<!-- pm-lint-disable RULE[, RULE] -->     from this line until pm-lint-enable
//	<!-- pm-lint-enable RULE[, RULE] -->
//	<!-- pm-lint-disable-next-line RULE -->   the line after the comment only
//
// Without a rule name they apply to every rule. A pm-lint-disable before
// the first content of the body (the title, usually) covers the whole file,
// frontmatter included, so file-level findings can be silenced too.
// Comments inside code blocks and spans are text, not directives.

type directiveKind uint8

const (
	disable directiveKind = iota
	enable
	disableNextLine
)

// suppression is a parsed directive.
type suppression struct {
	kind  directiveKind
	from  int      // first line it applies to (disable, enable)
	next  int      // the line it covers (disable-next-line)
	rules []string // empty: every rule
}

func (d suppression) covers(rule string) bool {
	return len(d.rules) == 0 || slices.Contains(d.rules, rule)
}

// parseSuppressions reads the directives of a file; names that are not
// rules are reported through add as unknown-rule findings.
func parseSuppressions(s *scan, add func(Finding)) []suppression {
	var out []suppression
	for _, d := range s.directives {
		verb, args, _ := strings.Cut(d.text, " ")
		var kind directiveKind
		switch verb {
		case "pm-lint-disable":
			kind = disable
		case "pm-lint-enable":
			kind = enable
		case "pm-lint-disable-next-line":
			kind = disableNextLine
		default:
			add(Finding{Line: d.line, Column: d.col, Rule: "unknown-rule",
				Message: fmt.Sprintf("unknown comment %q: use pm-lint-disable, pm-lint-enable or pm-lint-disable-next-line", verb)})
			continue
		}
		sp := suppression{kind: kind, from: d.line, next: d.endLine + 1}
		if kind == disable && (s.firstContent == 0 || d.line < s.firstContent) {
			sp.from = 1
		}
		named := false
		for _, name := range strings.FieldsFunc(args, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
			named = true
			if _, ok := ruleByName[name]; !ok {
				hint := ""
				if c := config.Closest(name, RuleNames()); c != "" {
					hint = fmt.Sprintf("did you mean %q? ", c)
				}
				add(Finding{Line: d.line, Column: d.col, Rule: "unknown-rule",
					Message: fmt.Sprintf("unknown rule %q in %s: it suppresses nothing (%ssee pm lint --explain for the rules)", name, verb, hint)})
				continue
			}
			sp.rules = append(sp.rules, name)
		}
		if named && len(sp.rules) == 0 {
			continue // only unknown names: suppress nothing rather than everything
		}
		out = append(out, sp)
	}
	slices.SortStableFunc(out, func(a, b suppression) int { return a.from - b.from })
	return out
}

// suppressed reports whether a finding of rule at line is silenced.
func suppressed(sups []suppression, line int, rule string) bool {
	off := false
	for _, d := range sups {
		if d.kind == disableNextLine {
			if d.next == line && d.covers(rule) {
				return true
			}
			continue
		}
		if d.from > line {
			continue
		}
		if d.covers(rule) {
			off = d.kind == disable
		}
	}
	return off
}
