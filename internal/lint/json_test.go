package lint

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// documentedJSON is `pm lint --format json` as DESIGN §5 and the README
// document it, written out again here (not reusing the printer's types) so
// a renamed or added key fails this test.
type documentedJSON struct {
	Findings []struct {
		Path       string `json:"path"`
		Line       int    `json:"line"`
		Column     int    `json:"column"`
		EndLine    int    `json:"end_line"`
		EndColumn  int    `json:"end_column"`
		Rule       string `json:"rule"`
		Level      string `json:"level"`
		Message    string `json:"message"`
		Suggestion string `json:"suggestion"`
	} `json:"findings"`
	Files  int `json:"files"`
	Counts struct {
		Error   int `json:"error"`
		Warning int `json:"warning"`
		Info    int `json:"info"`
	} `json:"counts"`
}

func decodeDocumented(t *testing.T, out string) documentedJSON {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	var got documentedJSON
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("json output does not decode into the documented shape: %v\n%s", err, out)
	}
	if dec.More() {
		t.Fatalf("json output has more than one value:\n%s", out)
	}
	return got
}

func TestJSONDecodesIntoTheDocumentedShape(t *testing.T) {
	r := fixtureReport()
	got := decodeDocumented(t, writeReport(t, "json", r))
	if len(got.Findings) != len(r.Findings) {
		t.Fatalf("%d findings, want %d", len(got.Findings), len(r.Findings))
	}
	want := sortedFindings(r.Findings)
	var e, w, i int
	for k, f := range got.Findings {
		x := want[k]
		if f.Path != x.Path || f.Line != x.Line || f.Column != x.Column || f.EndLine != x.EndLine ||
			f.EndColumn != x.EndColumn || f.Rule != x.Rule || f.Level != string(x.Level) ||
			f.Message != x.Message || f.Suggestion != x.Suggestion {
			t.Errorf("finding %d = %+v, want %+v", k, f, x)
		}
		switch f.Level {
		case "error":
			e++
		case "warning":
			w++
		case "info":
			i++
		}
	}
	if got.Counts.Error != e || got.Counts.Warning != w || got.Counts.Info != i {
		t.Errorf("counts = %+v, want error %d, warning %d, info %d", got.Counts, e, w, i)
	}
	if got.Files != len(r.Files) {
		t.Errorf("files = %d, want %d", got.Files, len(r.Files))
	}
}

// A file a finding names counts as linted even if the report's file list
// left it out; a file listed twice counts once.
func TestJSONFilesCountsEveryFileOnce(t *testing.T) {
	r := Report{
		Files:    []string{"a.md", "b.md", "a.md"},
		Findings: []Finding{{Path: "c.md", Line: 1, Column: 1, Rule: "r", Level: Info, Message: "m"}},
	}
	if got := decodeDocumented(t, writeReport(t, "json", r)).Files; got != 3 {
		t.Errorf("files = %d, want 3", got)
	}
}

func TestJSONArraysAreNeverNull(t *testing.T) {
	for _, r := range []Report{{}, {Findings: []Finding{}, Files: []string{"a.md"}}} {
		out := writeReport(t, "json", r)
		var raw map[string]json.RawMessage
		if err := json.Unmarshal([]byte(out), &raw); err != nil {
			t.Fatal(err)
		}
		if got := string(bytes.TrimSpace(raw["findings"])); got != "[]" {
			t.Errorf("findings = %s, want []", got)
		}
		for _, key := range []string{"findings", "files", "counts"} {
			if _, ok := raw[key]; !ok {
				t.Errorf("key %q missing in %s", key, out)
			}
		}
	}
}
