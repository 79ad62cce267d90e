package site

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// xssCorpus is a repository of hostile incidents: script tags, event
// handlers and javascript:, vbscript: and data: links in every field a
// person can type, hostile file names, ids, services and tags. Each
// payload sets window.__xss, which the browser test checks too.
var xssCorpus = map[string]string{
	"postmortems/\"><svg onload=window.__xss=1>.md": `---
id: ../../../evil
title: <script>window.__xss=2</script>
status: <img src=x onerror=window.__xss=3>
severity: "<b onmouseover=window.__xss=4>SEV1"
started: 2026-11-20T10:00:00Z
resolved: 2026-11-20T11:00:00Z
commander: "<script>window.__xss=5</script>"
authors: ["<img src=x onerror=window.__xss=6>"]
services: ["<script>window.__xss=7</script>", "../../etc", "..", "a/b", "\" onmouseover=\"window.__xss=8", "javascript:window.__xss=9"]
tags: ["<img src=x onerror=window.__xss=10>", ".", "..\\..\\windows"]
---

# <script>window.__xss=11</script>

## Summary

</script><script>window.__xss=12</script> and <img src=x onerror="window.__xss=13"> in a summary.

<script>window.__xss=14</script>

<iframe src="javascript:window.__xss=15"></iframe>

<div onclick="window.__xss=16">raw block</div>

## <img src=x onerror=window.__xss=17> heading

[a](javascript:window.__xss=18) [b](JaVaScRiPt:window.__xss=19) [c](java&#x09;script:window.__xss=20)
[d](vbscript:msgbox) [e](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MjE8L3NjcmlwdD4=)
<javascript:window.__xss=22> [f](<javascript:window.__xss=23>) [g](&#106;avascript:window.__xss=24)
![h](javascript:window.__xss=25) ![i](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)
[k][r] [t](https://ok.example/ "x\" onmouseover=\"window.__xss=26") [u](%6Aavascript:window.__xss=27)
[v](  javascript:window.__xss=28) [w](file:///etc/passwd) [x](/absolute/path) [y](\\evil.example/x)
<a href="javascript:window.__xss=29">inline a</a> <b onclick="window.__xss=30">bold</b>

[r]: javascript:window.__xss=31

## Investigation log
- ` + "`2026-11-20T10:01:00Z`" + ` **observe** <script>window.__xss=32</script> [l](javascript:window.__xss=33) _(<img src=x onerror=window.__xss=34>)_
- ` + "`2026-11-20T10:02:00Z`" + ` **hypothesis H1** <img src=x onerror=window.__xss=35> _(bob)_
- ` + "`2026-11-20T10:03:00Z`" + ` **refuted H1** [no](javascript:window.__xss=36) _(bob)_
- ` + "`2026-11-20T10:04:00Z`" + ` **down** <svg/onload=window.__xss=37> — it is down _(bob)_
- ` + "`2026-11-20T10:05:00Z`" + ` **note** first line
  ` + "```" + `
  </code></pre><script>window.__xss=38</script>
  ` + "```" + `

## Action items
- [ ] <script>window.__xss=39</script> — @<script>window.__xss=40</script>, due 2026-01-01, prevent, javascript://%0Awindow.__xss=41
- [ ] [m](javascript:window.__xss=42) — @bob, due 2026-12-01, detect, [OPS-1](javascript:window.__xss=43)
`,
	"postmortems/..md": `---
title: Dots
status: closed
started: 2026-11-19T10:00:00Z
services: ["<script>window.__xss=44</script>"]
---

# Dots
`,
	"postmortems/2026-11-18-benign.md": `---
title: A benign neighbour
status: closed
severity: SEV3
started: 2026-11-18T10:00:00Z
services: [api]
---

# A benign neighbour

[the hostile one](%22%3E%3Csvg%20onload=window.__xss=1%3E.md)
`,
}

// safeName is what every file the site writes is named like: slugs, the
// assets and the marker.
var safeName = regexp.MustCompile(`^(\.pm-site|[a-z0-9_-]+(/[a-z0-9_-]+)*(\.[0-9]+)?(\.html|\.css|\.js|\.xml|\.svg))$`)

// TestXSS renders the hostile corpus and finds nothing executable: no
// script but the site's own, no event handler attribute, no javascript:,
// vbscript: or data: URL, no frame or object, no file outside the site.
func TestXSS(t *testing.T) {
	root := repoWith(t, xssCorpus)
	before := files(t, root)
	res, out := build(t, root)
	if res.Incidents != 3 {
		t.Fatalf("published %d incidents, want 3", res.Incidents)
	}
	after := files(t, root)
	for _, f := range after {
		if !strings.HasPrefix(f, "_site/") && !slices.Contains(before, f) {
			t.Errorf("wrote %s outside the output folder", f)
		}
	}
	all := files(t, out)
	for _, f := range all {
		if !safeName.MatchString(f) {
			t.Errorf("unsafe file name %q", f)
		}
		if strings.HasSuffix(f, ".html") {
			checkInert(t, f, filepath.Join(out, f))
		}
	}
	// The feed and the search index only carry text.
	b, _ := os.ReadFile(filepath.Join(out, "feed.xml"))
	if err := xml.Unmarshal(b, new(struct{})); err != nil {
		t.Errorf("feed.xml: %v", err)
	}
	for _, f := range []string{"search-0.js", "catalog.js"} {
		js, _ := os.ReadFile(filepath.Join(out, "assets", f))
		if len(js) == 0 || bytes.Contains(js, []byte("<")) {
			t.Errorf("assets/%s is empty or holds a raw <", f)
		}
	}
	if idx := searchIndex(t, out); len(idx) != 3 {
		t.Errorf("search index has %d texts", len(idx))
	}
	// The hostile text is shown, escaped, not dropped.
	page := filepath.Join(out, "incidents", slugify(`"><svg onload=window.__xss=1>`)+".html")
	p, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"&lt;script&gt;window.__xss=2&lt;/script&gt;", "&lt;div onclick=", "inline a"} {
		if !bytes.Contains(p, []byte(want)) {
			t.Errorf("incident page does not show %q as text", want)
		}
	}
	// The link between incidents still works for a hostile file name.
	benign := parseHTML(t, filepath.Join(out, "incidents", "2026-11-18-benign.html"))
	if !slices.Contains(links(benign), slugify(`"><svg onload=window.__xss=1>`)+".html") {
		t.Errorf("benign incident does not link the hostile one: %v", links(benign))
	}
}

// dangerous reports whether a URL attribute would run or smuggle code.
func dangerous(v string) bool {
	v = strings.ToLower(strings.Map(func(r rune) rune {
		if r <= 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, html.UnescapeString(v)))
	for _, s := range []string{"javascript:", "vbscript:", "data:", "file:"} {
		if strings.HasPrefix(v, s) {
			return true
		}
	}
	return false
}

// checkInert parses one page and fails on anything that could run.
func checkInert(t *testing.T, rel, file string) {
	t.Helper()
	doc := parseHTML(t, file)
	root := strings.Repeat("../", strings.Count(rel, "/"))
	walk(doc, func(n *html.Node) {
		switch n.Data {
		case "script":
			src, _ := attr(n, "src")
			if src != root+"assets/site.js" || text(n) != "" {
				t.Errorf("%s: a script that is not the site's: src=%q %q", rel, src, text(n))
			}
		case "iframe", "frame", "object", "embed", "base", "applet", "svg" + "x":
			t.Errorf("%s: <%s> element", rel, n.Data)
		case "meta":
			if v, ok := attr(n, "http-equiv"); ok {
				t.Errorf("%s: meta http-equiv=%q", rel, v)
			}
		case "form":
			if id, _ := attr(n, "id"); id != "filters" {
				t.Errorf("%s: a form that is not the site's", rel)
			}
		}
		for _, a := range n.Attr {
			k := strings.ToLower(a.Key)
			if strings.HasPrefix(k, "on") {
				t.Errorf("%s: <%s %s=%q>", rel, n.Data, a.Key, a.Val)
			}
			switch k {
			case "href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "background", "cite":
				if dangerous(a.Val) {
					t.Errorf("%s: <%s %s=%q>", rel, n.Data, a.Key, a.Val)
				}
			case "style", "srcdoc":
				t.Errorf("%s: <%s %s=%q>", rel, n.Data, a.Key, a.Val)
			}
		}
	})
}
