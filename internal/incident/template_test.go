package incident

import (
	"bytes"
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/pm-tool/pm/templates"
)

// hostileTitles are titles that break naive YAML or template rendering.
var hostileTitles = []string{
	"API returns 502 for all requests",
	"API: 502s",
	`"quoted" title`,
	`He said "roll back"`,
	"'single' quotes",
	"it's down",
	"# not a heading",
	"cache #3 evicted",
	"cache # comment?",
	"- leading dash",
	"-leading dash no space",
	"? question",
	"ünïcødé 日本語 🔥 outage",
	"{{.ID}} braces {{ end }}",
	"[bracket] and {brace}",
	"a, b and c",
	"yes", "No", "off", "null", "~", "true",
	"2026", "1.5", "0x1F", "1_000", "1:20", ".inf",
	"2026-11-24", "2026-11-24 09:10:00",
	"*alias", "&anchor", "!tag", "%percent", "@handle down", "`backtick`", "|pipe", ">folded",
	" leading and trailing spaces ",
	"tab\tinside",
	"back\\slash",
	"line\nbreak",
	"nul\x00byte",
	"bell\x07 and del\x7f",
	"bom\ufeffinside",
	"line\u2028separator and nel\u0085",
	"nbsp\u00a0space",
	"invalid \xff utf-8",
	"key: value # comment",
	"ends with colon:",
	strings.Repeat("long title ", 30),
}

func sampleData(title string) TemplateData {
	return TemplateData{
		ID:        "2026-11-24-api-returns-502",
		Title:     title,
		Status:    "investigating",
		Severity:  "SEV2",
		Commander: "alice",
		Started:   time.Date(2026, 11, 24, 9, 10, 0, 0, time.UTC),
		Detected:  time.Date(2026, 11, 24, 10, 12, 0, 0, time.FixedZone("CET", 3600)),
		Services:  []string{"api", "edge proxy", "db: primary", "[eu]", ""},
		Tags:      []string{"config", "yes", "2026"},
		Authors:   []string{"alice", "@bob"},
	}
}

// frontmatter returns the YAML between the opening and closing --- lines.
func frontmatter(t *testing.T, out []byte) []byte {
	t.Helper()
	s := string(out)
	if !strings.HasPrefix(s, "---\n") {
		t.Fatalf("output does not start with ---:\n%s", s)
	}
	end := strings.Index(s, "\n---\n")
	if end < 0 {
		t.Fatalf("no closing ---:\n%s", s)
	}
	return out[4 : end+1]
}

func embeddedTemplates(t *testing.T) map[string][]byte {
	t.Helper()
	names, err := fs.Glob(templates.FS, "incident/*.md")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, n := range names {
		src, err := fs.ReadFile(templates.FS, n)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimSuffix(strings.TrimPrefix(n, "incident/"), ".md")] = src
	}
	for _, want := range []string{"default", "sre", "minimal"} {
		if out[want] == nil {
			t.Errorf("embedded template %q is missing (have %v)", want, names)
		}
	}
	return out
}

func TestEmbeddedTemplatesFrontmatter(t *testing.T) {
	type meta struct {
		ID        string     `yaml:"id"`
		Title     string     `yaml:"title"`
		Status    string     `yaml:"status"`
		Severity  string     `yaml:"severity"`
		Started   time.Time  `yaml:"started"`
		Detected  time.Time  `yaml:"detected"`
		Mitigated *time.Time `yaml:"mitigated"`
		Resolved  *time.Time `yaml:"resolved"`
		Commander string     `yaml:"commander"`
		Authors   []string   `yaml:"authors"`
		Services  []string   `yaml:"services"`
		Tags      []string   `yaml:"tags"`
	}
	wantKeys := []string{"id", "title", "status", "severity", "started", "detected", "mitigated",
		"resolved", "commander", "authors", "services", "tags"}
	for name, src := range embeddedTemplates(t) {
		for _, title := range hostileTitles {
			d := sampleData(title)
			out, err := ExecuteTemplate(name, src, d)
			if err != nil {
				t.Fatalf("%s: ExecuteTemplate(%q): %v", name, title, err)
			}
			fm := frontmatter(t, out)
			var got meta
			if err := yaml.Unmarshal(fm, &got); err != nil {
				t.Fatalf("%s: title %q: frontmatter is not valid YAML: %v\n%s", name, title, err, fm)
			}
			want := meta{
				ID: d.ID, Title: strings.ToValidUTF8(title, "\ufffd"), Status: d.Status, Severity: d.Severity,
				Started: d.Started, Detected: d.Detected.UTC(), Commander: d.Commander,
				Authors: d.Authors, Services: d.Services, Tags: d.Tags,
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: title %q:\ngot  %+v\nwant %+v\n%s", name, title, got, want, fm)
			}
			var doc yaml.Node
			if err := yaml.Unmarshal(fm, &doc); err != nil {
				t.Fatal(err)
			}
			var keys []string
			for i := 0; i < len(doc.Content[0].Content); i += 2 {
				keys = append(keys, doc.Content[0].Content[i].Value)
			}
			if !slices.Equal(keys, wantKeys) {
				t.Errorf("%s: frontmatter keys %v, want %v", name, keys, wantKeys)
			}
			for i, line := range strings.Split(string(fm), "\n") {
				if strings.TrimRight(line, " \t") != line {
					t.Errorf("%s: title %q: frontmatter line %d has trailing blanks: %q", name, title, i+2, line)
				}
			}
		}
	}
}

func TestEmbeddedTemplatesEmptyValues(t *testing.T) {
	for name, src := range embeddedTemplates(t) {
		out, err := ExecuteTemplate(name, src, TemplateData{ID: "INC-0001", Title: "t", Status: "investigating", Severity: "SEV3"})
		if err != nil {
			t.Fatal(err)
		}
		fm := frontmatter(t, out)
		var got map[string]any
		if err := yaml.Unmarshal(fm, &got); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, fm)
		}
		for _, k := range []string{"started", "detected", "mitigated", "resolved", "commander"} {
			if v, ok := got[k]; !ok || v != nil {
				t.Errorf("%s: %s = %#v, want empty", name, k, v)
			}
		}
		for _, k := range []string{"authors", "services", "tags"} {
			if v, ok := got[k].([]any); !ok || len(v) != 0 {
				t.Errorf("%s: %s = %#v, want []", name, k, got[k])
			}
		}
		for _, line := range strings.Split(string(out), "\n") {
			if strings.TrimRight(line, " \t") != line {
				t.Errorf("%s: trailing blanks in %q", name, line)
			}
		}
		if !bytes.Contains(out, []byte("\ncommander:\n")) {
			t.Errorf("%s: want a bare \"commander:\" line:\n%s", name, fm)
		}
	}
}

// TestEmbeddedTemplatesBody checks the markdown: the title heading, the
// sections in order, and one _TODO:_ hint under every section but the
// investigation log, which pm fills.
func TestEmbeddedTemplatesBody(t *testing.T) {
	wantSections := map[string][]string{
		"default": {"## Summary", "## Impact", "## Investigation log", "## Timeline", "## Contributing factors",
			"## Action items", "## Lessons learned"},
		"sre": {"## Summary", "## Impact", "## Root causes", "## Trigger", "## Resolution", "## Detection",
			"## Investigation log", "## Action items", "## Lessons learned", "### What went well",
			"### What went wrong", "### Where we got lucky", "## Timeline", "## Supporting information"},
		"minimal": {"## Summary", "## Investigation log", "## Action items"},
	}
	for name, src := range embeddedTemplates(t) {
		if !bytes.HasSuffix(src, []byte("\n")) || bytes.HasSuffix(src, []byte("\n\n")) {
			t.Errorf("%s: must end with exactly one newline", name)
		}
		out, err := ExecuteTemplate(name, src, sampleData("API: 502s"))
		if err != nil {
			t.Fatal(err)
		}
		body := string(out[len(frontmatter(t, out))+8:])
		lines := strings.Split(strings.TrimSuffix(body, "\n"), "\n")
		if lines[0] != "" || lines[1] != "# API: 502s" {
			t.Errorf("%s: body starts %q, want a blank line and the title heading", name, lines[:2])
		}
		var sections []string
		hints := map[string]int{}
		cur := ""
		for _, l := range lines[2:] {
			switch {
			case strings.HasPrefix(l, "#"):
				cur = l
				sections = append(sections, l)
			case strings.HasPrefix(l, "_TODO:"):
				hints[cur]++
				if !strings.HasSuffix(l, "_") || len(l) < 30 {
					t.Errorf("%s: hint under %s is not one emphasised line: %q", name, cur, l)
				}
			case strings.TrimSpace(l) != "":
				t.Errorf("%s: unexpected line under %s: %q", name, cur, l)
			}
			if strings.TrimRight(l, " \t") != l {
				t.Errorf("%s: trailing blanks: %q", name, l)
			}
		}
		if want, ok := wantSections[name]; ok && !slices.Equal(sections, want) {
			t.Errorf("%s: sections\n%q\nwant\n%q", name, sections, want)
		}
		for i, s := range sections {
			hasSub := i+1 < len(sections) && strings.HasPrefix(sections[i+1], "### ") && strings.HasPrefix(s, "## ")
			want := 1
			if s == "## Investigation log" || hasSub {
				want = 0
			}
			if hints[s] != want {
				t.Errorf("%s: %d hints under %s, want %d", name, hints[s], s, want)
			}
		}
		if !strings.Contains(body, "pm action") {
			t.Errorf("%s: the action items hint should show pm action", name)
		}
	}
}

func TestYAMLValue(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{"api", "api"},
		{"API returns 502 for all requests", "API returns 502 for all requests"},
		{"API: 502s", `"API: 502s"`},
		{"cache#3", "cache#3"},
		{"cache #3", `"cache #3"`},
		{"- dash", `"- dash"`},
		{"yes", `"yes"`},
		{"2026", `"2026"`},
		{"a, b", "a, b"},
		{`say "hi"`, `say "hi"`},
		{`"hi"`, `"\"hi\""`},
		{"a\nb", `"a\nb"`},
		{"bell\x07", `"bell\x07"`},
		{"ünïcødé 🔥", "ünïcødé 🔥"},
		{"", ""},
		{[]string(nil), "[]"},
		{[]string{}, "[]"},
		{[]string{"api", "nginx"}, "[api, nginx]"},
		{[]string{"a, b", "edge proxy", "[x]", "", "yes"}, `["a, b", edge proxy, "[x]", "", "yes"]`},
	}
	for _, tt := range tests {
		got, err := yamlValue(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("yaml(%#v) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if _, err := yamlValue(42); err == nil {
		t.Error("yaml(42): want an error")
	}
}

func TestTimeFunc(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	if got := rfc3339(time.Date(2026, 11, 24, 10, 12, 3, 500, paris)); got != "2026-11-24T09:12:03Z" {
		t.Errorf("time = %q", got)
	}
	if got := rfc3339(time.Time{}); got != "" {
		t.Errorf("zero time = %q", got)
	}
}

func TestExecuteTemplateErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"{{.Nope}}", "x:1:2: executing \"x\" at <.Nope>: can't evaluate field Nope"},
		{"{{if}}", "x:1: missing value for if"},
		{"{{yaml 3}}", "yaml: cannot render a int"},
	}
	for _, tt := range tests {
		_, err := ExecuteTemplate("x", []byte(tt.src), TemplateData{})
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.HasPrefix(err.Error(), "template:") {
			t.Errorf("ExecuteTemplate(%q) error = %v, want it to contain %q", tt.src, err, tt.want)
		}
	}
}

func TestTrimEmptyValues(t *testing.T) {
	in := "---\na: \nb: x \nc:\t\r\nd: # k\n---\ne: \n"
	want := "---\na:\nb: x \nc:\r\nd: # k\n---\ne: \n"
	if got := string(trimEmptyValues([]byte(in))); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := string(trimEmptyValues([]byte("no: \nfrontmatter\n"))); got != "no: \nfrontmatter\n" {
		t.Errorf("without frontmatter got %q", got)
	}
}

// FuzzYAMLValue checks that whatever yaml renders reads back as the same
// value, as a map value followed by a comment and as a flow list item.
func FuzzYAMLValue(f *testing.F) {
	for _, s := range hostileTitles {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.ToValidUTF8(s, "\ufffd")
		v, _ := yamlValue(s)
		var m map[string]string
		if err := yaml.Unmarshal([]byte("k: "+v+"  # c\n"), &m); err != nil {
			t.Fatalf("yaml(%q) = %s: %v", s, v, err)
		}
		if m["k"] != want {
			t.Fatalf("yaml(%q) = %s reads back as %q", s, v, m["k"])
		}
		l, _ := yamlValue([]string{s, s})
		var got struct{ K []string }
		if err := yaml.Unmarshal([]byte("k: "+l+"  # c\n"), &got); err != nil {
			t.Fatalf("yaml([%q]) = %s: %v", s, l, err)
		}
		if !slices.Equal(got.K, []string{want, want}) {
			t.Fatalf("yaml([%q]) = %s reads back as %q", s, l, got.K)
		}
	})
}
