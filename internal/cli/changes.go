package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/config"
	"github.com/pm-tool/pm/internal/repo"
)

// changesCommand answers the orient question "what changed most
// recently?" from git history (issue 20): the commits of the window before
// the incident started, and those since, read in-process with no network.
func (a *app) changesCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "changes",
		Usage: "what changed most recently: commits before the incident started, and since",
		Description: "Lists the commits of the repository's history in the window before the incident\n" +
			"started (2h unless --since says otherwise) and those since it started, newest first,\n" +
			"with the files each touched. pm's own commits, and commits that touch only the incident\n" +
			"folder and .pm.yml, are left out. --repo looks at another local checkout instead, such as the\n" +
			"service's code or its deploy config; repeat it for several. Nothing is fetched: pull\n" +
			"first for what others pushed.\n\n" +
			"Examples:\n" +
			"  pm changes\n" +
			"  pm changes --since 6h --repo ../api --repo ../deploy\n" +
			"  pm changes --since '2026-11-24 06:00' --format json",
		Flags: []ucli.Flag{
			incidentFlag(),
			&ucli.StringFlag{Name: "since", Value: "2h", Usage: "how far before the start to look: a duration (`2h`, 90m, 1d) or a time"},
			&ucli.StringSliceFlag{Name: "repo", Usage: "look at the checkout at `PATH` instead (repeatable)"},
			formatFlag("text", "text or json"),
		},
		Action: func(c *ucli.Context) error {
			format, err := a.checkFormat(c, "text", "json")
			if err != nil {
				return err
			}
			if err := noArgs(c, "name the incident with -i ID and checkouts with --repo PATH"); err != nil {
				return err
			}
			return a.changes(changesOptions{Incident: c.String("incident"), Since: c.String("since"), Repos: c.StringSlice("repo"), Format: format})
		},
	}
}

// changesOptions is what pm changes is asked.
type changesOptions struct {
	Incident string
	Since    string   // a duration before started, or a time
	Repos    []string // checkouts to read; none means the one pm runs in
	Format   string   // text or json
}

// changesJSON is pm changes --format json.
type changesJSON struct {
	Incident string            `json:"incident"`
	Started  time.Time         `json:"started"`
	From     time.Time         `json:"from"`
	Repos    []changesRepoJSON `json:"repos"`
}

type changesRepoJSON struct {
	Path string `json:"path"`
	// Folder is the incident folder when this checkout holds it ("" else).
	Folder  string              `json:"folder"`
	Commits []changesCommitJSON `json:"commits"`
	// Skipped counts pm's own commits and those only to the incident
	// folder and .pm.yml.
	Skipped int `json:"skipped"`
}

type changesCommitJSON struct {
	Hash    string    `json:"hash"`
	Time    time.Time `json:"time"`
	Author  string    `json:"author"`
	Subject string    `json:"subject"`
	Files   []string  `json:"files"`
	Merge   bool      `json:"merge"`
	// AfterStart: committed once the incident had started (a fix, a
	// rollback, or a change made in the middle of it).
	AfterStart bool `json:"after_start"`
}

func (a *app) changes(o changesOptions) error {
	w, err := a.openWorkspace()
	if err != nil {
		return err
	}
	f, err := w.pick(o.Incident)
	if err != nil {
		return err
	}
	d := f.doc
	started := d.Meta.Started
	if started.IsZero() {
		return problemError("%s has no started time; set started: in its frontmatter (pm edit)", d.Meta.ID)
	}
	now := a.env.Now().UTC()
	from, err := windowStart(o.Since, started, now, w.zone())
	if err != nil {
		return usageError("--since: %v", err)
	}
	out := changesJSON{Incident: d.Meta.ID, Started: started, From: from, Repos: []changesRepoJSON{}}
	paths := o.Repos
	if len(paths) == 0 {
		paths = []string{"."}
	}
	for _, p := range paths {
		rj, err := a.repoChanges(w, p, len(o.Repos) == 0, from, now, started)
		if err != nil {
			return err
		}
		out.Repos = append(out.Repos, rj)
	}
	if o.Format == "json" {
		enc := json.NewEncoder(a.env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	return printChanges(a.env.Stdout, out, w.zone())
}

// repoChanges reads one checkout's window; own is the default checkout
// (no --repo given). A checkout that holds the incident folder leaves out
// the commits only to it.
func (a *app) repoChanges(w *workspace, p string, own bool, from, now, started time.Time) (changesRepoJSON, error) {
	dir := p
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(a.dir, dir)
	}
	if _, err := os.Stat(dir); err != nil && !own {
		return changesRepoJSON{}, usageError("--repo %s: no such folder; give the path of a git checkout", p)
	}
	r, err := repo.FindEnv(dir, a.env.Getenv)
	if errors.Is(err, repo.ErrNotRepository) {
		if own {
			return changesRepoJSON{}, usageError("%s is not in a git repository, so there is no history to read; name a checkout with --repo PATH", w.display(w.home))
		}
		return changesRepoJSON{}, usageError("--repo %s: not inside a git work tree; give the path of a git checkout", p)
	}
	if err != nil {
		return changesRepoJSON{}, fmt.Errorf("--repo %s: %w", p, err)
	}
	folder := "" // the incident folder, when it is in this checkout
	if rel, err := filepath.Rel(r.Root, w.folder()); err == nil && rel != ".." && !strings.HasPrefix(rel, "../") {
		folder = filepath.ToSlash(rel)
	}
	var ours func(string) bool
	if folder != "" {
		ours = func(p string) bool { return strings.HasPrefix(p, folder+"/") || p == config.ConfigFile }
	}
	h, err := r.Commits(from, now, ours)
	if err != nil {
		return changesRepoJSON{}, fmt.Errorf("%s: %w", p, err)
	}
	rj := changesRepoJSON{Path: p, Folder: folder, Commits: []changesCommitJSON{}, Skipped: h.Skipped}
	for _, c := range h.Commits {
		rj.Commits = append(rj.Commits, changesCommitJSON{Hash: c.Hash, Time: c.Time.UTC(), Author: c.Author,
			Subject: c.Subject, Files: c.Files, Merge: c.Merge, AfterStart: !c.Time.Before(started)})
	}
	return rj, nil
}

// windowStart is where pm changes starts looking: --since as a duration
// before started (2h, 90m, 1d), or as a time typed the way --at takes it.
func windowStart(since string, started, now time.Time, loc *time.Location) (time.Time, error) {
	s := strings.TrimSpace(since)
	if n, ok := strings.CutSuffix(s, "d"); ok {
		if days, err := strconv.Atoi(n); err == nil && days >= 0 {
			return started.Add(-time.Duration(days) * 24 * time.Hour), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil {
		if d < 0 {
			return time.Time{}, fmt.Errorf("%q is negative; give how far before the start to look, such as 2h", since)
		}
		return started.Add(-d), nil
	}
	t, err := parseWhen(s, now, loc)
	if err != nil {
		if errors.Is(err, errInFuture) {
			return time.Time{}, err
		}
		return time.Time{}, fmt.Errorf("%q is neither a duration (2h, 90m, 1d) nor a time (09:10, 2026-11-24 09:10)", since)
	}
	if t.After(started) {
		return time.Time{}, fmt.Errorf("%s is after the incident started (%s); give an earlier time or a duration such as 2h",
			t.In(loc).Format("2006-01-02 15:04"), started.In(loc).Format("2006-01-02 15:04 MST"))
	}
	return t, nil
}

// printChanges is the text form: per checkout, the commits before the
// start, then those since, each with its files, in 80 columns. Times are
// HH:MM when every commit shown is on the day the incident started, else
// MM-DD HH:MM throughout, so the columns stay aligned.
func printChanges(w io.Writer, c changesJSON, loc *time.Location) error {
	day := c.Started.In(loc).Format("2006-01-02")
	layout := "15:04"
	for _, r := range c.Repos {
		for _, x := range r.Commits {
			if x.Time.In(loc).Format("2006-01-02") != day {
				layout = "01-02 15:04"
			}
		}
	}
	from := c.From.In(loc).Format("15:04")
	if c.From.In(loc).Format("2006-01-02") != day {
		from = c.From.In(loc).Format("2006-01-02 15:04")
	}
	var b strings.Builder
	for i, r := range c.Repos {
		if i > 0 {
			b.WriteString("\n")
		}
		if len(c.Repos) > 1 || r.Path != "." {
			b.WriteString(clip("In "+r.Path, width) + "\n")
		}
		fmt.Fprintf(&b, "Before it started: %s to %s, newest first\n", from, c.Started.In(loc).Format("15:04 MST"))
		var before, after []changesCommitJSON
		for _, x := range r.Commits {
			if x.AfterStart {
				after = append(after, x)
			} else {
				before = append(before, x)
			}
		}
		writeCommits(&b, before, loc, layout)
		fmt.Fprintf(&b, "\nSince it started at %s\n", c.Started.In(loc).Format("15:04 MST"))
		writeCommits(&b, after, loc, layout)
		if r.Skipped > 0 {
			what := "pm's own"
			if r.Folder != "" {
				what += ", or only to " + r.Folder + "/ and .pm.yml"
			}
			fmt.Fprintf(&b, "(%d %s left out: %s)\n", r.Skipped, plural(r.Skipped, "commit", "commits"), what)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// maxFiles is how many files of one commit the text form lists.
const maxFiles = 5

func writeCommits(b *strings.Builder, cs []changesCommitJSON, loc *time.Location, layout string) {
	if len(cs) == 0 {
		b.WriteString("  none\n")
	}
	indent := strings.Repeat(" ", 2+len(layout)+2)
	for _, c := range cs {
		line := fmt.Sprintf("  %s  %s  %s", c.Time.In(loc).Format(layout), c.Hash[:7], printable(c.Subject))
		b.WriteString(withAuthor(line, printable(c.Author), width) + "\n")
		for i, f := range c.Files {
			if i == maxFiles {
				fmt.Fprintf(b, "%s… and %d more\n", indent, len(c.Files)-maxFiles)
				break
			}
			b.WriteString(clip(indent+printable(f), width) + "\n")
		}
	}
}
