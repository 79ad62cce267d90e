package incident

import (
	"strings"
	"testing"
)

func TestReplaceSection(t *testing.T) {
	tests := []struct {
		name, src, heading, body, want string
	}{
		{"empty body, blank line kept", "## Timeline\n\n## Contributing factors\n", "timeline", "- 09:10 start\n",
			"## Timeline\n- 09:10 start\n\n## Contributing factors\n"},
		{"replaces hint, keeps blank lines", "## Timeline\n<!-- hint -->\n\n\n## Next\n", "Timeline", "- a\n- b",
			"## Timeline\n- a\n- b\n\n\n## Next\n"},
		{"no blank line", "## Summary\n## Timeline\nold\n## Next\n", " TIMELINE ", "new\n", "## Summary\n## Timeline\nnew\n## Next\n"},
		{"last section without newline", "## Timeline\nold", "Timeline", "new\n", "## Timeline\nnew"},
		{"heading is the last line", "## Timeline", "Timeline", "new\n", "## Timeline\nnew\n"},
		{"empty body clears", "## Timeline\nold\n\n## Next\n", "Timeline", "", "## Timeline\n\n## Next\n"},
		{"h3 inside is body", "## Timeline\n### Day 1\nx\n## Next\n", "Timeline", "y\n", "## Timeline\ny\n## Next\n"},
		{"setext heading", "Timeline\n--------\nold\n", "Timeline", "new\n", "Timeline\n--------\nnew\n"},
		{"setext heading like a hashtag", "#Timeline\n---\nold\n", "#Timeline", "new\n", "#Timeline\n---\nnew\n"},
		{"atx heading then a rule", "## Timeline\n---\nold\n", "Timeline", "new\n", "## Timeline\nnew\n"},
		{"crlf", "## Timeline\r\nold\r\n\r\n## Next\r\n", "Timeline", "a\nb\r\n", "## Timeline\r\na\r\nb\r\n\r\n## Next\r\n"},
		{"missing: added at the end", "# T\n\n## Summary\nx\n", "Timeline", "- a\n", "# T\n\n## Summary\nx\n\n## Timeline\n- a\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, "x.md", []byte(tt.src))
			if err := d.ReplaceSection(tt.heading, tt.body); err != nil {
				t.Fatal(err)
			}
			if got := string(d.Bytes()); got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
	for _, body := range []string{"## Sneaky\n", "```\nunclosed\n", "# New title\n"} {
		src := "# T\n## Timeline\nold\n## Next\n"
		d := mustParse(t, "x.md", []byte(src))
		if err := d.ReplaceSection("Timeline", body); err == nil || !strings.Contains(err.Error(), "headings") {
			t.Errorf("body %q: err = %v", body, err)
		}
		if string(d.Bytes()) != src {
			t.Errorf("body %q: a refused edit changed the file", body)
		}
	}
}

// TestReplaceSectionInFiles replaces each section of each fixture and checks that only that
// section's body changed.
func TestReplaceSectionInFiles(t *testing.T) {
	for _, name := range fixtureNames(t) {
		src := string(mustRead(t, name))
		d0 := mustParse(t, name, []byte(src))
		for i, s := range d0.Sections {
			d := mustParse(t, name, []byte(src))
			if err := d.ReplaceSection(s.Heading, "NEW BODY\n"); err != nil {
				t.Fatalf("%s: %s: %v", name, s.Heading, err)
			}
			got := string(d.Bytes())
			p, oldMid, newMid := diffMiddle(src, got)
			if !strings.Contains(newMid, "NEW BODY") || d0.lineOf(p) < d0.secs[i].headEnd || (oldMid != "" && d0.lineOf(p+len(oldMid)-1) > s.EndLine) {
				t.Errorf("%s: %s: changed %q to %q at line %d", name, s.Heading, oldMid, newMid, d0.lineOf(p))
			}
			if len(d.Sections) != len(d0.Sections) || d.Sections[i].Heading != s.Heading {
				t.Errorf("%s: sections changed: %+v", name, d.Sections)
			}
		}
	}
}
