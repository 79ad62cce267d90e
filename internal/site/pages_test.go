package site

import (
	"bytes"
	"html/template"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	gencorpus "github.com/pm-tool/pm/bench/gen/corpus"
	"github.com/pm-tool/pm/internal/incident"
)

// generated builds a site of n generated incidents and returns its folder.
func generated(t testing.TB, n int) string {
	t.Helper()
	root := t.TempDir()
	var inputs []Input
	for _, x := range gencorpus.Generate(gencorpus.Options{N: n, Seed: 1}) {
		d, err := incident.Parse(x.ID+".md", x.Src)
		if err != nil {
			t.Fatalf("generated incident %s: %v", x.ID, err)
		}
		inputs = append(inputs, Input{ID: x.ID, Path: filepath.Join(root, "postmortems", x.ID+".md"), Doc: d})
	}
	out := filepath.Join(root, "_site")
	if _, err := Build(inputs, Options{Out: out, Root: root, Now: testNow, Severities: []string{"SEV1", "SEV2", "SEV3", "SEV4"}, Assets: assets(t)}); err != nil {
		t.Fatal(err)
	}
	return out
}

// tableLinks returns the incident links of a page's table, in order, and
// the links of its numbered pages.
func tableLinks(t testing.TB, path string) (rows, pages []string) {
	t.Helper()
	doc := parseHTML(t, path)
	walk(doc, func(n *html.Node) {
		if n.Data == "a" {
			if c, _ := attr(n, "class"); c == "title" {
				h, _ := attr(n, "href")
				rows = append(rows, h)
			}
		}
		if n.Data == "nav" {
			if l, _ := attr(n, "aria-label"); l == "Pages" {
				pages = links(n)
			}
		}
	})
	return rows, pages
}

// TestPagedTables: the index and a service page show pageRows rows each,
// newest first, and their numbered pages reach every incident exactly
// once without JavaScript; the catalog the script loads lists them all in
// the same order.
func TestPagedTables(t *testing.T) {
	out := generated(t, 1200)
	c := readCatalog(t, out)
	n := len(c.Rows) // the generator makes a few incidents private
	if n <= 8*pageRows {
		t.Fatalf("only %d public incidents", n)
	}
	var all []string
	var pages []string
	last := (n + pageRows - 1) / pageRows
	for i := range last {
		name := pageHref("index", "-", i+1)
		rows, p := tableLinks(t, filepath.Join(out, name))
		if want := min(pageRows, n-i*pageRows); len(rows) != want {
			t.Errorf("%s has %d rows, want %d", name, len(rows), want)
		}
		if i == 0 {
			pages = p
		}
		all = append(all, rows...)
	}
	if len(pages) != last+1 || pages[0] != "index.html" || pages[1] != "index-2.html" || pages[last] != "index-2.html" {
		t.Errorf("index.html links pages %v, want index.html … index-%d.html and Older", pages, last)
	}
	if _, err := os.Stat(filepath.Join(out, pageHref("index", "-", last+1))); err == nil {
		t.Errorf("index-%d.html exists for %d incidents", last+1, n)
	}
	seen := map[string]bool{}
	for _, h := range all {
		if seen[h] {
			t.Errorf("%s is on two pages", h)
		}
		seen[h] = true
	}
	if len(seen) != n {
		t.Errorf("the pages reach %d incidents, want %d", len(seen), n)
	}
	for i, r := range c.Rows {
		if want := "incidents/" + r[0].(string) + ".html"; all[i] != want {
			t.Fatalf("catalog row %d is %s, the pages' row is %s", i, want, all[i])
		}
	}
	if idx := searchIndex(t, out); len(idx) != n {
		t.Errorf("search index has %d texts, want %d", len(idx), n)
	}

	// The biggest service is paged the same way, as name.2.html.
	var big string
	var most int
	for i := range c.Services {
		k := 0
		for _, r := range c.Rows {
			if slices.Contains(r[6].([]any), any(float64(i))) {
				k++
			}
		}
		if k > most {
			big, most = c.SvcHref[i], k
		}
	}
	if most <= pageRows {
		t.Fatalf("no service has more than %d incidents (most: %d)", pageRows, most)
	}
	base := strings.TrimSuffix(big, ".html")
	got := 0
	for k := 1; ; k++ {
		name := base + ".html"
		if k > 1 {
			name = base + "." + itoa(k) + ".html"
		}
		rows, _ := tableLinks(t, filepath.Join(out, filepath.FromSlash(name)))
		if len(rows) == 0 {
			break
		}
		if len(rows) > pageRows {
			t.Errorf("%s has %d rows", name, len(rows))
		}
		got += len(rows)
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(base+"."+itoa(k+1)+".html"))); err != nil {
			break
		}
	}
	if got != most {
		t.Errorf("%s and its pages show %d incidents, want %d", big, got, most)
	}
}

// TestSearchText: the search index keeps the body's words in order for
// phrases, without the log's timestamps, within maxText, and the words
// after it as a list.
func TestSearchText(t *testing.T) {
	body := "Summary The cache `2026-11-24T10:00:00Z` leaked memory. " + strings.Repeat("filler ", 400) + "zebracorn at the end"
	got := searchText(body, "INC-1 SEV2 api")
	text, words, ok := strings.Cut(got, "\n")
	if !ok {
		t.Fatalf("no newline between text and words: %.80q", got)
	}
	if !strings.HasPrefix(text, "Summary The cache leaked memory. filler") {
		t.Errorf("text starts %.60q", text)
	}
	if strings.Contains(got, "10:00") || len(text) > maxText {
		t.Errorf("text has a timestamp or is %d bytes (max %d)", len(text), maxText)
	}
	for _, w := range []string{"zebracorn", "sev2", "api", "inc-1"} {
		if !slices.Contains(strings.Fields(words), w) {
			t.Errorf("words %.80q lack %q", words, w)
		}
	}
	// A word the text starts a word with is not listed again; one only
	// inside a word of the text is ("ache" is in "cache").
	got = searchText("The cache leaked memory.", "memory ache cache")
	if _, words, _ = strings.Cut(got, "\n"); words != "ache" {
		t.Errorf("words after the text = %q, want only ache", words)
	}
}

// TestActionPages: actions.html shows each owner's first ownerPreview
// items and links the owner's pages, which hold all of them, pageRows a
// page.
func TestActionPages(t *testing.T) {
	out := generated(t, 600)
	doc := parseHTML(t, filepath.Join(out, "actions.html"))
	type ownerRows struct {
		rows int
		all  string
	}
	var owners []*ownerRows
	walk(doc, func(n *html.Node) {
		if c, _ := attr(n, "class"); n.Data == "section" && c == "owner" {
			o := &ownerRows{}
			walk(n, func(m *html.Node) {
				if c, _ := attr(m, "class"); m.Data == "tr" && strings.HasPrefix(c, "a-") {
					o.rows++
				}
				if c, _ := attr(m, "class"); m.Data == "p" && c == "all" {
					o.all = links(m)[0]
				}
			})
			owners = append(owners, o)
		}
	})
	long := 0
	for _, o := range owners {
		if o.rows > ownerPreview {
			t.Errorf("actions.html shows %d items of an owner, want at most %d", o.rows, ownerPreview)
		}
		if o.all == "" {
			continue
		}
		long++
		base := strings.TrimSuffix(o.all, ".html")
		total := 0
		for k := 1; ; k++ {
			name := base + ".html"
			if k > 1 {
				name = base + "." + itoa(k) + ".html"
			}
			if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(name))); err != nil {
				break
			}
			n := 0
			walk(parseHTML(t, filepath.Join(out, filepath.FromSlash(name))), func(m *html.Node) {
				if c, _ := attr(m, "class"); m.Data == "tr" && strings.HasPrefix(c, "a-") {
					n++
				}
			})
			if n > pageRows {
				t.Errorf("%s shows %d items", name, n)
			}
			total += n
		}
		b, _ := os.ReadFile(filepath.Join(out, filepath.FromSlash(o.all)))
		if want := "<p class=\"lede\">" + itoa(total) + " open items"; !strings.Contains(string(b), want) {
			t.Errorf("%s and its pages hold %d items; the page does not say %q", o.all, total, want)
		}
	}
	if long == 0 {
		t.Fatal("no owner has more than ownerPreview items: nothing was checked")
	}
}

// TestRelatedIncidents: an incident's page lists the earlier incidents
// most like it, as pm related ranks them, with what they share and their
// confirmed causes; later incidents and private ones never appear, and an
// incident with nothing before it has no such section.
func TestRelatedIncidents(t *testing.T) {
	files := maps.Clone(corpus)
	files["postmortems/2026-11-10-api-secret.md"] = "---\nid: 2026-11-10-api-secret\ntitle: API secret thing\nstatus: closed\nstarted: 2026-11-10T10:00:00Z\nservices: [api, nginx]\nprivate: true\n---\n\n# API secret thing\n"
	files["postmortems/2026-11-01-nginx-config.md"] = "---\nid: 2026-11-01-nginx-config\ntitle: Nginx <b>config</b> rejected\nstatus: closed\nseverity: SEV4\nstarted: 2026-11-01T10:00:00Z\nservices: [Nginx]\ntags: [config]\n---\n\n# Nginx config rejected\n\n## Investigation log\n- `2026-11-01T10:01:00Z` **hypothesis H1** a `listen` line was doubled _(bob)_\n- `2026-11-01T10:02:00Z` **confirmed H1** nginx -t _(bob)_\n"
	root := repoWith(t, files)
	_, out := build(t, root)
	related := func(id string) []string {
		doc := parseHTML(t, filepath.Join(out, "incidents", id+".html"))
		sec := byID(doc, "pm-related")
		if sec == nil {
			return nil
		}
		var items []string
		walk(sec.Parent, func(n *html.Node) {
			if n.Data == "li" {
				href := ""
				walk(n, func(a *html.Node) {
					if a.Data == "a" && href == "" {
						href, _ = attr(a, "href")
					}
				})
				items = append(items, href+" | "+strings.Join(strings.Fields(text(n)), " "))
			}
		})
		return items
	}
	got := related("2026-11-24-api-returns-502")
	want := []string{
		"../incidents/2026-11-01-nginx-config.html | Nginx <b>config</b> rejected SEV4 2026-11-01 · shares service Nginx · tag config Confirmed cause: a listen line was doubled",
		"../incidents/2026-11-17-api-out-of-memory.html | API out of memory after deploy SEV3 2026-11-17 · shares service api · word api Confirmed cause: the session cache grows without bound",
	}
	if !slices.Equal(got, want) {
		t.Errorf("related to the 502 incident:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := related("2026-11-01-nginx-config"); got != nil {
		t.Errorf("the oldest public incident lists related incidents: %q", got)
	}
	page, err := os.ReadFile(filepath.Join(out, "incidents", "2026-11-24-api-returns-502.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page, []byte("<code>listen</code>")) {
		t.Errorf("a related incident's cause is not rendered as markdown")
	}
	if bytes.Contains(page, []byte("secret")) {
		t.Errorf("a private incident shows as related")
	}
}

// TestShells: incident pages written through the layout's shell are the
// bytes executing the layout gives, for the corpus, the hostile corpus
// and a diagram, with and without a base URL; the shells are made for
// pm's own templates (else the test would compare the slow path with
// itself).
func TestShells(t *testing.T) {
	src := maps.Clone(corpus)
	maps.Copy(src, xssCorpus)
	src["postmortems/2026-11-20-dns-retries.md"] = diagramIncident
	root := repoWith(t, src)
	s := newSite(Options{Title: "Post-mortems"}, mustTemplates(t))
	if sh := s.incidentShells(); sh[0] == nil || sh[1] == nil {
		t.Fatal("no shells for pm's own templates")
	}
	for _, base := range []string{"", "https://pm.example/post+mortems/"} {
		set := func(o *Options) { o.BaseURL = base; o.Out = filepath.Join(root, "fast") }
		_, fast := build(t, root, set)
		_, slow := build(t, root, set, func(o *Options) { o.noShells = true; o.Out = filepath.Join(root, "slow") })
		names := files(t, filepath.Join(slow, "incidents"))
		if len(names) < 5 {
			t.Fatalf("only %d incident pages", len(names))
		}
		for _, n := range names {
			a := readFile(t, filepath.Join(fast, "incidents", filepath.FromSlash(n)))
			b := readFile(t, filepath.Join(slow, "incidents", filepath.FromSlash(n)))
			if a != b {
				t.Errorf("base %q: incidents/%s differs through the shell", base, n)
			}
		}
	}
}

func mustTemplates(t *testing.T) map[string]*template.Template {
	t.Helper()
	tpl, err := loadTemplates(assets(t))
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}
