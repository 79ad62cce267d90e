package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/incident"
	"github.com/pm-tool/pm/internal/repo"
)

func (a *app) adoptCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "adopt",
		Usage:     "make pm incidents of post-mortems written without pm",
		ArgsUsage: "PATH...",
		Description: "Copies each markdown post-mortem into the incident folder as ID.md with a\n" +
			"frontmatter on top, its text byte for byte as it was, one commit per file.\n" +
			"The title comes from the first heading; started, detected, mitigated and\n" +
			"resolved from the timeline section; severity and services from lines such\n" +
			"as \"Severity: SEV1\" and \"Affected services: api, db\". Each guess carries a\n" +
			"\"# pm adopt:\" comment saying where it came from: check it, then delete the\n" +
			"comment. The status is resolved. The original file is left as it was\n" +
			"(git rm it once the copy is right); a file with a frontmatter is refused.\n\n" +
			"Examples:\n" +
			"  pm adopt --dry-run docs/postmortems/2019-12-04-outage.md\n" +
			"  pm adopt docs/postmortems/*.md && pm lint",
		Flags: []ucli.Flag{
			&ucli.BoolFlag{Name: "dry-run", Aliases: []string{"n"}, Usage: "print the frontmatter each file would get; write nothing"},
		},
		Action: func(c *ucli.Context) error {
			return a.adopt(adoptOptions{Paths: c.Args().Slice(), DryRun: c.Bool("dry-run")})
		},
	}
}

// adoptOptions is what pm adopt is asked.
type adoptOptions struct {
	Paths  []string // the post-mortems, as typed
	DryRun bool     // print, write nothing
}

// maxAdopt is the largest file pm adopt reads, as for incident files.
const maxAdopt = 32 << 20

// adopt turns each file into an incident, one commit each. A file that
// cannot be adopted is named with the reason, and the others go on; with
// several files the last line counts the ones left.
func (a *app) adopt(o adoptOptions) error {
	if len(o.Paths) == 0 {
		return usageError("pm adopt needs the post-mortems to adopt, e.g. pm adopt docs/outage.md")
	}
	w, err := a.openWorkspace()
	if err != nil {
		return err
	}
	var failed []error
	for _, p := range o.Paths {
		if err := a.adoptFile(w, p, o.DryRun); err != nil {
			if len(o.Paths) == 1 {
				return err
			}
			fmt.Fprintf(a.env.Stderr, "pm: %s\n", err)
			failed = append(failed, err)
		}
	}
	if len(failed) == 0 {
		return nil
	}
	code := exitUsage
	for _, err := range failed {
		code = min(code, exitCode(err)) // a failed commit (1) is what to fix first
	}
	return &exitError{code: code, err: fmt.Errorf("%d of %d files not adopted (see above)", len(failed), len(o.Paths))}
}

// adoptFile adopts one file, or prints what it would write.
func (a *app) adoptFile(w *workspace, typed string, dryRun bool) error {
	abs := typed
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(a.dir, abs)
	}
	src, mtime, err := readAdoptable(abs, typed)
	if err != nil {
		return err
	}
	if n := incident.FrontmatterLine(src); n > 0 {
		return usageError("%s already has a frontmatter (line %d): pm adopt is for post-mortems without one; if it is an incident already, pm lint %s checks it", typed, n, typed)
	}
	if now := a.env.Now(); mtime.After(now) {
		mtime = now // a clock ahead of pm's (PM_NOW): never a start in the future
	}
	name := strings.TrimSuffix(filepath.Base(abs), filepath.Ext(abs))
	ad := incident.InferAdoption(src, w.cfg.Severities, name, mtime)
	nl := "\n"
	if bytes.Contains(src, []byte("\r\n")) {
		nl = "\r\n"
	}
	bom := []byte{}
	body := src
	if b, ok := bytes.CutPrefix(src, []byte("\ufeff")); ok {
		bom, body = []byte("\ufeff"), b
	}
	subject := filepath.ToSlash(w.rel(abs))
	build := func(taken map[string]bool) (string, []byte, error) {
		id := incident.NewID(w.cfg.IDScheme, w.cfg.IDPrefix, ad.Started, ad.Title, taken)
		data := slices.Concat(bom, incident.AdoptFrontmatter(ad, id, "resolved", w.cfg.DefaultSeverity, nl), body)
		if !bytes.HasSuffix(data, body) {
			return "", nil, fmt.Errorf("%s: the adopted file would not end with the text as it was", typed) // never: the text is appended
		}
		if _, err := incident.Parse(w.display(w.store.IncidentPath(id)), data); err != nil {
			return "", nil, usageError("%s cannot be adopted: with a frontmatter pm cannot read it: %v", typed, err)
		}
		return id, data, nil
	}
	if dryRun {
		return a.adoptDryRun(w, typed, build, len(bom), body)
	}
	res, err := w.store.CreateAs("adopt", subject, build)
	if res.ID != "" {
		if _, statErr := os.Stat(w.store.IncidentPath(res.ID)); statErr == nil {
			fmt.Fprintf(a.env.Stdout, "adopted %s as %s; %s is left as it was (git rm it once the copy is right)\n", typed, w.display(w.store.IncidentPath(res.ID)), typed)
			fmt.Fprintf(a.env.Stdout, "  check: %s (the # pm adopt: comments say where each came from)\n", adoptSummary(ad))
		}
	}
	if err != nil {
		w.notices(res)
		return err
	}
	w.report(res, "adopt: "+subject)
	return nil
}

// adoptDryRun is pm adopt --dry-run: the frontmatter build would put
// above the text (after a BOM of bom bytes, before body), with the id the
// incidents already there leave it; nothing is written.
func (a *app) adoptDryRun(w *workspace, typed string, build func(map[string]bool) (string, []byte, error), bom int, body []byte) error {
	paths, err := repo.IncidentFiles(w.store.Folder)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return w.unreadable(err)
	}
	taken := map[string]bool{}
	for _, p := range paths {
		taken[strings.TrimSuffix(filepath.Base(p), ".md")] = true
	}
	id, data, err := build(taken)
	if err != nil {
		return err
	}
	fm := data[bom : len(data)-len(body)]
	n := bytes.Count(body, []byte("\n"))
	fmt.Fprintf(a.env.Stdout, "would write %s: this frontmatter, then the %d %s of %s as they are\n%s",
		w.display(w.store.IncidentPath(id)), n, plural(n, "line", "lines"), typed, strings.ReplaceAll(string(fm), "\r\n", "\n"))
	return nil
}

// readAdoptable reads a post-mortem for pm adopt: a regular file, not too
// large, text.
func readAdoptable(abs, typed string) ([]byte, time.Time, error) {
	fi, err := os.Lstat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, time.Time{}, usageError("%s: no such file", typed)
	case err != nil:
		return nil, time.Time{}, usageError("%s: %v", typed, err)
	case fi.IsDir():
		return nil, time.Time{}, usageError("%s is a folder; name the files in it (pm adopt %s/*.md)", typed, strings.TrimSuffix(typed, "/"))
	case !fi.Mode().IsRegular():
		return nil, time.Time{}, usageError("%s is not a regular file (a symbolic link or a device): name the file itself", typed)
	case fi.Size() > maxAdopt:
		return nil, time.Time{}, usageError("%s is over 32 MB: not a post-mortem pm adopts", typed)
	}
	src, err := os.ReadFile(abs)
	if err != nil {
		return nil, time.Time{}, usageError("%s: %v", typed, err)
	}
	if bytes.IndexByte(src, 0) >= 0 || !utf8.Valid(src) {
		return nil, time.Time{}, usageError("%s is not UTF-8 text: pm adopts markdown files", typed)
	}
	return src, fi.ModTime(), nil
}

// adoptSummary names the keys guessed from the text and those it has no
// value for.
func adoptSummary(ad incident.Adoption) string {
	var guessed, missing []string
	for _, k := range []string{"title", "severity", "started", "detected", "mitigated", "resolved", "services", "authors", "commander"} {
		g, ok := ad.Guesses[k]
		switch {
		case !ok:
		case g.Line > 0:
			guessed = append(guessed, k)
		default:
			missing = append(missing, k)
		}
	}
	s := "guessed " + strings.Join(guessed, ", ")
	if len(guessed) == 0 {
		s = "nothing guessed from the text"
	}
	if len(missing) > 0 {
		s += "; not in the text: " + strings.Join(missing, ", ")
	}
	return s
}
