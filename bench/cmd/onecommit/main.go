// Command onecommit commits one file through pm's repo package the way a pm
// writing command does — find the repository, take pm's lock, resolve the
// identity, commit the file alone — so that bench/commit-vs-git.sh can time
// pm's commit path against git's before the pm CLI exists.
//
// Usage: onecommit [-m MESSAGE] FILE
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/pm-tool/pm/internal/repo"
)

func main() {
	os.Exit(run())
}

func run() int {
	msg := flag.String("m", "pm(bench): note: benchmark", "commit message")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: onecommit [-m MESSAGE] FILE")
		return 2
	}
	wd, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(os.Stderr, "onecommit:", err)
		return 1
	}
	r, err := repo.Find(wd)
	if err != nil {
		fmt.Fprintln(os.Stderr, "onecommit:", err)
		return 1
	}
	abs, err := filepath.Abs(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "onecommit:", err)
		return 1
	}
	rel, err := filepath.Rel(r.Root, abs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "onecommit:", err)
		return 1
	}
	unlock, err := r.Lock(10 * time.Second)
	if err != nil {
		fmt.Fprintln(os.Stderr, "onecommit:", err)
		return 1
	}
	defer func() { _ = unlock() }()
	author, committer, err := r.Identity(os.Getenv, time.Now())
	if err != nil {
		fmt.Fprintln(os.Stderr, "onecommit:", err)
		return 1
	}
	res, err := r.CommitFile(repo.CommitRequest{
		Path: filepath.ToSlash(rel), Message: *msg, Author: author, Committer: committer,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "onecommit:", err)
		return 1
	}
	if res.ByGit != "" {
		fmt.Fprintln(os.Stderr, "onecommit: committed by git because of", res.ByGit)
	}
	fmt.Println(res.Hash)
	return 0
}
