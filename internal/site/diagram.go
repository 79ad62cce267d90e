package site

import (
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"html"
	"io"

	"github.com/yuin/goldmark/ast"
)

// mermaidVersion is the vendored mermaid in diagram/ (see its README).
const mermaidVersion = "12.3.0"

// The files pages with a diagram load, from the site's root.
const (
	mermaidAsset  = "assets/mermaid-" + mermaidVersion + ".min.js"
	diagramsAsset = "assets/diagrams.js"
)

// diagramFiles holds mermaid (gzipped: it is 5.5 MB as it comes, a quarter
// of pm's binary) and the script that starts it.
//
//go:embed diagram/mermaid.min.js.gz diagram/diagrams.js
var diagramFiles embed.FS

// isDiagram reports whether n is a fenced code block written as a
// diagram: ```mermaid, as GitHub renders it.
func isDiagram(n ast.Node, src []byte) bool {
	fc, ok := n.(*ast.FencedCodeBlock)
	return ok && string(fc.Language(src)) == "mermaid"
}

// diagramHTML writes a diagram block: its source, escaped, in the element
// mermaid draws into; the source is what a reader sees without
// JavaScript, and in print if the script has not run.
func diagramHTML(b *bytes.Buffer, n ast.Node, src []byte) {
	b.WriteString(`<div class="diagram"><pre class="mermaid">`)
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.WriteString(html.EscapeString(string(seg.Value(src))))
	}
	b.WriteString("</pre></div>\n")
}

// writeDiagramAssets writes mermaid and its starter, when a page needs them.
func (s *site) writeDiagramAssets() error {
	if !s.diagrams.Load() {
		return nil
	}
	gz, err := diagramFiles.ReadFile("diagram/mermaid.min.js.gz")
	if err != nil {
		return err
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return fmt.Errorf("site: the vendored mermaid is damaged: %w", err)
	}
	js, err := io.ReadAll(zr)
	if err != nil {
		return fmt.Errorf("site: the vendored mermaid is damaged: %w", err)
	}
	start, err := diagramFiles.ReadFile("diagram/diagrams.js")
	if err != nil {
		return err
	}
	if err := s.writeFile(mermaidAsset, js); err != nil {
		return err
	}
	return s.writeFile(diagramsAsset, start)
}
