package site

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// diagramIncident has a mermaid diagram, and a second one that tries what
// an author's paste could: HTML in a label, a click handler, a link.
const diagramIncident = "---\nid: 2026-11-20-dns-retries\ntitle: DNS retries overload the resolver\nstatus: resolved\nseverity: SEV2\n" +
	"started: 2026-11-20T09:00:00Z\ndetected: 2026-11-20T09:05:00Z\nmitigated: 2026-11-20T09:20:00Z\nresolved: 2026-11-20T10:00:00Z\nservices: [dns]\n---\n\n" +
	"# DNS retries overload the resolver\n\n## Summary\n\nEvery client retried three times.\n\n" +
	"```mermaid\ngraph LR\n  C[Clients] -->|retry x3| R(Resolver)\n  R --> U{Upstream <ok>?}\n```\n\n" +
	"## Contributing factors\n\n" +
	"```mermaid\nflowchart TD\n  A[\"<img src=x onerror=window.__xss=1>Hostile\"] --> B[\"<script>window.__xss=2</script>\"]\n  click A call alert()\n  click B \"javascript:window.__xss=3\"\n```\n\n" +
	"```go\nfmt.Println(\"not a diagram\")\n```\n"

// TestDiagramFiles: mermaid is written, and loaded, only where a page has
// a diagram; the diagram's source is on the page, escaped, for readers
// without JavaScript; other code blocks stay code.
func TestDiagramFiles(t *testing.T) {
	_, out := build(t, repoWith(t, corpus))
	if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(mermaidAsset))); !os.IsNotExist(err) {
		t.Errorf("a site without diagrams has %s (%v)", mermaidAsset, err)
	}
	files := maps.Clone(corpus)
	files["postmortems/2026-11-20-dns-retries.md"] = diagramIncident
	_, out = build(t, repoWith(t, files))
	js, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(mermaidAsset)))
	if err != nil {
		t.Fatal(err)
	}
	if len(js) < 1<<20 || !strings.Contains(string(js[:200]), "mermaid") {
		t.Errorf("%s is %d bytes and starts %q: not mermaid", mermaidAsset, len(js), js[:min(len(js), 80)])
	}
	page := readFile(t, filepath.Join(out, "incidents", "2026-11-20-dns-retries.html"))
	for _, want := range []string{
		`<script src="../` + mermaidAsset + `"></script><script src="../` + diagramsAsset + `"></script>`,
		"<pre class=\"mermaid\">graph LR\n  C[Clients] --&gt;|retry x3| R(Resolver)\n  R --&gt; U{Upstream &lt;ok&gt;?}\n</pre>",
		`<code class="language-go">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the diagram incident's page lacks %q", want)
		}
	}
	if strings.Contains(page, "<img src=x") || strings.Contains(page, "<script>window") {
		t.Errorf("a diagram's label reaches the page as HTML")
	}
	for _, rel := range []string{"index.html", "incidents/2026-11-24-api-returns-502.html", "stats.html"} {
		if strings.Contains(readFile(t, filepath.Join(out, filepath.FromSlash(rel))), "mermaid") {
			t.Errorf("%s, which has no diagram, mentions mermaid", rel)
		}
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestBrowserDiagram opens an incident with diagrams in Chromium, from
// disk: mermaid draws each as SVG with its labels, in light and dark,
// without fetching anything; the hostile diagram's HTML and handlers do
// not run; axe finds nothing serious on the drawn page.
func TestBrowserDiagram(t *testing.T) {
	bctx := chromium(t, 90*time.Second)
	files := maps.Clone(corpus)
	files["postmortems/2026-11-20-dns-retries.md"] = diagramIncident
	_, out := build(t, repoWith(t, files))
	b := &tab{t: t, ctx: bctx, out: out}
	for _, dark := range []bool{false, true} {
		theme := map[bool]string{false: "light", true: "dark"}[dark]
		b.media("", dark)
		b.do("open the diagram incident", chromedp.Navigate(b.file("incidents/2026-11-20-dns-retries.html")),
			chromedp.Poll[chromedp.Void](`document.documentElement.getAttribute("data-diagrams")`, chromedp.WithPollingTimeout(20*time.Second)))
		if got := b.str(`document.documentElement.getAttribute("data-diagrams")`); got != "drawn" {
			t.Fatalf("%s: diagrams %s", theme, got)
		}
		if n := b.eval(`document.querySelectorAll("pre.mermaid svg").length`); n != 2 {
			t.Errorf("%s: %d diagrams drawn as SVG, want 2", theme, n)
		}
		labels := b.str(`Array.prototype.map.call(document.querySelector("pre.mermaid svg").querySelectorAll("text"), function(e){return e.textContent}).join("|")`)
		// mermaid drops what looks like a tag from a label, as on GitHub
		// (an author writes #lt;ok#gt; for <ok>).
		for _, want := range []string{"Clients", "Resolver", "retry x3", "Upstream ?"} {
			if !strings.Contains(labels, want) {
				t.Errorf("%s: the drawn diagram's text %q lacks %q", theme, labels, want)
			}
		}
		if got := b.str(`Array.prototype.map.call(performance.getEntriesByType("resource"), function(e){return e.name}).filter(function(u){return !/^file:/.test(u)}).join(" ")`); got != "" {
			t.Errorf("%s: the page fetched %s", theme, got)
		}
		// The clicks mermaid would bind with a looser securityLevel.
		b.eval(`(function(){document.querySelectorAll("pre.mermaid svg .node").forEach(function(n){n.dispatchEvent(new MouseEvent("click", {bubbles: true}))}); return 0})()`)
		if n := b.eval(`typeof window.__xss === "undefined" ? 0 : 1`); n != 0 {
			t.Errorf("%s: the hostile diagram ran script (window.__xss = %s)", theme, b.str(`String(window.__xss)`))
		}
		if n := b.eval(`document.querySelectorAll("pre.mermaid img, pre.mermaid script, pre.mermaid a[href^=javascript]").length`); n != 0 {
			t.Errorf("%s: the hostile diagram left %d img, script or javascript: links", theme, n)
		}
		if res := b.axe(axeSource(t)); res != "" {
			t.Errorf("axe on the drawn diagrams, %s theme:\n%s", theme, res)
		}
		b.shot("diagram-" + theme + ".png")
	}
}
