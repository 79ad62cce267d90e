package repo

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFileAtomic(t *testing.T) {
	cases := []struct {
		name     string
		existing os.FileMode // 0: no file yet
		perm     os.FileMode
		want     os.FileMode
	}{
		{"keeps executable", 0o755, 0o644, 0o755},
		{"keeps private", 0o600, 0o644, 0o600},
		{"new file", 0, 0o640, 0o640},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "x.md")
			if c.existing != 0 {
				putFile(t, path, "old content that is longer than the new one\n")
				if err := os.Chmod(path, c.existing); err != nil {
					t.Fatal(err)
				}
			}
			if err := WriteFileAtomic(path, []byte("new\n"), c.perm); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(path)
			if err != nil || string(b) != "new\n" {
				t.Fatalf("content = %q, %v", b, err)
			}
			fi, _ := os.Stat(path)
			if got := fi.Mode().Perm(); got != c.want&^currentUmask(t, c.existing == 0) {
				t.Errorf("mode = %v, want %v", got, c.want)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 {
				t.Errorf("files left in the folder: %v", entries)
			}
		})
	}
}

// currentUmask is the umask that applies to a new file (existing files keep
// their mode exactly).
func currentUmask(t *testing.T, newFile bool) os.FileMode {
	if !newFile {
		return 0
	}
	p := filepath.Join(t.TempDir(), "probe")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY, 0o777)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	fi, _ := os.Stat(p)
	return 0o777 &^ fi.Mode().Perm()
}

func TestWriteFileAtomicSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.md")
	putFile(t, target, "old\n")
	link := filepath.Join(dir, "link.md")
	if err := os.Symlink("real.md", link); err != nil {
		t.Skip("no symlinks:", err)
	}
	if err := WriteFileAtomic(link, []byte("new\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the symlink was replaced by a file")
	}
	if b, _ := os.ReadFile(target); string(b) != "new\n" {
		t.Errorf("target = %q", b)
	}
}

func TestWriteFileAtomicErrors(t *testing.T) {
	dir := t.TempDir()
	if err := WriteFileAtomic(filepath.Join(dir, "missing", "x.md"), []byte("x"), 0o644); err == nil {
		t.Error("wrote into a folder that does not exist")
	}
	if err := WriteFileAtomic(dir, []byte("x"), 0o644); err == nil {
		t.Error("replaced a folder")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("left %v", entries)
	}
}
