package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/incident"
	"github.com/pm-tool/pm/internal/repo"
)

// defaultWatchEvery is how often pm watch fetches: a teammate's entry
// shows up within about this long plus their commit and push (issue 14's
// target is a p95 under 5 s; bench/watch.sh measures it).
const defaultWatchEvery = 2 * time.Second

func (a *app) watchCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "watch",
		Usage: "the live board: teammates' entries as they arrive through the remote",
		Description: "Every few seconds pm watch syncs with the remote (as pm sync: fetch, merge,\n" +
			"push what is not shared yet) and shows the board of pm status with the latest\n" +
			"entries, those of teammates marked with *. On a terminal it redraws in place;\n" +
			"piped, it prints each entry once, as it arrives. Ctrl-C stops it. Without a\n" +
			"remote it follows the file alone.\n\n" +
			"Examples:\n  pm watch\n  pm watch --every 5s -i 2026-11-24-api\n  pm watch | tee incident.log",
		Flags: []ucli.Flag{
			incidentFlag(),
			&ucli.DurationFlag{Name: "every", Value: defaultWatchEvery, Usage: "fetch every `DURATION`"},
			&ucli.IntFlag{Name: "last", Value: 10, Usage: "how many of the latest entries to show"},
			&ucli.IntFlag{Name: "count", Usage: "stop after `N` refreshes (0: until Ctrl-C)"},
		},
		Action: a.runWatch,
	}
}

func (a *app) runWatch(c *ucli.Context) error {
	if err := noArgs(c, "name the incident with -i ID"); err != nil {
		return err
	}
	every := c.Duration("every")
	if every < 100*time.Millisecond {
		return usageError("--every %s: too often; give 100ms or more (the default is %s)", every, defaultWatchEvery)
	}
	return a.watch(watchOptions{Incident: c.String("incident"), Every: every, Last: c.Int("last"), Count: c.Int("count")})
}

// watchOptions is what pm watch is asked.
type watchOptions struct {
	Incident string        // -i, "" for $PM_INCIDENT or the only open one
	Every    time.Duration // --every: how often to sync and redraw, 100ms or more
	Last     int           // --last: how many of the latest entries (at least 1 is shown)
	Count    int           // --count: stop after this many refreshes, 0 for Ctrl-C
}

// watch syncs every o.Every and shows the board, or, piped, each entry
// once as it arrives, until o.Count refreshes or Ctrl-C.
func (a *app) watch(o watchOptions) error {
	every := o.Every
	w, f, err := a.target(o.Incident)
	if err != nil {
		return err
	}
	// Entries are marked by the name pm writes as their author here.
	v := &watcher{out: a.env.Stdout, terminal: a.env.StdoutIsTerminal, me: w.store.AuthorName(), last: max(o.Last, 1), seen: map[string]bool{}, palette: a.palette(w), zone: w.zone()}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	defer signal.Stop(stop)
	sharing := w.repo != nil
	for n := 1; ; n++ {
		status := ""
		if sharing {
			res, err := w.sync(repo.SyncOptions{Batch: true, Timeout: max(every, w.cfg.Sync.Wait)})
			var se *repo.SyncError
			switch {
			case errors.As(err, &se) && se.Code == 2:
				sharing = false // no remote: follow the file alone
				status = "no remote to watch (" + se.Reason + "); following the file"
			case errors.As(err, &se):
				status = "not in step with the remote: " + se.Reason
			default:
				status = fmt.Sprintf("in step with %s/%s at %s", res.Remote, res.Branch, a.env.Now().In(w.zone()).Format("15:04:05"))
			}
		}
		data, err := os.ReadFile(f.path)
		if err != nil {
			return problemError("%s: %v", w.display(f.path), err)
		}
		doc, err := incident.Parse(w.display(f.path), data)
		if err != nil {
			status = "the file does not parse: " + firstLine(err.Error())
		} else {
			f.doc = doc
		}
		v.show(f.doc, a.env.Now().UTC(), status, every)
		if n == o.Count {
			return nil
		}
		select {
		case <-stop:
			return nil
		case <-time.After(every):
		}
	}
}

// watcher draws what pm watch shows.
type watcher struct {
	out      io.Writer
	terminal bool
	me       string // the local author: everyone else's entries are marked
	last     int
	seen     map[string]bool // entries printed already (piped output)
	started  bool            // the first refresh is drawn
	status   string          // the last status line printed (piped output)
	palette  palette
	zone     *time.Location // the times shown are in it
}

func (v *watcher) mark(author string) string {
	if author != "" && author != v.me {
		return "* "
	}
	return "  "
}

func (v *watcher) show(d *incident.Doc, now time.Time, status string, every time.Duration) {
	if v.terminal {
		// Home and clear, then the board: a redraw in place.
		fmt.Fprint(v.out, "\x1b[H\x1b[2J")
		b := incident.NewBoard(d, now, 0, nil) // the step line only: no Next on a shared screen
		b.Last = nil
		printBoard(v.out, b, v.palette, v.zone, false)
		fmt.Fprintln(v.out, "\nLatest entries (* from teammates)")
		for _, e := range incident.Latest(d.Entries, v.last) {
			v.printEntry(e)
		}
		fmt.Fprintf(v.out, "\n%s · every %s · Ctrl-C stops\n", clip(status, width-30), every)
		return
	}
	if status != "" && status != v.status && !strings.HasPrefix(status, "in step with") {
		fmt.Fprintf(v.out, "-- %s\n", printable(status))
	}
	v.status = status
	entries := incident.Latest(d.Entries, len(d.Entries))
	if !v.started && len(entries) > v.last {
		// The first time, only the latest, as pm status shows them.
		for _, e := range entries[:len(entries)-v.last] {
			v.seen[e.Key()] = true
		}
	}
	v.started = true
	for _, e := range entries {
		if k := e.Key(); !v.seen[k] {
			v.seen[k] = true
			v.printEntry(e)
		}
	}
}

func (v *watcher) printEntry(e incident.Entry) {
	line := strings.TrimRight(fmt.Sprintf("%s%s  %-13s %s", v.mark(e.Author), e.Time.In(v.zone).Format("15:04:05"), e.Label(), e.Subject()), " ")
	fmt.Fprintln(v.out, v.palette.at(withAuthor(line, e.Author, width), 12, e.Label(), v.palette.kind))
}
