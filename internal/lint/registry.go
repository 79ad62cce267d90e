package lint

import (
	"embed"
	"strings"
)

// ruleInfo is everything pm knows about one rule, in one place: its
// default level, the check that finds it, the one-line summary and the
// explanation of pm lint --explain, and, for language rules, what a phrase
// does to the reader and how to rewrite it (the message and suggestion of
// each finding).
type ruleInfo struct {
	name    string
	level   Level  // the default; a check leaves Finding.Level empty to get it
	check   *check // what finds it; nil for the two rules Engine.Lint reports itself
	summary string
	effect  string // language rules: what the phrase does to the reader
	rewrite string // language rules: the suggested rewrite
	// off marks a rule that is off unless .pm.yml gives it a level: its
	// precision on the real corpus (testdata/real) is below what a team
	// keeps switched on.
	off bool
	// explanation is the text of pm lint --explain after the summary:
	// explain/NAME.txt, read when the package starts.
	explanation string
}

// rules lists every rule pm lint knows, in the order --explain lists them.
// Names are stable: .pm.yml, suppression comments and CI annotations use
// them. A new rule is a row here, its explanation in explain/NAME.txt and
// the check that reports it.
var rules = withExplanations([]ruleInfo{
	{
		name: "frontmatter", level: Error,
		check:   checkOf((*file).frontmatter),
		summary: "the frontmatter is missing, invalid, has an unknown status or severity, or an unsafe id",
	},
	{
		// Reported by Engine.Lint when the file is not text or incident.Parse
		// refuses it, and by LintFiles when it cannot be read.
		name: "parse", level: Error,
		summary: "the file cannot be read as an incident",
	},
	{
		name: "conflict-markers", level: Error,
		check:   checkOf((*file).conflicts),
		summary: "git merge conflict markers (<<<<<<<, =======, >>>>>>>) left in the file",
	},
	{
		name: "milestone-order", level: Error,
		check:   checkOf((*file).milestoneOrder),
		summary: "the milestone times are out of order (started ≤ detected ≤ mitigated ≤ resolved)",
	},
	{
		name: "status-consistency", level: Error,
		check:   checkOf((*file).statusConsistency),
		summary: "the status disagrees with the milestone times",
	},
	{
		name: "required-sections", level: Error,
		check:   checkOf((*file).requiredSections),
		summary: "a section the post-mortem needs is missing or empty (once resolved)",
	},
	{
		name: "section-headings", level: Warning,
		check:   checkOf((*file).sectionHeadings),
		summary: "a section heading appears twice, or a known section is not a level-2 heading",
	},
	{
		name: "placeholder", level: Error,
		check:   checkOf((*file).placeholder),
		summary: "a template placeholder (_TODO: ...) is still in a resolved (warning) or closed (error) post-mortem",
	},
	{
		name: "adopt-guess", level: Warning,
		check:   checkOf((*file).adoptGuesses),
		summary: "a frontmatter value pm adopt guessed still carries its # pm adopt: comment (not confirmed yet)",
	},
	{
		name: "action-items", level: Error,
		check:   checkOf((*file).actionItems),
		summary: "a resolved incident has no action items, or an action item's due date is not a date",
	},
	{
		name: "action-owner", level: Warning,
		check:   checkOf((*file).actionOwners),
		summary: "an open action item has no @owner, or neither a due date nor a ticket",
	},
	{
		name: "unresolved-hypothesis", level: Warning,
		check:   checkOf((*file).unresolvedHypotheses),
		summary: "a hypothesis is still open in a resolved incident",
	},
	{
		name: "hypothesis-ref", level: Warning,
		check:   checkOf((*file).hypothesisRefs),
		summary: "a log entry confirms or refutes a hypothesis that was never opened, or one already closed",
	},
	{
		name: "log-order", level: Warning,
		check:   checkOf((*file).logOrder),
		summary: "investigation log entries are out of time order",
	},
	{
		name: "secrets", level: Error,
		check:   checkOf((*file).secrets),
		summary: "a credential (key, token, password) is in the file",
	},
	{
		name: "invisible-characters", level: Warning,
		check:   checkOf((*file).invisibles),
		summary: "bidi controls, zero-width or control characters that make text read differently from what it is",
	},
	{
		name: "blame-words", level: Error,
		check:   wordLists,
		summary: "words that judge people (careless, sloppy, dropped the ball, Bob's fault)",
		effect:  "judges a person: readers start defending instead of explaining what happened",
		rewrite: "describe the condition instead: what information, tool or guard was missing at the time",
	},
	{
		name: "human-error", level: Error,
		check:   wordLists,
		summary: `"human error" and its kin: a label that ends the inquiry`,
		effect:  "is a label that ends the inquiry: it names who, not why the action made sense",
		rewrite: "say what made the action reasonable at the time and what would have caught it",
	},
	{
		name: "counterfactual", level: Warning,
		check:   wordLists,
		summary: `counterfactuals: should have, could have, failed to, if only`,
		effect:  "replays the past with knowledge nobody had then: it tells the reader what did not happen instead of what did",
		rewrite: `say what happened and why it made sense then; move the "should" into an action item`,
	},
	{
		// Off by default: on the documents held out of its tuning it was
		// right on 0 of 2 findings; minimisers are too often idiom
		// ("simply to fragile" [sic], "the fix would be to just ...").
		name: "hindsight", level: Info, off: true,
		check:   wordLists,
		summary: `minimisers that hide how hard it was: obviously, clearly, simply, just`,
		effect:  "hides how hard this was to see at the time",
		rewrite: "drop the word, or explain what made it hard to see",
	},
	{
		name: "person-as-cause", level: Warning,
		check:   checkOf((*file).personAsCause),
		summary: `a person as the subject of a failure ("Kevin forgot to", "@bob broke")`,
		effect:  "makes a person the cause: readers stop asking what in the system let this happen",
		rewrite: `name the change or the role's situation, not the person: "the pool limit was not raised before the campaign; the runbook did not list it"`,
	},
	{
		// Reported while reading the suppression comments (suppress.go).
		name: "unknown-rule", level: Warning,
		summary: "a pm-lint comment names a rule that does not exist",
	},
})

// wordLists finds the word-list rules in one pass over the words of the
// prose (language.go).
var wordLists = checkOf((*file).wordLists)

// explanations holds each rule's explanation, explain/NAME.txt: long
// prose reads and diffs better as text than as Go strings.
//
//go:embed explain/*.txt
var explanations embed.FS

// withExplanations fills in each rule's explanation from explain/NAME.txt
// (without the file's final newline). A rule without its file gets none,
// which TestRuleExplanations reports.
func withExplanations(rs []ruleInfo) []ruleInfo {
	for i := range rs {
		if b, err := explanations.ReadFile("explain/" + rs[i].name + ".txt"); err == nil {
			rs[i].explanation = strings.TrimSuffix(string(b), "\n")
		}
	}
	return rs
}

// ruleByName indexes rules.
var ruleByName = func() map[string]*ruleInfo {
	m := make(map[string]*ruleInfo, len(rules))
	for i := range rules {
		m[rules[i].name] = &rules[i]
	}
	return m
}()
