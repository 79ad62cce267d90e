package repo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// ageFolders makes folder and its subfolders older than now by an hour, so
// that their listing is not racily clean and is kept.
func ageFolders(t *testing.T, folders ...string) {
	t.Helper()
	old := time.Now().Add(-time.Hour)
	for _, f := range folders {
		if err := os.Chtimes(f, old, old); err != nil {
			t.Fatal(err)
		}
	}
}

// listingCase is a cached folder with a subfolder, its files and folders
// aged, and a listing kept.
func listingCase(t *testing.T) (c Cache, folder, sub string) {
	t.Helper()
	dir, folder := cacheFolder(t, 20)
	sub = filepath.Join(folder, "2019-12")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(sub, "old.md"), "---\nid: old\ntitle: Old\nstatus: closed\n---\n")
	ageFiles(t, folder, time.Hour)
	ageFolders(t, folder, sub)
	c = Cache{Path: filepath.Join(dir, "git", "pm", "cache")}
	if _, cached, err := c.Files(folder); err != nil || cached {
		t.Fatalf("first listing: cached %v, err %v", cached, err)
	}
	if _, err := os.Stat(c.listingFile(folder)); err != nil {
		t.Fatalf("no listing kept: %v", err)
	}
	return c, folder, sub
}

// checkListing: the listing through the cache is IncidentFiles' and came
// from the cache file or not as wanted.
func checkListing(t *testing.T, c Cache, folder string, wantCached bool) {
	t.Helper()
	got, cached, err := c.Files(folder)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := IncidentFiles(folder)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("listing through the cache differs:\n got %q\nwant %q", got, want)
	}
	if cached != wantCached {
		t.Fatalf("listing from the cache: %v, want %v", cached, wantCached)
	}
}

// TestListingCache: a kept listing is used while no folder changed, and
// every change to what is listed (a file added, removed or renamed, in the
// folder or a subfolder, a subfolder added) reads the folders again.
func TestListingCache(t *testing.T) {
	c, folder, sub := listingCase(t)
	checkListing(t, c, folder, true)
	checkListing(t, c, folder, true)
	for _, change := range []struct {
		name string
		do   func() error
	}{
		{"added", func() error { return os.WriteFile(filepath.Join(folder, "zz-new.md"), []byte("x"), 0o644) }},
		{"removed", func() error { return os.Remove(filepath.Join(folder, "zz-new.md")) }},
		{"renamed", func() error {
			return os.Rename(filepath.Join(folder, "notes.md"), filepath.Join(folder, "notes-2.md"))
		}},
		{"added in a subfolder", func() error { return os.WriteFile(filepath.Join(sub, "new.md"), []byte("x"), 0o644) }},
		{"new subfolder", func() error {
			if err := os.Mkdir(filepath.Join(folder, "2020-01"), 0o755); err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(folder, "2020-01", "a.md"), []byte("x"), 0o644)
		}},
	} {
		if err := change.do(); err != nil {
			t.Fatal(err)
		}
		t.Run(change.name, func(t *testing.T) {
			checkListing(t, c, folder, false)
		})
		// Aged again so that the new listing is kept and used.
		ageFolders(t, folder, sub)
		if _, err := os.Stat(filepath.Join(folder, "2020-01")); err == nil {
			ageFolders(t, filepath.Join(folder, "2020-01"))
		}
		checkListing(t, c, folder, false)
		checkListing(t, c, folder, true)
	}
}

// TestListingRacy: a folder changed within a clock tick of being read is
// read again next time, not kept.
func TestListingRacy(t *testing.T) {
	c, folder, _ := listingCase(t)
	os.Remove(c.listingFile(folder))
	now := time.Now()
	os.Chtimes(folder, now, now)
	checkListing(t, c, folder, false)
	if _, err := os.Stat(c.listingFile(folder)); err == nil {
		t.Fatal("a racily clean listing was kept")
	}
}

// TestListingDamaged: a damaged, truncated or foreign listing file is
// ignored and written anew.
func TestListingDamaged(t *testing.T) {
	c, folder, _ := listingCase(t)
	good := readBytes(t, c.listingFile(folder))
	for name, b := range map[string][]byte{
		"flipped":   append(append([]byte{}, good[:20]...), append([]byte{good[20] ^ 1}, good[21:]...)...),
		"truncated": good[:len(good)/2],
		"empty":     nil,
		"forged":    appendCRC([]byte(listingMagic + "\x03/x\x00")),
	} {
		t.Run(name, func(t *testing.T) {
			writeFile(t, c.listingFile(folder), string(b))
			checkListing(t, c, folder, false)
			checkListing(t, c, folder, true)
		})
	}
}

// TestListingFileGone: when a listed file has gone and the folder's stat
// does not show it (a file system that breaks the rule), the load lists the
// folder again instead of reporting the file.
func TestListingFileGone(t *testing.T) {
	c, folder, _ := listingCase(t)
	paths, _ := IncidentFiles(folder)
	var dirs []listedDir
	if _, err := listIncidentFiles(folder, &dirs); err != nil {
		t.Fatal(err)
	}
	ghost := filepath.Join(folder, "0ghost.md") // sorted first
	listing{file: c.listingFile(folder), folder: folder, dirs: dirs, paths: append([]string{ghost}, paths...)}.write()
	if got, cached, _ := c.Files(folder); !cached || got[0] != ghost {
		t.Fatalf("the forged listing was not used: %v %q", cached, got[:1])
	}
	got, err := c.LoadSummaries(folder, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := LoadSummaries(folder, nil)
	if g, w := comparable(got), comparable(want); !reflect.DeepEqual(g, w) {
		t.Fatalf("a gone file changed the load: %s", firstDiff(g, w))
	}
}

// TestListingOutsideGit: with the cache in the incident folder (no git),
// writing it changes the folder, so no listing is kept.
func TestListingOutsideGit(t *testing.T) {
	_, folder := cacheFolder(t, 5)
	ageFolders(t, folder)
	c := Cache{Path: CacheFile("", folder)}
	if c.listingFile(folder) != "" {
		t.Fatalf("a listing file inside the folder: %s", c.listingFile(folder))
	}
	checkListing(t, c, folder, false)
}

// TestReadNames: the names read straight from the kernel's records are
// those os.ReadDir gives, over several reads (more than one 256 KB buffer
// of records), with long, non-ASCII and dotted names.
func TestReadNames(t *testing.T) {
	dir := t.TempDir()
	want := []string{".hidden", "..dots", "é-ü-漢字.md", strings.Repeat("x", 250) + ".md", "a b.md"}
	long := strings.Repeat("-and-a-long-name", 12)
	for i := range 1500 { // 1,500 records of 230 bytes: two reads
		want = append(want, fmt.Sprintf("2026-01-01-incident-%05d%s.md", i, long))
	}
	for _, n := range want {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := readNames(dir)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("readNames: %d names, want %d; first difference %s", len(got), len(want), firstDiff(got, want))
	}
	if _, err := readNames(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a missing folder: %v", err)
	}
}

// TestListingCoarseClock: on a file system that stamps whole seconds, a
// folder changed in the second the listing is read in is not kept, though
// the machine's clock says it changed well before: a file added later in
// that second would leave the folder's stat as it was.
func TestListingCoarseClock(t *testing.T) {
	c, folder, _ := listingCase(t)
	os.Remove(c.listingFile(folder))
	defer func(f func(os.FileInfo) int64) { fileClock = f }(fileClock)
	fileClock = func(fi os.FileInfo) int64 { return fi.ModTime().Truncate(time.Second).UnixNano() }
	// Well inside a second, so that the folder's stamp and the listing's
	// clock fall in the same one and the machine's clock is 100 ms past.
	if ms := time.Now().Nanosecond() / 1e6; ms < 100 || ms > 700 {
		time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second + 150*time.Millisecond)))
	}
	second := time.Now().Truncate(time.Second)
	os.Chtimes(folder, second, second)
	checkListing(t, c, folder, false)
	if _, err := os.Stat(c.listingFile(folder)); err == nil {
		t.Fatal("a folder stamped in the listing's own second was kept")
	}
}

// TestListingNotTrusted: the second pass of a load whose listing named a
// gone file does not read the listing cache again, whatever it holds.
func TestListingNotTrusted(t *testing.T) {
	c, folder, _ := listingCase(t)
	paths, _ := IncidentFiles(folder)
	var dirs []listedDir
	listIncidentFiles(folder, &dirs)
	ghost := filepath.Join(folder, "0ghost.md")
	listing{file: c.listingFile(folder), folder: folder, dirs: dirs, paths: append([]string{ghost}, paths...)}.write()
	got, cached, err := c.files(folder, false)
	if err != nil || cached || !reflect.DeepEqual(got, paths) {
		t.Fatalf("files(trust false): cached %v, err %v, %d paths (want %d)", cached, err, len(got), len(paths))
	}
	if _, gone, _ := c.loadListed(folder, nil, loadSummary, nil, false); gone {
		t.Fatal("a load that does not trust the listing reported a gone file")
	}
}

// TestTopIncidentFileCase: where the id in another case is the same file
// (a file system that ignores case; here a hard link stands in for it),
// the lookup declines and leaves the names to the listing.
func TestTopIncidentFileCase(t *testing.T) {
	folder := t.TempDir()
	writeFile(t, filepath.Join(folder, "api-errors.md"), "x")
	if _, ok := TopIncidentFile(folder, "api-errors"); !ok {
		t.Fatal("api-errors.md not found")
	}
	if _, ok := TopIncidentFile(folder, "API-ERRORS"); ok {
		t.Fatal("API-ERRORS found on a file system that keeps case")
	}
	if err := os.Link(filepath.Join(folder, "api-errors.md"), filepath.Join(folder, "API-ERRORS.md")); err != nil {
		t.Skip(err)
	}
	if _, ok := TopIncidentFile(folder, "api-errors"); ok {
		t.Fatal("found where the other case is the same file")
	}
	if _, ok := TopIncidentFile(folder, "README"); ok {
		t.Fatal("README found")
	}
}

// TestListingKeptAtEnd: a listing read through a Store's cache is written
// when the command ends, and only if no folder changed meanwhile (the
// command's own write into the folder makes it stale).
func TestListingKeptAtEnd(t *testing.T) {
	c, folder, _ := listingCase(t)
	os.Remove(c.listingFile(folder))
	p := &pendingListing{}
	c.pending = p
	checkListing(t, c, folder, false)
	if _, err := os.Stat(c.listingFile(folder)); err == nil {
		t.Fatal("the listing was written before the command ended")
	}
	p.keep()
	if _, err := os.Stat(c.listingFile(folder)); err != nil {
		t.Fatalf("the listing was not written at the end: %v", err)
	}
	checkListing(t, c, folder, true)

	os.Remove(c.listingFile(folder))
	ageFolders(t, folder)
	checkListing(t, c, folder, false)
	writeFile(t, filepath.Join(folder, "zz-written.md"), "x") // the command's write
	p.keep()
	if _, err := os.Stat(c.listingFile(folder)); err == nil {
		t.Fatal("a listing the command's own write made stale was kept")
	}
}
