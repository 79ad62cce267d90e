package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/config"
	"github.com/pm-tool/pm/internal/repo"
)

func (a *app) initCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "init",
		Usage: "set pm up in this repository: .pm.yml, the incident folder and the merge driver",
		Description: "Writes what is missing and leaves what exists alone, so running it twice changes\n" +
			"nothing. pm init does not commit; it prints the command that does.\n\n" +
			"So that two responders can write to the same incident in two clones, it sends the\n" +
			"incident files to pm's merge driver in .gitattributes and registers the driver in\n" +
			".git/config. Clones do not copy .git/config: run pm init once in each clone.\n\n" +
			"Examples:\n" +
			"  pm init\n" +
			"  pm init --github     # and a workflow that lints post-mortems in PRs",
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "github", Usage: "also write .github/workflows/postmortems.yml"},
		},
		Action: a.runInit,
	}
}

// githubWorkflow lints post-mortems on every pull request that touches them.
// It installs pm with the Go toolchain, the one thing a GitHub runner has.
const githubWorkflow = `# Written by pm init --github: checks post-mortems on pull requests.
name: post-mortems
on:
  pull_request:
    paths: ["%[1]s/**", ".pm.yml"]
  push:
    branches: [main]
    paths: ["%[1]s/**", ".pm.yml"]
permissions:
  contents: read
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-go@v5
        with:
          go-version: stable
      - run: go install github.com/pm-tool/pm@latest
      - run: pm lint --format github %[1]s
`

// initOptions is what pm init is asked.
type initOptions struct {
	GitHub bool // also write the workflow that lints post-mortems in PRs
}

func (a *app) runInit(c *ucli.Context) error {
	if err := noArgs(c, ""); err != nil {
		return err
	}
	return a.initRepo(initOptions{GitHub: c.Bool("github")})
}

// initFile is a file pm init writes when it is missing; rel is from the
// repository root, slash-separated.
type initFile struct {
	rel  string
	data []byte
}

// initRepo writes what is missing of pm's setup, says what it did with
// each part, and prints the git command that commits what it created.
func (a *app) initRepo(o initOptions) error {
	w, err := a.openWorkspace()
	if err != nil {
		return err
	}
	files := []initFile{{".pm.yml", config.DefaultConfigYAML()}}
	if o.GitHub {
		files = append(files, initFile{".github/workflows/postmortems.yml", []byte(fmt.Sprintf(githubWorkflow, w.cfg.Folder))})
	}
	var created []string
	for _, f := range files {
		made, err := w.writeInitFile(f)
		if err != nil {
			return err
		}
		created = append(created, made...)
	}
	if err := w.initFolder(); err != nil {
		return err
	}
	// The merge driver: .gitattributes (committed, shared by every clone)
	// and the local git config (per clone).
	made, err := w.initGitattributes()
	if err != nil {
		return err
	}
	created = append(created, made...)
	if err := w.initMergeDriver(); err != nil {
		return err
	}
	switch {
	case len(created) == 0:
	case w.repo == nil:
		fmt.Fprintf(a.env.Stderr, "pm: not in a git repository: nothing was committed\n")
	default:
		fmt.Fprintf(a.env.Stdout, "commit them with: git add %s && git commit -m \"Set up pm\"\n", strings.Join(created, " "))
	}
	return nil
}

// writeInitFile writes f unless a file is there already, and returns its path,
// quoted for the shell, when it created it.
func (w *workspace) writeInitFile(f initFile) ([]string, error) {
	out := w.app.env.Stdout
	abs := filepath.Join(w.home, filepath.FromSlash(f.rel))
	old, err := os.ReadFile(abs)
	switch {
	case err == nil && bytes.Equal(old, f.data):
		fmt.Fprintf(out, "unchanged %s\n", w.display(abs))
		return nil, nil
	case err == nil:
		fmt.Fprintf(out, "kept      %s (exists; not overwritten)\n", w.display(abs))
		return nil, nil
	case !errors.Is(err, os.ErrNotExist):
		return nil, problemError("cannot read %s: %v", w.display(abs), err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return nil, problemError("cannot create %s: %v", w.display(filepath.Dir(abs)), err)
	}
	if err := repo.WriteFileAtomic(abs, f.data, 0o644); err != nil {
		return nil, problemError("cannot write %s: %v", w.display(abs), err)
	}
	fmt.Fprintf(out, "created   %s\n", w.display(abs))
	return []string{repo.ShellQuote(w.display(abs))}, nil
}

// initFolder makes the incident folder if it is not there.
func (w *workspace) initFolder() error {
	folder := w.folder()
	if fi, err := os.Stat(folder); err == nil && fi.IsDir() {
		fmt.Fprintf(w.app.env.Stdout, "unchanged %s/\n", w.display(folder))
		return nil
	}
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return problemError("cannot create %s: %v", w.display(folder), err)
	}
	fmt.Fprintf(w.app.env.Stdout, "created   %s/\n", w.display(folder))
	return nil
}

// initGitattributes adds the merge driver's line to .gitattributes, and
// returns its path, quoted for the shell, when it changed the file.
func (w *workspace) initGitattributes() ([]string, error) {
	out := w.app.env.Stdout
	attrs := filepath.Join(w.home, ".gitattributes")
	old, err := os.ReadFile(attrs)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, problemError("cannot read %s: %v", w.display(attrs), err)
	}
	existed := err == nil
	data, changed := addGitattributes(old, gitattributesLine(w.cfg.Folder))
	if !changed {
		fmt.Fprintf(out, "unchanged %s\n", w.display(attrs))
		return nil, nil
	}
	if err := repo.WriteFileAtomic(attrs, data, 0o644); err != nil {
		return nil, problemError("cannot write %s: %v", w.display(attrs), err)
	}
	verb := "created"
	if existed {
		verb = "updated"
	}
	fmt.Fprintf(out, "%-9s %s\n", verb, w.display(attrs))
	return []string{repo.ShellQuote(w.display(attrs))}, nil
}

// initMergeDriver registers the merge driver in the clone's git config
// (nothing to do outside git).
func (w *workspace) initMergeDriver() error {
	if w.repo == nil {
		return nil
	}
	out := w.app.env.Stdout
	cfg := w.display(filepath.Join(w.repo.CommonDir, "config"))
	status, err := w.registerMergeDriver()
	switch {
	case err != nil:
		return problemError("cannot register the merge driver in %s: %v\nregister it by hand with:\n  %s", cfg, err, mergeDriverHelp())
	case status == "kept":
		fmt.Fprintf(out, "kept      merge.%s in %s (its driver is set; not overwritten)\n", mergeDriverName, cfg)
	default:
		fmt.Fprintf(out, "%-9s merge.%s in %s\n", status, mergeDriverName, cfg)
	}
	return nil
}
