package repo

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/pm-tool/pm/internal/incident"
)

// Loaded is one incident file of the folder: parsed into Doc, or, when it
// cannot be read or parsed, kept with Err (naming the file and line) so that
// commands can report it and go on. pm never rewrites such a file.
type Loaded struct {
	ID   string // file name without ".md": what -i matches
	Path string // absolute
	Doc  *incident.Doc
	Err  error
}

// IncidentFiles lists the incident files of folder: the *.md files directly
// in it, except README.md, sorted by name. Templates live in a subfolder and
// are not incidents. A folder that does not exist holds no incidents.
func IncidentFiles(folder string) ([]string, error) {
	ents, err := os.ReadDir(folder)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if e.Type().IsRegular() && strings.HasSuffix(n, ".md") && !strings.EqualFold(n, "README.md") {
			out = append(out, filepath.Join(folder, n))
		}
	}
	sort.Strings(out)
	return out, nil
}

// LoadIncidents reads and parses every incident file of folder, sorted by
// id. display turns an absolute path into the one errors should name (as
// the user would type it); nil keeps it absolute.
//
// Files are read and parsed by GOMAXPROCS workers: parsing dominates, and
// pm list, actions and stats over 10,000 incidents must stay well under a
// second on a 2-core machine. The error is only for a folder that cannot be
// listed; problems with single files are in their Loaded.Err.
func LoadIncidents(folder string, display func(abs string) string) ([]Loaded, error) {
	return loadAll(folder, display, loadFull)
}

// LoadSummaries is LoadIncidents for commands that read only what many
// incidents say, not how they are written: pm list, actions and stats.
// Each Doc keeps its path, metadata, title, hypotheses and action items and
// nothing else — no source bytes, sections or log entries — so the parsed
// files do not all stay in memory at once. Over 10,000 incidents that
// saves most of the memory and a third of the time, which goes to the
// garbage collector otherwise. A summary Doc must not be edited or
// rendered (its Bytes are nil); re-read the file for that.
func LoadSummaries(folder string, display func(abs string) string) ([]Loaded, error) {
	return loadAll(folder, display, loadSummary)
}

// LoadMeta reads only the frontmatter of every incident file (see
// incident.ParseMeta): enough to tell which incidents are open, at a
// fraction of the cost of parsing them whole.
func LoadMeta(folder string, display func(abs string) string) ([]Loaded, error) {
	return loadAll(folder, display, loadMeta)
}

// How much of each file loadAll keeps.
const (
	loadFull = iota
	loadSummary
	loadMeta
)

func loadAll(folder string, display func(abs string) string, mode int) ([]Loaded, error) {
	paths, err := IncidentFiles(folder)
	if err != nil {
		return nil, err
	}
	if display == nil {
		display = func(abs string) string { return abs }
	}
	out := make([]Loaded, len(paths))
	workers := min(runtime.GOMAXPROCS(0), len(paths))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := int(next.Add(1) - 1); k < len(paths); k = int(next.Add(1) - 1) {
				out[k] = load(paths[k], display, mode == loadMeta)
				if mode == loadSummary && out[k].Doc != nil {
					out[k].Doc = summarise(out[k].Doc)
				}
			}
		}()
	}
	wg.Wait()
	// By id, not by file name: "a-b.md" sorts before "a.md", "a" before "a-b".
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// summarise copies what LoadSummaries keeps of d.
func summarise(d *incident.Doc) *incident.Doc {
	m := d.Meta
	m.Lines = nil
	return &incident.Doc{Path: d.Path, Meta: m, Title: d.Title, Hypotheses: d.Hypotheses, Actions: d.Actions}
}

// load reads and parses one file.
func load(abs string, display func(string) string, metaOnly bool) Loaded {
	l := Loaded{ID: strings.TrimSuffix(filepath.Base(abs), ".md"), Path: abs}
	src, err := os.ReadFile(abs)
	if err != nil {
		l.Err = &incident.ParseError{Path: display(abs), Line: 1, Msg: "cannot read the file: " + unwrapPath(err)}
		return l
	}
	if metaOnly {
		l.Doc, l.Err = incident.ParseMeta(display(abs), src)
	} else {
		l.Doc, l.Err = incident.Parse(display(abs), src)
	}
	return l
}

// unwrapPath drops the path an *os.PathError repeats, since the caller
// names the file already.
func unwrapPath(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
