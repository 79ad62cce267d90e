// Package site renders every incident of a repository to a static web site
// (DESIGN §6): an index with client-side search, one page per incident, the
// open action items across incidents, stats with inline SVG charts, a page
// per service and per tag, and an Atom feed.
//
// The site is meant to be read by people learning from past incidents, on a
// web server under any path or straight from disk, so every link is
// relative and nothing is fetched from the network. It is built to be
// trusted with what incident authors paste: raw HTML in the markdown is
// shown as text, links and images with a scheme other than http, https or
// mailto lose their link, file names come from slugs that cannot leave the
// output folder, and incidents marked private never appear. The same input
// gives the same bytes, so a published site only changes when an incident
// does.
package site

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pm-tool/pm/internal/incident"
)

// Input is one incident file to publish.
type Input struct {
	// ID names the incident in URLs: the file name without ".md", as -i
	// matches it.
	ID string
	// Path is the file's absolute path; images it links by a relative
	// path are looked up beside it.
	Path string
	// Doc is the incident. It may be a summary (repo.LoadSummaries: no
	// body) when Load is set: Load then reads the whole document, which
	// Build asks for only when the incident's page must be rendered.
	Doc  *incident.Doc
	Load func() (*incident.Doc, error)
	// Sum is the SHA-256 of the file Doc was made from (repo.Loaded.Sum),
	// or zero: then a build with a memo reads the file to know whether it
	// changed.
	Sum [32]byte
}

// Options says how to build the site.
type Options struct {
	// Out is the folder the site is written to. It is replaced as a whole:
	// the site is written to a new folder beside it and renamed into place,
	// so a failed build leaves the old site, and a page of a deleted
	// incident disappears. An existing Out must be empty or a site pm
	// built (it holds MarkerFile).
	Out string
	// Root is the repository root: an image must lie inside it.
	Root string
	// Title names the site in every page's header and the feed.
	Title string
	// BaseURL is the absolute http(s) URL the site is served from, used
	// only where a link must be absolute: the feed and canonical links.
	BaseURL string
	// Now is "today" for overdue action items; callers take it from
	// SOURCE_DATE_EPOCH when set, so the output stays reproducible.
	Now time.Time
	// Location is the zone times are shown in, each with its name
	// (09:10 PST): the team's .pm.yml timezone, never the builder's own,
	// so that CI and a laptop build the same site. Nil means UTC.
	Location *time.Location
	// Severities lists the severity levels, worst first, to order and
	// colour them; levels found in incidents but not listed come after.
	Severities []string
	// Assets holds the page templates (layout.html, index.html,
	// incident.html, actions.html, stats.html, group.html) and the static
	// files site.css and site.js; templates.Site's "site" folder by default.
	Assets fs.FS
	// Workers bounds the pages rendered at once; 0 means GOMAXPROCS.
	Workers int
	// Memo, when set, is where Build keeps what it learnt of every
	// incident and page for the next build, which then renders only the
	// pages whose inputs changed and links the others from the old site.
	// The result is the same bytes as a build without it.
	Memo Memo

	noShells bool // tests: execute every incident's layout (see shell.go)
}

// Result says what Build wrote.
type Result struct {
	Index     string   // absolute path of the index page
	Incidents int      // incidents published
	Private   int      // incidents left out because they are private
	Files     int      // files written, pages and images
	Rendered  int      // incident pages rendered; the others are the last build's (Options.Memo)
	Warnings  []string // images that could not be copied, sorted; the site was built anyway
}

// OptionError is an output folder or base URL that Build will not use: the
// caller's input, not a failure while building.
type OptionError struct{ msg string }

func (e *OptionError) Error() string { return e.msg }

// MarkerFile is written at the top of every site. Build replaces an
// existing output folder only when it holds this file, so a mistyped --out
// can never remove someone's work.
const MarkerFile = ".pm-site"

// Build renders the public incidents of inputs to opt.Out. Private
// incidents are counted, never read further. A problem with one image is a
// warning; anything that would leave a partial or unsafe site is an error,
// and then the old site is left as it was.
func Build(inputs []Input, opt Options) (Result, error) {
	var res Result
	if opt.Assets == nil {
		return res, errors.New("site: no assets given")
	}
	if opt.BaseURL != "" {
		u, err := url.Parse(opt.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return res, &OptionError{fmt.Sprintf("--base-url %q is not an absolute http(s) URL (for example https://postmortems.example.com/)", opt.BaseURL)}
		}
		if !strings.HasSuffix(opt.BaseURL, "/") {
			opt.BaseURL += "/"
		}
	}
	if opt.Title == "" {
		opt.Title = "Post-mortems"
	}
	out, err := filepath.Abs(opt.Out)
	if err != nil {
		return res, err
	}
	if err := checkOut(out, opt.Root); err != nil {
		return res, err
	}
	tpl, err := loadTemplates(opt.Assets)
	if err != nil {
		return res, err
	}
	s := newSite(opt, tpl)
	for _, in := range inputs {
		if in.Doc == nil {
			continue
		}
		if in.Doc.Meta.Private {
			res.Private++
			continue
		}
		s.add(in)
	}
	s.out, s.last = out, loadMemo(opt.Memo)
	s.prepare()
	if opt.Memo != nil {
		s.zone = zoneKey(s.loc())
		s.optsKey = s.optionsKey()
		if err := s.recall(s.last); err != nil {
			return res, err
		}
	}

	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return res, err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(out)+".tmp-")
	if err != nil {
		return res, fmt.Errorf("cannot create a folder beside %s: %w", out, err)
	}
	// Until the rename succeeds, the new site is ours to throw away.
	keep := false
	defer func() {
		if !keep {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return res, err
	}
	s.dir = tmp
	if err := s.write(); err != nil {
		return res, err
	}
	if err := replaceDir(tmp, out); err != nil {
		return res, err
	}
	keep = true
	if opt.Memo != nil {
		s.settleStamps(out)
	}
	s.storeMemo(out)
	res.Index = filepath.Join(out, "index.html")
	res.Incidents = len(s.incidents)
	res.Files = int(s.files.Load())
	res.Rendered = int(s.rendered.Load())
	res.Warnings = s.warnings()
	return res, nil
}

// checkOut refuses output folders whose replacement would lose anything
// that pm site did not write: a non-empty folder without the marker, the
// repository itself or a folder holding it.
func checkOut(out, root string) error {
	if root != "" {
		r, err := filepath.Abs(root)
		if err == nil {
			if rel, err := filepath.Rel(out, r); err == nil && (rel == "." || !strings.HasPrefix(rel, "..")) {
				return &OptionError{fmt.Sprintf("--out %s would hold the repository itself; pick a folder inside it, such as _site", out)}
			}
		}
	}
	fi, err := os.Lstat(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return &OptionError{fmt.Sprintf("--out %s is a file, not a folder; pick another --out", out)}
	}
	if _, err := os.Stat(filepath.Join(out, MarkerFile)); err == nil {
		return nil
	}
	ents, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	if len(ents) > 0 {
		return &OptionError{fmt.Sprintf("--out %s is not empty and was not made by pm site (it has no %s file), so pm will not replace it; pick another --out or empty it", out, MarkerFile)}
	}
	return nil
}

// replaceDir moves the finished site at tmp to out, and the old site (if
// any) out of the way and then away. Between the two renames out is
// missing for a moment, never half written.
func replaceDir(tmp, out string) error {
	if _, err := os.Lstat(out); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, out)
	}
	// tmp's name is ours alone (MkdirTemp made it), so is this one.
	old := tmp + ".old"
	if err := os.Rename(out, old); err != nil {
		return fmt.Errorf("cannot move the old site out of the way: %w", err)
	}
	if err := os.Rename(tmp, out); err != nil {
		_ = os.Rename(old, out)
		return fmt.Errorf("cannot move the new site into place: %w", err)
	}
	return os.RemoveAll(old)
}

// site is one build: the incidents, what is derived from them, and the
// folder pages are written to.
type site struct {
	opt       Options
	tpl       map[string]*template.Template
	dir       string
	incidents []*page // public incidents, newest first
	byID      map[string]*page
	diagrams  atomic.Bool // some page has a diagram: write mermaid
	services  []*group
	tags      []*group
	sevRank   map[string]int
	stats     incident.Stats // of the public incidents, for the stats page
	open      int            // public incidents neither resolved nor closed
	todayDate string         // Options.Now as a date in the site's zone, for overdue items

	out     string   // the output folder, where the old site is
	last    *memo    // the last build's memo (empty without Options.Memo)
	optsKey [32]byte // optionsKey, with a memo
	zone    string   // zoneKey of the site's zone, with a memo
	// changedRel holds the ids whose related ranking input changed since
	// the memo (rankAgain).
	changedRel map[string]bool

	files    atomic.Int64
	rendered atomic.Int64
	mu       sync.Mutex
	warns    []string
	jobs     chan writeJob
	writing  sync.WaitGroup
	writeErr error
}

func newSite(opt Options, tpl map[string]*template.Template) *site {
	s := &site{opt: opt, tpl: tpl, byID: map[string]*page{}, sevRank: map[string]int{}}
	s.todayDate = opt.Now.In(s.loc()).Format("2006-01-02")
	for i, v := range opt.Severities {
		if _, ok := s.sevRank[v]; !ok {
			s.sevRank[v] = i
		}
	}
	return s
}

// today is the build's today as a date, for overdue action items.
func (s *site) today() string { return s.todayDate }

func (s *site) warn(format string, args ...any) {
	s.mu.Lock()
	s.warns = append(s.warns, fmt.Sprintf(format, args...))
	s.mu.Unlock()
}

func (s *site) warnings() []string {
	w := append([]string(nil), s.warns...)
	sort.Strings(w)
	return w
}

// add records one public incident; pages are rendered later, once every
// incident's slug is known (incidents link to each other).
func (s *site) add(in Input) {
	p := &page{in: in, doc: in.Doc}
	s.incidents = append(s.incidents, p)
}

// parallel runs f(0..n-1) on Options.Workers goroutines (see
// incident.Parallel), stopping at the first error.
func (s *site) parallel(n int, f func(i int) error) error {
	return incident.Parallel(n, s.opt.Workers, f)
}

// writeFile queues one file of the site for writing, rel being its
// slash-separated path inside the output folder; data must not change
// afterwards. Every caller builds rel from slugs, but the check is repeated
// here, where a mistake would cost most.
func (s *site) writeFile(rel string, data []byte) error {
	return s.queue(rel, data, nil, nil)
}

// writeBuf queues a pooled buffer; the writer puts it back.
func (s *site) writeBuf(rel string, b *bytes.Buffer) error {
	return s.queue(rel, b.Bytes(), b, nil)
}

// queue queues data for the writers; st, when set, gets the written
// file's stamp.
func (s *site) queue(rel string, data []byte, b *bytes.Buffer, st *stamp) error {
	if !fs.ValidPath(rel) || strings.Contains(rel, "\\") {
		if b != nil {
			putBuf(b)
		}
		return fmt.Errorf("site: refusing to write %q outside the output folder", rel)
	}
	s.jobs <- writeJob{path: filepath.Join(s.dir, filepath.FromSlash(rel)), data: data, buf: b, stamp: st}
	return nil
}

// writeJob is one file for the writers.
type writeJob struct {
	path  string
	data  []byte
	buf   *bytes.Buffer // returned to the pool once written
	stamp *stamp        // filled in once written, when set
}

// writers is how many files are written at once. Creating a file costs
// more waiting on the file system than CPU, so a few more writers than
// cores keep the disk busy while pages are rendered. They are not an
// incident.Parallel loop: they drain a queue that rendering fills as it
// goes, over no slice known beforehand, and a failed write must not stop
// the others (stopWriters reports the first).
const writers = 4

// startWriters starts the goroutines that write queued files.
func (s *site) startWriters() {
	s.jobs = make(chan writeJob, 64)
	for range writers {
		s.writing.Add(1)
		go func() {
			defer s.writing.Done()
			for j := range s.jobs {
				err := writeOne(j.path, j.data)
				if j.stamp != nil && err == nil {
					*j.stamp = stampPage(j.path)
				}
				if j.buf != nil {
					putBuf(j.buf)
				}
				if err != nil {
					s.mu.Lock()
					if s.writeErr == nil {
						s.writeErr = err
					}
					s.mu.Unlock()
					continue
				}
				s.files.Add(1)
			}
		}()
	}
}

// stopWriters waits for every queued file and returns the first error.
func (s *site) stopWriters() error {
	close(s.jobs)
	s.writing.Wait()
	return s.writeErr
}

// writeOne writes a file. The folders of pages exist (write makes them);
// only images need more, so it tries first and makes folders only when the
// write says so.
func writeOne(p string, data []byte) error {
	err := createFile(p, data)
	if errors.Is(err, fs.ErrNotExist) {
		if err = os.MkdirAll(filepath.Dir(p), 0o755); err == nil {
			err = createFile(p, data)
		}
	}
	return err
}
