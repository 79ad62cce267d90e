package incident

import (
	"slices"
	"strings"
)

// Step is the method's next step for an incident: where in the loop it
// is (Phase), what to do, in the method's words, and the command that
// records it.
type Step struct {
	Phase   string // observe, orient, decide, act, learn; "" once closed
	Say     string
	Command string
}

// Phases are the method's steps in order, as pm status draws the loop.
var Phases = []string{"observe", "orient", "decide", "act", "learn"}

// Dependencies maps a system to the systems it depends on (.pm.yml
// depends_on): after a refute, the neighbours of what failed are where to
// observe next.
type Dependencies map[string][]string

// around is what system depends on and what depends on it, names
// compared without case as pm compares systems.
func (deps Dependencies) around(system string) (needs, neededBy []string) {
	for k, vs := range deps {
		if strings.EqualFold(k, system) {
			needs = append(needs, vs...)
		}
		for _, v := range vs {
			if strings.EqualFold(v, system) {
				neededBy = append(neededBy, k)
			}
		}
	}
	slices.Sort(neededBy)
	return needs, neededBy
}

// NextStep is what the scientific approach does next for d. The loop: take
// stock of what is up and down, read the logs, orient (what changed, what
// should have happened), only then decide on the most probable cause,
// verify it, act on a confirmed one, and afterwards learn: the timeline and
// one action item of each kind. A refuted hypothesis sends the responder
// back to observing, one step further away from what failed (its
// neighbours in deps, else the rest of the board), until something new is
// observed. A closed incident has no next step (the zero Step).
func NextStep(d *Doc, deps Dependencies) Step {
	logsRead, oriented := false, false
	actedAfterConfirm, afterRefute := false, false
	for _, e := range d.Entries {
		switch e.Kind {
		case "observe":
			logsRead = logsRead || strings.Contains(e.Text, "\n")
			afterRefute = false
		case "up", "down":
			afterRefute = false
		case "orient":
			oriented = true
		case "refuted":
			afterRefute = true
		case "confirmed":
			actedAfterConfirm = false
		case "act":
			actedAfterConfirm = true
		}
	}
	systems := d.Systems()
	var down []string
	for _, s := range systems {
		if s.State == "down" {
			down = append(down, s.System)
		}
	}
	var open []string
	confirmed := false
	for _, h := range d.Hypotheses {
		switch h.State {
		case "open":
			open = append(open, h.ID)
		case "confirmed":
			confirmed = true
		}
	}
	switch d.Meta.Status {
	case "closed":
		return Step{}
	case "mitigated", "resolved":
		if len(down) > 0 {
			// Impact stopped, yet the board still says down: whoever
			// watches it reads "still broken" until someone checks.
			return Step{"learn", "impact has stopped, but the board still has " + strings.Join(down, ", ") + " down: check it", "pm up " + down[0] + ` "what you see now"`}
		}
		return d.learnStep()
	}
	what := "what is down"
	if len(down) > 0 {
		what = strings.Join(down, ", ")
	}
	// The most advanced state wins: a confirmed cause is acted on even if
	// no log was pasted, while a hypothesis made too early still waits
	// for the stock-taking and the logs.
	switch {
	case confirmed && !actedAfterConfirm:
		return Step{"act", "act on the confirmed cause and write down what you did", `pm act "…"`}
	case confirmed:
		return Step{"act", "once impact has stopped, say so", "pm mitigate"}
	case afterRefute && len(open) == 0:
		return furtherAway(systems, down, what, deps)
	case len(systems) == 0:
		sys := "SYSTEM"
		if len(d.Meta.Services) > 0 {
			sys = d.Meta.Services[0] // the service named at pm new is the first to look at
		}
		return Step{"observe", "take stock of what is up and what is down", "pm down " + sys + ` "what you see"`}
	case len(down) > 0 && !logsRead:
		return Step{"observe", "read the logs of " + what, "LOG-COMMAND | pm observe -"}
	case !oriented:
		return Step{"orient", "orient: what changed most recently (pm changes), what should have happened, who else sees it", `pm orient "…"`}
	case len(open) > 0:
		return Step{"act", "verify " + open[0] + ", looking for what would prove it wrong", "pm confirm " + open[0] + ` "why" or pm refute ` + open[0] + ` "why"`}
	}
	return Step{"decide", "decide: only now, name the most probable cause", `pm hypothesis "…"`}
}

// furtherAway is the step after a refute: observe again, one step further
// away from what failed. With depends_on the neighbours are named and the
// command takes stock of the first one not on the board yet; without it,
// the systems already on the board that are up are the ones next to it.
func furtherAway(systems []SystemState, down []string, what string, deps Dependencies) Step {
	onBoard := map[string]bool{}
	var up []string
	for _, s := range systems {
		onBoard[strings.ToLower(s.System)] = true
		if s.State == "up" {
			up = append(up, s.System)
		}
	}
	var parts, near []string
	for _, f := range down {
		needs, neededBy := deps.around(f)
		if len(needs) > 0 {
			parts = append(parts, f+" depends on "+strings.Join(needs, ", "))
		}
		if len(neededBy) > 0 {
			parts = append(parts, strings.Join(neededBy, ", ")+" "+plural(len(neededBy), "depends", "depend")+" on "+f)
		}
		near = append(near, needs...)
		near = append(near, neededBy...)
	}
	for _, n := range near {
		if !onBoard[strings.ToLower(n)] {
			return Step{"observe", "observe again, one step further away: " + strings.Join(parts, "; "), "pm down " + n + ` "…" or pm up ` + n}
		}
	}
	if len(parts) > 0 {
		return Step{"observe", "observe again, one step further away: " + strings.Join(parts, "; "), `pm observe "…"`}
	}
	say := "observe again, one step further away: what " + what + " depends on, and what depends on it"
	if len(up) > 0 && len(down) > 0 {
		say += " (up on the board: " + strings.Join(up, ", ") + ")"
	}
	return Step{"observe", say, `pm observe "…"`}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// learnStep is the next step once impact has stopped: the timeline, one
// action item of each kind not yet covered, resolving, the write-up.
func (d *Doc) learnStep() Step {
	i := d.section("Timeline")
	if i < 0 || strings.Contains(d.bodyText(i), "_TODO:") || strings.TrimSpace(d.bodyText(i)) == "" {
		return Step{"learn", "write the timeline from the log", "pm timeline --write"}
	}
	if !d.Meta.Resolved.IsZero() && !strings.Contains(d.bodyText(i), "**resolved**") {
		// Written at mitigation, before the fix: the resolution is missing.
		return Step{"learn", "the timeline stops before the fix: write it again from the log (it replaces the section)", "pm timeline --write"}
	}
	covered := map[string]bool{}
	for _, a := range d.Actions {
		covered[a.Kind] = true
	}
	for _, k := range []struct{ kind, say string }{
		{"prevent", "prevent it"},
		{"detect", "detect it sooner"},
		{"clarify", "make clearer what is happening"},
		{"automate", "automate the fix"},
	} {
		if !covered[k.kind] {
			return Step{"learn", "add an action item that would " + k.say, `pm action "…" --owner @x --due DATE --kind ` + k.kind}
		}
	}
	if d.Meta.Status == "mitigated" {
		return Step{"learn", "once the root problem is fixed, say so", `pm resolve "…"`}
	}
	return Step{"learn", "write the post-mortem, then close it", "pm edit, then pm close"}
}

// TooEarly says why e, about to be written, is a hypothesis made too
// early, or "" when it is not: the classic panic mistake of naming the
// cause (often last time's) before reading the logs. Two cases, each
// warned about once:
//   - the first hypothesis, before anything was observed;
//   - the first hypothesis naming a system that is down, before any log
//     of it was pasted: an observe of several lines (pm observe - from the
//     log command) that mentions the system, or any such observe while it
//     is the only system down (a pasted log rarely names its system).
func TooEarly(d *Doc, e Entry) string {
	if e.Kind != "hypothesis" {
		return ""
	}
	observed := slices.ContainsFunc(d.Entries, func(x Entry) bool {
		return x.Kind == "observe" || takesSystem(x.Kind)
	})
	if !observed {
		if len(d.Hypotheses) > 0 {
			return ""
		}
		return "comes before anything was observed: decide after you have taken stock and read the logs (pm down SYSTEM, LOG-COMMAND | pm observe -)"
	}
	var down []string
	for _, s := range d.Systems() {
		if s.State == "down" {
			down = append(down, s.System)
		}
	}
	for _, sys := range down {
		if !mentions(e.Text, sys) || slices.ContainsFunc(d.Hypotheses, func(h Hypothesis) bool { return mentions(h.Text, sys) }) {
			continue
		}
		read := slices.ContainsFunc(d.Entries, func(x Entry) bool {
			return x.Kind == "observe" && strings.Contains(x.Text, "\n") && (len(down) == 1 || mentions(x.Text, sys))
		})
		if !read {
			return "names " + sys + ", whose logs nobody has pasted yet: decide after you have read them (LOG-COMMAND | pm observe -)"
		}
	}
	return ""
}

// mentions: text has name as a whole word, ignoring case ("the api pods"
// mentions api; "rapid" does not).
func mentions(text, name string) bool {
	t, n := strings.ToLower(text), strings.ToLower(name)
	if n == "" {
		return false
	}
	word := func(r byte) bool {
		return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r >= 0x80
	}
	for i := 0; ; {
		j := strings.Index(t[i:], n)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(n)
		if (start == 0 || !word(t[start-1])) && (end == len(t) || !word(t[end])) {
			return true
		}
		i = start + 1
	}
}

// NextAfter is NextStep for d once e is appended to its log: the step a
// log command prints, worked out from the Doc it already parsed rather
// than by reading the file again, so the guide costs a pm observe next to
// nothing.
func NextAfter(d *Doc, e Entry, deps Dependencies) Step {
	nd := *d
	nd.Entries = append(slices.Clone(d.Entries), e)
	nd.deriveHypotheses()
	return NextStep(&nd, deps)
}

// OrientQuestions are the orient step's checklist: what a responder asks
// before naming a cause, each answered with pm orient.
var OrientQuestions = []string{
	"Where did it fail, and what exactly did the messages say?",
	"What happened just before it started?",
	"What should have happened instead?",
	"Is it only you, or does everyone see it?",
	"What changed most recently: deploys, config, traffic? (pm changes)",
}
