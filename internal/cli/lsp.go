package cli

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/config"
	"github.com/pm-tool/pm/internal/incident"
	"github.com/pm-tool/pm/internal/lint"
	"github.com/pm-tool/pm/internal/lsp"
)

func (a *app) lspCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "lsp",
		Usage: "language server: pm lint's findings in your editor as you type",
		Description: "Speaks the Language Server Protocol on stdin and stdout; editors start it, people do not.\n" +
			"Incident files (the *.md files pm lint reads in a repository's incident folder) get pm\n" +
			"lint's findings when opened and on every change, and code actions: drop a hindsight word,\n" +
			"explain a rule, or disable a rule for one line; and completion of frontmatter values\n" +
			"(status, severity, services, tags and people seen before). Each file is linted with the .pm.yml of\n" +
			"the repository it is in, read the first time a file of that repository is opened.\n" +
			"See the README for VS Code, Neovim and Helix.\n\n" +
			"Examples:\n" +
			"  pm lsp",
		Action: a.runLSP,
	}
}

func (a *app) runLSP(c *ucli.Context) error {
	if err := noArgs(c, "the editor sends the files"); err != nil {
		return err
	}
	return a.serveLSP(lspOptions{})
}

// lspOptions is what pm lsp is asked: nothing, as it takes no flags or
// arguments (the editor sends the files); the struct keeps its call like
// every other command's.
type lspOptions struct{}

// serveLSP speaks the protocol on a.env.Stdin and Stdout until the editor
// sends exit.
func (a *app) serveLSP(lspOptions) error {
	files := &lspFiles{a: a, byDir: map[string]*lspWorkspace{}}
	err := lsp.New(files.lint, files.values, a.env.Stdout).Serve(a.env.Stdin)
	if errors.Is(err, lsp.ErrExitWithoutShutdown) {
		return problemError("lsp: the editor sent exit without shutdown")
	}
	if err != nil {
		return problemError("%v", err)
	}
	return nil
}

// lspFiles answers the language server's questions about a file the
// editor has open with the workspace of the folder it is in, as pm run
// there would: an editor may start the server anywhere, and one session may
// hold files of several repositories. Workspaces are kept by folder; a
// .pm.yml pm cannot use becomes one finding on the file, so the writer sees
// why nothing else is checked.
type lspFiles struct {
	a     *app
	mu    sync.Mutex
	byDir map[string]*lspWorkspace
}

type lspWorkspace struct {
	w   *workspace // nil: not a folder pm can work in
	eng *lint.Engine
	err error // .pm.yml cannot be used
}

// incident returns the workspace of path when path is an incident file
// (what pm lint reads in that workspace's incident folder), else nil.
func (l *lspFiles) incident(path string) *lspWorkspace {
	if !strings.HasSuffix(path, ".md") {
		return nil
	}
	dir := filepath.Dir(path)
	l.mu.Lock()
	defer l.mu.Unlock()
	ws, ok := l.byDir[dir]
	if !ok {
		ws = &lspWorkspace{}
		b := *l.a
		b.dir = dir
		ws.w, ws.err = b.openWorkspace()
		if ws.err == nil && ws.w.repo == nil {
			// Outside git the root is where pm runs: the nearest folder
			// above with a .pm.yml, else the file's own.
			for d := dir; ; d = filepath.Dir(d) {
				if _, err := os.Stat(filepath.Join(d, config.ConfigFile)); err == nil {
					b.dir = d
					ws.w, ws.err = b.openWorkspace()
					break
				}
				if filepath.Dir(d) == d {
					break
				}
			}
		}
		if ws.err == nil {
			if ws.eng, ws.err = lint.New(ws.w.cfg); ws.err != nil {
				ws.err = ws.w.locateConfigError(ws.err)
			}
		}
		l.byDir[dir] = ws
	}
	if ws.w == nil {
		return nil
	}
	rel, err := filepath.Rel(ws.w.folder(), path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || ws.w.notIncident(path) != "" {
		return nil
	}
	return ws
}

func (l *lspFiles) lint(path string, src []byte) ([]lint.Finding, bool) {
	ws := l.incident(path)
	switch {
	case ws == nil:
		return nil, false
	case ws.err != nil:
		return []lint.Finding{{Path: ws.w.rel(path), Line: 1, Column: 1, Rule: "parse", Level: lint.Error,
			Message: "pm cannot lint this file: " + ws.err.Error()}}, true
	}
	return ws.eng.Lint(ws.w.rel(path), src), true
}

// values completes frontmatter: the statuses, the severities of .pm.yml,
// and the services, tags and people of the repository's incidents, read
// when asked, so an incident written a minute ago counts.
func (l *lspFiles) values(path, key string) []string {
	ws := l.incident(path)
	if ws == nil || ws.err != nil {
		return nil
	}
	switch key {
	case "status":
		return incident.Statuses
	case "severity":
		return ws.w.cfg.Severities
	case "services", "tags", "commander", "authors":
	default:
		return nil
	}
	files, err := ws.w.loadIncidents()
	if err != nil {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, f := range files {
		if f.doc == nil || f.path == path {
			continue
		}
		m := f.doc.Meta
		var vs []string
		switch key {
		case "services":
			vs = m.Services
		case "tags":
			vs = m.Tags
		default: // people: commanders and authors alike
			vs = append([]string{m.Commander}, m.Authors...)
		}
		for _, v := range vs {
			if v != "" && !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	slices.Sort(out)
	return out
}
