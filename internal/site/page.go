package site

import (
	"bytes"
	"html/template"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/yuin/goldmark/ast"

	"github.com/pm-tool/pm/internal/incident"
)

// page is one public incident and everything the site shows of it. The
// exported fields are what the templates read.
type page struct {
	in     Input
	doc    *incident.Doc
	images []image
	rank   int    // severity rank, for sorting (worst first)
	path   string // display(), kept once the document is let go

	ID, Slug, Title, Status, Severity, SevClass string
	Started, Detected, Mitigated, Resolved      time.Time
	Commander                                   string
	Authors                                     []string
	Services, Tags                              []*group
	TTR                                         time.Duration // started → resolved; 0 when not resolved
	Summary                                     string
	Milestones                                  []milestone
	Entries                                     []entryView
	LogHTML                                     template.HTML
	MainHTML                                    template.HTML // the page's main part, see incidentHTML
	Hypotheses                                  []hypView
	Actions                                     []actionView
	Parts                                       []part
	Related                                     []relatedView // earlier incidents most like this one
	HasDiagram                                  bool          // a ```mermaid block: the page loads mermaid
	Updated                                     time.Time     // the latest time the incident mentions, for the feed

	// Text the templates would otherwise compute for every row and page;
	// a template function call costs more than the page around it.
	StartedISO, StartedDate, StartedUnix string
	TTRText, TTRSeconds                  string
	ServiceNames, TagNames               string // newline-separated, for the script's filters

	rowRoot, rowSub template.HTML // the index row, for pages at the root and one folder down
	wordsJSON       string        // the search index's entry (searchText), as JSON

	// What the memo needs (memo.go): what analysis found, or the record
	// it was recalled from, and the page's inputs and file.
	warns    []string
	links    []linkDep
	places   []place
	rec      *record
	pageKey  [32]byte
	relKey   [32]byte // relatedKey, with a memo
	stamp    *stamp   // the page's file, once written
	analysed bool     // analyse ran on the whole document in this build
}

// display is the incident file's path as warnings name it.
func (p *page) display() string {
	if p.doc == nil {
		return p.path
	}
	if p.doc.Path != "" {
		return p.doc.Path
	}
	return p.in.Path
}

// HasTTR reports whether the incident has a time to resolve.
func (p *page) HasTTR() bool {
	return !p.Resolved.IsZero() && !p.Started.IsZero() && !p.Resolved.Before(p.Started)
}

// SevRank orders severities in tables, worst first.
func (p *page) SevRank() int { return p.rank }

// milestone is one of started, detected, mitigated, resolved, with the
// time since the one before.
type milestone struct {
	Name      string
	Time      time.Time
	ISO, Text string
	Gap       time.Duration // since the previous milestone that is set
	GapText   string
	Set       bool
}

// entryView is one log entry as the page shows it.
type entryView struct {
	Time   time.Time
	ISO    string
	Clock  string // 09:14:03
	Day    string // "2026-11-25", on the first entry of each day after the start
	Offset string // "+00:14" from the start of impact
	Kind   string // CSS class: observe, hypothesis, ...
	Label  string // "hypothesis H2", "down api"
	Text   template.HTML
	Block  string // the lines after the first, shown as a block
	Author string
}

// hypView is one hypothesis and its fate.
type hypView struct {
	ID       string
	State    string // open, confirmed, refuted
	Text     template.HTML
	Reason   template.HTML
	Opened   time.Time
	Closed   time.Time
	Took     time.Duration
	TookText string
}

// actionView is one action item.
type actionView struct {
	Text       template.HTML
	Plain      string
	Owner      string
	Due        string
	Kind       string
	TicketURL  string // set when the ticket is an http(s) link
	TicketText string
	Done       bool
	Overdue    bool
	State      string // done, overdue, open
	Incident   *page
}

// relatedView is an earlier incident like this one: what they share and
// what was found to cause it.
type relatedView struct {
	Page   *page
	Shared string          // "services api, nginx · tag config · words 502"
	score  int             // incident.Match's, for the memo
	causes []string        // its confirmed hypotheses, as written
	Causes []template.HTML // the same, rendered for this page
}

// part is a run of the incident's rendered markdown, or a slot where the
// page template puts the styled log or action items.
type part struct {
	HTML template.HTML
	Slot string // "", "log" or "actions"
}

// meta fills in what the index needs from the frontmatter alone; the
// markdown is read later, in parallel.
func (s *site) meta(p *page) {
	m := p.doc.Meta
	p.ID = p.in.ID
	p.Title = firstNonEmpty(m.Title, p.doc.Title, p.in.ID)
	p.Status = firstNonEmpty(m.Status, "unknown")
	p.Severity = m.Severity
	p.rank = s.rank(m.Severity)
	p.SevClass = "sev" + itoa(min(p.rank, 4))
	if m.Severity == "" {
		p.SevClass = "sevx"
	}
	p.Started, p.Detected, p.Mitigated, p.Resolved = m.Started, m.Detected, m.Mitigated, m.Resolved
	p.Commander = m.Commander
	p.Authors = m.Authors
	if p.HasTTR() {
		p.TTR = p.Resolved.Sub(p.Started)
		p.TTRText, p.TTRSeconds = human(p.TTR), strconv.FormatInt(int64(p.TTR/time.Second), 10)
	}
	if !p.Started.IsZero() {
		p.StartedISO = p.Started.UTC().Format(time.RFC3339)
		p.StartedDate = p.Started.In(s.loc()).Format("2006-01-02")
		p.StartedUnix = strconv.FormatInt(p.Started.Unix(), 10)
	} else {
		p.StartedUnix = "0"
	}
	p.Updated = latest(m.Started, m.Detected, m.Mitigated, m.Resolved) // and the log's times: analyse, or the record
}

// rank orders severities: configured ones by their place, others after.
// loc is the zone the site shows times in (Options.Location).
func (s *site) loc() *time.Location {
	if s.opt.Location != nil {
		return s.opt.Location
	}
	return time.UTC
}

func (s *site) rank(sev string) int {
	if r, ok := s.sevRank[sev]; ok {
		return r
	}
	return len(s.opt.Severities)
}

// analyse reads the incident's markdown: the body parts, the log,
// hypotheses and action items, the summary and the words to search.
func (s *site) analyse(p *page) {
	src := p.doc.Bytes()
	start := bodyStart(src)
	body := src[start:]
	c := &mdContext{s: s, p: p, src: body, offset: start}
	doc := parse(body)
	c.sanitize(doc)

	var words strings.Builder
	words.Grow(len(body))
	buf := getBuf()
	defer putBuf(buf)
	flush := func() {
		if buf.Len() > 0 {
			p.Parts = append(p.Parts, part{HTML: template.HTML(buf.String())})
			buf.Reset()
		}
	}
	section := ""
	seenH1, seenH2 := false, false
	logDone, actionsDone := false, false
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if isPlaceholder(n, body) {
			// A template's hint is no text of the incident: the reader sees
			// that the section is still to be written, and search skips it.
			notWritten(buf)
			continue
		}
		if h, ok := n.(*ast.Heading); !ok || h.Level > 2 {
			// The title and the section names ("Summary", "Impact") are no
			// words to find an incident by, and would start every snippet.
			appendText(&words, n, body)
			words.WriteByte(' ')
		}
		if h, ok := n.(*ast.Heading); ok && h.Level <= 2 {
			if h.Level == 1 && !seenH1 && !seenH2 {
				seenH1 = true // the title, shown in the page's header
				continue
			}
			if h.Level == 2 {
				seenH2 = true
			}
			section = strings.ToLower(plainText(h, body))
			render(buf, body, n)
			continue
		}
		if isDiagram(n, body) {
			diagramHTML(buf, n, body)
			p.HasDiagram = true
			s.diagrams.Store(true)
			continue
		}
		switch {
		case section == "investigation log" && n.Kind() == ast.KindList:
			if !logDone && len(p.doc.Entries) > 0 {
				flush()
				p.Parts = append(p.Parts, part{Slot: "log"})
				logDone = true
				continue
			}
			if logDone {
				continue
			}
		case section == "action items" && n.Kind() == ast.KindList:
			if !actionsDone && len(p.doc.Actions) > 0 {
				flush()
				p.Parts = append(p.Parts, part{Slot: "actions"})
				actionsDone = true
				continue
			}
			if actionsDone {
				continue
			}
		case section == "summary":
			if t := plainText(n, body); t != "" {
				p.Summary = strings.TrimSpace(p.Summary + " " + t)
			}
		}
		render(buf, body, n)
	}
	flush()
	if len(p.Summary) > 600 {
		p.Summary = truncate(p.Summary, 600)
	}

	loc := s.loc()
	day := ""
	for _, e := range p.doc.Entries {
		p.Updated = latest(p.Updated, e.Time)
		first, rest, _ := strings.Cut(e.Text, "\n")
		t := e.Time.In(loc)
		v := entryView{Time: e.Time, ISO: e.Time.UTC().Format(time.RFC3339), Clock: t.Format("15:04:05"),
			Kind: e.Kind, Label: e.Kind, Text: c.inline(first), Block: rest, Author: e.Author}
		if d := t.Format("2006-01-02"); d != day {
			// The first entry of each day names the date and the zone
			// the clock column is in.
			v.Day, day = t.Format("2006-01-02 MST"), d
		}
		switch {
		case e.Hypothesis != "":
			v.Label += " " + e.Hypothesis
		case e.System != "":
			v.Label += " " + e.System
		}
		if !p.Started.IsZero() {
			v.Offset = offset(e.Time.Sub(p.Started))
		}
		p.Entries = append(p.Entries, v)
	}
	p.LogHTML = logHTML(p.Entries)
	for _, h := range p.doc.Hypotheses {
		v := hypView{ID: h.ID, State: h.State, Text: c.inline(firstLine(h.Text)), Opened: h.Opened, Closed: h.Closed}
		if h.State != "open" {
			v.Reason = c.inline(firstLine(h.Reason))
			if !h.Closed.IsZero() && !h.Opened.IsZero() && !h.Closed.Before(h.Opened) {
				v.Took = h.Closed.Sub(h.Opened)
				v.TookText = human(v.Took)
			}
		}
		p.Hypotheses = append(p.Hypotheses, v)
	}
	for i := range p.Related {
		r := &p.Related[i]
		for _, c1 := range r.causes {
			r.Causes = append(r.Causes, c.inline(c1))
		}
	}
	for _, a := range p.doc.Actions {
		v := actionView{Text: c.inline(a.Text), Plain: a.Text, Owner: a.Owner, Due: a.Due, Kind: a.Kind, Done: a.Done, Incident: p}
		if a.Ticket != "" {
			v.TicketText = a.Ticket
			if classify(a.Ticket) == linkExternal && !strings.HasPrefix(strings.ToLower(a.Ticket), "mailto:") {
				v.TicketURL = a.Ticket
				v.TicketText = ticketLabel(a.Ticket)
			}
		}
		s.actionState(&v)
		p.Actions = append(p.Actions, v)
	}
	p.Milestones = milestones(p, loc)

	var meta strings.Builder
	meta.WriteString(p.ID + " " + p.Severity + " " + p.Status)
	for _, g := range p.Services {
		meta.WriteString(" " + g.Name)
	}
	for _, g := range p.Tags {
		meta.WriteString(" " + g.Name)
	}
	meta.WriteString(" " + p.Commander + " " + strings.Join(p.Authors, " "))
	p.wordsJSON = wordsJSON(searchText(words.String(), meta.String()))
	p.analysed = true
}

// actionState says whether an action item is done, overdue as of the
// build's today, or open. It is worked out on every build, from a fresh
// analysis or a recalled one: today moves, the incident need not.
func (s *site) actionState(v *actionView) {
	today := s.today()
	switch {
	case v.Done:
		v.State = "done"
	case v.Due != "" && isDate(v.Due) && v.Due < today:
		v.State, v.Overdue = "overdue", true
	default:
		v.State = "open"
	}
}

// notWritten writes what a reader sees in place of a template's hint.
func notWritten(b *bytes.Buffer) {
	b.WriteString("<p class=\"todo\">Not written yet.</p>\n")
}

// isPlaceholder reports whether a paragraph is a template's "_TODO: …_"
// hint, which is no summary.
func isPlaceholder(n ast.Node, src []byte) bool {
	if n.Kind() != ast.KindParagraph {
		return false
	}
	return strings.HasPrefix(plainText(n, src), "TODO:")
}

// bodyStart is the byte offset where the markdown starts: after a UTF-8 BOM
// and the frontmatter, found as incident.Parse finds it (the first
// non-blank line is "---", the next "---" line closes it).
func bodyStart(src []byte) int {
	pos := 0
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) {
		pos = 3
	}
	start := pos
	open := false
	for pos < len(src) {
		end := bytes.IndexByte(src[pos:], '\n')
		next := len(src)
		if end >= 0 {
			next = pos + end + 1
		}
		line := bytes.TrimSpace(src[pos:next])
		switch {
		case !open && len(line) == 0:
		case !open && string(line) == "---":
			open = true
		case !open:
			return start
		case string(line) == "---":
			return next
		}
		pos = next
	}
	return start
}

// milestones lists started, detected, mitigated and resolved with the time
// between each and the one before.
func milestones(p *page, loc *time.Location) []milestone {
	ms := []milestone{
		{Name: "Started", Time: p.Started},
		{Name: "Detected", Time: p.Detected},
		{Name: "Mitigated", Time: p.Mitigated},
		{Name: "Resolved", Time: p.Resolved},
	}
	var prev time.Time
	for i := range ms {
		m := &ms[i]
		m.Set = !m.Time.IsZero()
		if !m.Set {
			continue
		}
		m.ISO, m.Text = m.Time.UTC().Format(time.RFC3339), m.Time.In(loc).Format("2006-01-02 15:04 MST")
		if !prev.IsZero() && !m.Time.Before(prev) {
			m.Gap = m.Time.Sub(prev)
			m.GapText = human(m.Gap)
		}
		prev = m.Time
	}
	return ms
}

// ticketLabel is a short name for a ticket URL: its last path segment
// ("OPS-123"), else its host.
func ticketLabel(u string) string {
	t := strings.TrimRight(u, "/")
	if i := strings.LastIndexByte(t, '/'); i >= 0 && i+1 < len(t) && !strings.HasSuffix(t[:i], ":/") {
		return t[i+1:]
	}
	return u
}

func isDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

func latest(ts ...time.Time) time.Time {
	var t time.Time
	for _, u := range ts {
		if u.After(t) {
			t = u
		}
	}
	return t
}

// truncate shortens s to at most n bytes at a word boundary, with "…".
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexFunc(s[:n], unicode.IsSpace)
	if cut < n/2 {
		cut = n
		for cut > 0 && !isRuneStart(s[cut]) {
			cut--
		}
	}
	return strings.TrimSpace(s[:cut]) + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
