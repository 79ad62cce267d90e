package repo

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pm-tool/pm/internal/incident"
)

// The journal is where every word pm accepts goes first (DESIGN §4, "nothing
// is ever lost"): before the lock, the file or the commit, each entry or
// action item is written, fsynced, into a file of its own in
// GitDir/pm/journal. The record is removed once a commit holds it. Whatever
// then happens to the work tree or the branch — git rebase --abort, git
// checkout -- FILE, git stash, git reset --hard, a kill — the record is
// still there, and pm recover writes back every entry that is in neither
// the file nor HEAD.
//
// One file per record rather than one appended log: concurrent pm processes
// never share a file, a record is whole or absent (temp file, fsync, rename,
// fsync of the folder), and removing a committed record is one unlink, so
// the journal never needs compacting while others append to it.

// journalVersion is the record format; records of other versions are
// reported by pm recover and left alone, never fatal.
const journalVersion = 1

// Words is one journal record: what a user typed that pm accepted.
type Words struct {
	V        int       `json:"v"`
	Incident string    `json:"incident"`       // the incident id
	File     string    `json:"file,omitempty"` // the incident file, relative to the work tree
	Accepted time.Time `json:"accepted"`       // when pm accepted it
	Entry    *Logged   `json:"entry,omitempty"`
	Action   *Action   `json:"action,omitempty"`
	New      *Created  `json:"new,omitempty"`

	name string // the record's file name in the journal
}

// Logged is a log entry as the journal keeps it.
type Logged struct {
	Time       time.Time `json:"time"`
	Kind       string    `json:"kind"`
	Hypothesis string    `json:"hypothesis,omitempty"`
	System     string    `json:"system,omitempty"`
	Text       string    `json:"text"`
	Author     string    `json:"author,omitempty"`
}

// Created is a new incident as the journal keeps it: pm new's title and the
// whole file it wrote, so that a pm new killed before its commit (or whose
// commit failed) is committed, or written again, by pm recover.
type Created struct {
	Title   string `json:"title"` // the commit's subject
	Content string `json:"content"`
	// Kind is the commit's kind when it is not "new" (pm adopt).
	Kind string `json:"kind,omitempty"`
}

// Action is an action item as the journal keeps it.
type Action struct {
	Text   string `json:"text"`
	Owner  string `json:"owner,omitempty"`
	Due    string `json:"due,omitempty"`
	Kind   string `json:"kind,omitempty"`
	Ticket string `json:"ticket,omitempty"`
}

// Name is the record's name in the journal (for pm recover --list).
func (w *Words) Name() string { return w.name }

// IncidentEntry is the journaled entry as the model has it.
func (l *Logged) IncidentEntry() incident.Entry {
	return incident.Entry{Time: l.Time, Kind: l.Kind, Hypothesis: l.Hypothesis, System: l.System, Text: l.Text, Author: l.Author}
}

func loggedOf(e incident.Entry) *Logged {
	return &Logged{Time: e.Time, Kind: e.Kind, Hypothesis: e.Hypothesis, System: e.System, Text: e.Text, Author: e.Author}
}

// IncidentAction is the journaled action item as the model has it.
func (a *Action) IncidentAction() incident.Action {
	return incident.Action{Text: a.Text, Owner: a.Owner, Due: a.Due, Kind: a.Kind, Ticket: a.Ticket}
}

// Summary is one line saying what the record holds.
func (w *Words) Summary() string {
	switch {
	case w.Entry != nil:
		e := w.Entry.IncidentEntry()
		return e.Time.UTC().Format(time.RFC3339) + " " + e.Label() + " " + incident.Printable(e.Subject())
	case w.Action != nil:
		return "action " + incident.Printable(w.Action.Text)
	case w.New != nil:
		return "new " + incident.Printable(w.New.Title)
	}
	return "(empty record)"
}

// journalOff is true only in a build with the tag pmbench_nojournal
// (journal_off.go), which bench/journal.sh times against the real build to
// measure what the journal costs pm observe (issue 12). No release is built
// with it.
var journalOff = false

// journalDir is where the records are: in this work tree's git dir, which
// nothing that touches the work tree or the branch changes.
func (r *Repo) journalDir() string {
	return filepath.Join(r.GitDir, "pm", "journal")
}

// Keep writes w to the journal durably and returns its name.
func (r *Repo) Keep(w *Words) (string, error) {
	if journalOff {
		return "", nil
	}
	dir := r.journalDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("cannot keep the entry in pm's journal: %w", err)
	}
	w.V = journalVersion
	var rnd [6]byte
	rand.Read(rnd[:])
	name := fmt.Sprintf("%s-%d-%s.json", w.Accepted.UTC().Format("20060102T150405.000000000Z"), os.Getpid(), hex.EncodeToString(rnd[:]))
	if err := r.writeRecord(dir, name, w); err != nil {
		return "", err
	}
	w.name = name
	return name, nil
}

// KeepUnplaced keeps an entry whose command failed before an incident was
// chosen (a mistyped -i, several open incidents): text piped in with - is
// nowhere else. pm recover --list prints it.
func (r *Repo) KeepUnplaced(e incident.Entry, now time.Time) (string, error) {
	name, err := r.Keep(&Words{Accepted: now.UTC(), Entry: loggedOf(e)})
	r.SyncJournal()
	return name, err
}

// Rewrite replaces record name with w (the entry as it was finally written:
// a hypothesis id chosen under the lock).
func (r *Repo) Rewrite(name string, w *Words) error {
	w.V = journalVersion
	return r.writeRecord(r.journalDir(), name, w)
}

// writeRecord writes a record: a temporary file of this process, renamed
// into place, whole or absent whatever instant pm is killed at. Making it
// durable against a power cut (fsync of the file and the folder) costs two
// disk flushes, 3–5 ms on the disks measured, more than the whole journal
// may cost (issue 12: 2 ms); so the flushes run in the background, beside
// the incident file's own, and SyncJournal waits for them before pm says
// anything about the write. It is its own small writer rather than
// WriteFileAtomic so that the fault seams of the incident file's write
// (faultHook, atomicFS) stay about that file.
func (r *Repo) writeRecord(dir, name string, w *Words) error {
	data, err := json.Marshal(w)
	if err != nil {
		return err
	}
	fail := func(err error) error {
		return fmt.Errorf("cannot keep the entry in pm's journal: %w", &WriteError{Path: filepath.Join(dir, name), Op: "write", Err: errnoOf(err)})
	}
	tmp := filepath.Join(dir, "."+name+".tmp")
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fail(err)
	}
	_, err = f.Write(append(data, '\n'))
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, name))
	}
	if err != nil {
		f.Close()
		os.Remove(tmp)
		return fail(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = f.Sync()
		f.Close()
		if d, err := os.Open(dir); err == nil {
			_ = d.Sync() // the rename too
			d.Close()
		}
	}()
	r.heldMu.Lock()
	r.syncs = append(r.syncs, done)
	r.heldMu.Unlock()
	return nil
}

// SyncJournal waits until every record written so far is on disk.
func (r *Repo) SyncJournal() {
	r.heldMu.Lock()
	syncs := r.syncs
	r.syncs = nil
	r.heldMu.Unlock()
	for _, s := range syncs {
		<-s
	}
}

// Forget removes a record: its words are in a commit, or were refused.
func (r *Repo) Forget(name string) {
	if name != "" {
		os.Remove(filepath.Join(r.journalDir(), name))
	}
}

// JournalProblem is a record pm cannot use: damaged, or of another version.
type JournalProblem struct {
	Name, Reason string
}

// Journal lists the records, oldest first, and the ones it cannot read.
func (r *Repo) Journal() ([]*Words, []JournalProblem) {
	ents, err := os.ReadDir(r.journalDir())
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, []JournalProblem{{Name: r.journalDir(), Reason: err.Error()}}
	}
	var out []*Words
	var bad []JournalProblem
	for _, e := range ents {
		name := e.Name()
		if strings.HasSuffix(name, ".json.tmp") {
			// A killed pm's half-written record: the kill came before
			// pm accepted the words, so nothing is lost with it. The
			// name holds the writer's pid; a live writer's is left.
			if f := strings.Split(name, "-"); len(f) >= 3 {
				if pid, err := strconv.Atoi(f[len(f)-2]); err == nil && !processAlive(pid) {
					os.Remove(filepath.Join(r.journalDir(), name))
				}
			}
			continue
		}
		if !strings.HasSuffix(name, ".json") || !e.Type().IsRegular() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(r.journalDir(), name))
		if err != nil {
			bad = append(bad, JournalProblem{name, err.Error()})
			continue
		}
		var w Words
		if err := json.Unmarshal(data, &w); err != nil {
			bad = append(bad, JournalProblem{name, "damaged: " + err.Error()})
			continue
		}
		if w.V != journalVersion {
			bad = append(bad, JournalProblem{name, "written by another version of pm (format " + strconv.Itoa(w.V) + ")"})
			continue
		}
		if w.Entry == nil && w.Action == nil && w.New == nil {
			bad = append(bad, JournalProblem{name, "holds neither an entry nor an action item"})
			continue
		}
		w.name = name
		out = append(out, &w)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Accepted.Equal(out[j].Accepted) {
			return out[i].Accepted.Before(out[j].Accepted)
		}
		return out[i].name < out[j].name
	})
	return out, bad
}

// Pending counts the records in the journal, cheaply (one readdir), for the
// line pm status and failing commands print.
func (r *Repo) Pending() int {
	ents, err := os.ReadDir(r.journalDir())
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".json") {
			n++
		}
	}
	return n
}
