package repo

import (
	"bufio"
	"bytes"
	"os"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/pm-tool/pm/internal/cachefile"
)

// The listing cache keeps IncidentFiles' answer beside the metadata cache,
// keyed by the stat of every folder it read, as git's untracked cache
// keeps a folder's listing by the folder's stat: a file created, removed
// or renamed in a folder changes the folder's mtime, so while no folder's
// stat changed the listing is what reading the folders would give. It
// saves reading the names of 10,000 incidents and sorting them, a sixth of
// a warm pm status.
//
// A folder stamped within a tick of the file system's clock (or racyMargin
// of the machine's) of being read is not kept: a change in the same tick
// could leave its mtime as it was (see files). A listed file
// that has gone all the same (a file system that does not keep the rule)
// makes the command list the folders again (see Cache.loadMode). Outside
// git the caches live in the incident folder, whose mtime writing them
// changes, so there the folders are always read.

// listingMagic starts the listing file; bump the version when the
// encoding changes.
const listingMagic = "pm-listing 1\n"

// listingFile is where the listing cache of the metadata cache at path
// lives, "" when there is none.
func (c Cache) listingFile(folder string) string {
	if c.Path == "" || strings.HasPrefix(c.Path, folderPrefix(folder)) {
		return ""
	}
	return c.Path + "-listing"
}

// listedDir is one folder IncidentFiles read: its path in the incident
// folder ("" for the folder itself, else ending in a separator) and its
// stat before it was read.
type listedDir struct {
	sub string
	st  statInfo
}

// Files is IncidentFiles(folder), from the listing cache when no
// folder changed since it was written; cached tells which.
func (c Cache) Files(folder string) (paths []string, cached bool, err error) {
	return c.files(folder, true)
}

// files is Files; with trust false the listing cache is not read (it
// named a file that has gone), only written.
func (c Cache) files(folder string, trust bool) (paths []string, cached bool, err error) {
	file := c.listingFile(folder)
	if file == "" {
		paths, err = IncidentFiles(folder)
		return paths, false, err
	}
	if trust {
		if paths, ok := readListing(file, folder); ok {
			return paths, true, nil
		}
	}
	// The file system's clock is read before the folders are: a folder
	// whose mtime is not older than that may change again within the same
	// tick of that clock (a second, on some file systems) without its stat
	// showing it, so its listing is not kept. The machine's clock, which
	// may run apart from the file system's (a network mount), must agree.
	clock, ok := fileSystemClock(file)
	start := min(clock, time.Now().Add(-racyMargin).UnixNano())
	var dirs []listedDir
	paths, err = listIncidentFiles(folder, &dirs)
	keep := err == nil && ok && len(dirs) > 0
	for _, d := range dirs {
		if d.st == (statInfo{}) || int64(d.st.mtimeSec)*1e9+int64(d.st.mtimeNsec) >= start {
			keep = false // gone, or racily clean: read the folders again next time
		}
	}
	if keep {
		l := listing{file: file, folder: folder, dirs: dirs, paths: paths}
		if c.pending != nil {
			c.pending.hold(l)
		} else {
			l.write()
		}
	}
	return paths, false, err
}

// listing is a listing read from the folders, to be kept in file.
type listing struct {
	file, folder string
	dirs         []listedDir
	paths        []string
}

// pendingListing holds a listing until the command ends (Store.KeepListing):
// a command that writes into the folder (every log command) changes its
// stat, so a listing it kept when it chose the incident would be thrown
// away by the next command; it is written only if no folder changed.
type pendingListing struct {
	mu sync.Mutex
	l  *listing
}

func (p *pendingListing) hold(l listing) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.l = &l
}

// keep writes the held listing when every folder it read still has the
// stat it had.
func (p *pendingListing) keep() {
	p.mu.Lock()
	l := p.l
	p.l = nil
	p.mu.Unlock()
	if l == nil {
		return
	}
	prefix := folderPrefix(l.folder)
	for _, d := range l.dirs {
		if st, ok := statDir(prefix + d.sub); !ok || st != d.st {
			return
		}
	}
	l.write()
}

// readListing is the cached listing of folder, as IncidentFiles gives it,
// ok when the file is whole and every folder it lists has the stat it had.
func readListing(file, folder string) (paths []string, ok bool) {
	buf, err := os.ReadFile(file)
	if err != nil {
		return nil, false
	}
	r, ok := cachefile.Checked(buf, listingMagic, folder)
	if !ok {
		return nil, false
	}
	prefix := folderPrefix(folder)
	nd := r.Uvarint()
	if r.Bad || nd == 0 || nd > uint64(len(r.B)) {
		return nil, false
	}
	for range nd {
		var d listedDir
		d.sub = r.Str()
		for _, p := range d.st.fields() {
			*p = uint32(r.Uvarint())
		}
		if r.Bad {
			return nil, false
		}
		if st, isDir := statDir(prefix + d.sub); !isDir || st != d.st {
			return nil, false
		}
	}
	n := r.Uvarint()
	if r.Bad || n > uint64(len(r.B)) {
		return nil, false
	}
	paths = make([]string, n)
	// One buffer for every path, as IncidentFiles makes them: the names
	// are at most what is left of the file, each with the prefix.
	// (Appending only ever writes past the strings made so far.)
	arena := make([]byte, 0, len(r.B)+int(n)*len(prefix))
	var last []byte
	for i := range paths {
		name := r.Bytes()
		if r.Bad || i > 0 && bytes.Compare(last, name) >= 0 {
			return nil, false
		}
		start := len(arena)
		arena = append(append(arena, prefix...), name...)
		paths[i], last = unsafe.String(&arena[start], len(arena)-start), name
	}
	if len(r.B) != 0 {
		return nil, false
	}
	return paths, true
}

// fileSystemClock is the time the file system stamps files with now,
// read from a temporary file made beside file; ok is false when none can
// be made (then no listing can be kept either).
func fileSystemClock(file string) (int64, bool) {
	tmp, err := cachefile.NewTemp(file)
	if err != nil {
		return 0, false
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	fi, err := tmp.Stat()
	if err != nil {
		return 0, false
	}
	return fileClock(fi), true
}

// fileClock is the file system's clock, read from a new file's stat; a
// test makes it coarse, as it is on a file system stamping whole seconds.
var fileClock = func(fi os.FileInfo) int64 { return fi.ModTime().UnixNano() }

// write replaces the listing file as writeCache replaces the cache.
func (l listing) write() {
	cachefile.WriteChecked(l.file, func(bw *bufio.Writer) {
		var w cachefile.Writer
		w.B = append(w.B, listingMagic...)
		w.Str(l.folder)
		w.Uvarint(uint64(len(l.dirs)))
		for _, d := range l.dirs {
			w.Str(d.sub)
			for _, p := range d.st.fields() {
				w.Uvarint(uint64(*p))
			}
		}
		w.Uvarint(uint64(len(l.paths)))
		skip := len(folderPrefix(l.folder))
		for _, p := range l.paths {
			w.Str(p[skip:])
			if len(w.B) > 32<<10 {
				_, _ = bw.Write(w.B)
				w.B = w.B[:0]
			}
		}
		_, _ = bw.Write(w.B)
	})
}

// statDir is the stat of the folder at path, following a symbolic link
// (the incident folder may be one), and whether it is a folder.
func statDir(path string) (statInfo, bool) {
	fi, err := os.Stat(path)
	if err != nil || !fi.IsDir() {
		return statInfo{}, false
	}
	return statOf(fi), true
}
