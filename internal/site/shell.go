package site

import (
	"bytes"
	"html/template"
	"strings"
)

// An incident's page is its main part (incidentHTML, written by hand) in
// the layout template. Executing the layout costs more than everything
// else of a page at 10,000 pages (html/template walks it by reflection),
// and all that differs from one incident's layout to the next are four
// fields. So the layout is executed once with a marker in each, cut at
// the markers, and a page is the pieces with its own values between
// them, escaped as the template escapes them. newShell checks that
// against the template itself on a hostile probe, and a page whose values
// the shell cannot reproduce (a canonical link the template would
// rewrite) is executed as before: the output is the same either way.
type shell struct {
	pieces []string // around the holes: len(holes)+1
	holes  []hole
}

// hole is a field an incident's layout fills.
type hole int

const (
	holeTitle       hole = iota // text: <title>
	holeDescription             // attribute: the meta description
	holeSlug                    // inside the canonical link's URL
	holeMain                    // the page's main part, HTML
)

// holeMarks are the markers: letters and digits only, which no escaper
// of html/template changes, in no context.
var holeMarks = [...]string{"pmHOLEtitle7q", "pmHOLEdesc7q", "pmHOLEslug7q", "pmHOLEmain7q"}

// incidentShells are the layouts of an incident page without and with a
// diagram (whose page loads mermaid); nil when the templates do not fit.
func (s *site) incidentShells() [2]*shell {
	var out [2]*shell
	for i, diagram := range []bool{false, true} {
		sh := s.newShell(diagram)
		if sh == nil {
			return [2]*shell{}
		}
		out[i] = sh
	}
	return out
}

// newShell executes incident.html's layout with markers and cuts it, or
// returns nil when that would not give what executing it gives.
func (s *site) newShell(diagram bool) *shell {
	mark := &page{Title: holeMarks[holeTitle], Summary: holeMarks[holeDescription], Slug: holeMarks[holeSlug],
		MainHTML: template.HTML(holeMarks[holeMain]), HasDiagram: diagram}
	var b bytes.Buffer
	if err := s.tpl["incident.html"].ExecuteTemplate(&b, "layout", s.incidentView(mark)); err != nil {
		return nil
	}
	sh := &shell{}
	rest := b.String()
	for {
		at, which := -1, hole(0)
		for h, m := range holeMarks {
			if i := strings.Index(rest, m); i >= 0 && (at < 0 || i < at) {
				at, which = i, hole(h)
			}
		}
		if at < 0 {
			break
		}
		sh.pieces = append(sh.pieces, rest[:at])
		sh.holes = append(sh.holes, which)
		rest = rest[at+len(holeMarks[which]):]
	}
	sh.pieces = append(sh.pieces, rest)
	// The probe: every character an escaper of html/template treats
	// specially, invalid UTF-8, and a summary long enough to be cut.
	probe := &page{Title: "A \"quoted\" <b>&amp;</b> it's 1+1 \x00 \xff ü —", Slug: "2026-11-24-a_b.c",
		Summary: strings.Repeat("x<y & \"z\" 'w' +1 ", 20), MainHTML: "<p>main &amp; <b>bold</b></p>", HasDiagram: diagram}
	var want bytes.Buffer
	if err := s.tpl["incident.html"].ExecuteTemplate(&want, "layout", s.incidentView(probe)); err != nil {
		return nil
	}
	got, ok := sh.fill(nil, s, probe)
	if !ok || !bytes.Equal(got, want.Bytes()) {
		return nil
	}
	return sh
}

// incidentView is the layout's data for an incident's page.
func (s *site) incidentView(p *page) view {
	return s.view("incidents/"+p.Slug+".html", p.Title, "", p)
}

// fill appends p's page to b, or reports false when the shell cannot
// write it as the template would.
func (sh *shell) fill(b []byte, s *site, p *page) ([]byte, bool) {
	v := s.incidentView(p)
	for i, h := range sh.holes {
		b = append(b, sh.pieces[i]...)
		switch h {
		case holeTitle:
			b = appendEscaped(b, v.Title)
		case holeDescription:
			b = appendEscaped(b, v.Description)
		case holeSlug:
			if !urlSafe(p.Slug) {
				return nil, false
			}
			b = append(b, p.Slug...)
		case holeMain:
			b = append(b, p.MainHTML...)
		}
	}
	return append(b, sh.pieces[len(sh.pieces)-1]...), true
}

// appendEscaped escapes s as html/template does text and quoted
// attribute values (its htmlReplacementTable).
func appendEscaped(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case 0:
			r = "\uFFFD"
		case '"':
			r = "&#34;"
		case '&':
			r = "&amp;"
		case '\'':
			r = "&#39;"
		case '+':
			r = "&#43;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		default:
			continue
		}
		b = append(append(b, s[last:i]...), r...)
		last = i + 1
	}
	return append(b, s[last:]...)
}

// urlSafe reports whether s is made of the characters a URL keeps as
// they are, as every slug is.
func urlSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return s != ""
}
