package repo_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

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
	dir, folder := benchFolder(b)
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

// benchFolder is a folder of 10,000 generated incidents in a new
// temporary folder dir.
func benchFolder(b *testing.B) (dir, folder string) {
	dir = b.TempDir()
	folder = filepath.Join(dir, "postmortems")
	if _, err := corpus.Write(folder, corpus.Options{N: 10000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	return dir, folder
}

// BenchmarkListing is the folder's listing with 10,000 incidents: read from
// the folder (and kept), and from the listing cache.
func BenchmarkListing(b *testing.B) {
	dir, folder := benchFolder(b)
	old := time.Now().Add(-time.Hour)
	os.Chtimes(folder, old, old)
	c := repo.Cache{Path: filepath.Join(dir, "git", "pm", "cache")}
	listing := c.Path + "-listing"
	b.Run("folder", func(b *testing.B) {
		for b.Loop() {
			os.Remove(listing)
			if _, cached, err := c.Files(folder); err != nil || cached {
				b.Fatal(cached, err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		for b.Loop() {
			if _, cached, err := c.Files(folder); err != nil || !cached {
				b.Fatal(cached, err)
			}
		}
	})
	b.Run("IncidentFiles", func(b *testing.B) {
		for b.Loop() {
			if _, err := repo.IncidentFiles(folder); err != nil {
				b.Fatal(err)
			}
		}
	})
}
