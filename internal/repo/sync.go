package repo

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/pm-tool/pm/internal/incident"
)

// SyncOptions tune Store.Sync.
type SyncOptions struct {
	// Attempts bounds the fetch-merge-push rounds when the push is refused
	// because a teammate pushed first (5 when 0).
	Attempts int
	// Batch runs git without asking anything on the terminal (no password
	// prompt, no ssh host-key question): for sharing after a command, where
	// nobody is waiting to answer.
	Batch bool
	// Timeout bounds each git fetch and push (none when 0).
	Timeout time.Duration
	// MergeDriver is the name of pm's merge driver in git's config
	// (merge.NAME.driver), for the merges git makes (see mergeWithGit).
	MergeDriver string
}

// SyncResult is what a sync did.
type SyncResult struct {
	Remote   string // the remote's name ("origin")
	URL      string // its address, without any user name or password
	Branch   string // the remote branch, short ("main")
	Received int    // commits fetched that the branch did not have
	// Merged lists the incident files both sides had changed, merged with
	// the semantic merge; FastForward says the branch simply moved to the
	// remote's commit.
	Merged      []string
	FastForward bool
	// Renumbered lists the hypotheses opened here that the merge gave
	// another number, because a teammate's of the same number was shared
	// first: the responder must use the new one.
	Renumbered []Renumbered
	Pushed     int    // commits pushed
	Hash       string // the branch's commit afterwards
	Attempts   int    // rounds it took (more than 1: someone pushed first)
}

// UpToDate is true when there was nothing to fetch and nothing to push.
func (r SyncResult) UpToDate() bool {
	return r.Received == 0 && r.Pushed == 0 && len(r.Merged) == 0 && !r.FastForward
}

// Renumbered is one hypothesis that has a new id after a merge.
type Renumbered struct {
	File, From, To, Text string
}

// SyncError is why a sync stopped. Reason says what happened (naming the
// remote), Hint what to do; Code is the exit status (DESIGN §3: 2 when the
// repository is not set up to share, 1 when the sync ran and failed).
// Local commits are never undone by a failed sync: Local says what the
// branch holds that the remote does not, for the message.
type SyncError struct {
	Reason, Hint string
	// Said is what git printed, when git failed: it follows the one line
	// of Reason and Hint, indented.
	Said string
	Code int
	// Offline: git could not fetch from or push to the remote at all (no
	// answer in time, no route, no such repository, no access), as opposed
	// to a refusal of what pm would do; automatic shares wait a while
	// before trying such a remote again.
	Offline bool
}

func (e *SyncError) Error() string {
	msg := e.Reason
	if e.Hint != "" {
		msg += "; " + e.Hint
	}
	if e.Said != "" {
		msg += "\ngit said:\n  " + strings.ReplaceAll(e.Said, "\n", "\n  ")
	}
	return msg
}

// ExitCode: see SyncError.
func (e *SyncError) ExitCode() int { return e.Code }

// errPushRefused is a push the remote refused because its branch moved on.
var errPushRefused = errors.New("push refused: the remote branch has commits this one lacks")

// Sync shares the incident files of the current branch through its
// upstream (branch.NAME.remote and .merge; else origin and the branch of
// the same name): fetch, merge what teammates wrote, push; when the push
// is refused because someone pushed in between, again, up to
// opts.Attempts rounds.
//
// The network is git's own: git fetch and git push run as the user would
// run them, so every transport, ssh-agent, known_hosts, credential helper,
// proxy and insteadOf works as it does for them. The merge is pm's, in
// process: for each incident file both sides changed, the semantic merge of
// the merge driver (incident.Merge: entries unioned in time order,
// hypotheses renumbered, frontmatter three-way); a file only one side
// changed takes that side. The merge commit (parents: the branch, then the
// remote's commit; git's "Merge branch 'B' of URL" message) is built with
// plumbing and the branch moved to it with git merge --ff-only, which
// updates the index and work tree for exactly the files that changed and
// refuses, as git does, to overwrite a file with changes not committed.
// Where git would run hooks or sign a merge commit, git merge makes it
// instead (pm's merge driver merges the incident files there).
//
// pm shares incident files only (the *.md files under the incident
// folder): when the remote's new commits change other files, pm does not
// merge them (git pull does); when the local branch has unpushed commits to
// other files, pm merges but does not push them. Either way it says so.
func (s *Store) Sync(opts SyncOptions) (SyncResult, error) {
	r := s.Git
	var res SyncResult
	if r == nil {
		return res, &SyncError{Reason: "not in a git repository", Hint: "incidents are shared through the team's git remote: run pm in a clone of it", Code: 2}
	}
	ref, what, wayOut, err := r.commitState()
	if err != nil {
		return res, &SyncError{Reason: err.Error(), Code: 1}
	}
	if what != "" {
		return res, &SyncError{Reason: what, Hint: wayOut + ", then pm sync", Code: 1}
	}
	cfg, err := r.loadConfig(s.getenv())
	if err != nil {
		return res, &SyncError{Reason: err.Error(), Code: 1}
	}
	branch := strings.TrimPrefix(ref, "refs/heads/")
	up, err := r.upstream(cfg, branch)
	if err != nil {
		return res, err
	}
	res.Remote, res.URL, res.Branch = up.remote, up.url, strings.TrimPrefix(up.merge, "refs/heads/")

	attempts := opts.Attempts
	if attempts <= 0 {
		attempts = 5
	}
	folder, err := s.folderRel()
	if err != nil {
		return res, &SyncError{Reason: err.Error(), Code: 2}
	}
	g := &syncGit{r: r, opts: opts, up: up, cfg: cfg, getenv: s.getenv(), folder: folder, ref: ref, ident: s.Ident, lock: s.lock}
	for res.Attempts = 1; ; res.Attempts++ {
		err := g.round(&res)
		if !errors.Is(err, errPushRefused) {
			return res, err
		}
		if res.Attempts == attempts {
			return res, &SyncError{Reason: fmt.Sprintf("%s refused the push %d times: teammates keep pushing to %s", up.display(), attempts, res.Branch),
				Hint: "your entries are committed here; run pm sync again in a moment", Code: 1}
		}
		// Someone pushed in between: fetch their commit and merge again,
		// after a pause that keeps two responders from colliding forever.
		// (Random over a window that grows with each round, as
		// Ethernet's backoff: three responders pushing every second
		// collided in a third of their shares with a fixed pause.)
		time.Sleep(time.Duration(10+rand.IntN(60*res.Attempts)) * time.Millisecond)
	}
}

// folderRel is the incident folder relative to the work tree, slash-separated.
func (s *Store) folderRel() (string, error) {
	rel, err := relSlash(s.Root, s.Folder)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return "", fmt.Errorf("the incident folder %s is outside the work tree %s", s.Folder, s.Root)
	}
	return rel, nil
}

func (s *Store) getenv() func(string) string {
	if s.Getenv != nil {
		return s.Getenv
	}
	return os.Getenv
}

// upstreamRef is where a branch is shared: a remote and the branch there.
type upstreamRef struct {
	remote, url string // the remote's name and its address (user info removed)
	merge       string // the remote branch, refs/heads/NAME
}

func (u upstreamRef) display() string {
	if u.url == "" || u.url == u.remote {
		return u.remote
	}
	return u.remote + " (" + u.url + ")"
}

// upstream is the branch's upstream as git pull finds it; with none set,
// origin (or the only remote) and the branch of the same name, as
// git push with push.default=current would use.
func (r *Repo) upstream(cfg *configSet, branch string) (upstreamRef, error) {
	remote, _ := cfg.get("branch", branch, "remote")
	merge, _ := cfg.get("branch", branch, "merge")
	if remote == "" || remote == "." {
		remotes := cfg.subsections("remote")
		switch remote = defaultRemote(cfg); {
		case remote != "":
		case len(remotes) == 0:
			return upstreamRef{}, &SyncError{Reason: "this repository has no remote to share incidents through",
				Hint: "add the team's repository with git remote add origin URL, then pm sync", Code: 2}
		default:
			return upstreamRef{}, &SyncError{Reason: "branch " + branch + " has no upstream and there are several remotes (" + strings.Join(remotes, ", ") + ")",
				Hint: "choose one with git branch --set-upstream-to=REMOTE/" + branch + ", then pm sync", Code: 2}
		}
		merge = ""
	}
	if merge == "" {
		merge = "refs/heads/" + branch
	}
	if !strings.HasPrefix(merge, "refs/heads/") {
		merge = "refs/heads/" + merge
	}
	u, _ := cfg.get("remote", remote, "url")
	if u == "" {
		return upstreamRef{}, &SyncError{Reason: "the remote " + remote + " has no url",
			Hint: "set it with git remote set-url " + remote + " URL", Code: 2}
	}
	return upstreamRef{remote: remote, url: withoutUserInfo(u), merge: merge}, nil
}

// defaultRemote is the remote a branch without an upstream is shared
// through: origin, else the only remote, else none ("").
func defaultRemote(cfg *configSet) string {
	remotes := cfg.subsections("remote")
	switch {
	case slices.Contains(remotes, "origin"):
		return "origin"
	case len(remotes) == 1:
		return remotes[0]
	}
	return ""
}

// withoutUserInfo drops a password (and user name) from a URL so that no
// message ever shows a credential written into a remote's address.
func withoutUserInfo(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.User == nil || p.Scheme == "" {
		return u
	}
	p.User = nil
	return p.String()
}

// syncGit is one Sync's state across its rounds.
type syncGit struct {
	r      *Repo
	opts   SyncOptions
	up     upstreamRef
	cfg    *configSet
	getenv func(string) string
	folder string // the incident folder, relative
	ref    string // the local branch, refs/heads/NAME
	ident  func() (author, committer Signature, err error)
	// lock takes pm's lock, held only while the branch is merged: fetch
	// and push touch neither the branch nor the work tree, and a slow
	// network must not keep the responder's next entry waiting.
	lock func() (func() error, error)
}

// isIncident says whether pm shares the file at rel: an incident file,
// as IncidentFiles lists them (NotIncident), subfolders included.
func (g *syncGit) isIncident(rel string) bool {
	name, ok := strings.CutPrefix(rel, g.folder+"/")
	if g.folder == "." {
		name, ok = rel, true
	}
	return ok && NotIncident(name) == ""
}

// round is one fetch, merge and push. errPushRefused: again.
func (g *syncGit) round(res *SyncResult) error {
	remoteTip, found, err := g.fetch()
	if err != nil {
		return err
	}
	tip, err := g.mergeLocked(remoteTip, found, res)
	if err != nil || found && tip == remoteTip {
		return err // failed, or the remote has everything
	}
	// What the push would add to the remote must be incident files only.
	var base plumbing.Hash
	if found {
		base = remoteTip
	}
	store := g.r.storage()
	others, err := g.changedOutside(store, base, tip)
	if err != nil {
		return err
	}
	if len(others) > 0 {
		return &SyncError{Reason: "not pushed: this branch has commits " + g.up.remote + " does not have that change files other than incidents (" + listSome(others) + ")",
			Hint: "pm shares incident files only: push those commits yourself with git push when they are ready, then pm sync", Code: 1}
	}
	n, _, err := g.counts(tip, base, found)
	if err != nil {
		return err
	}
	if err := g.push(tip); err != nil {
		return err
	}
	res.Pushed = n
	return nil
}

// mergeLocked merges the fetched commit into the branch under pm's lock and
// returns the branch's commit afterwards (res.Hash too).
func (g *syncGit) mergeLocked(remoteTip plumbing.Hash, found bool, res *SyncResult) (plumbing.Hash, error) {
	unlock, err := g.lock()
	if err != nil {
		return plumbing.ZeroHash, &SyncError{Reason: err.Error(), Code: 1}
	}
	defer func() { _ = unlock() }()
	_, local, hasLocal, err := g.r.resolveRef(g.ref)
	switch {
	case err != nil:
		return local, &SyncError{Reason: err.Error(), Code: 1}
	case !hasLocal && found:
		return local, &SyncError{Reason: "this branch has no commit yet, and " + g.up.display() + " has " + res.Branch,
			Hint: "start from it with git pull " + g.up.remote + " " + res.Branch + ", then pm sync", Code: 1}
	case !hasLocal:
		return local, nil // nothing here, nothing there
	}
	tip := local
	if found && remoteTip != local {
		if tip, err = g.merge(g.r.storage(), local, remoteTip, res); err != nil {
			return local, err
		}
	}
	res.Hash = tip.String()
	return tip, nil
}

// git runs the git program in the work tree and returns what it printed.
func (g *syncGit) git(args ...string) (string, error) {
	env := []string{"GIT_MERGE_AUTOEDIT=no", "GIT_EDITOR=:"}
	if g.opts.Batch {
		// Nobody is there to answer: no password prompt, no host-key
		// question (ssh fails instead of asking).
		// A GIT_ASKPASS or credential helper of the user's still answers.
		// The user's own ssh command (GIT_SSH_COMMAND, GIT_SSH,
		// core.sshCommand) is theirs to keep; only plain ssh is told not
		// to ask.
		env = append(env, "GIT_TERMINAL_PROMPT=0")
		_, configured := g.cfg.get("core", "", "sshcommand")
		if g.getenv("GIT_SSH_COMMAND") == "" && g.getenv("GIT_SSH") == "" && !configured {
			env = append(env, "GIT_SSH_COMMAND=ssh -o BatchMode=yes")
		}
	}
	return g.r.runGit(env, "", g.opts.Timeout, args...)
}

// fetch brings the remote branch's commit, as git fetch REMOTE BRANCH does
// (which also updates refs/remotes/REMOTE/BRANCH); found is false when the
// remote has no such branch yet.
func (g *syncGit) fetch() (tip plumbing.Hash, found bool, err error) {
	out, err := g.git("fetch", "-q", "--no-write-fetch-head", g.up.remote, "+"+g.up.merge+":"+g.trackingRef())
	if err != nil {
		if strings.Contains(out, "couldn't find remote ref") {
			return tip, false, nil
		}
		return tip, false, g.networkError("fetch from", out, err)
	}
	_, tip, found, err = g.r.resolveRef(g.trackingRef())
	if err != nil {
		return tip, false, &SyncError{Reason: err.Error(), Code: 1}
	}
	return tip, found, nil
}

// trackingRef is where the fetched commit is kept: the remote-tracking
// branch git itself would use with the default fetch refspec, so that git
// status and git log see what pm fetched.
func (g *syncGit) trackingRef() string {
	return "refs/remotes/" + g.up.remote + "/" + strings.TrimPrefix(g.up.merge, "refs/heads/")
}

// push sends tip to the remote branch. A refusal because the branch moved
// on is errPushRefused; anything else a *SyncError.
func (g *syncGit) push(tip plumbing.Hash) error {
	out, err := g.git("push", "-q", "--porcelain", g.up.remote, tip.String()+":"+g.up.merge)
	if err == nil {
		// The remote has it: keep the remote-tracking branch in step, as
		// git push does for a configured upstream.
		_, _ = g.git("update-ref", g.trackingRef(), tip.String())
		return nil
	}
	if strings.Contains(out, "[rejected]") || strings.Contains(out, "non-fast-forward") || strings.Contains(out, "fetch first") ||
		strings.Contains(out, "[remote rejected]") && strings.Contains(out, "cannot lock ref") {
		return errPushRefused
	}
	return g.networkError("push to", out, err)
}

// networkError turns a failed git fetch or push into one message that names
// the remote and says what to do; git's own words follow it.
func (g *syncGit) networkError(verb, out string, err error) error {
	said := strings.TrimSpace(incident.PrintableLines(gitSaid(out)))
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		if errors.Is(err, errGitTimeout) {
			return &SyncError{Reason: fmt.Sprintf("no answer from %s within %s", g.up.display(), g.opts.Timeout),
				Hint: "your entries are committed here; pm sync shares them once the network is back", Code: 1, Offline: true}
		}
		return &SyncError{Reason: "could not " + verb + " " + g.up.display() + ": the git program is not installed or cannot run", Hint: "pm shares through git fetch and git push: install git, then pm sync; your entries are committed here", Code: 1, Offline: true}
	}
	low := strings.ToLower(said)
	hint := "your entries are committed here; fix what git says, then pm sync"
	switch {
	case strings.Contains(low, "host key verification failed") || strings.Contains(low, "no ed25519 host key") || strings.Contains(low, "host key for") && strings.Contains(low, "has changed"):
		hint = "ssh does not know that server's key: check it and accept it once with ssh to that host (it goes into ~/.ssh/known_hosts), then pm sync"
	case strings.Contains(low, "permission denied") || strings.Contains(low, "authentication failed") || strings.Contains(low, "403") ||
		strings.Contains(low, "could not read username") || strings.Contains(low, "terminal prompts disabled"):
		hint = "check that you have access (an ssh key in ssh-agent, or a credential helper for https: git config credential.helper), then pm sync; your entries are committed here"
	case strings.Contains(low, "does not appear to be a git repository") || strings.Contains(low, "repository not found") || strings.Contains(low, "not found"):
		hint = "check the remote's address with git remote -v; your entries are committed here"
	case strings.Contains(low, "could not resolve host") || strings.Contains(low, "connection refused") || strings.Contains(low, "network is unreachable") ||
		strings.Contains(low, "timed out") || strings.Contains(low, "unable to access") || strings.Contains(low, "could not read from remote"):
		hint = "offline, or the address is wrong (git remote -v): your entries are committed here, and pm sync shares them once " + g.up.remote + " can be reached"
	}
	return &SyncError{Reason: "could not " + verb + " " + g.up.display(), Hint: hint, Said: said, Code: 1, Offline: true}
}

// gitSaid keeps git's error lines, without the porcelain push lines.
func gitSaid(out string) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if l == "Done" || strings.HasPrefix(l, "To ") || strings.HasPrefix(l, "!\t") || strings.HasPrefix(l, "=\t") {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n")
}

// merge brings remote into the branch at local and returns the branch's new
// commit: remote itself when local is behind it, else a merge commit.
func (g *syncGit) merge(store *filesystem.Storage, local, remote plumbing.Hash, res *SyncResult) (plumbing.Hash, error) {
	received, ahead, err := g.counts(remote, local, true)
	if err != nil {
		return local, err
	}
	if received == 0 {
		return local, nil // the remote's commit is in the branch already
	}
	lc, err := object.GetCommit(store, local)
	if err != nil {
		return local, syncObjectError(err)
	}
	rc, err := object.GetCommit(store, remote)
	if err != nil {
		return local, syncObjectError(err)
	}
	var baseTree plumbing.Hash
	if ahead > 0 {
		base, err := g.mergeBase(local, remote)
		if err != nil {
			return local, err
		}
		if !base.IsZero() {
			bc, err := object.GetCommit(store, base)
			if err != nil {
				return local, syncObjectError(err)
			}
			baseTree = bc.TreeHash
		}
	} else {
		baseTree = lc.TreeHash
	}
	// Incoming changes to other files are the user's to merge.
	incoming, err := diffTrees(store, baseTree, rc.TreeHash, "")
	if err != nil {
		return local, syncObjectError(err)
	}
	var others []string
	for _, c := range incoming {
		if !g.isIncident(c.path) {
			others = append(others, c.path)
		}
	}
	if len(others) > 0 {
		return local, &SyncError{Reason: fmt.Sprintf("%s has commits on %s that change files other than incidents (%s); pm merges incident files only", g.up.display(), res.Branch, listSome(others)),
			Hint: "merge them with git pull (pm's merge driver merges the incident files there), then pm sync; your entries are committed here", Code: 1}
	}
	if ahead == 0 {
		// Nothing here the remote lacks: move to its commit.
		if err := g.moveTo(remote); err != nil {
			return local, err
		}
		res.Received += received
		res.FastForward = true
		return remote, nil
	}
	if why := g.mergeNeedsGit(); why != "" {
		return g.mergeWithGit(remote, received, incoming, res)
	}
	changes := map[string]*object.TreeEntry{}
	var merged []string
	var renum []Renumbered
	for _, c := range incoming {
		le, err := treeEntryAt(store, lc.TreeHash, c.path)
		if err != nil {
			return local, syncObjectError(err)
		}
		switch {
		case sameEntry(le, c.from):
			changes[c.path] = c.to // only the remote changed it
			continue
		case sameEntry(le, c.to):
			continue // both made the same change
		case c.to == nil || le == nil:
			return local, &SyncError{Reason: c.path + " was deleted on one side and changed on the other",
				Hint: "settle it with git pull and git's merge, then pm sync; your entries are committed here", Code: 1}
		}
		blob, renumbered, err := g.mergeFile(store, c.path, c.from, le, c.to)
		if err != nil {
			return local, err
		}
		changes[c.path] = &object.TreeEntry{Name: path.Base(c.path), Mode: le.Mode, Hash: blob}
		merged = append(merged, c.path)
		renum = append(renum, renumbered...)
	}
	tree, err := rewriteTree(store, g.r.looseWriter(g.cfg), lc.TreeHash, "", changes)
	if err != nil {
		return local, syncObjectError(err)
	}
	author, committer, err := g.ident()
	if err != nil {
		return local, &SyncError{Reason: err.Error(), Hint: "set it, then pm sync; your entries are committed here", Code: 1}
	}
	msg := fmt.Sprintf("Merge branch '%s' of %s\n", res.Branch, g.up.url)
	c := &object.Commit{
		Author:       object.Signature{Name: cleanIdent(author.Name), Email: cleanIdent(author.Email), When: author.When},
		Committer:    object.Signature{Name: cleanIdent(committer.Name), Email: cleanIdent(committer.Email), When: committer.When},
		Message:      msg,
		TreeHash:     tree,
		ParentHashes: []plumbing.Hash{local, remote},
	}
	mh, err := g.r.looseWriter(g.cfg).commit(c)
	if err != nil {
		return local, syncObjectError(err)
	}
	if err := g.moveTo(mh); err != nil {
		return local, err
	}
	res.Received += received
	res.Merged = append(res.Merged, merged...)
	res.Renumbered = append(res.Renumbered, renum...)
	return mh, nil
}

// mergeFile is the semantic merge of one incident file both sides changed;
// it returns the merged blob, written, and the hypotheses of ours that it
// renumbered.
func (g *syncGit) mergeFile(store *filesystem.Storage, rel string, base, ours, theirs *object.TreeEntry) (plumbing.Hash, []Renumbered, error) {
	read := func(e *object.TreeEntry) ([]byte, error) {
		if e == nil {
			return nil, nil
		}
		return readBlob(store, e.Hash)
	}
	b, err := read(base)
	if err != nil {
		return plumbing.ZeroHash, nil, syncObjectError(err)
	}
	o, err := read(ours)
	if err != nil {
		return plumbing.ZeroHash, nil, syncObjectError(err)
	}
	t, err := read(theirs)
	if err != nil {
		return plumbing.ZeroHash, nil, syncObjectError(err)
	}
	// The remote's version is "ours" to the merge, whose result keeps
	// ours' hypothesis numbers: numbers teammates have already seen (and
	// may have confirmed) stay, and a number opened here meanwhile moves to
	// the next free one.
	merged, conflict, err := incident.Merge(rel, b, t, o)
	switch {
	case err != nil:
		return plumbing.ZeroHash, nil, &SyncError{Reason: "cannot merge " + rel + ": " + err.Error(),
			Hint: "merge it with git pull and fix the file by hand, then pm sync; your entries are committed here", Code: 1}
	case conflict:
		return plumbing.ZeroHash, nil, &SyncError{Reason: rel + " was changed on both sides in a way pm cannot merge (not log entries: the same heading or frontmatter key edited differently)",
			Hint: "merge it with git pull, settle the conflict markers, commit, then pm sync; your entries are committed here", Code: 1}
	}
	h, err := g.r.looseWriter(g.cfg).write(plumbing.BlobObject, merged)
	if err != nil {
		return h, nil, syncObjectError(err)
	}
	return h, renumberedIn(rel, o, merged), nil
}

// renumberedIn compares the hypotheses of the local version with the
// merged one: the same opening (time and text) under another id.
func renumberedIn(rel string, local, merged []byte) []Renumbered {
	before, err1 := incident.Parse(rel, local)
	after, err2 := incident.Parse(rel, merged)
	if err1 != nil || err2 != nil {
		return nil
	}
	now := map[string]string{}
	for _, h := range after.Hypotheses {
		now[h.Opened.String()+"\x00"+h.Text] = h.ID
	}
	var out []Renumbered
	for _, h := range before.Hypotheses {
		if id, ok := now[h.Opened.String()+"\x00"+h.Text]; ok && id != h.ID {
			out = append(out, Renumbered{File: rel, From: h.ID, To: id, Text: h.Text})
		}
	}
	return out
}

// moveTo fast-forwards the branch to h with git merge --ff-only, which
// moves the branch (with its reflog), the index and the work tree together
// and refuses to overwrite a file with changes not committed.
func (g *syncGit) moveTo(h plumbing.Hash) error {
	out, err := g.git("merge", "--ff-only", "-q", "--no-stat", h.String())
	if err == nil {
		return nil
	}
	said := strings.TrimSpace(incident.PrintableLines(out))
	if strings.Contains(said, "would be overwritten") {
		return &SyncError{Reason: "teammates changed incident files you have changes to that are not committed",
			Hint: "commit them (or git stash), then pm sync", Said: said, Code: 1}
	}
	return &SyncError{Reason: "git merge --ff-only failed", Hint: "fix what git says, then pm sync; your entries are committed here", Said: said, Code: 1}
}

// mergeNeedsGit says why a merge commit here must be made by git: a hook
// git runs for merges, or signing.
func (g *syncGit) mergeNeedsGit() string {
	if hooks := g.r.executableHooks(g.cfg, g.getenv, mergeHooks); len(hooks) > 0 {
		return "the " + strings.Join(hooks, ", ") + " hook"
	}
	if g.cfg.boolean("commit", "", "gpgsign", false) {
		return "commit.gpgsign (signing)"
	}
	return ""
}

// mergeHooks are the hooks git merge runs for a merge commit.
var mergeHooks = []string{"pre-merge-commit", "prepare-commit-msg", "commit-msg"}

// mergeWithGit has git merge the fetched commit (incident files only
// differ), so that its hooks run and its signature is made as for any merge
// of the user's. The incident files get pm's merge driver
// (opts.MergeDriver) even where no .gitattributes names it, through a
// core.attributesFile for this one command that adds the line to the
// user's own; without it git merges the logs as text and conflicts. A merge
// that fails anyway is aborted: pm started it, and the responder's branch
// goes back to their own commits.
func (g *syncGit) mergeWithGit(remote plumbing.Hash, received int, incoming []treeChange, res *SyncResult) (plumbing.Hash, error) {
	msg := fmt.Sprintf("Merge branch '%s' of %s", res.Branch, g.up.url)
	args := []string{"merge", "-q", "--no-stat", "--no-edit", "-m", msg, remote.String()}
	if g.opts.MergeDriver != "" {
		attrs, err := g.driverAttributes()
		if err != nil {
			return plumbing.ZeroHash, &SyncError{Reason: "cannot prepare git merge: " + err.Error(), Hint: "check that " + g.r.GitDir + " is writable, then pm sync; your entries are committed here", Code: 1}
		}
		defer os.Remove(attrs)
		args = append([]string{"-c", "core.attributesFile=" + attrs}, args...)
	}
	out, err := g.git(args...)
	if err != nil {
		said := strings.TrimSpace(incident.PrintableLines(out))
		_, _ = g.git("merge", "--abort")
		return plumbing.ZeroHash, &SyncError{Reason: "git merge (run for the merge hooks or signing) failed, and pm aborted it: your branch is as it was",
			Hint: "fix what git says (or merge with git pull yourself), then pm sync; your entries are committed here", Said: said, Code: 1}
	}
	_, h, _, err := g.r.resolveRef(g.ref)
	if err != nil {
		return plumbing.ZeroHash, &SyncError{Reason: err.Error(), Code: 1}
	}
	res.Received += received
	for _, c := range incoming {
		res.Merged = append(res.Merged, c.path)
	}
	return h, nil
}

// driverAttributes writes, in pm's folder of the git dir, the user's global
// attributes file (core.attributesFile, else git's default under
// XDG_CONFIG_HOME or ~/.config) followed by the line that gives the
// incident files pm's merge driver, and returns its path.
func (g *syncGit) driverAttributes() (string, error) {
	file, _ := g.cfg.get("core", "", "attributesfile")
	if file != "" {
		file = expandHome(file, g.getenv)
	} else if x := g.getenv("XDG_CONFIG_HOME"); x != "" {
		file = filepath.Join(x, "git", "attributes")
	} else if h := g.getenv("HOME"); h != "" {
		file = filepath.Join(h, ".config", "git", "attributes")
	}
	var data []byte
	if file != "" {
		data, _ = os.ReadFile(file) // none is fine
		if len(data) > 0 && data[len(data)-1] != '\n' {
			data = append(data, '\n')
		}
	}
	pattern := "/" + g.folder + "/*.md"
	if g.folder == "." {
		pattern = "/*.md"
	}
	data = append(data, pattern+" merge="+g.opts.MergeDriver+"\n"...)
	dir := filepath.Join(g.r.GitDir, "pm")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, "sync-attributes-")
	if err != nil {
		return "", err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// counts is how many commits tip has that base lacks, and base has that
// tip lacks (without a base: every commit of tip), as git rev-list counts
// them: git's commit-graph makes that fast in a long history, where a walk
// of every commit here would grow with every incident ever written.
func (g *syncGit) counts(tip, base plumbing.Hash, hasBase bool) (tipOnly, baseOnly int, err error) {
	args := []string{"rev-list", "--count", tip.String()}
	if hasBase {
		args = []string{"rev-list", "--left-right", "--count", tip.String() + "..." + base.String()}
	}
	out, err := g.git(args...)
	if err == nil {
		f := strings.Fields(out)
		switch {
		case len(f) == 1 && !hasBase:
			tipOnly, err = strconv.Atoi(f[0])
			return tipOnly, 0, err
		case len(f) == 2:
			if tipOnly, err = strconv.Atoi(f[0]); err == nil {
				baseOnly, err = strconv.Atoi(f[1])
			}
			if err == nil {
				return tipOnly, baseOnly, nil
			}
		}
	}
	return 0, 0, &SyncError{Reason: "git rev-list could not count the commits to share", Hint: "check the repository with git fsck", Said: strings.TrimSpace(incident.PrintableLines(out)), Code: 1}
}

// mergeBase is the best common ancestor of a and b (zero when they have
// none), as git merge-base finds it.
func (g *syncGit) mergeBase(a, b plumbing.Hash) (plumbing.Hash, error) {
	out, err := g.git("merge-base", a.String(), b.String())
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() == 1 && strings.TrimSpace(out) == "" {
			return plumbing.ZeroHash, nil // unrelated histories
		}
		return plumbing.ZeroHash, &SyncError{Reason: "git merge-base failed", Hint: "check the repository with git fsck", Said: strings.TrimSpace(incident.PrintableLines(out)), Code: 1}
	}
	return plumbing.NewHash(strings.TrimSpace(out)), nil
}

// changedOutside lists the files other than incidents that differ between
// the trees of commits from and to (from zero: every file of to).
func (g *syncGit) changedOutside(store *filesystem.Storage, from, to plumbing.Hash) ([]string, error) {
	treeOf := func(h plumbing.Hash) (plumbing.Hash, error) {
		if h.IsZero() {
			return plumbing.ZeroHash, nil
		}
		c, err := object.GetCommit(store, h)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		return c.TreeHash, nil
	}
	a, err := treeOf(from)
	if err != nil {
		return nil, syncObjectError(err)
	}
	b, err := treeOf(to)
	if err != nil {
		return nil, syncObjectError(err)
	}
	changes, err := diffTrees(store, a, b, "")
	if err != nil {
		return nil, syncObjectError(err)
	}
	var out []string
	for _, c := range changes {
		if !g.isIncident(c.path) {
			out = append(out, c.path)
		}
	}
	return out, nil
}

func syncObjectError(err error) error {
	if err == nil {
		return nil
	}
	return &SyncError{Reason: "cannot read git's objects: " + err.Error(), Hint: "check the repository with git fsck", Code: 1}
}

// readBlob is the content of blob h.
func readBlob(store *filesystem.Storage, h plumbing.Hash) ([]byte, error) {
	b, err := object.GetBlob(store, h)
	if err != nil {
		return nil, err
	}
	rd, err := b.Reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	return io.ReadAll(rd)
}

// relSlash is target relative to base, slash-separated.
func relSlash(base, target string) (string, error) {
	rel, err := filepath.Rel(base, target)
	return filepath.ToSlash(rel), err
}

// listSome names up to three files and how many more there are.
func listSome(files []string) string {
	if len(files) <= 3 {
		return strings.Join(files, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(files[:3], ", "), len(files)-3)
}

// treeChange is one file that differs between two trees: its entry before
// and after (nil where it does not exist).
type treeChange struct {
	path     string
	from, to *object.TreeEntry
}

// diffTrees lists the files that differ between trees a and b (either may
// be zero, the empty tree), descending only into subtrees whose ids differ,
// so that two commits of a 100,000-file repository that differ in one
// incident file cost a few tree reads.
func diffTrees(store *filesystem.Storage, a, b plumbing.Hash, prefix string) ([]treeChange, error) {
	if a == b {
		return nil, nil
	}
	ea, err := treeEntries(store, a)
	if err != nil {
		return nil, err
	}
	eb, err := treeEntries(store, b)
	if err != nil {
		return nil, err
	}
	byName := map[string][2]*object.TreeEntry{}
	for i := range ea {
		v := byName[ea[i].Name]
		v[0] = &ea[i]
		byName[ea[i].Name] = v
	}
	for i := range eb {
		v := byName[eb[i].Name]
		v[1] = &eb[i]
		byName[eb[i].Name] = v
	}
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []treeChange
	for _, n := range names {
		v := byName[n]
		x, y := v[0], v[1]
		if sameEntry(x, y) {
			continue
		}
		p := prefix + n
		xDir := x != nil && x.Mode == filemode.Dir
		yDir := y != nil && y.Mode == filemode.Dir
		if xDir || yDir {
			var xa, yb plumbing.Hash
			if xDir {
				xa = x.Hash
			}
			if yDir {
				yb = y.Hash
			}
			sub, err := diffTrees(store, xa, yb, p+"/")
			if err != nil {
				return nil, err
			}
			out = append(out, sub...)
			if xDir {
				x = nil
			}
			if yDir {
				y = nil
			}
			if x == nil && y == nil {
				continue
			}
		}
		out = append(out, treeChange{path: p, from: x, to: y})
	}
	return out, nil
}

func sameEntry(a, b *object.TreeEntry) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Hash == b.Hash && a.Mode == b.Mode
}

// treeEntries reads a tree's entries; the zero hash is the empty tree.
func treeEntries(store *filesystem.Storage, h plumbing.Hash) ([]object.TreeEntry, error) {
	if h.IsZero() {
		return nil, nil
	}
	t, err := object.GetTree(store, h)
	if err != nil {
		return nil, err
	}
	return t.Entries, nil
}

// treeEntryAt is the entry at rel in tree h, nil when there is none.
func treeEntryAt(store *filesystem.Storage, h plumbing.Hash, rel string) (*object.TreeEntry, error) {
	comps := strings.Split(rel, "/")
	for i, c := range comps {
		entries, err := treeEntries(store, h)
		if err != nil {
			return nil, err
		}
		e, ok := findEntry(entries, c)
		if !ok {
			return nil, nil
		}
		if i == len(comps)-1 {
			return &e, nil
		}
		if e.Mode != filemode.Dir {
			return nil, nil
		}
		h = e.Hash
	}
	return nil, nil
}

// rewriteTree writes tree h with changes applied (path → new entry, nil to
// remove) and returns the new tree's id; subtrees no change touches are
// reused by id. Objects go through lw, as a commit's do, so a merge's
// objects get git's compression and the shared repository's modes.
func rewriteTree(store *filesystem.Storage, lw looseWriter, h plumbing.Hash, prefix string, changes map[string]*object.TreeEntry) (plumbing.Hash, error) {
	entries, err := treeEntries(store, h)
	if err != nil {
		return h, err
	}
	entries = slices.Clone(entries)
	here := map[string]*object.TreeEntry{}
	below := map[string]map[string]*object.TreeEntry{}
	for p, e := range changes {
		rest, ok := strings.CutPrefix(p, prefix)
		if !ok {
			continue
		}
		name, sub, deeper := strings.Cut(rest, "/")
		if !deeper {
			here[name] = e
			continue
		}
		if below[name] == nil {
			below[name] = map[string]*object.TreeEntry{}
		}
		below[name][prefix+name+"/"+sub] = e
	}
	for name, sub := range below {
		var cur plumbing.Hash
		if e, ok := findEntry(entries, name); ok && e.Mode == filemode.Dir {
			cur = e.Hash
		}
		nh, err := rewriteTree(store, lw, cur, prefix+name+"/", sub)
		if err != nil {
			return h, err
		}
		if nh.IsZero() {
			here[name] = nil
		} else {
			here[name] = &object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: nh}
		}
	}
	for name, e := range here {
		entries = slices.DeleteFunc(entries, func(x object.TreeEntry) bool { return x.Name == name })
		if e != nil {
			entries = upsertEntry(entries, object.TreeEntry{Name: name, Mode: e.Mode, Hash: e.Hash})
		}
	}
	if len(entries) == 0 {
		return plumbing.ZeroHash, nil // an empty folder is no folder
	}
	return lw.tree(entries)
}
