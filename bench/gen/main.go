// Command gen writes realistic, varied post-mortems for benchmarks, the same
// files for the same seed:
//
//	go run ./bench/gen -n 10000 -out /tmp/pm-bench
//	pm -C /tmp/pm-bench list
//
// The incidents go into OUT/postmortems (the default folder), so OUT can be
// used as a pm repository as it is, or after git init.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pm-tool/pm/bench/gen/corpus"
)

func main() {
	n := flag.Int("n", 1000, "number of incidents")
	out := flag.String("out", "", "repository `DIR` to write OUT/postmortems into (required)")
	folder := flag.String("folder", "postmortems", "incident folder inside OUT")
	seed := flag.Uint64("seed", 1, "random seed; the same seed gives the same files")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 || *n < 0 {
		fmt.Fprintln(os.Stderr, "usage: gen [-n N] [-seed S] [-folder postmortems] -out DIR")
		os.Exit(2)
	}
	dir := filepath.Join(*out, *folder)
	wrote, err := corpus.Write(dir, corpus.Options{N: *n, Seed: *seed})
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d incidents to %s\n", wrote, dir)
}
