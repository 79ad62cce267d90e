package repo_test

import (
	"path/filepath"
	"testing"

	"github.com/pm-tool/pm/bench/gen/corpus"
	"github.com/pm-tool/pm/internal/repo"
)

// BenchmarkCache loads 10,000 generated incidents through a warm cache:
// what choosing the open incident (LoadMeta) and the listing commands
// (LoadSummaries) cost before they compute anything. Issue 17's budget is
// under 50 ms for the first, on 2 cores:
//
//	go test ./internal/repo -run '^$' -bench Cache -cpu 2
func BenchmarkCache(b *testing.B) {
	dir := b.TempDir()
	folder := filepath.Join(dir, "postmortems")
	if _, err := corpus.Write(folder, corpus.Options{N: 10000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	c := repo.Cache{Path: filepath.Join(dir, "cache")}
	for name, load := range map[string]func(string, func(string) string) ([]repo.Loaded, error){
		"meta": c.LoadMeta, "summaries": c.LoadSummaries,
	} {
		b.Run(name, func(b *testing.B) {
			if _, err := load(folder, nil); err != nil { // fills the cache
				b.Fatal(err)
			}
			for b.Loop() {
				if l, err := load(folder, nil); err != nil || len(l) != 10000 {
					b.Fatalf("%d loaded, %v", len(l), err)
				}
			}
		})
	}
}
