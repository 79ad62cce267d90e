package repo

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
)

// gitIndex builds an index with git from "path" lines (all with the same
// blob), in the given version, and returns the repository and index bytes.
func gitIndex(t testing.TB, version string, paths ...string) (string, []byte) {
	t.Helper()
	dir := initGitRepo(t)
	blob := strings.TrimSpace(runGit(t, dir, "hash-object", "-w", "--stdin"))
	var info strings.Builder
	for _, p := range paths {
		info.WriteString("100644 " + blob + "\t" + p + "\n")
	}
	cmd := exec.Command("git", "-C", dir, "update-index", "--add", "--index-info")
	cmd.Stdin = strings.NewReader(info.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("update-index: %v\n%s", err, out)
	}
	runGit(t, dir, "update-index", "--index-version", version)
	runGit(t, dir, "write-tree") // adds a cache-tree
	data, err := os.ReadFile(filepath.Join(dir, ".git", "index"))
	if err != nil {
		t.Fatal(err)
	}
	return dir, data
}

func testEntry(path string) indexEntry {
	return indexEntry{
		path: path,
		oid:  plumbing.NewHash("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"), // empty blob
		mode: 0o100644,
		stat: statInfo{mtimeSec: 1, ctimeSec: 1},
	}
}

// Long names (git stores 0xFFF in the flags and relies on the NUL) are
// read and written in every version.
func TestPatchIndexLongNames(t *testing.T) {
	isolateGit(t)
	dir := strings.Repeat(strings.Repeat("d", 250)+"/", 17)
	long := dir + "f.md" // 4271 bytes: more than the 12-bit length field
	for _, v := range []string{"2", "3", "4"} {
		t.Run("v"+v, func(t *testing.T) {
			repoDir, data := gitIndex(t, v, "a.md", long, "z.md")
			for _, p := range []string{long, dir + "e.md", "postmortems/x.md"} {
				out, err := patchIndex(append([]byte(nil), data...), testEntry(p), nil)
				if err != nil {
					t.Fatalf("%.20s…: %v", p, err)
				}
				if err := os.WriteFile(filepath.Join(repoDir, ".git", "index"), out, 0o644); err != nil {
					t.Fatal(err)
				}
				ls := runGit(t, repoDir, "ls-files")
				if !strings.Contains(ls, p+"\n") || !strings.Contains(ls, long+"\n") || !strings.HasPrefix(ls, "a.md\n") {
					t.Errorf("ls-files after writing %.20s… lacks an entry", p)
				}
				data = out
			}
			if n := strings.Count(runGit(t, repoDir, "ls-files"), "\n"); n != 5 {
				t.Errorf("%d entries, want 5", n)
			}
		})
	}
}

func TestPatchIndexRefuses(t *testing.T) {
	isolateGit(t)
	_, data := gitIndex(t, "2", "a.md", "b/c.md")
	withExt := func(sig string, payload []byte) []byte {
		body := append([]byte(nil), data[:len(data)-oidSize]...)
		body = appendExtension(body, sig, payload)
		sum := sha1.Sum(body)
		return append(body, sum[:]...)
	}
	corrupt := append([]byte(nil), data...)
	corrupt[20] ^= 1
	truncated := data[:40]
	cases := []struct {
		name string
		data []byte
		path string
		want string
	}{
		{"bad checksum", corrupt, "x.md", "checksum"},
		{"truncated", truncated, "x.md", "truncated"},
		{"not an index", []byte("this is not an index at all, not at all"), "x.md", "format"},
		{"split", withExt("link", make([]byte, 20)), "x.md", "split"},
		{"sparse", withExt("sdir", nil), "x.md", "sparse"},
		{"unknown required", withExt("zzzz", []byte("x")), "x.md", "zzzz"},
		{"file where a folder goes", data, "a.md/x.md", "needs a folder"},
		{"folder where the file goes", data, "b", "as if it were a folder"},
	}
	for _, c := range cases {
		_, err := patchIndex(append([]byte(nil), c.data...), testEntry(c.path), nil)
		var u *indexUnsupported
		if !errors.As(err, &u) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want an indexUnsupported about %q", c.name, err, c.want)
		}
	}
	// Optional extensions pm does not know are dropped, not refused.
	out, err := patchIndex(withExt("ZZZZ", []byte("cache")), testEntry("x.md"), nil)
	if err != nil || bytes.Contains(out, []byte("ZZZZ")) {
		t.Errorf("optional extension: err = %v, kept = %v", err, bytes.Contains(out, []byte("ZZZZ")))
	}
	// index.skipHash writes no checksum: accepted.
	skip := append([]byte(nil), data...)
	copy(skip[len(skip)-oidSize:], make([]byte, oidSize))
	if _, err := patchIndex(skip, testEntry("x.md"), nil); err != nil {
		t.Errorf("skipHash index: %v", err)
	}
}

func TestInvalidateCacheTree(t *testing.T) {
	oid := bytes.Repeat([]byte{0xab}, 20)
	node := func(name string, entries, subs int) []byte {
		b := append([]byte(name), 0)
		b = append(b, []byte(strings.Join([]string{decimal(entries), decimal(subs)}, " ")+"\n")...)
		if entries >= 0 {
			b = append(b, oid...)
		}
		return b
	}
	in := bytes.Join([][]byte{
		node("", 5, 2), node("docs", 1, 0), node("postmortems", 3, 1), node("2026", 2, 0),
	}, nil)
	want := bytes.Join([][]byte{
		node("", -1, 2), node("docs", 1, 0), node("postmortems", -1, 1), node("2026", -1, 0),
	}, nil)
	got, err := invalidateCacheTree(in, [][]byte{[]byte("postmortems"), []byte("2026")})
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("invalidate postmortems/2026:\n got %q, %v\nwant %q", got, err, want)
	}
	want = bytes.Join([][]byte{
		node("", -1, 2), node("docs", 1, 0), node("postmortems", 3, 1), node("2026", 2, 0),
	}, nil)
	if got, _ := invalidateCacheTree(in, nil); !bytes.Equal(got, want) {
		t.Errorf("invalidate a root file:\n got %q\nwant %q", got, want)
	}
	if _, err := invalidateCacheTree(in[:len(in)-3], nil); err == nil {
		t.Error("truncated cache-tree accepted")
	}
}

func decimal(n int) string {
	if n < 0 {
		return "-" + decimal(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return decimal(n/10) + decimal(n%10)
}

func TestVarint(t *testing.T) {
	for _, v := range []uint64{0, 1, 127, 128, 255, 16383, 16384, 1 << 40} {
		enc := appendVarint(nil, v)
		got, n := decodeVarint(enc)
		if got != v || n != len(enc) {
			t.Errorf("varint %d: encoded %x, decoded %d (%d bytes)", v, enc, got, n)
		}
	}
	if _, n := decodeVarint([]byte{0x80}); n != 0 {
		t.Error("truncated varint accepted")
	}
}

// FuzzPlanIndex: whatever bytes the index holds, planning a change never
// panics, and a plan that is accepted produces an index git's rules accept:
// signature, entry count and a correct checksum.
func FuzzPlanIndex(f *testing.F) {
	isolateGit(f)
	for _, v := range []string{"2", "3", "4"} {
		_, data := gitIndex(f, v, "a.md", "b/c.md", "b/d/e.md", "z")
		f.Add(data, "b/c.md")
		f.Add(data, "b/ca.md")
	}
	// Regressions found by fuzzing: unsorted entries, a v4 entry cut off
	// inside its header.
	f.Add([]byte("DIRC\x00\x00\x00\x02\x00\x00\x00\x040000000000000000000000000000000000000000000000000000000000000\x040000\x00000000000000000000000000000000000000000000000000000000000000000000\x06000000\x000000000000000000000000000000000000000000000000000000000000000000\b00000000\x0000000000000000000000000000000000000000000000000000000000000000\x010\x00A000\x00\x00\x00000000000000000000000000000000000000000000000000000000000000000000000"), "0")
	f.Add([]byte("DIRC\x00\x00\x00\x040000000000000000000000000000000000000000000000000000000000000000A000000000000000000000"), "0")
	f.Fuzz(func(t *testing.T, data []byte, path string) {
		if checkPath(path) != nil {
			return
		}
		data = append([]byte(nil), data...)
		if len(data) > oidSize && len(data)%3 != 0 {
			// Mostly give the mutated bytes a valid checksum, so that the
			// walk itself is exercised, not just the checksum test.
			sum := sha1.Sum(data[:len(data)-oidSize])
			copy(data[len(data)-oidSize:], sum[:])
		}
		out, err := patchIndex(append([]byte(nil), data...), testEntry(path), nil)
		if err != nil {
			var u *indexUnsupported
			if !errors.As(err, &u) {
				t.Fatalf("error is not an indexUnsupported: %v", err)
			}
			return
		}
		if len(out) < indexHeaderSize+oidSize || string(out[:4]) != "DIRC" {
			t.Fatalf("bad header")
		}
		sum := sha1.Sum(out[:len(out)-oidSize])
		if !bytes.Equal(sum[:], out[len(out)-oidSize:]) {
			t.Fatalf("bad checksum")
		}
		if len(data) >= indexHeaderSize && binary.BigEndian.Uint32(out[8:]) < binary.BigEndian.Uint32(data[8:]) {
			t.Fatalf("entries lost")
		}
		// The result must itself be patchable: the walk finds every entry.
		if _, err := planIndex(out, testEntry(path), nil); err != nil {
			t.Fatalf("re-plan the written index: %v", err)
		}
	})
}
