package lint

import (
	"bytes"
	"strings"
	"unicode"

	"github.com/pm-tool/pm/internal/incident"
)

// badID says what makes an id unsafe, or "" when it is fine. pm puts the
// id into file names, commit messages ("pm(<id>): ...") and site URLs, so
// a path separator, a "." or ".." segment, surrounding spaces or a control
// character would escape the incident folder, break a URL or rewrite a
// terminal. Other characters, emoji included, are the team's choice.
func badID(id string) string {
	for _, r := range id {
		if unicode.IsControl(r) {
			return "holds the control character " + runeName(r)
		}
	}
	switch {
	case strings.Contains(id, "/"):
		return `contains "/"`
	case strings.Contains(id, `\`):
		return `contains "\"`
	case id == "." || id == "..":
		return "is a path segment, not a name"
	case strings.TrimSpace(id) != id:
		return "starts or ends with a space"
	}
	return ""
}

// fileID returns the id a file's name gives (its base name without .md),
// or def when the path is not a markdown file.
func fileID(path, def string) string {
	base := path[strings.LastIndexAny(path, `/\`)+1:]
	if !strings.HasSuffix(base, ".md") || base == ".md" {
		return def
	}
	return strings.TrimSuffix(base, ".md")
}

// textValue returns the frontmatter value of a text key.
func textValue(m incident.Meta, key string) string {
	switch key {
	case "title":
		return m.Title
	case "commander":
		return m.Commander
	case "severity":
		return m.Severity
	case "status":
		return m.Status
	}
	return ""
}

// escapedControl returns the first control character of a frontmatter
// value that the file does not hold as such: it came from a YAML escape
// ("\e", "\x1b"), which no other rule sees. A control character written
// into the file is the invisible-characters rule's finding. Tabs and line
// breaks are white space here.
func escapedControl(s *scan, v string) (rune, bool) {
	for _, r := range v {
		if !unicode.IsControl(r) || r == '\t' || r == '\n' || r == '\r' {
			continue
		}
		fm := s.src[:s.bodyStart]
		if !bytes.ContainsRune(fm, r) {
			return r, true
		}
	}
	return 0, false
}
