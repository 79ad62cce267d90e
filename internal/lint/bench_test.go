package lint

import (
	"testing"

	"github.com/pm-tool/pm/bench/gen/corpus"
	"github.com/pm-tool/pm/internal/config"
)

// BenchmarkLint lints generated post-mortems one at a time: ns/op is the
// cost of one file (parse, structure, secrets, language, suppressions).
func BenchmarkLint(b *testing.B) {
	docs := corpus.Generate(corpus.Options{N: 500, Seed: 1})
	e, err := New(config.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	size := 0
	for _, d := range docs {
		size += len(d.Src)
	}
	b.SetBytes(int64(size / len(docs)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		d := docs[i%len(docs)]
		e.Lint(d.ID+".md", d.Src)
		i++
	}
}
