package cli

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pm-tool/pm/bench/gen/corpus"
)

// BenchmarkHistory runs the outage commands and the listing commands in
// process over 10,000 generated incidents (outside git, so that only
// reading the folder is measured, not committing), with the metadata
// cache warm: the first run of each fills it. Issue 17's budget is under
// 50 ms for status and choosing the open incident, under 100 ms for the
// listing commands, on 2 cores:
//
//	go test ./internal/cli -run '^$' -bench History -cpu 2
func BenchmarkHistory(b *testing.B) {
	dir := b.TempDir()
	folder := filepath.Join(dir, "postmortems")
	if _, err := corpus.Write(folder, corpus.Options{N: 10000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	// One open incident, as in an outage; bench/gen leaves some open.
	paths, _ := filepath.Glob(filepath.Join(folder, "*.md"))
	for _, p := range paths {
		src, _ := os.ReadFile(p)
		s := strings.Replace(string(src), "\nstatus: investigating\n", "\nstatus: resolved\n", 1)
		s = strings.Replace(s, "\nstatus: mitigated\n", "\nstatus: resolved\n", 1)
		os.WriteFile(p, []byte(s), 0o644)
	}
	open := "---\nid: open\ntitle: Checkout latency\nstatus: investigating\nseverity: SEV2\nservices: [api]\n---\n\n# Checkout latency\n"
	os.WriteFile(filepath.Join(folder, "open.md"), []byte(open), 0o644)
	old := time.Now().Add(-time.Hour)
	for _, p := range append(paths, filepath.Join(folder, "open.md")) {
		os.Chtimes(p, old, old)
	}
	for _, args := range [][]string{{"status"}, {"list"}, {"actions"}, {"stats"}, {"related"}} {
		b.Run(strings.Join(args, "_"), func(b *testing.B) {
			run := func() {
				var stderr bytes.Buffer
				env := Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &stderr, Dir: dir,
					Getenv: func(string) string { return "" },
					Now:    func() time.Time { return time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC) }}
				if code := Main(append([]string{"pm"}, args...), env); code != 0 {
					b.Fatalf("pm %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
				}
			}
			run()
			for b.Loop() {
				run()
			}
		})
	}
}
