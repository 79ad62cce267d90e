package repo

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// CommitRequest is one file to commit on its own.
type CommitRequest struct {
	Path      string // the file to commit, relative to Root, slash-separated
	Message   string // full message (subject, blank line, trailers) — used verbatim
	Author    Signature
	Committer Signature
	// NoVerify skips the pre-commit and commit-msg hooks, as git commit
	// --no-verify does.
	NoVerify bool
	// Getenv reads the environment git's configuration depends on (HOME,
	// GIT_CONFIG_*); os.Getenv when nil.
	Getenv func(string) string
}

// CommitResult describes the commit CommitFile made.
type CommitResult struct {
	Hash string // new commit id (hex); the current one when Unchanged
	// ByGit, when set, says why the commit was handed to the git binary
	// (a hook, signing, a filter; see gitbinary.go); Output is what git
	// and its hooks printed, to be shown to the user as git would.
	ByGit, Output string
	// Unchanged is true when the file already matched the branch's last
	// commit: no commit was made (Hash is the existing one) and only the
	// index entry was refreshed.
	Unchanged bool
}

// CommitError is why CommitFile could not commit. Reason says what is
// wrong, Hint what the user can do; the file itself is untouched either way.
type CommitError struct {
	Reason, Hint string
	// WayOut, for a state in which git itself refuses to commit (a rebase,
	// a merge, a detached HEAD), is git's own way out of it ("finish the
	// rebase with git rebase --continue, or abort it with git rebase
	// --abort"), after which the commit can be made.
	WayOut string
}

func (e *CommitError) Error() string {
	switch {
	case e.WayOut != "":
		return e.Reason + "; " + e.WayOut + ", then commit"
	case e.Hint == "":
		return e.Reason
	}
	return e.Reason + "; " + e.Hint
}

// CommitFile commits the current content of req.Path as one commit on the
// current branch, containing that file's change and nothing else. It is
// built with go-git plumbing: a blob, new trees only along the path (the
// rest of HEAD's tree is reused by id, never read), a commit, and a
// compare-and-swap of the branch under git's own ref lock (refs/heads/X.lock,
// created exclusively, so git and pm exclude each other), then reflog lines
// as git writes them. The user's index and work tree are otherwise
// untouched: their staged and unstaged changes to other files stay as they
// were, and the file's index entry is rewritten (see index.go) so that git
// status shows it clean. An unborn branch gets its first, parentless
// commit. The executable bit is kept (with core.fileMode=false, the mode
// already committed is).
//
// The index and the branch move together, as in git: git's index.lock is
// taken first (waiting up to indexLockWait for a git command that holds it),
// the new index is written into it before the branch moves, and it replaces
// the index right after; if the lock cannot be had, nothing is committed.
// Where the commit would not be the same as git's — a hook to run, signing,
// a filter or line-ending conversion for this file, an index pm cannot
// rewrite faithfully (split, sparse) — it is made by the git binary instead
// (see gitbinary.go), which is the only faithful way.
//
// Errors are *CommitError, or *IdentityError when the request has no name
// or email.
func (r *Repo) CommitFile(req CommitRequest) (CommitResult, error) {
	rel := req.Path
	if err := checkPath(rel); err != nil {
		return CommitResult{}, err
	}
	for _, s := range []Signature{req.Author, req.Committer} {
		if cleanIdent(s.Name) == "" || cleanIdent(s.Email) == "" {
			return CommitResult{}, &IdentityError{Missing: "name or email"}
		}
		if s.When.IsZero() {
			return CommitResult{}, &CommitError{Reason: "commit " + rel + ": no author or committer time given", Hint: "pass the times Identity returns"}
		}
	}
	if strings.TrimSpace(req.Message) == "" {
		return CommitResult{}, &CommitError{Reason: "commit " + rel + ": empty commit message", Hint: "give a message"}
	}

	branch, err := r.checkCommitState(rel)
	if err != nil {
		return CommitResult{}, err
	}
	cfg, err := r.localOnly()
	if err != nil {
		return CommitResult{}, &CommitError{Reason: "commit " + rel + ": " + err.Error()}
	}
	if f, _ := cfg.get("extensions", "", "objectformat"); f != "" && !strings.EqualFold(f, "sha1") {
		return CommitResult{}, &CommitError{Reason: "commit " + rel + ": the repository uses " + f + " object ids, which pm cannot write", Hint: "commit the file with git add and git commit"}
	}
	if f, _ := cfg.get("extensions", "", "refstorage"); f != "" && !strings.EqualFold(f, "files") {
		return CommitResult{}, &CommitError{Reason: "commit " + rel + ": the repository stores refs as " + f + ", which pm cannot update", Hint: "commit the file with git add and git commit"}
	}

	if err := checkNoSymlinkFolders(r.Root, rel); err != nil {
		return CommitResult{}, err
	}
	file, err := readWorkFile(filepath.Join(r.Root, filepath.FromSlash(rel)), rel)
	if err != nil {
		return CommitResult{}, err
	}

	getenv := req.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	full, err := r.loadConfig(getenv)
	if err != nil {
		return CommitResult{}, &CommitError{Reason: "commit " + rel + ": " + err.Error()}
	}
	refName, _, _, err := r.resolveRef(branch)
	if err != nil {
		return CommitResult{}, &CommitError{Reason: "commit " + rel + ": " + err.Error()}
	}
	store := r.storage()
	comps := strings.Split(rel, "/")
	if why := r.needsGit(full, getenv, rel, file.content, req.NoVerify); why != "" {
		return r.commitWithGit(req, why, r.tracked(store, refName, comps))
	}

	// Take git's index lock first, as git commit does, so that the index
	// read afterwards is the one replaced and no git command can write a
	// tree from an index that lacks this commit's change.
	held := r.lockHeld()
	idx, err := lockIndexWait(r.indexFile(), held, indexLockWait)
	if err != nil {
		return CommitResult{}, &CommitError{Reason: "commit " + rel + ": " + err.Error(), Hint: "run the command again once that git command has finished (remove " + r.indexFile() + ".lock only if no git process is running)"}
	}
	defer idx.rollback()
	idx.shared = sharedPerm(full)

	refName, oldHash, exists, err := r.resolveRef(branch)
	if err != nil {
		return CommitResult{}, &CommitError{Reason: "commit " + rel + ": " + err.Error()}
	}
	objects := filepath.Join(r.CommonDir, "objects")
	levels, err := treesAlongPath(store, objects, oldHash, exists, comps)
	if err != nil {
		return CommitResult{}, err
	}
	leafName := comps[len(comps)-1]
	leaf, hasLeaf := levels[len(levels)-1].entry(leafName)
	if hasLeaf && !isFileMode(leaf.Mode) {
		return CommitResult{}, &CommitError{Reason: fmt.Sprintf("commit %s: it is a %s in the last commit", rel, modeName(leaf.Mode)), Hint: "commit it with git"}
	}
	mode := file.mode
	if file.mode != filemode.Symlink && !full.boolean("core", "", "filemode", true) {
		mode = filemode.Regular
		if hasLeaf && (leaf.Mode == filemode.Regular || leaf.Mode == filemode.Executable) {
			mode = leaf.Mode
		}
	}
	blob := plumbing.ComputeHash(plumbing.BlobObject, file.content)
	entry := indexEntry{path: rel, oid: blob, mode: uint32(mode), stat: file.stat}

	// The new index is written (into index.lock) before anything else, so
	// that an index pm cannot rewrite faithfully goes to git before a
	// single object is made, and the branch never moves without it.
	if err := idx.write(r.Root, entry); err != nil {
		var unsupported *indexUnsupported
		if errors.As(err, &unsupported) {
			idx.rollback()
			return r.commitWithGit(req, "an index pm does not rewrite ("+unsupported.reason+")", hasLeaf || r.tracked(store, refName, comps))
		}
		return CommitResult{}, &CommitError{Reason: "commit " + rel + ": " + err.Error()}
	}
	if hasLeaf && leaf.Hash == blob && leaf.Mode == mode {
		if err := idx.commit(); err != nil {
			return CommitResult{}, &CommitError{Reason: "commit " + rel + ": " + err.Error()}
		}
		return CommitResult{Hash: oldHash.String(), Unchanged: true}, nil
	}

	lw := r.looseWriter(full)
	if _, err := lw.write(plumbing.BlobObject, file.content); err != nil {
		return CommitResult{}, objectError(rel, err)
	}
	msg := req.Message
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	// build writes the trees along the path on top of parent's and the
	// commit, returning the commit's id.
	build := func(levels []rawTree, parent plumbing.Hash, hasParent bool) (plumbing.Hash, error) {
		h, m := blob, mode
		for i := len(levels) - 1; i >= 0; i-- {
			t, err := levels[i].upsert(comps[i], m, h)
			if err != nil {
				return h, objectError(rel, err)
			}
			if h, err = lw.write(plumbing.TreeObject, t); err != nil {
				return h, objectError(rel, err)
			}
			m = filemode.Dir
		}
		c := &object.Commit{
			Author:    object.Signature{Name: cleanIdent(req.Author.Name), Email: cleanIdent(req.Author.Email), When: req.Author.When},
			Committer: object.Signature{Name: cleanIdent(req.Committer.Name), Email: cleanIdent(req.Committer.Email), When: req.Committer.When},
			Message:   msg,
			TreeHash:  h,
		}
		if hasParent {
			c.ParentHashes = []plumbing.Hash{parent}
		}
		id, err := lw.commit(c)
		if err != nil {
			return h, objectError(rel, err)
		}
		return id, nil
	}
	newHash, err := build(levels, oldHash, exists)
	if err != nil {
		return CommitResult{}, err
	}

	faultHook(faultObjectsWritten)
	// The index goes in place first, the branch right after. git commit
	// reads HEAD, then the index, without a lock, and only then takes
	// index.lock; with the branch moved first, a user's commit that read
	// the new HEAD and the old index in between wrote a tree without pm's
	// change on top of pm's commit, reverting it (the race test found it).
	// In this order such a commit has the old HEAD as parent, and git's
	// own compare-and-swap of the branch refuses it.
	if err := idx.commit(); err != nil {
		return CommitResult{}, &CommitError{Reason: "commit " + rel + ": git's index could not be updated: " + err.Error()}
	}
	// git commit, too, puts its index in place before it moves the branch,
	// so a user's commit may land between pm taking index.lock and moving
	// the branch: then pm commits again on top of it, as a second git
	// commit would after git's own compare-and-swap refused the first.
	for attempt := 1; ; attempt++ {
		err := r.compareAndSwapRef(refName, oldHash, exists, newHash, rel, held)
		if err == nil {
			break
		}
		_, cur, ok, rerr := r.resolveRef(branch)
		if rerr == nil && ok && r.treeHasBlob(cur, comps, blob, mode) {
			return CommitResult{Hash: cur.String()}, nil // their commit holds it
		}
		if attempt == casAttempts || rerr != nil {
			return CommitResult{}, err
		}
		time.Sleep(time.Duration(attempt) * time.Millisecond)
		oldHash, exists = cur, ok
		if levels, err = treesAlongPath(store, objects, oldHash, exists, comps); err != nil {
			return CommitResult{}, err
		}
		if newHash, err = build(levels, oldHash, exists); err != nil {
			return CommitResult{}, err
		}
	}
	subject, _, _ := strings.Cut(msg, "\n")
	action := "commit: "
	if !exists {
		action = "commit (initial): "
	}
	logAll := cfg.boolean("core", "", "logallrefupdates", true)
	r.appendReflog(refName, oldHash, newHash, req.Committer, action+subject, logAll)
	r.appendReflog("HEAD", oldHash, newHash, req.Committer, action+subject, logAll)
	faultHook(faultRefUpdated)
	return CommitResult{Hash: newHash.String()}, nil
}

// treeHasBlob reports whether commit h has blob (with mode) at the path.
func (r *Repo) treeHasBlob(h plumbing.Hash, comps []string, blob plumbing.Hash, mode filemode.FileMode) bool {
	levels, err := treesAlongPath(r.storage(), filepath.Join(r.CommonDir, "objects"), h, true, comps)
	if err != nil {
		return false
	}
	e, ok := levels[len(levels)-1].entry(comps[len(comps)-1])
	return ok && e.Hash == blob && e.Mode == mode
}

// tracked reports whether rel is in the branch's last commit, for git's
// `commit -- FILE`, which refuses a path it does not track yet.
func (r *Repo) tracked(store *filesystem.Storage, refName string, comps []string) bool {
	_, h, exists, err := r.resolveRef(refName)
	if err != nil || !exists {
		return false
	}
	levels, err := treesAlongPath(store, filepath.Join(r.CommonDir, "objects"), h, true, comps)
	if err != nil {
		return false
	}
	_, ok := levels[len(levels)-1].entry(comps[len(comps)-1])
	return ok
}

// casAttempts bounds how often a commit is rebuilt on a branch that moved
// under it (another committer), about half a second in all.
const casAttempts = 30

func objectError(rel string, err error) error {
	return &CommitError{Reason: "commit " + rel + ": write git objects: " + err.Error(), Hint: "check that .git/objects is writable and the disk is not full"}
}

// checkPath accepts a clean, relative, slash-separated path that git would
// track.
func checkPath(p string) error {
	bad := p == "" || strings.HasPrefix(p, "/") || path.Clean(p) != p || strings.ContainsRune(p, 0) || strings.Contains(p, "\\")
	for _, c := range strings.Split(p, "/") {
		if c == "." || c == ".." || strings.EqualFold(c, ".git") {
			bad = true
		}
	}
	if bad {
		return &CommitError{Reason: fmt.Sprintf("commit %q: not a file path inside the work tree", p), Hint: "pass a slash-separated path relative to the repository root"}
	}
	return nil
}

// checkCommitState refuses to commit where git would want the user's
// attention first, and returns the ref HEAD points to. An operation in
// progress is named before a detached HEAD, since a rebase or bisect
// detaches HEAD and its own way out is the one that works.
func (r *Repo) checkCommitState(rel string) (string, error) {
	ref, what, wayOut, err := r.commitState()
	switch {
	case err != nil:
		return "", &CommitError{Reason: "commit " + rel + ": " + err.Error()}
	case what != "":
		return "", &CommitError{Reason: "commit " + rel + ": " + what, WayOut: wayOut}
	}
	return ref, nil
}

// commitState is the branch HEAD names, or (what, wayOut) the state in
// which git refuses to commit and git's own way out of it.
func (r *Repo) commitState() (ref, what, wayOut string, err error) {
	for _, s := range []struct{ file, what, out string }{
		{"rebase-merge", "a rebase is in progress", "finish the rebase with git rebase --continue, or abort it with git rebase --abort"},
		{"rebase-apply", "a rebase or git am is in progress", "finish it with git rebase --continue (git am --continue), or abort it with --abort"},
		{"MERGE_HEAD", "a merge is in progress", "finish the merge with git merge --continue, or abort it with git merge --abort"},
		{"CHERRY_PICK_HEAD", "a cherry-pick is in progress", "finish it with git cherry-pick --continue, or abort it with git cherry-pick --abort"},
		{"REVERT_HEAD", "a revert is in progress", "finish it with git revert --continue, or abort it with git revert --abort"},
		{"BISECT_LOG", "a bisect is in progress", "end it with git bisect reset"},
	} {
		if _, err := os.Lstat(filepath.Join(r.GitDir, s.file)); err == nil {
			return "", s.what, s.out, nil
		}
	}
	ref, _, err = r.readHead()
	switch {
	case err != nil:
		return "", "", "", err
	case ref == "":
		return "", "HEAD is detached (not on a branch)", "go back to your branch with git switch - (or git switch BRANCH)", nil
	case !strings.HasPrefix(ref, "refs/heads/"):
		return "", "HEAD points to " + ref + ", not a branch", "switch to a branch with git switch BRANCH", nil
	}
	return ref, "", "", nil
}

// checkNoSymlinkFolders refuses a path that passes through a symbolic link
// in the work tree: git does not track files beyond one, and committing
// such a path would leave the tree and the index at odds.
func checkNoSymlinkFolders(root, rel string) error {
	dir := root
	parts := strings.Split(rel, "/")
	for i, p := range parts[:len(parts)-1] {
		dir = filepath.Join(dir, p)
		fi, err := os.Lstat(dir)
		if err != nil {
			continue // reported as a missing file next
		}
		if fi.Mode()&os.ModeSymlink != 0 {
			link := strings.Join(parts[:i+1], "/")
			return &CommitError{Reason: "commit " + rel + ": " + link + " is a symbolic link, and git does not track files beyond one", Hint: "commit the file at its real location"}
		}
	}
	return nil
}

type workFile struct {
	content []byte
	mode    filemode.FileMode
	stat    statInfo
}

// readWorkFile reads the file to commit and the stat data git will compare
// against. The content is read through one descriptor and its stat taken
// before and after, so a concurrent in-place writer is noticed rather than
// committed half-written.
func readWorkFile(full, rel string) (workFile, error) {
	lfi, err := os.Lstat(full)
	if errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return workFile{}, &CommitError{Reason: "commit " + rel + ": file missing", Hint: "write the file first, then commit it"}
	}
	if err != nil {
		return workFile{}, &CommitError{Reason: "commit " + rel + ": " + err.Error()}
	}
	switch {
	case lfi.Mode()&os.ModeSymlink != 0:
		target, err := os.Readlink(full)
		if err != nil {
			return workFile{}, &CommitError{Reason: "commit " + rel + ": " + err.Error()}
		}
		return workFile{content: []byte(filepath.ToSlash(target)), mode: filemode.Symlink, stat: statOf(lfi)}, nil
	case !lfi.Mode().IsRegular():
		return workFile{}, &CommitError{Reason: "commit " + rel + ": not a regular file", Hint: "pm commits files only"}
	}
	f, err := os.Open(full)
	if err != nil {
		return workFile{}, &CommitError{Reason: "commit " + rel + ": " + err.Error()}
	}
	defer f.Close()
	before, err := f.Stat()
	if err != nil {
		return workFile{}, &CommitError{Reason: "commit " + rel + ": " + err.Error()}
	}
	content := make([]byte, before.Size())
	if _, err := io.ReadFull(f, content); err != nil {
		return workFile{}, &CommitError{Reason: "commit " + rel + ": " + err.Error(), Hint: "the file changed while pm read it; run the command again"}
	}
	after, err := f.Stat()
	if err != nil || after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()) || !os.SameFile(lfi, after) {
		return workFile{}, &CommitError{Reason: "commit " + rel + ": the file changed while pm read it", Hint: "run the command again"}
	}
	mode := filemode.Regular
	if after.Mode()&0o100 != 0 {
		mode = filemode.Executable
	}
	return workFile{content: content, mode: mode, stat: statOf(after)}, nil
}

// treesAlongPath returns, for the commit at head, the entries of the root
// tree and of each folder on the way to the file (comps without its last
// element); a folder that does not exist yet has no entries. Only these
// trees are read.
func treesAlongPath(store *filesystem.Storage, objects string, head plumbing.Hash, exists bool, comps []string) ([]rawTree, error) {
	rel := strings.Join(comps, "/")
	levels := make([]rawTree, len(comps))
	if !exists {
		return levels, nil
	}
	c, err := object.GetCommit(store, head)
	if err != nil {
		return nil, &CommitError{Reason: fmt.Sprintf("commit %s: read commit %s: %v", rel, head, err), Hint: "check the repository with git fsck"}
	}
	treeHash := c.TreeHash
	for i := range levels {
		t, err := readTree(store, objects, treeHash)
		if err != nil {
			return nil, &CommitError{Reason: fmt.Sprintf("commit %s: read tree %s: %v", rel, treeHash, err), Hint: "check the repository with git fsck"}
		}
		levels[i] = t
		if i == len(levels)-1 {
			break
		}
		e, ok := t.entry(comps[i])
		if !ok {
			break // the rest of the path is new
		}
		if e.Mode != filemode.Dir {
			dir := strings.Join(comps[:i+1], "/")
			return nil, &CommitError{Reason: fmt.Sprintf("commit %s: %s is a %s in the last commit, not a folder", rel, dir, modeName(e.Mode)), Hint: "commit the change of " + dir + " with git first"}
		}
		treeHash = e.Hash
	}
	return levels, nil
}

func findEntry(entries []object.TreeEntry, name string) (object.TreeEntry, bool) {
	for _, e := range entries {
		if e.Name == name {
			return e, true
		}
	}
	return object.TreeEntry{}, false
}

// upsertEntry returns a copy of entries with e added or replacing the entry
// of the same name, in git's tree order (folders sort as if their name
// ended with "/").
func upsertEntry(entries []object.TreeEntry, e object.TreeEntry) []object.TreeEntry {
	out := slices.Clone(entries)
	for i := range out {
		if out[i].Name == e.Name {
			out[i] = e
			return out
		}
	}
	out = append(out, e)
	sort.Sort(object.TreeEntrySorter(out))
	return out
}

func isFileMode(m filemode.FileMode) bool {
	return m == filemode.Regular || m == filemode.Executable || m == filemode.Symlink || m == filemode.Deprecated
}

func modeName(m filemode.FileMode) string {
	switch m {
	case filemode.Dir:
		return "folder"
	case filemode.Submodule:
		return "submodule"
	case filemode.Symlink:
		return "symbolic link"
	}
	return "file"
}

// compareAndSwapRef moves refName from old (absent when !oldExists) to new
// the way git does: create refName.lock exclusively, re-read the ref under
// the lock, and rename the lock over the ref only if it still holds old.
// go-git's CheckAndSetReference locks with flock and writes the ref in
// place, which git does not see; git's lock file protocol excludes both.
// While the ref lock exists it is noted in held, pm's own lock (when
// held), so that if pm dies holding it, the next pm removes it rather than
// finding the branch locked forever.
func (r *Repo) compareAndSwapRef(refName string, old plumbing.Hash, oldExists bool, new plumbing.Hash, rel string, held *heldLock) error {
	short := strings.TrimPrefix(refName, "refs/heads/")
	file := r.refFile(refName)
	lock := file + ".lock"
	if err := os.MkdirAll(filepath.Dir(file), 0o777); err != nil {
		return &CommitError{Reason: "commit " + rel + ": update branch " + short + ": " + err.Error()}
	}
	f, err := createNoted(lock, held, os.O_WRONLY, 0o666)
	if errors.Is(err, os.ErrExist) {
		return &CommitError{Reason: "commit " + rel + ": branch " + short + " is locked by another git process (" + lock + " exists)", Hint: "run the command again; remove the lock file only if no git process is running"}
	}
	if err != nil {
		return &CommitError{Reason: "commit " + rel + ": update branch " + short + ": " + err.Error()}
	}
	done := false
	defer func() {
		if !done {
			f.Close()
			held.free(lock)
			os.Remove(lock)
		}
	}()
	target, cur, curExists, err := r.readRef(refName)
	if err != nil {
		return &CommitError{Reason: "commit " + rel + ": " + err.Error()}
	}
	if target != "" || curExists != oldExists || cur != old {
		now := cur.String()
		if target != "" {
			now = target
		}
		was := old.String()
		if !oldExists {
			was = "nothing (unborn)"
		}
		return &CommitError{
			Reason: fmt.Sprintf("commit %s: branch %s moved from %s to %s while pm was committing (another process committed)", rel, short, was, now),
			Hint:   "run the command again; nothing was overwritten",
		}
	}
	if _, err := f.WriteString(new.String() + "\n"); err != nil {
		return &CommitError{Reason: "commit " + rel + ": update branch " + short + ": " + err.Error()}
	}
	if err := f.Close(); err != nil {
		return &CommitError{Reason: "commit " + rel + ": update branch " + short + ": " + err.Error()}
	}
	faultHook(faultRefLocked)
	// The note is dropped after the rename, not before: a kill in between
	// would otherwise leave an unnoted lock holding the new commit, which
	// blocks the branch for pm and git alike. A note of a name that no
	// longer exists is harmless (removeOrphans checks the file at it).
	if err := os.Rename(lock, file); err != nil {
		return &CommitError{Reason: "commit " + rel + ": update branch " + short + ": " + err.Error()}
	}
	held.free(lock)
	done = true
	// As git's lock files: the ref gets core.sharedRepository's modes.
	// The commit is made by now, so a failure here is only reported.
	if err := adjustShared(r.shared(), file); err != nil {
		return &CommitError{Reason: "commit " + rel + ": branch " + short + " updated, but unable to set permission to " + file + ": " + err.Error(), Hint: "fix the file's mode (chmod) for the others who share this repository"}
	}
	return nil
}

// appendReflog adds the line git would add to the ref's reflog. The commit
// is already made when this runs, so a reflog that cannot be written is
// not an error. create follows core.logAllRefUpdates: without it only an
// existing log is appended to.
func (r *Repo) appendReflog(refName string, old, new plumbing.Hash, who Signature, msg string, create bool) {
	dir := r.CommonDir
	if refName == "HEAD" {
		dir = r.GitDir
	}
	file := filepath.Join(dir, "logs", filepath.FromSlash(refName))
	flags := os.O_WRONLY | os.O_APPEND
	if create {
		flags |= os.O_CREATE
		if err := os.MkdirAll(filepath.Dir(file), 0o777); err != nil {
			return
		}
	}
	f, err := os.OpenFile(file, flags, 0o666)
	if err != nil {
		return
	}
	defer f.Close()
	if create {
		adjustShared(r.shared(), file) //nolint:errcheck // the reflog is best effort, as above
	}
	msg = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return ' '
		}
		return r
	}, msg)
	fmt.Fprintf(f, "%s %s %s <%s> %d %s\t%s\n", old, new, cleanIdent(who.Name), cleanIdent(who.Email),
		who.When.Unix(), who.When.Format("-0700"), msg)
}
