package incident

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// addTestdataSeeds adds every testdata/*.md file to a fuzz corpus, and
// the hostile-input corpus of the cli tests (issue 7) under 64 KB: each of
// those files is a shape of input somebody got wrong once.
func addTestdataSeeds(f *testing.F) {
	names, err := filepath.Glob(filepath.Join("testdata", "*.md"))
	if err != nil || len(names) == 0 {
		f.Fatalf("no seed files: %v", err)
	}
	hostile, _ := filepath.Glob(filepath.Join("..", "cli", "testdata", "badinput", "*.md"))
	// When fuzzing (-fuzz), every seed first runs under coverage
	// instrumentation, and a worker silent for 10 s counts as hung: the
	// 21 KB deep-quotes file costs goldmark 180 ms a parse (its line offsets
	// are quadratic in the nesting), 2.5 s for this target's 14 parses, over
	// 10 s instrumented on a slow machine. The fuzzer mutates small inputs
	// anyway; the big hostile files still run as seeds in go test, and in
	// the hostile-corpus tests of cli.
	limit := int64(64 << 10)
	if fl := flag.Lookup("test.fuzz"); fl != nil && fl.Value.String() != "" {
		limit = 16 << 10
	}
	for _, n := range hostile {
		if fi, err := os.Stat(n); err == nil && fi.Size() < limit {
			names = append(names, n)
		}
	}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzParse: Parse never panics; for any input it accepts, Bytes() is the input and parsing
// Bytes() again gives the same document. Accepted inputs must also take an edit without panicking.
func FuzzParse(f *testing.F) {
	addTestdataSeeds(f)
	f.Add([]byte("---\n---\n"))
	f.Add([]byte("\ufeff---\r\nid: x\r\n---\r\n## Investigation log\r\n- `2026-01-01T00:00:00Z` **note** x\r\n"))
	f.Add([]byte("## Action items\n- [ ] a — @b, due 2026-01-01, detect, OPS-1\n"))
	f.Add([]byte("---\nid: a\ntitle: [unclosed\n---\n"))
	f.Add([]byte("---\nx: {a\n---"))
	f.Add([]byte("\n\n---\na: b: c\r\n---\r\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		in := append([]byte(nil), src...)
		d, err := Parse("f.md", src)
		if err != nil {
			pe, ok := err.(*ParseError)
			if !ok {
				t.Fatalf("error is %T, want *ParseError: %v", err, err)
			}
			if n := max(1, strings.Count(strings.TrimSuffix(string(in), "\n"), "\n")+1); pe.Line < 1 || pe.Line > n {
				t.Fatalf("error at line %d of a %d-line file: %v", pe.Line, n, err)
			}
			return
		}
		if string(d.Bytes()) != string(in) {
			t.Fatalf("Bytes() differs from the input")
		}
		d2, err := Parse("f.md", d.Bytes())
		if err != nil {
			t.Fatalf("second parse: %v", err)
		}
		if !sameDoc(d, d2) {
			t.Fatalf("second parse differs:\n%+v\n%+v", d, d2)
		}
		checkLines(t, d)
		// Edits either succeed and leave a parseable file, or fail and leave d as it was.
		edits := []func(*Doc) error{
			func(d *Doc) error {
				return d.AppendEntry(Entry{Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Kind: "note", Text: "fuzz\nline", Author: "f"})
			},
			func(d *Doc) error { return d.AddAction(Action{Text: "fuzz", Owner: "@f", Kind: "detect"}) },
			func(d *Doc) error { return d.SetField("status", "mitigated") },
			func(d *Doc) error { return d.SetList("services", []string{"a", "b c"}) },
			func(d *Doc) error { return d.ReplaceSection("Timeline", "- 09:00 x\n") },
			func(d *Doc) error { return d.SetActionDone(1, true) },
		}
		for i, edit := range edits {
			c := *d
			before := string(c.Bytes())
			if err := edit(&c); err != nil {
				if string(c.Bytes()) != before {
					t.Fatalf("edit %d failed (%v) but changed the bytes", i, err)
				}
				continue
			}
			if _, err := Parse("f.md", c.Bytes()); err != nil {
				t.Fatalf("edit %d made the file unparseable: %v", i, err)
			}
		}
	})
}

// checkLines checks that every line number in d lies inside the file.
func checkLines(t *testing.T, d *Doc) {
	t.Helper()
	n := d.numLines()
	ok := func(l int) bool { return l >= 1 && l <= n }
	for k, l := range d.Meta.Lines {
		if !ok(l) {
			t.Fatalf("key %s at line %d of %d", k, l, n)
		}
	}
	for _, s := range d.Sections {
		if !ok(s.Line) || !ok(s.EndLine) || s.EndLine < s.Line {
			t.Fatalf("section %+v in %d lines", s, n)
		}
	}
	for _, e := range d.Entries {
		if !ok(e.Line) {
			t.Fatalf("entry at line %d of %d", e.Line, n)
		}
	}
	for _, a := range d.Actions {
		if !ok(a.Line) {
			t.Fatalf("action at line %d of %d", a.Line, n)
		}
	}
}

func sameDoc(a, b *Doc) bool {
	return reflect.DeepEqual(a.Meta, b.Meta) && a.Title == b.Title && reflect.DeepEqual(a.Sections, b.Sections) &&
		reflect.DeepEqual(a.Entries, b.Entries) && reflect.DeepEqual(a.Hypotheses, b.Hypotheses) &&
		reflect.DeepEqual(a.Actions, b.Actions)
}

// FuzzEntry: an entry with any text, author and system that AppendEntry accepts reads back exactly
// (the text with its line endings normalised), both alone and inside a file.
func FuzzEntry(f *testing.F) {
	f.Add(int64(1764000000), uint8(0), "", "every request returns 502", "alice")
	f.Add(int64(1764000000), uint8(9), "api", "line one\nline two", "")
	f.Add(int64(1764000000), uint8(5), "", "\n```\nfence\n````\n", "bob")
	f.Add(int64(-62135596800), uint8(2), "", "ends like _(an author)_", "")
	f.Add(int64(253402300799), uint8(8), "db", " — leading dash\r\n\tindented\r", "x y")
	f.Add(int64(1764000000), uint8(4), "", "  \n  \n", "")
	f.Add(int64(1764000000), uint8(0), "", "pasted \xff\xfe log\x00 line\nsecond \xc3", "")
	f.Fuzz(func(t *testing.T, sec int64, k uint8, system, text, author string) {
		e := Entry{Time: time.Unix(sec, int64(k)*1e7).UTC(), Kind: kinds[int(k)%len(kinds)], System: system, Text: text, Author: author}
		if takesHypothesis(e.Kind) {
			e.Hypothesis = "H" + string(rune('1'+k%9))
		}
		if !takesSystem(e.Kind) {
			e.System = ""
		}
		if validateEntry(e) != nil {
			return
		}
		md := FormatEntry(e)
		want := e
		want.Text = normalizeText(e.Text)
		for _, tc := range []struct {
			src   string
			n, at int // entries in the file, index of e
		}{
			{"## Investigation log\n" + md, 1, 0},
			{"---\nid: x\n---\n# T\n\n## Investigation log\n\n- `2000-01-01T00:00:00Z` **note** before\n" + md + "- `2000-01-01T00:00:00Z` **note** after\n\n## Timeline\n", 3, 1},
			{"\ufeff## Investigation log\r\n" + strings.ReplaceAll(md, "\n", "\r\n"), 1, 0},
		} {
			d, err := Parse("e.md", []byte(tc.src))
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.src, err)
			}
			if len(d.Entries) != tc.n {
				t.Fatalf("%q: %d entries, want %d: %+v", tc.src, len(d.Entries), tc.n, d.Entries)
			}
			g := d.Entries[tc.at]
			g.Line = 0
			if !reflect.DeepEqual(g, want) {
				t.Fatalf("round trip of %q:\n got %+v\nwant %+v", md, g, want)
			}
		}
		// And through AppendEntry into a file that already has entries.
		d := mustParse(t, "design.md", mustRead(t, "design.md"))
		if err := d.AppendEntry(e); err != nil {
			t.Fatalf("AppendEntry: %v", err)
		}
	})
}

// FuzzAction: an action item AddAction accepts reads back exactly.
func FuzzAction(f *testing.F) {
	f.Add("Alert before expiry", "@bob", "2026-12-08", uint8(1), "https://tracker.example/OPS-1", true)
	f.Add("text — @x", "", "", uint8(0), "", false)
	f.Add("a - due 2026-01-01", "", "", uint8(0), "", false)
	f.Add("ends with —", "@a, @b", "", uint8(3), "OPS-12", false)
	f.Fuzz(func(t *testing.T, text, owner, due string, k uint8, ticket string, done bool) {
		a := Action{Text: text, Owner: owner, Due: due, Ticket: ticket, Done: done}
		if k%5 > 0 {
			a.Kind = actionKinds[k%5-1]
		}
		if validateAction(a) != nil {
			return
		}
		for _, src := range []string{
			"## Action items\n" + FormatAction(a),
			"## Action items\r\n* " + strings.TrimPrefix(strings.ReplaceAll(FormatAction(a), "\n", "\r\n"), "- "),
		} {
			d, err := Parse("a.md", []byte(src))
			if err != nil {
				t.Fatalf("Parse(%q): %v", src, err)
			}
			if len(d.Actions) != 1 {
				t.Fatalf("%q: %d actions", src, len(d.Actions))
			}
			got := d.Actions[0]
			got.Line = 0
			want := a
			want.Text = CleanText(a.Text)
			if got != want {
				t.Fatalf("round trip of %q:\n got %+v\nwant %+v", src, got, want)
			}
		}
	})
}
