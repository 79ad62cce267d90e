package repo

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pm-tool/pm/internal/incident"
)

// TestReadIncidentFile: regular files are read; links, folders, pipes and
// oversized files are refused with a ParseError at line 1 that says why,
// without opening them (a pipe would block).
func TestReadIncidentFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.md")
	if err := os.WriteFile(good, []byte("---\nid: good\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if src, err := ReadIncidentFile(good, "good.md"); err != nil || string(src) != "---\nid: good\n---\n" {
		t.Fatalf("regular file: %q, %v", src, err)
	}
	link := filepath.Join(dir, "link.md")
	folder := filepath.Join(dir, "folder.md")
	big := filepath.Join(dir, "big.md")
	mustOK(t, os.Symlink(good, link))
	mustOK(t, os.Mkdir(folder, 0o755))
	// A sparse file: the size is what counts, the disk stays empty.
	mustOK(t, os.WriteFile(big, nil, 0o644))
	mustOK(t, os.Truncate(big, MaxIncidentSize+1))
	cases := map[string]string{
		link:                          "is a symbolic link",
		folder:                        "is a folder",
		big:                           "larger than the 32 MB",
		filepath.Join(dir, "gone.md"): "cannot read the file",
	}
	if pipe := filepath.Join(dir, "pipe.md"); mkfifo(pipe) == nil {
		cases[pipe] = "is not a regular file"
	}
	for p, want := range cases {
		_, err := ReadIncidentFile(p, filepath.Base(p))
		var pe *incident.ParseError
		if !errors.As(err, &pe) || pe.Line != 1 || pe.Path != filepath.Base(p) || !strings.Contains(pe.Msg, want) {
			t.Errorf("%s: %v, want a ParseError at line 1 saying %q", filepath.Base(p), err, want)
		}
	}
}

// TestReadIncidentNeedsFrontmatter: a markdown file without frontmatter is
// not an incident for the commands that list, show or write incidents.
func TestReadIncidentNeedsFrontmatter(t *testing.T) {
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.md")
	mustOK(t, os.WriteFile(notes, []byte("# Notes\n\nNo frontmatter here.\n"), 0o644))
	for _, metaOnly := range []bool{false, true} {
		if _, err := ReadIncident(notes, "notes.md", metaOnly); err == nil || !strings.Contains(err.Error(), "notes.md:1: not an incident file") {
			t.Errorf("metaOnly=%v: %v", metaOnly, err)
		}
	}
}

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
