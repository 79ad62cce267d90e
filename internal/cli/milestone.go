package cli

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/incident"
	"github.com/pm-tool/pm/internal/lint"
)

// milestoneCmd is one of the commands that move an incident through its
// states.
type milestoneCmd struct {
	name, kind, status, usage, example string
	gate                               bool // lint must pass at the new status (gate)
}

var milestoneCmds = []milestoneCmd{
	{"mitigate", "mitigated", "mitigated", "impact has stopped: set status and the mitigated time", `pm mitigate "traffic drained to eu-west"`, false},
	{"resolve", "resolved", "resolved", "the root problem is fixed: set status and the resolved time", `pm resolve "credentials rotated, alert added"`, true},
	{"close", "closed", "closed", "the post-mortem is done: set status closed", `pm close`, true},
	{"reopen", "reopened", "investigating", "it is not over: back to investigating", `pm reopen "502s are back"`, false},
}

// milestoneCommands move an incident through its states (incident.Doc's
// Milestone has the rules). Each sets the status and its timestamp and
// appends the milestone entry, in one commit.
func (a *app) milestoneCommands() []*ucli.Command {
	var cmds []*ucli.Command
	for _, m := range milestoneCmds {
		cmds = append(cmds, a.milestoneCommand(m))
	}
	return cmds
}

func (a *app) milestoneCommand(m milestoneCmd) *ucli.Command {
	desc := "Appends a " + m.kind + " entry and sets status: " + m.status + "."
	flags := logFlags()
	if m.gate {
		desc += "\nRefused while pm lint would find errors in the " + m.status + " incident\n(it lists them); --force " + m.name + "s it as it is."
		if m.name == "resolve" {
			desc += " The template's placeholders\nare a warning until pm close: the write-up comes later."
		}
		flags = append(flags, &ucli.BoolFlag{Name: "force", Usage: m.name + " even though pm lint finds errors" + map[bool]string{true: " or it is still investigating"}[m.name == "close"]})
	}
	return &ucli.Command{
		Name:        m.name,
		Usage:       m.usage,
		ArgsUsage:   "[TEXT|-]",
		Description: desc + "\n\nExamples:\n  " + m.example + "\n  pm " + m.name + " --at 10:42",
		Flags:       flags,
		Action:      func(c *ucli.Context) error { return a.milestone(entryFlags(c, c.Args().Slice())) },
	}
}

// milestoneOutcome is what a milestone's edit leaves to say once it is
// committed.
type milestoneOutcome struct {
	kept   time.Time // a mitigated time a second pm mitigate left as it was
	forced int       // lint errors --force went past
}

// milestone writes the milestone entry of o.Command (the log commands'
// path: -i, --at, the text) and says what --force went past or what time
// was kept.
func (a *app) milestone(o entryOptions) error {
	m := milestoneCmds[slices.IndexFunc(milestoneCmds, func(m milestoneCmd) bool { return m.name == o.Command })]
	text, err := a.entryText(o, m.kind, false)
	if err != nil {
		return err
	}
	var got milestoneOutcome
	err = a.writeEntry(o, incident.Entry{Kind: m.kind, Text: text}, a.milestoneEdit(m, m.gate && o.Force, &got))
	if err == nil && got.forced > 0 {
		fmt.Fprintf(a.env.Stderr, "pm: %s with %d lint %s left (pm lint lists %s)\n", m.status, got.forced, plural(got.forced, "error", "errors"), plural(got.forced, "it", "them"))
	}
	if err == nil && !got.kept.IsZero() {
		fmt.Fprintf(a.env.Stderr, "pm: the incident was already mitigated at %s; that time stays, as when impact first stopped (pm mitigate --at an earlier time moves it)\n", got.kept.In(a.ws.zone()).Format("2006-01-02 15:04 MST"))
	}
	return err
}

// milestoneEdit is the change under the lock: the milestone applied to the
// file as it is, refused (unless force) when the incident is not ready for
// it, with what to say afterwards in got.
func (a *app) milestoneEdit(m milestoneCmd, force bool, got *milestoneOutcome) func(*incident.Doc, *incident.Entry) error {
	return func(d *incident.Doc, e *incident.Entry) error {
		before, was, orig := d.Meta.Mitigated, d.Meta.Status, bytes.Clone(d.Bytes())
		if m.kind == "closed" && was == "investigating" && !force {
			return usageError("%s is still investigating: pm mitigate or pm resolve says impact stopped; pm close --force closes it as it is", d.Meta.ID)
		}
		if err := d.Milestone(*e); err != nil {
			return asUsage(err)
		}
		if m.gate {
			errs, err := a.gateFindings(orig, d, *e)
			if err != nil {
				return err
			}
			if !force {
				if err := a.refuse(errs, d.Meta.Status, m.name); err != nil {
					return err
				}
			}
			got.forced = len(errs)
		}
		if m.kind == "mitigated" && !before.IsZero() && d.Meta.Mitigated.Equal(before) {
			got.kept = before
		}
		return nil
	}
}

// gateFindings are the error-level findings pm lint would give the
// incident at its new status: pm resolve and pm close refuse a status
// change that would leave the incident failing pm lint, because the rules
// of that status (required sections, placeholders once closed, action
// items) are the ones a reviewer or CI runs next, so the responder hears
// about them now, with the file still as it was. d already has the new
// status; e is the entry about to be appended; orig is the file on disk,
// which the findings' lines are mapped back to.
func (a *app) gateFindings(orig []byte, d *incident.Doc, e incident.Entry) ([]lint.Finding, error) {
	w := a.ws
	eng, err := lint.New(w.cfg)
	if err != nil {
		return nil, asUsage(w.locateConfigError(err))
	}
	nd, err := incident.Parse(d.Path, d.Bytes())
	if err == nil {
		err = nd.AppendEntry(e)
	}
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	var errs []lint.Finding
	abs := d.Path // as the store names it: relative to where pm runs
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(a.dir, abs)
	}
	back := linesBack(orig, nd.Bytes())
	for _, f := range eng.Lint(filepath.ToSlash(w.rel(abs)), nd.Bytes()) {
		if f.Level == lint.Error {
			f.Line = back(f.Line)
			errs = append(errs, f)
		}
	}
	return errs, nil
}

// refuse is the gate's refusal: the findings as pm lint prints them, and
// what to type next (status is the new status, name the command).
func (a *app) refuse(errs []lint.Finding, status, name string) error {
	if len(errs) == 0 {
		return nil
	}
	if err := lint.Write(a.env.Stderr, "text", lint.Report{Findings: errs}); err != nil {
		return err
	}
	var next []string
	for _, f := range errs {
		if h := gateHint(f.Rule); !slices.Contains(next, h) {
			next = append(next, h)
		}
	}
	return problemError("not %s: pm lint would find the %d %s above once it is %s; %s, then pm %s again (pm %s --force %ss it as it is)", status, len(errs), plural(len(errs), "error", "errors"), status, strings.Join(next, "; "), name, name, name)
}

// linesBack maps a line of the file as it would be (after) to the same
// line of the file as it is on disk (before), so that the findings point
// where the responder will look. The milestone changes values in the
// frontmatter (same lines) and inserts entries in one place in the log:
// lines after the inserted block move back by its length, lines in it
// point at where it goes.
func linesBack(before, after []byte) func(int) int {
	b, a := bytes.Split(before, []byte("\n")), bytes.Split(after, []byte("\n"))
	k := len(a) - len(b)
	if k <= 0 {
		return func(n int) int { return n }
	}
	// the last line that differs, from the end: the inserted block ends
	// there
	tail := 0
	for tail < len(b) && bytes.Equal(b[len(b)-1-tail], a[len(a)-1-tail]) {
		tail++
	}
	end := len(a) - tail // lines end-k+1 .. end (1-based) are the new ones
	return func(n int) int {
		switch {
		case n > end:
			return n - k
		case n > end-k:
			return end - k + 1
		}
		return n
	}
}

// gateHint is what to type for a rule's finding: the pm command that
// writes the missing part, else the editor.
func gateHint(rule string) string {
	switch rule {
	case "action-items":
		return `add one with pm action "TEXT" --owner @x --due DATE --kind prevent`
	case "unresolved-hypothesis":
		return `settle each with pm confirm Hn "why" or pm refute Hn "why"`
	}
	return "write it in the file (pm edit opens it)"
}
