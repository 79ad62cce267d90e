package lsp

import (
	"fmt"
	"strings"

	"github.com/pm-tool/pm/internal/lint"
)

type codeActionParams struct {
	TextDocument struct {
		URI string `json:"uri"`
	} `json:"textDocument"`
	Range Range `json:"range"`
}

type codeAction struct {
	Title       string         `json:"title"`
	Kind        string         `json:"kind"`
	Diagnostics []diagnostic   `json:"diagnostics,omitempty"`
	IsPreferred bool           `json:"isPreferred,omitempty"`
	Edit        *workspaceEdit `json:"edit,omitempty"`
	Command     *command       `json:"command,omitempty"`
}

type workspaceEdit struct {
	Changes map[string][]textEdit `json:"changes"`
}

type textEdit struct {
	Range   Range  `json:"range"`
	NewText string `json:"newText"`
}

type command struct {
	Title     string   `json:"title"`
	Command   string   `json:"command"`
	Arguments []string `json:"arguments"`
}

// dropRules are the rules whose rewrite is to drop the words found
// ("obviously", "simply"): the one suggestion an edit can carry out. The
// others ask the writer to say something the file does not hold yet (what
// made the action reasonable, which guard was missing), so they are offered
// as the rule's explanation, not as an edit.
var dropRules = map[string]bool{"hindsight": true}

// confirmRules are the rules whose fix is to delete the comment a finding
// spans to the end of its line: adopt-guess, whose comment says where pm
// adopt guessed a frontmatter value from, and whose deletion is the
// author's "checked". They are in the frontmatter, where a suppression
// comment above the line would break the YAML, so that is not offered.
var confirmRules = map[string]bool{"adopt-guess": true}

// codeActions are the fixes for the findings on the lines of the range:
// for each language finding, its suggestion (an edit where the rewrite is
// mechanical, else the rule's explanation shown by pm.explain) and a
// suppression comment above the line.
func (s *Server) codeActions(p codeActionParams) []codeAction {
	out := []codeAction{}
	d, ok := s.docs[p.TextDocument.URI]
	if !ok || !d.linted {
		return out
	}
	lines := splitLines(d.text)
	first, _ := runeColumn(lines, p.Range.Start)
	last, _ := runeColumn(lines, p.Range.End)
	for _, f := range d.findings {
		if f.Line < first || f.Line > max(last, first) {
			continue
		}
		diag := diagnostic{Range: findingRange(lines, f), Severity: severity(f.Level), Code: f.Rule, Source: "pm", Message: f.Message}
		uri := p.TextDocument.URI
		if confirmRules[f.Rule] {
			if f.Line >= 1 && f.Line <= len(lines) && f.Column > 0 {
				out = append(out, codeAction{
					Title: fmt.Sprintf("%s: checked, delete the comment (%s)", f.Rule, f.Suggestion), Kind: "quickfix", IsPreferred: true,
					Diagnostics: []diagnostic{diag},
					Edit:        &workspaceEdit{Changes: map[string][]textEdit{uri: {deleteComment(lines, f)}}},
				})
			}
			continue
		}
		if f.Suggestion != "" {
			if dropRules[f.Rule] && f.Column > 0 && f.EndLine == f.Line && f.EndColumn > f.Column {
				out = append(out, codeAction{
					Title: fmt.Sprintf("%s: %s", f.Rule, f.Suggestion), Kind: "quickfix", IsPreferred: true,
					Diagnostics: []diagnostic{diag},
					Edit:        &workspaceEdit{Changes: map[string][]textEdit{uri: {dropWord(lines, f)}}},
				})
			} else {
				out = append(out, codeAction{
					Title: fmt.Sprintf("%s: %s (explain)", f.Rule, f.Suggestion), Kind: "quickfix",
					Diagnostics: []diagnostic{diag},
					Command:     &command{Title: "pm lint --explain " + f.Rule, Command: explainCommand, Arguments: []string{f.Rule}},
				})
			}
		}
		// Language findings only: they are in prose, where a comment line
		// is harmless; above a frontmatter line it would break the YAML.
		if f.Line > 0 && f.Suggestion != "" {
			indent := lines[f.Line-1][:len(lines[f.Line-1])-len(strings.TrimLeft(lines[f.Line-1], " \t"))]
			out = append(out, codeAction{
				Title: fmt.Sprintf("Disable %s for this line (a quote, on purpose)", f.Rule), Kind: "quickfix",
				Diagnostics: []diagnostic{diag},
				Edit: &workspaceEdit{Changes: map[string][]textEdit{uri: {{
					Range:   Range{Start: Position{Line: f.Line - 1}, End: Position{Line: f.Line - 1}},
					NewText: indent + "<!-- pm-lint-disable-next-line " + f.Rule + " -->\n",
				}}}},
			})
		}
	}
	return out
}

// dropWord deletes the finding's span and one blank after it (or before
// it, at the end of a line), so no double space is left behind.
func dropWord(lines []string, f lint.Finding) textEdit {
	text := []rune(lines[f.Line-1])
	from, to := f.Column-1, min(f.EndColumn-1, len(text))
	if to < len(text) && text[to] == ' ' {
		to++
	} else if from > 0 && text[from-1] == ' ' {
		from--
	}
	start := utf16Position(lines, f.Line, from+1)
	end := utf16Position(lines, f.Line, to+1)
	return textEdit{Range: Range{Start: start, End: end}}
}

// deleteComment deletes from the finding's column to the end of its line,
// with the blanks before it, so the line ends with its value.
func deleteComment(lines []string, f lint.Finding) textEdit {
	text := []rune(lines[f.Line-1])
	from := min(f.Column-1, len(text))
	for from > 0 && (text[from-1] == ' ' || text[from-1] == '\t') {
		from--
	}
	return textEdit{Range: Range{Start: utf16Position(lines, f.Line, from+1), End: utf16Position(lines, f.Line, len(text)+1)}}
}
