package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pm-tool/pm/internal/incident"
)

// memoBuild builds root's site from summaries, as pm site does, into out.
func memoBuild(t *testing.T, root, out string, memo Memo, mod ...func(*Options)) Result {
	t.Helper()
	opt := Options{Out: out, Root: root, Title: "Post-mortems", Now: testNow, Severities: []string{"SEV1", "SEV2", "SEV3", "SEV4"}, Assets: assets(t), Memo: memo}
	for _, m := range mod {
		m(&opt)
	}
	res, err := Build(summaries(t, root), opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// memoCheck builds with a memo, changes, builds again with it, and
// compares the site and its warnings with a build without it.
func memoCheck(t *testing.T, files map[string]string, change func(root string)) {
	t.Helper()
	memoCheckSetup(t, files, func(string) {}, change)
}

func memoWrite(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func memoIncident(title, started, services string) string {
	s := "---\ntitle: " + title + "\nstatus: resolved\nseverity: SEV2\n"
	if started != "" {
		s += "started: " + started + "\n"
	}
	s += "services: [" + services + "]\n---\n\n# " + title + "\n\n## Summary\n\nSomething.\n"
	return s
}

// An undated incident lists every dated one as earlier; a dated one that
// comes to share something with it must appear in its related block.
func TestMemoUndatedRelated(t *testing.T) {
	memoCheck(t, map[string]string{
		"postmortems/u-undated.md": memoIncident("Undated thing", "", "api"),
		"postmortems/a-alpha.md":   memoIncident("Alpha", "2026-01-01T10:00:00Z", "db"),
		"postmortems/b-beta.md":    memoIncident("Beta", "2026-01-02T10:00:00Z", "x1"),
		"postmortems/c-gamma.md":   memoIncident("Gamma", "2026-01-03T10:00:00Z", "x2"),
		"postmortems/d-delta.md":   memoIncident("Delta", "2026-01-04T10:00:00Z", "x3"),
	}, func(root string) {
		memoWrite(t, filepath.Join(root, "postmortems/a-alpha.md"), memoIncident("Alpha", "2026-01-01T10:00:00Z", "api"))
	})
}

// memoCheckSetup is memoCheck with a step after the files are written,
// before the first build.
func memoCheckSetup(t *testing.T, files map[string]string, setup, change func(root string)) {
	t.Helper()
	root := repoWith(t, files)
	setup(root)
	memo := &memMemo{}
	incr := filepath.Join(root, "_site")
	memoBuild(t, root, incr, memo)
	change(root)
	res := memoBuild(t, root, incr, memo)
	full := filepath.Join(root, "full")
	fres := memoBuild(t, root, full, nil)
	sameTree(t, "change", full, incr)
	if strings.Join(res.Warnings, "\n") != strings.Join(fres.Warnings, "\n") {
		t.Errorf("the incremental build warned %q, a whole one %q", res.Warnings, fres.Warnings)
	}
}

// An image that leaves the repository (a symbolic link out of it) is
// left out with a warning; when it comes to lie inside, the page must show it.
func TestMemoImageComesInside(t *testing.T) {
	outside := t.TempDir()
	memoCheckSetup(t, map[string]string{
		"postmortems/a-alpha.md": memoIncident("Alpha", "2026-01-01T10:00:00Z", "db") + "\n![graph](img/graph.png)\n",
		"postmortems/b-beta.md":  memoIncident("Beta", "2026-01-02T10:00:00Z", "x1"),
	}, func(root string) {
		writePNG(t, filepath.Join(outside, "graph.png"), 40, 20)
		os.MkdirAll(filepath.Join(root, "postmortems/img"), 0o755)
		if err := os.Symlink(filepath.Join(outside, "graph.png"), filepath.Join(root, "postmortems/img/graph.png")); err != nil {
			t.Fatal(err)
		}
	}, func(root string) {
		os.Remove(filepath.Join(root, "postmortems/img/graph.png"))
		writePNG(t, filepath.Join(root, "postmortems/img/graph.png"), 40, 20)
	})
}

// The images' folder moves out of the repository, a symbolic link left in
// its place: the file (same inode, size, mtime) now leaves the repository.
func TestMemoImageFolderMovedOut(t *testing.T) {
	outside := t.TempDir()
	memoCheckSetup(t, map[string]string{
		"postmortems/a-alpha.md": memoIncident("Alpha", "2026-01-01T10:00:00Z", "db") + "\n![graph](img/graph.png)\n",
		"postmortems/b-beta.md":  memoIncident("Beta", "2026-01-02T10:00:00Z", "x1"),
	}, func(root string) {
		os.MkdirAll(filepath.Join(root, "postmortems/img"), 0o755)
		writePNG(t, filepath.Join(root, "postmortems/img/graph.png"), 40, 20)
	}, func(root string) {
		if err := os.Rename(filepath.Join(root, "postmortems/img"), filepath.Join(outside, "img")); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(outside, "img"), filepath.Join(root, "postmortems/img")); err != nil {
			t.Fatal(err)
		}
	})
}

// Two zones of one name (tzdata updated, ZONEINFO elsewhere):
// the memo must tell them apart by their rules, not their name.
func TestMemoZoneRules(t *testing.T) {
	root := repoWith(t, map[string]string{
		"postmortems/a-alpha.md": memoIncident("Alpha", "2026-01-01T10:00:00Z", "db"),
	})
	memo := &memMemo{}
	incr, full := filepath.Join(root, "_site"), filepath.Join(root, "full")
	z1, z2 := time.FixedZone("Team/Zone", 3600), time.FixedZone("Team/Zone", 7200)
	memoBuild(t, root, incr, memo, func(o *Options) { o.Location = z1 })
	memoBuild(t, root, incr, memo, func(o *Options) { o.Location = z2 })
	memoBuild(t, root, full, nil, func(o *Options) { o.Location = z2 })
	sameTree(t, "zone rules", full, incr)
}

// An editor saves an incident while pm site runs, after the summaries were
// read and before the page's whole document is: the page has the old
// summary's title and the new file's text; the next build, with a fresh
// summary of the same file, must not keep that page.
func TestMemoSaveDuringBuild(t *testing.T) {
	root := repoWith(t, map[string]string{
		"postmortems/a-alpha.md": memoIncident("Alpha", "2026-01-01T10:00:00Z", "db"),
		"postmortems/b-beta.md":  memoIncident("Beta", "2026-01-02T10:00:00Z", "x1"),
	})
	memo := &memMemo{}
	incr, full := filepath.Join(root, "_site"), filepath.Join(root, "full")
	memoBuild(t, root, incr, memo)
	in := summaries(t, root)
	for i := range in {
		if in[i].ID == "a-alpha" {
			load := in[i].Load
			in[i].Load = func() (*incident.Doc, error) {
				memoWrite(t, filepath.Join(root, "postmortems/a-alpha.md"), memoIncident("Alpha renamed", "2026-01-01T10:00:00Z", "db"))
				return load()
			}
		}
	}
	opt := Options{Out: incr, Root: root, Title: "Post-mortems", Now: testNow, Severities: []string{"SEV1", "SEV2", "SEV3", "SEV4"}, Assets: assets(t), Memo: memo}
	// the page must be rendered for Load to run: change it a little first
	memoWrite(t, filepath.Join(root, "postmortems/a-alpha.md"), memoIncident("Alpha", "2026-01-01T10:00:00Z", "db")+"\nMore.\n")
	in = summaries(t, root)
	for i := range in {
		if in[i].ID == "a-alpha" {
			load := in[i].Load
			in[i].Load = func() (*incident.Doc, error) {
				memoWrite(t, filepath.Join(root, "postmortems/a-alpha.md"), memoIncident("Alpha renamed", "2026-01-01T10:00:00Z", "db"))
				return load()
			}
		}
	}
	if _, err := Build(in, opt); err != nil {
		t.Fatal(err)
	}
	// the next build, nothing changing during it
	res := memoBuild(t, root, incr, memo)
	t.Logf("rendered %d", res.Rendered)
	memoBuild(t, root, full, nil)
	x, _ := os.ReadFile(filepath.Join(full, "incidents/a-alpha.html"))
	y, _ := os.ReadFile(filepath.Join(incr, "incidents/a-alpha.html"))
	t.Logf("full has \"Alpha renamed\": %v, incremental: %v", strings.Contains(string(x), "Alpha renamed"), strings.Contains(string(y), "Alpha renamed"))
	sameTree(t, "a save during the build", full, incr)
}
