package incident

import (
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

const fmDoc = `---
id: 2026-11-24-api-returns-502
title: API returns 502
status: investigating          # investigating | mitigated | resolved | closed
mitigated:                     # impact stopped
resolved:
commander: "alice"
authors: [alice]   # everyone
services:
  - api
  - nginx  
tags: []
summary: |
  # not a comment
  second line
x-custom: keep me   
---

# T
`

// TestSetField checks that only the value on the key's line changes.
func TestSetField(t *testing.T) {
	tests := []struct {
		key, value string
		old, new   string // the line before and after ("" old: the line is added before ---)
	}{
		{"status", "mitigated", "status: investigating          # investigating | mitigated | resolved | closed",
			"status: mitigated              # investigating | mitigated | resolved | closed"},
		{"status", "a status far too long to keep the comment column", "status: investigating          # investigating | mitigated | resolved | closed",
			"status: a status far too long to keep the comment column # investigating | mitigated | resolved | closed"},
		{"status", "", "status: investigating          # investigating | mitigated | resolved | closed",
			"status:                        # investigating | mitigated | resolved | closed"},
		{"mitigated", "2026-11-24T09:40:00Z", "mitigated:                     # impact stopped",
			"mitigated: 2026-11-24T09:40:00Z # impact stopped"},
		{"resolved", "2026-11-24T12:00:00Z", "resolved:", "resolved: 2026-11-24T12:00:00Z"},
		{"commander", "bob", `commander: "alice"`, "commander: bob"},
		{"title", "API: 502 # everywhere", "title: API returns 502", `title: "API: 502 # everywhere"`},
		{"title", "yes", "title: API returns 502", `title: "yes"`},
		{"title", "null", "title: API returns 502", `title: "null"`},
		{"title", "2026", "title: API returns 502", `title: 2026`},
		{"title", "it's \"quoted\"\tand\nsplit", "title: API returns 502", `title: "it's \"quoted\"\tand\nsplit"`},
		{"title", "- dash", "title: API returns 502", `title: "- dash"`},
		{"x-custom", "new", "x-custom: keep me   ", "x-custom: new"},
		{"summary", "one line", "summary: |\n  # not a comment\n  second line", "summary: one line"},
		{"severity", "SEV1", "", "severity: SEV1"},
		{"private", "true", "", "private: true"},
	}
	for _, tt := range tests {
		t.Run(tt.key+"="+tt.value, func(t *testing.T) {
			d := mustParse(t, "x.md", []byte(fmDoc))
			if err := d.SetField(tt.key, tt.value); err != nil {
				t.Fatal(err)
			}
			want := strings.Replace(fmDoc, "\n"+tt.old+"\n", "\n"+tt.new+"\n", 1)
			if tt.old == "" {
				want = strings.Replace(fmDoc, "\n---\n\n# T", "\n"+tt.new+"\n---\n\n# T", 1)
			}
			if got := string(d.Bytes()); got != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
			k := d.fmKey(tt.key)
			if v, _ := scalarText(k.val); v != tt.value {
				t.Errorf("reads back as %q", v)
			}
		})
	}
}

// TestSetFieldShapes covers files without frontmatter, with CRLF and a BOM, and refusals.
func TestSetFieldShapes(t *testing.T) {
	tests := []struct{ name, src, key, value, want string }{
		{"no frontmatter", "# T\n", "status", "open", "---\nstatus: open\n---\n# T\n"},
		{"empty file", "", "id", "x", "---\nid: x\n---\n"},
		{"bom crlf", "\ufeff---\r\nid: a\r\n---\r\n# T\r\n", "status", "x", "\ufeff---\r\nid: a\r\nstatus: x\r\n---\r\n# T\r\n"},
		{"crlf replace", "---\r\nid: a # c\r\n---\r\n", "id", "bb", "---\r\nid: bb # c\r\n---\r\n"},
		{"empty frontmatter", "---\n---\n", "id", "x", "---\nid: x\n---\n"},
		{"quoted key", "---\n\"id\": a\n---\n", "id", "b", "---\n\"id\": b\n---\n"},
		{"indented comment line kept", "---\nid: a\n  # note\nx: 1\n---\n", "id", "b", "---\nid: b\n  # note\nx: 1\n---\n"},
		{"flow map value", "---\nx: {a: b}  # c\n---\n", "x", "c", "---\nx: c       # c\n---\n"},
		{"block map value", "---\nx:\n  a: b\n\n# c\ny: 1\n---\n", "x", "c", "---\nx: c\n\n# c\ny: 1\n---\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, "x.md", []byte(tt.src))
			if err := d.SetField(tt.key, tt.value); err != nil {
				t.Fatal(err)
			}
			if got := string(d.Bytes()); got != tt.want {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
	for _, tt := range []struct{ src, key, value, err string }{
		{fmDoc, "bad key", "x", "is not valid"},
		{fmDoc, "services", "x", "services must be a list"},
		{fmDoc, "started", "yesterday", "not an RFC 3339 time"},
		{fmDoc, "title", "\xff", "not valid UTF-8"},
		{"---\n? id\n: a\n---\n", "id", "b", "cannot edit id here"},
	} {
		d := mustParse(t, "x.md", []byte(tt.src))
		err := d.SetField(tt.key, tt.value)
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("SetField(%q, %q) = %v, want %q", tt.key, tt.value, err, tt.err)
		}
		if string(d.Bytes()) != tt.src {
			t.Errorf("a refused edit changed the file")
		}
	}
}

func TestSetTime(t *testing.T) {
	d := mustParse(t, "x.md", []byte(fmDoc))
	cet := time.FixedZone("CET", 3600)
	if err := d.SetTime("mitigated", time.Date(2026, 11, 24, 10, 40, 0, 0, cet)); err != nil {
		t.Fatal(err)
	}
	if !d.Meta.Mitigated.Equal(at("2026-11-24T09:40:00Z")) || !strings.Contains(string(d.Bytes()), "mitigated: 2026-11-24T09:40:00Z # impact stopped\n") {
		t.Errorf("Mitigated = %v\n%s", d.Meta.Mitigated, d.Bytes())
	}
	if err := d.SetTime("mitigated", time.Time{}); err != nil {
		t.Fatal(err)
	}
	// The longer value pushed the comment one column right; emptying the key keeps it there.
	if !d.Meta.Mitigated.IsZero() || !strings.Contains(string(d.Bytes()), "\nmitigated:                      # impact stopped\n") {
		t.Errorf("zero time did not empty the key:\n%s", d.Bytes())
	}
	if err := d.SetTime("started", time.Date(2026, 1, 2, 3, 4, 5, 600, time.UTC)); err != nil || !d.Meta.Started.Equal(time.Date(2026, 1, 2, 3, 4, 5, 600, time.UTC)) {
		t.Errorf("fractional seconds: %v %v", err, d.Meta.Started)
	}
}

func TestSetList(t *testing.T) {
	tests := []struct {
		key      string
		values   []string
		old, new string
	}{
		{"authors", []string{"alice", "bob"}, "authors: [alice]   # everyone", "authors: [alice, bob] # everyone"},
		{"authors", nil, "authors: [alice]   # everyone", "authors: []        # everyone"},
		{"tags", []string{"a, b", "[x]", "yes", "ok"}, "tags: []", `tags: ["a, b", "[x]", "yes", ok]`},
		{"services", []string{"api", "db", "edge proxy"}, "services:\n  - api\n  - nginx  ", "services:\n  - api\n  - db\n  - edge proxy"},
		{"services", []string{}, "services:\n  - api\n  - nginx  ", "services: []"},
		{"x-new", []string{"a"}, "", "x-new: [a]"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			d := mustParse(t, "x.md", []byte(fmDoc))
			if err := d.SetList(tt.key, tt.values); err != nil {
				t.Fatal(err)
			}
			want := strings.Replace(fmDoc, "\n"+tt.old+"\n", "\n"+tt.new+"\n", 1)
			if tt.old == "" {
				want = strings.Replace(fmDoc, "\n---\n\n# T", "\n"+tt.new+"\n---\n\n# T", 1)
			}
			if got := string(d.Bytes()); got != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
			got, _ := scalarList(d.fmKey(tt.key).val)
			if len(got) != len(tt.values) || (len(got) > 0 && !reflect.DeepEqual(got, tt.values)) {
				t.Errorf("reads back as %q", got)
			}
		})
	}
}

// TestQuoteYAML checks, for random strings, that what SetField writes reads back unchanged.
func TestQuoteYAML(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	alphabet := []rune("ab 1-:#,[]{}'\"\\\t\n&*!|>%@`?~.\u00e9\u2028\u0085\ufeff\x00\x1b")
	for i := 0; i < 3000; i++ {
		rs := make([]rune, r.Intn(8))
		for j := range rs {
			rs[j] = alphabet[r.Intn(len(alphabet))]
		}
		v := string(rs)
		for _, flow := range []bool{false, true} {
			doc := "k: " + quoteYAML(v, flow)
			if flow {
				doc = "k: [" + quoteYAML(v, flow) + ", z]"
			}
			var n yaml.Node
			if err := yaml.Unmarshal([]byte(doc), &n); err != nil {
				t.Fatalf("%q: %v", doc, err)
			}
			s := n.Content[0].Content[1]
			if flow {
				s = s.Content[0]
			}
			if s.Value != v || (v != "" && s.Tag == "!!null") {
				t.Fatalf("%q reads back as %q (%s)", doc, s.Value, s.Tag)
			}
		}
	}
}

// TestFrontmatterLinesWithLoneCR: YAML breaks lines at a lone CR (and NEL,
// LS, PS) where the file does not; key lines are the file's, as an editor
// shows them (FuzzParse found a key "at line 13 of 12").
func TestFrontmatterLinesWithLoneCR(t *testing.T) {
	src := "---\r\nid: x\rtitle: T\r\nstatus: mitigated\u2028severity: SEV2\r\n---\r\n# T\r\n"
	d, err := Parse("x.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]int{"id": 2, "title": 2, "status": 3, "severity": 3} {
		if got := d.Meta.Lines[key]; got != want {
			t.Errorf("line of %s = %d, want %d", key, got, want)
		}
	}
}

// TestSetFieldConfirmsAdoptGuess: setting a value pm adopt guessed drops
// its "# pm adopt:" note (the value is decided now); other comments stay.
func TestSetFieldConfirmsAdoptGuess(t *testing.T) {
	src := "---\nseverity: SEV2 # pm adopt: guessed from line 17 (SEV2)\nstatus: closed   # keep me\n---\n\n# T\n"
	d := mustParse(t, "x.md", []byte(src))
	if err := d.SetField("severity", "SEV1"); err != nil {
		t.Fatal(err)
	}
	if err := d.SetField("status", "resolved"); err != nil {
		t.Fatal(err)
	}
	want := "---\nseverity: SEV1\nstatus: resolved # keep me\n---\n\n# T\n"
	if got := string(d.Bytes()); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
