package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// readmeTasks is the .vscode/tasks.json the README gives, as users copy it.
func readmeTasks(t *testing.T) (pattern *regexp.Regexp, groups map[string]int) {
	t.Helper()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(string(readme), "```json\n")
	for _, b := range blocks[1:] {
		b = b[:strings.Index(b, "```")]
		if !strings.Contains(b, `"problemMatcher"`) {
			continue
		}
		var tasks struct {
			Tasks []struct {
				ProblemMatcher struct {
					Owner   string
					Pattern map[string]any
				}
			}
		}
		if err := json.Unmarshal([]byte(b), &tasks); err != nil {
			t.Fatalf("the README's tasks.json is not JSON: %v", err)
		}
		p := tasks.Tasks[0].ProblemMatcher.Pattern
		re, err := regexp.Compile(p["regexp"].(string))
		if err != nil {
			t.Fatalf("the problem matcher's regexp: %v", err)
		}
		groups = map[string]int{}
		for _, k := range []string{"file", "line", "column", "severity", "code", "message"} {
			n, ok := p[k].(float64)
			if !ok {
				t.Fatalf("the problem matcher has no %s group", k)
			}
			groups[k] = int(n)
		}
		return re, groups
	}
	t.Fatal("README.md has no tasks.json with a problemMatcher")
	return nil, nil
}

// The README's VS Code problem matcher, run over pm lint's text output of
// findings in every shape (path:line:col, path:line, path; a suggestion
// line under a finding; a path with spaces), reads back exactly what the
// JSON format says, and matches no suggestion line.
func TestVSCodeProblemMatcher(t *testing.T) {
	re, g := readmeTasks(t)
	root := t.TempDir()
	if code, _, stderr := pm(t, root, "pm", "init"); code != 0 {
		t.Fatalf("pm init: %s", stderr)
	}
	files := map[string]string{
		"2026-11-24-api outage.md": "---\nid: 2026-11-24-api outage\ntitle: API\nstatus: resolved\nseverity: SEV2\n" +
			"started: 2026-11-24T09:10:00Z\ndetected: 2026-11-24T09:12:00Z\nmitigated: 2026-11-24T09:30:00Z\n" +
			"resolved: 2026-11-24T10:00:00Z\n---\n\n# API\n\n## Summary\n\nObviously 🔥 it was careless: a 50% drop.\n",
		"notes.md": "no frontmatter here\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(root, "postmortems", name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, text, _ := pm(t, root, "pm", "lint")
	_, js, _ := pm(t, root, "pm", "lint", "--format", "json")
	var report struct {
		Findings []struct {
			Path, Rule, Level, Message, Suggestion string
			Line, Column                           int
		}
	}
	if err := json.Unmarshal([]byte(js), &report); err != nil {
		t.Fatal(err)
	}
	var matched []string
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		m := re.FindStringSubmatch(line)
		if strings.HasPrefix(line, "    ") {
			if m != nil {
				t.Errorf("the matcher takes the continuation line %q for a finding", line)
			}
			continue
		}
		if m == nil {
			t.Errorf("the matcher does not match %q", line)
			continue
		}
		matched = append(matched, line)
		i := len(matched) - 1
		if i >= len(report.Findings) {
			continue
		}
		f := report.Findings[i]
		num := func(s string) int { n, _ := strconv.Atoi(s); return n }
		if m[g["file"]] != f.Path || num(m[g["line"]]) != f.Line || num(m[g["column"]]) != f.Column ||
			m[g["severity"]] != f.Level || m[g["code"]] != f.Rule || m[g["message"]] != strings.Split(f.Message, "\n")[0] {
			t.Errorf("the matcher reads %q as file %q line %q col %q %s %s %q; pm lint --format json says %+v",
				line, m[g["file"]], m[g["line"]], m[g["column"]], m[g["severity"]], m[g["code"]], m[g["message"]], f)
		}
	}
	if len(matched) != len(report.Findings) {
		t.Errorf("%d lines matched, %d findings:\n%s", len(matched), len(report.Findings), text)
	}
	suggested := false
	for _, f := range report.Findings {
		suggested = suggested || f.Suggestion != ""
	}
	if !suggested || len(report.Findings) < 3 {
		t.Errorf("the fixture should give findings with and without a suggestion:\n%s", text)
	}
	// The shorter shapes the text format prints when a column or line is
	// unknown (no rule of pm's gives one today).
	for line, want := range map[string][3]string{
		"postmortems/a b.md: error required-sections: missing": {"postmortems/a b.md", "", ""},
		"postmortems/a.md:3: warning log-order: out of order":  {"postmortems/a.md", "3", ""},
		"a:b.md:3:4: info hindsight: x: y":                     {"a:b.md", "3", "4"},
	} {
		m := re.FindStringSubmatch(line)
		if m == nil || m[g["file"]] != want[0] || m[g["line"]] != want[1] || m[g["column"]] != want[2] {
			t.Errorf("%q: %q, want file, line, column %q", line, m, want)
		}
	}
}
