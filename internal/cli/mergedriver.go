package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/incident"
	"github.com/pm-tool/pm/internal/repo"
)

// Git's names for the merge driver, written by pm init and by every writing
// command in a clone that lacks them: git runs mergeDriverCommand for every
// incident file both sides changed.
const (
	mergeDriverName  = "pm"
	mergeDriverLabel = "pm incident merge"
	// oldDriverCommand is what pm registered before the fallback existed;
	// it is upgraded.
	oldDriverCommand = "pm merge-driver %O %A %B %P"
)

// mergeDriverCommand is the driver git runs (through sh, with %O %A %B
// replaced by temporary files and %P by the quoted path). When pm merged
// (0) or merged with conflict markers (1), that is the result. When pm
// could not run at all — not on PATH in this shell (127), or a version it
// cannot parse (2) — git merge-file writes both sides between conflict
// markers instead, so that no pull ever leaves a work file that holds one
// side only. bin is how to run pm: "pm" when that is this program, else its
// absolute path (the README builds ./pm, which no PATH holds).
func mergeDriverCommand(bin string) string {
	return bin + " merge-driver %O %A %B %P || { s=$?; [ $s -gt 1 ] && git merge-file -L ours -L base -L theirs %A %O %B; }"
}

// pmProgram is how a shell started by git should run this pm.
func pmProgram() string {
	self, err := os.Executable()
	if err != nil {
		return "pm"
	}
	if onPath, err := exec.LookPath("pm"); err == nil {
		if a, err1 := os.Stat(onPath); err1 == nil {
			if b, err2 := os.Stat(self); err2 == nil && os.SameFile(a, b) {
				return "pm"
			}
		}
	}
	return repo.ShellQuote(self)
}

func (a *app) mergeDriverCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "merge-driver",
		Usage:     "merge two versions of an incident file (git runs this; pm init registers it)",
		ArgsUsage: "BASE OURS THEIRS [PATH]",
		Hidden:    true,
		Description: "Git calls this during a merge or pull when both sides changed an incident file, with\n" +
			"the common ancestor, our version and their version in temporary files (%O %A %B) and the\n" +
			"file's path (%P). The merged file replaces OURS. Both logs are merged in time order;\n" +
			"what cannot be merged is left between conflict markers.\n\n" +
			"Exit status: 0 merged, 1 merged with conflict markers to resolve, 2 a version does not\n" +
			"parse (OURS is left as it was, and git reports the conflict).\n\n" +
			"Registered by pm init (and by the first writing command in a clone) as:\n" +
			"  git config merge.pm.driver 'pm merge-driver %O %A %B %P || …'\n" +
			"where … falls back to git merge-file when pm cannot run.",
		Action: a.runMergeDriver,
	}
}

// mergeDriverOptions is what pm merge-driver is asked, by git.
type mergeDriverOptions struct {
	Base, Ours, Theirs string // %O %A %B: the three versions; the merge replaces Ours
	Path               string // %P: the file's name in the work tree, "" for Ours
}

func (a *app) runMergeDriver(c *ucli.Context) error {
	args := c.Args().Slice()
	if len(args) < 3 || len(args) > 4 {
		return usageError("pm merge-driver takes BASE OURS THEIRS [PATH] (git passes %%O %%A %%B %%P), got %d arguments", len(args))
	}
	o := mergeDriverOptions{Base: args[0], Ours: args[1], Theirs: args[2]}
	if len(args) == 4 {
		o.Path = args[3]
	}
	return a.mergeFiles(o)
}

// mergeFiles merges Theirs into Ours (pm's merge: both logs in time
// order) and writes the result over Ours, conflict markers and all.
func (a *app) mergeFiles(o mergeDriverOptions) error {
	args := []string{o.Base, o.Ours, o.Theirs}
	abs := func(p string) string {
		if filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(a.dir, p)
	}
	name := o.Ours
	if o.Path != "" {
		name = o.Path
	}
	var data [3][]byte
	for i := range data {
		b, err := os.ReadFile(abs(args[i]))
		if err != nil {
			return usageError("pm merge-driver: cannot read %s: %v", args[i], err)
		}
		data[i] = b
	}
	merged, conflicts, err := incident.MergeReport(name, data[0], data[1], data[2])
	if err != nil {
		return usageError("%v\n%s was not merged: git keeps both versions (git checkout --ours/--theirs %s); merge it by hand, then git add it",
			err, name, repo.ShellQuote(name))
	}
	write := repo.WriteFileAtomic
	if r, err := repo.FindEnv(a.dir, a.env.Getenv); err == nil {
		tmp := filepath.Join(r.GitDir, "pm")
		if os.MkdirAll(tmp, 0o755) == nil {
			write = func(p string, b []byte, m os.FileMode) error { return repo.WriteFileAtomicVia(p, b, m, tmp) }
		}
	}
	if err := write(abs(args[1]), merged, 0o644); err != nil {
		return usageError("pm merge-driver: cannot write the merged %s: %v", name, err)
	}
	if len(conflicts) > 0 {
		return problemError("%s: merged with %d conflict(s):\n  %s\nresolve them, then git add %s",
			name, len(conflicts), strings.Join(conflicts, "\n  "), repo.ShellQuote(name))
	}
	return nil
}

// registerMergeDriver sets merge.pm.name and merge.pm.driver in the
// repository's own git config, unless they are already set: a user who
// points the driver at another pm binary keeps it.
func (w *workspace) registerMergeDriver() (string, error) {
	r := w.repo
	driver, err := r.LocalConfig("merge", mergeDriverName, "driver")
	if err != nil {
		return "", err
	}
	label, err := r.LocalConfig("merge", mergeDriverName, "name")
	if err != nil {
		return "", err
	}
	status := "unchanged"
	want := mergeDriverCommand(pmProgram())
	if label == "" {
		if err := r.SetLocalConfig("merge", mergeDriverName, "name", mergeDriverLabel); err != nil {
			return "", err
		}
		status = "created"
	}
	switch {
	case driver == want:
	case driver == "":
		if err := r.SetLocalConfig("merge", mergeDriverName, "driver", want); err != nil {
			return "", err
		}
		status = "created"
	case driver == oldDriverCommand || strings.Contains(driver, " merge-driver %O %A %B %P || { s=$?;"):
		// pm's own earlier command, or pm's from another binary path:
		// this pm is the one the user runs now.
		if err := r.SetLocalConfig("merge", mergeDriverName, "driver", want); err != nil {
			return "", err
		}
		status = "updated"
	default:
		status = "kept"
	}
	return status, nil
}

// gitattributesLine is the line that sends incident files to the driver.
// A pattern with a space must be quoted (git 2.x reads C-style quotes).
func gitattributesLine(folder string) string {
	pattern := strings.TrimSuffix(filepath.ToSlash(folder), "/") + "/*.md"
	if strings.ContainsAny(pattern, " \t\"\\") {
		pattern = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\t", `\t`).Replace(pattern) + `"`
	}
	return pattern + " merge=" + mergeDriverName
}

// addGitattributes appends line to the .gitattributes text old unless a line
// with the same pattern already sets merge=pm; other lines are kept.
func addGitattributes(old []byte, line string) ([]byte, bool) {
	want := strings.Fields(line)
	for _, l := range strings.Split(string(old), "\n") {
		f := strings.Fields(strings.TrimSpace(l))
		if len(f) > 1 && f[0] == want[0] {
			for _, attr := range f[1:] {
				if attr == want[1] {
					return old, false
				}
			}
		}
	}
	out := append([]byte(nil), old...)
	eol := "\n"
	if strings.Contains(string(old), "\r\n") {
		eol = "\r\n"
	}
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, eol...)
	}
	return append(out, line+eol...), true
}

// mergeDriverHelp says what to run when the driver could not be registered.
func mergeDriverHelp() string {
	return fmt.Sprintf("git config merge.%s.name %s && git config merge.%s.driver %s",
		mergeDriverName, repo.ShellQuote(mergeDriverLabel), mergeDriverName, repo.ShellQuote(mergeDriverCommand(pmProgram())))
}
