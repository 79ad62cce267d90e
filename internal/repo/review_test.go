package repo

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestTakeOverSparesReusedInode (review of 21c2047): a pm dies holding
// git's index.lock (or a branch lock) and notes it in pm.lock. Before any
// pm runs again, the user follows git's own advice ("remove the file
// manually") and a git command then takes the lock afresh: on ext4 and XFS
// the new file gets the inode number just freed, in the same folder, so
// DEV:INO matches the dead pm's note. The next pm's takeover must not
// remove the lock of that live git command: the note's birth time tells
// the two files apart.
func TestTakeOverSparesReusedInode(t *testing.T) {
	host, _ := os.Hostname()
	for _, rel := range []string{"index.lock", "refs/heads/main.lock"} {
		t.Run(rel, func(t *testing.T) {
			gitDir := filepath.Join(t.TempDir(), ".git")
			lockFile := filepath.Join(gitDir, filepath.FromSlash(rel))
			putFile(t, lockFile, "the dead pm's\n")
			id := idOf(t, lockFile)
			path := filepath.Join(gitDir, "pm.lock")
			putFile(t, path, fmt.Sprintf("pid %d\nhost %s\ntime x\nowns %s %s\n", deadPid(t), host, id, rel))

			// The user removes the orphan; git takes the lock and holds it.
			// A person takes far longer than a tick of the file system's
			// clock, which stamps birth times (4 ms at HZ=250).
			time.Sleep(20 * time.Millisecond)
			if err := os.Remove(lockFile); err != nil {
				t.Fatal(err)
			}
			g, err := os.OpenFile(lockFile, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
			if err != nil {
				t.Fatal(err)
			}
			defer g.Close()
			if devIno(idOf(t, lockFile)) != devIno(id) {
				t.Skip("this file system did not reuse the inode number")
			}

			unlock, err := LockPath(path, time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer unlock()
			if _, err := os.Stat(lockFile); err != nil {
				t.Errorf("the takeover removed %s, which a live git command holds: %v", rel, err)
			}
		})
	}
}
