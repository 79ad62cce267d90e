package incident

import (
	"reflect"
	"testing"
)

// slowMeta is ParseMeta the full way, through the YAML library.
func slowMeta(path string, src []byte) (*Doc, error) {
	d, base, err := prepare(path, src)
	if err != nil {
		return nil, err
	}
	if _, err := d.parseFrontmatter(base); err != nil {
		return nil, err
	}
	return d, nil
}

// fastMetaOf is what the fast path makes of src: ok false when it leaves
// the file to the full parse.
func fastMetaOf(src []byte) (d *Doc, ok bool, err error) {
	d, base, err := prepare("f.md", src)
	if err != nil {
		return nil, false, nil
	}
	ok, err = d.fastMeta(base)
	return d, ok, err
}

// fastMetaCases are frontmatters the fast path must take or leave, with
// what it must do.
var fastMetaCases = []struct {
	src  string
	fast bool
}{
	{"---\nid: 2026-11-24-api\ntitle: \"API: returns 502\"\nstatus: investigating\nseverity: SEV2\nstarted: 2026-11-24T09:10:00Z\ndetected:\nmitigated: ~\nresolved: null\ncommander: alice\nauthors: [alice, bob]\nservices: []\ntags:\nprivate: false\n---\n# x\n", true},
	{"\ufeff---\r\nid: x\r\ntitle: it's C# and ünïcode — fine\r\nowner: 'team a'\r\nlinks: [a, \"b c\"]\r\n\r\n---\r\n", true},
	{"---\n---\n", true},
	{"---\nstarted: 2026-11-24\n---\n", true}, // the error readMeta gives
	{"---\nprivate: true\nservices: [api, null, 502, 0x1F]\ntitle: 12:30 outage\n---\n", true},
	{"\n---\nid: x\n---\n", false},           // blank line before
	{"---\nid: x # a comment\n---\n", false}, // comment
	{"---\nauthors:\n  - alice\n---\n", false},
	{"---\ntitle: \"a \\\"b\\\"\"\n---\n", false}, // escapes
	{"---\ntitle: 'it''s'\n---\n", false},
	{"---\nid: a\nid: b\n---\n", false},
	{"---\ntitle: a: b\n---\n", false},
	{"---\nservices: api\n---\n", false},
	{"---\nprivate: yes\n---\n", false},
	{"---\nprivate: \"true\"\n---\n", false},
	{"---\nstatus: [open]\n---\n", false},
	{"---\nx: &a 1\ny: *a\n---\n", false},
	{"---\ntitle:\tx\n---\n", false},
	{"---\nid: x\n", false}, // never closed
	{"---\nkey:value\n---\n", false},
	{"---\ntags: [a,, b]\n---\n", false},
	{"---\ntags: [\"a, b\"]\n---\n", false},
	{"---\ntitle: a\rb\n---\n", false},
	{"---\ntitle: {a: b}\n---\n", false},
}

// TestFastMeta: the fast path takes pm's own frontmatters and leaves the
// rest, and where it takes one it gives what the YAML library gives.
func TestFastMeta(t *testing.T) {
	for _, c := range fastMetaCases {
		d, ok, err := fastMetaOf([]byte(c.src))
		if ok != c.fast {
			t.Errorf("fast path took %v, want %v:\n%s", ok, c.fast, c.src)
			continue
		}
		if ok {
			checkFastMeta(t, []byte(c.src), d, err)
		}
	}
}

// checkFastMeta compares the fast path's result with the full parse:
// the frontmatter's fields and lines, and where it opens and closes (which
// tells an incident file from another).
func checkFastMeta(t *testing.T, src []byte, fast *Doc, err error) {
	t.Helper()
	d, serr := slowMeta("f.md", src)
	switch {
	case err != nil || serr != nil:
		if err == nil || serr == nil || err.Error() != serr.Error() {
			t.Errorf("fast error %v, full parse %v:\n%q", err, serr, src)
		}
	case !reflect.DeepEqual(fast.Meta, d.Meta):
		t.Errorf("fast\n%+v\nfull parse\n%+v\n%q", fast.Meta, d.Meta, src)
	case fast.fm.present != d.fm.present || fast.fm.open != d.fm.open || fast.fm.close != d.fm.close:
		t.Errorf("fast frontmatter %+v, full parse %+v:\n%q", fast.fm, d.fm, src)
	}
}

// FuzzFastMeta: whatever the fast path takes, it reads as the YAML
// library does.
func FuzzFastMeta(f *testing.F) {
	addTestdataSeeds(f)
	for _, c := range fastMetaCases {
		f.Add([]byte(c.src))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		d, ok, err := fastMetaOf(src)
		if ok {
			checkFastMeta(t, src, d, err)
		}
	})
}
