package lint

import (
	"bytes"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// The adopt-guess rule: the values pm adopt read from a post-mortem's text
// (or could not) carry a "# pm adopt: …" comment on their frontmatter line;
// each one left is a guess nobody has confirmed yet.

// adoptMarker begins the comment pm adopt writes (incident.AdoptFrontmatter).
const adoptMarker = "# pm adopt:"

// adoptGuesses reports each frontmatter key whose line still holds a pm
// adopt comment, at the comment, with the line without it as the
// suggestion. The comments are read as YAML comments, so a title that
// quotes the words is not one.
func (f *file) adoptGuesses() {
	if !f.hasFrontmatter() || f.s.fmClose <= f.s.fmOpen+1 {
		return
	}
	s := f.s
	a, _ := s.lineRange(f.s.fmOpen + 1)
	_, b := s.lineRange(f.s.fmClose - 1)
	fm := s.src[a:b]
	if !bytes.Contains(fm, []byte(adoptMarker)) {
		return // the common case: no YAML parse
	}
	var root yaml.Node
	if yaml.Unmarshal(fm, &root) != nil || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return // the frontmatter rule reports it
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		comment := v.LineComment
		if comment == "" {
			comment = k.LineComment
		}
		note, ok := strings.CutPrefix(comment, adoptMarker)
		if !ok {
			continue
		}
		line := f.s.fmOpen + k.Line
		if line > s.numLines() {
			continue
		}
		l := s.line(line)
		at := bytes.LastIndex(l, []byte(adoptMarker))
		if at < 0 {
			continue // a comment on a line of its own after a multi-line value
		}
		ls, _ := s.lineRange(line)
		note = strings.TrimSpace(note)
		var msg string
		switch empty := v.Value == "" && len(v.Content) == 0; {
		case strings.HasPrefix(note, "guessed from"):
			msg = fmt.Sprintf("%s was guessed by pm adopt (%q): check it, then delete the comment", k.Value, strings.TrimSuffix(note, "; check it"))
		case empty:
			msg = fmt.Sprintf("%s was left empty by pm adopt (%q): fill it in where the text says it, then delete the comment", k.Value, note)
		default:
			// set from no text (status, a default severity), or edited since
			msg = fmt.Sprintf("%s still carries pm adopt's note (%q): check the value, then delete the comment", k.Value, note)
		}
		f.add(Finding{Line: line, Column: s.col(line, ls+at), EndLine: line, EndColumn: s.col(line, ls+len(l)),
			Rule: "adopt-guess", Message: msg, Suggestion: strings.TrimRight(string(l[:at]), " \t")})
	}
}
