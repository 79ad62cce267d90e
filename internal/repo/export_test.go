package repo

import "os"

// This file gives the fault tests of package repo_test (which drive the
// real cli) their hooks. Being a _test file, none of it is in pm: the
// binary has no switch, environment or otherwise, that crashes it.

// Fault points, for SetFaultHook.
const (
	FaultTempWritten    = faultTempWritten
	FaultRenamed        = faultRenamed
	FaultObjectsWritten = faultObjectsWritten
	FaultRefLocked      = faultRefLocked
	FaultRefUpdated     = faultRefUpdated
)

// SetFaultHook makes f run at every fault point until restore is called.
func SetFaultHook(f func(point string)) (restore func()) {
	old := faultHook
	faultHook = f
	return func() { faultHook = old }
}

// atFault runs f when a write reaches point (for the package's own tests:
// a concurrent writer just before the branch moves, a look at the lock
// while the temporary file exists) and returns what undoes it.
func atFault(point string, f func()) (restore func()) {
	return SetFaultHook(func(p string) {
		if p == point {
			f()
		}
	})
}

// WriteFault makes one step of WriteFileAtomic fail with err, the way a
// full or read-only disk fails it: "create" (nothing is created), "write"
// (half the data reaches the temporary file first), "sync" or "rename".
// restore puts the real file system back.
func WriteFault(step string, err error) (restore func()) {
	old := atomicFS
	realCreate := atomicFS.create
	switch step {
	case "create":
		atomicFS.create = func(string, os.FileMode) (tempFile, error) { return nil, err }
	case "write", "sync":
		atomicFS.create = func(name string, perm os.FileMode) (tempFile, error) {
			f, cerr := realCreate(name, perm)
			if cerr != nil {
				return nil, cerr
			}
			return &failingFile{tempFile: f, step: step, err: err}, nil
		}
	case "rename":
		atomicFS.rename = func(string, string) error { return err }
	default:
		panic("WriteFault: unknown step " + step)
	}
	return func() { atomicFS = old }
}

// failingFile is a real temporary file whose write or sync fails.
type failingFile struct {
	tempFile
	step string
	err  error
}

func (f *failingFile) Write(b []byte) (int, error) {
	if f.step != "write" {
		return f.tempFile.Write(b)
	}
	n, _ := f.tempFile.Write(b[:len(b)/2])
	return n, f.err
}

func (f *failingFile) Sync() error {
	if f.step == "sync" {
		return f.err
	}
	return f.tempFile.Sync()
}
