package repo

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// RecentCommit is one commit of a window of history: what changed, for
// the orient question "what changed most recently?" (pm changes).
type RecentCommit struct {
	Hash string
	// Time is the committer time: when the change landed on the branch
	// (a rebase or a merge of an old commit lands it now), the time
	// git log --since reads.
	Time    time.Time
	Author  string
	Subject string
	// Files are the paths it touched against its first parent, sorted;
	// for a root commit every path it has.
	Files []string
	Merge bool
}

// History is the commits of a window, newest first, and how many were
// left out as pm's bookkeeping rather than a change to the system.
type History struct {
	Commits []RecentCommit
	Skipped int
}

// Commits walks HEAD's history newest first by committer time and returns
// the commits with from <= time <= to. Left out (and counted in Skipped):
// pm's own commits (their Pm-Incident trailer, DESIGN §4) and, when ours
// is set, commits every file of which ours claims (the incident folder and
// .pm.yml: a teammate committing an edit of a post-mortem is not a change
// to the system). The walk stops once it has read slop commits in a row
// older than from, so it reads only the window and not the whole history.
// A repository without commits has an empty history.
func (r *Repo) Commits(from, to time.Time, ours func(path string) bool) (History, error) {
	var h History
	if isUnborn(r) {
		return h, nil
	}
	head, err := r.resolveRevision("HEAD")
	if err != nil {
		return h, err
	}
	store := r.storage()
	iter := object.NewCommitIterCTime(head, nil, nil)
	defer iter.Close()
	older := 0 // commits in a row older than from
	for {
		c, err := iter.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return h, fmt.Errorf("read history: %w (check the repository with git fsck)", err)
		}
		when := c.Committer.When
		if when.Before(from) {
			if older++; older == slop {
				break
			}
			continue
		}
		older = 0
		if when.After(to) {
			continue
		}
		if strings.Contains(c.Message, "\nPm-Incident: ") {
			h.Skipped++
			continue
		}
		files, err := touched(store, c)
		if err != nil {
			return h, err
		}
		if ours != nil && len(files) > 0 && !slices.ContainsFunc(files, func(f string) bool { return !ours(f) }) {
			h.Skipped++
			continue
		}
		subject, _, _ := strings.Cut(strings.TrimSpace(c.Message), "\n")
		h.Commits = append(h.Commits, RecentCommit{
			Hash: c.Hash.String(), Time: when, Author: c.Author.Name,
			Subject: subject, Files: files, Merge: len(c.ParentHashes) > 1,
		})
	}
	// The walk follows parents, so a commit whose date is older than a
	// descendant's (a rebase, a skewed clock) comes out of order: sort.
	slices.SortStableFunc(h.Commits, func(a, b RecentCommit) int { return b.Time.Compare(a.Time) })
	return h, nil
}

// slop is how many commits in a row older than the window the walk reads
// before it stops, as git's revision walk does (SLOP in revision.c), so
// that one commit with a skewed clock does not end it early.
const slop = 5

// isUnborn: HEAD names a branch that has no commit yet (a fresh git init).
func isUnborn(r *Repo) bool {
	ref, _, err := r.readHead()
	if err != nil || ref == "" {
		return false
	}
	_, _, exists, err := r.resolveRef(ref)
	return err == nil && !exists
}

// touched lists the paths c changed against its first parent, as
// git log --first-parent --name-only does for a merge (the files the
// merged branch brought in).
func touched(store storer.EncodedObjectStorer, c *object.Commit) ([]string, error) {
	tree, err := c.Tree()
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w (check the repository with git fsck)", c.Hash.String()[:7], err)
	}
	var parent *object.Tree
	if len(c.ParentHashes) > 0 {
		p, err := object.GetCommit(store, c.ParentHashes[0])
		if err != nil {
			return nil, fmt.Errorf("read commit %s: %w (check the repository with git fsck)", c.ParentHashes[0].String()[:7], err)
		}
		if parent, err = p.Tree(); err != nil {
			return nil, fmt.Errorf("read commit %s: %w (check the repository with git fsck)", p.Hash.String()[:7], err)
		}
	}
	changes, err := object.DiffTree(parent, tree)
	if err != nil {
		return nil, fmt.Errorf("compare commit %s with its parent: %w", c.Hash.String()[:7], err)
	}
	files := make([]string, 0, len(changes))
	for _, ch := range changes {
		name := ch.To.Name
		if name == "" {
			name = ch.From.Name
		}
		files = append(files, name)
	}
	slices.Sort(files)
	return files, nil
}
