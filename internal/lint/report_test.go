package lint

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pm-tool/pm/internal/config"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// fixtureReport has a finding of every level, a suggestion, non-ASCII text,
// a path with spaces, a message with % , : and a newline, markdown
// metacharacters, a finding about a whole file (line 0), a rule without a
// doc and a clean file. Findings are out of order on purpose: every printer
// must sort.
func fixtureReport() Report {
	return Report{
		Findings: []Finding{
			{Path: "postmortems/2026-11-24 api outage.md", Line: 12, Column: 1, EndLine: 12, EndColumn: 17,
				Rule: "counterfactual", Level: Warning,
				Message: "should have: 50% of hosts, then the rest,\nis a counterfactual"},
			{Path: "postmortems/2026-11-24 api outage.md", Line: 3, Column: 5, EndLine: 3, EndColumn: 13,
				Rule: "blame-words", Level: Error,
				Message:    "“careless” judges a person | say *what* happened",
				Suggestion: "the change was deployed without a `review` step"},
			{Path: "postmortems/2026-11-17-überlast.md", Line: 7, Column: 9, EndLine: 7, EndColumn: 23,
				Rule: "hindsight-words", Level: Info,
				Message:    "„offensichtlich“ (明らか) is hindsight: it was not obvious then",
				Suggestion: "describe what the responders knew at 09:12"},
			{Path: "postmortems/2026-11-17-überlast.md", Line: 0, Rule: "required-sections", Level: Error,
				Message: "missing sections: Impact, Timeline (add them, or set lint.required_sections in .pm.yml)"},
			{Path: "postmortems/2026-11-17-überlast.md", Line: 2, Column: 1, Rule: "frontmatter", Level: Warning,
				Message: `severity "SEV9" is not one of SEV1..SEV4 <set severities in .pm.yml>`},
		},
		Files: []string{
			"postmortems/2026-11-17-überlast.md",
			"postmortems/2026-11-20-clean_one.md",
			"postmortems/2026-11-24 api outage.md",
		},
		RuleDocs: map[string]RuleDoc{
			"blame-words": {Name: "blame-words", Level: Error, Summary: "Blame and judgement words",
				Explanation: "Words that judge people make them defend themselves instead of explaining. Say what happened."},
			"counterfactual": {Name: "counterfactual", Level: Warning, Summary: "Counterfactuals such as \"should have\"",
				Explanation: "Counterfactuals describe a world that did not happen. Describe what people saw and did."},
			"hindsight-words": {Name: "hindsight-words", Level: Info, Summary: "Hindsight minimisers such as \"obviously\""},
			"required-sections": {Name: "required-sections", Level: Error, Summary: "Sections a resolved incident needs",
				Explanation: "A resolved incident needs Summary, Impact, Timeline, Contributing factors and Action items."},
			"person-as-cause": {Name: "person-as-cause", Level: "off", Summary: "A person as the cause of a failure"},
		},
	}
}

var goldenExt = map[string]string{
	"text": "txt", "json": "json", "github": "github", "sarif": "sarif", "markdown": "md",
}

func writeReport(t *testing.T, format string, r Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, format, r); err != nil {
		t.Fatalf("Write(%s): %v", format, err)
	}
	return b.String()
}

// checkGolden compares got with testdata/golden/name, or rewrites it with
// -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/lint -run Golden -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (rerun with -update if the change is intended)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestWriteGolden(t *testing.T) {
	for _, format := range Formats {
		for name, r := range map[string]Report{"report": fixtureReport(), "empty": {}} {
			t.Run(format+"/"+name, func(t *testing.T) {
				checkGolden(t, name+"."+goldenExt[format], writeReport(t, format, r))
			})
		}
	}
}

func TestWriteIsDeterministic(t *testing.T) {
	r := fixtureReport()
	shuffled := fixtureReport()
	slices.Reverse(shuffled.Findings)
	slices.Reverse(shuffled.Files)
	for _, format := range Formats {
		a, b := writeReport(t, format, r), writeReport(t, format, shuffled)
		if a != b {
			t.Errorf("%s: output depends on the order of the findings\n%s\n---\n%s", format, a, b)
		}
		if again := writeReport(t, format, r); again != a {
			t.Errorf("%s: two runs differ", format)
		}
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	var b bytes.Buffer
	err := Write(&b, "xml", fixtureReport())
	if !errors.Is(err, ErrUnknownFormat) {
		t.Fatalf("Write(xml) = %v, want ErrUnknownFormat", err)
	}
	for _, f := range Formats {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not list format %s", err, f)
		}
	}
	if b.Len() != 0 {
		t.Errorf("Write(xml) wrote %q", b.String())
	}
}

func TestEveryFormatHasAGoldenExtension(t *testing.T) {
	for _, f := range Formats {
		if goldenExt[f] == "" {
			t.Errorf("format %s has no golden file extension", f)
		}
	}
}

func TestCountsPhrase(t *testing.T) {
	for _, tc := range []struct {
		c    levelCounts
		want string
	}{
		{levelCounts{}, "no findings"},
		{levelCounts{1, 0, 0}, "1 error"},
		{levelCounts{2, 1, 0}, "2 errors, 1 warning"},
		{levelCounts{0, 3, 1}, "3 warnings, 1 info"},
		{levelCounts{0, 0, 2}, "2 info"},
	} {
		if got := tc.c.phrase(); got != tc.want {
			t.Errorf("%+v.phrase() = %q, want %q", tc.c, got, tc.want)
		}
	}
}

// TestLanguageGolden pins the message and suggestion of every language
// rule on testdata/golden/language.md: they quote the sentence and offer a
// rewrite of it, so a change to them shows in review.
func TestLanguageGolden(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "golden", "language.md"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.DefaultConfig()
	cfg.Lint.Rules = map[string]string{"hindsight": "info"} // off by default
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	seen := map[string]bool{}
	for _, f := range e.Lint("language.md", src) {
		if !slices.Contains(languageRules, f.Rule) {
			continue
		}
		seen[f.Rule] = true
		fmt.Fprintf(&b, "%d:%d %s %s: %s\n    suggestion: %s\n", f.Line, f.Column, f.Level, f.Rule, f.Message, f.Suggestion)
	}
	for _, r := range languageRules {
		if !seen[r] {
			t.Errorf("language.md has no finding of %s", r)
		}
	}
	checkGolden(t, "language.txt", b.String())
}
