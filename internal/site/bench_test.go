package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	gencorpus "github.com/pm-tool/pm/bench/gen/corpus"
	"github.com/pm-tool/pm/internal/incident"
)

// BenchmarkBuild builds the site of generated incidents (PM_SITE_BENCH_N,
// 2,000 by default; bench/site-vs-hugo.sh measures 10,000 end to end).
func BenchmarkBuild(b *testing.B) {
	n := 2000
	if v := os.Getenv("PM_SITE_BENCH_N"); v != "" {
		n = atoiOr(v, n)
	}
	root := b.TempDir()
	var inputs []Input
	for _, x := range gencorpus.Generate(gencorpus.Options{N: n, Seed: 1}) {
		p := filepath.Join(root, "postmortems", x.ID+".md")
		d, err := incident.Parse(x.ID+".md", x.Src)
		if err != nil {
			continue
		}
		inputs = append(inputs, Input{ID: x.ID, Path: p, Doc: d})
	}
	opt := Options{Out: filepath.Join(root, "_site"), Root: root, Now: testNow, Severities: []string{"SEV1", "SEV2", "SEV3", "SEV4"}, Assets: assets(b)}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Build(inputs, opt); err != nil {
			b.Fatal(err)
		}
	}
}

func atoiOr(s string, or int) int {
	n := 0
	for _, r := range strings.TrimSpace(s) {
		if r < '0' || r > '9' {
			return or
		}
		n = n*10 + int(r-'0')
	}
	return n
}

// BenchmarkRelated finds the related incidents of every one of
// PM_SITE_BENCH_N generated incidents (10,000 by default), as a build does.
func BenchmarkRelated(b *testing.B) {
	n := 10000
	if v := os.Getenv("PM_SITE_BENCH_N"); v != "" {
		n = atoiOr(v, n)
	}
	var docs []*incident.Doc
	for _, x := range gencorpus.Generate(gencorpus.Options{N: n, Seed: 1}) {
		if d, err := incident.Parse(x.ID+".md", x.Src); err == nil {
			docs = append(docs, d)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		x := incident.NewRelatedIndex(docs)
		if err := incident.Parallel(len(docs), 0, func(i int) error {
			x.Top(docs[i], relatedShown)
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
}
