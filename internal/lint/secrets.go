package lint

import (
	"fmt"
	"unsafe"

	"github.com/pm-tool/pm/internal/secrets"
)

// secrets reports credentials anywhere in the file, code blocks
// included: that is where pasted logs put them.
func (f *file) secrets() {
	s := f.s
	// The source is not modified while the scan runs, so the text can
	// share its bytes instead of copying them.
	text := ""
	if b := s.src[s.bom:]; len(b) > 0 {
		text = unsafe.String(unsafe.SliceData(b), len(b))
	}
	for _, m := range secrets.Find(text) {
		line, col := s.pos(s.bom + m.Start)
		endLine, endCol := s.pos(s.bom + m.End)
		f.add(Finding{Line: line, Column: col, EndLine: endLine, EndColumn: endCol, Rule: "secrets",
			Message: fmt.Sprintf("possible %s: delete it (write [redacted]) and rotate it; once pushed it stays in git history", m.Kind)})
	}
}
