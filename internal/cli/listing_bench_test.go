package cli

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pm-tool/pm/bench/gen/corpus"
)

// BenchmarkListing runs pm list, actions and stats over 10,000 generated
// incidents, in process, the whole command each time: load the folder,
// parse every file, compute, print. DESIGN's budget is under a second each
// on 2 cores:
//
//	go test ./internal/cli -run '^$' -bench Listing -cpu 2
//
// The incidents are generated here, never in a normal test, so go test
// ./... stays fast.
func BenchmarkListing(b *testing.B) {
	dir := b.TempDir()
	if _, err := corpus.Write(filepath.Join(dir, "postmortems"), corpus.Options{N: 10000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	for _, args := range [][]string{
		{"list"},
		{"list", "--format", "json"},
		{"list", "--format", "csv"},
		{"actions"},
		{"actions", "--format", "json"},
		{"stats"},
		{"stats", "--format", "json"},
	} {
		b.Run(strings.Join(args, "_"), func(b *testing.B) {
			for b.Loop() {
				var stderr bytes.Buffer
				env := Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &stderr, Dir: dir,
					Getenv: func(string) string { return "" },
					Now:    func() time.Time { return time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC) }}
				if code := Main(append([]string{"pm"}, args...), env); code != 0 || stderr.Len() > 0 {
					b.Fatalf("pm %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
				}
			}
		})
	}
}
