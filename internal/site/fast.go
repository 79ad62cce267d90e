package site

import (
	"html"
	"html/template"
	"strings"
)

// The two fragments every build repeats most, an incident's row in the
// tables (on the index and on each of its service and tag pages) and the
// entries of the investigation log, are written here in Go rather than in
// the templates: html/template spends about a microsecond on each action,
// which made them most of a build of 10,000 incidents. Every value goes
// through esc (html.EscapeString, safe in text and in quoted attributes);
// links are built from slugs, which hold no character that needs escaping.

// rowHTML is the <tr> of one incident; root leads from the page that
// shows the table to the root of the site.
func rowHTML(p *page, root string) template.HTML {
	var b strings.Builder
	b.Grow(1024)
	w := b.WriteString
	w(`<tr data-status="`)
	w(esc(p.Status))
	w(`" data-severity="`)
	w(esc(p.Severity))
	w(`" data-services="`)
	w(attrNL(p.ServiceNames))
	w(`" data-tags="`)
	w(attrNL(p.TagNames))
	w("\">\n<td data-v=\"")
	w(p.StartedUnix)
	w(`" class="nowrap">`)
	if p.StartedDate != "" {
		w(`<time datetime="` + p.StartedISO + `">` + p.StartedDate + `</time>`)
	}
	w("</td>\n<td data-v=\"")
	w(esc(p.Title))
	w(`"><a class="title" href="` + root + `incidents/` + p.Slug + `.html">`)
	w(esc(p.Title))
	w(`</a>`)
	if p.Summary != "" {
		w(`<span class="summary">` + esc(p.Summary) + `</span>`)
	}
	if len(p.Tags) > 0 {
		w(`<span class="tags">`)
		for _, g := range p.Tags {
			w(`<a class="tag" href="` + root + g.Href() + `">` + esc(g.Name) + `</a> `)
		}
		w(`</span>`)
	}
	w("</td>\n<td data-v=\"")
	w(itoa(p.rank))
	w(`">`)
	if p.Severity != "" {
		w(`<span class="sev ` + p.SevClass + `">` + esc(p.Severity) + `</span>`)
	}
	w("</td>\n<td data-v=\"")
	w(esc(p.Status))
	w(`"><span class="status st-` + esc(p.Status) + `">` + esc(p.Status) + "</span></td>\n<td data-v=\"")
	w(attrNL(p.ServiceNames))
	w(`">`)
	for i, g := range p.Services {
		if i > 0 {
			w(", ")
		}
		w(`<a href="` + root + g.Href() + `">` + esc(g.Name) + `</a>`)
	}
	w("</td>\n<td data-v=\"")
	w(p.TTRSeconds)
	w(`" class="nowrap num">`)
	if p.TTRText != "" {
		w(p.TTRText)
	} else {
		w(`<span class="muted">—</span>`)
	}
	w("</td>\n</tr>\n")
	return template.HTML(b.String())
}

// logHTML is the investigation log: one <li> per entry, styled by kind.
func logHTML(entries []entryView) template.HTML {
	var b strings.Builder
	b.Grow(256 * len(entries))
	w := b.WriteString
	w("<ol class=\"log\">\n")
	for _, e := range entries {
		w(`<li class="entry k-` + esc(e.Kind) + `">`)
		if e.Day != "" {
			w(`<span class="day">` + e.Day + `</span>`)
		}
		w(`<time datetime="` + e.ISO + `">` + e.Clock + `</time>`)
		if e.Offset != "" {
			w(`<span class="offset">` + e.Offset + `</span>`)
		}
		w("\n<span class=\"kind\">" + esc(e.Label) + `</span> <span class="text">`)
		w(string(e.Text))
		w(`</span>`)
		if e.Author != "" {
			w(` <span class="author">` + esc(e.Author) + `</span>`)
		}
		if e.Block != "" {
			w(`<pre><code>` + esc(e.Block) + `</code></pre>`)
		}
		w("</li>\n")
	}
	w("</ol>\n")
	return template.HTML(b.String())
}

func esc(s string) string { return html.EscapeString(s) }

// attrNL escapes a newline-separated list for an attribute, keeping the
// newlines as character references so that the value survives any
// reformatting of the page.
func attrNL(s string) string { return strings.ReplaceAll(esc(s), "\n", "&#10;") }
