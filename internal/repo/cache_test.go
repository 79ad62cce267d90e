package repo

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pm-tool/pm/bench/gen/corpus"
	"github.com/pm-tool/pm/internal/cachefile"
	"github.com/pm-tool/pm/internal/incident"
)

// cacheFolder is a folder of generated incidents plus the files that are
// not plain incidents: a broken one, one without frontmatter, a symbolic
// link.
func cacheFolder(t *testing.T, n int) (dir, folder string) {
	t.Helper()
	dir = t.TempDir()
	folder = filepath.Join(dir, "postmortems")
	if _, err := corpus.Write(folder, corpus.Options{N: n, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	for name, src := range map[string]string{
		"broken.md": "---\nid: broken\ntitle: [unclosed\n---\n",
		"notes.md":  "# just notes\n",
		"badlog.md": "---\nid: badlog\ntitle: Bad log\nstatus: investigating\n---\n\n## Investigation log\n- `2026-99-99T00:00:00Z` **observe** x\n",
	} {
		writeFile(t, filepath.Join(folder, name), src)
	}
	if err := os.Symlink("broken.md", filepath.Join(folder, "link.md")); err != nil {
		t.Fatal(err)
	}
	return dir, folder
}

// comparable turns loaded files into what a test can compare: errors by
// their text.
func comparable(ls []Loaded) []string {
	var out []string
	for _, l := range ls {
		out = append(out, fmt.Sprintf("%s %s %#v %v %x", l.ID, l.Path, l.Doc, l.Err, l.Sum))
	}
	return out
}

func relTo(dir string) func(string) string {
	return func(abs string) string {
		r, _ := filepath.Rel(dir, abs)
		return filepath.ToSlash(r)
	}
}

// ageFiles makes every file older than the cache by the given time, as it
// is once a clock tick has passed: the entries are clean, not racily
// clean (a negative time makes them newer).
func ageFiles(t *testing.T, folder string, by time.Duration) {
	t.Helper()
	paths, err := IncidentFiles(folder)
	if err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-by)
	for _, p := range paths {
		os.Chtimes(p, old, old) // a link's target; the link itself is never cached
	}
}

// TestCacheSameAsParsing: through the cache, cold (no cache file) and warm
// (every file from the cache), LoadSummaries gives exactly what parsing
// every file gives, Docs, errors and order; LoadMeta the same ids, titles
// and statuses and the same errors. The warm load must not read the files:
// it is checked by making them unreadable.
func TestCacheSameAsParsing(t *testing.T) {
	dir, folder := cacheFolder(t, 300)
	ageFiles(t, folder, time.Hour)
	display := relTo(dir)
	want, err := LoadSummaries(folder, display)
	if err != nil {
		t.Fatal(err)
	}
	wantMeta, err := LoadMeta(folder, display)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range want {
		// The sum is of the file as it is, for pm site's memo.
		if l.Doc != nil && l.Sum != sha256.Sum256(readBytes(t, l.Path)) {
			t.Fatalf("%s: Sum is not the SHA-256 of the file", l.Path)
		}
	}
	c := Cache{Path: filepath.Join(dir, "git", "pm", "cache")}
	for _, round := range []string{"cold", "warm"} {
		got, err := c.LoadSummaries(folder, display)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := comparable(got), comparable(want); !reflect.DeepEqual(g, w) {
			t.Fatalf("%s: LoadSummaries through the cache differs, first: %s", round, firstDiff(g, w))
		}
	}
	if os.Geteuid() != 0 { // root reads files whatever their mode
		paths, _ := IncidentFiles(folder)
		for _, p := range paths {
			if base := filepath.Base(p); base != "link.md" && base != "badlog.md" && base != "broken.md" {
				os.Chmod(p, 0)
			}
		}
		defer func() {
			for _, p := range paths {
				os.Chmod(p, 0o644)
			}
		}()
	}
	got, err := c.LoadMeta(folder, display)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(wantMeta) {
		t.Fatalf("LoadMeta: %d files, want %d", len(got), len(wantMeta))
	}
	for i, g := range got {
		w := wantMeta[i]
		if g.ID != w.ID || fmt.Sprint(g.Err) != fmt.Sprint(w.Err) || (g.Doc == nil) != (w.Doc == nil) {
			t.Fatalf("LoadMeta %s: got doc %v err %v, want doc %v err %v", w.ID, g.Doc != nil, g.Err, w.Doc != nil, w.Err)
		}
		if g.Doc != nil && (g.Doc.Meta.Status != w.Doc.Meta.Status || w.Doc.Meta.Status != "closed" && (g.Doc.Meta.ID != w.Doc.Meta.ID || g.Doc.Meta.Title != w.Doc.Meta.Title)) {
			t.Fatalf("LoadMeta %s: %+v, want %+v", w.ID, g.Doc.Meta, w.Doc.Meta)
		}
	}
	// badlog's log does not parse, but its frontmatter does: it is an
	// open incident to choose, as LoadMeta says.
	for _, g := range got {
		if g.ID == "badlog" && (g.Doc == nil || g.Doc.Meta.Status != "investigating") {
			t.Errorf("badlog through the cache: %v %v", g.Doc, g.Err)
		}
	}
}

func firstDiff(got, want []string) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf("\n got %s\nwant %s", got[i], want[i])
		}
	}
	return fmt.Sprintf("%d files, want %d", len(got), len(want))
}

// TestSummaryRoundTrip: every summary of the corpus and of the parser's
// test files comes back from its encoding equal, nil and empty lists
// included; every truncation of an encoding is refused, not misread.
func TestSummaryRoundTrip(t *testing.T) {
	_, folder := cacheFolder(t, 200)
	paths, _ := IncidentFiles(folder)
	more, _ := filepath.Glob("../incident/testdata/*.md")
	n := 0
	for _, p := range append(paths, more...) {
		d, err := ReadIncident(p, p, false)
		if err != nil {
			continue
		}
		n++
		s := summarise(d)
		sum := sha256.Sum256([]byte(p))
		blob := encodeSummary(s, sum, nil, p)
		if blobSum(blob) != sum {
			t.Fatalf("%s: blobSum does not give the sum encoded", p)
		}
		got, gerr, ok := decodeSummary(blob, p, false)
		if !ok || gerr != nil || !reflect.DeepEqual(got, s) {
			t.Fatalf("%s: decoded\n%#v\nwant\n%#v", p, got, s)
		}
		brief, _, ok := decodeSummary(blob, p, true)
		if !ok || brief.Meta.Status != s.Meta.Status || s.Meta.Status != "closed" && (brief.Meta.ID != s.Meta.ID || brief.Meta.Title != s.Meta.Title) {
			t.Fatalf("%s: brief %#v", p, brief)
		}
		for cut := range len(blob) {
			if _, _, ok := decodeSummary(blob[:cut], p, false); ok {
				t.Fatalf("%s: the first %d of %d bytes decode", p, cut, len(blob))
			}
		}
	}
	if n < 150 {
		t.Fatalf("only %d files parsed", n)
	}
	pe := &incident.ParseError{Path: "pm/x.md", Line: 4, Msg: "bad"}
	if _, err, ok := decodeSummary(encodeSummary(nil, [32]byte{}, pe, "pm/x.md"), "other/x.md", false); !ok || err.Error() != "other/x.md:4: bad" {
		t.Errorf("parse error: %v", err)
	}
	if b := encodeSummary(nil, [32]byte{}, fmt.Errorf("wrapped: %w", pe), "pm/x.md"); b != nil {
		t.Errorf("a wrapped error is cached: %q", b)
	}
}

// TestCacheSeesChanges: after the cache is written, a file changed in
// place to the same size, with its mtime put back (what an editor or cp
// -p can do), a file replaced by git (a new inode), a new file and a
// removed one are all seen on the next load.
func TestCacheSeesChanges(t *testing.T) {
	dir, folder := cacheFolder(t, 50)
	ageFiles(t, folder, time.Hour)
	c := Cache{Path: filepath.Join(dir, "cache")}
	display := relTo(dir)
	if _, err := c.LoadSummaries(folder, display); err != nil {
		t.Fatal(err)
	}
	paths, _ := IncidentFiles(folder)
	var incidents []string
	for _, p := range paths {
		if d, err := ReadIncident(p, p, false); err == nil && strings.Contains(string(readBytes(t, p)), "\ntitle: ") && d != nil {
			incidents = append(incidents, p)
		}
	}
	// Same size, mtime restored: only the ctime (and, on other systems,
	// nothing) tells. Linux only, where the cache compares ctimes.
	edited := incidents[0]
	fi, _ := os.Stat(edited)
	src := string(readBytes(t, edited))
	title := src[strings.Index(src, "\ntitle: ")+8:]
	title = title[:strings.IndexByte(title, '\n')]
	same := strings.Repeat("Z", len(title))
	writeFile(t, edited, strings.Replace(src, "\ntitle: "+title+"\n", "\ntitle: "+same+"\n", 1))
	os.Chtimes(edited, fi.ModTime(), fi.ModTime())
	// Replaced by a new file, as git checkout does.
	replaced := incidents[1]
	rsrc := strings.Replace(string(readBytes(t, replaced)), "\nstatus: ", "\nstatus: investigating\nx-was: ", 1)
	writeFile(t, replaced+".new", rsrc)
	if err := os.Rename(replaced+".new", replaced); err != nil {
		t.Fatal(err)
	}
	removed := incidents[2]
	os.Remove(removed)
	added := filepath.Join(folder, "zz-added.md")
	writeFile(t, added, "---\nid: zz-added\ntitle: Added\nstatus: mitigated\n---\n")

	got, err := c.LoadSummaries(folder, display)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := LoadSummaries(folder, display)
	if g, w := comparable(got), comparable(want); !reflect.DeepEqual(g, w) {
		t.Fatalf("after the changes the cache differs from parsing: %s", firstDiff(g, w))
	}
	for _, l := range got {
		switch l.Path {
		case edited:
			if ctimeKnown && l.Doc.Meta.Title != same {
				t.Errorf("same-size edit with the mtime put back not seen: title %q", l.Doc.Meta.Title)
			}
		case replaced:
			if l.Doc.Meta.Status != "investigating" {
				t.Errorf("replaced file not seen: status %q", l.Doc.Meta.Status)
			}
		case removed:
			t.Errorf("removed file still listed")
		}
	}
}

// ctimeKnown: statOf gives the ctime, so a same-size edit with its mtime
// restored is seen (Linux and the BSDs; not Windows).
var ctimeKnown = func() bool {
	f, err := os.CreateTemp("", "ctime")
	if err != nil {
		return false
	}
	defer os.Remove(f.Name())
	f.Close()
	fi, _ := os.Stat(f.Name())
	st := statOf(fi)
	return st.ino != 0
}()

func readBytes(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFolderStatter: the stat the cache keeps is git's, statOf's.
func TestFolderStatter(t *testing.T) {
	_, folder := cacheFolder(t, 3)
	s := newFolderStatter(folder)
	defer s.close()
	paths, _ := IncidentFiles(folder)
	for _, p := range paths {
		fi, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		got, regular := s.lstat(p, filepath.Base(p))
		if got != statOf(fi) || regular != fi.Mode().IsRegular() {
			t.Errorf("%s: %+v %v, want %+v %v", p, got, regular, statOf(fi), fi.Mode().IsRegular())
		}
	}
}

// TestCacheRacilyClean: a file whose mtime is not older than the load that
// reads it is not cached, and an entry whose file's mtime is not older
// than the cache file is not trusted, even when its stat is unchanged: the
// file may have been rewritten within the clock tick it was read in.
func TestCacheRacilyClean(t *testing.T) {
	dir, folder := cacheFolder(t, 5)
	c := Cache{Path: filepath.Join(dir, "cache")}
	// Files not older than the load are not cached: they may change again
	// within the clock tick their mtime is in. (An mtime in the future
	// rather than just now, so that a slow machine cannot age them.)
	ageFiles(t, folder, -time.Hour)
	if _, err := c.LoadSummaries(folder, nil); err != nil {
		t.Fatal(err)
	}
	if entries, _ := readCache(c.Path, folder); len(entries) != 0 {
		t.Fatalf("%d files cached as they were written", len(entries))
	}
	ageFiles(t, folder, time.Minute)
	if _, err := c.LoadSummaries(folder, nil); err != nil {
		t.Fatal(err)
	}
	entries, _ := readCache(c.Path, folder)
	if len(entries) == 0 {
		t.Fatal("no cache written")
	}
	// Claim the cache holds another title for the first incident, with the
	// file's stat, and that the cache was written as the file was.
	e := entries[0]
	p := filepath.Join(folder, e.name)
	d, _ := ReadIncident(p, p, false)
	lie := summarise(d)
	lie.Meta.Title = "what the cache says"
	e.blob = encodeSummary(lie, [32]byte{}, nil, p)
	var l Loaded
	var fresh cacheEntry
	changed := loadOne(&l, &fresh, p, e.name, newFolderStatter(folder), func(s string) string { return s }, &e, e.mtimeNs(), e.mtimeNs()+1, loadSummary, nil)
	if !changed || l.Doc.Meta.Title == lie.Meta.Title {
		t.Errorf("a racily clean entry was trusted: title %q", l.Doc.Meta.Title)
	}
	// Written a tick later, the same entry is clean and used.
	changed = loadOne(&l, &fresh, p, e.name, newFolderStatter(folder), func(s string) string { return s }, &e, e.mtimeNs()+1, e.mtimeNs()+1, loadSummary, nil)
	if changed || l.Doc.Meta.Title != lie.Meta.Title {
		t.Errorf("a clean entry was not used: title %q, changed %v", l.Doc.Meta.Title, changed)
	}
}

// TestLoadSummariesOn: the incidents on some services, through a cache that
// is cold, filled by choosing (brief entries) or by listing (whole
// summaries), are those LoadSummaries gives, filtered, and nothing else.
func TestLoadSummariesOn(t *testing.T) {
	dir, folder := cacheFolder(t, 200)
	ageFiles(t, folder, time.Hour)
	display := relTo(dir)
	services := []string{"api", "dns"}
	all, _ := LoadSummaries(folder, display)
	var want []Loaded
	for _, l := range all {
		if l.Doc != nil && sharesService(l.Doc.Meta.Services, services) {
			want = append(want, l)
		}
	}
	if len(want) < 10 || len(want) > len(all)/2 {
		t.Fatalf("%d of %d incidents on %v: pick other services", len(want), len(all), services)
	}
	c := Cache{Path: filepath.Join(dir, "cache")}
	for _, before := range []string{"cold", "warm", "after choosing", "after listing"} {
		switch before {
		case "cold":
			os.Remove(c.Path)
		case "after choosing":
			os.Remove(c.Path)
			c.LoadMeta(folder, display)
		case "after listing":
			os.Remove(c.Path)
			c.LoadSummaries(folder, display)
		}
		got, err := c.LoadSummariesOn(folder, display, services)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := comparable(got), comparable(want); !reflect.DeepEqual(g, w) {
			t.Fatalf("%s: %s", before, firstDiff(g, w))
		}
	}
	if got, _ := (Cache{}).LoadSummariesOn(folder, display, services); !reflect.DeepEqual(comparable(got), comparable(want)) {
		t.Error("without a cache: not the same incidents")
	}
}

// TestCacheNotRewritten: a warm load of an unchanged folder leaves the
// cache file alone, although the folder holds files that are never cached
// (a symbolic link); removing a file rewrites it.
func TestCacheNotRewritten(t *testing.T) {
	dir, folder := cacheFolder(t, 20)
	ageFiles(t, folder, time.Hour)
	c := Cache{Path: filepath.Join(dir, "cache")}
	c.LoadSummaries(folder, nil)
	before, err := os.Stat(c.Path)
	if err != nil {
		t.Fatal(err)
	}
	c.LoadSummaries(folder, nil)
	c.LoadMeta(folder, nil)
	if after, _ := os.Stat(c.Path); !os.SameFile(before, after) {
		t.Error("the cache was rewritten though nothing changed")
	}
	paths, _ := IncidentFiles(folder)
	os.Remove(paths[0])
	c.LoadMeta(folder, nil)
	if after, _ := os.Stat(c.Path); os.SameFile(before, after) {
		t.Error("the cache was not rewritten after a file was removed")
	}
	if e, _ := readCache(c.Path, folder); len(e) != len(paths)-2 { // the link is never cached
		t.Errorf("%d entries, want %d", len(e), len(paths)-2)
	}
}

// TestCacheRewriteThreshold: in a folder larger than rewriteAlways, a few
// changed files are read again by each command without the whole cache
// being rewritten, and are still seen; rewriteStale of them rewrite it.
func TestCacheRewriteThreshold(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "postmortems")
	os.Mkdir(folder, 0o755)
	for i := range rewriteAlways + 1 {
		writeFile(t, filepath.Join(folder, fmt.Sprintf("i%05d.md", i)), fmt.Sprintf("---\nid: i%05d\ntitle: T\nstatus: closed\n---\n", i))
	}
	ageFiles(t, folder, time.Hour)
	c := Cache{Path: filepath.Join(dir, "cache")}
	c.LoadMeta(folder, nil)
	before, err := os.Stat(c.Path)
	if err != nil {
		t.Fatal(err)
	}
	change := func(i int) {
		p := filepath.Join(folder, fmt.Sprintf("i%05d.md", i))
		writeFile(t, p, fmt.Sprintf("---\nid: i%05d\ntitle: T\nstatus: investigating\n---\n", i))
		old := time.Now().Add(-time.Minute)
		os.Chtimes(p, old, old)
	}
	open := func() int {
		l, _ := c.LoadMeta(folder, nil)
		n := 0
		for _, x := range l {
			if x.Doc != nil && x.Doc.Meta.Status == "investigating" {
				n++
			}
		}
		return n
	}
	for i := range rewriteStale - 1 {
		change(i)
	}
	if n := open(); n != rewriteStale-1 {
		t.Fatalf("%d open, want %d", n, rewriteStale-1)
	}
	if after, _ := os.Stat(c.Path); !os.SameFile(before, after) {
		t.Errorf("rewritten for %d stale entries of %d", rewriteStale-1, rewriteAlways+1)
	}
	change(rewriteStale - 1)
	if n := open(); n != rewriteStale {
		t.Fatalf("%d open, want %d", n, rewriteStale)
	}
	if after, _ := os.Stat(c.Path); os.SameFile(before, after) {
		t.Errorf("not rewritten for %d stale entries", rewriteStale)
	}
}

// TestCacheDamaged: a cache file that is truncated, has a byte flipped,
// is of another version, describes another folder or is not a cache at
// all is ignored (the load equals parsing) and replaced by a good one.
func TestCacheDamaged(t *testing.T) {
	dir, folder := cacheFolder(t, 40)
	ageFiles(t, folder, time.Hour)
	c := Cache{Path: filepath.Join(dir, "cache")}
	want, _ := LoadSummaries(folder, nil)
	if _, err := c.LoadSummaries(folder, nil); err != nil {
		t.Fatal(err)
	}
	good := readBytes(t, c.Path)
	other := filepath.Join(dir, "other")
	os.Mkdir(other, 0o755)
	writeFile(t, filepath.Join(other, "x.md"), "---\nid: x\ntitle: X\nstatus: closed\n---\n")
	ageFiles(t, other, time.Hour)
	otherCache := Cache{Path: filepath.Join(dir, "othercache")}
	otherCache.LoadSummaries(other, nil)
	for name, bad := range map[string][]byte{
		"truncated":     good[:len(good)/2],
		"flipped":       append(append(append([]byte{}, good[:len(good)/3]...), good[len(good)/3]^0x55), good[len(good)/3+1:]...),
		"old version":   append([]byte("pm-cache 0\n"), good[len(cacheMagic):]...),
		"other folder":  readBytes(t, otherCache.Path),
		"not a cache":   []byte("hello\n"),
		"empty":         {},
		"forged crc ok": forged(good),
	} {
		if err := os.WriteFile(c.Path, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := c.LoadSummaries(folder, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if g, w := comparable(got), comparable(want); !reflect.DeepEqual(g, w) {
			t.Fatalf("%s: %s", name, firstDiff(g, w))
		}
		if e, _ := readCache(c.Path, folder); len(e) == 0 {
			t.Errorf("%s: the cache was not rebuilt", name)
		}
	}
}

// forged is a cache whose checksum is right but whose first entry's blob
// is cut short: decoding must refuse it rather than read past it.
func forged(good []byte) []byte {
	body := bytes.Clone(good[:len(good)-4])
	w := cachefile.Writer{B: []byte(cacheMagic)}
	r := cachefile.Reader{B: body[len(cacheMagic):]}
	w.Str(r.Str())
	n := r.Uvarint()
	w.Uvarint(n)
	name := r.Str()
	var st statInfo
	for _, p := range st.fields() {
		*p = uint32(r.Uvarint())
	}
	blob := r.Bytes()
	w.Str(name)
	for _, p := range st.fields() {
		w.Uvarint(uint64(*p))
	}
	w.Bytes(blob[:len(blob)/2])
	w.B = append(w.B, r.B...)
	return appendCRC(w.B)
}

// appendCRC ends a cache file as writeCache does: the CRC-32C of
// everything before it.
func appendCRC(b []byte) []byte {
	return binary.LittleEndian.AppendUint32(b, cachefile.Sum(b))
}
