package site

import (
	"context"
	"maps"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
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
	exe := findChromium()
	if exe == "" {
		if os.Getenv("PM_REQUIRE_BROWSER") == "1" {
			t.Fatal("no Chromium found (looked for chromium, google-chrome and headless-shell on PATH, and $PM_CHROMIUM), and PM_REQUIRE_BROWSER=1; install it with: apt-get install -y chromium")
		}
		t.Skip("no Chromium found on PATH (apt-get install -y chromium, or set PM_CHROMIUM); skipping the browser test")
	}
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

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
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
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()

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

	file := func(rel string) string {
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(out, filepath.FromSlash(rel)))}).String()
	}
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(js string) int {
		t.Helper()
		n, err := chromedp.Run(bctx, chromedp.Evaluate[int](js))
		if err != nil {
			t.Fatalf("evaluate %s: %v", js, err)
		}
		return n
	}
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
		chromedp.Poll[chromedp.Void](visible+" === 1", chromedp.WithPollingTimeout(5*time.Second)))
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
		chromedp.Poll[chromedp.Void](visible+" === 1", chromedp.WithPollingTimeout(5*time.Second)))
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
	if _, err := chromedp.Call(bctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
	}); err != nil {
		t.Fatal(err)
	}
	if n := eval(`getComputedStyle(document.body).backgroundColor === "rgb(20, 23, 26)" ? 1 : 0`); n != 1 {
		t.Errorf("prefers-color-scheme: dark does not darken the page")
	}
	shot("stats-dark.png")
	do("open an incident in the dark", chromedp.Navigate(file("incidents/2026-11-24-api-returns-502.html")), chromedp.WaitVisible(chromedp.ID("pm-hypotheses")))
	shot("incident-dark.png")
	if _, err := chromedp.Call(bctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}

	// On a phone the index still reads.
	do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)), chromedp.Navigate(file("index.html")), chromedp.WaitVisible(chromedp.ID("q")))
	if n := eval(`document.documentElement.scrollWidth <= window.innerWidth + 1 ? 1 : 0`); n != 1 {
		t.Errorf("the index scrolls sideways on a phone")
	}
	shot("index-phone.png")

	mu.Lock()
	defer mu.Unlock()
	for _, e := range exceptions {
		t.Errorf("uncaught exception in a page: %s", e)
	}
	t.Logf("screenshots in %s", shots)
}
