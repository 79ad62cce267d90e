// Package repo is pm's git side: it finds the work tree (linked worktrees
// too), resolves the author and committer the way git does, writes files
// atomically, serialises pm processes with a lock file, and commits one file
// at a time without disturbing the user's other staged or unstaged work.
//
// Commits are built with go-git plumbing (objects and pack reading) plus a
// small amount of hand-written git file handling where go-git falls short:
// repository discovery (go-git refuses repositories with extensions such as
// worktreeConfig), config files (go-git reads only the local one), ref
// updates (git's lock-file protocol rather than flock) and, above all, the
// index, which is patched in place (index.go) so that a commit in a
// 100,000-file repository costs a few milliseconds rather than a full
// decode and re-encode. The package never runs the git binary.
package repo
