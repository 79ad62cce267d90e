package lint

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/pm-tool/pm/internal/incident"
)

// The adopt-guess rule: the values pm adopt read from a post-mortem's text
// (or could not) carry a "# pm adopt: …" comment on their frontmatter line;
// each one left is a guess nobody has confirmed yet.

// adoptGuesses reports each frontmatter key whose line still holds a pm
// adopt comment (incident.AdoptMarker), at the comment, with the line
// without it as the suggestion. The comments are YAML's, as the parse read
// them, so a title that quotes the words is not one.
func (f *file) adoptGuesses() {
	if !f.hasFrontmatter() {
		return
	}
	s := f.s
	for _, kc := range f.d.KeyComments() {
		note, ok := strings.CutPrefix(kc.Comment, incident.AdoptMarker)
		if !ok || kc.Line > s.numLines() {
			continue
		}
		line := kc.Line
		l := s.line(line)
		at := bytes.LastIndex(l, []byte(incident.AdoptMarker))
		if at < 0 {
			continue // a comment on a line of its own after a multi-line value
		}
		ls, _ := s.lineRange(line)
		note = strings.TrimSpace(note)
		var msg string
		switch {
		case strings.HasPrefix(note, "guessed from"):
			msg = fmt.Sprintf("%s was guessed by pm adopt (%q): check it, then delete the comment", kc.Key, strings.TrimSuffix(note, "; check it"))
		case kc.Empty:
			msg = fmt.Sprintf("%s was left empty by pm adopt (%q): fill it in where the text says it, then delete the comment", kc.Key, note)
		default:
			// set from no text (status, a default severity), or edited since
			msg = fmt.Sprintf("%s still carries pm adopt's note (%q): check the value, then delete the comment", kc.Key, note)
		}
		f.add(Finding{Line: line, Column: s.col(line, ls+at), EndLine: line, EndColumn: s.col(line, ls+len(l)),
			Rule: "adopt-guess", Message: msg, Suggestion: strings.TrimRight(string(l[:at]), " \t")})
	}
}
