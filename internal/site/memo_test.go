package site

import (
	"bytes"
	"fmt"
	stdimage "image"
	"image/color"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	gencorpus "github.com/pm-tool/pm/bench/gen/corpus"
	"github.com/pm-tool/pm/internal/incident"
	"github.com/pm-tool/pm/internal/repo"
)

// memMemo is a Memo in memory.
type memMemo struct{ b []byte }

func (m *memMemo) Load() []byte { return m.b }

func (m *memMemo) Store(_ int, write func(io.Writer)) {
	var b bytes.Buffer
	write(&b)
	m.b = b.Bytes()
}

// summaries reads root's incidents as pm site does: summaries through
// repo, each with a Load that parses the whole file.
func summaries(t *testing.T, root string) []Input {
	t.Helper()
	loaded, err := repo.LoadSummaries(filepath.Join(root, "postmortems"), filepath.Base)
	if err != nil {
		t.Fatal(err)
	}
	var out []Input
	for _, l := range loaded {
		if l.Err != nil {
			t.Fatalf("%s: %v", l.Path, l.Err)
		}
		path, name := l.Path, l.Doc.Path
		out = append(out, Input{ID: l.ID, Path: path, Doc: l.Doc, Sum: l.Sum, Load: func() (*incident.Doc, error) { return repo.ReadIncident(path, name, false) }})
	}
	return out
}

// TestMemoSameAsFullBuild edits a repository at random, round after
// round, and builds its site twice each time: whole, from parsed
// documents and without a memo, and incrementally, from summaries with
// the memo of the build before. The two must be the same bytes, and the
// incremental build must render only a few pages when little changed.
func TestMemoSameAsFullBuild(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "postmortems")
	if err := os.MkdirAll(filepath.Join(dir, "img"), 0o755); err != nil {
		t.Fatal(err)
	}
	gen := gencorpus.Generate(gencorpus.Options{N: 240, Seed: 7})
	var ids []string
	write := func(id string, src []byte) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, id+".md"), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, x := range gen[:200] {
		write(x.ID, x.Src)
		ids = append(ids, x.ID)
	}
	spare := gen[200:]
	writePNG(t, filepath.Join(dir, "img", "graph.png"), 40, 20)

	rng := rand.New(rand.NewPCG(7, 17))
	pick := func() string { return ids[rng.IntN(len(ids))] }
	edit := func(id string, f func(string) string) {
		t.Helper()
		p := filepath.Join(dir, id+".md")
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		write(id, []byte(f(string(b))))
	}
	appendBody := func(s string) func(string) string { return func(b string) string { return b + "\n" + s + "\n" } }
	title := regexp.MustCompile(`(?m)^title: .*$`)
	services := regexp.MustCompile(`(?m)^services: .*$`)
	refuted := regexp.MustCompile(`\*\*refuted (H[0-9]+)\*\*`)
	opts := func(o *Options) {}
	tamper := ""

	type change struct {
		name  string
		do    func()
		pages int // at most this many incident pages rendered; -1: any
	}
	changes := []change{
		{"nothing", func() {}, 0},
		{"a paragraph", func() { edit(pick(), appendBody("One more paragraph about the *retry* storm.")) }, 1},
		{"a title", func() {
			edit(pick(), func(b string) string {
				return title.ReplaceAllString(b, `title: "Queue backlog on payments after certificate expiry"`)
			})
		}, -1},
		{"services", func() {
			edit(pick(), func(b string) string { return services.ReplaceAllString(b, "services: [payments, nginx]") })
		}, -1},
		{"a new incident", func() {
			if len(spare) == 0 {
				return
			}
			write(spare[0].ID, spare[0].Src)
			ids, spare = append(ids, spare[0].ID), spare[1:]
		}, -1},
		{"a deleted incident", func() {
			i := rng.IntN(len(ids))
			if err := os.Remove(filepath.Join(dir, ids[i]+".md")); err != nil {
				t.Fatal(err)
			}
			ids = append(ids[:i], ids[i+1:]...)
		}, -1},
		{"a link to another incident", func() {
			other := pick()
			edit(pick(), appendBody(fmt.Sprintf("See [the one before](%s.md) and [a missing one](2020-01-01-gone.md).", other)))
		}, 1},
		{"the incident a link names appears", func() {
			write("2020-01-01-gone", gen[0].Src)
			ids = append(ids, "2020-01-01-gone")
		}, -1},
		{"an image", func() { edit(pick(), appendBody("![the graph](img/graph.png) and ![none](img/missing.png)")) }, 1},
		{"the image's size", func() { writePNG(t, filepath.Join(dir, "img", "graph.png"), 80, 30) }, -1},
		{"a confirmed cause", func() { edit(pick(), func(b string) string { return refuted.ReplaceAllString(b, "**confirmed $1**") }) }, -1},
		{"a diagram", func() { edit(pick(), appendBody("```mermaid\ngraph TD; A-->B\n```")) }, 1},
		{"today", func() { o := opts; opts = func(x *Options) { o(x); x.Now = x.Now.Add(400 * 24 * time.Hour) } }, -1},
		{"the site's title", func() { o := opts; opts = func(x *Options) { o(x); x.Title = "Incidents of ACME" } }, -1},
		{"a page of the old site", func() { tamper = pick() }, 1},
	}
	memo := &memMemo{}
	full, incr := filepath.Join(root, "full"), filepath.Join(root, "_site")
	for round := range 3 * len(changes) {
		c := changes[round%len(changes)]
		if round >= len(changes) {
			c = changes[rng.IntN(len(changes))]
		}
		c.do()
		if tamper != "" {
			p := filepath.Join(incr, "incidents", slugify(tamper)+".html")
			if err := os.WriteFile(p, []byte("edited by hand"), 0o644); err != nil {
				t.Fatal(err)
			}
			tamper = ""
		}
		base := func(o *Options) {
			o.Root, o.Title, o.Now, o.Severities, o.Assets = root, "Post-mortems", testNow, []string{"SEV1", "SEV2", "SEV3", "SEV4"}, assets(t)
			opts(o)
		}
		var fo, iopt Options
		base(&fo)
		base(&iopt)
		fo.Out, iopt.Out, iopt.Memo = full, incr, memo
		fres, err := Build(load(t, root), fo)
		if err != nil {
			t.Fatal(err)
		}
		ires, err := Build(summaries(t, root), iopt)
		if err != nil {
			t.Fatal(err)
		}
		if round == 0 {
			continue // the first build has no memo to use
		}
		sameTree(t, c.name, full, incr)
		if fres.Files != ires.Files || strings.Join(fres.Warnings, "\n") != strings.Join(ires.Warnings, "\n") {
			t.Errorf("after %s: full build wrote %d files and warned %q; incremental %d, %q", c.name, fres.Files, fres.Warnings, ires.Files, ires.Warnings)
		}
		if c.pages >= 0 && ires.Rendered > c.pages {
			t.Errorf("after %s: the incremental build rendered %d incident pages, want at most %d", c.name, ires.Rendered, c.pages)
		}
		if fres.Rendered != fres.Incidents {
			t.Errorf("a build without a memo rendered %d of %d incident pages", fres.Rendered, fres.Incidents)
		}
	}
}

// sameTree fails unless folders a and b hold the same files with the
// same bytes.
func sameTree(t *testing.T, after, a, b string) {
	t.Helper()
	fa, fb := files(t, a), files(t, b)
	if strings.Join(fa, "\n") != strings.Join(fb, "\n") {
		t.Fatalf("after %s: the full build wrote %d files, the incremental one %d", after, len(fa), len(fb))
	}
	bad := 0
	for _, f := range fa {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(b, f))
		if !bytes.Equal(x, y) {
			if bad++; bad <= 3 {
				t.Errorf("after %s: %s differs between the full and the incremental build", after, f)
			}
		}
	}
}

func writePNG(t *testing.T, p string, w, h int) {
	t.Helper()
	img := stdimage.NewRGBA(stdimage.Rect(0, 0, w, h))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestMemoOfAnotherPm: a memo written by another build of pm (an upgrade
// renders otherwise) is not used, nor one that is damaged.
func TestMemoOfAnotherPm(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "postmortems")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, x := range gencorpus.Generate(gencorpus.Options{N: 20, Seed: 3}) {
		if err := os.WriteFile(filepath.Join(dir, x.ID+".md"), x.Src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	memo := &memMemo{}
	buildWith := func() Result {
		t.Helper()
		res, err := Build(summaries(t, root), Options{Out: filepath.Join(root, "_site"), Root: root, Now: testNow, Assets: assets(t), Memo: memo})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	buildWith()
	if res := buildWith(); res.Rendered != 0 {
		t.Fatalf("with the memo of the build before, %d pages were rendered", res.Rendered)
	}
	was := renderedBy
	defer func() { renderedBy = was }()
	renderedBy = func() string { return "pm of another build" }
	if res := buildWith(); res.Rendered != res.Incidents {
		t.Errorf("with the memo of another pm, %d of %d pages were rendered", res.Rendered, res.Incidents)
	}
	memo.b = memo.b[:len(memo.b)/2]
	if res := buildWith(); res.Rendered != res.Incidents {
		t.Errorf("with half a memo, %d of %d pages were rendered", res.Rendered, res.Incidents)
	}
}

// TestMemoOldPageGone: when an old page cannot be linked, it is copied;
// when it cannot be read either, it is rendered again: the site is the
// same as a whole build.
func TestMemoOldPageGone(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "postmortems")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, x := range gencorpus.Generate(gencorpus.Options{N: 30, Seed: 5}) {
		if err := os.WriteFile(filepath.Join(dir, x.ID+".md"), x.Src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	memo := &memMemo{}
	opt := func(out string, m Memo) Options {
		return Options{Out: filepath.Join(root, out), Root: root, Now: testNow, Assets: assets(t), Memo: m}
	}
	if _, err := Build(summaries(t, root), opt("_site", memo)); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(load(t, root), opt("whole", nil)); err != nil {
		t.Fatal(err)
	}
	was := link
	defer func() { link = was }()
	for _, gone := range []bool{false, true} {
		var n atomic.Int64
		link = func(old, new string) error {
			if gone && n.Add(1)%2 == 0 {
				os.Remove(old) // neither linked nor read: rendered again
			}
			return &os.LinkError{Op: "link", Old: old, New: new, Err: os.ErrPermission}
		}
		res, err := Build(summaries(t, root), opt("_site", memo))
		if err != nil {
			t.Fatal(err)
		}
		if gone && (res.Rendered == 0 || res.Rendered == res.Incidents) {
			t.Errorf("old pages gone: %d of %d pages rendered again, want some", res.Rendered, res.Incidents)
		}
		if !gone && res.Rendered != 0 {
			t.Errorf("old pages copied: %d pages rendered again, want none", res.Rendered)
		}
		sameTree(t, fmt.Sprintf("old pages gone %v", gone), filepath.Join(root, "whole"), filepath.Join(root, "_site"))
	}
}

// TestMemoOldPageTampered: a page of the old site replaced by a symbolic
// link to itself moved elsewhere, or edited in place with its size and
// mtime put back, is not the page pm wrote: it is rendered again, and the
// new site holds a regular file.
func TestMemoOldPageTampered(t *testing.T) {
	for _, how := range []string{"symbolic link", "in place"} {
		t.Run(how, func(t *testing.T) {
			root := repoWith(t, map[string]string{
				"postmortems/a-alpha.md": memoIncident("Alpha", "2026-01-01T10:00:00Z", "db"),
				"postmortems/b-beta.md":  memoIncident("Beta", "2026-01-02T10:00:00Z", "db"),
			})
			memo := &memMemo{}
			incr := filepath.Join(root, "_site")
			memoBuild(t, root, incr, memo)
			page := filepath.Join(incr, "incidents", "a-alpha.html")
			fi, err := os.Stat(page)
			if err != nil {
				t.Fatal(err)
			}
			switch how {
			case "symbolic link":
				moved := filepath.Join(t.TempDir(), "a.html")
				if err := os.Rename(page, moved); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(moved, page); err != nil {
					t.Fatal(err)
				}
			case "in place":
				f, err := os.OpenFile(page, os.O_WRONLY, 0)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := f.WriteAt([]byte("XXXXX"), 200); err != nil {
					t.Fatal(err)
				}
				f.Close()
				if err := os.Chtimes(page, fi.ModTime(), fi.ModTime()); err != nil {
					t.Fatal(err)
				}
			}
			if res := memoBuild(t, root, incr, memo); res.Rendered != 1 {
				t.Errorf("%d pages rendered, want the one tampered with", res.Rendered)
			}
			if fi, err := os.Lstat(page); err != nil || !fi.Mode().IsRegular() {
				t.Errorf("the new site's page is not a regular file: %v %v", fi.Mode(), err)
			}
			full := filepath.Join(root, "full")
			memoBuild(t, root, full, nil)
			sameTree(t, how, full, incr)
		})
	}
}
