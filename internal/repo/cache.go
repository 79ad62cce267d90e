package repo

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pm-tool/pm/internal/cachefile"
	"github.com/pm-tool/pm/internal/incident"
)

// Cache is the metadata cache of one incident folder: for every incident
// file, what pm list, actions, stats, related, pm new's earlier incidents
// and the choice of the open incident need (LoadSummaries' summary Doc, or
// the file's parse error), keyed by the file's stat like git's index. With
// it a command over 10,000 incidents reads one file and stats the others
// instead of parsing them all, so the first command of an outage does not
// get slower every year a team uses pm (issue 17).
//
// The cache is never a source of truth. A file whose size, mtime, ctime or
// inode changed since it was cached is read again, and so is one whose
// mtime is not older than the cache file itself ("racily clean", as git
// calls it: written in the same clock tick as the cache, it may have
// changed after it was read without its stat showing it). A cache that is
// damaged, of another version or of another folder is ignored and written
// anew; one that cannot be written (a read-only repository) is skipped.
// Writes go to a temporary file renamed over the cache, so a reader sees
// one whole cache or another: when two pm processes write at once, the
// last rename wins, and both caches are complete and correct.
type Cache struct {
	Path string // the cache file; "" for no cache (every file is parsed)

	pending *pendingListing // a Store's: listings are kept when the command ends
}

// CacheFile is where a folder's cache lives: in this work tree's git dir
// (gitDir/pm/cache), or, outside git, beside pm's lock in the folder.
func CacheFile(gitDir, folder string) string {
	if gitDir != "" {
		return filepath.Join(gitDir, "pm", "cache")
	}
	return filepath.Join(folder, ".pm.cache")
}

// LoadSummaries is the package's LoadSummaries through the cache: the same
// Loaded values, sorted by id, each Doc a summary.
func (c Cache) LoadSummaries(folder string, display func(abs string) string) ([]Loaded, error) {
	return c.load(folder, display, false)
}

// LoadMeta is the package's LoadMeta for choosing the open incident,
// through the cache. A Doc read from the cache holds only the frontmatter's
// status, and the id and title when the incident is not closed; one read
// anew, the whole frontmatter. For a file whose
// body does not parse, only the frontmatter is read again, as LoadMeta
// does, so that an open incident with a broken log is still the one pm
// chooses, and the command then names the broken line.
func (c Cache) LoadMeta(folder string, display func(abs string) string) ([]Loaded, error) {
	return c.load(folder, display, true)
}

// LoadSummariesOn is LoadSummaries for the incidents on any of services
// (pm new's earlier incidents on the same services), files that do not
// parse left out: the others are skipped without being decoded, and on a
// cold cache without being parsed beyond their frontmatter.
func (c Cache) LoadSummariesOn(folder string, display func(abs string) string, services []string) ([]Loaded, error) {
	if c.Path == "" {
		all, err := LoadSummaries(folder, display)
		var on []Loaded
		for _, l := range all {
			if l.Doc != nil && sharesService(l.Doc.Meta.Services, services) {
				on = append(on, l)
			}
		}
		return on, err
	}
	return c.loadMode(folder, display, loadOn, services)
}

func sharesService(a, b []string) bool {
	for _, s := range a {
		if slices.Contains(b, s) {
			return true
		}
	}
	return false
}

// cacheEntry is one file as the cache knows it: its stat as git's index
// records it (statOf) and the encoded summary or parse error, decoded only
// when asked for.
type cacheEntry struct {
	name string
	st   statInfo
	blob []byte
}

// mtimeNs is the entry's mtime in nanoseconds, for the racy check.
func (e cacheEntry) mtimeNs() int64 { return int64(e.st.mtimeSec)*1e9 + int64(e.st.mtimeNsec) }

// A stale entry costs each command one file read and parse; rewriting the
// cache costs writing all of it (67 MB at 100,000 incidents). So a large
// folder's cache is rewritten once rewriteStale entries are stale, not
// after every pm observe; a small one's whenever anything changed.
const (
	rewriteAlways = 4096
	rewriteStale  = 64
)

// loadOn is the mode of LoadSummariesOn, beside loadSummary and loadMeta.
const loadOn = loadMeta + 1

func (c Cache) load(folder string, display func(abs string) string, metaOnly bool) ([]Loaded, error) {
	if c.Path == "" {
		if metaOnly {
			return LoadMeta(folder, display)
		}
		return LoadSummaries(folder, display)
	}
	if metaOnly {
		return c.loadMode(folder, display, loadMeta, nil)
	}
	return c.loadMode(folder, display, loadSummary, nil)
}

func (c Cache) loadMode(folder string, display func(abs string) string, mode int, services []string) ([]Loaded, error) {
	out, gone, err := c.loadListed(folder, display, mode, services, true)
	if gone {
		// A file the cached listing names has gone without its folder's
		// stat showing it: list the folders again (once: the listing
		// file may not be writable), and keep that.
		out, _, err = c.loadListed(folder, display, mode, services, false)
	}
	return out, err
}

// loadListed is loadMode; trust says whether the listing cache may be
// read (see files), and gone that it was and named a file that has gone
// (nothing else is returned then).
func (c Cache) loadListed(folder string, display func(abs string) string, mode int, services []string, trust bool) (out []Loaded, gone bool, err error) {
	paths, listed, err := c.files(folder, trust)
	if err != nil {
		return nil, false, err
	}
	if display == nil {
		display = func(abs string) string { return abs }
	}
	readStart := time.Now().Add(-racyMargin).UnixNano()
	old, written := readCache(c.Path, folder)
	stat := newFolderStatter(folder)
	defer stat.close()
	out = make([]Loaded, len(paths))
	fresh := make([]cacheEntry, len(paths))
	changed := make([]bool, len(paths))
	// Entries are keyed by the path in the folder (2019-12/x.md for an
	// archive's subfolder), which is also what the folder's descriptor
	// stats.
	skip := len(folderPrefix(folder))
	eachParallel(len(paths), func(k int) {
		// Written in place: a Loaded and a cache entry returned by value
		// were 8 % of a warm pm status at 100,000 incidents.
		changed[k] = loadOne(&out[k], &fresh[k], paths[k], paths[k][skip:], stat, display, old.find(paths[k][skip:], k), written, readStart, mode, services)
	})
	if listed && unstated(fresh) {
		return nil, true, nil
	}
	// Rewritten when entries changed or files went away; files that are
	// never cached (a symbolic link, a file being written) do not count.
	stale, cached := 0, 0
	for k := range paths {
		if changed[k] {
			stale++
		}
		if fresh[k].blob != nil {
			cached++
		}
	}
	if cached < len(old) {
		stale += len(old) - cached
	}
	if stale > 0 && (len(paths) <= rewriteAlways || stale >= rewriteStale) {
		writeCache(c.Path, folder, fresh)
	}
	if mode == loadOn {
		on := out[:0]
		for _, l := range out {
			if !l.off && l.Doc != nil {
				on = append(on, l)
			}
		}
		out = on
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, false, nil
}

// unstated reports whether some file could not be stat'ed (gone since the
// listing).
func unstated(fresh []cacheEntry) bool {
	for i := range fresh {
		if fresh[i].st == (statInfo{}) {
			return true
		}
	}
	return false
}

// loadOne is one file, abs, called name in the folder (its path there):
// from the cache entry o (nil when there is none)
// when the file's stat says it is unchanged and it is older than the cache
// file (written), else read and parsed; for loadOn, l.off when it is not
// on services. e is the entry to cache (blob nil:
// do not cache the file); changed reports that the cache should be
// rewritten for it.
func loadOne(l *Loaded, e *cacheEntry, abs, name string, stat folderStatter, display func(string) string, o *cacheEntry, written, readStart int64, mode int, services []string) (changed bool) {
	metaOnly := mode == loadMeta
	*l = Loaded{ID: strings.TrimSuffix(baseName(abs), ".md"), Path: abs}
	e.name = name
	var regular bool
	e.st, regular = stat.lstat(abs, name)
	clean := regular && o != nil && o.st == e.st && e.mtimeNs() < written
	if clean && mode == loadOn {
		if svc, ok := decodeServices(o.blob); ok && !sharesService(svc, services) {
			l.off, e.blob = true, o.blob
			return false
		}
	}
	if clean {
		// Choosing needs no path (the chosen file is read again); the
		// listing commands' Docs carry the name errors give.
		shown := ""
		if !metaOnly {
			shown = display(abs)
		}
		if doc, perr, ok := decodeSummary(o.blob, shown, metaOnly); ok {
			l.Doc, l.Err = doc, perr
			e.blob = o.blob
			if !metaOnly {
				l.Sum = blobSum(o.blob)
			}
			if metaOnly && perr != nil {
				l.Doc, l.Err = ReadIncident(abs, display(abs), true)
			}
			return false
		}
	}
	if mode == loadOn {
		// The frontmatter tells whether the incident is on the services;
		// only those that are are parsed whole.
		d, err := ReadIncident(abs, display(abs), true)
		if err == nil && !sharesService(d.Meta.Services, services) {
			l.off = true
			if regular {
				e.blob = encodeBrief(d)
			}
			return settle(e, o, written, readStart)
		}
		mode = loadSummary
	}
	if mode == loadMeta {
		// Choosing needs the frontmatter only; the listing commands parse
		// the rest when they first need it. What is kept of the file is
		// what the cache would give, not the parsed file with its source:
		// 10,000 of those are 100 MB.
		l.Doc, l.Err = ReadIncident(abs, display(abs), true)
		if regular && l.Err == nil {
			e.blob = encodeBrief(l.Doc)
			l.Doc, _, _ = decodeSummary(e.blob, "", true)
		}
	} else {
		l.Doc, l.Err = ReadIncident(abs, display(abs), false)
		if l.Doc != nil {
			l.Sum = sha256.Sum256(l.Doc.Bytes())
			l.Doc = summarise(l.Doc)
		}
		if regular {
			// Kept until the cache is written: the exact size, not what
			// appending grew.
			e.blob = bytes.Clone(encodeSummary(l.Doc, l.Sum, l.Err, display(abs)))
		}
	}
	return settle(e, o, written, readStart)
}

// settle decides the entry e of a file just read: not cached when racily
// clean, and whether the cache must be rewritten for it (o is what the
// cache held, nil if nothing).
func settle(e, o *cacheEntry, written, readStart int64) (changed bool) {
	if e.mtimeNs() >= readStart {
		// Racily clean: changed within a clock tick of being read, the
		// file may change again without its stat showing it. Read it
		// again next time, as git does with such entries.
		e.blob = nil
	}
	if o == nil {
		return e.blob != nil
	}
	// An entry that was racily clean against the cache file and is now
	// read and cached again becomes clean once the cache is rewritten.
	return e.blob == nil || o.st != e.st || !bytes.Equal(o.blob, e.blob) || o.mtimeNs() >= written
}

// baseName is filepath.Base for the clean paths IncidentFiles gives, at a
// fraction of its cost, which shows with 10,000 files.
func baseName(abs string) string { return abs[strings.LastIndexByte(abs, os.PathSeparator)+1:] }

// racyMargin is more than the coarsest clock tick file systems stamp
// mtimes with (10 ms on a kernel with HZ=100): a file whose mtime is not
// older than the start of the load by that much is not cached.
const racyMargin = 20 * time.Millisecond

// cacheEntries are a cache's entries in the order of their paths in the folder, as written.
type cacheEntries []cacheEntry

// find is the entry of the file at name in the folder, nil if there is none. hint
// is where it would be if the folder has not changed since the cache was
// written.
func (es cacheEntries) find(name string, hint int) *cacheEntry {
	if hint < len(es) && es[hint].name == name {
		return &es[hint]
	}
	i := sort.Search(len(es), func(i int) bool { return es[i].name >= name })
	if i < len(es) && es[i].name == name {
		return &es[i]
	}
	return nil
}

// fields lists st's fields in the order the cache stores them.
func (st *statInfo) fields() [9]*uint32 {
	return [9]*uint32{&st.ctimeSec, &st.ctimeNsec, &st.mtimeSec, &st.mtimeNsec, &st.dev, &st.ino, &st.uid, &st.gid, &st.size}
}

// The cache file: cacheMagic, the folder it describes, the entry count,
// the entries, and a CRC-32C of all that. Version 1 is the first; bump it
// whenever the encoding or what a summary holds changes, so that an old
// cache is rebuilt rather than misread.
const cacheMagic = "pm-cache 2\n"

// readCache reads the cache file, returning its entries (by path in the folder) and
// the cache file's mtime (files not older than it are racily clean). Any
// problem — no file, another version or folder, a torn or damaged file —
// gives no entries: everything is read again and the cache rewritten.
func readCache(path, folder string) (cacheEntries, int64) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > 1<<31 {
		return nil, 0
	}
	buf, err := readWhole(f, fi.Size())
	if err != nil {
		return nil, 0
	}
	r, ok := cachefile.Checked(buf, cacheMagic, folder)
	if !ok {
		return nil, 0
	}
	n := r.Uvarint()
	if r.Bad || n > uint64(len(r.B)) {
		return nil, 0
	}
	entries := make(cacheEntries, n)
	for i := range entries {
		e := &entries[i]
		e.name = r.Str()
		for _, p := range e.st.fields() {
			*p = uint32(r.Uvarint())
		}
		e.blob = r.Bytes()
		if r.Bad || i > 0 && entries[i-1].name >= e.name {
			return nil, 0
		}
	}
	if len(r.B) != 0 {
		return nil, 0
	}
	return entries, fi.ModTime().UnixNano()
}

// cacheSpare is the free space a cache write leaves at least (see
// roomForCache).
const cacheSpare = 8 << 20

// writeCache replaces the cache file with entries (those without a blob
// are left out). Failures are ignored: the cache only saves time. The file
// is written through a small buffer rather than built in memory first: at
// the moment a cold pm list peaks, the cache is already there once in its
// blobs.
func writeCache(path, folder string, entries []cacheEntry) {
	n, size := 0, len(cacheMagic)+len(folder)+2*binary.MaxVarintLen64+4
	for _, e := range entries {
		if e.blob != nil {
			n++
			size += len(e.name) + len(e.blob) + 2*binary.MaxVarintLen64 + 9*binary.MaxVarintLen32
		}
	}
	dir := filepath.Dir(path)
	if !roomForCache(dir, size) {
		return
	}
	cachefile.WriteChecked(path, func(bw *bufio.Writer) {
		var w cachefile.Writer
		flush := func() {
			_, _ = bw.Write(w.B)
			w.B = w.B[:0]
		}
		w.B = append(w.B, cacheMagic...)
		w.Str(folder)
		w.Uvarint(uint64(n))
		for _, e := range entries {
			if e.blob == nil {
				continue
			}
			w.Str(e.name)
			for _, p := range e.st.fields() {
				w.Uvarint(uint64(*p))
			}
			w.Uvarint(uint64(len(e.blob)))
			flush()
			_, _ = bw.Write(e.blob)
		}
		flush()
	})
}

// A summary blob: kind byte (1 a Doc, 2 a parse error), then the fields.
// The frontmatter's id, title and status come first.
const (
	blobDoc   = 1
	blobError = 2
	blobBrief = 3 // id, title, status and services only (encodeBrief)
)

// encodeBrief encodes what choosing the open incident and pm new's earlier
// incidents need of d, read with LoadMeta. The listing commands read the
// file again.
func encodeBrief(d *incident.Doc) []byte {
	var w cachefile.Writer
	w.B = append(w.B, blobBrief)
	w.Str(d.Meta.ID)
	w.Str(d.Meta.Title)
	w.Str(d.Meta.Status)
	w.Strs(d.Meta.Services)
	return w.B
}

// decodeServices is the frontmatter's services of a Doc or brief blob,
// without decoding the rest; ok is false for other blobs.
func decodeServices(b []byte) ([]string, bool) {
	if len(b) == 0 || b[0] != blobDoc && b[0] != blobBrief {
		return nil, false
	}
	r := cachefile.Reader{B: b[1:]}
	r.Bytes() // id
	r.Bytes() // title
	r.Bytes() // status
	if b[0] == blobDoc {
		r.Bytes() // severity
		r.Bytes() // commander
		for range 4 {
			r.Time()
		}
		for n, _ := r.Count(); n > 0; n-- { // authors
			r.Bytes()
		}
	}
	svc := r.Strs()
	return svc, !r.Bad
}

// encodeSummary encodes a summary Doc and the sum of its file, or the parse error err of the file
// called name. It returns nil for what the cache must not keep: an error
// that is not a plain *incident.ParseError naming the file as name (the
// display name is rebuilt on load, and may differ from one command to the
// next).
func encodeSummary(d *incident.Doc, sum [32]byte, err error, name string) []byte {
	var w cachefile.Writer
	if err != nil {
		var pe *incident.ParseError
		if !errors.As(err, &pe) || pe.Path != name || err.Error() != pe.Error() || strings.Contains(pe.Msg, name) {
			return nil
		}
		w.B = append(w.B, blobError)
		w.Varint(int64(pe.Line))
		w.Str(pe.Msg)
		return w.B
	}
	m := d.Meta
	w.B = append(w.B, blobDoc)
	w.Str(m.ID)
	w.Str(m.Title)
	w.Str(m.Status)
	w.Str(m.Severity)
	w.Str(m.Commander)
	for _, t := range []time.Time{m.Started, m.Detected, m.Mitigated, m.Resolved} {
		w.Time(t)
	}
	w.Strs(m.Authors)
	w.Strs(m.Services)
	w.Strs(m.Tags)
	w.Bool(m.Private)
	w.Strs(m.Extra)
	w.Str(d.Title)
	w.Count(len(d.Hypotheses), d.Hypotheses == nil)
	for _, h := range d.Hypotheses {
		w.Str(h.ID)
		w.Str(h.Text)
		w.Str(h.State)
		w.Str(h.Reason)
		w.Time(h.Opened)
		w.Time(h.Closed)
		w.Varint(int64(h.Line))
	}
	w.Count(len(d.Actions), d.Actions == nil)
	for _, a := range d.Actions {
		w.Str(a.Text)
		w.Str(a.Owner)
		w.Str(a.Due)
		w.Str(a.Kind)
		w.Str(a.Ticket)
		w.Bool(a.Done)
		w.Varint(int64(a.Line))
	}
	w.Bytes(sum[:]) // last, where blobSum finds it
	return w.B
}

// decodeSummary is encodeSummary's inverse for the file called name; ok is
// false when the blob is damaged. With brief, only the frontmatter's
// status, and the id and title of an incident that is not closed, are
// decoded: all that choosing the open incident needs, at a tenth of the
// cost.
func decodeSummary(b []byte, name string, brief bool) (d *incident.Doc, err error, ok bool) {
	if len(b) == 0 {
		return nil, nil, false
	}
	r := cachefile.Reader{B: b[1:]}
	switch b[0] {
	case blobBrief:
		if !brief {
			return nil, nil, false
		}
	case blobError:
		pe := &incident.ParseError{Path: name, Line: int(r.Varint()), Msg: r.Str()}
		return nil, pe, !r.Bad && len(r.B) == 0
	case blobDoc:
	default:
		return nil, nil, false
	}
	if brief {
		// Only what choosing looks at: the status of every incident, the
		// title of those not closed (listed when several are open). The
		// closed ones, nearly all of an archive, share one Doc: 10,000
		// allocations of a Doc were a sixth of a warm pm observe.
		id, title := r.Bytes(), r.Bytes()
		status := statusString(r.Bytes())
		if status == "closed" && name == "" {
			return closedBrief, nil, !r.Bad
		}
		d = &incident.Doc{Path: name}
		d.Meta.Status = status
		if status != "closed" {
			d.Meta.ID, d.Meta.Title = cachefile.UnsafeString(id), cachefile.UnsafeString(title)
		}
		return d, nil, !r.Bad
	}
	d = &incident.Doc{Path: name}
	m := &d.Meta
	m.ID, m.Title, m.Status = r.Str(), r.Str(), r.Str()
	m.Severity, m.Commander = r.Str(), r.Str()
	m.Started, m.Detected, m.Mitigated, m.Resolved = r.Time(), r.Time(), r.Time(), r.Time()
	m.Authors, m.Services, m.Tags = r.Strs(), r.Strs(), r.Strs()
	m.Private = r.Bool()
	m.Extra = r.Strs()
	d.Title = r.Str()
	if n, isNil := r.Count(); !isNil {
		d.Hypotheses = make([]incident.Hypothesis, n)
		for i := range d.Hypotheses {
			h := &d.Hypotheses[i]
			h.ID, h.Text, h.State, h.Reason = r.Str(), r.Str(), r.Str(), r.Str()
			h.Opened, h.Closed = r.Time(), r.Time()
			h.Line = int(r.Varint())
		}
	}
	if n, isNil := r.Count(); !isNil {
		d.Actions = make([]incident.Action, n)
		for i := range d.Actions {
			a := &d.Actions[i]
			a.Text, a.Owner, a.Due, a.Kind, a.Ticket = r.Str(), r.Str(), r.Str(), r.Str(), r.Str()
			a.Done = r.Bool()
			a.Line = int(r.Varint())
		}
	}
	if sum := r.Bytes(); r.Bad || len(sum) != sha256.Size || len(r.B) != 0 {
		return nil, nil, false
	}
	return d, nil, true
}

// blobSum is the Loaded.Sum a summary blob ends with (see encodeSummary),
// zero for a blob of another kind.
func blobSum(b []byte) (sum [32]byte) {
	if len(b) > sha256.Size+1 && b[0] == blobDoc && b[len(b)-sha256.Size-1] == sha256.Size {
		copy(sum[:], b[len(b)-sha256.Size:])
	}
	return sum
}

// closedBrief is the brief Doc of every closed incident (LoadMeta's Docs
// are read, never edited).
var closedBrief = &incident.Doc{Meta: incident.Meta{Status: "closed"}}

// statusString is string(b) without a copy for pm's own statuses, which
// are most of them.
func statusString(b []byte) string {
	for _, s := range incident.Statuses {
		if string(b) == s {
			return s
		}
	}
	return string(b)
}
