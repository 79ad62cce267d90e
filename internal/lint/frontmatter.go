package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pm-tool/pm/internal/config"
)

// The frontmatter rule: the keys pm reads are there, filled in and valid.

// statuses are the values of status, in the order an incident moves.
var statuses = []string{"investigating", "mitigated", "resolved", "closed"}

// requiredKeys must be present and non-empty in every frontmatter.
var requiredKeys = []string{"id", "title", "status", "severity", "started"}

// knownKeys are the frontmatter keys pm reads; an unknown key close to one
// of them is probably a typo.
var knownKeys = []string{"id", "title", "status", "severity", "started", "detected", "mitigated", "resolved",
	"commander", "authors", "services", "tags", "private"}

var keyHint = map[string]string{
	"id":       "id: 2026-11-24-api-returns-502 (the file name without .md)",
	"title":    "title: API returns 502 for all requests",
	"status":   "status: investigating (or mitigated, resolved, closed)",
	"severity": "severity: SEV2 (one of the severities in .pm.yml)",
	"started":  "started: 2026-11-24T09:10:00Z (when impact began, UTC)",
}

// done reports whether an incident is over, so that its post-mortem must be
// complete: sections written, placeholders gone, action items present.
func done(status string) bool { return status == "resolved" || status == "closed" }

// frontmatter checks the frontmatter of a parsed file.
func (f *file) frontmatter() {
	if !f.parsed() {
		return
	}
	if f.s.fmOpen == 0 {
		f.at("frontmatter", 1, "no frontmatter: start the file with a --- line, the keys %s, and a closing --- (pm new writes them)", strings.Join(requiredKeys, ", "))
		return
	}
	f.requiredKeys()
	f.frontmatterID()
	m := f.d.Meta
	for _, k := range []string{"title", "commander", "severity", "status"} {
		if r, ok := escapedControl(f.s, textValue(m, k)); ok {
			f.at("frontmatter", f.keyLine(k), "%s holds the control character %s (written as a YAML escape): a terminal that prints it obeys it; remove it", k, runeName(r))
		}
	}
	if strings.ContainsAny(strings.TrimRight(m.Title, "\n"), "\r\n") {
		// A title is one line: the commit subject, the page heading, a
		// row of pm list. pm schema refuses it too.
		f.at("frontmatter", f.keyLine("title"), "title spans more than one line; a title is one line (the commit subject and the page heading): join the lines")
	}
	f.frontmatterValues()
	for _, k := range m.Extra {
		if c := config.Closest(k, knownKeys); c != "" {
			f.atLevel(Warning, "frontmatter", f.keyLine(k), "unknown key %q: did you mean %q? (pm ignores %q)", k, c, k)
		}
	}
}

// requiredKeys reports the required keys that are missing or empty.
func (f *file) requiredKeys() {
	m := f.d.Meta
	values := map[string]bool{"id": strings.TrimSpace(m.ID) != "", "title": m.Title != "", "status": m.Status != "", "severity": m.Severity != "", "started": !m.Started.IsZero()}
	for _, k := range requiredKeys {
		if values[k] {
			continue
		}
		if _, ok := m.Lines[k]; ok {
			f.at("frontmatter", f.keyLine(k), "%s is empty; fill it in, like %s", k, keyHint[k])
		} else {
			f.at("frontmatter", f.s.fmClose, "%s is missing; add it before this line: %s", k, keyHint[k])
		}
	}
}

// frontmatterID reports an unsafe id, and an id that is not the file's
// name (a warning).
func (f *file) frontmatterID() {
	m := f.d.Meta
	if strings.TrimSpace(m.ID) == "" {
		return // requiredKeys reports it
	}
	if why := badID(m.ID); why != "" {
		f.at("frontmatter", f.keyLine("id"), "id %q %s: the id names the file and goes into commit messages and URLs; use the file name without .md (%s)", m.ID, why, fileID(f.d.Path, "2026-11-24-api-returns-502"))
	} else if name := fileID(f.d.Path, ""); name != "" && name != m.ID {
		f.atLevel(Warning, "frontmatter", f.keyLine("id"), "id %q differs from the file name %q; pm finds incidents by file name (-i), so make them the same", m.ID, name)
	}
}

// frontmatterValues reports a status or severity pm does not know.
func (f *file) frontmatterValues() {
	m, sevs := f.d.Meta, f.e.cfg.Severities
	if m.Status != "" && !slices.Contains(statuses, m.Status) {
		hint := ""
		if i := slices.IndexFunc(statuses, func(v string) bool { return strings.EqualFold(v, m.Status) }); i >= 0 {
			hint = fmt.Sprintf(" (write it in lower case: %s)", statuses[i])
		}
		f.at("frontmatter", f.keyLine("status"), "status %q is not one of %s%s", m.Status, strings.Join(statuses, ", "), hint)
	}
	if m.Severity != "" && !slices.Contains(sevs, m.Severity) {
		hint := " (set severities in .pm.yml)"
		if i := slices.IndexFunc(sevs, func(v string) bool { return strings.EqualFold(v, m.Severity) }); i >= 0 {
			hint = fmt.Sprintf(" (did you mean %s?)", sevs[i])
		}
		f.at("frontmatter", f.keyLine("severity"), "severity %q is not one of %s%s", m.Severity, strings.Join(sevs, ", "), hint)
	}
}
