package site

import (
	"bytes"
	"crypto/sha1"
	"encoding/xml"
	"fmt"
	"sort"
	"strings"
	"time"
)

// feedSize is how many incidents the feed carries, the most recently
// changed first; readers only look at what is new.
const feedSize = 50

// The Atom (RFC 4287) elements the feed uses.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	Title      string         `xml:"title"`
	ID         string         `xml:"id"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Author     *atomPerson    `xml:"author,omitempty"`
	Link       atomLink       `xml:"link"`
	Categories []atomCategory `xml:"category"`
	Summary    atomText       `xml:"summary"`
}

// urn is a stable id for a name: a name-based UUID (RFC 4122 version 5
// layout over SHA-1), so an incident keeps its feed id wherever the site
// is served.
func urn(name string) string {
	h := sha1.Sum([]byte("pm-site:" + name))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// writeFeed writes feed.xml. Links are absolute with a base URL and
// relative to the feed without one; every date comes from the incidents.
func (s *site) writeFeed() error {
	ps := append([]*page(nil), s.incidents...)
	sort.SliceStable(ps, func(i, j int) bool {
		if !ps[i].Updated.Equal(ps[j].Updated) {
			return ps[i].Updated.After(ps[j].Updated)
		}
		return ps[i].ID < ps[j].ID
	})
	if len(ps) > feedSize {
		ps = ps[:feedSize]
	}
	base := s.opt.BaseURL
	feed := atomFeed{Title: s.opt.Title, ID: urn("feed:" + s.opt.Title), Author: atomPerson{Name: s.opt.Title}}
	feed.Links = []atomLink{{Rel: "alternate", Type: "text/html", Href: base + "index.html"}}
	if base != "" {
		feed.Links = append(feed.Links, atomLink{Rel: "self", Type: "application/atom+xml", Href: base + "feed.xml"})
		feed.ID = base
	}
	var updated time.Time
	for _, p := range ps {
		up := p.Updated
		if up.IsZero() {
			up = time.Unix(0, 0)
		}
		updated = latest(updated, up)
		e := atomEntry{
			Title:   fmt.Sprintf("%s: %s (%s)", p.Severity, p.Title, p.Status),
			ID:      urn("incident:" + p.ID),
			Updated: atomTime(up),
			Link:    atomLink{Rel: "alternate", Type: "text/html", Href: base + "incidents/" + p.Slug + ".html"},
		}
		if p.Severity == "" {
			e.Title = fmt.Sprintf("%s (%s)", p.Title, p.Status)
		}
		if !p.Started.IsZero() {
			e.Published = atomTime(p.Started)
		}
		if p.Commander != "" {
			e.Author = &atomPerson{Name: p.Commander}
		}
		for _, g := range p.Services {
			e.Categories = append(e.Categories, atomCategory{Term: g.Name})
		}
		for _, g := range p.Tags {
			e.Categories = append(e.Categories, atomCategory{Term: g.Name})
		}
		var sum []string
		if p.Summary != "" {
			sum = append(sum, p.Summary)
		}
		facts := "Started " + dateOr(p.Started, "unknown")
		if p.HasTTR() {
			facts += ", resolved after " + human(p.TTR)
		}
		sum = append(sum, facts+".")
		e.Summary = atomText{Type: "text", Body: strings.Join(sum, " ")}
		feed.Entries = append(feed.Entries, e)
	}
	if updated.IsZero() {
		updated = time.Unix(0, 0)
	}
	feed.Updated = atomTime(updated)
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(feed); err != nil {
		return err
	}
	b.WriteByte('\n')
	return s.writeFile("feed.xml", b.Bytes())
}

func dateOr(t time.Time, or string) string {
	if t.IsZero() {
		return or
	}
	return t.UTC().Format("2006-01-02")
}
