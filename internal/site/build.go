package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pm-tool/pm/internal/incident"
)

// group is a service or a tag and the incidents that name it.
type group struct {
	Kind  string // "service" or "tag"
	Name  string
	Slug  string
	Pages []*page // newest first
}

// Href is the group page's path from the root of the site.
func (g *group) Href() string {
	if g.Kind == "tag" {
		return "tags/" + g.Slug + ".html"
	}
	return "services/" + g.Slug + ".html"
}

// prepare sorts the incidents, gives each a slug and collects services
// and tags: everything pages need to link to each other.
func (s *site) prepare() {
	byID := append([]*page(nil), s.incidents...)
	sort.SliceStable(byID, func(i, j int) bool { return byID[i].in.ID < byID[j].in.ID })
	slugs := slugger{}
	for _, p := range byID {
		p.Slug = slugs.slug(p.in.ID)
		s.byID[p.in.ID] = p
		s.meta(p)
	}
	s.incidents = byID
	sort.SliceStable(s.incidents, func(i, j int) bool { return newer(s.incidents[i], s.incidents[j]) })
	s.services = s.groups("service", func(p *page) []string { return p.doc.Meta.Services }, func(p *page, g *group) { p.Services = append(p.Services, g) })
	s.tags = s.groups("tag", func(p *page) []string { return p.doc.Meta.Tags }, func(p *page, g *group) { p.Tags = append(p.Tags, g) })
	for _, p := range s.incidents {
		p.ServiceNames, p.TagNames = names(p.Services), names(p.Tags)
	}
	// The stats page's figures are pm stats's, worked out here while every
	// document is still whole: rendering lets them go.
	docs := make([]*incident.Doc, len(s.incidents))
	for i, p := range s.incidents {
		docs[i] = p.doc
	}
	s.stats = incident.ComputeStats(docs, incident.StatsOptions{Today: s.opt.Now.In(s.loc()), Severities: s.opt.Severities, Location: s.loc()})
	s.related(docs)
	// Open as pm list --status open counts: any status but resolved and
	// closed, in any case.
	s.open = len(incident.Filter{Status: []string{"open"}}.Select(docs))
}

// relatedShown is how many related incidents an incident's page lists.
const relatedShown = 5

// related finds, for every incident, the earlier ones most like it, as pm
// related ranks them (incident.RelatedIndex), keeping only what the page
// shows so the documents can be let go after rendering.
//
// With a memo, only the incidents whose ranking can have moved are ranked
// again (see rankAgain); the others list what they listed last time.
func (s *site) related(docs []*incident.Doc) {
	byDoc := make(map[*incident.Doc]*page, len(s.incidents))
	for _, p := range s.incidents {
		byDoc[p.doc] = p
	}
	again := s.rankAgain()
	if n := len(again); n > 0 && countTrue(again) > n/4 {
		again = nil // most of them: spreading would cost more than it saves
	}
	var x *incident.RelatedIndex
	if again == nil || slices.Contains(again, true) {
		x = incident.NewRelatedIndex(docs)
	}
	if again != nil && x != nil {
		s.spread(x, again, byDoc)
	}
	_ = s.parallel(len(s.incidents), func(i int) error {
		p := s.incidents[i]
		if again != nil && !again[i] {
			for _, r := range s.last.Related[p.ID].Top {
				p.Related = append(p.Related, relatedView{Page: s.byID[r.ID], Shared: r.Shared, score: r.Score})
			}
		} else {
			for _, m := range x.Top(p.doc, relatedShown) {
				p.Related = append(p.Related, relatedView{Page: byDoc[m.Doc], Shared: sharedText(m), score: m.Score})
			}
		}
		for j := range p.Related {
			v := &p.Related[j]
			for _, h := range v.Page.doc.Hypotheses {
				if h.State == "confirmed" {
					// A copy: a part of the text would keep the whole document
					// in memory after its page is written.
					v.causes = append(v.causes, strings.Clone(firstLine(h.Text)))
				}
			}
		}
		return nil
	})
}

func countTrue(v []bool) int {
	n := 0
	for _, b := range v {
		if b {
			n++
		}
	}
	return n
}

// sharedText says what a related incident shares, as pm related does.
func sharedText(m incident.Match) string {
	var parts []string
	add := func(one, many string, list []string) {
		switch len(list) {
		case 0:
		case 1:
			parts = append(parts, one+" "+list[0])
		default:
			parts = append(parts, many+" "+strings.Join(list, ", "))
		}
	}
	add("service", "services", m.Services)
	add("tag", "tags", m.Tags)
	add("word", "words", m.Words)
	return strings.Join(parts, " · ")
}

// names joins group names with newlines, which names hold none of in
// practice; the script splits on them.
func names(gs []*group) string {
	n := make([]string, len(gs))
	for i, g := range gs {
		n[i] = g.Name
	}
	return strings.Join(n, "\n")
}

// newer orders incidents newest first, by start of impact, then by id.
func newer(a, b *page) bool {
	if !a.Started.Equal(b.Started) {
		return a.Started.After(b.Started)
	}
	return a.ID < b.ID
}

func (s *site) groups(kind string, names func(*page) []string, link func(*page, *group)) []*group {
	m := map[string]*group{}
	for _, p := range s.incidents {
		seen := map[string]bool{}
		for _, n := range names(p) {
			n = strings.TrimSpace(n)
			if n == "" || seen[n] {
				continue
			}
			seen[n] = true
			g := m[n]
			if g == nil {
				g = &group{Kind: kind, Name: n}
				m[n] = g
			}
			g.Pages = append(g.Pages, p)
		}
	}
	out := make([]*group, 0, len(m))
	for _, g := range m {
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	slugs := slugger{}
	for _, g := range out {
		g.Slug = slugs.slug(g.Name)
	}
	for _, p := range s.incidents {
		seen := map[string]bool{}
		for _, n := range names(p) {
			n = strings.TrimSpace(n)
			if g := m[n]; g != nil && !seen[n] {
				seen[n] = true
				link(p, g)
			}
		}
	}
	return out
}

// view is what every page template gets: the site, the way back to the
// site's root, and the page's own data.
type view struct {
	Site      string
	Root      string // "", "../" or "../../": prefix of every link
	Title     string
	Canonical string // absolute URL of the page when the base URL is known
	Nav       string // the active item of the navigation
	Feed      string // absolute URL of the feed, or ""
	// Description is the page's meta description, which search engines and
	// chat previews show: an incident's summary, else what the site is.
	Description string
	Data        any
}

// maxDescription is about what search engines show of a description.
const maxDescription = 160

func (s *site) view(rel, title, nav string, data any) view {
	v := view{Site: s.opt.Title, Root: strings.Repeat("../", strings.Count(rel, "/")), Title: title, Nav: nav, Data: data,
		Description: title + " · " + s.opt.Title + ": blameless post-mortems, what broke, how we found out and what we changed."}
	if p, ok := data.(*page); ok && p.Summary != "" {
		v.Description = truncate(p.Summary, maxDescription)
	}
	if s.opt.BaseURL != "" {
		v.Canonical = s.opt.BaseURL + strings.TrimSuffix(rel, "index.html")
	}
	return v
}

// incidentPage writes an incident's page, through its shell where there
// is one (see shell.go).
func (s *site) incidentPage(p *page, shells [2]*shell) error {
	sh := shells[0]
	if p.HasDiagram {
		sh = shells[1]
	}
	if sh != nil {
		b := getBuf()
		if out, ok := sh.fill(b.AvailableBuffer(), s, p); ok {
			b.Write(out)
			return s.queue("incidents/"+p.Slug+".html", b.Bytes(), b, p.stamp)
		}
		putBuf(b)
	}
	b := getBuf()
	rel := "incidents/" + p.Slug + ".html"
	if err := s.tpl["incident.html"].ExecuteTemplate(b, "layout", s.incidentView(p)); err != nil {
		putBuf(b)
		return fmt.Errorf("site: rendering %s: %w", rel, err)
	}
	return s.queue(rel, b.Bytes(), b, p.stamp)
}

// page renders one template to one file.
func (s *site) page(name, rel, title, nav string, data any) error {
	b := getBuf()
	if err := s.tpl[name].ExecuteTemplate(b, "layout", s.view(rel, title, nav, data)); err != nil {
		putBuf(b)
		return fmt.Errorf("site: rendering %s: %w", rel, err)
	}
	return s.writeBuf(rel, b)
}

// write renders every page into s.dir.
func (s *site) write() error {
	for _, d := range []string{"incidents", "services", "tags", "assets", "actions"} {
		if err := os.Mkdir(filepath.Join(s.dir, d), 0o755); err != nil {
			return err
		}
	}
	s.startWriters()
	err := s.render()
	if werr := s.stopWriters(); err == nil {
		err = werr
	}
	return err
}

// render renders every page and queues it for the writers.
func (s *site) render() error {
	var shells [2]*shell
	if !s.opt.noShells {
		shells = s.incidentShells()
	}
	memo := s.opt.Memo != nil
	reused := make([]bool, len(s.incidents))
	err := s.parallel(len(s.incidents), func(i int) error {
		p := s.incidents[i]
		if memo && p.rec != nil {
			// Recalled: the old page is this one when its inputs are.
			p.pageKey = s.pageKey(p, s.optsKey)
			reused[i] = s.reusable(p)
		}
		if !reused[i] {
			if err := s.analyseWhole(p); err != nil {
				return err
			}
			if memo {
				sum := sha256.Sum256(p.doc.Bytes())
				p.rec = s.newRecord(p, s.recordKey(p, sum))
				p.pageKey = s.pageKey(p, s.optsKey)
				p.stamp = new(stamp)
				if in := p.in.Sum; in != ([32]byte{}) && in != sum {
					// Saved while pm site ran: the page has the summary of
					// one version and the text of another. The next build
					// renders it again.
					p.stamp = nil
				}
			}
			if err := s.writeIncident(p, shells); err != nil {
				return err
			}
		}
		if err := s.copyImages(p); err != nil {
			return err
		}
		p.rowRoot, p.rowSub = rowHTML(p, ""), rowHTML(p, "../")
		// What only the incident's own page shows is not kept: 10,000
		// incidents must fit in a small machine's memory.
		p.Parts, p.Entries, p.Hypotheses, p.Milestones, p.images = nil, nil, nil, nil, nil
		p.LogHTML, p.MainHTML = "", ""
		p.path = p.display()
		if !reused[i] {
			p.doc, p.in.Doc = nil, nil // a reused page keeps them, should its old file be gone (linkOld)
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.collectWarnings()
	// The old pages are linked while the pages over all incidents are
	// rendered: linking waits on the folder's lock in the kernel, the
	// rendering on the CPU, and each was a sixth of a build that reused
	// every incident's page.
	var old []*page
	for i, p := range s.incidents {
		if reused[i] {
			old = append(old, p)
		}
	}
	var linkErr error
	linked := make(chan struct{})
	go func() {
		defer close(linked)
		linkErr = s.parallel(len(old), func(i int) error { return s.linkOld(old[i], shells) })
	}()
	// The pages over all incidents, each independent of the others.
	steps := []func() error{s.writeIndex, s.writeActions, s.writeStats, s.writeGroups, s.writeFeed, s.writeAssets, s.writeDiagramAssets}
	err = s.parallel(len(steps), func(i int) error { return steps[i]() })
	<-linked
	if err == nil {
		err = linkErr
	}
	if err != nil {
		return err
	}
	return s.writeFile(MarkerFile, []byte("This folder is written by pm site and replaced as a whole on every build.\n"))
}

// writeIncident renders the page of p, analysed, and queues it (to p.stamp
// when set).
func (s *site) writeIncident(p *page, shells [2]*shell) error {
	p.MainHTML = incidentHTML(p, "../")
	if err := s.incidentPage(p, shells); err != nil {
		return err
	}
	s.rendered.Add(1)
	return nil
}

// analyseWhole analyses p from its whole document, read now when p has
// only a summary, and forgetting anything recalled of it (see recall).
func (s *site) analyseWhole(p *page) error {
	if p.in.Load != nil {
		d, err := p.in.Load()
		if err != nil {
			return err
		}
		p.doc = d
	}
	p.Summary, p.wordsJSON, p.HasDiagram, p.Actions, p.images, p.warns, p.links, p.places, p.rec = "", "", false, nil, nil, nil, nil, nil, nil
	s.analyse(p)
	return nil
}

// bufs are the buffers pages are rendered into, reused: a page is
// written out and forgotten, and growing a new buffer for each of 10,000
// pages was a third of a build's garbage.
var bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuf() *bytes.Buffer { return bufs.Get().(*bytes.Buffer) }

func putBuf(b *bytes.Buffer) {
	if b.Cap() > 4<<20 {
		return // the index of a big site: let it go
	}
	b.Reset()
	bufs.Put(b)
}

// pageRows is how many incidents one page of a table shows. The index of
// 10,000 incidents was one 8.8 MB page that a browser took seconds to
// show; 100 rows are about 90 KB, and numbered pages (index-2.html, …)
// reach every incident without JavaScript.
const pageRows = 100

// pageLink is one entry of a table's numbered pages.
type pageLink struct {
	N       int
	Href    string // relative to the folder of the pages
	Current bool
}

// pager is where a page of a table sits among its numbered pages.
type pager struct {
	Page, Pages int
	Prev, Next  string
	Links       []pageLink
}

// pageHref names page n (from 1) of a table whose first page is
// base.html: base-2.html for the index, base.2.html for a service, a tag
// or an owner's action items, whose slugs hold no dots, so that page 2 of
// "api" is never the page of a service called "api-2".
func pageHref(base, sep string, n int) string {
	if n == 1 {
		return base + ".html"
	}
	return base + sep + itoa(n) + ".html"
}

// pagesOf is how many pages n rows take, pageRows a page, at least one.
func pagesOf(n int) int { return max(1, (n+pageRows-1)/pageRows) }

func makePager(base, sep string, page, pages int) pager {
	pg := pager{Page: page, Pages: pages}
	if pages < 2 {
		return pg
	}
	for n := 1; n <= pages; n++ {
		pg.Links = append(pg.Links, pageLink{N: n, Href: pageHref(base, sep, n), Current: n == page})
	}
	if page > 1 {
		pg.Prev = pageHref(base, sep, page-1)
	}
	if page < pages {
		pg.Next = pageHref(base, sep, page+1)
	}
	return pg
}

// indexData is the index page's data.
type indexData struct {
	Rows      []template.HTML
	Total     int
	First     int // the number of the page's first row, from 1
	Pager     pager
	Shards    int // the search index's parts, assets/search-N.js
	ShardSize int // incidents in each part but the last
	Statuses  []string
	Sevs      []string
	Services  []*group
	Tags      []*group
}

// searchShard is how many incidents one part of the search index holds.
// The parts load when the reader first searches, the newest first, and
// results show from the parts that are in.
const searchShard = 1000

func (s *site) writeIndex() error {
	sevs := map[string]bool{}
	sts := map[string]bool{}
	for _, p := range s.incidents {
		if p.Severity != "" {
			sevs[p.Severity] = true
		}
		sts[p.Status] = true
	}
	shards := (len(s.incidents) + searchShard - 1) / searchShard
	base := indexData{Total: len(s.incidents), Shards: shards, ShardSize: searchShard, Services: s.services, Tags: s.tags,
		Sevs: s.sortSevs(sevs), Statuses: sortStatuses(sts)}
	pages := pagesOf(len(s.incidents))
	for n := 1; n <= pages; n++ {
		d := base
		lo, hi := (n-1)*pageRows, min(n*pageRows, len(s.incidents))
		d.First = lo + 1
		d.Rows = make([]template.HTML, 0, hi-lo)
		for _, p := range s.incidents[lo:hi] {
			d.Rows = append(d.Rows, p.rowRoot)
		}
		d.Pager = makePager("index", "-", n, pages)
		title := "Incidents"
		if n > 1 {
			title = "Incidents, page " + itoa(n) + " of " + itoa(pages)
		}
		if err := s.page("index.html", pageHref("index", "-", n), title, "index", d); err != nil {
			return err
		}
	}
	if err := s.writeCatalog(base); err != nil {
		return err
	}
	// The search index is scripts, not JSON: browsers do not let a page
	// opened from disk fetch a file beside it, but they do run a script.
	// encoding/json escapes <, > and &, so no text can end the script.
	for k := range shards {
		lo, hi := k*searchShard, min((k+1)*searchShard, len(s.incidents))
		// json.Marshal of the list of texts, from each text's JSON, which
		// analysis encoded once (and a memo keeps).
		var js bytes.Buffer
		js.WriteString("PM_SEARCH_SHARD(" + itoa(k) + ",[")
		for i, p := range s.incidents[lo:hi] {
			if i > 0 {
				js.WriteByte(',')
			}
			js.WriteString(p.wordsJSON)
		}
		js.WriteString("]);\n")
		if err := s.writeFile("assets/search-"+itoa(k)+".js", js.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// catalog is what the script needs to filter, sort and show any incident
// without its row on the page: loaded when the reader first searches,
// filters or sorts, or opens an address that does.
type catalog struct {
	Sevs     []string `json:"sevs"`
	SevClass []string `json:"sevClass"`
	SevRank  []int    `json:"sevRank"`
	Statuses []string `json:"statuses"`
	Services []string `json:"services"`
	SvcHref  []string `json:"svcHref"`
	Tags     []string `json:"tags"`
	TagHref  []string `json:"tagHref"`
	// Rows, newest first: slug, title, date, unix start, severity (index
	// or -1), status, services, tags, seconds to resolve (-1 for none),
	// time to resolve as written, summary.
	Rows [][]any `json:"rows"`
}

// catalogSummary bounds the summary each catalog row carries; the row
// clamps it to two lines anyway.
const catalogSummary = 200

func (s *site) writeCatalog(d indexData) error {
	c := catalog{Sevs: d.Sevs, Statuses: d.Statuses}
	sevIdx, stIdx, svcIdx, tagIdx := map[string]int{}, map[string]int{}, map[*group]int{}, map[*group]int{}
	for i, v := range d.Sevs {
		sevIdx[v] = i
		r := s.rank(v)
		cls := "sev" + itoa(min(r, 4)) // as page.meta gives it
		c.SevClass, c.SevRank = append(c.SevClass, cls), append(c.SevRank, r)
	}
	for i, v := range d.Statuses {
		stIdx[v] = i
	}
	for i, g := range s.services {
		svcIdx[g] = i
		c.Services, c.SvcHref = append(c.Services, g.Name), append(c.SvcHref, g.Href())
	}
	for i, g := range s.tags {
		tagIdx[g] = i
		c.Tags, c.TagHref = append(c.Tags, g.Name), append(c.TagHref, g.Href())
	}
	c.Rows = make([][]any, 0, len(s.incidents))
	for _, p := range s.incidents {
		sev := -1
		if p.Severity != "" {
			sev = sevIdx[p.Severity]
		}
		svcs := make([]int, len(p.Services))
		for i, g := range p.Services {
			svcs[i] = svcIdx[g]
		}
		tags := make([]int, len(p.Tags))
		for i, g := range p.Tags {
			tags[i] = tagIdx[g]
		}
		ttr := int64(-1)
		if p.TTRText != "" {
			ttr = int64(p.TTR / time.Second)
		}
		var unix int64
		if !p.Started.IsZero() {
			unix = p.Started.Unix()
		}
		sum := p.Summary
		if len(sum) > catalogSummary {
			sum = truncate(sum, catalogSummary)
		}
		c.Rows = append(c.Rows, []any{p.Slug, p.Title, p.StartedDate, unix, sev, stIdx[p.Status], svcs, tags, ttr, p.TTRText, sum})
	}
	js, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return s.writeFile("assets/catalog.js", []byte("PM_CATALOG("+string(js)+");\n"))
}

// sortSevs orders severities worst first as configured, others by name.
func (s *site) sortSevs(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for v := range set {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool {
		ri, rj := s.rank(out[i]), s.rank(out[j])
		if ri != rj {
			return ri < rj
		}
		return out[i] < out[j]
	})
	return out
}

var statusOrder = map[string]int{"investigating": 0, "mitigated": 1, "resolved": 2, "closed": 3}

func sortStatuses(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for v := range set {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool {
		ri, oki := statusOrder[out[i]]
		rj, okj := statusOrder[out[j]]
		if oki != okj {
			return oki
		}
		if ri != rj {
			return ri < rj
		}
		return out[i] < out[j]
	})
	return out
}

// owner is one person's open action items.
type owner struct {
	Name    string
	Slug    string // of the owner's own pages, actions/slug.html
	Overdue int
	Open    int          // all the owner's open items
	Items   []actionView // those this page shows
}

// ownerPreview is how many items of each owner actions.html shows; the
// rest are on the owner's pages. All open items of 10,000 incidents on one
// page were 1.9 MB.
const ownerPreview = 10

type actionsData struct {
	Today   string
	Open    int
	Overdue int
	Owners  []*owner
	Single  bool // one owner's page
	Pager   pager
}

// writeActions lists the open action items of every incident, grouped by
// owner, the owners with most overdue items first, and in each group the
// overdue items first, then by due date.
func (s *site) writeActions() error {
	d := actionsData{Today: s.today()}
	m := map[string]*owner{}
	for _, p := range s.incidents {
		for _, a := range p.Actions {
			if a.Done {
				continue
			}
			name := a.Owner
			o := m[name]
			if o == nil {
				o = &owner{Name: name}
				m[name] = o
			}
			o.Items = append(o.Items, a)
			d.Open++
			if a.Overdue {
				o.Overdue++
				d.Overdue++
			}
		}
	}
	for _, o := range m {
		sort.SliceStable(o.Items, func(i, j int) bool {
			a, b := o.Items[i], o.Items[j]
			if a.Overdue != b.Overdue {
				return a.Overdue
			}
			if (a.Due == "") != (b.Due == "") {
				return a.Due != ""
			}
			if a.Due != b.Due {
				return a.Due < b.Due
			}
			if a.Incident.ID != b.Incident.ID {
				return a.Incident.ID < b.Incident.ID
			}
			return a.Plain < b.Plain
		})
		d.Owners = append(d.Owners, o)
	}
	sort.Slice(d.Owners, func(i, j int) bool {
		a, b := d.Owners[i], d.Owners[j]
		if (a.Name == "") != (b.Name == "") {
			return a.Name != ""
		}
		if a.Overdue != b.Overdue {
			return a.Overdue > b.Overdue
		}
		return a.Name < b.Name
	})
	slugs := slugger{}
	for _, o := range d.Owners {
		// actions/alice.html for @alice; a clash gets a number from slugger.
		o.Slug, o.Open = slugs.slug(firstNonEmpty(strings.TrimPrefix(o.Name, "@"), "no owner")), len(o.Items)
	}
	// Each owner's pages, pageRows items a page.
	for _, o := range d.Owners {
		pages := pagesOf(len(o.Items))
		for n := 1; n <= pages; n++ {
			lo, hi := (n-1)*pageRows, min(n*pageRows, len(o.Items))
			one := *o
			one.Items = o.Items[lo:hi]
			od := actionsData{Today: d.Today, Open: o.Open, Overdue: o.Overdue, Owners: []*owner{&one}, Single: true, Pager: makePager(o.Slug, ".", n, pages)}
			title := "Open action items of " + firstNonEmpty(o.Name, "no owner")
			if n > 1 {
				title += ", page " + itoa(n) + " of " + itoa(pages)
			}
			if err := s.page("actions.html", "actions/"+pageHref(o.Slug, ".", n), title, "actions", od); err != nil {
				return err
			}
		}
	}
	short := make([]*owner, len(d.Owners))
	for i, o := range d.Owners {
		c := *o
		c.Items = o.Items[:min(len(o.Items), ownerPreview)]
		short[i] = &c
	}
	d.Owners = short
	return s.page("actions.html", "actions.html", "Open action items", "actions", d)
}

type groupData struct {
	Rows   []template.HTML
	First  int
	Pager  pager
	Group  *group
	Kind   string
	Groups []*group
}

// writeGroups writes a page per service and per tag, and a list of each.
func (s *site) writeGroups() error {
	for _, gs := range [][]*group{s.services, s.tags} {
		for _, g := range gs {
			pages := pagesOf(len(g.Pages))
			for n := 1; n <= pages; n++ {
				lo, hi := (n-1)*pageRows, min(n*pageRows, len(g.Pages))
				d := groupData{Group: g, Kind: g.Kind, First: lo + 1, Pager: makePager(g.Slug, ".", n, pages)}
				for _, p := range g.Pages[lo:hi] {
					d.Rows = append(d.Rows, p.rowSub)
				}
				title := g.Name
				if n > 1 {
					title += ", page " + itoa(n) + " of " + itoa(pages)
				}
				if err := s.page("group.html", g.Kind+"s/"+pageHref(g.Slug, ".", n), title, g.Kind+"s", d); err != nil {
					return err
				}
			}
		}
	}
	if err := s.page("group.html", "services/index.html", "Services", "services", groupData{Kind: "service", Groups: s.services}); err != nil {
		return err
	}
	return s.page("group.html", "tags/index.html", "Tags", "tags", groupData{Kind: "tag", Groups: s.tags})
}

// writeAssets copies the stylesheet, the script and the icon.
func (s *site) writeAssets() error {
	for _, name := range []string{"site.css", "site.js", "favicon.svg"} {
		b, err := fs.ReadFile(s.opt.Assets, name)
		if name == "favicon.svg" && errors.Is(err, fs.ErrNotExist) {
			continue // templates of one's own need not bring an icon
		}
		if err != nil {
			return fmt.Errorf("site: the assets have no %s: %w", name, err)
		}
		if err := s.writeFile("assets/"+name, b); err != nil {
			return err
		}
	}
	return nil
}

// copyImages copies the images an incident links beside its page.
func (s *site) copyImages(p *page) error {
	done := map[string]bool{}
	for _, im := range p.images {
		if done[im.Dest] {
			continue
		}
		done[im.Dest] = true
		rel := "incidents/" + im.Dest
		if err := s.copyFile(im.Src, rel); err != nil {
			s.warn("%s: image %s cannot be copied: %v", p.display(), im.Dest, errText(err))
		}
	}
	return nil
}

func (s *site) copyFile(src, rel string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("not a file")
	}
	b, err := io.ReadAll(in)
	if err != nil {
		return err
	}
	return s.writeFile(rel, b)
}

// errText is an error without the path, which the warning already names.
func errText(err error) string {
	var pe *fs.PathError
	if e, ok := err.(*fs.PathError); ok {
		pe = e
		return pe.Err.Error()
	}
	return err.Error()
}

// insideRoot returns abs relative to the repository root, slash-separated,
// when it lies inside the root, symbolic links followed.
func (s *site) insideRoot(abs string) (string, bool) {
	root := s.opt.Root
	if root == "" {
		return "", false
	}
	if r, err := filepath.EvalSymlinks(root); err == nil {
		root = r
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		real = filepath.Clean(abs) // missing: reported when copied
	}
	rel, err := filepath.Rel(root, real)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

func itoa(n int) string { return strconv.Itoa(n) }

// loadTemplates parses each page template together with the layout.
func loadTemplates(assets fs.FS) (map[string]*template.Template, error) {
	layout, err := fs.ReadFile(assets, "layout.html")
	if err != nil {
		return nil, fmt.Errorf("site: the assets have no layout.html: %w", err)
	}
	base, err := template.New("layout.html").Funcs(funcs).Parse(string(layout))
	if err != nil {
		return nil, fmt.Errorf("site: layout.html: %w", err)
	}
	out := map[string]*template.Template{}
	for _, name := range []string{"index.html", "incident.html", "actions.html", "stats.html", "group.html"} {
		src, err := fs.ReadFile(assets, name)
		if err != nil {
			return nil, fmt.Errorf("site: the assets have no %s: %w", name, err)
		}
		t, err := template.Must(base.Clone()).New(name).Parse(string(src))
		if err != nil {
			return nil, fmt.Errorf("site: %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// funcs are the helpers the templates use.
var funcs = template.FuncMap{
	"mermaidAsset":  func() string { return mermaidAsset },
	"diagramsAsset": func() string { return diagramsAsset },
	"add": func(a ...int) int {
		n := 0
		for _, v := range a {
			n += v
		}
		return n
	},
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return one
		}
		return many
	},
}

// human writes a duration the way people say it: 45s, 14m, 2h 05m, 3d 4h.
func human(d time.Duration) string {
	if d < 0 {
		return ""
	}
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh %02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	default:
		return fmt.Sprintf("%dd %dh", int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
	}
}

// offset writes the time since the start of impact the way the header
// writes the gaps between milestones: +3m, +2h 05m, +2d 18h, and -3m for
// something noticed before. A clock-like +03:00 read as a time zone.
func offset(d time.Duration) string {
	sign := "+"
	if d < 0 {
		sign, d = "-", -d
	}
	return sign + human(d)
}
