package site

import (
	"bytes"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/pm-tool/pm/internal/incident"
	"github.com/pm-tool/pm/templates"
)

// testNow is "today" for every test build.
var testNow = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// assets are the templates pm ships.
func assets(t testing.TB) fs.FS {
	t.Helper()
	a, err := fs.Sub(templates.Site, "site")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// repoWith writes files (path → content, slash-separated, relative to a
// new repository root) and returns the root.
func repoWith(t testing.TB, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, c := range files {
		abs := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(abs, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// load parses every root/postmortems/*.md as pm does.
func load(t testing.TB, root string) []Input {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(root, "postmortems", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(paths)
	var out []Input
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		d, err := incident.Parse(filepath.Base(p), src)
		if err != nil {
			t.Fatalf("test incident %s does not parse: %v", p, err)
		}
		out = append(out, Input{ID: strings.TrimSuffix(filepath.Base(p), ".md"), Path: p, Doc: d})
	}
	return out
}

// build builds the site of root into root/_site.
func build(t testing.TB, root string, mod ...func(*Options)) (Result, string) {
	t.Helper()
	out := filepath.Join(root, "_site")
	opt := Options{Out: out, Root: root, Title: "Post-mortems", Now: testNow, Severities: []string{"SEV1", "SEV2", "SEV3", "SEV4"}, Assets: assets(t)}
	for _, m := range mod {
		m(&opt)
	}
	res, err := Build(load(t, root), opt)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return res, opt.Out
}

// files lists the files of a folder, slash-separated and sorted.
func files(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// parseHTML parses one page of the site.
func parseHTML(t testing.TB, file string) *html.Node {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	n, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return n
}

// walk calls f for every element.
func walk(n *html.Node, f func(*html.Node)) {
	if n.Type == html.ElementNode {
		f(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attr(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

// text is the text content of n.
func text(n *html.Node) string {
	var b strings.Builder
	var rec func(*html.Node)
	rec = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rec(c)
		}
	}
	rec(n)
	return b.String()
}

// byID finds the element with that id.
func byID(root *html.Node, id string) *html.Node {
	var found *html.Node
	walk(root, func(n *html.Node) {
		if v, ok := attr(n, "id"); ok && v == id && found == nil {
			found = n
		}
	})
	return found
}

// links returns every href and src of a page.
func links(doc *html.Node) []string {
	var out []string
	walk(doc, func(n *html.Node) {
		for _, a := range n.Attr {
			if a.Key == "href" || a.Key == "src" {
				out = append(out, a.Val)
			}
		}
	})
	return out
}

// resolveLocal returns the file a relative link of the page at rel points
// to, or "" for a link that is not relative (a scheme, a fragment only).
func resolveLocal(rel, link string) (string, string) {
	u, err := url.Parse(link)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" {
		return "", ""
	}
	return path.Join(path.Dir(rel), u.Path), u.Fragment
}
