package lint

import (
	"io/fs"
	"strings"
	"testing"
)

// TestRuleExplanations makes sure every rule has its explain/NAME.txt and
// every file there belongs to a rule.
func TestRuleExplanations(t *testing.T) {
	for _, r := range rules {
		if strings.TrimSpace(r.explanation) == "" {
			t.Errorf("rule %s has no explanation: write explain/%s.txt", r.name, r.name)
		}
	}
	files, err := fs.Glob(explanations, "explain/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "explain/"), ".txt")
		if _, ok := ruleByName[name]; !ok || !strings.HasSuffix(f, ".txt") {
			t.Errorf("%s explains no rule", f)
		}
	}
}

// TestRuleChecks makes sure every rule has a check, but for the two the
// engine reports itself, and that a check shared by several rules runs
// once a file.
func TestRuleChecks(t *testing.T) {
	for _, r := range rules {
		if self := r.name == "parse" || r.name == "unknown-rule"; self != (r.check == nil) {
			t.Errorf("rule %s: check %v; only parse and unknown-rule are reported without one", r.name, r.check)
		}
	}
	e, err := New(everyRuleOn())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[*check]bool{}
	for _, c := range e.checks {
		if seen[c] {
			t.Errorf("a check runs twice a file")
		}
		seen[c] = true
	}
	if want := len(rules) - 2 - 3; len(e.checks) != want { // the four word-list rules share one
		t.Errorf("%d checks run with every rule on, want %d", len(e.checks), want)
	}
}
