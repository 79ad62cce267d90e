package repo

// faultHook runs at the named points of a write and a commit where a crash
// leaves the most telling state behind. It does nothing in pm itself; the
// fault tests replace it (through export_test.go, so the binary has no
// switch that could crash it) with one that kills the process at a point,
// to prove that the file is then either the old or the new version and
// that the next pm command recovers.
var faultHook = func(point string) {}

// The fault points, in the order a writing command reaches them.
const (
	// faultTempWritten: the temporary file is written and synced; the
	// file itself is still the old version.
	faultTempWritten = "temp-written"
	// faultRenamed: the new version is in place; nothing is committed yet.
	faultRenamed = "renamed"
	// faultObjectsWritten: blob, trees and commit are in the object
	// store, git's index.lock is held; the branch still names the old
	// commit.
	faultObjectsWritten = "objects-written"
	// faultRefLocked: git's refs/heads/BRANCH.lock exists and holds the
	// new commit id; the branch itself still names the old commit.
	faultRefLocked = "ref-locked"
	// faultRefUpdated: the branch names the new commit; git's index.lock
	// is still held and the index still has the old entry.
	faultRefUpdated = "ref-updated"
)
