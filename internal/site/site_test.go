package site

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	stdimage "image"
	stdpng "image/png"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// The corpus: two public incidents that link to each other, one with an
// image and GFM markup, one sequentially numbered incident without a
// severity, and one private incident that must never show.
var corpus = map[string]string{
	"postmortems/2026-11-24-api-returns-502.md": `---
id: 2026-11-24-api-returns-502
title: API returns 502 for all requests
status: mitigated
severity: SEV2
started: 2026-11-24T09:10:00Z
detected: 2026-11-24T09:12:00Z
mitigated: 2026-11-24T09:31:00Z
resolved:
commander: alice
authors: [alice, bob]
services: [api, nginx]
tags: [config]
---

# API returns 502 for all requests

## Summary

Credentials expired on the api hosts; every request failed for **21 minutes**.

## Impact

| Region | Errors |
| --- | --- |
| eu | 100% |

![error graph](img/graph.png)

## Investigation log
- ` + "`2026-11-24T09:14:03Z`" + ` **down** api — every request returns 502 _(alice)_
- ` + "`2026-11-24T09:15:10Z`" + ` **observe** nginx error.log: ` + "`upstream connect() failed`" + ` _(alice)_
  ` + "```" + `
  upstream connect() failed (111: Connection refused)
  ` + "```" + `
- ` + "`2026-11-24T09:16:40Z`" + ` **hypothesis H1** the machine ran out of memory again, as [last week](2026-11-17-api-out-of-memory.md) _(alice)_
- ` + "`2026-11-24T09:20:00Z`" + ` **refuted H1** memory at 40% _(bob)_
- ` + "`2026-11-24T09:21:00Z`" + ` **hypothesis H2** credentials were not rotated _(bob)_
- ` + "`2026-11-24T09:26:00Z`" + ` **confirmed H2** vault shows the lease expired at 09:09 _(bob)_
- ` + "`2026-11-24T09:31:00Z`" + ` **mitigated** api answers again _(bob)_

## Contributing factors

See [the earlier incident](2026-11-17-api-out-of-memory.md#summary) and [the runbook](https://runbooks.example.com/api).

## Action items
- [ ] Alert 14 days before any credential lease expires — @bob, due 2026-11-01, detect
- [x] Runbook: how to rotate the api credentials — @alice, due 2026-12-01, clarify, [OPS-123](https://tracker.example/OPS-123)
- [ ] Rotate credentials automatically — @bob, due 2026-12-20, automate

## Lessons learned

- [x] we had the dashboards
- [ ] we had no alert
`,
	"postmortems/img/graph.png": "\x89PNG fake image bytes",
	"postmortems/2026-11-17-api-out-of-memory.md": `---
id: 2026-11-17-api-out-of-memory
title: API out of memory after deploy
status: closed
severity: SEV3
started: 2026-11-17T10:00:00Z
detected: 2026-11-17T10:05:00Z
mitigated: 2026-11-17T10:30:00Z
resolved: 2026-11-17T12:00:00Z
commander: bob
authors: [bob]
services: [api]
tags: [memory]
---

# API out of memory after deploy

## Summary

The new image leaked memory in the session cache.

## Investigation log
- ` + "`2026-11-17T10:06:00Z`" + ` **hypothesis H1** the session cache grows without bound _(bob)_
- ` + "`2026-11-17T10:20:00Z`" + ` **confirmed H1** heap profile _(bob)_

## Action items
- [ ] Load test session-heavy traffic — @alice, due 2026-12-30, prevent
`,
	"postmortems/INC-0042.md": `---
id: INC-0042
title: Checkout slow
status: investigating
started: 2026-11-20T08:00:00Z
services: [checkout]
---

# Checkout slow

## Summary

_TODO: In two or three sentences: what happened?_
`,
	"postmortems/2026-10-01-payroll-leak.md": `---
id: 2026-10-01-payroll-leak
title: Payroll export readable by everyone
status: closed
severity: SEV1
started: 2026-10-01T10:00:00Z
resolved: 2026-10-01T11:00:00Z
services: [payroll-secret-service]
tags: [hush-hush]
private: true
---

# Payroll export readable by everyone

## Summary

Confidentialwords appear only here.

## Action items
- [ ] Secretaction review — @mallory, due 2026-01-01, prevent
`,
}

var publicIDs = []string{"2026-11-24-api-returns-502", "2026-11-17-api-out-of-memory", "INC-0042"}

// TestBuildPages builds the corpus and reads the result as a browser
// would: every public incident is on the index with a page of its own,
// every relative link leads to a file that exists (and to an element with
// that id for a fragment), the feed is Atom, the charts are SVG, and the
// private incident is nowhere.
func TestBuildPages(t *testing.T) {
	root := repoWith(t, corpus)
	res, out := build(t, root, func(o *Options) { o.BaseURL = "https://pm.example.com/pm" })
	if res.Incidents != 3 || res.Private != 1 {
		t.Fatalf("published %d, private %d; want 3 and 1", res.Incidents, res.Private)
	}
	if res.Index != filepath.Join(out, "index.html") {
		t.Errorf("Index = %s", res.Index)
	}
	all := files(t, out)
	if res.Files != len(all) {
		t.Errorf("Result.Files = %d, but the folder has %d files", res.Files, len(all))
	}
	for _, want := range []string{"index.html", "actions.html", "stats.html", "feed.xml", "assets/site.css", "assets/site.js", "assets/search-0.js", "assets/catalog.js",
		"services/index.html", "services/api.html", "services/nginx.html", "services/checkout.html", "tags/index.html", "tags/config.html", "tags/memory.html",
		"incidents/2026-11-24-api-returns-502.html", "incidents/2026-11-24-api-returns-502/img/graph.png", "incidents/" + slugify("INC-0042") + ".html", MarkerFile} {
		if !slices.Contains(all, want) {
			t.Errorf("missing %s; the site has %v", want, all)
		}
	}

	// Every incident is on the index, linked to its page, which names it.
	index := parseHTML(t, filepath.Join(out, "index.html"))
	table := byID(index, "incidents")
	if table == nil {
		t.Fatal("index has no table#incidents")
	}
	rows := 0
	walk(table, func(n *html.Node) {
		if n.Data == "tr" && n.Parent != nil && n.Parent.Data == "tbody" {
			rows++
		}
	})
	if rows != 3 {
		t.Errorf("index table has %d rows, want 3", rows)
	}
	for _, id := range publicIDs {
		href := "incidents/" + slugify(id) + ".html"
		if !slices.Contains(links(table), href) {
			t.Errorf("index does not link %s", href)
		}
		page := parseHTML(t, filepath.Join(out, filepath.FromSlash(href)))
		var h1 string
		walk(page, func(n *html.Node) {
			if n.Data == "h1" && h1 == "" {
				h1 = text(n)
			}
		})
		if h1 == "" || !strings.Contains(text(table), h1) {
			t.Errorf("%s: title %q is not on the index", href, h1)
		}
	}

	// Every relative link resolves, fragments included.
	for _, f := range all {
		if !strings.HasSuffix(f, ".html") {
			continue
		}
		doc := parseHTML(t, filepath.Join(out, f))
		for _, l := range links(doc) {
			target, frag := resolveLocal(f, l)
			if target == "" {
				if strings.HasPrefix(l, "#") && l != "#main" && byID(doc, l[1:]) == nil {
					t.Errorf("%s: link %q names no element", f, l)
				}
				continue
			}
			if strings.HasPrefix(target, "../") {
				t.Errorf("%s: link %q leaves the site", f, l)
				continue
			}
			if !slices.Contains(all, target) {
				t.Errorf("%s: link %q leads to %s, which does not exist", f, l, target)
				continue
			}
			if frag != "" && strings.HasSuffix(target, ".html") && byID(parseHTML(t, filepath.Join(out, target)), frag) == nil {
				t.Errorf("%s: link %q: %s has no element #%s", f, l, target, frag)
			}
		}
	}

	// The GFM table, task list and heading anchors are there.
	page := parseHTML(t, filepath.Join(out, "incidents", "2026-11-24-api-returns-502.html"))
	var tables, boxes int
	walk(page, func(n *html.Node) {
		if n.Data == "table" {
			tables++
		}
		if v, _ := attr(n, "type"); n.Data == "input" && v == "checkbox" {
			boxes++
		}
	})
	if tables < 2 || boxes != 2 {
		t.Errorf("incident page: %d tables (want the markdown one and the action items), %d task boxes (want 2)", tables, boxes)
	}
	for _, id := range []string{"summary", "impact", "investigation-log", "action-items", "pm-hypotheses"} {
		if byID(page, id) == nil {
			t.Errorf("incident page has no #%s", id)
		}
	}
	// The log is styled by kind, the hypotheses show their fate.
	kinds := map[string]bool{}
	walk(page, func(n *html.Node) {
		if c, _ := attr(n, "class"); strings.HasPrefix(c, "entry k-") {
			kinds[strings.TrimPrefix(c, "entry k-")] = true
		}
	})
	for _, k := range []string{"down", "observe", "hypothesis", "refuted", "confirmed", "mitigated"} {
		if !kinds[k] {
			t.Errorf("log has no entry of kind %s (have %v)", k, kinds)
		}
	}
	hyps := text(byID(page, "pm-hypotheses").Parent)
	if !strings.Contains(hyps, "refuted") || !strings.Contains(hyps, "confirmed") || !strings.Contains(hyps, "vault shows the lease expired") {
		t.Errorf("hypotheses section: %q", hyps)
	}

	// Canonical links use the base URL; other links stay relative.
	var canonical string
	walk(page, func(n *html.Node) {
		if r, _ := attr(n, "rel"); n.Data == "link" && r == "canonical" {
			canonical, _ = attr(n, "href")
		}
	})
	if canonical != "https://pm.example.com/pm/incidents/2026-11-24-api-returns-502.html" {
		t.Errorf("canonical = %q", canonical)
	}

	checkFeed(t, filepath.Join(out, "feed.xml"), 3, "https://pm.example.com/pm/")
	checkCharts(t, filepath.Join(out, "stats.html"), 4)

	// The private incident is nowhere: no page, no word of it in any file.
	for _, f := range all {
		b, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{"payroll", "Payroll", "Confidentialwords", "confidentialwords", "hush-hush", "Secretaction", "mallory", "SEV1"} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s mentions %q of the private incident", f, secret)
			}
		}
	}

	// The search index holds one text per row, with words from the body.
	idx := searchIndex(t, out)
	if len(idx) != 3 || !strings.Contains(idx[0], "vault") || !strings.Contains(idx[0], "nginx") {
		t.Errorf("search index = %q", idx)
	}
}

// searchIndex reads the parts of the search index, assets/search-N.js,
// back as one list of texts, in the order of the index's rows.
func searchIndex(t testing.TB, out string) []string {
	t.Helper()
	var all []string
	for k := 0; ; k++ {
		b, err := os.ReadFile(filepath.Join(out, "assets", "search-"+itoa(k)+".js"))
		if os.IsNotExist(err) && k > 0 {
			return all
		}
		if err != nil {
			t.Fatal(err)
		}
		s := strings.TrimSuffix(strings.TrimSpace(string(b)), ");")
		s, ok := strings.CutPrefix(s, "PM_SEARCH_SHARD("+itoa(k)+",")
		if !ok {
			t.Fatalf("search-%d.js does not start as expected: %.40q", k, b)
		}
		var v []string
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			t.Fatalf("search-%d.js is not JSON: %v", k, err)
		}
		all = append(all, v...)
	}
}

// readCatalog reads assets/catalog.js back.
func readCatalog(t testing.TB, out string) catalog {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "assets", "catalog.js"))
	if err != nil {
		t.Fatal(err)
	}
	s, ok := strings.CutPrefix(strings.TrimSuffix(strings.TrimSpace(string(b)), ");"), "PM_CATALOG(")
	if !ok {
		t.Fatalf("catalog.js does not start as expected: %.40q", b)
	}
	var c catalog
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		t.Fatalf("catalog.js is not JSON: %v", err)
	}
	return c
}

// checkFeed parses the feed as Atom and checks its entries.
func checkFeed(t *testing.T, file string, entries int, base string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var feed struct {
		XMLName xml.Name
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Entries []struct {
			ID      string `xml:"id"`
			Title   string `xml:"title"`
			Updated string `xml:"updated"`
			Link    struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(b, &feed); err != nil {
		t.Fatalf("feed is not XML: %v", err)
	}
	if feed.XMLName.Space != "http://www.w3.org/2005/Atom" || feed.XMLName.Local != "feed" {
		t.Fatalf("feed root is %v, want Atom's feed", feed.XMLName)
	}
	if feed.ID == "" || feed.Title == "" || feed.Updated == "" {
		t.Errorf("feed lacks id, title or updated: %+v", feed)
	}
	if len(feed.Entries) != entries {
		t.Fatalf("feed has %d entries, want %d", len(feed.Entries), entries)
	}
	ids := map[string]bool{}
	for _, e := range feed.Entries {
		if e.ID == "" || e.Title == "" || e.Updated == "" || ids[e.ID] {
			t.Errorf("feed entry incomplete or repeated: %+v", e)
		}
		ids[e.ID] = true
		if base != "" && !strings.HasPrefix(e.Link.Href, base) {
			t.Errorf("feed entry link %q does not start with the base URL %s", e.Link.Href, base)
		}
	}
}

// checkCharts parses every <svg> of a page as XML with root svg.
func checkCharts(t *testing.T, file string, want int) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	n := 0
	for {
		i := strings.Index(s, "<svg")
		if i < 0 {
			break
		}
		j := strings.Index(s[i:], "</svg>")
		if j < 0 {
			t.Fatalf("%s: <svg> without </svg>", file)
		}
		chart := s[i : i+j+len("</svg>")]
		s = s[i+j:]
		n++
		dec := xml.NewDecoder(strings.NewReader(chart))
		var root xml.Name
		for {
			tok, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Errorf("chart %d is not XML: %v\n%s", n, err, chart)
				break
			}
			if se, ok := tok.(xml.StartElement); ok && root.Local == "" {
				root = se.Name
			}
		}
		if root.Local != "svg" || root.Space != "http://www.w3.org/2000/svg" {
			t.Errorf("chart %d: root %v, want svg in the SVG namespace", n, root)
		}
	}
	if n != want {
		t.Errorf("%s has %d charts, want %d", file, n, want)
	}
}

// TestReproducible builds the same input twice, with one worker and with
// many, and wants the same bytes.
func TestReproducible(t *testing.T) {
	root := repoWith(t, corpus)
	_, a := build(t, root, func(o *Options) { o.Out = filepath.Join(root, "a"); o.Workers = 1 })
	_, b := build(t, root, func(o *Options) { o.Out = filepath.Join(root, "b"); o.Workers = 8 })
	fa, fb := files(t, a), files(t, b)
	if !slices.Equal(fa, fb) {
		t.Fatalf("different files:\n%v\n%v", fa, fb)
	}
	for _, f := range fa {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(b, f))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two builds", f)
		}
	}
}

// TestReplace rebuilds into the same folder after an incident is deleted:
// its page goes, nothing is left beside the folder, and a folder pm did not
// make is never replaced.
func TestReplace(t *testing.T) {
	root := repoWith(t, corpus)
	_, out := build(t, root)
	page := filepath.Join(out, "incidents", "2026-11-17-api-out-of-memory.html")
	if _, err := os.Stat(page); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(root, "postmortems", "2026-11-17-api-out-of-memory.md")); err != nil {
		t.Fatal(err)
	}
	res, _ := build(t, root)
	if res.Incidents != 2 {
		t.Errorf("published %d, want 2", res.Incidents)
	}
	if _, err := os.Stat(page); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the deleted incident's page is still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "tags", "memory.html")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the deleted incident's tag page is still there")
	}
	ents, _ := os.ReadDir(root)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("left %s beside the site", e.Name())
		}
	}

	// Folders that are not sites are refused, and left alone.
	other := filepath.Join(root, "docs")
	os.MkdirAll(other, 0o755)
	os.WriteFile(filepath.Join(other, "keep.md"), []byte("mine"), 0o644)
	for _, dir := range []string{other, root, filepath.Dir(root)} {
		_, err := Build(load(t, root), Options{Out: dir, Root: root, Now: testNow, Assets: assets(t)})
		var oe *OptionError
		if !errors.As(err, &oe) {
			t.Errorf("Build into %s: err = %v, want an OptionError", dir, err)
		}
	}
	if b, err := os.ReadFile(filepath.Join(other, "keep.md")); err != nil || string(b) != "mine" {
		t.Errorf("docs/keep.md was touched: %q %v", b, err)
	}
	if _, err := Build(nil, Options{Out: filepath.Join(root, "x"), Assets: assets(t), BaseURL: "javascript:alert(1)"}); err == nil {
		t.Errorf("a javascript: base URL was accepted")
	}
}

// TestActionsPage checks the open action items: grouped by owner, the
// owner with overdue items first, overdue items first in a group, done
// items absent, and "today" from Options.Now.
func TestActionsPage(t *testing.T) {
	root := repoWith(t, corpus)
	_, out := build(t, root)
	doc := parseHTML(t, filepath.Join(out, "actions.html"))
	var owners []string
	var rows [][]string
	walk(doc, func(n *html.Node) {
		if n.Data == "h2" {
			owners = append(owners, strings.Fields(text(n))[0])
		}
		if c, _ := attr(n, "class"); n.Data == "tr" && strings.HasPrefix(c, "a-") {
			rows = append(rows, []string{c, text(n)})
		}
	})
	if !slices.Equal(owners, []string{"@bob", "@alice"}) {
		t.Errorf("owners = %v, want @bob (one overdue) then @alice", owners)
	}
	if len(rows) != 3 || rows[0][0] != "a-overdue" || !strings.Contains(rows[0][1], "Alert 14 days") || !strings.Contains(rows[1][1], "Rotate credentials") || !strings.Contains(rows[2][1], "Load test") {
		t.Errorf("rows = %q", rows)
	}
	if !strings.Contains(text(doc), "as of 2026-11-24") {
		t.Errorf("the page does not say which day counts as today")
	}
	// On 2026-12-25 the item due 2026-12-20 is overdue as well.
	_, out = build(t, root, func(o *Options) { o.Now = testNow.AddDate(0, 1, 1) })
	b, _ := os.ReadFile(filepath.Join(out, "actions.html"))
	if got := bytes.Count(b, []byte(`class="a-overdue"`)); got != 2 {
		t.Errorf("a month later %d items are overdue, want 2", got)
	}
}

// TestImages copies an image beside its page and refuses images that
// leave the repository or could carry a script.
func TestImages(t *testing.T) {
	src := map[string]string{
		"outside.png": "x",
		"postmortems/2026-01-01-images.md": "---\ntitle: Images\nstatus: closed\nstarted: 2026-01-01T00:00:00Z\n---\n\n# Images\n\n## Summary\n\n" +
			"![ok](shots/a%20b.png) ![up](../docs/diagram.png) ![out](../../outside.png) ![svg](shots/x.svg) ![missing](shots/missing.png) ![data](data:image/png;base64,AAAA)\n",
		"postmortems/shots/a b.png": "png",
		"postmortems/shots/x.svg":   "<svg onload='alert(1)'/>",
		"docs/diagram.png":          "png2",
	}
	base := t.TempDir()
	root := filepath.Join(base, "repo")
	for p, c := range src {
		abs := filepath.Join(root, filepath.FromSlash(p))
		if p == "outside.png" {
			abs = filepath.Join(base, p)
		}
		os.MkdirAll(filepath.Dir(abs), 0o755)
		os.WriteFile(abs, []byte(c), 0o644)
	}
	res, out := build(t, root)
	dir := filepath.Join(out, "incidents", "2026-01-01-images")
	got := files(t, dir)
	want := []string{"files/docs/diagram.png", "shots/a b.png"}
	if !slices.Equal(got, want) {
		t.Errorf("beside the page: %v, want %v", got, want)
	}
	if len(res.Warnings) != 3 {
		t.Errorf("warnings = %q, want 3 (leaves the repository, svg, missing)", res.Warnings)
	}
	for _, w := range res.Warnings {
		if !strings.HasPrefix(w, "2026-01-01-images.md:") {
			t.Errorf("warning does not name the file: %q", w)
		}
	}
	page, _ := os.ReadFile(dir + ".html")
	for _, bad := range []string{"outside.png", "x.svg", "data:", "missing.png"} {
		if bytes.Contains(page, []byte(bad)) && !bytes.Contains(page, []byte("[image: ")) {
			t.Errorf("page still links %s", bad)
		}
	}
	if strings.Contains(string(page), `src="data:`) || strings.Contains(string(page), `src="../../outside.png"`) {
		t.Errorf("page keeps a refused image")
	}
}

// TestNoLinksInImages: a chart that is an image (role="img") holds no
// link, which a keyboard could reach but a screen reader would not read
// (axe: nested-interactive); the chart of services, whose bars are links,
// is a group.
func TestNoLinksInImages(t *testing.T) {
	_, out := build(t, repoWith(t, corpus))
	groups := 0
	for _, rel := range []string{"stats.html", "index.html", "actions.html", "incidents/2026-11-24-api-returns-502.html"} {
		walk(parseHTML(t, filepath.Join(out, filepath.FromSlash(rel))), func(n *html.Node) {
			if n.Data != "svg" {
				return
			}
			role, _ := attr(n, "role")
			if len(links(n)) > 0 {
				if role == "img" {
					t.Errorf("%s: an svg role=img holds links %v", rel, links(n))
				}
				groups++
			}
		})
	}
	if groups == 0 {
		t.Error("no chart with links on the stats page: the check above checked nothing")
	}
}

// TestIncidentDetails: footnotes are footnotes, an unwritten section says
// so instead of showing the template's hint, log entries and hypotheses
// have permalinks, offsets read like the header's durations, and pages
// have a description and an icon.
func TestIncidentDetails(t *testing.T) {
	src := maps.Clone(corpus)
	src["postmortems/2026-11-01-footnote.md"] = "---\nid: 2026-11-01-footnote\ntitle: Footnoted\nstatus: closed\nstarted: 2026-11-01T10:00:00Z\n---\n\n# Footnoted\n\n## Summary\n\nThe queue filled up.[^q]\n\n![queue depth](img/queue.png)\n\n[^q]: It holds 10,000 jobs.\n"
	var png bytes.Buffer
	if err := stdpng.Encode(&png, stdimage.NewGray(stdimage.Rect(0, 0, 30, 20))); err != nil {
		t.Fatal(err)
	}
	src["postmortems/img/queue.png"] = png.String()
	src["postmortems/2026-11-02-comments.md"] = "---\nid: 2026-11-02-comments\ntitle: Commented\nstatus: closed\nstarted: 2026-11-02T10:00:00Z\n---\n\n# Commented\n\n" +
		"<!-- source: sourcenote, https://example.com/a -->\n\n## Summary\n\nBefore it. <!-- inlinenote --> After it.\n\n" +
		"<!-- pm-lint-disable-next-line counterfactual -->\nThe runbook said it should have retried.\n\n<!--\nsourcenote\nover lines\n-->\n\n<!-- mixednote --><b>kept</b>\n"
	_, out := build(t, repoWith(t, src))
	fn, err := os.ReadFile(filepath.Join(out, "incidents", "2026-11-01-footnote.html"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(fn, []byte("[^q]")) || !bytes.Contains(fn, []byte(`href="#fn:1"`)) || !bytes.Contains(fn, []byte(`id="fn:1"`)) || !bytes.Contains(fn, []byte("It holds 10,000 jobs.")) {
		t.Errorf("the footnote is not rendered as one")
	}
	if !regexp.MustCompile(`<img [^>]*width="30" height="20"`).Match(fn) {
		t.Errorf("the image has no width and height: %s", regexp.MustCompile(`<img [^>]*>`).Find(fn))
	}
	todo, err := os.ReadFile(filepath.Join(out, "incidents", slugify("INC-0042")+".html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(todo, []byte(`<p class="todo">Not written yet.</p>`)) || bytes.Contains(todo, []byte("TODO")) {
		t.Errorf("the unwritten summary of INC-0042 is not shown as not written yet")
	}
	for _, txt := range searchIndex(t, out) {
		if strings.Contains(strings.ToLower(txt), "todo") {
			t.Errorf("the search index holds a template hint: %.80q", txt)
		}
	}

	// HTML comments are notes to whoever edits the file (a source, a
	// pm-lint-disable): GitHub does not show them and neither does the
	// site; other raw HTML next to one still shows, as text.
	cm, err := os.ReadFile(filepath.Join(out, "incidents", "2026-11-02-comments.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, hidden := range []string{"sourcenote", "lint-disable", "inlinenote"} {
		if bytes.Contains(cm, []byte(hidden)) {
			t.Errorf("the page of comments shows %q", hidden)
		}
	}
	for _, shown := range []string{"Before it.", "After it.", "&lt;!-- mixednote --&gt;&lt;b&gt;kept&lt;/b&gt;"} {
		if !bytes.Contains(cm, []byte(shown)) {
			t.Errorf("the page of comments lacks %q", shown)
		}
	}
	for _, txt := range searchIndex(t, out) {
		if strings.Contains(txt, "sourcenote") || strings.Contains(txt, "inlinenote") {
			t.Errorf("the search index holds a comment: %.80q", txt)
		}
	}

	page := parseHTML(t, filepath.Join(out, "incidents", "2026-11-24-api-returns-502.html"))
	entries, hyps, anchors := 0, 0, map[string]bool{}
	var offsets []string
	var desc, icon string
	walk(page, func(n *html.Node) {
		c, _ := attr(n, "class")
		id, _ := attr(n, "id")
		switch {
		case n.Data == "li" && strings.HasPrefix(c, "entry "):
			entries++
			if !slices.Contains(links(n), "#"+id) || id == "" {
				t.Errorf("log entry %q has no link to itself (links %v)", id, links(n))
			}
		case n.Data == "li" && strings.HasPrefix(c, "hyp "):
			hyps++
			if !slices.Contains(links(n), "#"+id) || !strings.HasPrefix(id, "hyp-") {
				t.Errorf("hypothesis %q has no link to itself (links %v)", id, links(n))
			}
		case n.Data == "span" && c == "offset":
			offsets = append(offsets, text(n))
		case n.Data == "meta":
			if name, _ := attr(n, "name"); name == "description" {
				desc, _ = attr(n, "content")
			}
		case n.Data == "link":
			if rel, _ := attr(n, "rel"); rel == "icon" {
				icon, _ = attr(n, "href")
			}
		}
		if id != "" {
			if anchors[id] {
				t.Errorf("two elements have id %q", id)
			}
			anchors[id] = true
		}
	})
	if entries != 7 || hyps == 0 {
		t.Errorf("%d entries and %d hypotheses, want 7 and some", entries, hyps)
	}
	clock := regexp.MustCompile(`^[+-]\d+:\d\d`)
	for _, o := range offsets {
		if clock.MatchString(o) || !regexp.MustCompile(`^[+-]\d+[smhd]`).MatchString(o) {
			t.Errorf("log offset %q is not written like +3m or +41h 14m", o)
		}
	}
	if desc != "Credentials expired on the api hosts; every request failed for 21 minutes." {
		t.Errorf("meta description = %q", desc)
	}
	if icon != "../assets/favicon.svg" {
		t.Errorf("icon = %q", icon)
	} else if _, err := os.Stat(filepath.Join(out, "assets", "favicon.svg")); err != nil {
		t.Error(err)
	}
}
