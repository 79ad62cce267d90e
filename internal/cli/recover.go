package cli

import (
	"fmt"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/repo"
)

func (a *app) recoverCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "recover",
		Usage: "write back entries kept in pm's journal that the file or the branch lost",
		Description: "Every entry and action item pm accepts is kept in a journal in the git directory\n" +
			"until a commit holds it. After git rebase --abort, git checkout -- FILE, git stash,\n" +
			"git reset --hard, a failed hook or a killed pm, pm recover writes back, in time\n" +
			"order, each one that is in neither the file nor HEAD, and commits it with the\n" +
			"message it would have had; one the file still holds is committed as it is.\n\n" +
			"Examples:\n  pm recover --list\n  pm recover",
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "list", Aliases: []string{"l"}, Usage: "only say where each kept entry is"},
			&ucli.BoolFlag{Name: "one-commit", Usage: "write back all of an incident's entries in one commit, not one each"},
			&ucli.StringFlag{Name: "forget", Usage: "drop the kept record `NAME` (as --list names it) once you have its text"},
		},
		Action: a.runRecover,
	}
}

// recoverOptions is what pm recover is asked.
type recoverOptions struct {
	List      bool   // --list: only say where each kept entry is
	OneCommit bool   // --one-commit: an incident's entries in one commit
	Forget    string // --forget: the record to drop, as --list names it
}

func (a *app) runRecover(c *ucli.Context) error {
	if err := noArgs(c, "pm recover --forget ID forgets one record"); err != nil {
		return err
	}
	return a.recoverEntries(recoverOptions{List: c.Bool("list"), OneCommit: c.Bool("one-commit"), Forget: c.String("forget")})
}

// recoverEntries writes back (or lists, or forgets) what pm's journal
// keeps that no commit holds, and says what became of each record.
func (a *app) recoverEntries(o recoverOptions) error {
	w, err := a.openWorkspace()
	if err != nil {
		return err
	}
	if w.repo == nil {
		return usageError("pm recover works in a git repository: outside one pm keeps no journal (the files are all there is)")
	}
	recs, bad, err := w.store.Recover(repo.RecoverOptions{List: o.List, OneCommit: o.OneCommit, Forget: o.Forget})
	if err != nil {
		return usageError("%v", err)
	}
	out := a.env.Stdout
	failed := 0
	for _, p := range bad {
		fmt.Fprintf(a.env.Stderr, "pm: journal record %s cannot be used: %s; it is left in place\n", p.Name, p.Reason)
	}
	if len(recs) == 0 && len(bad) == 0 {
		fmt.Fprintln(out, "nothing to recover: every entry pm accepted is committed")
		return nil
	}
	for _, r := range recs {
		what := printable(r.Words.Incident) + "  " + r.Words.Summary()
		switch r.State {
		case "forgotten":
			fmt.Fprintf(out, "forgotten          %s\n", r.Words.Summary())
		case "unplaced":
			fmt.Fprintf(out, "kept, no incident  %s (%s)\n", r.Words.Summary(), strings.TrimSuffix(r.Words.Name(), ".json"))
			if r.Words.Entry != nil {
				for _, l := range strings.Split(r.Words.Entry.Text, "\n") {
					fmt.Fprintf(out, "    %s\n", printable(l))
				}
			}
			fmt.Fprintf(out, "                   its command ended before it reached an incident (a failed -i, Ctrl-C): add it with -i ID, then pm recover --forget %s\n", strings.TrimSuffix(r.Words.Name(), ".json"))
		case "committed":
			fmt.Fprintf(out, "committed already  %s\n", what)
		case "listed":
			where := "missing from the file and HEAD: pm recover writes it back"
			if r.Where == "in-file" {
				where = "in the file, not committed: pm recover commits it"
			}
			fmt.Fprintf(out, "kept               %s\n                   %s\n", what, where)
		case "restored":
			fmt.Fprintf(out, "written back       %s [%s]\n", what, short(r.Hash))
		case "in-file":
			fmt.Fprintf(out, "committed now      %s [%s]\n", what, short(r.Hash))
		case "failed":
			failed++
			fmt.Fprintf(out, "still kept         %s\n", what)
			fmt.Fprintf(a.env.Stderr, "pm: %s: %v\n", printable(r.Words.Incident), r.Err)
		}
	}
	if failed > 0 {
		return problemError("%d of %d kept entries could not be written back yet; they stay in the journal (run pm recover again once that is fixed)", failed, len(recs))
	}
	return nil
}

func short(hash string) string { return hash[:min(7, len(hash))] }

// journalNote is the line that tells a user words are waiting in the
// journal, for pm status and after a failing command; "" when none are.
func (w *workspace) journalNote() string {
	if w == nil || w.repo == nil {
		return ""
	}
	n := w.repo.Pending()
	switch n {
	case 0:
		return ""
	case 1:
		return "1 entry is kept in pm's journal but not committed: pm recover --list shows it, pm recover writes it back"
	}
	return fmt.Sprintf("%d entries are kept in pm's journal but not committed: pm recover --list shows them, pm recover writes them back", n)
}
