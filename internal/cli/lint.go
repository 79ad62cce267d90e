package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"
	"gopkg.in/yaml.v3"

	"github.com/pm-tool/pm/internal/config"
	"github.com/pm-tool/pm/internal/lint"
	"github.com/pm-tool/pm/internal/repo"
)

func (a *app) lintCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "lint",
		Usage:     "check post-mortems: structure, action items and blameless language",
		ArgsUsage: "[PATH...]",
		Description: "Without PATH pm lints every incident in the incident folder; a PATH may be a file or a\n" +
			"folder (its *.md files, recursively, skipping templates/ folders and README.md; those\n" +
			"are skipped when named too, so a pre-commit hook can pass every staged file).\n" +
			"Exit status: 0 clean or only warnings, 1 a finding at error level, 2 bad usage or .pm.yml.\n" +
			"Levels and word lists are set in .pm.yml under lint:; silence one place with\n" +
			"<!-- pm-lint-disable-next-line RULE -->.\n\n" +
			"Examples:\n" +
			"  pm lint\n" +
			"  pm lint postmortems/2026-11-24-api-returns-502.md\n" +
			"  pm lint --changed-since origin/main --format github\n" +
			"  pm lint --explain person-as-cause",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "output `FORMAT`: " + strings.Join(lint.Formats, ", ")},
			&ucli.StringFlag{Name: "changed-since", Usage: "lint only files that differ from `REF` (a branch, tag or commit) or are new"},
			&ucli.StringFlag{Name: "explain", Usage: "print why `RULE` exists and how to rewrite, then exit"},
		},
		Action: a.runLint,
	}
}

// lintOptions is what pm lint is asked to check.
type lintOptions struct {
	Paths        []string // files and folders; none for the incident folder
	Format       string   // one of lint.Formats
	ChangedSince string   // only files that differ from this ref ("" for all)
}

func (a *app) runLint(c *ucli.Context) error {
	if name := c.String("explain"); name != "" {
		return a.explainRule(name)
	}
	format, err := a.checkFormat(c, lint.Formats...)
	if err != nil {
		return err
	}
	return a.lint(lintOptions{Paths: c.Args().Slice(), Format: format, ChangedSince: c.String("changed-since")})
}

// explainRule is pm lint --explain RULE.
func (a *app) explainRule(name string) error {
	text, ok := lint.Explain(name)
	if !ok {
		_, guess := oneOf(name, lint.RuleNames())
		if guess == "" {
			for _, r := range lint.RuleNames() { // blame for blame-words
				if strings.HasPrefix(r, strings.ToLower(name)) {
					guess = r
					break
				}
			}
		}
		if guess != "" {
			return usageError("lint --explain: unknown rule %q; did you mean %s? (the rules are: %s)", name, guess, strings.Join(lint.RuleNames(), ", "))
		}
		return usageError("lint --explain: unknown rule %q; the rules are: %s", name, strings.Join(lint.RuleNames(), ", "))
	}
	_, err := fmt.Fprint(a.env.Stdout, text)
	return err
}

// lint checks the files, prints the report, and fails when a finding is
// at error level.
func (a *app) lint(o lintOptions) error {
	w, err := a.openWorkspace()
	if err != nil {
		return err
	}
	eng, err := lint.New(w.cfg)
	if err != nil {
		return asUsage(w.locateConfigError(err))
	}
	files, err := w.lintFiles(o.Paths)
	if err != nil {
		return err
	}
	if ref := o.ChangedSince; ref != "" {
		if files, err = w.changedSince(ref, files); err != nil {
			return err
		}
	}
	rels := make([]string, len(files))
	abs := make(map[string]string, len(files))
	for i, f := range files {
		rels[i] = w.rel(f)
		abs[rels[i]] = f
	}
	// pm lint is short-lived and allocates per file: collecting garbage
	// half as often costs a few MB and saves a tenth of the time.
	defer debug.SetGCPercent(debug.SetGCPercent(200))
	report := eng.LintFiles(rels, func(rel string) ([]byte, error) { return repo.ReadIncidentFile(abs[rel], rel) })
	if err := lint.Write(a.env.Stdout, o.Format, report); err != nil {
		return problemError("lint: cannot write the report: %w", err)
	}
	if err := lintVerdict(report, len(files)); err != nil {
		return err
	}
	if len(files) == 0 && o.ChangedSince == "" {
		fmt.Fprintf(a.env.Stderr, "pm lint: no incident files to lint\n")
	}
	return nil
}

// lintVerdict is the problem pm lint exits 1 with when report has a
// finding at error level: how many errors and warnings, in how many of
// the files linted; nil when there is no error.
func lintVerdict(report lint.Report, files int) error {
	var errs, warns int
	with := map[string]bool{} // files with an error or a warning
	for _, f := range report.Findings {
		switch f.Level {
		case lint.Error:
			errs++
		case lint.Warning:
			warns++
		}
		if f.Level == lint.Error || f.Level == lint.Warning {
			with[f.Path] = true
		}
	}
	if errs == 0 {
		return nil
	}
	where := lintCount(files, "file")
	if len(with) < files {
		where = fmt.Sprintf("%d of %s", len(with), where) // "in 1 of 2 files": where to look
	}
	return problemError("lint: %s, %s in %s", lintCount(errs, "error"), lintCount(warns, "warning"), where)
}

// lintCount is "1 error", "2 errors".
func lintCount(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// lintFiles returns the absolute paths of the files to lint, sorted: the
// incident files (repo.IncidentFiles, as every command lists them) without
// arguments, else each argument, a folder as the incident folder is read.
func (w *workspace) lintFiles(args []string) ([]string, error) {
	if len(args) == 0 {
		files, err := repo.IncidentFiles(w.folder())
		if err != nil {
			return nil, w.unreadable(err)
		}
		return files, nil
	}
	seen := map[string]bool{}
	var out []string
	for _, arg := range args {
		p := arg
		if !filepath.IsAbs(p) {
			p = filepath.Join(w.app.dir, p)
		}
		fi, err := os.Stat(p)
		if err != nil {
			return nil, usageError("lint: %s: no such file or folder", arg)
		}
		files := []string{p}
		if fi.IsDir() {
			if files, err = repo.IncidentFiles(p); err != nil {
				return nil, w.unreadable(err)
			}
		} else if why := w.notIncident(p); why != "" {
			// Named one by one, as pre-commit names every staged file
			// under postmortems/: skipped as the folder's walk skips it,
			// or a valid custom template would fail the commit.
			fmt.Fprintf(w.app.env.Stderr, "pm lint: skipped %s: %s\n", arg, why)
			continue
		}
		for _, f := range files {
			if !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

// notIncident says why the file p, named on the command line, is one that
// the listing of the incident folder leaves out ("" when it is not or when
// p is outside the folder): a README.md, or a file under a templates/ or
// hidden folder of the incident folder (repo.NotIncident).
func (w *workspace) notIncident(p string) string {
	rel, err := filepath.Rel(w.folder(), p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return ""
	}
	if why := repo.NotIncident(rel); why != "" && strings.HasSuffix(p, ".md") {
		return why
	}
	return ""
}

// changedSince keeps the files that differ from ref or are new. Files
// outside the repository cannot be compared and are kept.
func (w *workspace) changedSince(ref string, files []string) ([]string, error) {
	if w.repo == nil {
		return nil, usageError("lint --changed-since: not in a git repository; run it inside one, or lint the files by name")
	}
	var inside, outside []string
	for _, f := range files {
		if r := w.rel(f); r == ".." || strings.HasPrefix(r, "../") || filepath.IsAbs(r) {
			outside = append(outside, f)
		} else {
			inside = append(inside, r)
		}
	}
	changed, err := w.repo.ChangedSince(ref, inside)
	if err != nil {
		return nil, usageError("lint --changed-since: %v", err)
	}
	out := outside
	for _, r := range changed {
		out = append(out, filepath.Join(w.root, filepath.FromSlash(r)))
	}
	slices.Sort(out)
	return out, nil
}

// locateConfigError adds the line of .pm.yml to an error the lint engine
// raised about a key it does not accept (an unknown rule name), so it reads
// like every other .pm.yml error.
func (w *workspace) locateConfigError(err error) error {
	var ce *config.ConfigError
	if !errors.As(err, &ce) || ce.Line > 0 || ce.Key == "" {
		return err
	}
	data, rerr := os.ReadFile(filepath.Join(w.home, config.ConfigFile))
	if rerr != nil {
		return err
	}
	var path []string
	for _, prefix := range []string{"lint.rules.", "lint.words.extra."} {
		if rest, ok := strings.CutPrefix(ce.Key, prefix); ok {
			path = append(strings.Split(strings.TrimSuffix(prefix, "."), "."), rest)
		}
	}
	located := *ce
	located.Line = yamlKeyLine(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), path)
	return &located
}

// yamlKeyLine returns the line of the key at path in a YAML mapping, 0 when
// it is not there.
func yamlKeyLine(data []byte, path []string) int {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 || len(path) == 0 {
		return 0
	}
	n := doc.Content[0]
	line := 0
	for _, key := range path {
		if n.Kind != yaml.MappingNode {
			return 0
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				line, next = n.Content[i].Line, n.Content[i+1]
				break
			}
		}
		if next == nil {
			return 0
		}
		n = next
	}
	return line
}
