package lsp

import (
	"strings"
	"unicode/utf8"
)

// Valuer lists the values a frontmatter key may take in the incident file
// at path, for completion: statuses, the configured severities, services
// and tags seen in the repository's other incidents. nil when pm has
// nothing to offer for the key.
type Valuer func(path, key string) []string

type completionParams struct {
	TextDocument struct {
		URI string `json:"uri"`
	} `json:"textDocument"`
	Position Position `json:"position"`
}

type completionItem struct {
	Label    string    `json:"label"`
	Kind     int       `json:"kind"` // 12: a value
	TextEdit *textEdit `json:"textEdit,omitempty"`
}

type completionList struct {
	IsIncomplete bool             `json:"isIncomplete"`
	Items        []completionItem `json:"items"`
}

// completion offers values for the frontmatter key the cursor is at: after
// `status: `, inside `services: [api, `, or on a `- ` item under `tags:`.
// Each item replaces the word typed so far.
func (s *Server) completion(p completionParams) completionList {
	out := completionList{Items: []completionItem{}}
	d, ok := s.docs[p.TextDocument.URI]
	if !ok || !d.linted || s.values == nil {
		return out
	}
	lines := splitLines(d.text)
	line, col := runeColumn(lines, p.Position)
	if !inFrontmatter(lines, line) {
		return out
	}
	text := lines[line-1]
	before := string([]rune(text)[:min(col-1, utf8.RuneCountInString(text))])
	key, word, taken := frontmatterSlot(lines, line, before)
	if key == "" {
		return out
	}
	start := Position{Line: p.Position.Line, Character: p.Position.Character - utf16Units(word)}
	for _, v := range s.values(d.path, key) {
		if taken[v] || !strings.HasPrefix(strings.ToLower(v), strings.ToLower(word)) {
			continue
		}
		out.Items = append(out.Items, completionItem{Label: v, Kind: 12,
			TextEdit: &textEdit{Range: Range{Start: start, End: p.Position}, NewText: v}})
	}
	return out
}

// inFrontmatter says whether line (1-based) is between the opening and the
// closing --- of the frontmatter.
func inFrontmatter(lines []string, line int) bool {
	if len(lines) == 0 || strings.TrimPrefix(lines[0], "\ufeff") != "---" || line < 2 {
		return false
	}
	for i := 1; i < len(lines); i++ {
		if lines[i] == "---" || lines[i] == "..." {
			return line <= i
		}
	}
	return true // not closed yet: the writer is still in it
}

// frontmatterSlot finds the key whose value is being typed at the end of
// before (the line up to the cursor), the word typed so far, and the list
// items already there (not offered twice).
func frontmatterSlot(lines []string, line int, before string) (key, word string, taken map[string]bool) {
	taken = map[string]bool{}
	if item, ok := strings.CutPrefix(strings.TrimLeft(before, " "), "- "); ok {
		// A block list item: the key is the nearest unindented line above.
		for i := line - 2; i >= 1; i-- {
			l := lines[i]
			if l == "" || l[0] == ' ' || l[0] == '-' {
				if v, ok := strings.CutPrefix(strings.TrimSpace(l), "- "); ok {
					taken[strings.TrimSpace(v)] = true
				}
				continue
			}
			k, _, ok := strings.Cut(l, ":")
			if !ok {
				return "", "", nil
			}
			return strings.TrimSpace(k), strings.TrimSpace(item), taken
		}
		return "", "", nil
	}
	k, value, ok := strings.Cut(before, ":")
	if !ok || strings.HasPrefix(k, " ") {
		return "", "", nil
	}
	value = strings.TrimLeft(value, " ")
	if rest, ok := strings.CutPrefix(value, "["); ok {
		items := strings.Split(rest, ",")
		for _, it := range items[:len(items)-1] {
			taken[strings.TrimSpace(it)] = true
		}
		value = strings.TrimLeft(items[len(items)-1], " ")
	}
	return strings.TrimSpace(k), value, taken
}

func utf16Units(s string) int {
	n := 0
	for _, r := range s {
		n += utf16Len(r)
	}
	return n
}
