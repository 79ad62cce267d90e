package cli

import (
	"errors"
	"io/fs"
	"syscall"
	"testing"
)

// TestUnreadable: a folder pm cannot read is named as the user types it,
// with why and how to look, not as Go's "open /abs/path/: ..." (root, as
// the tests run, reads every folder, so the message is checked here).
func TestUnreadable(t *testing.T) {
	w := &workspace{app: &app{dir: "/r"}, root: "/r"}
	w.cfg.Folder = "postmortems"
	err := w.unreadable(&fs.PathError{Op: "open", Path: "/r/postmortems/2019/", Err: syscall.EACCES})
	want := "cannot read postmortems/2019: permission denied; check its permissions with ls -ld postmortems/2019"
	if err == nil || err.Error() != want || exitCode(err) != exitProblem {
		t.Fatalf("got %v (exit %d), want %q (exit %d)", err, exitCode(err), want, exitProblem)
	}
	if err := w.unreadable(errors.New("disk on fire")); err.Error() != "cannot list postmortems: disk on fire" {
		t.Fatalf("other errors: %v", err)
	}
}
