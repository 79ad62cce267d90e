package lint

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The reverse of the escaping, as the Actions runner applies it: one pass,
// so an escaped "%250A" comes back as "%0A", not as a newline.
var (
	unescapeGitHubData     = strings.NewReplacer("%0D", "\r", "%0A", "\n", "%25", "%").Replace
	unescapeGitHubProperty = strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%").Replace
)

func TestGitHubEscapingRoundTrips(t *testing.T) {
	for _, s := range []string{
		"", "plain", "50% done", "%0A literal, not a newline", "%25", "a\nb", "a\r\nb", "key: value, other",
		"::error::injected", "ünïcødé 明らか", "%%%", "trailing %",
	} {
		if got := unescapeGitHubData(escapeGitHubData(s)); got != s {
			t.Errorf("data %q round-trips to %q", s, got)
		}
		if got := unescapeGitHubProperty(escapeGitHubProperty(s)); got != s {
			t.Errorf("property %q round-trips to %q", s, got)
		}
		if e := escapeGitHubData(s); strings.ContainsAny(e, "\r\n") {
			t.Errorf("escaped data %q still has a line break", e)
		}
		if e := escapeGitHubProperty(s); strings.ContainsAny(e, "\r\n:,") {
			t.Errorf("escaped property %q still has a line break, ':' or ','", e)
		}
	}
}

var gitHubCommandLine = regexp.MustCompile(`^::(error|warning|notice) ([^:]*)::(.*)$`)

// TestGitHubOutputParses reads the output back the way the runner does and
// checks every annotation carries its finding's place, level and text.
func TestGitHubOutputParses(t *testing.T) {
	r := fixtureReport()
	r.Findings = append(r.Findings, Finding{Path: `odd, name: 100%.md`, Line: 1, Column: 2, Rule: "x", Level: Info,
		Message: "m", Suggestion: "s"})
	want := sortedFindings(r.Findings)
	out := write(t, "github", r)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want one per finding (%d):\n%s", len(lines), len(want), out)
	}
	for i, line := range lines {
		m := gitHubCommandLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("line %q is not a workflow command", line)
		}
		f := want[i]
		if m[1] != gitHubCommand(f.Level) {
			t.Errorf("line %d: command %s for level %s", i, m[1], f.Level)
		}
		props := map[string]string{}
		for _, kv := range strings.Split(m[2], ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				t.Fatalf("line %d: property %q has no '='", i, kv)
			}
			props[k] = unescapeGitHubProperty(v)
		}
		if props["file"] != f.Path {
			t.Errorf("line %d: file = %q, want %q", i, props["file"], f.Path)
		}
		if props["title"] != "pm "+f.Rule {
			t.Errorf("line %d: title = %q", i, props["title"])
		}
		for key, n := range map[string]int{"line": f.Line, "col": f.Column, "endLine": f.EndLine, "endColumn": f.EndColumn} {
			v, ok := props[key]
			if (n > 0 && f.Line > 0) != ok || (ok && v != strconv.Itoa(n)) {
				t.Errorf("line %d: %s = %q (present %v), finding has %d", i, key, v, ok, n)
			}
		}
		msg := unescapeGitHubData(m[3])
		wantMsg := f.Message
		if f.Suggestion != "" {
			wantMsg += "\nsuggestion: " + f.Suggestion
		}
		if msg != wantMsg {
			t.Errorf("line %d: message %q, want %q", i, msg, wantMsg)
		}
	}
}
