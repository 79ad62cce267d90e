// Package lint checks post-mortems: structure, action items and blameless
// language (DESIGN §5). The engine runs rules over parsed incident files and
// returns findings; one file per output format prints them.
package lint

// Level is how much a finding matters. Only errors fail a run (exit 1).
type Level string

// The levels, most severe first; "off" in .pm.yml turns a rule off.
const (
	Error   Level = "error"
	Warning Level = "warning"
	Info    Level = "info"
)

// Finding is one problem at one place in one file.
type Finding struct {
	Path   string // slash-separated, relative to the repository root
	Line   int    // 1-based
	Column int    // 1-based, in characters (runes), not bytes
	// EndLine and EndColumn mark the end of the span (inclusive line,
	// exclusive column), 0 when unknown.
	EndLine, EndColumn int
	Rule               string // stable kebab-case name, e.g. "blame-words"
	Level              Level
	Message            string // what is wrong, in one line
	Suggestion         string // a suggested rewrite (language rules, action items pm does not track), "" otherwise
	// LineText is the text of Line (without its line ending), "" for a
	// finding about the whole file. SARIF's fingerprints are made of it,
	// so code scanning keeps a finding's identity when lines above move.
	LineText string
}

// Report is the whole result of a run, as the formats print it.
type Report struct {
	Findings []Finding // sorted by path, line, column, rule
	Files    []string  // every file linted (slash paths), sorted, for per-file summaries
	// RuleDocs gives each rule's one-line description and help text (for
	// SARIF's rules array and --explain), keyed by rule name.
	RuleDocs map[string]RuleDoc
}

// RuleDoc describes a rule for people and for SARIF.
type RuleDoc struct {
	Name        string
	Level       Level  // default level
	Off         bool   // off unless .pm.yml gives it a level
	Summary     string // one line
	Explanation string // why the rule exists and how to rewrite (pm lint --explain)
}
