package repo

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha1"
	"encoding"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// This file updates git's index (GitDir/index) surgically: it finds the
// one entry pm committed and rewrites it in place, or splices a new entry in
// at its sorted position, instead of decoding and re-encoding the whole
// index as go-git does. In a 100,000-file repository that is the difference
// between tying with git and being clearly faster than it, and it keeps the
// extensions go-git would drop. Format reference: git's
// Documentation/gitformat-index.txt and read-cache.c.
//
// Anything this code cannot write faithfully — a split index ("link"), a
// sparse index ("sdir"), an unknown required extension, a conflicted or
// skip-worktree entry for the path, a bad checksum — is left alone: the
// commit is still made, and the caller tells the user the one git command
// that refreshes the entry.

// indexUnsupported explains why the index was left alone.
type indexUnsupported struct{ reason string }

func (e *indexUnsupported) Error() string { return "index not updated: " + e.reason }

func indexSkip(format string, args ...any) error {
	return &indexUnsupported{reason: fmt.Sprintf(format, args...)}
}

const (
	indexHeaderSize = 12
	entryFixedSize  = 62 // stat data (40) + object id (20) + flags (2)
	oidSize         = 20

	flagExtended     = 0x4000
	flagStageMask    = 0x3000
	flagNameMask     = 0x0fff
	extSkipWorktree  = 0x4000
	extIntentToAdd   = 0x2000
	modeGitlink      = 0o160000
	offCtime         = 0
	offMtime         = 8
	offDev           = 16
	offIno           = 20
	offMode          = 24
	offUID           = 28
	offGID           = 32
	offSize          = 36
	offOID           = 40
	offFlags         = 60
	offExtendedFlags = 62
)

// statInfo is the part of lstat(2) git records in an index entry, each
// field truncated to 32 bits as git does.
type statInfo struct {
	ctimeSec, ctimeNsec uint32
	mtimeSec, mtimeNsec uint32
	dev, ino, uid, gid  uint32
	size                uint32
}

// indexEntry is the entry pm writes for the committed file.
type indexEntry struct {
	path string // slash-separated, relative to the work tree root
	oid  plumbing.Hash
	mode uint32 // 0100644, 0100755 or 0120000
	stat statInfo
}

// statOf extracts git's stat data from a FileInfo. The platform's stat
// structure is read by field name (Dev, Ino, Uid, Gid, Ctim or Ctimespec)
// so that one file serves Linux, the BSDs and macOS; where a field does not
// exist (Windows) it stays zero, and the ctime falls back to the mtime.
func statOf(fi os.FileInfo) statInfo {
	mt := fi.ModTime()
	st := statInfo{
		mtimeSec: uint32(mt.Unix()), mtimeNsec: uint32(mt.Nanosecond()),
		size: uint32(fi.Size()),
	}
	st.ctimeSec, st.ctimeNsec = st.mtimeSec, st.mtimeNsec
	sys := reflect.ValueOf(fi.Sys())
	if sys.Kind() == reflect.Pointer && !sys.IsNil() {
		sys = sys.Elem()
	}
	if sys.Kind() != reflect.Struct {
		return st
	}
	num := func(v reflect.Value) (uint32, bool) {
		switch v.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return uint32(v.Int()), true
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			return uint32(v.Uint()), true
		}
		return 0, false
	}
	field := func(name string) (uint32, bool) {
		f := sys.FieldByName(name)
		if !f.IsValid() {
			return 0, false
		}
		return num(f)
	}
	st.dev, _ = field("Dev")
	st.ino, _ = field("Ino")
	st.uid, _ = field("Uid")
	st.gid, _ = field("Gid")
	for _, name := range []string{"Ctim", "Ctimespec"} {
		ts := sys.FieldByName(name)
		if !ts.IsValid() || ts.Kind() != reflect.Struct {
			continue
		}
		sec, ok1 := num(ts.FieldByName("Sec"))
		nsec, ok2 := num(ts.FieldByName("Nsec"))
		if ok1 && ok2 {
			st.ctimeSec, st.ctimeNsec = sec, nsec
		}
		break
	}
	return st
}

func (st statInfo) put(b []byte) {
	be := binary.BigEndian
	be.PutUint32(b[offCtime:], st.ctimeSec)
	be.PutUint32(b[offCtime+4:], st.ctimeNsec)
	be.PutUint32(b[offMtime:], st.mtimeSec)
	be.PutUint32(b[offMtime+4:], st.mtimeNsec)
	be.PutUint32(b[offDev:], st.dev)
	be.PutUint32(b[offIno:], st.ino)
	be.PutUint32(b[offUID:], st.uid)
	be.PutUint32(b[offGID:], st.gid)
	be.PutUint32(b[offSize:], st.size)
}

// racyCheck decides, for an entry whose recorded mtime is not older than
// the index file itself ("racily clean" in git's terms), whether its size
// must be smudged to 0 so that git re-reads the file's content. See
// newRacyCheck.
type racyCheck struct {
	indexMtimeSec uint32
	// needsSmudge reports whether the file at name still matches the
	// entry's stat data (so git would trust it without reading it) while
	// its content differs from the entry's object.
	needsSmudge func(name string, entry []byte) bool
}

// indexPlan is the new index as a list of byte slices, most of them slices
// of the old file, so that nothing is copied that does not change. The first
// same bytes of the new body equal the old one's, which lets the SHA-1 state
// of the verified old prefix be reused for the new checksum.
type indexPlan struct {
	old  []byte   // the old file, checksum included; nil when there was none
	segs [][]byte // the new file without its checksum
	same int      // leading bytes shared by old and new
}

// indexPatch is a replacement of old[from:to] by data.
type indexPatch struct {
	from, to int
	data     []byte
}

// planIndex plans the new content of the index file old (nil when there is
// no index yet) with the entry e written, or returns an *indexUnsupported
// error when it cannot be written faithfully. It does not verify the old
// checksum (see indexPlan.verify); old is not modified.
func planIndex(old []byte, e indexEntry, racy *racyCheck) (*indexPlan, error) {
	if old == nil {
		out := make([]byte, indexHeaderSize, 128)
		copy(out, "DIRC")
		binary.BigEndian.PutUint32(out[4:], 2)
		binary.BigEndian.PutUint32(out[8:], 1)
		out = appendEntry(out, 2, e, nil)
		return &indexPlan{segs: [][]byte{out}}, nil
	}
	if len(old) < indexHeaderSize+oidSize || string(old[:4]) != "DIRC" {
		return nil, indexSkip("the index is not in git's index format")
	}
	be := binary.BigEndian
	version := be.Uint32(old[4:])
	if version < 2 || version > 4 {
		return nil, indexSkip("index version %d is unknown", version)
	}
	body := old[:len(old)-oidSize]
	count := be.Uint32(old[8:])
	path := []byte(e.path)
	dirPrefix := append(append([]byte(nil), path...), '/')
	var ancestors [][]byte
	for i := range path {
		if path[i] == '/' {
			ancestors = append(ancestors, path[:i])
		}
	}

	var (
		off       = indexHeaderSize
		prev, cur []byte // v4: previous and current names
		name      []byte
		// Where the entry goes: found replaces [at, atEnd); otherwise a new
		// entry is inserted at at, before the entry that starts there.
		at, atEnd = -1, -1
		found     bool
		before    []byte // v4: name of the entry before at
		next      []byte // v4: name of the entry at at (re-encoded after ours)
		nextHdr   int    // v4: its fixed header size (62 or 64)
		smudges   []int  // offsets of racily clean entries to smudge
		last      []byte // v2/v3: the previous entry's name
		lastStage = -1
	)
	for i := uint32(0); i < count; i++ {
		start := off
		if off+entryFixedSize > len(body) {
			return nil, indexSkip("the index is truncated")
		}
		flags := be.Uint16(body[off+offFlags:])
		hdr := entryFixedSize
		if flags&flagExtended != 0 {
			hdr += 2
		}
		if off+hdr >= len(body) {
			return nil, indexSkip("the index is truncated")
		}
		if version == 4 {
			strip, n := decodeVarint(body[off+hdr:])
			if n == 0 {
				return nil, indexSkip("bad name in the index")
			}
			s := off + hdr + n
			nul := bytes.IndexByte(body[s:], 0)
			if nul < 0 || strip > uint64(len(prev)) {
				return nil, indexSkip("bad name in the index")
			}
			cur = append(append(cur[:0], prev[:len(prev)-int(strip)]...), body[s:s+nul]...)
			name = cur
			off = s + nul + 1
		} else {
			nl := int(flags & flagNameMask)
			s := off + hdr
			if nl == flagNameMask {
				nl = bytes.IndexByte(body[s:], 0)
				if nl < 0 {
					return nil, indexSkip("bad name in the index")
				}
			}
			if s+nl >= len(body) || body[s+nl] != 0 {
				return nil, indexSkip("bad name in the index")
			}
			name = body[s : s+nl]
			off = start + (hdr+nl+8)&^7
			if off > len(body) {
				return nil, indexSkip("the index is truncated")
			}
		}
		// git refuses an index whose entries are out of order; so does pm,
		// since its position search relies on the order.
		stage := int(flags&flagStageMask) >> 12
		prevName := last
		if version == 4 {
			prevName = prev
		}
		if i > 0 {
			if c := bytes.Compare(prevName, name); c > 0 || c == 0 && lastStage >= stage {
				return nil, indexSkip("the index entries are out of order")
			}
		}
		last, lastStage = name, stage
		if at < 0 {
			switch c := bytes.Compare(name, path); {
			case c == 0:
				if flags&flagStageMask != 0 {
					return nil, indexSkip("%s has unresolved merge conflicts", e.path)
				}
				if flags&flagExtended != 0 && be.Uint16(body[start+offExtendedFlags:])&extSkipWorktree != 0 {
					return nil, indexSkip("%s is outside the sparse checkout (skip-worktree)", e.path)
				}
				at, atEnd, found = start, off, true
			case c > 0:
				at, nextHdr = start, hdr
				before = append([]byte(nil), prev...)
				next = append([]byte(nil), name...)
			}
		} else if found && bytes.Equal(name, path) {
			return nil, indexSkip("%s has unresolved merge conflicts", e.path)
		}
		if bytes.HasPrefix(name, dirPrefix) {
			return nil, indexSkip("the index has files below %s, as if it were a folder", e.path)
		}
		for _, a := range ancestors {
			if len(a) == len(name) && bytes.Equal(a, name) {
				return nil, indexSkip("the index has a file %s where %s needs a folder", a, e.path)
			}
		}
		if racy != nil && be.Uint32(body[start+offMtime:]) >= racy.indexMtimeSec &&
			be.Uint32(body[start+offMode:])&0o170000 != modeGitlink &&
			be.Uint32(body[start+offSize:]) != 0 &&
			!bytes.Equal(name, path) && racy.needsSmudge(string(name), body[start:]) {
			smudges = append(smudges, start)
		}
		if version == 4 {
			prev, cur = cur, prev
		}
	}
	entriesEnd := off
	if at < 0 {
		at = entriesEnd
		before = append([]byte(nil), prev...)
	}

	exts, err := patchExtensions(body[entriesEnd:], bytes.Split(path, []byte("/"))[:len(ancestors)])
	if err != nil {
		return nil, err
	}

	// The changes, in file order.
	var patches []indexPatch
	if !found {
		hdr := append([]byte(nil), body[8:12]...)
		be.PutUint32(hdr, count+1)
		patches = append(patches, indexPatch{8, 12, hdr})
	}
	zero := make([]byte, 4)
	smudge := func(upTo int) {
		for len(smudges) > 0 && smudges[0] < upTo {
			o := smudges[0] + offSize
			patches = append(patches, indexPatch{o, o + 4, zero})
			smudges = smudges[1:]
		}
	}
	smudge(at)
	if found {
		entry := append([]byte(nil), body[at:atEnd]...)
		rewriteEntry(entry, e)
		patches = append(patches, indexPatch{at, atEnd, entry})
	} else {
		entry := appendEntry(nil, version, e, before)
		end := at
		if version == 4 && next != nil {
			// The following entry's name was stored relative to the entry
			// before ours; store it relative to ours instead.
			_, n := decodeVarint(body[at+nextHdr:])
			s := at + nextHdr + n
			end = s + bytes.IndexByte(body[s:], 0) + 1
			start := len(entry)
			entry = append(entry, body[at:at+nextHdr]...)
			if len(smudges) > 0 && smudges[0] == at {
				be.PutUint32(entry[start+offSize:], 0)
				smudges = smudges[1:]
			}
			entry = appendV4Name(entry, path, next)
		}
		patches = append(patches, indexPatch{at, end, entry})
	}
	smudge(entriesEnd)
	patches = append(patches, indexPatch{entriesEnd, len(body), exts})

	p := &indexPlan{old: old, same: patches[0].from}
	pos := 0
	for _, pt := range patches {
		if pt.from > pos {
			p.segs = append(p.segs, body[pos:pt.from])
		}
		if len(pt.data) > 0 {
			p.segs = append(p.segs, pt.data)
		}
		pos = pt.to
	}
	return p, nil
}

// verify checks the old file's checksum (an all-zero checksum means
// index.skipHash: not recorded) and returns the SHA-1 state after the
// shared prefix, from which the new checksum continues.
func (p *indexPlan) verify() ([]byte, error) {
	h := sha1.New()
	if p.old == nil {
		return h.(encoding.BinaryMarshaler).MarshalBinary()
	}
	body, sum := p.old[:len(p.old)-oidSize], p.old[len(p.old)-oidSize:]
	h.Write(body[:p.same])
	state, err := h.(encoding.BinaryMarshaler).MarshalBinary()
	if err != nil {
		return nil, err
	}
	if allZero(sum) {
		return state, nil
	}
	h.Write(body[p.same:])
	if !bytes.Equal(h.Sum(nil), sum) {
		return nil, indexSkip("the index checksum does not match its content")
	}
	return state, nil
}

// checksum continues the SHA-1 state of the shared prefix over the new
// segments that follow it.
func (p *indexPlan) checksum(state []byte) ([]byte, error) {
	h := sha1.New()
	if err := h.(encoding.BinaryUnmarshaler).UnmarshalBinary(state); err != nil {
		return nil, err
	}
	skip := p.same
	for _, s := range p.segs {
		if skip >= len(s) {
			skip -= len(s)
			continue
		}
		h.Write(s[skip:])
		skip = 0
	}
	return h.Sum(nil), nil
}

// patchIndex is planIndex, verify and checksum in sequence: the complete
// new index file. The commit path uses indexLock.update, which does the
// same work in parallel.
func patchIndex(old []byte, e indexEntry, racy *racyCheck) ([]byte, error) {
	p, err := planIndex(old, e, racy)
	if err != nil {
		return nil, err
	}
	state, err := p.verify()
	if err != nil {
		return nil, err
	}
	sum, err := p.checksum(state)
	if err != nil {
		return nil, err
	}
	return append(bytes.Join(p.segs, nil), sum...), nil
}

// rewriteEntry overwrites an existing entry's stat data, mode and object id,
// keeping its name, its assume-unchanged bit and its size on disk; an
// intent-to-add mark is cleared since the entry now has real content.
func rewriteEntry(entry []byte, e indexEntry) {
	be := binary.BigEndian
	e.stat.put(entry)
	be.PutUint32(entry[offMode:], e.mode)
	copy(entry[offOID:offOID+oidSize], e.oid[:])
	flags := be.Uint16(entry[offFlags:])
	if flags&flagExtended != 0 {
		ext := be.Uint16(entry[offExtendedFlags:])
		be.PutUint16(entry[offExtendedFlags:], ext&^extIntentToAdd)
	}
}

// appendEntry encodes a new stage-0 entry without extended flags. In
// version 4 its name is prefix-compressed against prev.
func appendEntry(out []byte, version uint32, e indexEntry, prev []byte) []byte {
	start := len(out)
	out = append(out, make([]byte, entryFixedSize)...)
	b := out[start:]
	e.stat.put(b)
	binary.BigEndian.PutUint32(b[offMode:], e.mode)
	copy(b[offOID:offOID+oidSize], e.oid[:])
	binary.BigEndian.PutUint16(b[offFlags:], uint16(min(len(e.path), flagNameMask)))
	if version == 4 {
		return appendV4Name(out, prev, []byte(e.path))
	}
	out = append(out, e.path...)
	pad := (entryFixedSize+len(e.path)+8)&^7 - entryFixedSize - len(e.path)
	return append(out, make([]byte, pad)...)
}

// appendV4Name writes name as version 4 stores it: how many bytes to drop
// from the end of prev, then the rest of name, NUL-terminated.
func appendV4Name(out, prev, name []byte) []byte {
	common := 0
	for common < len(prev) && common < len(name) && prev[common] == name[common] {
		common++
	}
	out = appendVarint(out, uint64(len(prev)-common))
	out = append(out, name[common:]...)
	return append(out, 0)
}

// decodeVarint reads git's offset varint (varint.c); n is 0 on bad input.
func decodeVarint(b []byte) (v uint64, n int) {
	if len(b) == 0 {
		return 0, 0
	}
	c := b[0]
	n = 1
	v = uint64(c & 127)
	for c&128 != 0 {
		v++
		if v == 0 || v>>57 != 0 || n >= len(b) {
			return 0, 0
		}
		c = b[n]
		n++
		v = v<<7 + uint64(c&127)
	}
	return v, n
}

func appendVarint(out []byte, v uint64) []byte {
	var buf [16]byte
	pos := len(buf) - 1
	buf[pos] = byte(v & 127)
	for v >>= 7; v != 0; v >>= 7 {
		v--
		pos--
		buf[pos] = 128 | byte(v&127)
	}
	return append(out, buf[pos:]...)
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// patchExtensions returns the extensions to write after the entries. The
// cache-tree (TREE) is kept with the folders along the path invalidated, as
// git's cache_tree_invalidate_path does; resolve-undo (REUC) is kept. The
// optional caches git rebuilds on its own — untracked cache (UNTR),
// fsmonitor (FSMN), end-of-entries and offset table (EOIE, IEOT) — and any
// other optional extension are dropped, since their offsets or bitmaps
// would no longer match. A split index (link), a sparse index (sdir) or an
// unknown required extension cannot be written faithfully.
func patchExtensions(data []byte, dirs [][]byte) ([]byte, error) {
	var out []byte
	for off := 0; off < len(data); {
		if off+8 > len(data) {
			return nil, indexSkip("the index extensions are truncated")
		}
		sig := string(data[off : off+4])
		size := int(binary.BigEndian.Uint32(data[off+4:]))
		if size < 0 || off+8+size > len(data) {
			return nil, indexSkip("the index extension %q is truncated", sig)
		}
		payload := data[off+8 : off+8+size]
		off += 8 + size
		switch sig {
		case "TREE":
			tree, err := invalidateCacheTree(payload, dirs)
			if err != nil {
				continue // a cache-tree is optional: drop what cannot be read
			}
			out = appendExtension(out, sig, tree)
		case "REUC":
			out = appendExtension(out, sig, payload)
		case "link":
			return nil, indexSkip("the index is split (core.splitIndex)")
		case "sdir":
			return nil, indexSkip("the index is sparse (index.sparse)")
		default:
			if sig[0] < 'A' || sig[0] > 'Z' {
				return nil, indexSkip("the index uses the %q extension, which pm does not know", sig)
			}
			// Optional: git rebuilds it.
		}
	}
	return out, nil
}

func appendExtension(out []byte, sig string, payload []byte) []byte {
	out = append(out, sig...)
	out = binary.BigEndian.AppendUint32(out, uint32(len(payload)))
	return append(out, payload...)
}

// invalidateCacheTree rewrites a TREE extension with the root and every
// folder in dirs (the names of the path's folders, outermost first) marked
// invalid:
// entry count -1 and no tree id, which makes git recompute those trees
// from the index the next time it needs them.
func invalidateCacheTree(data []byte, dirs [][]byte) ([]byte, error) {
	out := make([]byte, 0, len(data)+8)
	pos := 0
	var node func(onPath bool, depth int) error
	node = func(onPath bool, depth int) error {
		nul := bytes.IndexByte(data[pos:], 0)
		if nul < 0 {
			return errors.New("bad cache-tree name")
		}
		name := data[pos : pos+nul]
		pos += nul + 1
		nl := bytes.IndexByte(data[pos:], '\n')
		if nl < 0 {
			return errors.New("bad cache-tree counts")
		}
		a, b, ok := bytes.Cut(data[pos:pos+nl], []byte(" "))
		entries, err1 := strconv.Atoi(string(a))
		subtrees, err2 := strconv.Atoi(string(b))
		if !ok || err1 != nil || err2 != nil || subtrees < 0 {
			return errors.New("bad cache-tree counts")
		}
		pos += nl + 1
		out = append(out, name...)
		out = append(out, 0)
		if onPath {
			out = fmt.Appendf(out, "-1 %d\n", subtrees)
		} else {
			out = fmt.Appendf(out, "%d %d\n", entries, subtrees)
		}
		if entries >= 0 {
			if pos+oidSize > len(data) {
				return errors.New("truncated cache-tree")
			}
			if !onPath {
				out = append(out, data[pos:pos+oidSize]...)
			}
			pos += oidSize
		}
		for range subtrees {
			if pos >= len(data) {
				return errors.New("truncated cache-tree")
			}
			child := data[pos:]
			if nul := bytes.IndexByte(child, 0); nul >= 0 {
				child = child[:nul]
			}
			childOnPath := onPath && depth < len(dirs) && bytes.Equal(child, dirs[depth])
			if err := node(childOnPath, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := node(true, 0); err != nil {
		return nil, err
	}
	if pos != len(data) {
		return nil, errors.New("trailing bytes after the cache-tree")
	}
	return out, nil
}

// indexLock is git's index.lock, taken before the commit is made (as git
// commit does) so that the index pm reads is the one it replaces.
type indexLock struct {
	file, lock string
	f          *os.File
	held       *heldLock // pm's lock, which notes index.lock while it exists
	tmp        string    // the new index, written beside the index until commit
	done       bool      // let go
	shared     int       // core.sharedRepository (sharedPerm): the new index's modes
}

// indexLockWait bounds how long a commit waits for a git command that holds
// index.lock. git itself does not wait, but a user's `git commit` holds the
// lock only for milliseconds (longer while its pre-commit hook runs), and an
// entry typed during an outage should not fail for that; past the wait pm
// gives up as git does, and the entry stays in the file.
var indexLockWait = 3 * time.Second

// lockIndexWait is lockIndex, retried while another git command holds the
// lock, for up to wait.
func lockIndexWait(index string, held *heldLock, wait time.Duration) (*indexLock, error) {
	deadline := lockClock().Add(wait)
	delay := time.Millisecond
	for {
		l, err := lockIndex(index, held)
		if err == nil || !errors.Is(err, os.ErrExist) || !lockClock().Before(deadline) {
			return l, err
		}
		time.Sleep(delay)
		delay = min(2*delay, 20*time.Millisecond)
	}
}

// lockIndex takes index.lock (for git's index file index) without waiting.
// The lock file is noted in held (pm's own lock, may be nil) until it is
// renamed or removed.
func lockIndex(index string, held *heldLock) (*indexLock, error) {
	l := &indexLock{file: index, lock: index + ".lock", held: held}
	f, err := createNoted(l.lock, held, os.O_RDWR, 0o666)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("git's index is locked: %s exists (another git command is running): %w", l.lock, os.ErrExist)
		}
		return nil, fmt.Errorf("cannot create %s: %v", l.lock, err)
	}
	l.f = f
	return l, nil
}

// rollback releases the lock and leaves the index as it was, unless
// commit put the new one in place.
func (l *indexLock) rollback() {
	if l == nil || l.done {
		return
	}
	if l.f != nil {
		l.f.Close()
		l.f = nil
	}
	if l.tmp != "" {
		os.Remove(l.tmp) // written but not put in place
		l.held.free(l.tmp)
		l.tmp = ""
	}
	os.Remove(l.lock)
	l.held.free(l.lock)
	l.done = true
}

// commit renames the index written by write over the index.
// The new index is put in place with index.lock still held, and the lock
// is let go only by rollback, after the branch moved: git reads HEAD and
// the index without the lock and takes it only to write, so a git command
// that read either before pm was done cannot take the lock until both are
// in place, and its commit of a stale HEAD is then refused by git's own
// compare-and-swap of the branch. (Renaming index.lock over the index, as
// git does, would let go of the lock between the index and the branch: the
// race test found a user's commit reverting pm's entry in that instant.)
func (l *indexLock) commit() error {
	if err := os.Rename(l.tmp, l.file); err != nil {
		l.rollback()
		return fmt.Errorf("cannot replace %s: %v", l.file, err)
	}
	l.held.free(l.tmp)
	l.tmp = ""
	return nil
}

// write reads the index and writes the patched copy into index.lock, ready
// for commit; on an error the lock is released and the index left alone.
// root is the work tree, for the racy check. An index it cannot rewrite
// faithfully is an *indexUnsupported error.
//
// The work is spread over the machine's cores, since hashing the index
// costs more than finding the entry: the old checksum is verified while the
// entry is located, and the new checksum is computed while the file is
// written. The rename happens only once the old checksum proved right.
func (l *indexLock) write(root string, e indexEntry) (err error) {
	defer func() {
		if err != nil {
			l.rollback()
		}
	}()
	var old []byte
	var racy *racyCheck
	f, err := os.Open(l.file)
	switch {
	case err == nil:
		fi, err := f.Stat()
		if err == nil {
			old = make([]byte, fi.Size())
			_, err = io.ReadFull(f, old)
			racy = newRacyCheck(root, fi)
		}
		f.Close()
		if err != nil {
			return indexSkip("cannot read %s: %v", l.file, err)
		}
	case errors.Is(err, os.ErrNotExist):
		// A fresh repository has no index: start one.
	default:
		return indexSkip("cannot read %s: %v", l.file, err)
	}

	verified := make(chan verifyResult, 1)
	go func() { verified <- verifyIndex(old) }()
	plan, err := planIndex(old, e, racy)
	if err != nil {
		return err
	}
	summed := make(chan []byte, 1)
	var vres *verifyResult
	go func() {
		h := sha1.New()
		if plan.same <= len(plan.old)/2 {
			// Most of the file changes position (an inserted entry
			// changes the header): hash it all, alongside the check.
			for _, s := range plan.segs {
				h.Write(s)
			}
			summed <- h.Sum(nil)
			return
		}
		// An entry rewritten in place: continue from the check's state
		// nearest before the change.
		r := <-verified
		vres = &r
		if r.err != nil {
			summed <- nil
			return
		}
		snap := r.snaps[0]
		for _, sn := range r.snaps {
			if sn.off <= plan.same {
				snap = sn
			}
		}
		if err := h.(encoding.BinaryUnmarshaler).UnmarshalBinary(snap.state); err != nil {
			vres.err = err
			summed <- nil
			return
		}
		h.Write(plan.old[snap.off:plan.same])
		skip := plan.same
		for _, s := range plan.segs {
			if skip >= len(s) {
				skip -= len(s)
				continue
			}
			h.Write(s[skip:])
			skip = 0
		}
		summed <- h.Sum(nil)
	}()

	var rnd [6]byte
	rand.Read(rnd[:])
	dir, base := filepath.Split(l.file)
	l.tmp = filepath.Join(dir, "."+base+".tmp-"+hex.EncodeToString(rnd[:]))
	l.held.ownName(l.tmp)
	out, err := os.OpenFile(l.tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		l.held.free(l.tmp)
		l.tmp = ""
		return indexSkip("cannot write the new index beside %s: %v", l.file, err)
	}
	if l.shared != 0 {
		adjustShared(l.shared, l.tmp) //nolint:errcheck // as git's index.lock; a mode it cannot set leaves the umask's
	}
	w := bufio.NewWriterSize(out, 64<<10)
	var werr error
	for _, s := range plan.segs {
		if _, werr = w.Write(s); werr != nil {
			break
		}
	}
	sum := <-summed
	if vres == nil {
		r := <-verified
		vres = &r
	}
	if vres.err != nil {
		out.Close()
		return vres.err
	}
	if werr == nil {
		_, werr = w.Write(sum)
	}
	if werr == nil {
		werr = w.Flush()
	}
	if cerr := out.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return indexSkip("cannot write the new index %s: %v", l.tmp, werr)
	}
	return nil
}

// hashSnap is the SHA-1 state after the first off bytes of the old index.
type hashSnap struct {
	off   int
	state []byte
}

type verifyResult struct {
	snaps []hashSnap
	err   error
}

const snapEvery = 256 << 10

// verifyIndex checks the old index's trailing checksum (an all-zero one
// means index.skipHash: nothing recorded), keeping the hash state every
// snapEvery bytes so the new checksum can start from near the change.
func verifyIndex(old []byte) verifyResult {
	h := sha1.New()
	m := h.(encoding.BinaryMarshaler)
	state, _ := m.MarshalBinary()
	res := verifyResult{snaps: []hashSnap{{0, state}}}
	if old == nil {
		return res
	}
	if len(old) < oidSize {
		res.err = indexSkip("the index is truncated")
		return res
	}
	body, sum := old[:len(old)-oidSize], old[len(old)-oidSize:]
	for off := 0; off < len(body); off += snapEvery {
		h.Write(body[off:min(off+snapEvery, len(body))])
		if st, err := m.MarshalBinary(); err == nil {
			res.snaps = append(res.snaps, hashSnap{min(off+snapEvery, len(body)), st})
		}
	}
	if !allZero(sum) && !bytes.Equal(h.Sum(nil), sum) {
		res.err = indexSkip("the index checksum does not match its content")
	}
	return res
}

// newRacyCheck prepares git's racy-git protection for an index whose file
// info is fi. Entries recorded in the same second as the index was written
// (or later) may be "racily clean": their file could have changed right after
// the index was written without its stat data changing. git guards them by
// comparing the entry's mtime with the index file's; pm's rewrite gives the
// index a new mtime, so, like git's ce_smudge_racily_clean_entry when git
// writes an index, pm checks such entries whose stat data still match their
// file and sets the size of those whose content differs to 0, which makes
// git compare the content next time. Seconds are compared, as git does
// unless built with USE_NSEC.
func newRacyCheck(root string, fi os.FileInfo) *racyCheck {
	return &racyCheck{
		indexMtimeSec: uint32(fi.ModTime().Unix()),
		needsSmudge: func(name string, entry []byte) bool {
			full := filepath.Join(root, filepath.FromSlash(name))
			st, err := os.Lstat(full)
			if err != nil {
				return false // missing: git sees that without help
			}
			be := binary.BigEndian
			if uint32(st.ModTime().Unix()) != be.Uint32(entry[offMtime:]) || uint32(st.Size()) != be.Uint32(entry[offSize:]) {
				return false // git sees the change from the stat data
			}
			var content []byte
			if st.Mode()&os.ModeSymlink != 0 {
				target, err := os.Readlink(full)
				if err != nil {
					return true
				}
				content = []byte(filepath.ToSlash(target))
			} else if content, err = os.ReadFile(full); err != nil {
				return true
			}
			h := plumbing.ComputeHash(plumbing.BlobObject, content)
			return !bytes.Equal(h[:], entry[offOID:offOID+oidSize])
		},
	}
}

// ShellQuote quotes s for a POSIX shell when it needs it, so that printed
// commands can be pasted as they are.
func ShellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+@%=:,", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
