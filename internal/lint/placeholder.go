package lint

import (
	"bytes"
	"fmt"
	"strings"
)

// placeholder reports the template placeholders ("_TODO: ..._") left in
// a post-mortem: an error once closed (the post-mortem is done), only a
// warning while resolved (the write-up follows the fix, often by days).
func (f *file) placeholder() {
	if !f.postMortem() {
		return
	}
	s, status := f.s, f.d.Meta.Status
	level := Level("") // the rule's
	if status != "closed" {
		level = Warning
	}
	for n := s.fmClose + 1; n <= s.numLines(); n++ {
		if s.kind[n-1] != kindProse {
			continue
		}
		l := s.line(n)
		if k := bytes.Index(l, []byte("_TODO:")); k >= 0 {
			text := strings.TrimSuffix(strings.TrimSpace(string(l[k+1:])), "_")
			if r := []rune(text); len(r) > 50 {
				text = string(r[:49]) + "…"
			}
			a, _ := s.lineRange(n)
			f.add(Finding{Line: n, Column: s.col(n, a+k), Rule: "placeholder", Level: level,
				Message: fmt.Sprintf("template placeholder left in a %s post-mortem (%q): replace it with the text it asks for, or delete the line", status, text)})
		}
	}
}
