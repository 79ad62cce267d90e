package repo

import (
	"fmt"
	"os"
	"path/filepath"
)

// Init creates a new git repository in dir with "main" as its unborn first
// branch, as `git init -b main` does, and opens it. pm demo uses it.
//
// It writes the few files git needs by hand rather than through go-git's
// top-level package: importing that package alone adds megabytes to the
// binary and milliseconds to every pm start, for one rarely used command.
func Init(dir string) (*Repo, error) {
	gitDir := filepath.Join(dir, ".git")
	if _, err := os.Stat(gitDir); err == nil {
		return nil, fmt.Errorf("%s already exists", gitDir)
	}
	for _, d := range []string{"objects/info", "objects/pack", "refs/heads", "refs/tags", "info"} {
		if err := os.MkdirAll(filepath.Join(gitDir, filepath.FromSlash(d)), 0o755); err != nil {
			return nil, err
		}
	}
	files := map[string]string{
		"HEAD":        "ref: refs/heads/main\n",
		"config":      "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n\tlogallrefupdates = true\n",
		"description": "Unnamed repository; edit this file 'description' to name the repository.\n",
	}
	for name, content := range files {
		if err := WriteFileAtomic(filepath.Join(gitDir, name), []byte(content), 0o644); err != nil {
			return nil, err
		}
	}
	return Find(dir)
}
