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
	w := func(s string) { b.WriteString(s) } // a strings.Builder never fails
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
	w := func(s string) { b.WriteString(s) } // a strings.Builder never fails
	w("<ol class=\"log\">\n")
	for i, e := range entries {
		id := "log-" + itoa(i+1)
		w(`<li class="entry k-` + esc(e.Kind) + `" id="` + id + `">`)
		if e.Day != "" {
			w(`<span class="day">` + e.Day + `</span>`)
		}
		w(`<time datetime="` + e.ISO + `">` + e.Clock + `</time>`)
		if e.Offset != "" {
			w(`<span class="offset">` + e.Offset + `</span>`)
		}
		w(`<a class="permalink" href="#` + id + `" aria-label="Link to entry ` + itoa(i+1) + `">#</a>`)
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

// incidentHTML is the main part of an incident's page: the header with
// milestones, the hypotheses, and the markdown with the log and the action
// items in their places. The page's layout around it stays a template.
func incidentHTML(p *page, root string) template.HTML {
	var b strings.Builder
	b.Grow(4096 + len(p.LogHTML))
	w := func(s string) { b.WriteString(s) } // a strings.Builder never fails
	w("<article class=\"incident\">\n<header class=\"incident-head\">\n")
	w(`<p class="crumbs"><a href="` + root + `index.html">Incidents</a> / <span class="mono">` + esc(p.ID) + "</span></p>\n")
	w("<h1>" + esc(p.Title) + "</h1>\n<p class=\"badges\">")
	if p.Severity != "" {
		w(`<span class="sev ` + p.SevClass + `">` + esc(p.Severity) + `</span> `)
	}
	w(`<span class="status st-` + esc(p.Status) + `">` + esc(p.Status) + `</span>`)
	for _, g := range p.Services {
		w(` <a class="chip" href="` + root + g.Href() + `">` + esc(g.Name) + `</a>`)
	}
	for _, g := range p.Tags {
		w(` <a class="tag" href="` + root + g.Href() + `">` + esc(g.Name) + `</a>`)
	}
	w("</p>\n")
	if p.Commander != "" || len(p.Authors) > 0 {
		w(`<p class="people">`)
		if p.Commander != "" {
			w("Commander <strong>" + esc(p.Commander) + "</strong>")
		}
		if len(p.Authors) > 0 {
			if p.Commander != "" {
				w(" · ")
			}
			w("Written by " + esc(strings.Join(p.Authors, ", ")))
		}
		w("</p>\n")
	}
	w(`<ol class="milestones" aria-label="Milestones">`)
	for _, m := range p.Milestones {
		if m.Set {
			w("\n<li class=\"set\"><span class=\"m-name\">" + m.Name + `</span><time class="m-time" datetime="` + m.ISO + `">` + m.Text + `</time>`)
		} else {
			w("\n<li class=\"unset\"><span class=\"m-name\">" + m.Name + `</span><span class="m-time muted">not yet</span>`)
		}
		if m.GapText != "" {
			w(`<span class="m-gap">+` + m.GapText + `</span>`)
		}
		w("</li>")
	}
	w("\n</ol>\n")
	if p.TTRText != "" {
		w(`<p class="ttr">Resolved ` + p.TTRText + " after impact began.</p>\n")
	}
	w("</header>\n")
	if len(p.Hypotheses) > 0 {
		w("<section class=\"hypotheses\" aria-labelledby=\"pm-hypotheses\">\n<h2 id=\"pm-hypotheses\">Hypotheses</h2>\n<ul>")
		for _, h := range p.Hypotheses {
			id := "hyp-" + hypAnchor(h.ID)
			w("\n<li class=\"hyp h-" + esc(h.State) + `" id="` + id + `"><a class="h-id" href="#` + id + `" aria-label="Link to hypothesis ` + esc(h.ID) + `">` + esc(h.ID) + `</a> <span class="h-state">` + esc(h.State) + `</span> <span class="h-text">`)
			w(string(h.Text))
			w(`</span>`)
			if h.Reason != "" {
				verb := "Refuted"
				if h.State == "confirmed" {
					verb = "Confirmed"
				}
				w(`<span class="h-reason">` + verb)
				if h.TookText != "" {
					w(" after " + h.TookText)
				}
				w(": " + string(h.Reason) + "</span>")
			}
			w("</li>")
		}
		w("\n</ul>\n</section>\n")
	}
	w(`<div class="body">`)
	for _, part := range p.Parts {
		switch part.Slot {
		case "log":
			w(string(p.LogHTML))
		case "actions":
			actionsHTML(&b, p.Actions)
		default:
			w(string(part.HTML))
		}
	}
	w("</div>\n")
	relatedHTML(&b, p.Related, root)
	w("</article>\n")
	return template.HTML(b.String())
}

// relatedHTML lists the earlier incidents most like this one, each with
// what it shares and its confirmed causes: the first thing a responder
// wants to know is whether this happened before and why.
func relatedHTML(b *strings.Builder, related []relatedView, root string) {
	if len(related) == 0 {
		return
	}
	w := func(s string) { b.WriteString(s) } // a strings.Builder never fails
	w("<section class=\"related\" aria-labelledby=\"pm-related\">\n<h2 id=\"pm-related\">Related incidents</h2>\n<ul>")
	for _, r := range related {
		q := r.Page
		w("\n<li><a href=\"" + root + "incidents/" + q.Slug + ".html\">" + esc(q.Title) + "</a> ")
		if q.Severity != "" {
			w(`<span class="sev ` + q.SevClass + `">` + esc(q.Severity) + `</span> `)
		}
		w(`<span class="muted">` + esc(q.StartedDate) + " · shares " + esc(r.Shared) + "</span>")
		for _, c := range r.Causes {
			w(` <span class="cause">Confirmed cause: ` + string(c) + "</span>")
		}
		w("</li>")
	}
	w("\n</ul>\n</section>\n")
}

// actionsHTML is the table of an incident's action items.
func actionsHTML(b *strings.Builder, actions []actionView) {
	w := func(s string) { b.WriteString(s) } // a strings.Builder never fails
	w(`<div class="table-wrap"><table class="actions">` + "\n" +
		`<thead><tr><th scope="col">State</th><th scope="col">Action</th><th scope="col">Owner</th><th scope="col">Due</th><th scope="col">Kind</th><th scope="col">Ticket</th></tr></thead>` + "\n<tbody>")
	for _, a := range actions {
		state := "open"
		switch {
		case a.Done:
			state = "✓ done"
		case a.Overdue:
			state = "overdue"
		}
		w("\n<tr class=\"a-" + a.State + `"><td><span class="astate">` + state + `</span></td><td>`)
		w(string(a.Text))
		w(`</td><td>` + esc(a.Owner) + `</td><td class="nowrap">` + esc(a.Due) + `</td><td>` + esc(a.Kind) + `</td><td>`)
		if a.TicketURL != "" {
			w(`<a href="` + esc(a.TicketURL) + `">` + esc(a.TicketText) + `</a>`)
		} else {
			w(esc(a.TicketText))
		}
		w("</td></tr>")
	}
	w("\n</tbody>\n</table></div>\n")
}

// hypAnchor is a hypothesis's id as a fragment: h1 for H1; anything else
// (ids are H and a number, but are typed by people) as a slug, which holds
// no character a fragment must escape.
func hypAnchor(id string) string {
	if l := strings.ToLower(id); l != "" && strings.Trim(l, "abcdefghijklmnopqrstuvwxyz0123456789") == "" {
		return l
	}
	return slugify(id)
}
