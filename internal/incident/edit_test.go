package incident

import (
	"bytes"
	"math/rand"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func fixtureNames(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "*.md"))
	if err != nil || len(paths) < 6 {
		t.Fatalf("fixtures: %v %v", paths, err)
	}
	var names []string
	for _, p := range paths {
		names = append(names, filepath.Base(p))
	}
	return names
}

// diffMiddle returns where a and b start to differ and the differing middles of each.
func diffMiddle(a, b string) (int, string, string) {
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	s := 0
	for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	return p, a[p : len(a)-s], b[p : len(b)-s]
}

// isInsertion reports whether b is a with want (plus, for a new section, more) inserted at one place.
func isInsertion(a, b, want string) bool {
	p, oldMid, newMid := diffMiddle(a, b)
	if oldMid != "" {
		return false
	}
	for q := max(0, p-len(newMid)); q <= p; q++ {
		ins := b[q : q+len(newMid)]
		if strings.Contains(ins, want) && b[:q]+b[q+len(ins):] == a {
			return true
		}
	}
	return false
}

// TestRoundTripFiles: every fixture parses and Bytes() gives it back exactly; each edit changes
// only the bytes it must, in the file's own line endings.
func TestRoundTripFiles(t *testing.T) {
	later := at("2030-01-01T00:00:00Z")
	for _, name := range fixtureNames(t) {
		t.Run(name, func(t *testing.T) {
			src := string(mustRead(t, name))
			d0 := mustParse(t, name, []byte(src))
			if string(d0.Bytes()) != src {
				t.Fatal("Bytes() differs from the file")
			}
			crlf := strings.Contains(src, "\r\n")
			type edit struct {
				name string
				do   func(d *Doc) error
				// check gets the old and new middles of the change and where it starts
				check func(t *testing.T, d *Doc, p int, oldMid, newMid string)
			}
			insertion := func(want string) func(t *testing.T, d *Doc, p int, oldMid, newMid string) {
				return func(t *testing.T, d *Doc, p int, oldMid, newMid string) {
					if crlf {
						want = strings.ReplaceAll(want, "\n", "\r\n")
					}
					if !isInsertion(string(d0.Bytes()), string(d.Bytes()), want) {
						t.Errorf("replaced %q with %q, want an insertion of %q", oldMid, newMid, want)
					}
				}
			}
			oneLine := func(key string) func(t *testing.T, d *Doc, p int, oldMid, newMid string) {
				return func(t *testing.T, d *Doc, p int, oldMid, newMid string) {
					line, had := d0.Meta.Lines[key]
					if !d0.fm.present {
						return // a frontmatter was added: covered by TestSetFieldShapes
					}
					if !had {
						line = d0.fm.close
					}
					if oldMid == newMid {
						return // the value was already set
					}
					if strings.ContainsAny(oldMid, "\r\n") || d0.lineOf(p) != line {
						t.Errorf("changed %q to %q at line %d, want only line %d", oldMid, newMid, d0.lineOf(p), line)
					}
				}
			}
			edits := []edit{
				{"AppendEntry", func(d *Doc) error {
					return d.AppendEntry(Entry{Time: later, Kind: "observe", Text: "pasted:\nline 1\n\n  line 3", Author: "zed"})
				}, insertion(FormatEntry(Entry{Time: later, Kind: "observe", Text: "pasted:\nline 1\n\n  line 3", Author: "zed"}))},
				{"AddAction", func(d *Doc) error {
					return d.AddAction(Action{Text: "Add an alert", Owner: "@zed", Due: "2030-01-02", Kind: "detect"})
				}, insertion(FormatAction(Action{Text: "Add an alert", Owner: "@zed", Due: "2030-01-02", Kind: "detect"}))},
				{"SetField status", func(d *Doc) error { return d.SetField("status", "resolved") }, oneLine("status")},
				{"SetTime resolved", func(d *Doc) error { return d.SetTime("resolved", later) }, oneLine("resolved")},
				{"SetField unknown", func(d *Doc) error { return d.SetField("x-pm-test", "v") }, oneLine("x-pm-test")},
				{"SetList tags", func(d *Doc) error { return d.SetList("tags", []string{"one", "two"}) }, oneLine("tags")},
				{"SetList services", func(d *Doc) error { return d.SetList("services", []string{"s1"}) }, nil},
				{"SetActionDone", func(d *Doc) error {
					if len(d.Actions) == 0 {
						return nil
					}
					return d.SetActionDone(1, !d.Actions[0].Done)
				}, func(t *testing.T, d *Doc, p int, oldMid, newMid string) {
					if len(d0.Actions) > 0 && (len(oldMid) != 1 || len(newMid) != 1 || d0.lineOf(p) != d0.Actions[0].Line) {
						t.Errorf("changed %q to %q at line %d", oldMid, newMid, d0.lineOf(p))
					}
				}},
			}
			for _, e := range edits {
				d := mustParse(t, name, []byte(src))
				if err := e.do(d); err != nil {
					t.Fatalf("%s: %v", e.name, err)
				}
				got := string(d.Bytes())
				p, oldMid, newMid := diffMiddle(src, got)
				if e.check != nil {
					e.check(t, d, p, oldMid, newMid)
				}
				if crlf && strings.Count(newMid, "\n") != strings.Count(newMid, "\r\n") {
					t.Errorf("%s: inserted LF line endings into a CRLF file: %q", e.name, newMid)
				}
				if strings.HasPrefix(src, "\ufeff") != strings.HasPrefix(got, "\ufeff") {
					t.Errorf("%s: the BOM was lost or added", e.name)
				}
				if d2 := mustParse(t, name, d.Bytes()); !sameDoc(d, d2) {
					t.Errorf("%s: the edited document does not parse back the same", e.name)
				}
				// Nothing else moved: entries, actions and unknown keys keep their values.
				if e.name != "AppendEntry" && !sameEntries(d.Entries, d0.Entries) {
					t.Errorf("%s: entries changed", e.name)
				}
				if e.name != "AddAction" && e.name != "SetActionDone" && !sameActions(d.Actions, d0.Actions) {
					t.Errorf("%s: actions changed", e.name)
				}
			}
		})
	}
}

// TestEditsPreserveUnknownContent applies every kind of edit in turn and checks that each line of
// the original file that no edit targets is still there, byte for byte and in order.
func TestEditsPreserveUnknownContent(t *testing.T) {
	for _, name := range fixtureNames(t) {
		src := string(mustRead(t, name))
		d := mustParse(t, name, []byte(src))
		touched := map[int]bool{}
		for _, k := range []string{"status", "mitigated", "services"} {
			if l, ok := d.Meta.Lines[k]; ok {
				touched[l] = true
			}
		}
		if l, ok := d.Meta.Lines["services"]; ok {
			for n := l + 1; n < d.fm.close && strings.HasPrefix(strings.TrimSpace(d.line(n)), "-"); n++ {
				touched[n] = true
			}
		}
		for _, a := range d.Actions {
			touched[a.Line] = true
		}
		steps := []func() error{
			func() error { return d.SetField("status", "mitigated") },
			func() error { return d.SetTime("mitigated", at("2030-01-01T00:00:00Z")) },
			func() error { return d.SetList("services", []string{"a", "b"}) },
			func() error {
				return d.AppendEntry(Entry{Time: at("2030-01-01T00:00:00Z"), Kind: "mitigated", Text: "drained", Author: "zed"})
			},
			func() error {
				return d.AppendEntry(Entry{Time: at("2000-01-01T00:00:00Z"), Kind: "down", System: "api", Author: "zed"})
			},
			func() error { return d.AddAction(Action{Text: "x", Owner: "@zed", Ticket: "OPS-1"}) },
		}
		for i := range d.Actions {
			steps = append(steps, func() error { return d.SetActionDone(i+1, true) })
		}
		for i, s := range steps {
			if err := s(); err != nil {
				t.Fatalf("%s: step %d: %v", name, i, err)
			}
		}
		oldLines := strings.SplitAfter(src, "\n")
		newLines := strings.SplitAfter(string(d.Bytes()), "\n")
		j := 0
		for i, l := range oldLines {
			if touched[i+1] {
				continue
			}
			for j < len(newLines) && newLines[j] != l && !(i == len(oldLines)-1 && strings.HasPrefix(newLines[j], l)) {
				j++
			}
			if j == len(newLines) {
				t.Errorf("%s: line %d %q is gone", name, i+1, l)
				break
			}
			j++
		}
	}
}

// TestEditsOnRandomDocs builds documents from a vocabulary of awkward lines; whatever parses must
// round-trip, and every edit must either succeed with a parseable result or leave it untouched.
func TestEditsOnRandomDocs(t *testing.T) {
	vocab := []string{
		"---", "id: x", "status: open # c", "services:", "  - api", "tags: [a]", "title: 'T: x'", "", "title: [a", "x: {",
		"a: b: c", "\"q", "started: later", "\tb: 1", "? k", "private: maybe",
		"# Title", "## Investigation log", "## Action items", "## Impact", "## Timeline", "### Sub", "Heading\n---",
		"- `2026-01-01T00:00:00Z` **note** a _(x)_", "- `2026-01-02T00:00:00Z` **down** api — b",
		"- `2026-01-03T00:00:00Z` **hypothesis H1** c", "- `2026-01-04T00:00:00Z` **refuted H1** d",
		"  ```", "  log line", "```", "````", "  - sub", "* star", "1. one", "> quote", "<!-- c -->", "<!--", "-->",
		"- [ ] act — @a, due 2026-01-01, detect", "- [x] done", "prose line  ", "\tindented", "    code",
	}
	r := rand.New(rand.NewSource(11))
	for i := 0; i < 1500; i++ {
		var b strings.Builder
		if r.Intn(3) == 0 {
			b.WriteString("\ufeff")
		}
		eol := "\n"
		if r.Intn(4) == 0 {
			eol = "\r\n"
		}
		for n := r.Intn(25); n > 0; n-- {
			b.WriteString(strings.ReplaceAll(vocab[r.Intn(len(vocab))], "\n", eol) + eol)
		}
		src := []byte(b.String())
		if r.Intn(5) == 0 && len(src) > 0 {
			src = src[:r.Intn(len(src))]
		}
		d, err := Parse("r.md", src)
		if err != nil {
			pe, ok := err.(*ParseError)
			if n := max(1, bytes.Count(bytes.TrimSuffix(src, []byte("\n")), []byte("\n"))+1); !ok || pe.Line < 1 || pe.Line > n {
				t.Fatalf("error %v for a %d-line file %q", err, n, src)
			}
			continue
		}
		if !bytes.Equal(d.Bytes(), src) {
			t.Fatalf("Bytes() differs for %q", src)
		}
		entries := len(d.Entries)
		e := Entry{Time: time.Date(2026, 1, 1+r.Intn(5), 0, 0, 0, 0, time.UTC), Kind: "observe", Text: "x\ny"}
		if err := d.AppendEntry(e); err == nil {
			p, oldMid, _ := diffMiddle(string(src), string(d.Bytes()))
			if oldMid != "" || len(d.Entries) != entries+1 {
				t.Fatalf("AppendEntry on %q replaced %q at %d", src, oldMid, p)
			}
		} else if !bytes.Equal(d.Bytes(), src) {
			t.Fatalf("failed AppendEntry changed %q", src)
		}
		cur := string(d.Bytes())
		if err := d.SetField("status", "resolved"); err == nil {
			if d.Meta.Status != "resolved" {
				t.Fatalf("SetField on %q: status %q", cur, d.Meta.Status)
			}
		} else if string(d.Bytes()) != cur {
			t.Fatalf("failed SetField changed %q", cur)
		}
	}
}
