package repo

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"unsafe"

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
	// Sum is the SHA-256 of the file a summary was made from (see
	// LoadSummaries), kept in the cache with it: pm site's memo knows by
	// it that an incident is unchanged without reading it. Zero when the
	// file did not parse, and for LoadMeta and LoadIncidents.
	Sum [32]byte

	off bool // not on the services LoadSummariesOn asks for
}

// IncidentFiles lists the incident files of folder, sorted by their path
// in it: the *.md files in the folder and in its subfolders (an archive in
// 2019-12/), except README.md and what is under a templates/ folder or a
// hidden one (NotIncident). A folder that does not exist holds no
// incidents. Every command takes its files from here: the listing and
// choosing commands, show, site, lint and sync agree on what is an
// incident.
//
// Entries that are not regular files (a symbolic link, a folder, a named
// pipe called *.md) are listed too, so that every command can say why it
// leaves them out instead of skipping them in silence; ReadIncidentFile
// refuses them. A folder called *.md is listed, not searched, and a
// symbolic link to a folder is not followed.
//
// Only names are read, and only a name that is neither *.md nor hidden is
// stat'ed (to tell a subfolder): a flat folder of 10,000 incidents costs
// what it did before subfolders counted.
func IncidentFiles(folder string) ([]string, error) {
	return listIncidentFiles(folder, nil)
}

// listIncidentFiles is IncidentFiles, appending to dirs (when not nil) each
// folder it reads with its stat from before it was read, for the listing
// cache.
func listIncidentFiles(folder string, dirs *[]listedDir) ([]string, error) {
	// Names only, sorted once: os.ReadDir would make and sort an entry per
	// file first, a sixth of what a warm cache costs with 10,000 files.
	var rels []string
	if err := incidentNames(folder, "", &rels, dirs); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	slices.Sort(rels)
	// Cleaned once and joined by hand (filepath.Join cleaned each path,
	// a tenth of a warm pm status), into one buffer rather than a string
	// each.
	prefix := folderPrefix(folder)
	size := 0
	for _, n := range rels {
		size += len(prefix) + len(n)
	}
	buf := make([]byte, 0, size) // never grown: the strings below share it
	out := make([]string, len(rels))
	for i, n := range rels {
		start := len(buf)
		buf = append(append(buf, prefix...), n...)
		out[i] = unsafe.String(&buf[start], len(buf)-start)
	}
	return out, nil
}

// folderPrefix is folder cleaned, with a separator at the end: what
// IncidentFiles puts before each file's path in the folder.
func folderPrefix(folder string) string {
	c := filepath.Clean(folder)
	if strings.HasSuffix(c, string(filepath.Separator)) {
		return c // the root
	}
	return c + string(filepath.Separator)
}

// incidentNames appends to out the incident files under folder/sub, as
// paths relative to folder (sub is "" or ends with a separator).
func incidentNames(folder, sub string, out *[]string, dirs *[]listedDir) error {
	dir := folder
	if sub != "" {
		dir = folderPrefix(folder) + sub
	}
	if dirs != nil {
		st, _ := statDir(dir) // zero when it is not a folder: not kept
		*dirs = append(*dirs, listedDir{sub: sub, st: st})
	}
	names, err := readNames(dir)
	if err != nil {
		if sub != "" && errors.Is(err, os.ErrNotExist) {
			return nil // gone since it was listed
		}
		return err
	}
	for _, n := range names {
		switch {
		case isIncidentName(n):
			*out = append(*out, sub+n)
		case SkipsFolder(n) || strings.EqualFold(n, "README.md"):
		default:
			// Not *.md: a subfolder to search, or a file pm ignores.
			if fi, err := os.Lstat(folderPrefix(folder) + sub + n); err == nil && fi.IsDir() {
				if err := incidentNames(folder, sub+n+string(filepath.Separator), out, dirs); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// SkipsFolder says whether the incidents under a folder of that name are
// left out, at any depth of the incident folder: templates are not
// incidents (FOLDER/templates holds the team's), hidden folders are not
// pm's.
func SkipsFolder(name string) bool {
	return name == "templates" || strings.HasPrefix(name, ".")
}

// NotIncident says why the file at rel, a path relative to the incident
// folder, is not one IncidentFiles lists, "" when it is (or could be: a
// *.md that is not a regular file is listed, and refused when read). pm
// lint uses it for the files named on its command line, which pre-commit
// passes one by one.
func NotIncident(rel string) string {
	rel = filepath.ToSlash(rel)
	parts := strings.Split(rel, "/")
	name := parts[len(parts)-1]
	for _, dir := range parts[:len(parts)-1] {
		if dir != "." && SkipsFolder(dir) {
			if dir == "templates" {
				return "templates are not incidents"
			}
			return "files in hidden folders are not incidents"
		}
	}
	if strings.EqualFold(name, "README.md") {
		return "README.md is not an incident"
	}
	if !strings.HasSuffix(name, ".md") {
		return "only *.md files are incidents"
	}
	return ""
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
	eachParallel(len(paths), func(k int) {
		out[k] = load(paths[k], display, mode == loadMeta)
		if mode == loadSummary && out[k].Doc != nil {
			out[k].Sum = sha256.Sum256(out[k].Doc.Bytes())
			out[k].Doc = summarise(out[k].Doc)
		}
	})
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
	l.Doc, l.Err = ReadIncident(abs, display(abs), metaOnly)
	return l
}

// MaxIncidentSize is the largest incident file pm reads. Real post-mortems
// are kilobytes; a multi-gigabyte file in the folder (a log dump saved as
// .md) must not take the machine's memory down during an outage.
const MaxIncidentSize = 32 << 20

// ReadIncidentFile reads the incident file at abs, refusing what pm must
// not read or write through: a symbolic link (it may point outside the
// repository; pm would commit the link but write the target), a folder or
// a named pipe (reading one blocks forever), and a file larger than
// MaxIncidentSize. name is how errors name the file. The error is an
// *incident.ParseError at line 1 so that every command reports it as it
// reports a file it cannot parse.
func ReadIncidentFile(abs, name string) ([]byte, error) {
	fail := func(msg string) error { return &incident.ParseError{Path: name, Line: 1, Msg: msg} }
	tooLarge := func(size int64) error {
		return fail(fmt.Sprintf("is %d MB, larger than the %d MB pm reads; move what is not the post-mortem (logs, dumps) into another file and link it", size>>20, MaxIncidentSize>>20))
	}
	fi, err := os.Lstat(abs)
	if err != nil {
		return nil, fail("cannot read the file: " + unwrapPath(err))
	}
	switch m := fi.Mode(); {
	case m&os.ModeSymlink != 0:
		to, _ := os.Readlink(abs)
		return nil, fail(fmt.Sprintf("is a symbolic link (to %s); pm reads and writes only regular files in the incident folder, so replace the link with the file itself", to))
	case m.IsDir():
		return nil, fail("is a folder, not an incident file; rename it so it does not end in .md")
	case !m.IsRegular():
		return nil, fail("is not a regular file (" + m.Type().String() + "); pm reads only regular files in the incident folder")
	case fi.Size() > MaxIncidentSize:
		return nil, tooLarge(fi.Size())
	}
	f, err := os.Open(abs)
	if err != nil {
		return nil, fail("cannot read the file: " + unwrapPath(err))
	}
	defer f.Close()
	// One read when the size is right (+1 to see the end of the file); the
	// file may have grown since Lstat, so the limit is checked as it grows.
	buf := make([]byte, 0, fi.Size()+1)
	for {
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, fail("cannot read the file: " + unwrapPath(err))
		}
		if len(buf) == cap(buf) {
			if len(buf) > MaxIncidentSize {
				return nil, tooLarge(int64(len(buf)))
			}
			buf = slices.Grow(buf, 4096)
		}
	}
}

// ReadIncident reads and parses one incident file (ReadIncidentFile, then
// incident.Parse, or incident.ParseMeta when metaOnly). A markdown file
// without frontmatter — notes, a README under another name, a binary file
// with a .md name — is not an incident: lint reports it, and every other
// command leaves it alone rather than list, publish or write into it.
func ReadIncident(abs, name string, metaOnly bool) (*incident.Doc, error) {
	src, err := ReadIncidentFile(abs, name)
	if err != nil {
		return nil, err
	}
	var d *incident.Doc
	if metaOnly {
		d, err = incident.ParseMeta(name, src)
	} else {
		d, err = incident.Parse(name, src)
	}
	if err != nil {
		return nil, err
	}
	if err := d.CheckIncident(); err != nil {
		return nil, err
	}
	return d, nil
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

// eachParallel calls fn(0) … fn(n-1) on as many goroutines as there are
// cores (see incident.Parallel): the one loop that reads incident files in
// parallel, for the plain loaders and the cache alike.
func eachParallel(n int, fn func(k int)) {
	_ = incident.Parallel(n, 0, func(k int) error {
		fn(k)
		return nil
	})
}

// TopIncidentFile is the path IncidentFiles lists for the incident called
// id directly in folder (folder/ID.md), found with one lstat instead of a
// listing; ok is false when there is none (it may be in a subfolder).
//
// On a file system that ignores case (macOS, Windows, a casefold folder)
// the lstat would find api-errors.md for API-ERRORS, and the command would
// then write and commit a file of the name as typed: where the name in
// another case is the same file, ok is false and the caller compares the
// names the listing gives.
func TopIncidentFile(folder, id string) (path string, ok bool) {
	if id == "" || strings.ContainsRune(id, '/') || strings.ContainsRune(id, filepath.Separator) || !isIncidentName(id+".md") {
		return "", false
	}
	path = folderPrefix(folder) + id + ".md"
	fi, err := os.Lstat(path)
	if err != nil {
		return "", false
	}
	other := strings.ToUpper(id)
	if other == id {
		other = strings.ToLower(id)
	}
	if other != id {
		if fo, err := os.Lstat(folderPrefix(folder) + other + ".md"); err == nil && os.SameFile(fi, fo) {
			return "", false
		}
	}
	return path, true
}

// isIncidentName says whether a file of the incident folder, by name, is an
// incident: any *.md but the folder's README. IncidentFiles lists them and
// pm sync shares them.
func isIncidentName(n string) bool {
	return strings.HasSuffix(n, ".md") && !strings.EqualFold(n, "README.md")
}
