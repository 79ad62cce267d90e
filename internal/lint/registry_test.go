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
