package cli

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/incident"
	"github.com/pm-tool/pm/internal/lint"
)

// milestoneCommands move an incident through its states (incident.Doc's
// Milestone has the rules). Each sets the status and its timestamp and
// appends the milestone entry, in one commit.
func (a *app) milestoneCommands() []*ucli.Command {
	type ms struct {
		name, kind, status, usage, example string
		gate                               bool // lint must pass at the new status (gate)
	}
	list := []ms{
		{"mitigate", "mitigated", "mitigated", "impact has stopped: set status and the mitigated time", `pm mitigate "traffic drained to eu-west"`, false},
		{"resolve", "resolved", "resolved", "the root problem is fixed: set status and the resolved time", `pm resolve "credentials rotated, alert added"`, true},
		{"close", "closed", "closed", "the post-mortem is done: set status closed", `pm close`, true},
		{"reopen", "reopened", "investigating", "it is not over: back to investigating", `pm reopen "502s are back"`, false},
	}
	var cmds []*ucli.Command
	for _, m := range list {
		m := m
		desc := "Appends a " + m.kind + " entry and sets status: " + m.status + "."
		flags := logFlags()
		if m.gate {
			desc += "\nRefused while pm lint would find errors in the " + m.status + " incident\n(it lists them); --force " + m.name + "s it as it is."
			if m.name == "resolve" {
				desc += " Placeholders and missing sections\nwait for pm close: the write-up comes later."
			}
			flags = append(flags, &ucli.BoolFlag{Name: "force", Usage: m.name + " even though pm lint finds errors" + map[bool]string{true: " or it is still investigating"}[m.name == "close"]})
		}
		cmds = append(cmds, &ucli.Command{
			Name:        m.name,
			Usage:       m.usage,
			ArgsUsage:   "[TEXT|-]",
			Description: desc + "\n\nExamples:\n  " + m.example + "\n  pm " + m.name + " --at 10:42",
			Flags:       flags,
			Action: func(c *ucli.Context) error {
				text, err := a.entryText(c, false)
				if err != nil {
					return err
				}
				var kept time.Time // a mitigated time a second pm mitigate left as it was
				err = a.writeEntry(c, incident.Entry{Kind: m.kind, Text: text}, func(d *incident.Doc, e *incident.Entry) error {
					before, was := d.Meta.Mitigated, d.Meta.Status
					force := m.gate && c.Bool("force")
					if m.kind == "closed" && was == "investigating" && !force {
						return usageError("%s is still investigating: pm mitigate or pm resolve says impact stopped; pm close --force closes it as it is", d.Meta.ID)
					}
					if err := d.Milestone(*e); err != nil {
						return asUsage(err)
					}
					if m.gate && !force {
						if err := a.gate(d, *e, m.name); err != nil {
							return err
						}
					}
					if m.kind == "mitigated" && !before.IsZero() && d.Meta.Mitigated.Equal(before) {
						kept = before
					}
					return nil
				})
				if err == nil && !kept.IsZero() {
					fmt.Fprintf(a.env.Stderr, "pm: the incident was already mitigated at %s; that time stays, as when impact first stopped (pm mitigate --at an earlier time moves it)\n", kept.In(a.ws.zone()).Format("2006-01-02 15:04 MST"))
				}
				return err
			},
		})
	}
	return cmds
}

// writeUpRules check the written post-mortem rather than the incident's
// state. pm resolve is typed when the fix is in, often minutes after the
// outage and days before anyone writes the summary, so it does not wait
// for them; pm close, which says the post-mortem is done, does.
var writeUpRules = []string{"placeholder", "required-sections"}

// gate refuses a status change that would leave the incident failing pm
// lint: the rules that apply at the new status (required sections,
// placeholders, action items, open hypotheses) are the ones a reviewer
// or CI will run next, so the responder hears about them now, with the
// file still as it was. d already has the new status; e is the entry
// about to be appended. The findings print as pm lint prints them.
func (a *app) gate(d *incident.Doc, e incident.Entry, name string) error {
	w := a.ws
	eng, err := lint.New(w.cfg)
	if err != nil {
		return asUsage(w.locateConfigError(err))
	}
	nd, err := incident.Parse(d.Path, d.Bytes())
	if err == nil {
		err = nd.AppendEntry(e)
	}
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	var errs []lint.Finding
	abs := d.Path // as the store names it: relative to where pm runs
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(a.dir, abs)
	}
	for _, f := range eng.Lint(filepath.ToSlash(w.rel(abs)), nd.Bytes()) {
		if f.Level == lint.Error && (name == "close" || !slices.Contains(writeUpRules, f.Rule)) {
			errs = append(errs, f)
		}
	}
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
	return problemError("not %s: pm lint would find the %d %s above once it is %s; %s, then pm %s again (pm %s --force %ss it as it is)", d.Meta.Status, len(errs), plural(len(errs), "error", "errors"), d.Meta.Status, strings.Join(next, "; "), name, name, name)
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
