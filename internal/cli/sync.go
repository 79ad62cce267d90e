package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/repo"
)

func (a *app) syncCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "sync",
		Usage: "share incident files with the team: fetch, merge teammates' entries, push",
		Description: "Fetches the current branch's upstream (else origin), merges teammates'\n" +
			"changes to incident files with pm's merge (both logs, in time order), and\n" +
			"pushes; when someone pushed first, it fetches and merges again (5 tries).\n" +
			"Fetch and push are git's own, so ssh keys, known_hosts and credential\n" +
			"helpers work as for git pull. Files other than incidents are left to you:\n" +
			"pm says so and does not merge or push them.\n\n" +
			"Examples:\n  pm sync\n  pm sync --timeout 10s",
		Flags: []ucli.Flag{
			&ucli.DurationFlag{Name: "timeout", Usage: "give up on a fetch or push that takes longer than `DURATION` (0: wait)"},
		},
		Action: a.runSync,
	}
}

func (a *app) runSync(c *ucli.Context) error {
	if c.NArg() > 0 {
		return usageError("pm sync takes no arguments (it shares with the branch's upstream), got %q", c.Args().First())
	}
	return a.syncRemote(syncOptions{Timeout: c.Duration("timeout")})
}

// syncOptions is what pm sync is asked.
type syncOptions struct {
	Timeout time.Duration // --timeout: the longest a fetch or push may take, 0 to wait
}

// syncRemote is pm sync: fetch, merge and push through the branch's
// upstream, and say what came in and what went out.
func (a *app) syncRemote(o syncOptions) error {
	w, err := a.openWorkspace()
	if err != nil {
		return err
	}
	res, err := w.sync(repo.SyncOptions{Timeout: o.Timeout})
	if res.Remote != "" {
		a.printSync(res, err == nil)
	}
	return err
}

// printSync says what a sync did, a line for each part, as git pull and
// git push summarise theirs.
// done: the sync finished (else only what it did before it stopped).
func (a *app) printSync(res repo.SyncResult, done bool) {
	out := a.env.Stdout
	where := res.Remote + "/" + res.Branch
	if res.UpToDate() {
		if done && res.Hash != "" {
			fmt.Fprintf(out, "up to date with %s\n", where)
		}
		return
	}
	if res.Received > 0 {
		how := "fast-forward"
		if len(res.Merged) > 0 {
			how = "merged " + fmt.Sprint(len(res.Merged), " ", plural(len(res.Merged), "incident file", "incident files")) + ": " + strings.Join(res.Merged, ", ")
		}
		fmt.Fprintf(out, "received %d %s from %s (%s)\n", res.Received, plural(res.Received, "commit", "commits"), where, how)
	}
	for _, r := range res.Renumbered {
		fmt.Fprintln(out, renumberedNote(r))
	}
	if res.Pushed > 0 {
		fmt.Fprintf(out, "pushed %d %s to %s [%s]\n", res.Pushed, plural(res.Pushed, "commit", "commits"), where, short(res.Hash))
	}
}

// offlineFor is how long, after an automatic share found the remote
// unreachable, the next writing commands do not try again: offline, each
// entry then costs its local commit only, not a wait for the network.
const offlineFor = 30 * time.Second

// share is sync: auto (or --sync): right after a writing command
// committed, it shares the commit through the remote. The commit is made
// already and stays whatever happens here: a slow network waits at most
// sync.wait per fetch and push, and a failure is one line, "committed here,
// not shared yet", never a failed command (the exit status is the
// commit's). After the remote was found unreachable, commands do not try
// again for offlineFor; pm sync always does.
func (w *workspace) share(res repo.Result) {
	mode := w.cfg.Sync.Mode
	if w.app.sync != "" {
		mode = w.app.sync
	}
	if mode != "auto" || res.Hash == "" || w.repo == nil || w.app.noCommit {
		return
	}
	stderr := w.app.env.Stderr
	memo := filepath.Join(w.repo.GitDir, "pm", "offline")
	if fi, err := os.Stat(memo); err == nil {
		// The file's time against the machine's clock (not PM_NOW, which
		// stamps entries).
		if ago := time.Since(fi.ModTime()); ago >= 0 && ago < offlineFor {
			fmt.Fprintf(stderr, "pm: committed here, not shared yet: the remote could not be reached %s ago; pm sync shares it\n", ago.Round(time.Second))
			return
		}
	}
	sr, err := w.sync(repo.SyncOptions{Batch: true, Timeout: w.cfg.Sync.Wait})
	if err != nil {
		var se *repo.SyncError
		if errors.As(err, &se) && se.Offline {
			_ = os.MkdirAll(filepath.Dir(memo), 0o755)
			if os.WriteFile(memo, nil, 0o644) == nil { // its time is what counts
				now := time.Now()
				_ = os.Chtimes(memo, now, now)
			}
		}
		reason := err.Error()
		if errors.As(err, &se) {
			reason = se.Reason
		}
		fmt.Fprintf(stderr, "pm: committed here, not shared yet: %s; pm sync shares it\n", reason)
		return
	}
	os.Remove(memo)
	for _, r := range sr.Renumbered {
		fmt.Fprintf(stderr, "pm: %s\n", renumberedNote(r))
	}
	if sr.Received > 0 {
		fmt.Fprintf(stderr, "pm: shared with %s/%s; %d %s from teammates came in\n", sr.Remote, sr.Branch, sr.Received, plural(sr.Received, "commit", "commits"))
	} else if sr.Pushed > 0 {
		fmt.Fprintf(stderr, "pm: shared with %s/%s\n", sr.Remote, sr.Branch)
	}
}

// renumberedNote tells a responder that a hypothesis they opened has a new
// number: the next pm confirm must use it.
func renumberedNote(r repo.Renumbered) string {
	return fmt.Sprintf("your %s is %s now (%s): a teammate's %s was shared first; confirm or refute it as %s", r.From, r.To, clip(firstLine(r.Text), 40), r.From, r.To)
}

// sync is Store.Sync with pm's merge driver registered and named, for a
// merge git makes: pm sync may be the first pm command a clone runs, and
// clones do not copy .git/config.
func (w *workspace) sync(opts repo.SyncOptions) (repo.SyncResult, error) {
	if w.repo != nil {
		_, _ = w.registerMergeDriver() // best effort, as after every write
		opts.MergeDriver = mergeDriverName
	}
	return w.store.Sync(opts)
}
