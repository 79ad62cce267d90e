package site

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// findChromium returns a Chromium or Chrome to drive, or "".
func findChromium() string {
	if p := os.Getenv("PM_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// chromium starts a headless Chromium for the test, or skips the test
// when there is none (fails with PM_REQUIRE_BROWSER=1). Uncaught
// exceptions in any page fail the test at its end.
func chromium(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	exe := findChromium()
	if exe == "" {
		if os.Getenv("PM_REQUIRE_BROWSER") == "1" {
			t.Fatal("no Chromium found (looked for chromium, google-chrome and headless-shell on PATH, and $PM_CHROMIUM), and PM_REQUIRE_BROWSER=1; install it with: apt-get install -y chromium")
		}
		t.Skip("no Chromium found on PATH (apt-get install -y chromium, or set PM_CHROMIUM); skipping the browser test")
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)

	var mu sync.Mutex
	var exceptions []string
	if err := chromedp.Listen(bctx, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok {
			mu.Lock()
			exceptions = append(exceptions, e.ExceptionDetails.Text+" "+e.ExceptionDetails.URL)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}

	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, e := range exceptions {
			t.Errorf("uncaught exception in a page: %s", e)
		}
	})
	return bctx
}

// TestBrowser opens the site from disk in a real headless Chromium, as a
// reader would: the script turns the plain table into a searchable one,
// typing filters it, a click opens an incident, and none of the hostile
// corpus's payloads runs anywhere. It saves screenshots of the index, an
// incident, the hostile incident and the stats page into the test's
// artifact folder (go test -artifacts keeps them) or $PM_SCREENSHOTS.
//
// Without a browser it skips, unless PM_REQUIRE_BROWSER=1 (CI sets it),
// when a missing browser is a failure.
func TestBrowser(t *testing.T) {
	bctx := chromium(t, 90*time.Second)
	shots := os.Getenv("PM_SCREENSHOTS")
	if shots == "" {
		shots = t.ArtifactDir()
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}

	src := maps.Clone(corpus)
	maps.Copy(src, xssCorpus)
	root := repoWith(t, src)
	res, out := build(t, root)
	total := res.Incidents

	tb := &tab{t: t, ctx: bctx, out: out}
	file, do, eval := tb.file, tb.do, tb.eval
	shot := func(name string) {
		t.Helper()
		b, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(shots, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	noXSS := func(where string) {
		t.Helper()
		if n := eval(`typeof window.__xss === "undefined" ? 0 : 1`); n != 0 {
			t.Errorf("%s: a payload of the hostile corpus ran (window.__xss is set)", where)
		}
		if n := eval(`Array.prototype.filter.call(document.scripts, function(s){return !/\/assets\/(site|catalog|search-[0-9]+)\.js$/.test(s.src)}).length`); n != 0 {
			t.Errorf("%s: %d scripts that are not the site's", where, n)
		}
	}
	const visible = `document.querySelectorAll("#incidents tbody tr:not([hidden])").length`

	// The index, from disk: the script shows the filters over the full table.
	do("open the index", chromedp.Navigate(file("index.html")), chromedp.WaitVisible(chromedp.ID("q")))
	if n := eval(visible); n != total {
		t.Fatalf("index shows %d rows, want %d", n, total)
	}
	noXSS("index")
	shot("index.png")

	// Typing filters the table; the search covers the log, not only titles.
	do("search", chromedp.SendKeys(chromedp.ID("q"), "vault"),
		chromedp.Poll[chromedp.Void](`/[?&]q=vault(&|$)/.test(location.search) && `+visible+" === 1", chromedp.WithPollingTimeout(5*time.Second)))
	title, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS("#incidents tbody tr:not([hidden]) a.title")))
	if err != nil {
		t.Fatal(err)
	}
	if title != "API returns 502 for all requests" {
		t.Errorf("search for vault shows %q", title)
	}
	if got, _ := chromedp.Run(bctx, chromedp.Text(chromedp.ID("count"))); !strings.HasPrefix(got, "1 of ") {
		t.Errorf("count says %q", got)
	}
	shot("index-search.png")
	// A filter narrows as well; clearing both shows everything again.
	eval(`(function(){var q=document.getElementById("q"); q.value=""; q.dispatchEvent(new Event("input")); return 0})()`)
	do("clear search", chromedp.Poll[chromedp.Void](visible+" === "+itoa(total), chromedp.WithPollingTimeout(5*time.Second)))
	eval(`(function(){var s=document.getElementById("f-severity"); s.value="SEV3"; s.dispatchEvent(new Event("change")); return 0})()`)
	if n := eval(visible); n != 2 {
		t.Errorf("severity SEV3 shows %d rows, want 2", n)
	}
	eval(`(function(){var s=document.getElementById("f-severity"); s.value=""; s.dispatchEvent(new Event("change")); return 0})()`)
	if n := eval(visible); n != total {
		t.Errorf("after clearing, %d rows, want %d", n, total)
	}
	// Sorting by time to resolve puts unresolved incidents last.
	do("sort", chromedp.Click(chromedp.CSS(`#incidents thead th:nth-child(6) button`)))
	if n := eval(`document.querySelector("#incidents thead th:nth-child(6)").getAttribute("aria-sort") === "ascending" ? 1 : 0`); n != 1 {
		t.Errorf("the header does not say how the table is sorted")
	}
	if n := eval(`(function(){var r=document.querySelectorAll("#incidents tbody tr"); return r[r.length-1].cells[5].getAttribute("data-v") === "" ? 1 : 0})()`); n != 1 {
		t.Errorf("an unresolved incident is not last when sorted by time to resolve")
	}

	// Open an incident by its link.
	do("search again", chromedp.SendKeys(chromedp.ID("q"), "vault"),
		chromedp.Poll[chromedp.Void](`/[?&]q=vault(&|$)/.test(location.search) && `+visible+" === 1", chromedp.WithPollingTimeout(5*time.Second)))
	do("open an incident", chromedp.Click(chromedp.CSS("#incidents tbody tr:not([hidden]) a.title")), chromedp.WaitVisible(chromedp.ID("pm-hypotheses")))
	loc, err := chromedp.Run(bctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(loc, "/incidents/2026-11-24-api-returns-502.html") {
		t.Errorf("the link opened %s", loc)
	}
	if n := eval(`document.querySelectorAll(".log .entry").length`); n != 7 {
		t.Errorf("incident page shows %d log entries, want 7", n)
	}
	if n := eval(`document.querySelector("img[alt='error graph']").naturalWidth >= 0 ? 1 : 0`); n != 1 {
		t.Errorf("image missing")
	}
	noXSS("incident page")
	shot("incident.png")

	// The hostile incident, a service page and the stats page run nothing.
	hostile := "incidents/" + slugify(`"><svg onload=window.__xss=1>`) + ".html"
	do("open the hostile incident", chromedp.Navigate(file(hostile)), chromedp.WaitVisible(chromedp.CSS("h1")))
	// Hover and click everything, in case a handler slipped through.
	eval(`(function(){document.querySelectorAll("body *").forEach(function(e){["mouseover","click","focus"].forEach(function(k){try{e.dispatchEvent(new Event(k))}catch(x){}})}); return 0})()`)
	noXSS("hostile incident")
	shot("hostile.png")
	for _, rel := range []string{"services/index.html", "tags/index.html", "actions.html", "feed.xml"} {
		do("open "+rel, chromedp.Navigate(file(rel)))
		noXSS(rel)
	}
	do("open stats", chromedp.Navigate(file("stats.html")), chromedp.WaitVisible(chromedp.CSS("svg.chart")))
	if n := eval(`document.querySelectorAll("svg.chart").length`); n != 4 {
		t.Errorf("stats page shows %d charts, want 4", n)
	}
	noXSS("stats")
	shot("stats.png")

	// Dark, as a reader who prefers it sees the pages.
	tb.media("", true)
	if n := eval(`getComputedStyle(document.body).backgroundColor === "rgb(20, 23, 26)" ? 1 : 0`); n != 1 {
		t.Errorf("prefers-color-scheme: dark does not darken the page")
	}
	shot("stats-dark.png")
	do("open an incident in the dark", chromedp.Navigate(file("incidents/2026-11-24-api-returns-502.html")), chromedp.WaitVisible(chromedp.ID("pm-hypotheses")))
	shot("incident-dark.png")
	tb.media("", false)

	// Printed, every badge is dark on white: at least 4.5:1, computed from
	// the colours the browser resolves for print.
	tb.media("print", false)
	for _, rel := range []string{"incidents/2026-11-24-api-returns-502.html", "index.html", "actions.html"} {
		do("print "+rel, chromedp.Navigate(file(rel)), chromedp.WaitReady(chromedp.CSS("main")))
		if n := eval(`document.querySelectorAll(".sev, .status, .astate, .entry .kind").length`); n == 0 {
			t.Errorf("print %s: no badges to check", rel)
		}
		if bad := tb.str(printContrast); bad != "" {
			t.Errorf("print %s: badges under 4.5:1: %s", rel, bad)
		}
	}
	tb.media("", false)

	// On a phone the index still reads.
	do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)), chromedp.Navigate(file("index.html")), chromedp.WaitVisible(chromedp.ID("q")))
	if n := eval(`document.documentElement.scrollWidth <= window.innerWidth + 1 ? 1 : 0`); n != 1 {
		t.Errorf("the index scrolls sideways on a phone")
	}
	shot("index-phone.png")

	t.Logf("screenshots in %s", shots)
}

// tab is the browser's page and the site folder it shows.
type tab struct {
	t   *testing.T
	ctx context.Context
	out string
}

// media makes the tab render for media ("" for the screen, or "print")
// in the reader's light or dark theme.
func (b *tab) media(media string, dark bool) {
	b.t.Helper()
	p := emulation.SetEmulatedMediaParams{Media: media}
	if dark {
		p.Features = []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}
	}
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, p); err != nil {
		b.t.Fatal(err)
	}
}

// file is the file: URL of a file of the site.
func (b *tab) file(rel string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(b.out, filepath.FromSlash(rel)))}).String()
}

func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

func (b *tab) eval(js string) int {
	b.t.Helper()
	n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](js))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return n
}

func (b *tab) str(js string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// TestBrowserLarge opens the index of 10,000 generated incidents (as
// bench/gen makes them for bench/run) from disk: what loads before the
// first search stays under 300 KB, a search loads the index and ranks
// title hits first with a snippet, a phrase finds only the words side by
// side, an address with filters opened fresh shows those rows, the back
// button undoes a filter, a search with no hits says so, and axe finds
// nothing serious in any kind of page, light and dark. PM_LARGE_N
// sets another size; -short skips it.
func TestBrowserLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the 10,000-incident site takes a while to build")
	}
	n := 10000
	if v := os.Getenv("PM_LARGE_N"); v != "" {
		n = atoiOr(v, n)
	}
	bctx := chromium(t, 150*time.Second)
	start := time.Now()
	out := generated(t, n)
	t.Logf("built %d incidents in %v", n, time.Since(start).Round(time.Millisecond))
	c := readCatalog(t, out)
	texts := searchIndex(t, out)
	b := &tab{t: t, ctx: bctx, out: out}
	const rows = `document.querySelectorAll("#incidents tbody tr").length`
	count := func() string { return b.str(`document.getElementById("count").textContent`) }

	// The first view: the page and what it loads before anyone searches
	// (resource timing lists nothing for files, so the page's own links).
	b.do("open the index", chromedp.Navigate(b.file("index.html")), chromedp.WaitVisible(chromedp.ID("q")))
	var loaded []string
	if err := json.Unmarshal([]byte(b.str(`JSON.stringify([location.href].concat(Array.prototype.map.call(document.querySelectorAll("link[rel~=stylesheet], link[rel~=icon], script[src], img[src]"), function(e){return e.href || e.src})))`)), &loaded); err != nil {
		t.Fatal(err)
	}
	var size int64
	for _, u := range loaded {
		p, err := url.Parse(u)
		if err != nil || p.Scheme != "file" {
			t.Fatalf("the index loads %s", u)
		}
		fi, err := os.Stat(filepath.FromSlash(p.Path))
		if err != nil {
			t.Fatal(err)
		}
		size += fi.Size()
		if strings.Contains(p.Path, "/assets/search-") || strings.HasSuffix(p.Path, "/catalog.js") {
			t.Errorf("the index loads %s before a search", path.Base(p.Path))
		}
	}
	t.Logf("the index and what it loads: %d files, %.1f KB", len(loaded), float64(size)/1024)
	if size >= 300*1024 {
		t.Errorf("the index loads %d KB before the first search, want under 300 KB", size/1024)
	}
	if got := b.eval(rows); got != pageRows {
		t.Errorf("the index shows %d rows, want %d", got, pageRows)
	}
	// Interactive: the script has run (it turns the headers into sort
	// buttons) once the load event has ended.
	ready, loadedAt := b.eval(`(function(){var n=performance.getEntriesByType("navigation")[0]; return Math.round(n.domContentLoadedEventEnd)})()`),
		b.eval(`(function(){var n=performance.getEntriesByType("navigation")[0]; return Math.round(n.loadEventEnd)})()`)
	t.Logf("the index: DOM ready %d ms, loaded %d ms after navigation started", ready, loadedAt)
	if loadedAt >= 1000 || b.eval(`document.querySelectorAll("#incidents thead th button").length`) == 0 {
		t.Errorf("the index is interactive %d ms after navigation started, want under 1 s", loadedAt)
	}

	// Sorting sorts every incident, not the page's rows: by time to
	// resolve, the quickest of all first.
	quickest := int64(-1)
	for _, r := range c.Rows {
		if v := int64(r[8].(float64)); v >= 0 && (quickest < 0 || v < quickest) {
			quickest = v
		}
	}
	start = time.Now()
	b.do("sort", chromedp.Click(chromedp.CSS(`#incidents thead th[data-col="ttr"] button`)),
		chromedp.Poll[chromedp.Void](`/sort=ttr/.test(location.search) && / of /.test(document.getElementById("count").textContent)`, chromedp.WithPollingTimeout(20*time.Second)))
	t.Logf("sorting %d incidents (loading the catalog): %v", len(c.Rows), time.Since(start).Round(time.Millisecond))
	if got := b.str(`document.querySelector("#incidents tbody tr").cells[5].getAttribute("data-v")`); got != strconv.FormatInt(quickest, 10) {
		t.Errorf("sorted by time to resolve, the first row has %s s, want the quickest of all, %d s", got, quickest)
	}
	b.do("unsort", chromedp.NavigateBack(), chromedp.Poll[chromedp.Void](`location.search === ""`, chromedp.WithPollingTimeout(10*time.Second)))
	if got := b.eval(rows); got != pageRows {
		t.Errorf("back from sorting, the index shows %d rows, want its own %d", got, pageRows)
	}

	// A search: the index loads, title hits come first, each row with the
	// matching text marked, and the address holds the query.
	b.eval(`(function(){var t0=performance.now(); window.__first=undefined;
		new MutationObserver(function(_, o){if (/so far|best match/.test(document.getElementById("count").textContent)) {window.__first=performance.now()-t0; o.disconnect()}}).observe(document.getElementById("count"), {childList: true, characterData: true, subtree: true}); return 0})()`)
	start = time.Now()
	b.do("search", chromedp.SendKeys(chromedp.ID("q"), "memory"),
		chromedp.Poll[chromedp.Void](`location.search === "?q=memory" && /best match first/.test(document.getElementById("count").textContent)`, chromedp.WithPollingTimeout(30*time.Second)))
	t.Logf("first search, loading the index: first results after %d ms, all after %v", b.eval(`Math.round(window.__first)`), time.Since(start).Round(time.Millisecond))
	var inTitle []bool
	if err := json.Unmarshal([]byte(b.str(`JSON.stringify(Array.prototype.map.call(document.querySelectorAll("#incidents tbody tr"), function(r){return /memory/i.test(r.querySelector("a.title").textContent)}))`)), &inTitle); err != nil {
		t.Fatal(err)
	}
	if len(inTitle) == 0 || !inTitle[0] {
		t.Fatalf("search for memory: the first of %d rows does not have it in its title", len(inTitle))
	}
	for i := 1; i < len(inTitle); i++ {
		if inTitle[i] && !inTitle[i-1] {
			t.Errorf("search for memory: row %d has it in the title, row %d above it does not", i+1, i)
			break
		}
	}
	if got := b.eval(`document.querySelectorAll("#incidents tbody tr .snippet mark").length`); got == 0 {
		t.Errorf("search for memory: no row shows a snippet with the hit marked")
	}
	b.shot("large-search.png")
	if res := b.axe(axeSource(t)); res != "" {
		t.Errorf("axe on the search results:\n%s", res)
	}
	if s := b.str(`location.search`); s != "?q=memory" {
		t.Errorf("after the search the address ends %q, want ?q=memory", s)
	}
	// The next search, with the index loaded, as a reader types it: the
	// time from the keystroke to the count's change.
	b.eval(`(function(){var q=document.getElementById("q"), t0=performance.now(); window.__ms=undefined;
		new MutationObserver(function(_, o){window.__ms=performance.now()-t0; o.disconnect()}).observe(document.getElementById("count"), {childList: true, characterData: true, subtree: true});
		q.value='"connection refused"'; q.dispatchEvent(new Event("input")); return 0})()`)
	b.do("phrase", chromedp.Poll[chromedp.Void](`window.__ms !== undefined`, chromedp.WithPollingTimeout(10*time.Second)))
	searchMS := b.eval(`Math.round(window.__ms)`)
	t.Logf("a search with the index loaded: %d ms from the keystroke to the results", searchMS)
	if searchMS >= 100 {
		t.Errorf("a search with the index loaded shows its results %d ms after the keystroke, want under 100 ms", searchMS)
	}
	phrase := regexp.MustCompile(`(?i)(^|[^\pL\pN])connection[^\pL\pN]+refused`)
	want := 0
	for i, r := range c.Rows {
		text, words, _ := strings.Cut(texts[i], "\n")
		if phrase.MatchString(r[1].(string)) || phrase.MatchString(r[10].(string)) || phrase.MatchString(text) || phrase.MatchString(words) {
			want++
		}
	}
	if want == 0 {
		t.Fatal("no generated incident says connection refused")
	}
	if got := count(); !strings.HasPrefix(got, itoa(want)+" of "+itoa(len(c.Rows))) {
		t.Errorf("phrase search says %q, want %d of %d", got, want, len(c.Rows))
	}
	if got := b.str(`Array.prototype.map.call(document.querySelectorAll(".snippet mark"), function(m){return m.textContent.toLowerCase()}).filter(function(t){return t !== "connection refused"}).join("|")`); got != "" {
		t.Errorf("phrase search marks %q", got)
	}
	b.eval(`(function(){var q=document.getElementById("q"); q.value="zzqxvw"; q.dispatchEvent(new Event("input")); return 0})()`)
	b.do("no match", chromedp.Poll[chromedp.Void](`!document.getElementById("nomatch").hidden`, chromedp.WithPollingTimeout(10*time.Second)))
	if got := b.str(`document.getElementById("nomatch").textContent`); !strings.Contains(got, "No incidents match") || !strings.Contains(got, "zzqxvw") {
		t.Errorf("a search with no hits says %q", got)
	}
	if got := b.eval(rows); got != 0 {
		t.Errorf("a search with no hits shows %d rows", got)
	}

	// An id finds its incident: the id is in the list of words after the
	// text, and a token with dashes is the phrase of its parts.
	id := c.Rows[7][0].(string)
	b.eval(`(function(){var q=document.getElementById("q"); q.value=` + strconv.Quote(id) + `; q.dispatchEvent(new Event("input")); return 0})()`)
	b.do("search an id", chromedp.Poll[chromedp.Void](`/`+regexp.QuoteMeta(id)+`/.test(decodeURIComponent(location.search)) && / of /.test(document.getElementById("count").textContent)`, chromedp.WithPollingTimeout(10*time.Second)))
	if got := b.str(`(document.querySelector("#incidents tbody a.title") || {}).href || ""`); !strings.HasSuffix(got, "/incidents/"+id+".html") {
		t.Errorf("a search for %s shows %q first", id, got)
	}

	// axe in every kind of page of the large site, light and dark.
	src := axeSource(t)
	for _, dark := range []bool{false, true} {
		b.media("", dark)
		for _, rel := range []string{"index.html", "index-2.html", "incidents/" + slugify(id) + ".html", "stats.html", "actions.html", "services/" + slugify(c.Services[0]) + ".html", "tags/index.html"} {
			b.do("open "+rel, chromedp.Navigate(b.file(rel)), chromedp.WaitReady(chromedp.CSS("main")))
			if res := b.axe(src); res != "" {
				t.Errorf("axe on the large site's %s, dark %v:\n%s", rel, dark, res)
			}
		}
	}
	b.media("", false)

	// A filtered address opened fresh shows only those incidents.
	svc, sev := c.Services[0], "SEV1"
	want = 0
	for _, r := range c.Rows {
		if r[4].(float64) >= 0 && c.Sevs[int(r[4].(float64))] == sev && slices.Contains(r[6].([]any), any(float64(0))) {
			want++
		}
	}
	u := b.file("index.html") + "?severity=" + sev + "&service=" + url.QueryEscape(svc)
	b.do("open a filtered address", chromedp.Navigate(u),
		chromedp.Poll[chromedp.Void](`/ of /.test(document.getElementById("count").textContent)`, chromedp.WithPollingTimeout(20*time.Second)))
	if got := count(); !strings.HasPrefix(got, itoa(want)+" of ") {
		t.Errorf("%s says %q, want %d of …", u, got, want)
	}
	if got := b.eval(`Array.prototype.filter.call(document.querySelectorAll("#incidents tbody tr"), function(r){return r.cells[2].textContent !== "SEV1" || r.cells[4].textContent.split(", ").indexOf(` + strconv.Quote(svc) + `) < 0}).length`); got != 0 {
		t.Errorf("%s shows %d rows that are not %s on %s", u, got, sev, svc)
	}
	if got := b.eval(rows); got != min(want, pageRows) {
		t.Errorf("%s shows %d rows, want %d", u, got, min(want, pageRows))
	}
	if got := b.str(`document.getElementById("f-severity").value`); got != sev {
		t.Errorf("the severity filter shows %q, want %s", got, sev)
	}
	// Clearing a filter is a step the back button undoes.
	b.eval(`(function(){var s=document.getElementById("f-severity"); s.value=""; s.dispatchEvent(new Event("change")); return 0})()`)
	if got := b.str(`location.search`); strings.Contains(got, "severity") {
		t.Errorf("after clearing the severity the address ends %q", got)
	}
	b.do("back", chromedp.NavigateBack(),
		chromedp.Poll[chromedp.Void](`document.getElementById("f-severity").value === "SEV1"`, chromedp.WithPollingTimeout(10*time.Second)))
	if got := count(); !strings.HasPrefix(got, itoa(want)+" of ") {
		t.Errorf("after going back the count says %q, want %d of …", got, want)
	}
}

// shot saves a screenshot of the window into the test's artifact folder
// (go test -artifacts keeps it) or $PM_SCREENSHOTS.
func (b *tab) shot(name string) {
	b.t.Helper()
	dir := os.Getenv("PM_SCREENSHOTS")
	if dir == "" {
		dir = b.t.ArtifactDir()
	}
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// printContrast lists the badges whose text, as the page resolves it for
// print, falls under 4.5:1 against white paper: browsers print without
// background colours unless asked, so a badge's own background is not
// counted on.
const printContrast = `(function(){
  function rgb(s){var m=s.match(/[\d.]+/g)||[]; return {c:m.slice(0,3).map(Number)}}
  function lum(c){return c.map(function(v){v/=255; return v<=0.04045?v/12.92:Math.pow((v+0.055)/1.055,2.4)}).reduce(function(s,v,i){return s+v*[0.2126,0.7152,0.0722][i]},0)}
  var bad=[];
  document.querySelectorAll(".sev, .status, .astate, .entry .kind").forEach(function(e){
    var fg=rgb(getComputedStyle(e).color).c, x=lum(fg), y=1, r=(Math.max(x,y)+0.05)/(Math.min(x,y)+0.05);
    if(r<4.5) bad.push(e.className+" "+e.textContent+" "+r.toFixed(2));
  });
  return bad.slice(0,5).join("; ");
})()`

// axeVersion is the vendored axe-core in testdata/axe (see its README).
const axeVersion = "4.14.1"

// TestAxe runs axe-core inside the index, an incident, the stats, the
// action items and a service page, in the light and the dark theme, and
// wants no serious or critical violation.
func TestAxe(t *testing.T) {
	bctx := chromium(t, 120*time.Second)
	src := axeSource(t)
	_, out := build(t, repoWith(t, corpus))
	b := &tab{t: t, ctx: bctx, out: out}
	for _, dark := range []bool{false, true} {
		theme := map[bool]string{false: "light", true: "dark"}[dark]
		b.media("", dark)
		for _, rel := range []string{"index.html", "incidents/2026-11-24-api-returns-502.html", "stats.html", "actions.html", "services/api.html", "tags/index.html"} {
			b.do("open "+rel, chromedp.Navigate(b.file(rel)), chromedp.WaitReady(chromedp.CSS("main")))
			res := b.axe(src)
			if res != "" {
				t.Errorf("axe %s, %s theme:\n%s", rel, theme, res)
			}
		}
	}
}

// axeSource is the vendored axe-core script.
func axeSource(t *testing.T) []byte {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "axe", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(src, []byte("/*! axe v"+axeVersion+"\n")) {
		t.Fatalf("testdata/axe/axe.min.js is not axe %s with its licence header", axeVersion)
	}
	return src
}

// axe runs axe-core in the page as it is and returns its serious and
// critical violations, one a line, or "".
func (b *tab) axe(src []byte) string {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](string(src)+"\n;true")); err != nil {
		b.t.Fatalf("loading axe: %v", err)
	}
	res, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`axe.run(document, {resultTypes: ["violations"]}).then(function (r) {
		return r.violations.filter(function (v) { return v.impact === "serious" || v.impact === "critical" })
			.map(function (v) { return v.id + " (" + v.impact + ", " + v.nodes.length + "×: " + v.nodes.slice(0, 3).map(function (n) { return n.target.join(" ") }).join("; ") + ")" }).join("\n")
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("axe: %v", err)
	}
	return res
}
