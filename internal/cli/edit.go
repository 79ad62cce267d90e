package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/incident"
	"github.com/pm-tool/pm/internal/repo"
)

// editCommand opens the incident in the user's editor and commits what
// they wrote: the post-mortem's prose (summary, impact, contributing
// factors) is written there, not typed on a command line.
//
// The editor works on a copy in the git directory, as git's own
// COMMIT_EDITMSG: responders may go on appending entries (or pm sync may
// bring in a colleague's) while the editor is open, and saving the file
// itself would then erase them. pm merges the edited copy into the file as
// it is when the editor closes, with the same three-way merge as pm sync.
func (a *app) editCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "edit",
		Usage: "write the post-mortem in your editor, then commit it",
		Description: "Opens the incident in the editor git would use ($GIT_EDITOR, core.editor,\n" +
			"$VISUAL, $EDITOR, else vi) and commits the change when the editor exits.\n" +
			"Entries that others add meanwhile are merged in, not overwritten.\n\n" +
			"Examples:\n  pm edit\n  EDITOR=nano pm edit -i 2026-11-24-api",
		Flags:  []ucli.Flag{incidentFlag()},
		Action: a.runEdit,
	}
}

func (a *app) runEdit(c *ucli.Context) error {
	if c.Args().Present() {
		return usageError("edit takes no arguments; name the incident with -i ID")
	}
	w, f, err := a.target(c)
	if err != nil {
		return err
	}
	copyPath, before, resumed, err := w.editCopy(f)
	if err != nil {
		return err
	}
	if resumed {
		fmt.Fprintf(a.env.Stderr, "pm: going on with the edit you left in %s (delete it to start again)\n", w.display(copyPath))
	}
	editor := w.repo.Editor(a.env.Getenv)
	cmd := exec.Command("sh", "-c", editor+` "$@"`, editor, copyPath)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = a.env.Stdin, a.env.Stdout, a.env.Stderr
	cmd.Dir = a.dir
	if err := cmd.Run(); err != nil {
		why := err.Error()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			why = fmt.Sprintf("exited with status %d", ee.ExitCode())
		}
		return problemError("the editor (%s) %s; nothing was written to the incident; what it saved is in %s, and pm edit goes on from there (delete it to start again)", editor, why, w.display(copyPath))
	}
	edited, err := os.ReadFile(copyPath)
	if err != nil {
		return err
	}
	if bytes.Equal(edited, before) {
		w.dropEditCopy(copyPath)
		fmt.Fprintf(a.env.Stderr, "pm: nothing changed in %s\n", w.display(f.path))
		return nil
	}
	ed, err := incident.Parse(w.display(copyPath), edited)
	if err != nil {
		return usageError("%v; nothing was written to %s: fix the edit and pm edit goes on from there (delete it to start again)", err, w.display(f.path))
	}
	res, err := w.store.Apply(repo.Change{Path: f.path, Kind: "edit",
		SubjectFn: func() string { return editSubject(f.doc, ed) },
		Edit: func(d *incident.Doc, _ *incident.Entry) error {
			return mergeEdit(d, before, edited, copyPath)
		}})
	if err != nil {
		return err
	}
	w.dropEditCopy(copyPath)
	w.report(res, "edited")
	return nil
}

// editCopy is the file for the editor, .git/pm/edit/<id>.md in a
// repository (out of the work tree, and still there if the editor or the
// machine dies), else a temporary file, with the incident as it was when
// the edit began (<id>.md.base, the base of the merge). An edit left
// unfinished (the editor failed, the file did not parse) is picked up
// again rather than overwritten.
func (w *workspace) editCopy(f incidentFile) (path string, base []byte, resumed bool, err error) {
	dir := os.TempDir()
	if w.repo != nil {
		dir = filepath.Join(w.repo.GitDir, "pm", "edit")
	}
	path = filepath.Join(dir, f.id+".md")
	if base, err = os.ReadFile(path + ".base"); err == nil {
		if _, err = os.Stat(path); err == nil {
			return path, base, true, nil
		}
	}
	if base, err = os.ReadFile(f.path); err != nil {
		return "", nil, false, err
	}
	if err = os.MkdirAll(dir, 0o755); err == nil {
		err = os.WriteFile(path+".base", base, 0o644)
	}
	if err == nil {
		err = os.WriteFile(path, base, 0o644)
	}
	return path, base, false, err
}

// dropEditCopy removes a finished edit's files.
func (w *workspace) dropEditCopy(path string) {
	os.Remove(path)
	os.Remove(path + ".base")
}

// mergeEdit makes d the edited file, merged with what reached the file
// while the editor was open (base is the file when it opened).
func mergeEdit(d *incident.Doc, base, edited []byte, copyPath string) error {
	result := edited
	if now := d.Bytes(); !bytes.Equal(now, base) {
		merged, conflicts, err := incident.MergeReport(d.Path, base, edited, now)
		if err == nil && len(conflicts) > 0 {
			err = errors.New(strings.Join(conflicts, "; "))
		}
		if err != nil {
			return problemError("%s changed while the editor was open and the two do not merge (%v); nothing was written: your edit is in %s, and pm edit goes on from there", d.Path, err, copyPath)
		}
		result = merged
	}
	nd, err := incident.Parse(d.Path, result)
	if err != nil {
		return usageError("%v; your edit is in %s", err, copyPath)
	}
	*d = *nd
	return nil
}

// editSubject names what the edit changed for the commit message: the
// sections whose text differs, else the frontmatter.
func editSubject(before, after *incident.Doc) string {
	if before == nil {
		return "edited"
	}
	changed := incident.ChangedSections(before, after)
	if len(changed) == 0 {
		return "frontmatter"
	}
	return strings.Join(changed, ", ")
}
