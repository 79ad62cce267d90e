package cli

import (
	"fmt"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/incident"
	"github.com/pm-tool/pm/internal/repo"
	"github.com/pm-tool/pm/internal/secrets"
)

// logFlags are the flags of every command that writes a log entry.
func logFlags() []ucli.Flag {
	return []ucli.Flag{
		incidentFlag(),
		&ucli.StringFlag{Name: "at", Usage: "when it happened, for something noticed earlier: `TIME` as 09:10, \"2026-11-24 09:10\" or RFC 3339"},
		&ucli.BoolFlag{Name: "keep-secrets", Usage: "write the text as it is, even where it looks like a key, token or password"},
		&ucli.StringFlag{Name: "summary", Usage: "with - as TEXT: the entry's one line `TEXT` above what stdin held (default \"pasted N lines from stdin\")"},
	}
}

// entryCommands are observe, orient, decide, act and note: the method's
// steps, each a timestamped entry and a commit.
func (a *app) entryCommands() []*ucli.Command {
	steps := []struct{ name, usage, example string }{
		{"observe", "write down what you see: state, logs, metrics", `pm observe "nginx error.log: upstream connect() failed"` + "\n  kubectl logs api-7d9 | pm observe -"},
		{"orient", "apply what you know: what changed, what should have happened", `pm orient "deploy 4812 went out at 09:05, 5 min before the first 502"`},
		{"decide", "write down a decision and why", `pm decide "roll back 4812 before looking further: it is the only change"`},
		{"act", "write down what you did", `pm act "rolled back to 4811"` + "\n  pm act --at 09:31 \"restarted api\""},
		{"note", "write down anything else worth keeping", `pm note "Bob joins as scribe"`},
	}
	var cmds []*ucli.Command
	for _, s := range steps {
		kind := s.name
		cmds = append(cmds, &ucli.Command{
			Name:        kind,
			Usage:       s.usage,
			ArgsUsage:   "TEXT|-",
			Description: "Appends a timestamped " + kind + " entry to the incident's log and commits it.\nWith - as TEXT it reads stdin: piped logs become a fenced block under the entry.\n\nExamples:\n  " + s.example,
			Flags:       logFlags(),
			Action:      func(c *ucli.Context) error { return a.logEntry(entryFlags(c, c.Args().Slice())) },
		})
	}
	for _, state := range []string{"up", "down"} {
		kind := state
		cmds = append(cmds, &ucli.Command{
			Name:      kind,
			Usage:     "record that a system is " + kind + " (pm status shows the board)",
			ArgsUsage: "SYSTEM [TEXT|-]",
			Description: "Appends a " + kind + " entry for SYSTEM; pm status shows each system's latest state.\n\n" +
				"Examples:\n  pm " + kind + " api \"every request returns 502\"\n  pm " + kind + " postgres",
			Flags: logFlags(),
			Action: func(c *ucli.Context) error {
				system := c.Args().First()
				if system == "" || strings.ContainsAny(system, " \t\n") {
					return usageError("pm %s needs a SYSTEM name without spaces first, e.g. pm %s api \"every request returns 502\"", kind, kind)
				}
				o := entryFlags(c, c.Args().Tail())
				o.System = system
				return a.logEntry(o)
			},
		})
	}
	return cmds
}

// entryOptions is what a log command is asked: observe, orient, decide,
// act, note, up, down, hypothesis, confirm, refute and the milestones
// (mitigate, resolve, close, reopen). One struct for all of them, as they
// share one path to the file (writeEntry); the entry's kind follows from
// the command.
type entryOptions struct {
	Command     string   // the command as typed: observe, up, confirm, mitigate…
	Incident    string   // -i, "" for $PM_INCIDENT or the only open one
	At          string   // --at as typed, "" for now
	KeepSecrets bool     // --keep-secrets: no redaction
	Summary     string   // --summary: the line above text read from -
	System      string   // up and down: the system, a name without spaces
	Hypothesis  string   // confirm and refute: the id, as H3
	Force       bool     // resolve and close: --force, past the lint gate
	Text        []string // the words of TEXT as typed, or a single "-" for stdin
}

// entryFlags reads the flags every log command shares (logFlags) into
// options for the command c runs, with text as the words of TEXT.
func entryFlags(c *ucli.Context, text []string) entryOptions {
	return entryOptions{Command: c.Command.Name, Incident: c.String("incident"), At: c.String("at"),
		KeepSecrets: c.Bool("keep-secrets"), Summary: c.String("summary"), Force: c.Bool("force"), Text: text}
}

// logEntry writes an entry of the method's steps (observe, orient, decide,
// act, note), whose text is required, or the state of o.System (up, down),
// whose text may be left out.
func (a *app) logEntry(o entryOptions) error {
	e := incident.Entry{Kind: o.Command, System: o.System}
	var err error
	if o.System == "" {
		e.Text, err = a.entryText(o, e.Kind, true)
	} else {
		e.Text, err = a.logText(o, e)
	}
	if err != nil {
		return err
	}
	return a.writeEntry(o, e, nil)
}

// entryText reads TEXT from the words typed or stdin ("-"); kind is the
// entry's (mitigated for pm mitigate), under which Ctrl-C keeps the text.
func (a *app) entryText(o entryOptions, kind string, required bool) (string, error) {
	text, err := a.logText(o, incident.Entry{Kind: kind})
	if err != nil {
		return "", err
	}
	if required && strings.TrimSpace(text) == "" {
		return "", usageError("pm %s needs TEXT, e.g. pm %s \"what you saw\" (or - to read stdin)", o.Command, o.Command)
	}
	return text, nil
}

// writeEntry is the common path of the log commands: which incident, when,
// then one edit and one commit. fn may check and complete the entry against
// the current file under the lock. e.Text comes from logText, which has
// redacted it.
func (a *app) writeEntry(o entryOptions, e incident.Entry, fn func(*incident.Doc, *incident.Entry) error) error {
	w, f, err := a.target(o.Incident)
	if err != nil {
		return a.keepUnplaced(o.Text, w, e, err)
	}
	if e.Time, err = a.at(o.At, w); err != nil {
		return err
	}
	early := ""            // why a hypothesis comes too early (the guide warns)
	var next incident.Step // the guide's next step, from the file as it is written
	res, err := w.store.Apply(repo.Change{Path: f.path, Entry: e, Edit: func(d *incident.Doc, e *incident.Entry) error {
		if fn != nil {
			if err := fn(d, e); err != nil {
				return err
			}
		}
		early = incident.TooEarly(d, *e)
		if a.guideOn(w) {
			next = incident.NextAfter(d, *e, w.cfg.DependsOn)
		}
		return nil
	}})
	if err != nil {
		return err
	}
	if res.Entry.Kind == "hypothesis" {
		fmt.Fprintln(a.env.Stdout, res.Entry.Hypothesis)
	}
	w.report(res, res.Entry.Label()+": "+res.Entry.Subject())
	a.printGuide(w, res.Entry, early, next)
	return nil
}

// redact removes secrets from an entry's text before it reaches the file
// (and so git history, where it could never be taken back), and says what
// it removed and where, so the user can check or use --keep-secrets.
func (a *app) redact(text string) string {
	out, found := secrets.Redact(text)
	for _, f := range found {
		fmt.Fprintf(a.env.Stderr, "pm: redacted %s at line %d, column %d of the text (--keep-secrets writes it as it is)\n", f.Kind, f.Line, f.Column)
	}
	return out
}

// target opens the workspace and picks the incident id names (-i), else
// $PM_INCIDENT or the only open one.
func (a *app) target(id string) (*workspace, incidentFile, error) {
	w, err := a.openWorkspace()
	if err != nil {
		return nil, incidentFile{}, err
	}
	f, err := w.pick(id)
	return w, f, err
}

// at is the time of the entry: s (--at as typed), or now.
func (a *app) at(s string, w *workspace) (time.Time, error) {
	now := a.env.Now().UTC().Truncate(time.Second)
	if s == "" {
		return now, nil
	}
	t, err := parseWhen(s, now, w.zone())
	if err != nil {
		return time.Time{}, usageError("--at: %v", err)
	}
	return t, nil
}

// keepUnplaced keeps text piped in with - when the command fails before an
// incident is chosen (a mistyped -i, several open incidents, a file that
// does not parse): typed text is in the shell's history, piped text is
// nowhere else. The error says where it is, on the same line. args are
// the words of TEXT.
func (a *app) keepUnplaced(args []string, w *workspace, e incident.Entry, err error) error {
	if w == nil || w.repo == nil || len(args) == 0 || args[len(args)-1] != "-" || strings.TrimSpace(e.Text) == "" {
		return err
	}
	e.Time = a.env.Now().UTC().Truncate(time.Second)
	if _, kerr := w.repo.KeepUnplaced(e, a.env.Now()); kerr != nil {
		return err
	}
	return &exitError{code: exitCode(err), err: fmt.Errorf("%w (the text you piped in is kept in pm's journal: pm recover --list prints it)", err)}
}
