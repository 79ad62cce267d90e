package repo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/pm-tool/pm/internal/incident"
)

// Store is where pm reads and writes incident files: the incident folder of
// a work tree, in a git repository or (Git nil) in a plain folder. It owns
// the write transaction every writing command goes through:
//
//	lock → read the file → change it → write it atomically → commit → report
//
// so that concurrent pm processes serialise, what another process wrote a
// moment ago is kept, and the user's words are on disk before any commit is
// attempted. Commands in cli describe the change (a Change) and print the
// Result; they hold no part of the transaction themselves.
type Store struct {
	Root   string // the work tree (or, outside git, the folder pm runs in)
	Folder string // the absolute incident folder
	Git    *Repo  // nil outside a git repository
	// NoCommit writes the file and stops there (--no-commit).
	NoCommit bool
	// NoVerify skips the pre-commit and commit-msg hooks (--no-verify).
	NoVerify bool
	// Getenv is the environment git's configuration is read with.
	Getenv func(string) string
	// LockTimeout bounds the wait for another pm process.
	LockTimeout time.Duration
	// Display names a path the way the user should type it from where they
	// are, as git prints paths relative to the current folder.
	Display func(abs string) string
	// Ident resolves the git identity (once; the caller memoises it).
	Ident func() (author, committer Signature, err error)
	// User is who writes an entry when git has no identity: the login name.
	User string
	// Now is the clock entries are stamped with when they carry no time.
	Now func() time.Time

	listing pendingListing // see KeepListing
}

// Change is one read-modify-write-commit of one incident file.
type Change struct {
	Path string // the incident file, absolute
	// Entry, when its Kind is set, is appended in time order after Edit
	// ran; its author joins the incident's authors. A zero Time is now,
	// an empty Author the git author.
	Entry incident.Entry
	// Edit validates against and changes the freshly read document, under
	// the lock; it may complete the entry (a hypothesis id). It may be nil.
	// Its error is returned as it is.
	Edit func(d *incident.Doc, e *incident.Entry) error
	// Kind and Subject make the commit message when there is no entry;
	// SubjectFn, when set, gives the subject after Edit ran (pm done
	// learns the item's text only from the file read under the lock).
	Kind, Subject string
	SubjectFn     func() string
	// Action, when set, is the action item Edit adds: it goes to the
	// journal like an entry, being words the user typed.
	Action *incident.Action
	// Journaled is the journal record this change replays (pm recover):
	// it is not journaled again, and an entry the file already holds is
	// committed rather than added twice.
	Journaled string
}

// Result is what a write did.
type Result struct {
	Entry incident.Entry // the entry as written (time, author, hypothesis id)
	ID    string         // the incident id
	Hash  string         // the new commit, "" when nothing was committed
	// Notices are lines for the user about what happened beside the
	// commit ("not in a git repository: … nothing was committed").
	Notices []string
	// GitOutput is what git and its hooks printed when git made the
	// commit (see CommitResult.ByGit), to be shown as it is.
	GitOutput string
}

// InputError is a change pm cannot make to the file as it is: the file does
// not parse, or the edit does not apply. Nothing was written.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// ExitCode: input that cannot be processed (DESIGN §3).
func (e *InputError) ExitCode() int { return 2 }

// WriteFailure is a write the system refused (a full disk, a read-only
// file): the file is as it was. Entry, when set, is the entry that is not in
// the file, as markdown, so that words piped in are not lost with the write.
type WriteFailure struct {
	Err   error
	Entry string
	// Kept: the entry is in pm's journal, so pm recover can write it once
	// the write works again.
	Kept bool
}

func (e *WriteFailure) Error() string {
	switch {
	case e.Entry == "":
		return e.Err.Error()
	case e.Kept:
		return e.Err.Error() + "\nthis entry is not in the file but kept in pm's journal: once that is fixed, pm recover writes it back; here it is:\n" + strings.TrimSuffix(e.Entry, "\n")
	}
	return e.Err.Error() + "\nthis entry is not in the file; run the command again once that is fixed, or paste it into the log:\n" + strings.TrimSuffix(e.Entry, "\n")
}
func (e *WriteFailure) Unwrap() error { return e.Err }

// ExitCode: the job ran and the machine refused (DESIGN §3).
func (e *WriteFailure) ExitCode() int { return 1 }

// NotCommitted is a change that is in the file but not in a commit: the
// reason, and the one command that commits it.
type NotCommitted struct {
	Reason  string
	File    string // as displayed
	Command string
	// When is what must happen before Command works ("once the lock is
	// free"), empty when it works now.
	When string
	// Kept: the entry is in pm's journal too, so pm recover can write it
	// back if the file loses it.
	Kept bool
}

func (e *NotCommitted) Error() string {
	when := ""
	if e.When != "" {
		when = e.When + ", "
	}
	switch {
	case e.Kept && e.Command == "pm recover":
		return fmt.Sprintf("%s\nyour entry is saved in %s and kept in pm's journal; %s, then run:\n  pm recover\nwhich commits it, or writes it back first if the file lost it", e.Reason, e.File, e.When)
	case e.Kept:
		return fmt.Sprintf("%s\nyour entry is saved in %s and kept in pm's journal; %scommit it with:\n  %s\nif the file loses it first (git checkout, git stash, git reset --hard), pm recover writes it back", e.Reason, e.File, when, e.Command)
	}
	return fmt.Sprintf("%s\nyour change is saved in %s; %scommit it with:\n  %s", e.Reason, e.File, when, e.Command)
}

// ExitCode: a failed commit is a problem, not bad usage (DESIGN §3).
func (e *NotCommitted) ExitCode() int { return 1 }

// NotWritten is a change pm did not write at all because it could not be
// committed safely (no identity, the lock held by a stuck pm): the reason,
// and, when Kept, that the entry waits in the journal for pm recover.
type NotWritten struct {
	Reason, File string
	Kept         bool
}

func (e *NotWritten) Error() string {
	if e.Kept {
		return fmt.Sprintf("%s\nnothing was written to %s; your entry is kept in pm's journal: once that is fixed, pm recover writes and commits it", e.Reason, e.File)
	}
	return fmt.Sprintf("%s\nnothing was written to %s; run the command again once that is fixed", e.Reason, e.File)
}

// ExitCode: the job ran and could not finish (DESIGN §3).
func (e *NotWritten) ExitCode() int { return 1 }

// Apply runs one change as the transaction above and returns what it wrote.
// Words (an entry, an action item) go to the journal first, before the
// lock; the record is removed once a commit holds them or they are refused,
// and kept whenever they might otherwise be lost.
func (s *Store) Apply(c Change) (Result, error) {
	e := c.Entry
	var identErr error
	if s.Git != nil && !s.NoCommit && s.Ident != nil {
		_, _, identErr = s.Ident()
	}
	if e.Kind != "" {
		if e.Time.IsZero() {
			e.Time = s.Now().UTC().Truncate(time.Second)
		}
		if e.Author == "" && identErr == nil {
			e.Author = s.AuthorName()
		}
	}
	res := Result{Entry: e, ID: incidentID(c.Path)}
	var entry string
	if e.Kind != "" {
		entry = incident.FormatEntry(e)
	}
	file := s.Display(c.Path)
	words := s.words(c, e)
	kept := ""
	if s.Git != nil {
		defer s.Git.SyncJournal()
	}
	if words != nil && c.Journaled == "" {
		name, err := s.Git.Keep(words)
		if err != nil {
			return res, &WriteFailure{Err: fmt.Errorf("%w; nothing was changed; %s", err, diskHint(err, "")), Entry: entry}
		}
		kept = name
	} else {
		kept = c.Journaled
	}
	forget := func() {
		if c.Journaled == "" && kept != "" {
			s.Git.Forget(kept)
		}
	}
	if identErr != nil {
		// Writing now would record entries without their author and leave
		// them for one catch-all commit later: the words wait in the
		// journal instead, and pm recover writes them with the author.
		return res, &NotWritten{Reason: identErr.Error(), File: file, Kept: kept != ""}
	}
	unlock, err := s.lock()
	switch {
	case err == nil:
		defer func() { _ = unlock() }()
	case errors.Is(err, ErrLockTimeout):
		// Another pm is stuck holding the lock: writing without it would
		// race that pm's own write, so nothing is written.
		return res, &NotWritten{Reason: err.Error(), File: file, Kept: kept != ""}
	default:
		// The lock file itself could not be made (a full disk, a
		// read-only .git): print the entry back as well.
		return res, &WriteFailure{Err: err, Entry: entry, Kept: kept != ""}
	}
	d, err := ReadIncident(c.Path, file, false)
	if err != nil {
		if kept != "" && c.Journaled == "" {
			err = fmt.Errorf("%w (your entry is kept in pm's journal: pm recover writes it once the file parses)", err)
		}
		return res, &InputError{err}
	}
	if c.Edit != nil {
		if err := c.Edit(d, &e); err != nil {
			res.Entry = e
			forget() // refused: the user is told, and nothing was accepted
			return res, err
		}
	}
	kind, subject := c.Kind, c.Subject
	if c.SubjectFn != nil {
		subject = c.SubjectFn()
	}
	if e.Kind != "" {
		if !(c.Journaled != "" && d.HasEntry(e, false)) {
			if err := d.AppendEntry(e); err != nil {
				forget()
				return res, &InputError{err}
			}
		}
		if e.Author != "" && !slices.Contains(d.Meta.Authors, e.Author) {
			if err := d.SetList("authors", append(slices.Clip(d.Meta.Authors), e.Author)); err != nil {
				forget()
				return res, &InputError{err}
			}
		}
		if kind == "" {
			kind, subject = e.Label(), e.Subject()
		}
		entry = incident.FormatEntry(e)
	}
	res.Entry = e
	if kept != "" && e.Kind != "" && (e.Hypothesis != words.Entry.Hypothesis || e.Text != words.Entry.Text) {
		// The id (or, for pm set, the text naming the old value) was
		// chosen under the lock; recovery must use it.
		words.Entry = loggedOf(e)
		_ = s.Git.Rewrite(kept, words)
	}
	res.Entry = e
	out, err := s.save(c.Path, d.Bytes(), res.ID, kind, subject, entry, kept != "")
	var wf *WriteFailure
	if errors.As(err, &wf) {
		wf.Kept = kept != ""
	}
	res.Hash, res.Notices, res.GitOutput = out.hash, out.notices, out.gitOutput
	if err == nil && (res.Hash != "" || s.NoCommit) || errors.As(err, new(*InputError)) {
		forget()
	}
	return res, err
}

// words is what c records in the journal: its entry or action item, with
// the incident it belongs to; nil when it carries no words of the user's
// (pm done, pm timeline --write) or there is no git directory to keep them
// in (outside git the file is all there is, and it is written atomically).
func (s *Store) words(c Change, e incident.Entry) *Words {
	if s.Git == nil || s.NoCommit || e.Kind == "" && c.Action == nil {
		return nil
	}
	w := &Words{Incident: incidentID(c.Path), Accepted: s.Now().UTC()}
	if rel, err := filepath.Rel(s.Root, c.Path); err == nil {
		w.File = filepath.ToSlash(rel)
	}
	if e.Kind != "" {
		w.Entry = loggedOf(e)
	}
	if c.Action != nil {
		a := *c.Action
		w.Action = &Action{Text: a.Text, Owner: a.Owner, Due: a.Due, Kind: a.Kind, Ticket: a.Ticket}
	}
	return w
}

// Cache is the metadata cache of the store's folder (see CacheFile). A
// listing of the folder it reads is kept only by KeepListing.
func (s *Store) Cache() Cache {
	gitDir := ""
	if s.Git != nil {
		gitDir = s.Git.GitDir
	}
	return Cache{Path: CacheFile(gitDir, s.Folder), pending: &s.listing}
}

// KeepListing writes the listing of the folder the store's caches read,
// when the folder has not changed since: the command calls it as it ends,
// so that one that wrote into the folder does not write a listing its own
// write has made stale.
func (s *Store) KeepListing() {
	if s != nil {
		s.listing.keep()
	}
}

// Create writes a new incident file under the lock. make is given the ids
// already taken (file names without .md), so that two pm new with the same
// title at once still get distinct ids, and returns the new id and the
// file's content.
func (s *Store) Create(title string, make func(taken map[string]bool) (id string, data []byte, err error)) (Result, error) {
	return s.CreateAs("new", title, make)
}

// CreateAs is Create with the commit's kind and subject: pm adopt writes a
// new incident file too, from a post-mortem written without pm, and its
// commit says so ("pm(ID): adopt: notes/outage.md").
func (s *Store) CreateAs(kind, subject string, make func(taken map[string]bool) (id string, data []byte, err error)) (Result, error) {
	title := subject
	folder := s.Display(s.Folder)
	if s.Git != nil && !s.NoCommit && s.Ident != nil {
		if _, _, err := s.Ident(); err != nil {
			return Result{}, &NotWritten{Reason: err.Error(), File: folder}
		}
	}
	unlock, err := s.lock()
	if errors.Is(err, ErrLockTimeout) {
		return Result{}, &NotWritten{Reason: err.Error(), File: folder}
	}
	if err != nil {
		return Result{}, &WriteFailure{Err: err}
	}
	defer func() { _ = unlock() }()
	// The folder itself, not the listing cache: an id taken by a file the
	// cache does not know would be written over.
	paths, err := IncidentFiles(s.Folder)
	if err != nil {
		return Result{}, err
	}
	taken := map[string]bool{}
	for _, p := range paths {
		taken[incidentID(p)] = true
	}
	id, data, err := make(taken)
	if err != nil {
		return Result{}, err
	}
	abs := filepath.Join(s.Folder, id+".md")
	res := Result{ID: id}
	kept := ""
	if s.Git != nil && !s.NoCommit {
		defer s.Git.SyncJournal()
		w := &Words{Incident: id, Accepted: s.Now().UTC(), New: &Created{Title: title, Content: string(data)}}
		if kind != "new" {
			w.New.Kind = kind
		}
		if rel, err := filepath.Rel(s.Root, abs); err == nil {
			w.File = filepath.ToSlash(rel)
		}
		if kept, err = s.Git.Keep(w); err != nil {
			return res, &WriteFailure{Err: fmt.Errorf("%w; nothing was changed; %s", err, diskHint(err, ""))}
		}
	}
	out, err := s.save(abs, data, id, kind, title, "", kept != "")
	res.Hash, res.Notices, res.GitOutput = out.hash, out.notices, out.gitOutput
	if kept != "" && (err == nil && res.Hash != "" || errors.As(err, new(*WriteFailure))) {
		// Committed, or nothing written at all (the user sees why and
		// runs pm new again): nothing to recover.
		s.Git.Forget(kept)
	}
	return res, err
}

// IncidentPath is the file of incident id.
func (s *Store) IncidentPath(id string) string {
	return filepath.Join(s.Folder, id+".md")
}

// incidentID is the id a file name gives: its base name without .md.
func incidentID(abs string) string {
	return strings.TrimSuffix(filepath.Base(abs), ".md")
}

// AuthorName is who writes an entry: the git author's name, as the commit
// will say; outside git (or without an identity) the login name.
func (s *Store) AuthorName() string {
	if s.Git != nil && s.Ident != nil {
		if a, _, err := s.Ident(); err == nil {
			return incident.CleanText(a.Name)
		}
	}
	return incident.CleanText(s.User)
}

// lock serialises pm processes working on the same repository (or folder).
// Errors other than ErrLockTimeout mean the lock file could not be made: the
// disk is full or read-only, so the write would fail too; they say so.
func (s *Store) lock() (func() error, error) {
	var unlock func() error
	var err error
	if s.Git != nil {
		unlock, err = s.Git.Lock(s.LockTimeout)
	} else {
		if err := os.MkdirAll(s.Folder, 0o755); err != nil {
			return nil, err
		}
		unlock, err = LockPath(filepath.Join(s.Folder, ".pm.lock"), s.LockTimeout)
	}
	if err != nil && !errors.Is(err, ErrLockTimeout) {
		err = fmt.Errorf("%w; nothing was changed; %s", err, diskHint(err, ""))
	}
	return unlock, err
}

// saved is what save did beside its error.
type saved struct {
	hash      string   // the commit, "" when none was made
	notices   []string // lines for the user
	gitOutput string   // what git and its hooks printed, when git committed
}

// save writes the file atomically and commits it. The file is written
// first, so whatever happens to the commit, the user's words are on disk;
// when the commit fails the error says so and how to commit it (kept: the
// entry is in the journal too). When the file itself cannot be written (a
// read-only file or folder, a full disk), it is left exactly as it was, the
// error says why and what to do in one line, and the entry that was not
// written follows it.
func (s *Store) save(abs string, data []byte, id, kind, subject, entry string, kept bool) (saved, error) {
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return saved{}, &WriteFailure{Err: fmt.Errorf("cannot create %s: %v", s.Display(filepath.Dir(abs)), err), Entry: entry}
	}
	write := WriteFileAtomic
	if s.Git != nil {
		write = s.Git.WriteFile // a crash leaves no temporary file in the work tree
	}
	if err := write(abs, data, 0o644); err != nil {
		return saved{}, &WriteFailure{Err: s.writeFailed(abs, err), Entry: entry}
	}
	if s.Git == nil {
		return saved{notices: []string{fmt.Sprintf("not in a git repository: wrote %s, nothing was committed", s.Display(abs))}}, nil
	}
	if s.NoCommit {
		return saved{}, nil
	}
	msg := CommitMessage(id, kind, subject)
	file := s.Display(abs)
	manual := s.manualCommit(abs, msg)
	author, committer, err := s.Ident()
	if err != nil {
		return saved{}, &NotCommitted{Reason: err.Error(), File: file, Command: manual, When: "once that is fixed", Kept: kept}
	}
	rel, err := filepath.Rel(s.Root, abs)
	if err != nil {
		rel = abs
	}
	res, err := s.Git.CommitFile(CommitRequest{Path: filepath.ToSlash(rel), Message: msg, Author: author, Committer: committer, NoVerify: s.NoVerify, Getenv: s.Getenv})
	if err != nil {
		nc := &NotCommitted{Reason: "could not commit: " + err.Error(), File: file, Command: manual, Kept: kept}
		var ce *CommitError
		if errors.As(err, &ce) && ce.WayOut != "" {
			// git itself refuses a commit in this state (a rebase, a
			// detached HEAD): its own way out first, then pm recover
			// commits the entry, writing it back if the way out
			// removed it from the file.
			nc.Reason, nc.When, nc.Command = "could not commit: "+ce.Reason, ce.WayOut, "pm recover"
		}
		return saved{}, nc
	}
	return saved{hash: res.Hash, gitOutput: res.Output}, nil
}

// manualCommit is the git command that commits abs by hand, typed where
// the user is. When that is outside the work tree (pm's checkout of
// sync.branch, run from the user's own), git -C names it: git add refuses
// a path into another repository's git dir.
func (s *Store) manualCommit(abs, msg string) string {
	subject := ShellQuote(strings.SplitN(msg, "\n", 2)[0])
	root := s.Display(s.Root)
	inside := true
	for _, el := range strings.Split(filepath.ToSlash(root), "/") {
		inside = inside && (el == ".." || el == ".")
	}
	if inside {
		file := ShellQuote(s.Display(abs))
		return fmt.Sprintf("git add %s && git commit -m %s -- %s", file, subject, file)
	}
	rel, err := filepath.Rel(s.Root, abs)
	if err != nil {
		rel = abs
	}
	git, file := "git -C "+ShellQuote(root), ShellQuote(filepath.ToSlash(rel))
	return fmt.Sprintf("%s add %s && %s commit -m %s -- %s", git, file, git, subject, file)
}

// CommitMessage is DESIGN §4's message: subject, then trailers that let
// tools find pm's commits.
//
// No control byte reaches the commit object (git fsck --strict refuses a
// NUL, and an escape sequence would reach every git log reader's
// terminal): they become U+FFFD, as on pm's own output.
func CommitMessage(id, kind, subject string) string {
	subject, _, _ = strings.Cut(subject, "\n")
	subject = strings.TrimSpace(incident.Printable(subject))
	id, kind = incident.Printable(id), incident.Printable(kind)
	if len([]rune(subject)) > 72 {
		subject = string([]rune(subject)[:71]) + "…"
	}
	head := fmt.Sprintf("pm(%s): %s: %s", id, kind, subject)
	if subject == "" {
		head = fmt.Sprintf("pm(%s): %s", id, kind)
	}
	return fmt.Sprintf("%s\n\nPm-Incident: %s\nPm-Kind: %s\n", head, id, kind)
}

// writeFailed is the one line a failed write gets: the file, why, that
// nothing was changed, and what to do.
func (s *Store) writeFailed(abs string, err error) error {
	file := s.Display(abs)
	reason := err.Error()
	if we := (*WriteError)(nil); errors.As(err, &we) {
		reason = we.Reason()
	}
	hint := diskHint(err, s.Display(filepath.Dir(abs)))
	if errors.Is(err, ErrReadOnlyFile) {
		hint = "make it writable (chmod u+w " + ShellQuote(file) + ") if it should change"
	}
	return fmt.Errorf("cannot write %s: %s; nothing was changed; %s", file, reason, hint)
}

// diskHint says what to do about a write the system refused. dir, when
// given, is the folder pm writes the file in, for the permission hint.
func diskHint(err error, dir string) string {
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return "free some disk space, then run the command again"
	case errors.Is(err, syscall.EROFS):
		return "the file system is mounted read-only; remount it read-write or work in a clone on a writable disk"
	case dir != "" && (errors.Is(err, ErrReadOnlyFolder) || errors.Is(err, os.ErrPermission)):
		return "pm replaces a file through a temporary file beside it, so " + dir + " must be writable (chmod u+w " + ShellQuote(dir) + ")"
	case errors.Is(err, os.ErrPermission):
		return "check that you may write there"
	}
	return "run the command again once that is fixed"
}
