package lint

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	htmlpkg "html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/yuin/goldmark"

	"github.com/pm-tool/pm/internal/config"
)

// noNetwork refuses every URL the schema compiler did not get from us: the
// test must never fetch anything. Meta-schemas (draft-04 here) are bundled
// in the library and need no loader.
type noNetwork struct{}

func (noNetwork) Load(url string) (any, error) {
	return nil, errors.New("refusing to load " + url + ": tests do not use the network")
}

// sarifSchemaValidator compiles the published SARIF 2.1.0 schema (OASIS,
// errata 01, from the oasis-tcs/sarif-spec repository) kept in testdata.
func sarifSchemaValidator(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(noNetwork{})
	c.AssertFormat() // uri-reference and friends are checked, not just noted
	const loc = "file:///sarif-schema-2.1.0.json"
	if err := c.AddResource(loc, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(loc)
	if err != nil {
		t.Fatalf("compile the SARIF schema: %v", err)
	}
	return sch
}

func TestSARIFValidatesAgainstTheSchema(t *testing.T) {
	sch := sarifSchemaValidator(t)
	odd := Report{Findings: []Finding{
		{Path: "a: b/c%d #e?.md", Line: 1, Column: 1, Rule: "undocumented", Level: "strange", Message: "m"},
		{Path: "x.md", Line: 5, Column: 0, EndLine: 4, EndColumn: 3, Rule: "r", Level: Info, Message: ""},
	}}
	for name, r := range map[string]Report{"fixture": fixtureReport(), "empty": {}, "odd": odd} {
		t.Run(name, func(t *testing.T) {
			out := writeReport(t, "sarif", r)
			inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(inst); err != nil {
				t.Errorf("SARIF output is not valid 2.1.0: %v\n%s", err, out)
			}
		})
	}
}

// The schema check must be able to fail, on the traps SARIF writers fall
// into: a result without a message, a column 0, results set to null.
func TestSARIFSchemaCatchesInvalidOutput(t *testing.T) {
	sch := sarifSchemaValidator(t)
	const run = `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"pm"}},"results":%s}]}`
	for name, results := range map[string]string{
		"no message": `[{"ruleId":"r"}]`,
		"column 0": `[{"message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.md"},` +
			`"region":{"startLine":1,"startColumn":0}}}]}]`,
		"null results": `null`,
	} {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(fmt.Sprintf(run, results)))
		if err != nil {
			t.Fatal(err)
		}
		if sch.Validate(inst) == nil {
			t.Errorf("%s: the schema accepted it", name)
		}
	}
}

type sarifCheck struct {
	Runs []struct {
		ColumnKind string `json:"columnKind"`
		Tool       struct {
			Driver struct {
				Rules []struct {
					ID string `json:"id"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region *struct {
						StartLine   int `json:"startLine"`
						StartColumn int `json:"startColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
		} `json:"results"`
	} `json:"runs"`
}

func TestSARIFResults(t *testing.T) {
	r := fixtureReport()
	var got sarifCheck
	if err := json.Unmarshal([]byte(writeReport(t, "sarif", r)), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(got.Runs))
	}
	run := got.Runs[0]
	if run.ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind = %q; pm counts characters", run.ColumnKind)
	}
	want := sortedFindings(r.Findings)
	if len(run.Results) != len(want) {
		t.Fatalf("%d results, want %d", len(run.Results), len(want))
	}
	levels := map[Level]string{Error: "error", Warning: "warning", Info: "note"}
	for i, res := range run.Results {
		f := want[i]
		if res.RuleIndex < 0 || res.RuleIndex >= len(run.Tool.Driver.Rules) || run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %d: ruleIndex %d does not point at rule %s", i, res.RuleIndex, res.RuleID)
		}
		if res.RuleID != f.Rule || res.Level != levels[f.Level] {
			t.Errorf("result %d: rule %s level %s, want %s %s", i, res.RuleID, res.Level, f.Rule, levels[f.Level])
		}
		loc := res.Locations[0].PhysicalLocation
		if strings.ContainsAny(loc.ArtifactLocation.URI, ` \`) || strings.HasPrefix(loc.ArtifactLocation.URI, "/") {
			t.Errorf("result %d: uri %q is not a relative, encoded, forward-slash URI", i, loc.ArtifactLocation.URI)
		}
		if loc.ArtifactLocation.URIBaseID != "%SRCROOT%" {
			t.Errorf("result %d: uriBaseId %q", i, loc.ArtifactLocation.URIBaseID)
		}
		switch {
		case f.Line == 0 && loc.Region != nil:
			t.Errorf("result %d: a finding about the whole file has a region", i)
		case f.Line > 0 && (loc.Region == nil || loc.Region.StartLine != f.Line || loc.Region.StartColumn != f.Column):
			t.Errorf("result %d: region %+v, want line %d column %d", i, loc.Region, f.Line, f.Column)
		}
	}
	for i := 1; i < len(run.Tool.Driver.Rules); i++ {
		if run.Tool.Driver.Rules[i-1].ID >= run.Tool.Driver.Rules[i].ID {
			t.Errorf("rules are not sorted by id: %s before %s", run.Tool.Driver.Rules[i-1].ID, run.Tool.Driver.Rules[i].ID)
		}
	}
}

func TestSARIFEmptyReportHasEmptyResults(t *testing.T) {
	var raw struct {
		Runs []map[string]json.RawMessage `json:"runs"`
	}
	if err := json.Unmarshal([]byte(writeReport(t, "sarif", Report{})), &raw); err != nil {
		t.Fatal(err)
	}
	if len(raw.Runs) != 1 || string(raw.Runs[0]["results"]) != "[]" {
		t.Errorf("results = %s, want []", raw.Runs[0]["results"])
	}
}

func TestSARIFURI(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"postmortems/a.md", "postmortems/a.md"},
		{"postmortems/a b.md", "postmortems/a%20b.md"},
		{"postmortems/ü.md", "postmortems/%C3%BC.md"},
		{"a:b.md", "./a:b.md"},
		{"p/100%.md", "p/100%25.md"},
		{"p/a#b?.md", "p/a%23b%3F.md"},
	} {
		if got := sarifURI(tc.path); got != tc.want {
			t.Errorf("sarifURI(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
}

// The golden files and the checks below see a stamped version, as a
// release build has, so they do not depend on how the test binary was
// built.
func init() { version = "0.0.0-test" }

func TestSARIFDriverVersion(t *testing.T) {
	var got struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Version string `json:"version"`
				} `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(writeReport(t, "sarif", Report{})), &got); err != nil {
		t.Fatal(err)
	}
	if v := got.Runs[0].Tool.Driver.Version; v != "0.0.0-test" {
		t.Errorf("driver.version = %q, want the stamped 0.0.0-test", v)
	}
	// Without a stamp: the build info's module version, or "devel", never "".
	saved := version
	version = ""
	defer func() { version = saved }()
	if v := Version(); v == "" || strings.HasPrefix(v, "v") || v == "(devel)" {
		t.Errorf("Version() without a stamp = %q, want a version without v, or devel", v)
	}
}

// sarifFingerprinted is the part of a SARIF log the fingerprint tests read.
type sarifFingerprinted struct {
	Runs []struct {
		Results []struct {
			RuleID    string `json:"ruleId"`
			Locations []struct {
				PhysicalLocation struct {
					Region *struct {
						StartLine int `json:"startLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
		} `json:"results"`
	} `json:"runs"`
}

// lintSARIF lints src with the real engine and returns the SARIF log,
// checked against the schema, and the line of each result by fingerprint.
func lintSARIF(t *testing.T, sch *jsonschema.Schema, src string) (string, map[string]int) {
	t.Helper()
	e, err := New(config.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	r := Report{Findings: e.Lint(pathFor(src), []byte(src)), Files: []string{pathFor(src)}, RuleDocs: Docs()}
	out := writeReport(t, "sarif", r)
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("SARIF output is not valid 2.1.0: %v", err)
	}
	var log sarifFingerprinted
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	lines := map[string]int{}
	for _, res := range log.Runs[0].Results {
		fp := res.PartialFingerprints[fingerprintKey]
		if fp == "" {
			t.Fatalf("result %s has no %s: %v", res.RuleID, fingerprintKey, res.PartialFingerprints)
		}
		if _, dup := lines[fp]; dup {
			t.Errorf("two results share the fingerprint %s", fp)
		}
		line := 0
		if reg := res.Locations[0].PhysicalLocation.Region; reg != nil {
			line = reg.StartLine
		}
		lines[fp] = line
	}
	return out, lines
}

// Code scanning tracks a finding by its fingerprints: lines inserted above
// it must not change them, while its line moves.
func TestSARIFFingerprintsSurviveInsertedLines(t *testing.T) {
	sch := sarifSchemaValidator(t)
	body := "## Summary\n\nIt was careless.\n\nIt was careless.\n\nThe outage was caused by human error.\n"
	_, before := lintSARIF(t, sch, investigating(body))
	if len(before) < 3 {
		t.Fatalf("want at least 3 findings (two identical lines and one more), got %v", before)
	}
	const inserted = "A paragraph written later.\n\nAnd another one,\nover two lines.\n\n"
	_, after := lintSARIF(t, sch, investigating(strings.Replace(body, "It was", inserted+"It was", 1)))
	shift := strings.Count(inserted, "\n")
	for fp, line := range before {
		moved, ok := after[fp]
		switch {
		case !ok:
			t.Errorf("fingerprint %s (line %d) is gone after inserting lines above it; after: %v", fp, line, after)
		case moved != line+shift: // every finding is below the insertion point
			t.Errorf("fingerprint %s: line %d became %d, want %d", fp, line, moved, line+shift)
		}
	}
	if len(after) != len(before) {
		t.Errorf("%d findings before, %d after", len(before), len(after))
	}
	second := false // the second of two identical lines is told apart by its index
	for fp := range before {
		second = second || strings.HasSuffix(fp, ":2")
	}
	if !second {
		t.Errorf("no fingerprint ends in :2, though two lines read \"It was careless.\": %v", before)
	}

	// The fingerprint is about the line's text: re-indenting keeps it,
	// changing the words gives a new one.
	_, reindented := lintSARIF(t, sch, investigating(strings.Replace(body, "The outage was", "The outage   was", 1)))
	_, reworded := lintSARIF(t, sch, investigating(strings.Replace(body, "The outage was", "The incident was", 1)))
	same := func(a, b map[string]int) bool {
		for fp := range a {
			if _, ok := b[fp]; !ok {
				return false
			}
		}
		return len(a) == len(b)
	}
	if !same(before, reindented) {
		t.Errorf("collapsing blanks changed a fingerprint: %v, then %v", before, reindented)
	}
	if same(before, reworded) {
		t.Errorf("rewording the human-error line kept every fingerprint: %v", reworded)
	}
}

// help.markdown must say what --explain says: rendered, its text is the
// explain text, so nothing was lost to markdown (a "_TODO" read as
// emphasis, "=======" as a heading, an indented example as a paragraph).
func TestSARIFHelpMarkdownIsTheExplainText(t *testing.T) {
	tags := regexp.MustCompile(`<[^>]*>`)
	squash := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	for name, d := range Docs() {
		d.Name = name
		md := helpMarkdown(d)
		var html bytes.Buffer
		if err := goldmark.Convert([]byte(md), &html); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(md, "```text") != strings.Contains(html.String(), "<pre><code") {
			t.Errorf("%s: an example did not become one code block:\n%s", name, html.String())
		}
		got := squash(htmlpkg.UnescapeString(tags.ReplaceAllString(html.String(), " ")))
		want := squash(fmt.Sprintf("%s (default level: %s): %s %s pm lint --explain %s prints this text.", name, d.Level, d.Summary, d.Explanation, name))
		if got != want {
			t.Errorf("%s: the rendered help differs from --explain\n got: %s\nwant: %s", name, got, want)
		}
	}
}
