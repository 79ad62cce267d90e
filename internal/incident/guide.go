package incident

import (
	"slices"
	"strings"
)

// Step is the method's next step for an incident: what to do, in the
// method's words, and the command that records it.
type Step struct {
	Say     string
	Command string
}

// NextStep is what the scientific approach does next for d, the incident
// as it is after last was written (last is zero for a change that is not
// a log entry, such as an action item). The loop: take stock of what is up
// and down, read the logs, orient (what changed, what should have
// happened), only then decide on the most probable cause, verify it, act
// on a confirmed one, and afterwards learn: the timeline and one action
// item of each kind. A refuted hypothesis sends the responder back to
// observing, one step further away from what failed. A closed incident
// has no next step (the zero Step).
func NextStep(d *Doc, last Entry) Step {
	var down []string
	state := map[string]string{}
	var order []string
	logsRead, oriented := false, false
	actedAfterConfirm := false
	for _, e := range d.Entries {
		switch e.Kind {
		case "up", "down":
			if _, ok := state[e.System]; !ok {
				order = append(order, e.System)
			}
			state[e.System] = e.Kind
		case "observe":
			logsRead = logsRead || strings.Contains(e.Text, "\n")
		case "orient":
			oriented = true
		case "confirmed":
			actedAfterConfirm = false
		case "act":
			actedAfterConfirm = true
		}
	}
	for _, s := range order {
		if state[s] == "down" {
			down = append(down, s)
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
	case last.Kind == "refuted":
		return Step{"observe again, one step further away: what " + what + " depends on, and what depends on it", `pm observe "…"`}
	case confirmed && !actedAfterConfirm:
		return Step{"act on the confirmed cause and write down what you did", `pm act "…"`}
	case confirmed:
		return Step{"once impact has stopped, say so", "pm mitigate"}
	case len(state) == 0:
		return Step{"take stock of what is up and what is down", `pm down SYSTEM "what you see"`}
	case len(down) > 0 && !logsRead:
		return Step{"read the logs of " + what, "LOG-COMMAND | pm observe -"}
	case !oriented:
		return Step{"orient: what changed most recently, what should have happened, who else sees it", `pm orient "…"`}
	case len(open) > 0:
		return Step{"verify " + open[0] + ", looking for what would prove it wrong", "pm confirm " + open[0] + ` "why" or pm refute ` + open[0] + ` "why"`}
	}
	return Step{"decide: only now, name the most probable cause", `pm hypothesis "…"`}
}

// learnStep is the next step once impact has stopped: the timeline, one
// action item of each kind not yet covered, resolving, the write-up.
func (d *Doc) learnStep() Step {
	if i := d.section("Timeline"); i < 0 || strings.Contains(d.bodyText(i), "_TODO:") || strings.TrimSpace(d.bodyText(i)) == "" {
		return Step{"write the timeline from the log", "pm timeline --write"}
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
			return Step{"add an action item that would " + k.say, `pm action "…" --owner @x --due DATE --kind ` + k.kind}
		}
	}
	if d.Meta.Status == "mitigated" {
		return Step{"once the root problem is fixed, say so", `pm resolve "…"`}
	}
	return Step{"write the post-mortem, then close it", "pm edit, then pm close"}
}

// TooEarly reports that e, about to be written, is a hypothesis made
// before anything was observed: the classic panic mistake of naming the
// cause (often last time's) before reading the logs.
func TooEarly(d *Doc, e Entry) bool {
	if e.Kind != "hypothesis" || len(d.Hypotheses) > 0 {
		return false
	}
	for _, x := range d.Entries {
		switch x.Kind {
		case "observe", "up", "down":
			return false
		}
	}
	return true
}

// NextAfter is NextStep for d once e is appended to its log: the step a
// log command prints, worked out from the Doc it already parsed rather
// than by reading the file again, so the guide costs a pm observe next to
// nothing.
func NextAfter(d *Doc, e Entry) Step {
	nd := *d
	nd.Entries = append(slices.Clone(d.Entries), e)
	nd.deriveHypotheses()
	return NextStep(&nd, e)
}

// OrientQuestions are the orient step's checklist: what a responder asks
// before naming a cause, each answered with pm orient.
var OrientQuestions = []string{
	"Where did it fail, and what exactly did the messages say?",
	"What happened just before it started?",
	"What should have happened instead?",
	"Is it only you, or does everyone see it?",
	"What changed most recently: deploys, config, traffic, dependencies?",
}

// LastEntry is the log's latest entry (zero when the log is empty): the
// one NextStep is worked out after when no write just happened.
func (d *Doc) LastEntry() Entry {
	var last Entry
	for _, e := range d.Entries {
		if !e.Time.Before(last.Time) {
			last = e
		}
	}
	return last
}
