package repo

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestWriteFileAtomicFaults fails each step of a write the way a full or
// read-only disk does, and a read-only file or folder: the error is one line
// that names the file and the cause (not the temporary file), the file is
// byte for byte what it was (or still absent), no temporary file is left,
// and a note in pm's lock is dropped again.
func TestWriteFileAtomicFaults(t *testing.T) {
	pathErr := func(op string, errno syscall.Errno) error {
		return &os.PathError{Op: op, Path: "/somewhere/.x.md.tmp-0123456789ab", Err: errno}
	}
	cases := []struct {
		name    string
		step    string // WriteFault step; "" for none
		err     error
		chmod   string // "file" or "folder": make it read-only instead
		newFile bool   // no file before the write
		want    error  // errors.Is
		wantMsg string
	}{
		{"read-only file system at create", "create", pathErr("open", syscall.EROFS), "", false, syscall.EROFS, "create a temporary file: read-only file system"},
		{"permission denied at create", "create", pathErr("open", syscall.EACCES), "", false, os.ErrPermission, "create a temporary file: permission denied"},
		{"disk full at write", "write", pathErr("write", syscall.ENOSPC), "", false, syscall.ENOSPC, "write: no space left on device"},
		{"disk full at write, new file", "write", pathErr("write", syscall.ENOSPC), "", true, syscall.ENOSPC, "write: no space left on device"},
		{"quota at sync", "sync", pathErr("sync", syscall.EDQUOT), "", false, syscall.EDQUOT, "sync: disk quota exceeded"},
		{"disk full at sync", "sync", pathErr("sync", syscall.ENOSPC), "", false, syscall.ENOSPC, "sync: no space left on device"},
		{"disk full at rename", "rename", &os.LinkError{Op: "rename", Old: "/somewhere/.x.md.tmp-0123456789ab", New: "x.md", Err: syscall.ENOSPC}, "", false, syscall.ENOSPC, "replace: no space left on device"},
		{"read-only file", "", nil, "file", false, ErrReadOnlyFile, "the file is read-only"},
		{"read-only folder", "", nil, "folder", false, ErrReadOnlyFolder, "its folder is read-only"},
		{"read-only folder, new file", "", nil, "folder", true, ErrReadOnlyFolder, "its folder is read-only"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "postmortems")
			path := filepath.Join(dir, "x.md")
			const old = "---\nid: x\n---\nold content\n"
			if c.newFile {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
			} else {
				putFile(t, path, old)
			}
			switch c.chmod {
			case "file":
				os.Chmod(path, 0o444)
			case "folder":
				os.Chmod(dir, 0o555)
				t.Cleanup(func() { os.Chmod(dir, 0o755) })
			}
			if c.step != "" {
				defer WriteFault(c.step, c.err)()
			}
			lock, err := lockPath(filepath.Join(t.TempDir(), "pm.lock"), time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer lock.unlock()

			err = writeFileAtomic(path, []byte("---\nid: x\n---\nnew content that is longer than the old one\n"), 0o644, lock, "")
			if err == nil {
				t.Fatal("the write succeeded")
			}
			var we *WriteError
			if !errors.As(err, &we) || !errors.Is(err, c.want) {
				t.Errorf("err = %#v, want a *WriteError wrapping %v", err, c.want)
			}
			msg := err.Error()
			if want := "write " + path + ": " + c.wantMsg; msg != want {
				t.Errorf("message\n%s\nwant\n%s", msg, want)
			}
			if strings.Contains(msg, "\n") || strings.Contains(msg, ".tmp-") {
				t.Errorf("message %q: want one line without the temporary file", msg)
			}
			got, rerr := os.ReadFile(path)
			switch {
			case c.newFile && !os.IsNotExist(rerr):
				t.Errorf("a file was created: %q, %v", got, rerr)
			case !c.newFile && string(got) != old:
				t.Errorf("the file changed: %q, %v", got, rerr)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1-btoi(c.newFile) {
				t.Errorf("left in the folder: %v", entries)
			}
			if got, _ := os.ReadFile(lock.path); string(got) != lock.token {
				t.Errorf("pm's lock still notes a file: %q", got)
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestWriteFileNotesTemp: Repo.WriteFile notes its temporary file in pm's
// lock while the file exists (so a takeover after a crash removes it) and
// drops the note before the rename.
func TestWriteFileNotesTemp(t *testing.T) {
	r := fakeRepo(t, t.TempDir())
	unlock, err := r.Lock(time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	lockFile := filepath.Join(r.CommonDir, "pm.lock")
	token := readString(t, lockFile)
	var during string
	defer atFault(faultTempWritten, func() { during = readString(t, lockFile) })()
	path := filepath.Join(r.Root, "postmortems", "x.md")
	putFile(t, path, "old\n")
	if err := r.WriteFile(path, []byte("new\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	note := strings.TrimPrefix(during, token)
	if !strings.HasPrefix(during, token) || !strings.HasPrefix(note, "owns ") || !isTempName(filepath.Base(strings.TrimSpace(note))) {
		t.Errorf("lock while the temporary file existed: %q", during)
	}
	if got := readString(t, lockFile); got != token {
		t.Errorf("lock after the write: %q, want the token alone", got)
	}
}

func TestIsTempName(t *testing.T) {
	for name, want := range map[string]bool{
		".x.md.tmp-0123456789ab": true,
		".x.md.tmp-0123456789":   false,
		"x.md.tmp-0123456789ab":  false,
		".x.md.tmp-0123456789ag": false,
		".tmp-0123456789ab":      false,
		".a.tmp-0123456789abcd":  false,
	} {
		if got := isTempName(name); got != want {
			t.Errorf("isTempName(%q) = %v", name, got)
		}
	}
}
