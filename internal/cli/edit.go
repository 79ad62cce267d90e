package cli

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
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

// editOptions is what pm edit is asked.
type editOptions struct {
	Incident string // -i: an id or unique prefix; "" for the usual pick
}

func (a *app) runEdit(c *ucli.Context) error {
	if err := noArgs(c, "name the incident with -i ID"); err != nil {
		return err
	}
	return a.edit(editOptions{Incident: c.String("incident")})
}

// edit opens a copy of the incident in the editor and commits what it
// saved, merged with what reached the file meanwhile.
func (a *app) edit(o editOptions) error {
	w, err := a.openWorkspace()
	if err != nil {
		return err
	}
	f, err := w.pick(o.Incident)
	if err != nil {
		return err
	}
	copyPath, before, resumed, err := w.editCopy(f)
	if err != nil {
		return problemError("cannot write the copy the editor opens (%v); the incident is unchanged: edit %s itself and commit it with git", err, w.display(f.path))
	}
	if resumed {
		fmt.Fprintf(a.env.Stderr, "pm: going on with the edit you left in %s (delete it to start again)\n", w.display(copyPath))
	}
	if err := w.runEditor(copyPath); err != nil {
		return err
	}
	edited, err := os.ReadFile(copyPath)
	if err != nil {
		return problemError("the editor left no file at %s (%v); nothing was written to the incident", w.display(copyPath), err)
	}
	if bytes.Equal(edited, before) {
		w.dropEditCopy(copyPath)
		fmt.Fprintf(a.env.Stderr, "pm: nothing changed in %s\n", w.display(f.path))
		return nil
	}
	_, err = incident.Parse(w.display(copyPath), edited)
	if err != nil {
		return usageError("%v; nothing was written to %s: fix the edit and pm edit goes on from there (delete it to start again)", err, w.display(f.path))
	}
	res, same, err := w.commitEdit(f, copyPath, before, edited)
	if err != nil {
		return err
	}
	if same {
		fmt.Fprintf(a.env.Stderr, "pm: %s already says what your edit says; nothing to commit\n", w.display(f.path))
		return nil
	}
	w.report(res, "edited")
	a.guide(w, f.path)
	return nil
}

// runEditor runs the editor git would use on the copy and waits for it.
func (w *workspace) runEditor(copyPath string) error {
	env := w.app.env
	editor := w.repo.Editor(env.Getenv)
	cmd := exec.Command("sh", "-c", editor+` "$@"`, editor, copyPath)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = env.Stdin, env.Stdout, env.Stderr
	cmd.Dir = w.app.dir
	if err := cmd.Run(); err != nil {
		why := fmt.Sprintf("could not be started (%v)", err)
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			why = fmt.Sprintf("exited with status %d", ee.ExitCode())
		}
		return problemError("the editor (%s) %s; nothing was written to the incident; what it saved is in %s, and pm edit goes on from there (delete it to start again)", editor, why, w.display(copyPath))
	}
	return nil
}

// commitEdit writes the edit (edited, begun from before) into the
// incident f and commits it; same reports that the file already said
// what the edit says. The copy goes once its work is done.
func (w *workspace) commitEdit(f incidentFile, copyPath string, before, edited []byte) (res repo.Result, same bool, err error) {
	var result []byte // the file as the edit leaves it
	res, err = w.store.Apply(repo.Change{Path: f.path, Kind: "edit",
		SubjectFn: func() string { return editSubject(before, edited) },
		Edit: func(d *incident.Doc, _ *incident.Entry) (err error) {
			if same, err = mergeEdit(d, before, edited, copyPath, w.display(copyPath)); err == nil {
				result = d.Bytes()
			}
			return err
		}})
	if err != nil {
		// A commit that failed (a hook refused it) leaves the edit in the
		// file, and the error says how to commit it: the copy has done its
		// work, and a next pm edit must start from the file.
		if cur, rerr := os.ReadFile(f.path); rerr == nil && result != nil && bytes.Equal(cur, result) {
			w.dropEditCopy(copyPath)
		}
		return res, same, err
	}
	w.dropEditCopy(copyPath)
	return res, same, nil
}

// editCopy is the file for the editor, .git/pm/edit/<id>.md in a
// repository (out of the work tree, and still there if the editor or the
// machine dies), else a temporary file, with the incident as it was when
// the edit began (<id>.md.base, the base of the merge). An edit left
// unfinished (the editor failed, the file did not parse) is picked up
// again rather than overwritten.
func (w *workspace) editCopy(f incidentFile) (path string, base []byte, resumed bool, err error) {
	// Outside git, one folder per incident folder: two folders' incidents
	// may share an id, and one must not resume the other's edit.
	sum := sha1.Sum([]byte(w.folder()))
	dir := filepath.Join(os.TempDir(), "pm-edit-"+hex.EncodeToString(sum[:6]))
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
// while the editor was open (base is the file when it opened). same
// reports that the result is the file as it already is. Where both changed
// one thing, the copy gets both versions between conflict markers and the
// file as it is now becomes the base, so the next pm edit starts from the
// person's choice instead of meeting the same conflict again.
func mergeEdit(d *incident.Doc, base, edited []byte, copyPath, shown string) (same bool, err error) {
	result, now := edited, d.Bytes()
	if !bytes.Equal(now, base) {
		merged, conflicts, err := incident.MergeReport(d.Path, base, edited, now)
		if err != nil {
			return false, problemError("%s changed while the editor was open and the two do not merge (%v); nothing was written: your edit is in %s, and pm edit goes on from there", d.Path, err, shown)
		}
		if len(conflicts) > 0 {
			werr := errors.Join(os.WriteFile(copyPath, merged, 0o644), os.WriteFile(copyPath+".base", now, 0o644))
			if werr != nil {
				return false, problemError("%s changed while the editor was open and both changed the same thing (%s); nothing was written: your edit is in %s", d.Path, strings.Join(conflicts, "; "), shown)
			}
			return false, problemError("%s changed while the editor was open and you both changed the same thing; nothing was written: %s now has both versions between <<<<<<< and >>>>>>> lines: keep the one you want, then pm edit again", d.Path, shown)
		}
		result = merged
	}
	nd, err := incident.Parse(d.Path, result)
	if err != nil {
		return false, usageError("%v; your edit is in %s", err, shown)
	}
	*d = *nd
	return bytes.Equal(result, now), nil
}

// editSubject names what the edit changed for the commit message: the
// frontmatter and the sections whose text differs between the file the
// edit began from and the edit (not what others added meanwhile).
func editSubject(before, edited []byte) string {
	var changed []string
	if !bytes.Equal(frontmatter(before), frontmatter(edited)) {
		changed = append(changed, "frontmatter")
	}
	b, err1 := incident.Parse("before", before)
	e, err2 := incident.Parse("edited", edited)
	if err1 == nil && err2 == nil {
		changed = append(changed, incident.ChangedSections(b, e)...)
	}
	if len(changed) == 0 {
		return "edited"
	}
	return strings.Join(changed, ", ")
}

// frontmatter is a file's text up to the "---" that closes its
// frontmatter.
func frontmatter(src []byte) []byte {
	head, _, _ := bytes.Cut(src, []byte("\n---"))
	return head
}
