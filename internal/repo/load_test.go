package repo

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/pm-tool/pm/bench/gen/corpus"
	"github.com/pm-tool/pm/internal/incident"
)

func TestLoadIncidents(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "postmortems")
	files := map[string]string{
		"a.md":             "---\nid: a\ntitle: A\nstatus: closed\n---\n\n# A\n",
		"a-b.md":           "---\nid: a-b\ntitle: AB\nstatus: investigating\n---\n\n# AB\n",
		"broken.md":        "---\nid: broken\ntitle: [unclosed\n---\n",
		"README.md":        "# not an incident\n",
		"notes.txt":        "not markdown",
		"templates/new.md": "---\ntitle: {{.Title}}\n---\n",
	}
	for name, src := range files {
		p := filepath.Join(folder, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := LoadIncidents(folder, func(abs string) string {
		r, _ := filepath.Rel(dir, abs)
		return filepath.ToSlash(r)
	})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range got {
		ids = append(ids, l.ID)
	}
	// By id: "a" before "a-b", although "a-b.md" sorts before "a.md".
	if want := "a a-b broken"; strings.Join(ids, " ") != want {
		t.Fatalf("ids = %q, want %q", strings.Join(ids, " "), want)
	}
	if got[0].Doc == nil || got[0].Doc.Meta.Title != "A" || got[1].Doc == nil || got[1].Doc.Meta.Status != "investigating" {
		t.Errorf("parsed docs wrong: %+v %+v", got[0], got[1])
	}
	if got[0].Path != filepath.Join(folder, "a.md") {
		t.Errorf("path = %q", got[0].Path)
	}
	var pe *incident.ParseError
	if got[2].Doc != nil || !errors.As(got[2].Err, &pe) || pe.Path != "postmortems/broken.md" || pe.Line != 3 {
		t.Errorf("broken file: doc=%v err=%v, want a parse error at postmortems/broken.md:3", got[2].Doc, got[2].Err)
	}
	// The broken file is left as it was.
	if b, _ := os.ReadFile(filepath.Join(folder, "broken.md")); string(b) != files["broken.md"] {
		t.Errorf("broken.md changed: %q", b)
	}
}

func TestLoadIncidentsMissingFolder(t *testing.T) {
	got, err := LoadIncidents(filepath.Join(t.TempDir(), "none"), nil)
	if err != nil || len(got) != 0 {
		t.Fatalf("got %v, %v; want nothing and no error", got, err)
	}
}

// TestLoadIncidentsParallel checks that the workers put every file in its
// place: the result is the same as loading one file at a time.
func TestLoadIncidentsParallel(t *testing.T) {
	folder := filepath.Join(t.TempDir(), "postmortems")
	if _, err := corpus.Write(folder, corpus.Options{N: 200, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	prev := runtime.GOMAXPROCS(4)
	defer runtime.GOMAXPROCS(prev)
	got, err := LoadIncidents(folder, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 200 {
		t.Fatalf("loaded %d files, want 200", len(got))
	}
	for i, l := range got {
		if l.Err != nil {
			t.Fatalf("generated file does not parse: %v", l.Err)
		}
		if i > 0 && got[i-1].ID >= l.ID {
			t.Fatalf("not sorted by id: %q before %q", got[i-1].ID, l.ID)
		}
		one := load(l.Path, func(s string) string { return s }, false)
		if l.ID != one.ID || l.Doc.Meta.ID != one.Doc.Meta.ID || l.Doc.Meta.ID != l.ID {
			t.Fatalf("%s: loaded %q, alone %q", l.Path, l.Doc.Meta.ID, one.Doc.Meta.ID)
		}
	}
}

// BenchmarkLoadIncidents reads and parses 10,000 generated incidents, the
// work under pm list, actions and stats, keeping whole documents or
// summaries.
func BenchmarkLoadIncidents(b *testing.B) {
	folder := filepath.Join(b.TempDir(), "postmortems")
	if _, err := corpus.Write(folder, corpus.Options{N: 10000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	for _, load := range []struct {
		name string
		fn   func(string, func(string) string) ([]Loaded, error)
	}{{"full", LoadIncidents}, {"summaries", LoadSummaries}} {
		b.Run(load.name, func(b *testing.B) {
			for b.Loop() {
				got, err := load.fn(folder, nil)
				if err != nil || len(got) != 10000 {
					b.Fatal(len(got), err)
				}
			}
		})
	}
}

// TestLoadSummaries checks that a summary says what the full document says
// to pm list, actions and stats, and holds nothing else.
func TestLoadSummaries(t *testing.T) {
	folder := filepath.Join(t.TempDir(), "postmortems")
	if _, err := corpus.Write(folder, corpus.Options{N: 50, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(folder, "broken.md"), []byte("---\ntitle: [x\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	full, err := LoadIncidents(folder, nil)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := LoadSummaries(folder, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(full) != 51 || len(sum) != len(full) {
		t.Fatalf("loaded %d and %d files, want 51", len(full), len(sum))
	}
	for i := range full {
		f, s := full[i], sum[i]
		if f.ID != s.ID || f.Path != s.Path || (f.Err == nil) != (s.Err == nil) {
			t.Fatalf("%s: %+v vs %+v", f.ID, f, s)
		}
		if f.Doc == nil {
			continue
		}
		if !reflect.DeepEqual(f.Doc.JSON(false), s.Doc.JSON(false)) || f.Doc.Meta.Services[0] != s.Doc.Meta.Services[0] {
			t.Errorf("%s: the summary says something else", f.ID)
		}
		if s.Doc.Bytes() != nil || s.Doc.Entries != nil || s.Doc.Sections != nil || s.Doc.Meta.Lines != nil {
			t.Errorf("%s: the summary keeps the source", f.ID)
		}
	}
}

// TestIncidentFilesSubfolders: incidents in subfolders are listed (an
// archive in YYYY-MM/), those under templates/ and hidden folders are not,
// a folder called *.md is listed and not searched, a symbolic link to a
// folder is not followed; NotIncident says the same of each path.
func TestIncidentFilesSubfolders(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "postmortems")
	doc := func(id string) string {
		return "---\nid: " + id + "\ntitle: " + id + "\nstatus: closed\nseverity: SEV3\nstarted: 2019-12-04T09:00:00Z\n---\n\n# " + id + "\n"
	}
	for _, name := range []string{"top.md", "2019-12/a.md", "2019-12/deep/b.md", "2019-11/c.md", "templates/t.md", "2019-12/templates/u.md",
		".drafts/d.md", "2019-12/README.md", "2019-12/notes.txt", "folder.md/e.md"} {
		writeFile(t, filepath.Join(folder, filepath.FromSlash(name)), doc(strings.TrimSuffix(filepath.Base(name), ".md")))
	}
	if err := os.Symlink(filepath.Join(folder, "2019-12"), filepath.Join(folder, "linked")); err != nil {
		t.Fatal(err)
	}
	got, err := IncidentFiles(folder)
	if err != nil {
		t.Fatal(err)
	}
	var rels []string
	for _, p := range got {
		r, _ := filepath.Rel(folder, p)
		rels = append(rels, filepath.ToSlash(r))
	}
	if want := "2019-11/c.md 2019-12/a.md 2019-12/deep/b.md folder.md top.md"; strings.Join(rels, " ") != want {
		t.Errorf("IncidentFiles: %q, want %q", strings.Join(rels, " "), want)
	}
	for rel, want := range map[string]string{
		"2019-12/a.md": "", "top.md": "", "folder.md": "",
		"templates/t.md": "templates are not incidents", "2019-12/templates/u.md": "templates are not incidents",
		".drafts/d.md": "files in hidden folders are not incidents", "2019-12/README.md": "README.md is not an incident",
		"2019-12/notes.txt": "only *.md files are incidents",
	} {
		if got := NotIncident(filepath.FromSlash(rel)); got != want {
			t.Errorf("NotIncident(%s) = %q, want %q", rel, got, want)
		}
	}
	// Through the cache, warm, the files in subfolders are not read: they
	// are unreadable, and their summaries come from the cache.
	c := Cache{Path: filepath.Join(dir, "cache")}
	ageFiles(t, folder, time.Hour)
	cold, err := c.LoadSummaries(folder, relTo(dir))
	if err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() != 0 {
		for _, p := range got {
			os.Chmod(p, 0)
			defer os.Chmod(p, 0o644)
		}
	}
	warm, err := c.LoadSummaries(folder, relTo(dir))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range warm {
		ids = append(ids, l.ID)
	}
	if g, w := comparable(warm), comparable(cold); !reflect.DeepEqual(g, w) {
		t.Errorf("warm load differs from cold: %s", firstDiff(g, w))
	}
	if strings.Join(ids, " ") != "a b c folder top" {
		t.Errorf("ids %q", strings.Join(ids, " "))
	}
}
