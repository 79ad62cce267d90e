package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pm-tool/pm/internal/cachefile"
	"github.com/pm-tool/pm/internal/incident"
)

// Memo is where Build keeps what it learnt in the last build, so that the
// next one renders only the pages whose inputs changed (issue 17: one
// changed incident among 10,000 is a second's work, not a full build's).
// Load returns what the last Store's write wrote, or nil; Store replaces
// it atomically with what write writes (about size bytes), or leaves it
// when it cannot, or when a write to the writer fails. A memo that is lost, damaged or of another version costs one
// full build, never a wrong page: every reuse is checked against a hash of
// everything the page is made of.
type Memo interface {
	Load() []byte
	Store(size int, write func(io.Writer))
}

// memoVersion names the memo's layout and what its keys hash. Change it
// whenever a page comes to depend on something the keys do not cover.
const memoVersion = "pm-site-memo 2\n"

// renderedBy names the code that renders: the build of pm (its version,
// revision and Go) and the executable's stamp. A memo another pm wrote, an
// upgrade or a rebuild, is not used: its pages may have been rendered
// otherwise, and nothing in the keys would say so.
var renderedBy = sync.OnceValue(func() string {
	var b strings.Builder
	if bi, ok := debug.ReadBuildInfo(); ok {
		b.WriteString(bi.Main.Path + " " + bi.Main.Version + " " + bi.GoVersion)
		for _, kv := range bi.Settings {
			if strings.HasPrefix(kv.Key, "vcs.") {
				b.WriteString(" " + kv.Key + "=" + kv.Value)
			}
		}
	}
	if exe, err := os.Executable(); err == nil {
		st := stampFile(exe)
		fmt.Fprintf(&b, " %d %d %d", st.Size, st.Mtime, st.Ino)
	}
	return b.String()
})

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
type relatedRef struct {
	ID, Shared string
	Score      int
}

// record is what the site needs of one incident beyond its page: what
// analyse reads from the markdown for the tables, the search index, the
// feed and the action items, and what the analysis looked at outside the
// file, so that a record is only used while all of that is as it was.
type record struct {
	Key        [32]byte // recordKey of the file and the options analysis reads
	Summary    string
	words      string // the search index's entry, as JSON (wordsJSON)
	HasDiagram bool
	Updated    time.Time
	Actions    []actionRecord
	Warns      []string  // what analysis warned about the incident
	Links      []linkDep // the other incidents its links named
	Images     []image   // the images it shows, with their stamps
	Places     []place   // where each image it links is, inside the repository or not
}

// place is a relative image's file and where it was found to be: a
// symbolic link moved, the same file can come to lie outside the
// repository (and must not be published) or inside it.
type place struct {
	Abs, Rel string // Rel is "" when the file lies outside the repository
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
	Size, Mtime, Ctime int64
	Ino                uint64
	OK                 bool // the file existed
}

// pageMemo is an incident page of the last build: the hash of its inputs
// and the stamp of the file written.
type pageMemo struct {
	Key   [32]byte
	Stamp stamp
}

// loadMemo reads the last build's memo; an empty one when there is none
// or it cannot be read. Its strings share the memo's bytes (see
// cachefile.Reader.Str): a build reads 10,000 records without allocating
// their text.
func loadMemo(m Memo) *memo {
	out := &memo{Records: map[string]*record{}, Pages: map[string]pageMemo{}, Related: map[string]relatedMemo{}}
	if m == nil {
		return out
	}
	b, ok := bytes.CutPrefix(m.Load(), []byte(memoVersion))
	if !ok {
		return out
	}
	r := &cachefile.Reader{B: b}
	if r.Str() != renderedBy() {
		return out
	}
	got := &memo{Out: r.Str()}
	n, _ := r.Count()
	got.Records, got.Pages, got.Related = make(map[string]*record, n), make(map[string]pageMemo, n), make(map[string]relatedMemo, n)
	for range n {
		id, slug := r.Str(), r.Str()
		rec := &record{}
		key(r, &rec.Key)
		rec.Summary, rec.words, rec.HasDiagram, rec.Updated = r.Str(), r.Str(), r.Bool(), r.Time()
		na, _ := r.Count()
		for range na {
			rec.Actions = append(rec.Actions, actionRecord{Text: r.Str(), Plain: r.Str(), Owner: r.Str(), Due: r.Str(), Kind: r.Str(),
				TicketURL: r.Str(), TicketText: r.Str(), Done: r.Bool()})
		}
		rec.Warns = r.Strs()
		nl, _ := r.Count()
		for range nl {
			rec.Links = append(rec.Links, linkDep{ID: r.Str(), Slug: r.Str()})
		}
		ni, _ := r.Count()
		for range ni {
			rec.Images = append(rec.Images, image{Src: r.Str(), Dest: r.Str(), St: readStamp(r)})
		}
		np, _ := r.Count()
		for range np {
			rec.Places = append(rec.Places, place{Abs: r.Str(), Rel: r.Str()})
		}
		var pm pageMemo
		key(r, &pm.Key)
		pm.Stamp = readStamp(r)
		var rm relatedMemo
		key(r, &rm.Key)
		nr, _ := r.Count()
		for range nr {
			rm.Top = append(rm.Top, relatedRef{ID: r.Str(), Shared: r.Str(), Score: int(r.Varint())})
		}
		if r.Bad {
			return out
		}
		got.Records[id], got.Pages[slug], got.Related[id] = rec, pm, rm
	}
	if r.Bad || len(r.B) != 0 {
		return out
	}
	return got
}

// storeMemo keeps what this build learnt for the next one: for each
// incident whose page was written, its record, its page and its related
// incidents.
func (s *site) storeMemo(out string) {
	if s.opt.Memo == nil {
		return
	}
	var keep []*page
	size := 1 << 10
	for _, p := range s.incidents {
		if p.rec != nil && p.stamp != nil && p.stamp.OK {
			keep = append(keep, p)
			size += 256 + len(p.rec.words) + len(p.rec.Summary) + 128*len(p.rec.Actions) + 96*len(p.Related)
		}
	}
	s.opt.Memo.Store(size, func(to io.Writer) {
		s.encodeMemo(to, out, keep)
	})
}

// encodeMemo writes the memo of the pages keep to to, a few hundred
// incidents at a time: the whole memo in memory was 25 MB more at the
// build's peak.
func (s *site) encodeMemo(to io.Writer, out string, keep []*page) {
	w := &cachefile.Writer{B: make([]byte, 0, 256<<10)}
	flush := func() {
		_, _ = to.Write(w.B) // a failed write is the Memo's to notice (see Memo.Store)
		w.B = w.B[:0]
	}
	w.B = append(w.B, memoVersion...)
	w.Str(renderedBy())
	w.Str(out)
	w.Count(len(keep), false)
	for _, p := range keep {
		if len(w.B) > 192<<10 {
			flush()
		}
		r := p.rec
		w.Str(p.ID)
		w.Str(p.Slug)
		w.Bytes(r.Key[:])
		w.Str(r.Summary)
		w.Str(r.words)
		w.Bool(r.HasDiagram)
		w.Time(r.Updated)
		w.Count(len(r.Actions), false)
		for _, a := range r.Actions {
			for _, v := range []string{a.Text, a.Plain, a.Owner, a.Due, a.Kind, a.TicketURL, a.TicketText} {
				w.Str(v)
			}
			w.Bool(a.Done)
		}
		w.Strs(r.Warns)
		w.Count(len(r.Links), false)
		for _, l := range r.Links {
			w.Str(l.ID)
			w.Str(l.Slug)
		}
		w.Count(len(r.Images), false)
		for _, im := range r.Images {
			w.Str(im.Src)
			w.Str(im.Dest)
			writeStamp(w, im.St)
		}
		w.Count(len(r.Places), false)
		for _, pl := range r.Places {
			w.Str(pl.Abs)
			w.Str(pl.Rel)
		}
		w.Bytes(p.pageKey[:])
		writeStamp(w, *p.stamp)
		rel, rk := p.Related, p.relKey
		if len(s.byID) != len(s.incidents) {
			// Two incidents of one id: a list naming it names neither for
			// sure, so the next build ranks them all again.
			rel, rk = nil, [32]byte{}
		}
		w.Bytes(rk[:])
		w.Count(len(rel), false)
		for _, v := range rel {
			w.Str(v.Page.ID)
			w.Str(v.Shared)
			w.Varint(int64(v.score))
		}
	}
	flush()
}

// key reads a hash into k, or marks r bad.
func key(r *cachefile.Reader, k *[32]byte) {
	if b := r.Bytes(); len(b) == len(k) {
		copy(k[:], b)
	} else {
		r.Bad = true
	}
}

func writeStamp(w *cachefile.Writer, st stamp) {
	w.Varint(st.Size)
	w.Varint(st.Mtime)
	w.Varint(st.Ctime)
	w.Uvarint(st.Ino)
	w.Bool(st.OK)
}

func readStamp(r *cachefile.Reader) stamp {
	return stamp{Size: r.Varint(), Mtime: r.Varint(), Ctime: r.Varint(), Ino: r.Uvarint(), OK: r.Bool()}
}

// hasher builds the keys: fields in the cache files' encoding, each with
// its length, so that no two different lists of fields hash alike, into
// one buffer hashed once (SHA-256 is fastest over one run of bytes).
type hasher struct{ w cachefile.Writer }

// hashers are reused: a buffer for each of 10,000 page keys was a third
// of their cost, and the keys of every page a tenth of a build that
// reuses them all.
var hashers = sync.Pool{New: func() any { return &hasher{w: cachefile.Writer{B: make([]byte, 0, 4096)}} }}

func newHasher() *hasher {
	h := hashers.Get().(*hasher)
	h.w.B = h.w.B[:0]
	return h
}

func (h *hasher) str(s string) *hasher {
	h.w.Str(s)
	return h
}

func (h *hasher) int(n int64) *hasher {
	h.w.Varint(n)
	return h
}

// sum is the key; the hasher is not used after it.
func (h *hasher) sum() [32]byte {
	k := sha256.Sum256(h.w.B)
	hashers.Put(h)
	return k
}

// recordKey hashes what analyse reads: the file (by its SHA-256, sum), where it is (links and
// images are relative to it, warnings name it), the repository root
// (images must lie inside it) and the zone times are shown in.
func (s *site) recordKey(p *page, sum [32]byte) [32]byte {
	h := newHasher()
	h.str(memoVersion).str(p.in.ID).str(p.in.Path).str(p.display()).str(s.opt.Root).str(s.zone).str(string(sum[:]))
	return h.sum()
}

// zoneKey names the zone times are shown in by its rules, not only its
// name (a tzdata update changes the rules under the same name): its name
// and offset twice a day from 1970 to 2050, hashed.
func zoneKey(loc *time.Location) string {
	h := newHasher()
	h.str(loc.String())
	prev, prevOff := "", 0
	for t := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC); t.Year() < 2050; t = t.Add(12 * time.Hour) {
		name, off := t.In(loc).Zone()
		if name != prev || off != prevOff {
			h.int(t.Unix()).str(name).int(int64(off))
			prev, prevOff = name, off
		}
	}
	k := h.sum()
	return string(k[:])
}

// optionsKey hashes what every incident page depends on besides its
// incident: the options and every template and asset.
func (s *site) optionsKey() [32]byte {
	h := newHasher()
	h.str(memoVersion).str(s.opt.Title).str(s.opt.BaseURL).str(s.zone)
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
	h := newHasher()
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
	h := newHasher()
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
	if s.opt.Memo == nil {
		return nil
	}
	_ = s.parallel(len(s.incidents), func(i int) error {
		p := s.incidents[i]
		p.relKey = relatedKey(p)
		return nil
	})
	if len(s.byID) != len(s.incidents) {
		return nil
	}
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

// spread marks for ranking again every incident with which a changed one
// now scores as high as the last related incident it lists (or at all,
// when it lists fewer than are shown): the changed one may rank among
// them now. The others keep their ranking, since nothing else they are
// compared with changed.
func (s *site) spread(x *incident.RelatedIndex, again []bool, byDoc map[*incident.Doc]*page) {
	at := make(map[*page]int, len(s.incidents))
	for i, p := range s.incidents {
		at[p] = i
		if p.doc.Meta.Started.IsZero() {
			// Undated: every dated incident counts as earlier, and the
			// index Scores walks holds none of them.
			again[i] = true
		}
	}
	for _, p := range s.incidents {
		if !s.changedRel[p.ID] {
			continue
		}
		x.Scores(p.doc, func(d *incident.Doc, score int) {
			q := byDoc[d]
			if q == nil {
				return
			}
			top := s.last.Related[q.ID].Top
			if len(top) < relatedShown || score >= top[len(top)-1].Score {
				again[at[q]] = true
			}
		})
	}
}

// newRecord is what analyse found in p, for the next build.
func (s *site) newRecord(p *page, key [32]byte) *record {
	r := &record{Key: key, Summary: p.Summary, words: p.wordsJSON, HasDiagram: p.HasDiagram, Updated: p.Updated,
		Warns: p.warns, Links: p.links, Images: p.images, Places: p.places}
	for _, a := range p.Actions {
		r.Actions = append(r.Actions, actionRecord{Text: string(a.Text), Plain: a.Plain, Owner: a.Owner, Due: a.Due, Kind: a.Kind,
			TicketURL: a.TicketURL, TicketText: a.TicketText, Done: a.Done})
	}
	return r
}

// valid reports whether what the record's analysis looked at outside the
// file is as it was: the slugs its links resolved to, its images' stamps
// and whether each image lies inside the repository.
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
	for _, pl := range r.Places {
		if rel, _ := s.insideRoot(pl.Abs); rel != pl.Rel {
			return false
		}
	}
	return true
}

// apply gives p what analysis would: the record's findings.
func (s *site) apply(p *page, r *record) {
	p.rec = r
	p.Summary, p.wordsJSON, p.HasDiagram, p.warns, p.links, p.images, p.places = r.Summary, r.words, r.HasDiagram, r.Warns, r.Links, r.Images, r.Places
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
		sum := p.in.Sum
		if sum == ([32]byte{}) {
			src := p.doc.Bytes()
			if p.in.Load != nil {
				b, err := os.ReadFile(p.in.Path)
				if err != nil {
					return nil // analysed anew, which reports what is wrong
				}
				src = b
			}
			sum = sha256.Sum256(src)
		}
		if s.recordKey(p, sum) == r.Key && r.valid(s) {
			s.apply(p, r)
		}
		return nil
	})
}

// reusable reports whether p's page in the old site is the one this
// build would write: its inputs are the ones that page was made of, and
// the file is the one written then. linkOld then puts it in the new site.
func (s *site) reusable(p *page) bool {
	pm, ok := s.last.Pages[p.Slug]
	if !ok || pm.Key != p.pageKey || s.last.Out != s.out {
		return false
	}
	if stampPage(filepath.Join(s.out, "incidents", p.Slug+".html")) != pm.Stamp {
		return false
	}
	st := pm.Stamp
	p.stamp = &st
	return true
}

// settleStamps finishes the stamps of the pages now in out: their change
// time, which linking and removing the old site have moved, is that of
// the file as it stays. A page whose size, mtime or inode is no longer
// the one written was changed by someone since, and is not kept in the
// memo (its stamp is no longer OK).
func (s *site) settleStamps(out string) {
	_ = s.parallel(len(s.incidents), func(i int) error {
		p := s.incidents[i]
		if p.stamp == nil || !p.stamp.OK {
			return nil
		}
		now := stampPage(filepath.Join(out, "incidents", p.Slug+".html"))
		if now.Size != p.stamp.Size || now.Mtime != p.stamp.Mtime || now.Ino != p.stamp.Ino || !now.OK {
			p.stamp.OK = false
			return nil
		}
		p.stamp.Ctime = now.Ctime
		return nil
	})
}

// linkOld hard-links p's page from the old site into the new one, or
// copies it where the file system cannot link. When the old page cannot
// be read either (another pm site replaced the folder since reusable
// looked), it is rendered again, from a copy of p: the pages over all
// incidents read p meanwhile.
func (s *site) linkOld(p *page, shells [2]*shell) error {
	rel := "incidents/" + p.Slug + ".html"
	old := filepath.Join(s.out, filepath.FromSlash(rel))
	if link(old, filepath.Join(s.dir, filepath.FromSlash(rel))) == nil {
		s.files.Add(1)
		return nil
	}
	if b, err := os.ReadFile(old); err == nil {
		p.stamp = new(stamp)
		return s.queue(rel, b, nil, p.stamp)
	}
	q := *p
	q.Related = slices.Clone(p.Related)
	if err := s.analyseWhole(&q); err != nil {
		return err
	}
	q.stamp = new(stamp)
	p.stamp = q.stamp
	return s.writeIncident(&q, shells)
}

// link is os.Link; tests make it fail.
var link = os.Link

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
