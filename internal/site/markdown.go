package site

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	stdimage "image"
	_ "image/gif"  // imageSize reads GIF headers
	_ "image/jpeg" // and JPEG
	_ "image/png"  // and PNG
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	gmtext "github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// md is the one goldmark set-up of the site: GitHub's tables, task lists,
// strikethrough, bare links and footnotes, headings with ids, and never raw HTML
// (html.WithUnsafe is left off on purpose; rawHTMLRenderer shows it as
// text). goldmark's parser and renderer are safe for concurrent use.
var md = goldmark.New(
	goldmark.WithExtensions(extension.GFM, extension.Footnote),
	goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(siteRenderer{}, 100))),
)

// siteRenderer overrides goldmark's rendering of raw HTML, which it would
// drop silently, to show it escaped as the author typed it, and of
// headings, to add an anchor link to each, and of task list boxes, to
// name them: a box without a label says nothing to a screen reader (axe:
// label, critical).
type siteRenderer struct{}

func (siteRenderer) RegisterFuncs(r renderer.NodeRendererFuncRegisterer) {
	r.Register(ast.KindHTMLBlock, renderHTMLBlock)
	r.Register(ast.KindRawHTML, renderRawHTML)
	r.Register(ast.KindHeading, renderHeading)
	r.Register(east.KindTaskCheckBox, renderTaskBox)
}

func renderTaskBox(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	if node.(*east.TaskCheckBox).IsChecked {
		_, _ = w.WriteString(`<input checked="" disabled="" type="checkbox" aria-label="done"> `)
	} else {
		_, _ = w.WriteString(`<input disabled="" type="checkbox" aria-label="not done"> `)
	}
	return ast.WalkContinue, nil
}

// The renderers write to goldmark's buffered writer, whose error goldmark
// checks when it flushes; the writes here ignore it as goldmark's own do.
func renderHTMLBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	t := htmlBlockText(node.(*ast.HTMLBlock), src)
	if onlyComments(t) {
		return ast.WalkSkipChildren, nil // invisible on GitHub too: notes to editors, pm-lint-disable
	}
	_, _ = w.WriteString(`<pre class="raw-html"><code>` + html.EscapeString(t) + "</code></pre>\n")
	return ast.WalkSkipChildren, nil
}

// htmlBlockText is the source of a block of raw HTML.
func htmlBlockText(n *ast.HTMLBlock, src []byte) string {
	var b strings.Builder
	lines := n.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	if n.HasClosure() {
		b.Write(n.ClosureLine.Value(src))
	}
	return b.String()
}

// onlyComments reports whether s is HTML comments and space and nothing
// else: what a reader of the markdown on GitHub never sees, so the site
// does not show it either. Other raw HTML is shown as text.
func onlyComments(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	for s != "" {
		if !strings.HasPrefix(s, "<!--") {
			return false
		}
		end := strings.Index(s[4:], "-->")
		if end < 0 {
			return false
		}
		s = strings.TrimSpace(s[4+end+3:])
	}
	return true
}

func renderRawHTML(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.RawHTML)
	var raw strings.Builder
	for i := range n.Segments.Len() {
		seg := n.Segments.At(i)
		raw.Write(seg.Value(src))
	}
	t := raw.String()
	if onlyComments(t) {
		return ast.WalkSkipChildren, nil
	}
	_, _ = w.WriteString(`<code class="raw-html">` + html.EscapeString(t) + "</code>")
	return ast.WalkSkipChildren, nil
}

func renderHeading(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	tag := "h" + string("0123456"[n.Level])
	if entering {
		_, _ = w.WriteString("<" + tag)
		if n.Attributes() != nil {
			gmhtml.RenderAttributes(w, node, gmhtml.HeadingAttributeFilter)
		}
		_ = w.WriteByte('>')
		return ast.WalkContinue, nil
	}
	if id, ok := n.AttributeString("id"); ok {
		if b, ok := id.([]byte); ok && len(b) > 0 {
			_, _ = w.WriteString(` <a class="anchor" href="#` + html.EscapeString(url.PathEscape(string(b))) + `" aria-label="Link to this section">#</a>`)
		}
	}
	_, _ = w.WriteString("</" + tag + ">\n")
	return ast.WalkContinue, nil
}

// linkClass is what a link or image destination is, for the rules of
// sanitize.
type linkClass int

const (
	linkBad      linkClass = iota // a scheme that could run code or smuggle a document: javascript:, vbscript:, data:, file: ...
	linkExternal                  // http, https, mailto, or protocol-relative
	linkFragment                  // "#section" on the same page
	linkRelative                  // a path beside the incident file
	linkRooted                    // "/path": depends on where the site is served, so it cannot work everywhere
)

// classify reads a destination the way a browser would: entities decoded,
// and tabs, newlines and other control characters and spaces (which
// browsers strip or skip) removed before the scheme is read. Only schemes
// on the allow list pass; "JaVaScRiPt:" and "java&#x09;script:" do not.
func classify(dest string) linkClass {
	d := html.UnescapeString(dest)
	d = strings.Map(func(r rune) rune {
		if r <= 0x20 || r == 0x7f || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, d)
	if d == "" {
		return linkBad
	}
	if d[0] == '#' {
		return linkFragment
	}
	if i := strings.IndexAny(d, ":/?#\\"); i > 0 && d[i] == ':' {
		switch strings.ToLower(d[:i]) {
		case "http", "https", "mailto":
			return linkExternal
		}
		return linkBad
	}
	if strings.HasPrefix(d, "//") {
		return linkExternal
	}
	if d[0] == '/' || d[0] == '\\' {
		return linkRooted
	}
	return linkRelative
}

// imageExts are the image types copied beside a page. SVG is left out: an
// SVG file opened on its own runs its scripts with the site's origin.
var imageExts = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true, ".avif": true, ".bmp": true}

// image is a file to copy beside an incident's page. Its fields are
// exported for the memo (see record).
type image struct {
	Src  string // absolute path in the repository
	Dest string // slash-separated, relative to the page's folder
	St   stamp  // the file when its size was read
}

// mdContext is what sanitize needs to know about the document it cleans.
type mdContext struct {
	s      *site
	p      *page
	src    []byte // the markdown parsed
	offset int    // byte offset of src in the incident file, for line numbers
}

// sanitize makes a parsed document safe and its links work on the site:
// links and images with a scheme off the allow list lose their link and
// keep their text; links to other incident files point to their pages;
// relative images are queued to be copied beside the page, unless they
// leave the repository; other relative and rooted links, which would be
// broken on the site, become plain text.
func (c *mdContext) sanitize(doc ast.Node) {
	var bad []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			dest, ok := c.link(string(n.Destination))
			if !ok {
				bad = append(bad, n)
			} else {
				n.Destination = []byte(dest)
			}
		case *ast.Image:
			dest, ok := c.image(n, string(n.Destination))
			if !ok {
				bad = append(bad, n)
			} else {
				n.Destination = []byte(dest)
			}
		case *ast.AutoLink:
			if classify(string(n.URL(c.src))) != linkExternal {
				bad = append(bad, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range bad {
		unwrap(n, c.src)
	}
}

// unwrap replaces a link by its text and an image by "[image: ALT]".
func unwrap(n ast.Node, src []byte) {
	parent := n.Parent()
	if parent == nil {
		return
	}
	switch n := n.(type) {
	case *ast.Image:
		parent.ReplaceChild(parent, n, ast.NewString([]byte("[image: "+plainText(n, src)+"]")))
	case *ast.AutoLink:
		parent.ReplaceChild(parent, n, ast.NewString(n.Label(src)))
	default:
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
}

// link returns the destination a link gets on the site, or false when it
// must lose its link.
func (c *mdContext) link(dest string) (string, bool) {
	switch classify(dest) {
	case linkExternal, linkFragment:
		return dest, true
	case linkRelative:
		p, frag, _ := strings.Cut(dest, "#")
		p, _, _ = strings.Cut(p, "?")
		p, err := url.PathUnescape(p)
		if err != nil || c.p == nil || !strings.HasSuffix(p, ".md") {
			return "", false
		}
		target := filepath.Join(filepath.Dir(c.p.in.Path), filepath.FromSlash(p))
		if filepath.Dir(target) != filepath.Dir(c.p.in.Path) {
			return "", false
		}
		id := strings.TrimSuffix(filepath.Base(target), ".md")
		other := c.s.byID[id]
		dep := linkDep{ID: id}
		if other != nil {
			dep.Slug = other.Slug
		}
		c.p.links = append(c.p.links, dep)
		if other == nil {
			return "", false
		}
		if frag != "" {
			frag = "#" + frag
		}
		return other.Slug + ".html" + frag, true
	}
	return "", false
}

// image returns the destination an image gets on the site, queueing a
// relative one to be copied beside the page, or false when it must go.
func (c *mdContext) image(n *ast.Image, dest string) (string, bool) {
	switch classify(dest) {
	case linkExternal:
		return dest, true
	case linkRelative:
	default:
		return "", false
	}
	if c.p == nil {
		return "", false
	}
	where := c.p.display()
	if l := c.line(n); l > 0 {
		where += ":" + itoa(l)
	}
	p, _, _ := strings.Cut(dest, "#")
	p, _, _ = strings.Cut(p, "?")
	p, err := url.PathUnescape(p)
	if err != nil || p == "" {
		c.warn("%s: image %q is not a path; left out", where, dest)
		return "", false
	}
	if !imageExts[strings.ToLower(path.Ext(p))] {
		c.warn("%s: image %q is not a png, jpeg, gif, webp, avif or bmp file; left out", where, dest)
		return "", false
	}
	abs := filepath.Join(filepath.Dir(c.p.in.Path), filepath.FromSlash(p))
	rel, ok := c.s.insideRoot(abs)
	c.p.places = append(c.p.places, place{Abs: abs, Rel: rel})
	if !ok {
		c.warn("%s: image %q leaves the repository; left out (keep images inside the repository)", where, dest)
		return "", false
	}
	// Beside the page, in a folder named after it: at the same relative
	// path when it stays below the incident folder, else under files/ by
	// its path in the repository.
	to := path.Clean(p)
	if strings.HasPrefix(to, "../") || to == ".." || path.IsAbs(to) {
		to = "files/" + rel
	}
	to = c.p.Slug + "/" + to
	if !fsValid(to) {
		c.warn("%s: image %q has a path the site cannot hold; left out", where, dest)
		return "", false
	}
	st := stampFile(abs)
	c.p.images = append(c.p.images, image{Src: abs, Dest: to, St: st})
	if w, h, ok := imageSize(abs); ok {
		// The browser keeps the image's room while it loads, so the text
		// below does not jump (CSS scales it down to the column).
		n.SetAttributeString("width", []byte(itoa(w)))
		n.SetAttributeString("height", []byte(itoa(h)))
	}
	return to, true
}

// imageSize reads the width and height of a PNG, JPEG or GIF file from its
// header; other types and unreadable files give false, and the image is
// shown without them.
func imageSize(file string) (w, h int, ok bool) {
	fi, err := os.Stat(file)
	if err != nil || !fi.Mode().IsRegular() {
		return 0, 0, false // a named pipe would block the build
	}
	f, err := os.Open(file)
	if err != nil {
		return 0, 0, false
	}
	defer f.Close()
	cfg, _, err := stdimage.DecodeConfig(f)
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return 0, 0, false
	}
	return cfg.Width, cfg.Height, true
}

// warn is a warning about the incident being analysed: kept with its
// record, so that a build that reuses the analysis warns the same.
func (c *mdContext) warn(format string, args ...any) {
	c.p.warns = append(c.p.warns, fmt.Sprintf(format, args...))
}

// line is the 1-based line in the incident file where n starts, or 0.
func (c *mdContext) line(n ast.Node) int {
	off := -1
	_ = ast.Walk(n, func(m ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := m.(*ast.Text); ok && entering {
			off = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if off < 0 || c.p == nil || c.offset < 0 {
		return 0
	}
	return bytes.Count(c.p.doc.Bytes()[:min(c.offset+off, len(c.p.doc.Bytes()))], []byte{'\n'}) + 1
}

// plainText is the text a person reads in n, for summaries, alt text and
// the search index.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	appendText(&b, n, src)
	return strings.TrimSpace(b.String())
}

func appendText(b *strings.Builder, n ast.Node, src []byte) {
	_ = ast.Walk(n, func(m ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if m.Type() == ast.TypeBlock && b.Len() > 0 {
				b.WriteByte(' ')
			}
			return ast.WalkContinue, nil
		}
		switch m := m.(type) {
		case *ast.Text:
			b.Write(m.Segment.Value(src))
			if m.SoftLineBreak() || m.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(m.Value)
		case *ast.AutoLink:
			b.Write(m.Label(src))
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock:
			if t := htmlBlockText(m, src); !onlyComments(t) {
				b.WriteString(t)
			}
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			lines := m.Lines()
			for i := range lines.Len() {
				s := lines.At(i)
				b.Write(s.Value(src))
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
}

// parse parses markdown with the site's parser.
func parse(src []byte) ast.Node {
	return md.Parser().Parse(gmtext.NewReader(src))
}

// render renders one node (and its children) to HTML.
func render(b *bytes.Buffer, src []byte, n ast.Node) {
	// goldmark renders into memory here; its only errors come from the
	// writer, and a bytes.Buffer does not fail.
	_ = md.Renderer().Render(bufWriter{b}, src, n)
}

// bufWriter lets goldmark write straight into a bytes.Buffer: given a
// plain io.Writer it would wrap it in a new 4 KB bufio.Writer on every
// call, which for 10,000 incidents is most of the garbage of a build.
type bufWriter struct{ *bytes.Buffer }

func (bufWriter) Flush() error  { return nil }
func (bufWriter) Buffered() int { return 0 }

// inlineSpecial are the characters that may make a line of text more than
// text in markdown; a line without them is only escaped, which is most of
// a log and much faster than parsing it.
const inlineSpecial = "`*_[]<>&\\!~:@"

// inline renders one line of markdown (an entry's text, an action item)
// without a surrounding paragraph, as safely as a whole document.
func (c *mdContext) inline(s string) template.HTML {
	if !strings.ContainsAny(s, inlineSpecial) && !strings.Contains(s, "www.") {
		return template.HTML(template.HTMLEscapeString(s))
	}
	src := []byte(s)
	doc := parse(src)
	para := doc.FirstChild()
	if para == nil || para.NextSibling() != nil || para.Kind() != ast.KindParagraph {
		return template.HTML(template.HTMLEscapeString(s))
	}
	sub := *c
	sub.src, sub.offset = src, -1
	sub.sanitize(doc)
	var b bytes.Buffer
	for n := para.FirstChild(); n != nil; n = n.NextSibling() {
		render(&b, src, n)
	}
	return template.HTML(b.String())
}

// fsValid reports whether a slash-separated path stays inside the folder it
// is relative to.
func fsValid(p string) bool {
	if p == "" || strings.Contains(p, "\\") || strings.HasPrefix(p, "/") {
		return false
	}
	for _, e := range strings.Split(p, "/") {
		if e == "" || e == "." || e == ".." {
			return false
		}
	}
	return true
}
