package cli

import (
	"fmt"
	"strings"

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
	w, err := a.openWorkspace()
	if err != nil {
		return err
	}
	res, err := w.store.Sync(repo.SyncOptions{Timeout: c.Duration("timeout")})
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
	if res.Pushed > 0 {
		fmt.Fprintf(out, "pushed %d %s to %s [%s]\n", res.Pushed, plural(res.Pushed, "commit", "commits"), where, short(res.Hash))
	}
}
