package incident

import (
	"math/rand"
	"strings"
	"testing"
)

func TestParseActionLine(t *testing.T) {
	tests := []struct {
		line string
		want Action
		ok   bool
	}{
		{"[ ] Alert 14 days before expiry — @bob, due 2026-12-08, detect", Action{Text: "Alert 14 days before expiry", Owner: "@bob", Due: "2026-12-08", Kind: "detect"}, true},
		{"[x] Runbook — @alice, due 2026-12-01, clarify, [OPS-123](https://tracker/OPS-123)", Action{Text: "Runbook", Owner: "@alice", Due: "2026-12-01", Kind: "clarify", Ticket: "https://tracker/OPS-123", Done: true}, true},
		{"[X] any order — Prevent, https://t.example/1, due: 2026-01-02, @a", Action{Text: "any order", Owner: "@a", Due: "2026-01-02", Kind: "prevent", Ticket: "https://t.example/1", Done: true}, true},
		{"[ ] two owners — @a, @b, 2026-01-02, <https://t/x>", Action{Text: "two owners", Owner: "@a, @b", Due: "2026-01-02", Ticket: "https://t/x"}, true},
		{"[ ] key ticket — automate, #42", Action{Text: "key ticket", Kind: "automate", Ticket: "#42"}, true},
		{"[ ] a — b — @c", Action{Text: "a — b", Owner: "@c"}, true},
		{"[ ] ascii dash - @c, detect", Action{Text: "ascii dash", Owner: "@c", Kind: "detect"}, true},
		{"[ ] double dash -- @c", Action{Text: "double dash", Owner: "@c"}, true},
		{"[ ] a - b is prose", Action{Text: "a - b is prose"}, true},
		{"[ ] mixed - @c, soon", Action{Text: "mixed - @c, soon"}, true},
		{"[ ] em dash, one known — @c, soon", Action{Text: "em dash, one known", Owner: "@c"}, true},
		{"[ ] em dash, none known — soon", Action{Text: "em dash, none known — soon"}, true},
		{"[ ] escaped — @c —", Action{Text: "escaped — @c"}, true},
		{"[ ]  two spaces", Action{Text: " two spaces"}, true},
		{"[ ]", Action{}, true},
		{"[]", Action{}, false},
		{"[y] x", Action{}, false},
		{"[ ]x", Action{}, false},
		{"plain", Action{}, false},
	}
	for _, tt := range tests {
		got, ok := parseActionLine(tt.line)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("parseActionLine(%q) = %+v, %v\nwant %+v, %v", tt.line, got, ok, tt.want, tt.ok)
		}
	}
}

func TestFormatAction(t *testing.T) {
	tests := []struct {
		a    Action
		want string
	}{
		{Action{Text: "Alert 14 days before expiry", Owner: "@bob", Due: "2026-12-08", Kind: "detect"}, "- [ ] Alert 14 days before expiry — @bob, due 2026-12-08, detect\n"},
		{Action{Text: "Runbook", Owner: "@alice", Kind: "clarify", Ticket: "https://tracker/OPS-1", Done: true}, "- [x] Runbook — @alice, clarify, https://tracker/OPS-1\n"},
		{Action{Text: "No fields"}, "- [ ] No fields\n"},
		{Action{Text: "Looks like — @fields"}, "- [ ] Looks like — @fields —\n"},
		{Action{Text: "Looks like - detect"}, "- [ ] Looks like - detect —\n"},
	}
	for _, tt := range tests {
		if got := FormatAction(tt.a); got != tt.want {
			t.Errorf("FormatAction(%+v) = %q, want %q", tt.a, got, tt.want)
		}
	}
}

// TestActionRoundTripProperty: random valid action items read back unchanged, and AddAction
// appends them in order.
func TestActionRoundTripProperty(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	pick := func(s ...string) string { return s[r.Intn(len(s))] }
	d := mustParse(t, "x.md", mustRead(t, "design.md"))
	want := append([]Action(nil), d.Actions...)
	for i := 0; i < 300; i++ {
		a := Action{
			Text:   strings.TrimLeft(randomText(r), "\n"),
			Owner:  pick("", "@bob", "@a, @b", "@team/x"),
			Due:    pick("", "2026-12-08"),
			Kind:   pick("", "prevent", "detect", "clarify", "automate"),
			Ticket: pick("", "https://t.example/OPS-1?a=b&c=(d)", "OPS-9", "#12"),
			Done:   r.Intn(2) == 0,
		}
		if strings.ContainsAny(a.Text, "\r\n") || strings.TrimSpace(a.Text) == "" {
			continue
		}
		if err := validateAction(a); err != nil {
			t.Fatalf("generator made an invalid action %+v: %v", a, err)
		}
		got, ok := parseActionLine(strings.TrimSuffix(strings.TrimPrefix(FormatAction(a), "- "), "\n"))
		if !ok || got != a {
			t.Fatalf("round trip of %q:\n got %+v\nwant %+v", FormatAction(a), got, a)
		}
		if err := d.AddAction(a); err != nil {
			t.Fatalf("AddAction(%+v): %v", a, err)
		}
		want = append(want, a)
	}
	if !sameActions(d.Actions, want) {
		t.Errorf("after AddAction: %d actions, want %d", len(d.Actions), len(want))
	}
}

func TestAddAction(t *testing.T) {
	a := Action{Text: "Rotate automatically", Owner: "@bob", Due: "2027-01-15", Kind: "automate"}
	line := FormatAction(a)
	tests := []struct{ name, src, want string }{
		{"after the last item", "## Action items\n- [ ] one\n  - sub\n\n## Lessons learned\n", "## Action items\n- [ ] one\n  - sub\n" + line + "\n## Lessons learned\n"},
		{"empty section", "## Action items\n<!-- hint -->\n\n## Lessons\n", "## Action items\n<!-- hint -->\n" + line + "\n## Lessons\n"},
		{"after contributing factors", "## Contributing factors\nx\n## Lessons\n", "## Contributing factors\nx\n## Action items\n" + line + "## Lessons\n"},
		{"at the end", "# T\n\n## Summary\n", "# T\n\n## Summary\n\n## Action items\n" + line},
		{"crlf", "## Action items\r\n- [x] one\r\n", "## Action items\r\n- [x] one\r\n" + strings.ReplaceAll(line, "\n", "\r\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, "x.md", []byte(tt.src))
			if err := d.AddAction(a); err != nil {
				t.Fatal(err)
			}
			if got := string(d.Bytes()); got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
	for _, bad := range []struct {
		a   Action
		err string
	}{
		{Action{}, "one-line text"},
		{Action{Text: "a\nb"}, "one-line text"},
		{Action{Text: "x", Owner: "bob"}, "handle like @bob"},
		{Action{Text: "x", Due: "next week"}, "due date \"next week\" is not a date; write it as YYYY-MM-DD, e.g. 2026-12-08"},
		{Action{Text: "x", Kind: "fix"}, "should be one of prevent, detect, clarify, automate"},
		{Action{Text: "x", Ticket: "see jira"}, "should be a URL"},
	} {
		d := mustParse(t, "x.md", mustRead(t, "design.md"))
		if err := d.AddAction(bad.a); err == nil || !strings.Contains(err.Error(), bad.err) {
			t.Errorf("AddAction(%+v) = %v, want %q", bad.a, err, bad.err)
		}
	}
}

func TestSetActionDone(t *testing.T) {
	for _, name := range []string{"design.md", "handwritten.md", "crlf.md", "bom.md"} {
		src := mustRead(t, name)
		d := mustParse(t, name, src)
		for n := 1; n <= len(d.Actions); n++ {
			for _, done := range []bool{true, false} {
				before := string(d.Bytes())
				if err := d.SetActionDone(n, done); err != nil {
					t.Fatal(err)
				}
				after := string(d.Bytes())
				if d.Actions[n-1].Done != done || len(after) != len(before) {
					t.Fatalf("%s: action %d done=%v: %+v", name, n, done, d.Actions[n-1])
				}
				diff := 0
				for i := range before {
					if before[i] != after[i] {
						diff++
						if line := d.lineOf(i); line != d.Actions[n-1].Line || before[i-1] != '[' {
							t.Fatalf("%s: byte %d on line %d changed, want the box on line %d", name, i, line, d.Actions[n-1].Line)
						}
					}
				}
				if diff > 1 {
					t.Fatalf("%s: %d bytes changed", name, diff)
				}
			}
		}
		if err := d.SetActionDone(len(d.Actions)+1, true); err == nil || !strings.Contains(err.Error(), "there is no action item") {
			t.Errorf("out of range: %v", err)
		}
	}
}
