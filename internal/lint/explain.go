package lint

import (
	"sort"
	"strings"
)

// ruleInfo is everything pm knows about one rule, in one place: its
// default level, the one-line summary and the explanation of pm lint
// --explain, and, for language rules, what a phrase does to the reader and
// how to rewrite it (the message and suggestion of each finding).
type ruleInfo struct {
	name        string
	level       Level
	summary     string
	explanation string
	effect      string // language rules: what the phrase does to the reader
	rewrite     string // language rules: the suggested rewrite
	// off marks a rule that is off unless .pm.yml gives it a level: its
	// precision on the real corpus (testdata/real) is below what a team
	// keeps switched on.
	off bool
}

// rules lists every rule pm lint knows, in the order --explain lists them.
// Names are stable: .pm.yml, suppression comments and CI annotations use
// them.
var rules = []ruleInfo{
	{
		name: "frontmatter", level: Error,
		summary: "the frontmatter is missing, invalid, has an unknown status or severity, or an unsafe id",
		explanation: `Every incident starts with a YAML frontmatter between "---" lines that holds
its id, title, status, severity and the milestone times. pm list, pm stats
and the site read nothing else, so a file without it, with a status other
than investigating, mitigated, resolved or closed, with a severity outside
the list in .pm.yml, or with a time that is not RFC 3339 is invisible or
wrong everywhere else. A frontmatter key that looks like a misspelt known
key ("servces") is reported as a warning; other unknown keys are yours and
are kept.

The id names the file and goes into commit messages and site URLs, so an
id holding "/" or "\", one that is "." or "..", one with spaces around it
or with control characters is an error: "id: ../../tmp/x" would point
outside the incident folder. An id that differs from the file name is a
warning, because pm -i finds incidents by file name. Emoji and other
letters are fine in an id as long as the file is named the same. A title,
commander, status or severity holding a control character written as a
YAML escape ("\e[2J") is an error: a terminal that prints pm list obeys it.

Fix: write the keys as pm new does:

  ---
  id: 2026-11-24-api-returns-502
  title: API returns 502 for all requests
  status: investigating
  severity: SEV2
  started: 2026-11-24T09:10:00Z
  detected: 2026-11-24T09:12:00Z
  ---`,
	},
	{
		name: "parse", level: Error,
		summary: "the file cannot be read as an incident",
		explanation: `pm could not read the file as an incident: it is not UTF-8 text, is too
large, or has a log entry or action item that starts like one but cannot
be read (a bad time, an unknown kind). pm never rewrites a file it cannot
read, so every later pm command on it fails too.

Fix: correct the line the message names. Entries look like

  - ` + "`2026-11-24T09:14:03Z`" + ` **observe** TEXT _(alice)_

with a full RFC 3339 UTC time and one of the kinds observe, orient,
decide, act, note, hypothesis Hn, confirmed Hn, refuted Hn, up SYSTEM,
down SYSTEM, mitigated, resolved, closed, reopened.`,
	},
	{
		name: "conflict-markers", level: Error,
		summary: "git merge conflict markers (<<<<<<<, =======, >>>>>>>) left in the file",
		explanation: `When two people change the same lines, git stops the merge and writes both
versions into the file between conflict markers:

  <<<<<<< HEAD
  - ` + "`2026-11-20T10:35:00Z`" + ` **note** ours _(dana)_
  =======
  - ` + "`2026-11-20T10:36:00Z`" + ` **note** theirs _(lee)_
  >>>>>>> other

pm's merge driver merges log entries, action items and frontmatter by
itself and leaves markers only in prose sections it could not merge; git's
own merge leaves them anywhere. A file committed with markers shows both
versions, or a broken list, to every reader, and pm may misread the lines
around them. The rule reports one finding per conflict, at its <<<<<<<
line; markers inside code blocks are text and are not reported.

Fix: keep the text that is right (often both sides, in time order), delete
the <<<<<<<, ||||||| (diff3), ======= and >>>>>>> lines, and commit.`,
	},
	{
		name: "milestone-order", level: Error,
		summary: "the milestone times are out of order (started ≤ detected ≤ mitigated ≤ resolved)",
		explanation: `Impact starts before anyone detects it, is mitigated after that and
resolved last. Times out of this order make time-to-detect, -mitigate and
-resolve negative in pm stats and usually mean a typo in a date or a time
zone (every time in the file is UTC).

Fix: correct the time the message names; write times in UTC with a Z.`,
	},
	{
		name: "status-consistency", level: Error,
		summary: "the status disagrees with the milestone times",
		explanation: `The status and the milestone times must tell the same story: a resolved or
closed incident has a resolved time, a mitigated one a mitigated time, and
an incident still investigating has no resolved time (nor a mitigated time,
unless the log shows it was reopened). Readers and pm stats trust both.

Fix: use pm mitigate, pm resolve, pm close and pm reopen, which set the
status and the time together, or correct the frontmatter by hand.`,
	},
	{
		name: "required-sections", level: Error,
		summary: "a section the post-mortem needs is missing or empty (once resolved)",
		explanation: `Once an incident is resolved its post-mortem is what people will read. The
sections listed in .pm.yml under lint.required_sections (by default
Summary, Impact, Timeline, Contributing factors and Action items, matched
case-insensitively) are what a reader needs to learn from it: what
happened, to whom, in what order, why it made sense at the time, and what
changes now. While an incident is investigated or mitigated they may stay
empty.

Fix: add the section as a "## Heading" with its text, or change the list
in .pm.yml.`,
	},
	{
		name: "section-headings", level: Warning,
		summary: "a section heading appears twice, or a known section is not a level-2 heading",
		explanation: `pm finds sections by their level-2 headings ("## Investigation log"),
matched case-insensitively, and reads and writes only the first one of a
name: with two "## Investigation log" sections, pm observe appends to the
first and pm status, the site and pm lint never read the entries of the
second. A known section (the required sections of .pm.yml, Investigation
log, Action items) written at another level ("### Investigation log",
"# Action items") or without the space after the #s ("##Action items") is
not seen at all: its entries and action items do not count.

Fix: merge the two sections into one, or write the heading as a level-2
heading:

  ## Investigation log`,
	},
	{
		name: "placeholder", level: Error,
		summary: "a template placeholder (_TODO: ...) is still in a resolved (warning) or closed (error) post-mortem",
		explanation: `Templates put a "_TODO: ..." line in each section to say what belongs
there. In a closed post-mortem such a line means the section was never
written: an error, and pm close refuses until it is gone. A resolved
incident gets a warning, as the write-up usually follows the fix by days.
While the incident is open, placeholders are expected and not reported.

Fix: replace the line with the text it asks for, or delete it.`,
	},
	{
		name: "action-items", level: Error,
		summary: "a resolved incident has no action items, or an action item's due date is not a date",
		explanation: `A post-mortem without action items changes nothing: the same conditions
will line up again. The method behind pm asks for changes that prevent the
problem, detect it earlier, make it clearer what is happening, or automate
the response. An incident that is still investigated needs none yet.

Whatever the status, an action item's due field must be a real date
(YYYY-MM-DD): "due 2026-13-45" or "due 2026-02-30" is kept as text, so pm
actions cannot sort the item or tell that it is overdue.

Fix: add at least one under "## Action items", as a task item:

  - [ ] Alert 14 days before a lease expires — @bob, due 2026-12-08, detect

or with pm action TEXT --owner @bob --due 2026-12-08 --kind detect, which
checks the date.`,
	},
	{
		name: "action-owner", level: Warning,
		summary: "an open action item has no @owner, or neither a due date nor a ticket",
		explanation: `An action item without an owner belongs to nobody, and one without a due
date or a ticket is never looked at again; action-item follow-through is
where post-mortems most often fail (Google SRE book, chapter 15).

Fix: end the item with its fields after an em dash:

  - [ ] Runbook for rotating api credentials — @alice, due 2026-12-01, clarify

or link a ticket instead of a date: — @alice, [OPS-123](https://...).`,
	},
	{
		name: "unresolved-hypothesis", level: Warning,
		summary: "a hypothesis is still open in a resolved incident",
		explanation: `Every hypothesis written down during the investigation should end confirmed
or refuted, with the reason. An open one in a resolved post-mortem leaves
readers guessing whether it was ruled out, and the next incident on the
same service cannot use it (pm new lists earlier confirmed causes).

Fix: pm confirm Hn TEXT or pm refute Hn TEXT, with what settled it.`,
	},
	{
		name: "hypothesis-ref", level: Warning,
		summary: "a log entry confirms or refutes a hypothesis that was never opened, or one already closed",
		explanation: `"confirmed H3" must follow a "hypothesis H3" entry, and a hypothesis is
closed once. An entry that names an unknown or already closed hypothesis
usually has the wrong number, and pm status and the site then show the
wrong fate for the right hypothesis.

Fix: correct the number in the entry.`,
	},
	{
		name: "log-order", level: Warning,
		summary: "investigation log entries are out of time order",
		explanation: `The investigation log is read as a story in time order, and pm timeline
and the merge driver keep it that way. An entry earlier than the one above
it was usually typed by hand or pasted in the wrong place.

Fix: move the entry up to its place in time, or correct its time; to
record something after the fact, use --at, which inserts it in order.`,
	},
	{
		name: "secrets", level: Error,
		summary: "a credential (key, token, password) is in the file",
		explanation: `A credential in a post-mortem is in git history for good once committed,
and post-mortems are shared widely and published with pm site. pm redacts
secrets from the entries it writes; this rule catches those typed or
pasted by hand. It reports only text whose shape or label says
"credential" (vendor key formats, PEM private keys, passwords in URLs,
bearer tokens, labelled values like password=...), not hashes or ids.

Fix: delete the value (write [redacted] instead) and rotate the credential,
since it may already have been pushed.`,
	},
	{
		name: "invisible-characters", level: Warning,
		summary: "bidi controls, zero-width or control characters that make text read differently from what it is",
		explanation: `Some characters change how text looks without showing themselves:

- bidi embedding, override and isolate controls (U+202A–U+202E,
  U+2066–U+2069) reorder the text around them, so a line displays
  differently from what it holds ("Trojan source"); they are reported
  anywhere, code blocks included, since that is where they mislead;
- zero-width characters (U+200B, U+200C, U+200D, U+2060, and U+FEFF
  anywhere but the start of the file) hide inside words: "hu[U+200B]man error"
  reads as "human error" but does not match in search, grep or other word
  checks (pm's language rules read through them). They are reported
  outside code, except a zero-width joiner inside an emoji sequence (👩‍💻)
  and zero-width characters between letters of scripts that use them
  (Persian, Indic, Thai...);
- control characters other than tab and line breaks (C0 and C1, such as
  ESC): a terminal that prints the file, or pm list, obeys them.

Right-to-left text itself (Arabic, Hebrew) and the marks U+200E and U+200F
are fine. One finding per line names the worst character on it.

Fix: delete the character. In most editors, search for it by code point
(\u202e); "cat -A" or "git diff --ws-error-highlight=all" shows it.`,
	},
	{
		name: "blame-words", level: Error,
		summary: "words that judge people (careless, sloppy, dropped the ball, Bob's fault)",
		effect:  "judges a person: readers start defending instead of explaining what happened",
		rewrite: "describe the condition instead: what information, tool or guard was missing at the time",
		explanation: `Words such as careless, negligent, sloppy, lazy, reckless, incompetent,
"dropped the ball", "X's fault", "to blame" or "culprit" judge a person.
A post-mortem asks how the system let a reasonable action lead to harm, not
who is at fault; once people feel judged they stop telling what they saw
and did, and the next incident is harder to learn from (John Allspaw,
"Blameless PostMortems and a Just Culture", Etsy, 2012; Google SRE book,
chapter 15 "Postmortem Culture: Learning from Failure").

Judgements of haste or competence count too: hurriedly, hastily, misguided,
rookie, "poorly written", wrongly (after a person), "be more careful".

Not flagged: blameless, fault-tolerant, fault injection, default; a negated
word ("this is not incompetence", "nobody was careless"); "culprit" for a
thing ("the culprit was a cron job").

Rewrite: describe the condition instead: what information, tool or guard
was missing. "Bob carelessly ran the script against production" becomes
"the script ran against production: its target came from an environment
variable that the shell still had from an earlier session, and it did not
ask for confirmation".`,
	},
	{
		name: "human-error", level: Error,
		summary: `"human error" and its kin: a label that ends the inquiry`,
		effect:  "is a label that ends the inquiry: it names who, not why the action made sense",
		rewrite: "say what made the action reasonable at the time and what would have caught it",
		explanation: `"Human error", "operator error", "user error" (as a cause) and PEBKAC name
a cause that explains nothing: in Sidney Dekker's "new view" (The Field
Guide to Understanding Human Error), human error is where an investigation
starts, not where it ends. The label stops people asking why the action
looked right at the time and what would have caught it, which is where the
useful action items are (PagerDuty postmortem guide, "Blameless").

Not flagged: "error" alone, "user error messages".

Rewrite: say what made the action reasonable at the time and what would
have caught it. "Root cause: human error" becomes "the deploy tool accepted
a config with an empty host list; nothing validated it before rollout".`,
	},
	{
		name: "counterfactual", level: Warning,
		summary: `counterfactuals: should have, could have, failed to, if only`,
		effect:  "replays the past with knowledge nobody had then: it tells the reader what did not happen instead of what did",
		rewrite: `say what happened and why it made sense then; move the "should" into an action item`,
		explanation: `"Should have", "could have", "would have", "ought to have", "if only", and
"we failed to" / "neglected to" describe a world that did not happen. They
are written with knowledge nobody had at the time (Dekker calls them
counterfactuals, a mark of hindsight bias) and they hide the real question:
why did what people did make sense to them then?

The rule reads the subject: "should have", "could have" and "would have"
count when a person did or did not do something ("we should have checked"),
when the act is human though the subject is not ("an issue which should have
been addressed"), or when the subject is an activity ("testing the
application would have caught it").

Not flagged: "the job failed to start" and "the job should have retried"
(a system as the subject), "downstream actions should have been
automatically corrected" (expected behaviour), "customers would have seen
503s", "the request should have a timeout" (a design statement), questions
and headings ("What could have gone better?"), "if only one replica is
healthy" (a condition).

Rewrite: say what happened and why it made sense then, and move the
"should" into an action item. "We should have checked the lease expiry"
becomes "nothing showed the lease expiry date; the alert for it is an
action item".`,
	},
	{
		// Off by default: on the documents held out of its tuning it was
		// right on 0 of 2 findings; minimisers are too often idiom
		// ("simply to fragile" [sic], "the fix would be to just ...").
		name: "hindsight", level: Info, off: true,
		summary: `minimisers that hide how hard it was: obviously, clearly, simply, just`,
		effect:  "hides how hard this was to see at the time",
		rewrite: "drop the word, or explain what made it hard to see",
		explanation: `"Obviously", "clearly", "simply", "just (restart it)", "of course",
"trivially" and "everyone knows" make what was hard during the incident
sound easy afterwards. Readers who did not find it easy conclude the
responders were slow, and the signals that really were hard to read go
unfixed (hindsight bias: PagerDuty postmortem guide; Dekker).

"Just" and "simply" count where they minimise: "just restart it", "you can
simply roll back", "rather than just rewriting it", "the fix was just to
restart".

Not flagged: just-in-time, adjust, "just before 09:00", "a just culture",
"we had just deployed" (a moment ago), "the web app just went down"
(suddenly), "the service simply stopped responding", "label each host
clearly", "it was not obvious".

Rewrite: drop the word, or explain what made it hard to see. "The fix was
simply to restart the pod" becomes "restarting the pod fixed it; nothing
pointed at the pod until the heap graph was opened".`,
	},
	{
		name: "person-as-cause", level: Warning,
		summary: `a person as the subject of a failure ("Kevin forgot to", "@bob broke")`,
		effect:  "makes a person the cause: readers stop asking what in the system let this happen",
		rewrite: `name the change or the role's situation, not the person: "the pool limit was not raised before the campaign; the runbook did not list it"`,
		explanation: `"Kevin forgot to raise the limit", "@bob broke the build", "Alice's change
caused the outage", "the on-call engineer missed the page" put a person
where the cause should be. The same slip was possible for anyone in that
seat; what matters is what made it possible and what would have caught it
(Etsy's Debriefing Facilitation Guide; Allspaw 2012).

The rule looks for a person as the subject of a failure: a failure verb
(forgot, missed, broke, caused, failed to, didn't, ignored, overlooked,
neglected, messed up, made a mistake) right after a name, an @handle or a
role ("the intern", "an engineer", "the team"); a role that opens a clause
whose act went wrong ("an exhausted operator mistakenly ran", "the engineer
ran rm -rf on the wrong server", "instead of the replica"); the agent of a
passive failure ("the deletion of the database by a new intern"); and a
person named as the root cause ("Root cause: user initiated restart").
Systems as subjects are facts ("the job failed to start", "the alert
missed the spike"), a person doing something neutral is fine ("Alice
restarted the service", "an engineer merged the rule"), "we" writing about
itself is accountability, and the owners of action items are not causes.

Rewrite: name the change or the role's situation, not the person. Each
suggestion rewrites its own sentence without the person and keeps the facts: "Kevin forgot to raise the pool limit" becomes "the pool limit
was not raised", "the engineer ran rm -rf on the primary" becomes "rm -rf
was run on the primary"; then say what let it happen (a missing check,
default or alert) and make that an action item.`,
	},
	{
		name: "unknown-rule", level: Warning,
		summary: "a pm-lint comment names a rule that does not exist",
		explanation: `A suppression comment such as <!-- pm-lint-disable blame-word --> that names
an unknown rule suppresses nothing, so the findings it was meant to hide
still show, or worse, a misspelling hides that nothing is suppressed.

Fix: use one of the names pm lint --explain lists. The comments are:

  <!-- pm-lint-disable RULE[, RULE] -->      until pm-lint-enable (all rules without a name)
  <!-- pm-lint-enable RULE -->
  <!-- pm-lint-disable-next-line RULE -->   the next line only

A pm-lint-disable before the first heading covers the whole file,
frontmatter included.`,
	},
}

// ruleByName indexes rules.
var ruleByName = func() map[string]*ruleInfo {
	m := make(map[string]*ruleInfo, len(rules))
	for i := range rules {
		m[rules[i].name] = &rules[i]
	}
	return m
}()

// RuleNames returns the names of every rule, sorted.
func RuleNames() []string {
	names := make([]string, len(rules))
	for i, r := range rules {
		names[i] = r.name
	}
	sort.Strings(names)
	return names
}

// Docs returns every rule's documentation keyed by name, for Report.RuleDocs.
func Docs() map[string]RuleDoc {
	m := make(map[string]RuleDoc, len(rules))
	for _, r := range rules {
		m[r.name] = RuleDoc{Name: r.name, Level: r.level, Off: r.off, Summary: r.summary, Explanation: r.explanation}
	}
	return m
}

// Explain returns the text pm lint --explain prints for a rule: its name,
// default level and summary, then why it exists and how to rewrite.
func Explain(name string) (string, bool) {
	r, ok := ruleByName[name]
	if !ok {
		return "", false
	}
	return explainText(RuleDoc{Name: r.name, Level: r.level, Off: r.off, Summary: r.summary, Explanation: r.explanation}), true
}

// explainText lays out a rule's doc as --explain prints it; SARIF's rule
// help is the same text.
func explainText(d RuleDoc) string {
	var b strings.Builder
	if d.Off {
		b.WriteString(d.Name + " (off by default; lint.rules." + d.Name + ": " + string(d.Level) + " turns it on)\n")
	} else {
		b.WriteString(d.Name + " (default level: " + string(d.Level) + ")\n")
	}
	b.WriteString(d.Summary + "\n\n")
	b.WriteString(d.Explanation + "\n")
	return b.String()
}
