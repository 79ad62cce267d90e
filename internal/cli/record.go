package cli

import (
	"slices"
	"time"

	"github.com/pm-tool/pm/internal/incident"
)

// record appends one entry to an incident and commits it, under the lock so
// that concurrent pm processes serialise and none of their entries is lost.
// The file is re-read under the lock: what another process wrote a moment
// ago is kept. The entry's author joins the incident's authors.
func (w *workspace) record(f incidentFile, e incident.Entry) error {
	return w.edit(f, e, func(d *incident.Doc) error { return nil })
}

// recordMilestone records a milestone entry (mitigated, resolved, closed,
// reopened) and sets the status and, when field is not empty, that
// timestamp field, in one commit.
func (w *workspace) recordMilestone(f incidentFile, e incident.Entry, status, field string) error {
	return w.edit(f, e, func(d *incident.Doc) error {
		if err := d.SetField("status", status); err != nil {
			return err
		}
		if field != "" {
			return d.SetTime(field, e.Time)
		}
		return nil
	})
}

// edit is the one read-modify-write-commit path for log entries.
func (w *workspace) edit(f incidentFile, e incident.Entry, also func(*incident.Doc) error) error {
	if e.Time.IsZero() {
		e.Time = w.app.env.Now().UTC().Truncate(time.Second)
	}
	if e.Author == "" {
		e.Author = w.authorName(e.Time)
	}
	unlock, err := w.lock()
	if err != nil {
		return err
	}
	defer unlock()
	cur, err := w.readIncident(f.path)
	if err != nil {
		return err
	}
	d := cur.doc
	if err := d.AppendEntry(e); err != nil {
		return usageError("%s: %v", w.display(f.path), err)
	}
	if err := also(d); err != nil {
		return usageError("%s: %v", w.display(f.path), err)
	}
	if e.Author != "" && !slices.Contains(d.Meta.Authors, e.Author) {
		if err := d.SetList("authors", append(slices.Clip(d.Meta.Authors), e.Author)); err != nil {
			return usageError("%s: %v", w.display(f.path), err)
		}
	}
	kind := e.Kind
	if e.Hypothesis != "" {
		kind += " " + e.Hypothesis
	}
	subject := e.Text
	if e.System != "" {
		subject = e.System + " " + subject
	}
	return w.save(change{abs: f.path, data: d.Bytes(), id: cur.id, kind: kind, subject: subject})
}

// authorName is who writes an entry: the git author's name, as the commit
// will say; outside git (or without an identity) the login name.
func (w *workspace) authorName(now time.Time) string {
	if w.repo != nil {
		if a, _, err := w.repo.Identity(w.app.env.Getenv, now); err == nil {
			return a.Name
		}
	}
	return w.app.env.Getenv("USER")
}
