package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/incident"
	"github.com/pm-tool/pm/internal/repo"
	"github.com/pm-tool/pm/internal/site"
	"github.com/pm-tool/pm/templates"
)

func (a *app) siteCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "site",
		Usage: "publish every incident as a static web site",
		Description: "Writes an index with search and filters, a page per incident, the open action items,\n" +
			"stats with charts, a page per service and tag and an Atom feed to --out (default\n" +
			"_site at the repository root). The site works from any web server and from disk;\n" +
			"links are relative, so --base-url (default site.base_url in .pm.yml) is only used\n" +
			"for the feed and canonical links. Incidents with private: true are left out.\n\n" +
			"The folder is replaced as a whole, so a deleted incident's page goes too; pm only\n" +
			"replaces a folder it made. The same incidents give the same bytes: overdue action\n" +
			"items are counted as of SOURCE_DATE_EPOCH when it is set, else today. Only pages\n" +
			"whose inputs changed since the last build are rendered (a memo in .git/pm/site);\n" +
			"the others are linked from the old site, so the result is that of a whole build.\n\n" +
			"Examples:\n" +
			"  pm site && open _site/index.html\n" +
			"  pm site --out public --base-url https://postmortems.example.com/\n" +
			"  SOURCE_DATE_EPOCH=$(git log -1 --format=%ct) pm site",
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "`DIR` to write the site to (default <root>/_site)"},
			&ucli.StringFlag{Name: "base-url", Usage: "absolute `URL` the site is served from, for the feed and canonical links"},
		},
		Action: a.runSite,
	}
}

// siteOptions is what pm site is asked.
type siteOptions struct {
	Out     string  // the folder to write, as typed; "" for <root>/_site
	BaseURL *string // --base-url; nil for site.base_url of .pm.yml
}

func (a *app) runSite(c *ucli.Context) error {
	if err := noArgs(c, "see pm site --help"); err != nil {
		return err
	}
	o := siteOptions{Out: c.String("out")}
	if c.IsSet("base-url") {
		u := c.String("base-url")
		o.BaseURL = &u
	}
	return a.site(o)
}

// site publishes every incident that parses and is not private, and fails
// when some did not parse (they are left out, and named).
func (a *app) site(o siteOptions) error {
	now, err := siteNow(a.env)
	if err != nil {
		return err
	}
	w, err := a.openWorkspace()
	if err != nil {
		return err
	}
	opt := site.Options{Out: o.Out, Root: w.root, Title: w.cfg.Site.Title, BaseURL: w.cfg.Site.BaseURL, Now: now,
		Severities: w.cfg.Severities, Location: w.cfg.Location()}
	if opt.Out == "" {
		opt.Out = filepath.Join(w.home, "_site")
	} else if !filepath.IsAbs(opt.Out) {
		opt.Out = filepath.Join(a.dir, opt.Out)
	}
	if o.BaseURL != nil {
		opt.BaseURL = *o.BaseURL
	}
	// Summaries through the cache are what the tables, stats and related
	// incidents need; a page's whole document is read only when the page
	// is rendered, and with the memo only when its inputs changed.
	files, err := w.load(w.cache().LoadSummaries)
	if err != nil {
		return err
	}
	var inputs []site.Input
	var broken []incidentFile
	for _, f := range files {
		if f.err != nil {
			broken = append(broken, f)
			continue
		}
		path, name := f.path, f.doc.Path
		inputs = append(inputs, site.Input{ID: f.id, Path: path, Doc: f.doc, Sum: f.sum,
			Load: func() (*incident.Doc, error) { return repo.ReadIncident(path, name, false) }})
	}
	if m := w.store.SiteMemo(); m != nil {
		opt.Memo = m
	}
	if opt.Assets, err = fs.Sub(templates.Site, "site"); err != nil {
		return err
	}
	res, err := site.Build(inputs, opt)
	if err != nil {
		var oe *site.OptionError
		if errors.As(err, &oe) {
			return usageError("%v", err)
		}
		return problemError("site not written: %v", err)
	}
	return a.reportSite(w, res, broken)
}

// reportSite says what pm site wrote (on stderr, the index on stdout) and
// which files it left out because they do not parse.
func (a *app) reportSite(w *workspace, res site.Result, broken []incidentFile) error {
	e := a.env.Stderr
	for _, warn := range res.Warnings {
		fmt.Fprintf(e, "pm site: warning: %s\n", warn)
	}
	msg := fmt.Sprintf("pm site: published %d %s, %d files", res.Incidents, sitePlural(res.Incidents, "incident", "incidents"), res.Files)
	if res.Private > 0 {
		msg += fmt.Sprintf("; left out %d private %s", res.Private, sitePlural(res.Private, "incident", "incidents"))
	}
	fmt.Fprintln(e, msg)
	fmt.Fprintln(a.env.Stdout, w.display(res.Index))
	if len(broken) == 0 {
		return nil
	}
	for _, f := range broken {
		fmt.Fprintf(e, "pm site: left out %s\n", f.err)
	}
	return problemError("%d incident %s could not be read and %s left out of the site; fix %s (pm show names the line) and run pm site again",
		len(broken), sitePlural(len(broken), "file", "files"), sitePlural(len(broken), "was", "were"), sitePlural(len(broken), "it", "them"))
}

// siteNow is "today" for overdue action items: SOURCE_DATE_EPOCH (seconds
// since 1970, the reproducible-builds convention) when set, else the clock.
func siteNow(env Env) (time.Time, error) {
	v := strings.TrimSpace(env.Getenv("SOURCE_DATE_EPOCH"))
	if v == "" {
		return env.Now().UTC(), nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, usageError("SOURCE_DATE_EPOCH=%q is not a number of seconds since 1970; unset it or use $(git log -1 --format=%%ct)", v)
	}
	return time.Unix(n, 0).UTC(), nil
}

// sitePlural picks the word for n things.
func sitePlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
