package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/incident"
	"github.com/pm-tool/pm/internal/repo"
)

func (a *app) demoCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "demo",
		Usage: "make a sample repository with realistic incidents, written through pm itself",
		Description: "Creates a new git repository (in a new temporary folder unless --out is given),\n" +
			"runs two incidents through pm's own commands and prints where to look.\n\n" +
			"Examples:\n" +
			"  pm demo\n" +
			"  pm demo --out /tmp/pm-demo && git -C /tmp/pm-demo log --oneline",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "`DIR` to create (must not exist or be empty)"},
		},
		Action: a.runDemo,
	}
}

// demoIdentity is who writes the sample incidents; it is passed in through
// the environment exactly as a user's GIT_AUTHOR_* would be.
var demoIdentity = map[string]string{
	"GIT_AUTHOR_NAME": "alice", "GIT_AUTHOR_EMAIL": "alice@example.com",
	"GIT_COMMITTER_NAME": "alice", "GIT_COMMITTER_EMAIL": "alice@example.com",
}

func (a *app) runDemo(c *ucli.Context) error {
	out := c.String("out")
	if out == "" {
		d, err := os.MkdirTemp("", "pm-demo-")
		if err != nil {
			return problemError("cannot create a temporary folder: %v", err)
		}
		out = d
	} else {
		if !filepath.IsAbs(out) {
			out = filepath.Join(a.dir, out)
		}
		if ents, err := os.ReadDir(out); err == nil && len(ents) > 0 {
			return usageError("--out %s: folder is not empty; pick a new one", c.String("out"))
		}
		if err := os.MkdirAll(out, 0o755); err != nil {
			return problemError("cannot create %s: %v", out, err)
		}
	}
	if _, err := repo.Init(out); err != nil {
		return problemError("cannot create a git repository in %s: %v", out, err)
	}
	d := &demo{parent: a, dir: out, clock: a.env.Now().UTC().Truncate(time.Minute).Add(-8 * 24 * time.Hour)}
	if err := d.run(); err != nil {
		return err
	}
	o := a.env.Stdout
	fmt.Fprintf(o, "pm demo: made a sample repository in %s\n\n", out)
	fmt.Fprintf(o, "%s", d.log.String())
	fmt.Fprintf(o, "\nLook at:\n")
	fmt.Fprintf(o, "  %s\n", filepath.Join(out, "postmortems", d.current+".md"))
	fmt.Fprintf(o, "  git -C %s log --format='%%h %%s'\n", shellQuote(out))
	fmt.Fprintf(o, "  pm -C %s show %s --format json\n", shellQuote(out), d.current)
	return nil
}

// demo drives pm's own commands against the sample repository, as a user
// would type them, with a clock that moves on between steps.
type demo struct {
	parent  *app
	dir     string
	clock   time.Time
	log     bytes.Buffer // a transcript of the commands and what they printed
	current string       // id of the incident still open at the end
	entries int          // log entries written
}

// env is the environment of one step: the sample repository as the working
// folder, the demo's identity and the demo's clock.
func (d *demo) env(stdout, stderr io.Writer) Env {
	env := d.parent.env
	env.Dir = d.dir
	env.Stdout, env.Stderr, env.Stdin = stdout, stderr, bytes.NewReader(nil)
	now := d.clock
	env.Now = func() time.Time { return now }
	base := env.Getenv
	env.Getenv = func(k string) string {
		if v, ok := demoIdentity[k]; ok {
			return v
		}
		return base(k)
	}
	return env
}

// pm runs one pm command in the sample repository and records it in the
// transcript.
func (d *demo) pm(args ...string) error {
	var stdout, stderr bytes.Buffer
	fmt.Fprintf(&d.log, "$ pm %s\n", quoteArgs(args))
	code := Main(append([]string{"pm"}, args...), d.env(&stdout, &stderr))
	indent(&d.log, stdout.String())
	if code != 0 {
		return problemError("demo step pm %s failed: %s", quoteArgs(args), stderr.String())
	}
	return nil
}

// entry writes one log entry through the same code the log commands use.
func (d *demo) entry(id string, e incident.Entry) error {
	return d.milestone(id, e, "", "")
}

// milestone writes an entry and, when status is set, the status and its
// timestamp field, through the code the milestone commands use.
func (d *demo) milestone(id string, e incident.Entry, status, field string) error {
	a := &app{env: d.env(io.Discard, io.Discard), dir: d.dir}
	e.Time = d.clock
	w, err := a.openWorkspace()
	if err != nil {
		return err
	}
	f, err := w.pickByID(id)
	if err != nil {
		return err
	}
	d.entries++
	if status == "" {
		return w.record(f, e)
	}
	return w.recordMilestone(f, e, status, field)
}

func (d *demo) tick(min int) { d.clock = d.clock.Add(time.Duration(min) * time.Minute) }

func (d *demo) run() error {
	if err := d.pm("init"); err != nil {
		return err
	}
	// A week ago: the API ran out of memory.
	if err := d.pm("new", "API out of memory after deploy", "--severity", "SEV3", "--service", "api", "--tag", "memory"); err != nil {
		return err
	}
	old := d.clock.Format("2006-01-02") + "-api-out-of-memory-after-deploy"
	for _, e := range []incident.Entry{
		{Kind: "down", System: "api", Text: "pods restart every few minutes, OOMKilled"},
		{Kind: "hypothesis", Hypothesis: "H1", Text: "the new image leaks memory in the session cache"},
		{Kind: "confirmed", Hypothesis: "H1", Text: "heap profile shows the session cache growing without bound"},
		{Kind: "act", Text: "rolled back to the previous image"},
		{Kind: "up", System: "api", Text: "memory flat after rollback"},
	} {
		d.tick(4)
		if err := d.entry(old, e); err != nil {
			return err
		}
	}
	for _, m := range []struct{ kind, status, field string }{
		{"mitigated", "mitigated", "mitigated"},
		{"resolved", "resolved", "resolved"},
	} {
		d.tick(10)
		if err := d.milestone(old, incident.Entry{Kind: m.kind, Text: "memory usage back to normal"}, m.status, m.field); err != nil {
			return err
		}
	}
	// Today: 502s for every request.
	d.clock = d.parent.env.Now().UTC().Truncate(time.Minute).Add(-40 * time.Minute)
	if err := d.pm("new", "API returns 502 for all requests", "--severity", "SEV2", "--service", "api", "--service", "nginx", "--tag", "config"); err != nil {
		return err
	}
	d.current = d.clock.Format("2006-01-02") + "-api-returns-502-for-all-requests"
	for _, e := range []incident.Entry{
		{Kind: "down", System: "api", Text: "every request returns 502"},
		{Kind: "up", System: "postgres", Text: "accepts connections from a bastion host"},
		{Kind: "observe", Text: "nginx error.log: `upstream connect() failed`"},
		{Kind: "hypothesis", Hypothesis: "H1", Text: "the machine ran out of memory again, as last week"},
		{Kind: "refuted", Hypothesis: "H1", Text: "memory at 40%; the api log says the DB credentials are missing"},
		{Kind: "hypothesis", Hypothesis: "H2", Text: "credentials were not rotated onto this machine"},
		{Kind: "confirmed", Hypothesis: "H2", Text: "vault shows the lease expired at the time the errors began"},
		{Kind: "act", Text: "rotated the credentials, restarted api"},
	} {
		d.tick(2)
		if err := d.entry(d.current, e); err != nil {
			return err
		}
	}
	fmt.Fprintf(&d.log, "… and %d log entries, each one a commit\n", d.entries)
	return nil
}

func quoteArgs(args []string) string {
	var b bytes.Buffer
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(shellQuote(a))
	}
	return b.String()
}

func indent(w io.Writer, s string) {
	for _, l := range bytes.SplitAfter([]byte(s), []byte("\n")) {
		if len(l) > 0 {
			fmt.Fprintf(w, "  %s", l)
		}
	}
}
