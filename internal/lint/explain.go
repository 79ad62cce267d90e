package lint

import (
	"sort"
	"strings"
)

// RuleNames returns the names of every rule, sorted.
func RuleNames() []string {
	names := make([]string, len(rules))
	for i, r := range rules {
		names[i] = r.name
	}
	sort.Strings(names)
	return names
}

// Docs returns every rule's documentation keyed by name, for Report.RuleDocs.
func Docs() map[string]RuleDoc {
	m := make(map[string]RuleDoc, len(rules))
	for _, r := range rules {
		m[r.name] = RuleDoc{Name: r.name, Level: r.level, Off: r.off, Summary: r.summary, Explanation: r.explanation}
	}
	return m
}

// Explain returns the text pm lint --explain prints for a rule: its name,
// default level and summary, then why it exists and how to rewrite.
func Explain(name string) (string, bool) {
	r, ok := ruleByName[name]
	if !ok {
		return "", false
	}
	return explainText(RuleDoc{Name: r.name, Level: r.level, Off: r.off, Summary: r.summary, Explanation: r.explanation}), true
}

// explainText lays out a rule's doc as --explain prints it; SARIF's rule
// help is the same text.
func explainText(d RuleDoc) string {
	var b strings.Builder
	if d.Off {
		b.WriteString(d.Name + " (off by default; lint.rules." + d.Name + ": " + string(d.Level) + " turns it on)\n")
	} else {
		b.WriteString(d.Name + " (default level: " + string(d.Level) + ")\n")
	}
	b.WriteString(d.Summary + "\n\n")
	b.WriteString(d.Explanation + "\n")
	return b.String()
}
