package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"encoding/json"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/pm-tool/pm/internal/incident"
)

// Memo is where Build keeps what it learnt in the last build, so that the
// next one renders only the pages whose inputs changed (issue 17: one
// changed incident among 10,000 is a second's work, not a full build's).
// Load returns what Store was last given, or nil; Store replaces it
// atomically. A memo that is lost, damaged or of another version costs one
// full build, never a wrong page: every reuse is checked against a hash of
// everything the page is made of.
type Memo interface {
	Load() []byte
	Store([]byte)
}

// memoVersion names the memo's layout and what its keys hash. Change it
// whenever a page comes to depend on something the keys do not cover.
const memoVersion = "pm-site-memo 1\n"

// memo is what one build leaves for the next.
type memo struct {
	Out     string                 // the output folder the pages' stamps are of
	Records map[string]*record     // by incident id
	Pages   map[string]pageMemo    // by slug
	Related map[string]relatedMemo // by incident id
}

// relatedMemo is what an incident's related block listed, and the hash of
// what its ranking read of the incident (relatedKey).
type relatedMemo struct {
	Key [32]byte
	Top []relatedRef
}

// relatedRef is one related incident as a page lists it.
type relatedRef struct{ ID, Shared string }

// record is what the site needs of one incident beyond its page: what
// analyse reads from the markdown for the tables, the search index, the
// feed and the action items, and what the analysis looked at outside the
// file, so that a record is only used while all of that is as it was.
type record struct {
	Key        [32]byte // recordKey of the file and the options analysis reads
	Summary    string
	WordsJSON  string // the search index's entry, as JSON
	HasDiagram bool
	Updated    time.Time
	Actions    []actionRecord
	Warns      []string  // what analysis warned about the incident
	Links      []linkDep // the other incidents its links named
	Images     []image   // the images it shows, with their stamps
}

// actionRecord is an action item as analysis renders it; its state is
// worked out again on each build (it depends on today).
type actionRecord struct {
	Text, Plain, Owner, Due, Kind, TicketURL, TicketText string
	Done                                                 bool
}

// linkDep is a link to another incident's file and the slug it resolved
// to ("" when there was no such incident): slugs move when incidents are
// added, and then the link must be rendered again.
type linkDep struct{ ID, Slug string }

// stamp is a written file as stat sees it: a page is reused only while
// the file in the old site is the one this build's predecessor wrote.
type stamp struct {
	Size, Mtime int64
	Ino         uint64
	OK          bool // the file existed
}

// pageMemo is an incident page of the last build: the hash of its inputs
// and the stamp of the file written.
type pageMemo struct {
	Key   [32]byte
	Stamp stamp
}

// loadMemo reads the last build's memo; an empty one when there is none
// or it cannot be read.
func loadMemo(m Memo) *memo {
	out := &memo{Records: map[string]*record{}, Pages: map[string]pageMemo{}, Related: map[string]relatedMemo{}}
	if m == nil {
		return out
	}
	b := m.Load()
	if !bytes.HasPrefix(b, []byte(memoVersion)) {
		return out
	}
	var got memo
	if gob.NewDecoder(bytes.NewReader(b[len(memoVersion):])).Decode(&got) != nil || got.Records == nil || got.Pages == nil || got.Related == nil {
		return out
	}
	return &got
}

// storeMemo keeps what this build learnt for the next one.
func (s *site) storeMemo(out string) {
	if s.opt.Memo == nil {
		return
	}
	next := memo{Out: out, Records: make(map[string]*record, len(s.incidents)), Pages: make(map[string]pageMemo, len(s.incidents)),
		Related: make(map[string]relatedMemo, len(s.incidents))}
	for _, p := range s.incidents {
		rm := relatedMemo{Key: p.relKey}
		for _, r := range p.Related {
			rm.Top = append(rm.Top, relatedRef{ID: r.Page.ID, Shared: r.Shared})
		}
		next.Related[p.ID] = rm
		if p.rec == nil || p.stamp == nil || !p.stamp.OK {
			continue
		}
		next.Records[p.ID] = p.rec
		next.Pages[p.Slug] = pageMemo{Key: p.pageKey, Stamp: *p.stamp}
	}
	var b bytes.Buffer
	b.WriteString(memoVersion)
	if gob.NewEncoder(&b).Encode(next) != nil {
		return
	}
	s.opt.Memo.Store(b.Bytes())
}

// hasher builds the keys: fields written with their lengths, so that no
// two different lists of fields hash alike.
type hasher struct{ b []byte }

func (h *hasher) str(s string) *hasher {
	h.b = binary.AppendUvarint(h.b, uint64(len(s)))
	h.b = append(h.b, s...)
	return h
}

func (h *hasher) int(n int64) *hasher {
	h.b = binary.AppendVarint(h.b, n)
	return h
}

func (h *hasher) sum() [32]byte { return sha256.Sum256(h.b) }

// recordKey hashes what analyse reads: the file, where it is (links and
// images are relative to it, warnings name it), the repository root
// (images must lie inside it) and the zone times are shown in.
func (s *site) recordKey(p *page, src []byte) [32]byte {
	h := &hasher{b: make([]byte, 0, len(src)+256)}
	h.str(memoVersion).str(p.in.ID).str(p.in.Path).str(p.display()).str(s.opt.Root).str(s.loc().String()).str(string(src))
	return h.sum()
}

// optionsKey hashes what every incident page depends on besides its
// incident: the options and every template and asset.
func (s *site) optionsKey() [32]byte {
	h := &hasher{}
	h.str(memoVersion).str(s.opt.Title).str(s.opt.BaseURL).str(s.loc().String())
	h.int(int64(len(s.opt.Severities)))
	for _, v := range s.opt.Severities {
		h.str(v)
	}
	if s.opt.noShells {
		h.str("no shells")
	}
	_ = fs.WalkDir(s.opt.Assets, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, _ := fs.ReadFile(s.opt.Assets, path)
		h.str(path).str(string(b))
		return nil
	})
	return h.sum()
}

// pageKey hashes everything an incident's page is made of: its incident
// (through the record's key), the options, its slug, the groups it links
// to, the related incidents it lists and the state of its action items.
func (s *site) pageKey(p *page, opts [32]byte) [32]byte {
	h := &hasher{}
	h.str(string(p.rec.Key[:])).str(string(opts[:])).str(p.Slug)
	for _, gs := range [][]*group{p.Services, p.Tags} {
		h.int(int64(len(gs)))
		for _, g := range gs {
			h.str(g.Kind).str(g.Name).str(g.Slug)
		}
	}
	h.int(int64(len(p.Related)))
	for _, r := range p.Related {
		q := r.Page
		h.str(q.Slug).str(q.Title).str(q.Severity).str(q.SevClass).str(q.StartedDate).str(r.Shared)
		h.int(int64(len(r.causes)))
		for _, c := range r.causes {
			h.str(c)
		}
	}
	for _, a := range p.Actions {
		h.str(a.State)
	}
	return h.sum()
}

// relatedKey hashes what ranking related incidents reads of one (see
// incident.Related): its id, start, services, tags, title and confirmed
// hypotheses.
func relatedKey(p *page) [32]byte {
	d := p.doc
	h := &hasher{}
	h.str(memoVersion).str(incident.ID(d)).str(d.Meta.Title).str(d.Title)
	if t := d.Meta.Started; t.IsZero() {
		h.str("undated")
	} else {
		h.str("started").int(t.Unix()).int(int64(t.Nanosecond()))
	}
	for _, list := range [][]string{d.Meta.Services, d.Meta.Tags} {
		h.int(int64(len(list)))
		for _, v := range list {
			h.str(v)
		}
	}
	for _, hy := range d.Hypotheses {
		if hy.State == "confirmed" {
			h.str(hy.Text)
		}
	}
	return h.sum()
}

// rankAgain says which incidents' related incidents must be ranked anew,
// nil for all of them (no memo, or two incidents of one id). A ranking
// compares one incident with the others, so it can only have moved when
// the incident changed (or is new), or when one it listed changed or is
// gone, or when a changed or new one shares something with it (spread
// adds those, which need the index).
func (s *site) rankAgain() []bool {
	if s.opt.Memo == nil || len(s.byID) != len(s.incidents) {
		if s.opt.Memo != nil {
			for _, p := range s.incidents {
				p.relKey = relatedKey(p)
			}
		}
		return nil
	}
	_ = s.parallel(len(s.incidents), func(i int) error {
		p := s.incidents[i]
		p.relKey = relatedKey(p)
		return nil
	})
	changed := map[string]bool{}
	for id := range s.last.Related {
		if s.byID[id] == nil {
			changed[id] = true // gone
		}
	}
	for _, p := range s.incidents {
		if m, ok := s.last.Related[p.ID]; !ok || m.Key != p.relKey {
			changed[p.ID] = true
		}
	}
	again := make([]bool, len(s.incidents))
	for i, p := range s.incidents {
		again[i] = changed[p.ID]
		for _, r := range s.last.Related[p.ID].Top {
			if changed[r.ID] || s.byID[r.ID] == nil {
				again[i] = true
			}
		}
	}
	s.changedRel = changed
	return again
}

// spread marks for ranking again every incident that shares a service, a
// tag or a word with a changed one: the changed one may now rank among
// its related incidents.
func (s *site) spread(x *incident.RelatedIndex, again []bool, byDoc map[*incident.Doc]*page) {
	at := make(map[*page]int, len(s.incidents))
	for i, p := range s.incidents {
		at[p] = i
	}
	for _, p := range s.incidents {
		if !s.changedRel[p.ID] {
			continue
		}
		x.Sharing(p.doc, func(d *incident.Doc) {
			if q := byDoc[d]; q != nil {
				again[at[q]] = true
			}
		})
	}
}

// newRecord is what analyse found in p, for the next build.
func (s *site) newRecord(p *page, key [32]byte) *record {
	r := &record{Key: key, Summary: p.Summary, WordsJSON: p.wordsJSON, HasDiagram: p.HasDiagram, Updated: p.Updated,
		Warns: p.warns, Links: p.links, Images: p.images}
	for _, a := range p.Actions {
		r.Actions = append(r.Actions, actionRecord{Text: string(a.Text), Plain: a.Plain, Owner: a.Owner, Due: a.Due, Kind: a.Kind,
			TicketURL: a.TicketURL, TicketText: a.TicketText, Done: a.Done})
	}
	return r
}

// valid reports whether what the record's analysis looked at outside the
// file is as it was: the slugs its links resolved to and its images.
func (r *record) valid(s *site) bool {
	for _, l := range r.Links {
		slug := ""
		if o := s.byID[l.ID]; o != nil {
			slug = o.Slug
		}
		if slug != l.Slug {
			return false
		}
	}
	for _, im := range r.Images {
		if stampFile(im.Src) != im.St {
			return false
		}
	}
	return true
}

// apply gives p what analysis would: the record's findings.
func (s *site) apply(p *page, r *record) {
	p.rec = r
	p.Summary, p.wordsJSON, p.HasDiagram, p.warns, p.links, p.images = r.Summary, r.WordsJSON, r.HasDiagram, r.Warns, r.Links, r.Images
	p.Updated = latest(p.Updated, r.Updated)
	if p.HasDiagram {
		s.diagrams.Store(true)
	}
	p.Actions = nil
	for _, a := range r.Actions {
		v := actionView{Text: template.HTML(a.Text), Plain: a.Plain, Owner: a.Owner, Due: a.Due, Kind: a.Kind,
			TicketURL: a.TicketURL, TicketText: a.TicketText, Done: a.Done, Incident: p}
		s.actionState(&v)
		p.Actions = append(p.Actions, v)
	}
}

// recall finds, for every incident, whether its last analysis still
// holds: then p has what analyse would give it, and its page may be the
// old one. The others are analysed when their pages are rendered.
func (s *site) recall(last *memo) error {
	return s.parallel(len(s.incidents), func(i int) error {
		p := s.incidents[i]
		r := last.Records[p.ID]
		if r == nil {
			return nil
		}
		src := p.doc.Bytes()
		if p.in.Load != nil {
			b, err := os.ReadFile(p.in.Path)
			if err != nil {
				return nil // analysed anew, which reports what is wrong
			}
			src = b
		}
		if s.recordKey(p, src) == r.Key && r.valid(s) {
			s.apply(p, r)
		}
		return nil
	})
}

// reuse links p's page from the last build into the new site when its
// inputs are the ones that page was made of and the file is the one
// written then; it reports whether it did.
func (s *site) reuse(p *page, last *memo, out string) bool {
	pm, ok := last.Pages[p.Slug]
	if !ok || pm.Key != p.pageKey || last.Out != out {
		return false
	}
	rel := filepath.Join("incidents", p.Slug+".html")
	old := filepath.Join(out, rel)
	if stampFile(old) != pm.Stamp {
		return false
	}
	if os.Link(old, filepath.Join(s.dir, rel)) != nil {
		return false
	}
	st := pm.Stamp
	p.stamp = &st
	s.files.Add(1)
	return true
}

// collectWarnings adds what analysis found of every incident to the
// build's warnings, once, however each incident was analysed.
func (s *site) collectWarnings() {
	for _, p := range s.incidents {
		s.warns = append(s.warns, p.warns...)
	}
	sort.Strings(s.warns)
}

// wordsJSON is an incident's search index entry as the search script's
// JSON array holds it, encoded once when it is analysed.
func wordsJSON(words string) string {
	b, _ := json.Marshal(words) // a string always encodes
	return string(b)
}
