//go:build pmbench_nojournal

package repo

// A build for bench/journal.sh only: pm without its journal, so that the
// journal's cost is the difference between two builds of the same commit.
func init() { journalOff = true }
