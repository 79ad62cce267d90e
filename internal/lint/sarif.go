package lint

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/pm-tool/pm/internal/incident"
)

// SARIF 2.1.0 (OASIS, errata 01), for code scanning. Only what pm knows is
// written; the test validates the output against the published schema kept
// in testdata/.
const (
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifVersion = "2.1.0"
	pmInfoURI    = "https://github.com/pm-tool/pm"
	// ruleHelpURI is where the rules are documented for people: the
	// README's lint section, with the table of every rule.
	ruleHelpURI = pmInfoURI + "#lint-structure-action-items-and-blameless-language"
	// fingerprintKey names pm's fingerprint in partialFingerprints. It is
	// the key GitHub code scanning matches alerts on; given one, the upload
	// action does not compute its own from the line's position.
	fingerprintKey = "primaryLocationLineHash"
)

// version is pm's release version, stamped by the release build
// (-X github.com/pm-tool/pm/internal/lint.version=1.2.3, see .goreleaser.yaml).
var version string

// Version is the version of pm that runs, for SARIF's driver.version and
// the language server's serverInfo: the release build's stamp, else the
// module version go install recorded (v1.2.3 without the v), else "devel"
// for a build from a checkout, which has no version to tell.
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return strings.TrimPrefix(bi.Main.Version, "v")
	}
	return "devel"
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool sarifTool `json:"tool"`
	// ColumnKind says how columns count: pm counts characters (runes), not
	// the UTF-16 code units SARIF assumes by default.
	ColumnKind string        `json:"columnKind"`
	Results    []sarifResult `json:"results"` // [] when clean, never null
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	HelpURI              string         `json:"helpUri,omitempty"`
	ShortDescription     *sarifText     `json:"shortDescription,omitempty"`
	FullDescription      *sarifText     `json:"fullDescription,omitempty"`
	Help                 *sarifText     `json:"help,omitempty"`
	DefaultConfiguration *sarifRuleConf `json:"defaultConfiguration,omitempty"`
}

type sarifRuleConf struct {
	Enabled *bool  `json:"enabled,omitempty"`
	Level   string `json:"level,omitempty"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
	// PartialFingerprints identify the finding across commits by what it
	// is about, not where: see fingerprints.
	PartialFingerprints map[string]string `json:"partialFingerprints"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"` // nil for a finding about the whole file
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

// sarifPrinter prints one SARIF log with one run.
type sarifPrinter struct{ w io.Writer }

func newSARIFPrinter(w io.Writer) *sarifPrinter { return &sarifPrinter{w: w} }

func (p *sarifPrinter) Print(r Report) error {
	fs := sortedFindings(r.Findings)
	// Every rule pm documents, plus any a finding names without a doc, so
	// each result's ruleIndex points at its rule.
	names := make([]string, 0, len(r.RuleDocs))
	seen := map[string]bool{}
	for name := range r.RuleDocs {
		names = append(names, name)
		seen[name] = true
	}
	for _, f := range fs {
		if !seen[f.Rule] {
			names = append(names, f.Rule)
			seen[f.Rule] = true
		}
	}
	slices.Sort(names)
	index := make(map[string]int, len(names))
	rules := make([]sarifRule, 0, len(names))
	for i, name := range names {
		index[name] = i
		rules = append(rules, sarifRuleFor(name, r.RuleDocs[name]))
	}

	prints := fingerprints(fs)
	results := make([]sarifResult, 0, len(fs))
	for i, f := range fs {
		text := f.Message
		if f.Suggestion != "" {
			text += "\nsuggestion: " + f.Suggestion
		}
		loc := sarifLocation{PhysicalLocation: sarifPhysical{
			ArtifactLocation: sarifArtifact{URI: sarifURI(f.Path), URIBaseID: "%SRCROOT%"},
		}}
		if f.Line > 0 {
			reg := &sarifRegion{StartLine: f.Line, EndLine: f.EndLine}
			if f.Column > 0 { // SARIF columns start at 1; 0 means unknown here
				reg.StartColumn = f.Column
				reg.EndColumn = f.EndColumn
			}
			if reg.EndLine > 0 && reg.EndLine < reg.StartLine {
				reg.EndLine = 0 // a span that ends before it starts is invalid; say less
			}
			loc.PhysicalLocation.Region = reg
		}
		results = append(results, sarifResult{
			RuleID:              f.Rule,
			RuleIndex:           index[f.Rule],
			Level:               sarifLevel(f.Level),
			Message:             sarifText{Text: text},
			Locations:           []sarifLocation{loc},
			PartialFingerprints: map[string]string{fingerprintKey: prints[i]},
		})
	}

	log := sarifLog{
		Schema:  sarifSchema,
		Version: sarifVersion,
		Runs: []sarifRun{{
			Tool:       sarifTool{Driver: sarifDriver{Name: "pm", Version: Version(), InformationURI: pmInfoURI, Rules: rules}},
			ColumnKind: "unicodeCodePoints",
			Results:    results,
		}},
	}
	enc := json.NewEncoder(p.w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// fingerprints returns each finding's fingerprint, in the order of fs
// (sorted): a hash of the rule and the finding's line text with blanks
// collapsed, then ":" and how many findings of the same file, rule and text
// came before it. No line number goes in, so a finding keeps its
// fingerprint when lines are added or removed above it, or its line is
// re-indented, and two findings on identical lines still differ. Editing
// the line itself gives a new fingerprint: it may be a new finding.
func fingerprints(fs []Finding) []string {
	out := make([]string, len(fs))
	seen := map[string]int{}
	for i, f := range fs {
		text := strings.Join(strings.Fields(f.LineText), " ")
		sum := sha256.Sum256([]byte(f.Rule + "\x00" + text))
		h := hex.EncodeToString(sum[:8])
		key := f.Path + "\x00" + h
		out[i] = fmt.Sprintf("%s:%d", h, seen[key]+1)
		seen[key]++
	}
	return out
}

func sarifRuleFor(name string, d RuleDoc) sarifRule {
	r := sarifRule{ID: name}
	if d.Summary != "" {
		r.ShortDescription = &sarifText{Text: d.Summary}
	}
	if d.Explanation != "" {
		d.Name = name
		r.FullDescription = &sarifText{Text: d.Explanation}
		r.Help = &sarifText{Text: explainText(d), Markdown: helpMarkdown(d)}
		r.HelpURI = ruleHelpURI
	} else if d.Summary != "" {
		r.Help = &sarifText{Text: d.Summary}
		r.HelpURI = ruleHelpURI
	}
	switch d.Level {
	case "":
	case "off":
		off := false
		r.DefaultConfiguration = &sarifRuleConf{Enabled: &off}
	default:
		r.DefaultConfiguration = &sarifRuleConf{Level: sarifLevel(d.Level)}
	}
	return r
}

// helpMarkdown is the --explain text as markdown, for code scanning's rule
// help: the explanation's paragraphs with markdown's special characters
// escaped, so they read as written, and its indented examples as fenced
// code blocks, as the terminal shows them.
func helpMarkdown(d RuleDoc) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** (default level: %s): %s\n\n", mdEscape(d.Name), d.Level, mdEscape(d.Summary))
	lines := strings.Split(d.Explanation, "\n")
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "  ") {
			b.WriteString(mdEscape(lines[i]) + "\n")
			continue
		}
		// An example: indented lines, blank lines between them included.
		j := i
		for j < len(lines) && (strings.HasPrefix(lines[j], "  ") || strings.TrimSpace(lines[j]) == "" &&
			j+1 < len(lines) && strings.HasPrefix(lines[j+1], "  ")) {
			j++
		}
		code := lines[i:j]
		fence := strings.Repeat("`", max(3, incident.LongestRun(strings.Join(code, "\n"), '`')+1))
		b.WriteString(fence + "text\n")
		for _, l := range code {
			b.WriteString(strings.TrimPrefix(l, "  ") + "\n")
		}
		b.WriteString(fence + "\n")
		i = j - 1
	}
	fmt.Fprintf(&b, "\n`pm lint --explain %s` prints this text.\n", d.Name)
	return b.String()
}

// mdEscape backslash-escapes what markdown would read as markup in one
// line of text: inline marks anywhere, and at the start of the line what
// makes a heading, a list item or a rule.
func mdEscape(line string) string {
	var b strings.Builder
	rest := strings.TrimLeft(line, " ")
	b.WriteString(line[:len(line)-len(rest)])
	if rest != "" && (strings.ContainsRune("#-+=", rune(rest[0])) || startsNumbered(rest)) {
		b.WriteByte('\\')
	}
	for _, r := range rest {
		if strings.ContainsRune("\\`*_[]<>|~", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// startsNumbered says whether s starts like an ordered list item ("1. ").
func startsNumbered(s string) bool {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')')
}

// sarifLevel maps pm's levels onto SARIF's; SARIF calls info "note".
func sarifLevel(l Level) string {
	switch l {
	case Error:
		return "error"
	case Info:
		return "note"
	}
	return "warning"
}

// sarifURI makes a relative URI reference of a path: forward slashes, and
// spaces and other characters percent-encoded, as a URI must be. A first
// segment with a colon gets "./" so it is not read as a scheme.
func sarifURI(p string) string {
	return (&url.URL{Path: filepath.ToSlash(p)}).String()
}
