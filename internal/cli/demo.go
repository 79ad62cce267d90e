package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
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

// demoOptions is what pm demo is asked.
type demoOptions struct {
	Out string // --out as typed: a folder that is missing or empty; "" for a new temporary one
}

func (a *app) runDemo(c *ucli.Context) error {
	return a.makeDemo(demoOptions{Out: c.String("out")})
}

// makeDemo makes the sample repository, through pm's own commands, and
// prints the transcript and where to look.
func (a *app) makeDemo(o demoOptions) error {
	out := o.Out
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
			return usageError("--out %s: folder is not empty; pick a new one", o.Out)
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
	w := a.env.Stdout
	fmt.Fprintf(w, "pm demo: made a sample repository in %s\n\n", out)
	fmt.Fprintf(w, "%s", d.log.String())
	fmt.Fprintf(w, "\nLook at:\n")
	fmt.Fprintf(w, "  %s\n", filepath.Join(out, "postmortems", d.current+".md"))
	fmt.Fprintf(w, "  git -C %s log --format='%%h %%s'\n", repo.ShellQuote(out))
	pm := a.program()
	fmt.Fprintf(w, "  %s -C %s show %s --format json\n", pm, repo.ShellQuote(out), d.current)
	fmt.Fprintf(w, "\nIn your own repository: cd into it, run pm init, and pm new TITLE when\nsomething breaks.")
	if pm != "pm" {
		fmt.Fprintf(w, " (Put pm on your PATH first: go install\ngithub.com/pm-tool/pm@latest, or cp %s /usr/local/bin.)", pm)
	}
	fmt.Fprintln(w)
	return nil
}

// program is pm as the user typed it, for commands pm tells them to run:
// ./pm right after go build -o pm ., else pm (on PATH).
func (a *app) program() string {
	if len(a.args) > 0 {
		if p := a.args[0]; strings.Contains(p, "/") && !filepath.IsAbs(p) && filepath.Base(p) == "pm" {
			return repo.ShellQuote(p)
		}
	}
	return "pm"
}

// demo drives pm's own commands against the sample repository, as a user
// would type them, with a clock that moves on between steps.
type demo struct {
	parent  *app
	dir     string
	clock   time.Time
	log     bytes.Buffer // a transcript of the commands and what they printed
	current string       // id of the incident still open at the end
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
	indent(&d.log, stderr.String())
	if code != 0 {
		return problemError("demo step pm %s failed: %s", quoteArgs(args), stderr.String())
	}
	return nil
}

func (d *demo) run() error {
	// A week ago: the API ran out of memory after a deploy.
	steps := [][]string{
		{"init"},
		{"new", "API out of memory after deploy", "--severity", "SEV3", "--service", "api", "--tag", "memory"},
		{"down", "api", "pods restart every few minutes, OOMKilled"},
		{"hypothesis", "the new image leaks memory in the session cache"},
		{"confirm", "H1", "heap profile shows the session cache growing without bound"},
		{"act", "rolled back to the previous image"},
		{"up", "api", "memory flat after rollback"},
		{"mitigate", "memory usage back to normal"},
		{"action", "Load test session-heavy traffic before each release", "--owner", "@alice", "--due", "2026-12-01", "--kind", "prevent"},
		{"resolve", "session cache bounded in the next release"},
	}
	if err := d.steps(steps, 4*time.Minute); err != nil {
		return err
	}
	// The review: the post-mortem is written, linted and fixed, then closed.
	if err := d.writePostmortem(); err != nil {
		return err
	}
	if err := d.steps([][]string{{"close"}}, 4*time.Minute); err != nil {
		return err
	}
	// Today: 502s for every request; pm new recalls last week's cause as
	// something to verify, and the team refutes it.
	d.clock = d.parent.env.Now().UTC().Truncate(time.Minute).Add(-40 * time.Minute)
	steps = [][]string{
		{"new", "API returns 502 for all requests", "--severity", "SEV2", "--service", "api", "--service", "nginx", "--tag", "config"},
		{"down", "api", "every request returns 502"},
		{"up", "postgres", "accepts connections from a bastion host"},
		{"observe", "nginx error.log: `upstream connect() failed`"},
		{"hypothesis", "the machine ran out of memory again, as last week"},
		{"refute", "H1", "memory at 40%; the api log says the DB credentials are missing"},
		{"hypothesis", "credentials were not rotated onto this machine"},
		{"confirm", "H2", "vault shows the lease expired when the errors began"},
		{"act", "rotated the credentials, restarted api"},
		{"up", "api", "502s stopped"},
		{"mitigate", "api answers again"},
		{"action", "Alert 14 days before any credential lease expires", "--owner", "@bob", "--due", "2026-12-08", "--kind", "detect"},
		{"status"},
	}
	if err := d.steps(steps, 3*time.Minute); err != nil {
		return err
	}
	d.current = d.parent.env.Now().UTC().Add(-40*time.Minute).Format("2006-01-02") + "-api-returns-502-for-all-requests"
	// Both incidents pass the checks a pull request would run.
	if err := d.pm("lint"); err != nil {
		return err
	}
	// Last, the site that publishes both, as a team would after the review.
	if err := d.pm("site"); err != nil {
		return err
	}
	fmt.Fprintf(&d.log, "\nThe site: %s\n", filepath.Join(d.dir, "_site", "index.html"))
	return nil
}

// steps runs pm commands one after another, the clock moving on by gap.
func (d *demo) steps(steps [][]string, gap time.Duration) error {
	for _, s := range steps {
		if err := d.pm(s...); err != nil {
			return err
		}
		d.clock = d.clock.Add(gap)
	}
	return nil
}

func quoteArgs(args []string) string {
	var b bytes.Buffer
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(repo.ShellQuote(a))
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

// demoWriteUp is last week's post-mortem as the team writes it by hand.
// The first draft names "human error" as the cause; pm lint stops it, and
// the rewrite says what made the slip possible instead.
var demoWriteUp = []struct{ heading, body string }{
	{"Summary", "A release of the api added a session cache without a size limit. Under normal traffic the\n" +
		"pods ran out of memory and restarted every few minutes until the release was rolled back.\n"},
	{"Impact", "Requests in flight on a restarting pod failed with 502: about 4% of api requests for\n" +
		"25 minutes. No data was lost.\n"},
	{"Contributing factors", "The root cause was human error: the session cache was merged without a size limit.\n"},
	{"Lessons learned", "A heap profile found the cause within minutes. A memory graph per release shows such\n" +
		"growth before the first restart; the load test is an action item.\n"},
}

// demoRewrite replaces the sentence pm lint flags in demoWriteUp.
const demoRewrite = "The session cache was merged without a size limit: no review checklist item or load test\n" +
	"exercised long-lived sessions, so nothing showed its growth before production traffic did.\n"

// writePostmortem plays the review of last week's incident: the team fills
// in the post-mortem, pm lint flags a sentence and suggests a rewrite, the
// sentence is rewritten and pm lint passes. The file is committed by the
// pm close that follows, as a team's hand edits are.
func (d *demo) writePostmortem() error {
	matches, err := filepath.Glob(filepath.Join(d.dir, "postmortems", "*-api-out-of-memory-after-deploy.md"))
	if err != nil || len(matches) != 1 {
		return problemError("demo: cannot find last week's incident (%v)", err)
	}
	path := matches[0]
	rel := filepath.ToSlash(filepath.Join("postmortems", filepath.Base(path)))
	edit := func(fn func(doc *incident.Doc) error) error {
		src, err := os.ReadFile(path)
		if err != nil {
			return problemError("demo: %v", err)
		}
		doc, err := incident.Parse(rel, src)
		if err != nil {
			return problemError("demo: %v", err)
		}
		if err := fn(doc); err != nil {
			return problemError("demo: %v", err)
		}
		if err := repo.WriteFileAtomic(path, doc.Bytes(), 0o644); err != nil {
			return problemError("demo: %v", err)
		}
		return nil
	}
	fmt.Fprintf(&d.log, "$ $EDITOR %s   # the review: Summary, Impact, Timeline, Contributing factors, Lessons learned\n", rel)
	err = edit(func(doc *incident.Doc) error {
		for _, s := range demoWriteUp {
			if err := doc.ReplaceSection(s.heading, s.body); err != nil {
				return err
			}
		}
		if err := doc.ReplaceSection("Timeline", incident.Timeline(doc, time.UTC)); err != nil {
			return err
		}
		var items strings.Builder
		for _, a := range doc.Actions {
			items.WriteString(incident.FormatAction(a))
		}
		return doc.ReplaceSection("Action items", items.String())
	})
	if err != nil {
		return err
	}
	if err := d.pmExits(exitProblem, "lint"); err != nil {
		return err
	}
	fmt.Fprintf(&d.log, "$ $EDITOR %s   # say what made it possible, not who\n", rel)
	indent(&d.log, demoRewrite)
	if err := edit(func(doc *incident.Doc) error { return doc.ReplaceSection("Contributing factors", demoRewrite) }); err != nil {
		return err
	}
	return d.pmExits(exitOK, "lint")
}

// pmExits runs a pm command like pm does, for a command whose exit code is
// part of the story (pm lint failing, then passing).
func (d *demo) pmExits(want int, args ...string) error {
	var stdout, stderr bytes.Buffer
	fmt.Fprintf(&d.log, "$ pm %s\n", quoteArgs(args))
	code := Main(append([]string{"pm"}, args...), d.env(&stdout, &stderr))
	indent(&d.log, stdout.String())
	indent(&d.log, stderr.String())
	if code != want {
		return problemError("demo step pm %s exited with %d, want %d: %s", quoteArgs(args), code, want, stderr.String())
	}
	return nil
}
