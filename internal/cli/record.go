package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pm-tool/pm/internal/incident"
	"github.com/pm-tool/pm/internal/repo"
)

// edit is one read-modify-write-commit of an incident file; every writing
// command goes through it. It holds the lock from the read to the commit,
// so concurrent pm processes serialise and none of their entries is lost,
// and it re-reads the file under the lock, so what another process wrote a
// moment ago is kept. Steps that depend on the file's current state (the
// next hypothesis number, whether H2 is still open) run inside, in fn.
type edit struct {
	f incidentFile
	// entry, when Kind is set, is appended (in time order) after fn ran;
	// its author joins the incident's authors.
	entry incident.Entry
	// fn validates against and changes the freshly read document; it may
	// fill in the entry (a hypothesis id). It may be nil.
	fn func(d *incident.Doc, e *incident.Entry) error
	// kind and subject make the commit message when there is no entry;
	// subjectFn, when set, gives the subject after fn has run (pm done
	// learns the item's text only from the file it read under the lock).
	kind, subject string
	subjectFn     func() string
}

// apply runs the edit and returns the entry as written and the commit id.
func (w *workspace) apply(ed edit) (incident.Entry, string, error) {
	e := ed.entry
	now := w.app.env.Now().UTC().Truncate(time.Second)
	if e.Kind != "" {
		if e.Time.IsZero() {
			e.Time = now
		}
		if e.Author == "" {
			e.Author = w.authorName()
		}
	}
	// A lock held too long means another pm is stuck; the entry is still
	// written (atomically, so the file is whole either way) but not
	// committed, and the user is told how to commit it: words first.
	var lockErr error
	unlock, err := w.lock()
	switch {
	case err == nil:
		defer unlock()
	case errors.Is(err, repo.ErrLockTimeout):
		lockErr = err
	default:
		// The lock file itself could not be made (a full disk, a
		// read-only .git): the entry goes nowhere, so print it back.
		if e.Kind != "" {
			err = lostEntry(err, incident.FormatEntry(e))
		}
		return e, "", err
	}
	cur, err := w.readIncident(ed.f.path)
	if err != nil {
		return e, "", err
	}
	d := cur.doc
	if ed.fn != nil {
		if err := ed.fn(d, &e); err != nil {
			return e, "", err
		}
	}
	kind, subject := ed.kind, ed.subject
	if ed.subjectFn != nil {
		subject = ed.subjectFn()
	}
	if e.Kind != "" {
		if err := d.AppendEntry(e); err != nil {
			return e, "", usageError("%v", err)
		}
		if e.Author != "" && !slices.Contains(d.Meta.Authors, e.Author) {
			if err := d.SetList("authors", append(slices.Clip(d.Meta.Authors), e.Author)); err != nil {
				return e, "", usageError("%v", err)
			}
		}
		if kind == "" {
			kind, subject = entryKind(e), entrySubject(e)
		}
	}
	var entry string
	if e.Kind != "" {
		entry = incident.FormatEntry(e)
	}
	hash, err := w.save(change{abs: ed.f.path, data: d.Bytes(), id: cur.id, kind: kind, subject: subject, uncommittable: lockErr, entry: entry})
	return e, hash, err
}

// record appends one entry and commits it.
func (w *workspace) record(f incidentFile, e incident.Entry) error {
	_, _, err := w.apply(edit{f: f, entry: e})
	return err
}

// recordMilestone records a milestone entry and sets the status and, when
// field is not empty, that timestamp field, in one commit.
func (w *workspace) recordMilestone(f incidentFile, e incident.Entry, status, field string) error {
	_, _, err := w.apply(edit{f: f, entry: e, fn: func(d *incident.Doc, e *incident.Entry) error {
		return setMilestone(d, status, field, e.Time)
	}})
	return err
}

func setMilestone(d *incident.Doc, status, field string, t time.Time) error {
	if err := d.SetField("status", status); err != nil {
		return err
	}
	if field != "" {
		return d.SetTime(field, t)
	}
	return nil
}

// entryKind is the kind as the log and the commit message write it:
// "observe", "hypothesis H2", "down".
func entryKind(e incident.Entry) string {
	if e.Hypothesis != "" {
		return e.Kind + " " + e.Hypothesis
	}
	return e.Kind
}

// entrySubject is what an entry says, in one line: "api every request
// returns 502" for a down entry.
func entrySubject(e incident.Entry) string {
	return strings.TrimSpace(e.System + " " + firstLine(e.Text))
}

// authorName is who writes an entry: the git author's name, as the commit
// will say; outside git (or without an identity) the login name.
func (w *workspace) authorName() string {
	if w.repo != nil {
		if id := w.ident(); id.err == nil {
			return incident.CleanText(id.author.Name)
		}
	}
	return incident.CleanText(w.app.env.Getenv("USER"))
}

// reportWrite tells the user, git-style, what was written where: data goes
// to stdout, so this goes to stderr.
func (w *workspace) reportWrite(f incidentFile, what, hash string) {
	if hash != "" {
		fmt.Fprintf(w.app.env.Stderr, "[%s %s] %s\n", f.id, hash[:min(7, len(hash))], strings.TrimSuffix(what, ": "))
	}
}
