package repo

import (
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
)

// Init creates a new git repository in dir with "main" as its first branch
// (as `git init -b main` does) and opens it. pm demo uses it; pm never
// shells out to git to do it.
func Init(dir string) (*Repo, error) {
	_, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.Main},
	})
	if err != nil {
		return nil, err
	}
	return Find(dir)
}
