package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/lint"
	"github.com/pm-tool/pm/internal/lsp"
	"github.com/pm-tool/pm/internal/repo"
)

func (a *app) lspCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "lsp",
		Usage: "language server: pm lint's findings in your editor as you type",
		Description: "Speaks the Language Server Protocol on stdin and stdout; editors start it, people do not.\n" +
			"Incident files (the *.md files pm lint reads in a repository's incident folder) get pm\n" +
			"lint's findings when opened and on every change, and code actions: drop a hindsight word,\n" +
			"explain a rule, or disable a rule for one line. Each file is linted with the .pm.yml of\n" +
			"the repository it is in, read the first time a file of that repository is opened.\n" +
			"See the README for VS Code, Neovim and Helix.\n\n" +
			"Examples:\n" +
			"  pm lsp",
		Action: a.runLSP,
	}
}

func (a *app) runLSP(c *ucli.Context) error {
	if c.Args().Len() > 0 {
		return usageError("lsp takes no arguments; the editor sends the files")
	}
	err := lsp.New(a.lspLinter(), a.env.Stdout).Serve(a.env.Stdin)
	if errors.Is(err, lsp.ErrExitWithoutShutdown) {
		return problemError("lsp: the editor sent exit without shutdown")
	}
	if err != nil {
		return problemError("%v", err)
	}
	return nil
}

// lspLinter lints a file the editor has open with the workspace of the
// folder it is in, as pm lint run there would: an editor may start the
// server anywhere, and one session may hold files of several repositories.
// Workspaces are kept by folder; a .pm.yml pm cannot use becomes one
// finding on the file, so the writer sees why nothing else is checked.
func (a *app) lspLinter() lsp.Linter {
	type linter struct {
		w   *workspace
		eng *lint.Engine
		err error
	}
	var mu sync.Mutex
	byDir := map[string]*linter{}
	return func(path string, src []byte) ([]lint.Finding, bool) {
		if !strings.HasSuffix(path, ".md") {
			return nil, false
		}
		dir := filepath.Dir(path)
		mu.Lock()
		l, ok := byDir[dir]
		if !ok {
			l = &linter{}
			b := *a
			b.dir = dir
			l.w, l.err = b.openWorkspace()
			if l.err == nil && l.w.repo == nil {
				// Outside git the root is where pm runs: the nearest
				// folder above with a .pm.yml, else the file's own.
				for d := dir; ; d = filepath.Dir(d) {
					if _, err := os.Stat(filepath.Join(d, repo.ConfigFile)); err == nil {
						b.dir = d
						l.w, l.err = b.openWorkspace()
						break
					}
					if filepath.Dir(d) == d {
						break
					}
				}
			}
			if l.err == nil {
				l.eng, l.err = lint.New(l.w.cfg)
				if l.err != nil {
					l.err = l.w.locateConfigError(l.err)
				}
			}
			byDir[dir] = l
		}
		mu.Unlock()
		if l.w == nil {
			return nil, false // not even a folder pm can work in
		}
		rel, err := filepath.Rel(l.w.folder(), path)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || l.w.notIncident(path) != "" {
			return nil, false
		}
		if l.err != nil {
			return []lint.Finding{{Path: l.w.rel(path), Line: 1, Column: 1, Rule: "parse", Level: lint.Error,
				Message: "pm cannot lint this file: " + l.err.Error()}}, true
		}
		return l.eng.Lint(l.w.rel(path), src), true
	}
}
