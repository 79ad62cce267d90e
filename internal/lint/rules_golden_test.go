package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pm-tool/pm/internal/config"
)

// TestRuleGolden pins the exact message and suggestion of every rule pm
// lint has: testdata/rules/RULE.md is a small incident that triggers RULE,
// and testdata/golden/rules/RULE.txt holds that file's findings of RULE,
// one "line:col rule level message" line each with its suggestion under
// it. A reworded message shows in review as a golden diff; a rule added
// without a case fails here. Regenerate with
//
//	go test ./internal/lint -run RuleGolden -update
//
// and read every changed file: the messages are English for a person.
func TestRuleGolden(t *testing.T) {
	cfg := config.DefaultConfig()
	cfg.Lint.Rules = map[string]string{}
	for _, r := range rules {
		if r.off { // the rules off by default get their default level
			cfg.Lint.Rules[r.name] = string(r.level)
		}
	}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, rule := range RuleNames() {
		t.Run(rule, func(t *testing.T) {
			input := "testdata/rules/" + rule + ".md"
			src, err := os.ReadFile(filepath.FromSlash(input))
			if err != nil {
				t.Fatalf("%v: every rule needs an incident that triggers it", err)
			}
			checkGolden(t, "rules/"+rule+".txt", ruleGoldenText(t, e, rule, input, src))
		})
	}
}

// ruleGoldenText lints src as input and lays out its findings of rule.
func ruleGoldenText(t *testing.T, e *Engine, rule, input string, src []byte) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "input: %s\n", input)
	n := 0
	for _, f := range e.Lint(input, src) {
		if f.Rule != rule {
			continue
		}
		n++
		if f.Path != input || f.Message == "" || f.Level == "" {
			t.Errorf("incomplete finding %+v", f)
		}
		suggestion := f.Suggestion
		if suggestion == "" {
			suggestion = "(none)"
		}
		fmt.Fprintf(&b, "%d:%d %s %s %s\n  suggestion: %s\n", f.Line, f.Column, f.Rule, f.Level, f.Message, suggestion)
	}
	if n == 0 {
		t.Errorf("%s has no finding of %s", input, rule)
	}
	return b.String()
}

// TestRuleGoldenCoversEveryRule holds the inputs and the golden files to
// the registered rules: one of each per rule, none for a rule pm does not
// have (a renamed or deleted rule leaves no stale case behind).
func TestRuleGoldenCoversEveryRule(t *testing.T) {
	for _, dir := range []struct{ path, ext string }{
		{filepath.Join("testdata", "rules"), ".md"},
		{filepath.Join("testdata", "golden", "rules"), ".txt"},
	} {
		entries, err := os.ReadDir(dir.path)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, en := range entries {
			name, ok := strings.CutSuffix(en.Name(), dir.ext)
			if !ok || en.IsDir() {
				t.Errorf("%s: %s is not a RULE%s file", dir.path, en.Name(), dir.ext)
				continue
			}
			got = append(got, name)
		}
		want := RuleNames()
		for _, r := range want {
			if !slices.Contains(got, r) {
				t.Errorf("%s has no %s%s: every rule needs a golden case (write the input, then run go test ./internal/lint -run RuleGolden -update)", dir.path, r, dir.ext)
			}
		}
		for _, r := range got {
			if !slices.Contains(want, r) {
				t.Errorf("%s holds %s%s, but pm has no rule %s", dir.path, r, dir.ext, r)
			}
		}
	}
}
