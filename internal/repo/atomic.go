package repo

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
)

// ErrReadOnlyFile and ErrReadOnlyFolder are the causes WriteFileAtomic gives
// when the file, or the folder it would be replaced in, has no write
// permission bit at all. pm honours that even where the system would let it
// write anyway (as root), since someone made it read-only on purpose.
var (
	ErrReadOnlyFile   = errors.New("the file is read-only")
	ErrReadOnlyFolder = errors.New("its folder is read-only")
)

// WriteError is why WriteFileAtomic could not replace a file. The file is
// as it was, and no temporary file is left behind.
type WriteError struct {
	Path string // the file, as the caller named it
	// Op is the step that failed: "create a temporary file", "write",
	// "sync", "close" or "replace"; empty for ErrReadOnlyFile and
	// ErrReadOnlyFolder, which are found before anything is written.
	Op string
	// Err is the cause: ErrReadOnlyFile, ErrReadOnlyFolder or the system's
	// error number (syscall.ENOSPC, syscall.EROFS, ...), without the name
	// of the temporary file, which no longer exists.
	Err error
}

func (e *WriteError) Error() string { return "write " + e.Path + ": " + e.Reason() }

// Reason is the error without the file name, for callers that name the
// file their own way.
func (e *WriteError) Reason() string {
	if e.Op == "" {
		return e.Err.Error()
	}
	return e.Op + ": " + e.Err.Error()
}

func (e *WriteError) Unwrap() error { return e.Err }

// tempFile is what WriteFileAtomic does with its temporary file; *os.File
// in pm, a file that fails on cue in the fault tests.
type tempFile interface {
	io.Writer
	Chmod(os.FileMode) error
	Sync() error
	Close() error
	Stat() (os.FileInfo, error)
}

// atomicFS is the file system seam of WriteFileAtomic: the two calls whose
// failure a full or read-only disk shows first. Tests replace them
// (export_test.go) to inject ENOSPC, EROFS or EACCES at each step, where no
// small file system can be made without root.
var atomicFS = struct {
	create func(name string, perm os.FileMode) (tempFile, error)
	rename func(oldpath, newpath string) error
}{
	create: func(name string, perm os.FileMode) (tempFile, error) {
		return os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	},
	rename: os.Rename,
}

// WriteFileAtomic writes data to path so that a reader (or a crash) sees
// either the old file or the new one, never a partial file: it writes a
// temporary file ".NAME.tmp-RANDOM" in the same folder, fsyncs it, renames
// it over path and fsyncs the folder. An existing file keeps its permission
// bits (an executable stays executable); perm, less the umask, applies only
// to a new file. When path is a symbolic link, the file it points to is
// replaced and the link is kept.
//
// A file or folder without any write permission bit is refused
// (ErrReadOnlyFile, ErrReadOnlyFolder) rather than replaced. Errors are
// *WriteError; the file is then untouched and the temporary file removed.
// A process killed between creating and renaming the temporary file leaves
// it behind; Repo.WriteFile notes it in pm's lock so that the next pm
// removes it.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	return writeFileAtomic(path, data, perm, nil, "")
}

// WriteFileAtomicVia is WriteFileAtomic with the temporary file made in
// tmpDir, which must be on the same file system: pm merge-driver writes the
// file git gave it in the work tree's root this way, so that a driver
// killed mid-write leaves no stray file for git status to show (git owns
// the one it passed; nothing notes the temporary one). Where the rename
// across folders fails, it writes beside the file instead.
func WriteFileAtomicVia(path string, data []byte, perm os.FileMode, tmpDir string) error {
	err := writeFileAtomic(path, data, perm, nil, tmpDir)
	if we := (*WriteError)(nil); errors.As(err, &we) && we.Op == "replace" && errors.Is(we.Err, syscall.EXDEV) {
		return writeFileAtomic(path, data, perm, nil, "")
	}
	return err
}

func writeFileAtomic(path string, data []byte, perm os.FileMode, owner *heldLock, tmpDir string) error {
	fail := func(op string, err error) error { return &WriteError{Path: path, Op: op, Err: errnoOf(err)} }
	target := path
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		if t, err := filepath.EvalSymlinks(path); err == nil {
			target = t
		}
	}
	var keep os.FileMode
	existing := false
	if fi, err := os.Stat(target); err == nil {
		if !fi.Mode().IsRegular() {
			return fail("", errors.New("not a regular file"))
		}
		keep = fi.Mode() & (os.ModePerm | os.ModeSetuid | os.ModeSetgid | os.ModeSticky)
		if keep&0o222 == 0 {
			return fail("", ErrReadOnlyFile)
		}
		existing = true
	} else if !errors.Is(err, os.ErrNotExist) {
		return fail("", err)
	}

	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	tmpIn := dir
	if tmpDir != "" {
		tmpIn = tmpDir
	}
	// (Windows marks folders read-only for other reasons and still writes
	// into them; only the file's attribute means read-only there.)
	if fi, err := os.Stat(dir); err == nil && fi.Mode().Perm()&0o222 == 0 && runtime.GOOS != "windows" {
		return fail("", ErrReadOnlyFolder)
	}
	var f tempFile
	var tmp string
	for range 100 {
		var rnd [6]byte
		if _, err := rand.Read(rnd[:]); err != nil {
			return fail("create a temporary file", err)
		}
		tmp = filepath.Join(tmpIn, "."+base+".tmp-"+hex.EncodeToString(rnd[:]))
		createPerm := perm.Perm()
		if existing {
			createPerm = 0o600 // chmod'ed to the kept mode below, umask or not
		}
		var err error
		owner.ownName(tmp)
		f, err = atomicFS.create(tmp, createPerm)
		if err == nil {
			break
		}
		f = nil
		owner.free(tmp)
		if !errors.Is(err, os.ErrExist) {
			return fail("create a temporary file", err)
		}
	}
	if f == nil {
		return fail("create a temporary file", fmt.Errorf("no free name in %s", dir))
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
			owner.free(tmp)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return fail("write", err)
	}
	if existing {
		if err := f.Chmod(keep); err != nil {
			return fail(fmt.Sprintf("keep mode %v", keep), err)
		}
	}
	if err := f.Sync(); err != nil {
		return fail("sync", err)
	}
	if err := f.Close(); err != nil {
		return fail("close", err)
	}
	faultHook(faultTempWritten)
	// The note is dropped after the rename: a note of a name that no
	// longer exists is harmless, while dropping it first left a window in
	// which a kill left the temporary file unclaimed in the work tree.
	if err := atomicFS.rename(tmp, target); err != nil {
		os.Remove(tmp)
		owner.free(tmp)
		ok = true // removed; nothing left to clean up
		return fail("replace", err)
	}
	owner.free(tmp)
	ok = true
	// Make the rename itself durable. Some systems cannot fsync a folder;
	// the data is already safe in the file, so that is not an error.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	faultHook(faultRenamed)
	return nil
}

// errnoOf strips the operating system's wrapping (which names the
// temporary file) down to the error number, when there is one.
func errnoOf(err error) error {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno
	}
	return err
}
