package repo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/pm-tool/pm/internal/incident"
)

// Recovered is what pm recover found for one journal record.
type Recovered struct {
	Words *Words
	// State: "committed" (HEAD holds it: the record is removed), "restored"
	// (written back and committed), "in-file" (the file holds it; now
	// committed), "failed" (Err says why; the record is kept) or "listed"
	// (List only: "missing" or "in-file" is in Where).
	State, Where string
	Hash         string
	Err          error
}

// RecoverOptions choose what Recover does.
type RecoverOptions struct {
	List bool // only say where each record's words are
	// OneCommit writes back all of an incident's records in one commit
	// ("recover: N entries") instead of one commit each.
	OneCommit bool
	// Forget names a record to drop (one in no incident, once its text is
	// saved elsewhere).
	Forget string
}

// Recover goes through the journal, oldest first. A record whose words HEAD
// holds is removed. The others are written back into their incident where
// the file lost them (git rebase --abort, git checkout -- FILE, git stash,
// git reset --hard, a kill), in time order, and committed one commit per
// record with the message the original command would have made; an entry
// the file still holds is committed as it is. A record that cannot be
// committed yet (a rebase still in progress) is kept, with the reason.
func (s *Store) Recover(opts RecoverOptions) ([]Recovered, []JournalProblem, error) {
	if s.Git == nil {
		return nil, nil, nil
	}
	records, bad := s.Git.Journal()
	var out []Recovered
	if opts.Forget != "" {
		for _, w := range records {
			if w.name == opts.Forget || strings.TrimSuffix(w.name, ".json") == opts.Forget {
				s.Git.Forget(w.name)
				return []Recovered{{Words: w, State: "forgotten"}}, nil, nil
			}
		}
		return nil, bad, fmt.Errorf("no record %q in pm's journal (pm recover --list names them)", opts.Forget)
	}
	batch := map[string][]*Words{} // OneCommit: the records to write back, by file
	var order []string
	for _, w := range records {
		rec := Recovered{Words: w}
		if w.Incident == "" {
			// Its command failed before an incident was chosen.
			rec.State = "unplaced"
			out = append(out, rec)
			continue
		}
		path := s.recordPath(w)
		inHead, inFile, err := s.whereIs(w, path)
		switch {
		case err != nil:
			rec.State, rec.Err = "failed", err
		case inHead:
			rec.State = "committed"
			if !opts.List {
				s.Git.Forget(w.name)
			}
		case opts.List:
			rec.State, rec.Where = "listed", "missing"
			if inFile {
				rec.Where = "in-file"
			}
		case w.New != nil:
			rec.State = "restored"
			if inFile {
				rec.State = "in-file"
			}
			hash, err := s.replayNew(w, path, inFile)
			rec.Hash = hash
			if err != nil {
				rec.State, rec.Err = "failed", err
			} else {
				s.Git.Forget(w.name)
			}
		case opts.OneCommit:
			if _, ok := batch[path]; !ok {
				order = append(order, path)
			}
			batch[path] = append(batch[path], w)
			continue
		default:
			rec.State = "restored"
			if inFile {
				rec.State = "in-file"
			}
			res, err := s.Apply(s.replay(w, path))
			rec.Hash = res.Hash
			if err != nil {
				rec.State, rec.Err = "failed", err
			} else {
				s.Git.Forget(w.name)
			}
		}
		out = append(out, rec)
	}
	for _, path := range order {
		out = append(out, s.recoverAll(path, batch[path])...)
	}
	return out, bad, nil
}

// recoverAll writes back every record of one incident file in one commit.
func (s *Store) recoverAll(path string, ws []*Words) []Recovered {
	changes := make([]Change, len(ws))
	for i, w := range ws {
		changes[i] = s.replay(w, path)
	}
	n := 0
	c := Change{Path: path, Journaled: ws[0].name, Kind: "recover", Edit: func(d *incident.Doc, _ *incident.Entry) error {
		for _, ch := range changes {
			e := ch.Entry
			if ch.Edit != nil {
				if err := ch.Edit(d, &e); err != nil {
					return err
				}
			}
			if e.Kind == "" {
				n++
				continue
			}
			if e.Author == "" {
				e.Author = s.AuthorName()
			}
			if !d.HasEntry(e, false) {
				if err := d.AppendEntry(e); err != nil {
					return &InputError{err}
				}
			}
			n++
		}
		return nil
	}}
	c.SubjectFn = func() string { return fmt.Sprintf("%d entries written back from pm's journal", n) }
	res, err := s.Apply(c)
	out := make([]Recovered, len(ws))
	for i, w := range ws {
		out[i] = Recovered{Words: w, State: "restored", Hash: res.Hash, Err: err}
		if err != nil {
			out[i].State = "failed"
		} else {
			s.Git.Forget(w.name)
		}
	}
	return out
}

// recordPath is the incident file a record belongs to: as recorded, else by
// its id in the folder (a renamed folder).
func (s *Store) recordPath(w *Words) string {
	if w.File != "" {
		p := filepath.Join(s.Root, filepath.FromSlash(w.File))
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return s.IncidentPath(w.Incident)
}

// whereIs says whether HEAD's version of the file, and the file in the work
// tree, hold the record's words.
func (s *Store) whereIs(w *Words, path string) (inHead, inFile bool, err error) {
	if w.New != nil {
		// A new incident is in the file if the file exists, and in HEAD
		// if HEAD has the file at all.
		if _, err := os.Stat(path); err == nil {
			inFile = true
		}
		if rel, err := filepath.Rel(s.Root, path); err == nil {
			_, inHead = s.Git.headFile(filepath.ToSlash(rel))
		}
		return inHead, inFile, nil
	}
	has := func(d *incident.Doc) bool {
		switch {
		case w.Entry != nil:
			e := w.Entry.IncidentEntry()
			return d.HasEntry(e, e.Kind == "hypothesis" && e.Hypothesis == "")
		case w.Action != nil:
			return d.HasAction(w.Action.IncidentAction())
		}
		return false
	}
	if d, err := ReadIncident(path, s.Display(path), false); err == nil {
		inFile = has(d)
	} else if !errors.Is(err, os.ErrNotExist) {
		return false, false, err
	} else {
		return false, false, fmt.Errorf("%s no longer exists; the record stays in the journal (%s)", s.Display(path), w.name)
	}
	rel, err := filepath.Rel(s.Root, path)
	if err != nil {
		return false, inFile, nil
	}
	data, ok := s.Git.headFile(filepath.ToSlash(rel))
	if !ok {
		return false, inFile, nil
	}
	d, err := incident.Parse(s.Display(path), data)
	if err != nil {
		return false, inFile, nil
	}
	return has(d), inFile, nil
}

// replay is the change that writes a record back: its entry (a hypothesis
// renumbered if another took its id meanwhile) or its action item.
func (s *Store) replay(w *Words, path string) Change {
	c := Change{Path: path, Journaled: w.name}
	if w.Entry != nil {
		e := w.Entry.IncidentEntry()
		c.Entry = e
		if e.Kind == "hypothesis" {
			c.Edit = func(d *incident.Doc, e *incident.Entry) error {
				for _, h := range d.Hypotheses {
					if strings.EqualFold(h.ID, e.Hypothesis) && h.Text != incident.CleanText(e.Text) || e.Hypothesis == "" {
						e.Hypothesis = incident.NextHypothesisID(d)
						break
					}
				}
				if e.Hypothesis == "" {
					e.Hypothesis = incident.NextHypothesisID(d)
				}
				return nil
			}
		}
		return c
	}
	a := w.Action.IncidentAction()
	c.Action, c.Kind, c.Subject = &a, "action", a.Text
	c.Edit = func(d *incident.Doc, _ *incident.Entry) error {
		if d.HasAction(a) {
			return nil
		}
		return d.AddAction(a)
	}
	return c
}

// headFile is the content of rel in the branch's last commit.
func (r *Repo) headFile(rel string) ([]byte, bool) {
	branch, err := r.headTarget()
	if err != nil || branch == "" {
		return nil, false
	}
	_, h, exists, err := r.resolveRef(branch)
	if err != nil || !exists {
		return nil, false
	}
	c, err := object.GetCommit(r.storage(), h)
	if err != nil {
		return nil, false
	}
	f, err := c.File(rel)
	if err != nil {
		return nil, false
	}
	content, err := f.Contents()
	if err != nil {
		return nil, false
	}
	return []byte(content), true
}

// replayNew commits a new incident pm new could not commit, writing the
// file again first if it is gone.
func (s *Store) replayNew(w *Words, path string, inFile bool) (string, error) {
	unlock, err := s.lock()
	if err != nil {
		return "", err
	}
	defer func() { _ = unlock() }()
	data := []byte(w.New.Content)
	if inFile {
		// The file as it is now: the user may have written in it since.
		if data, err = os.ReadFile(path); err != nil {
			return "", err
		}
	}
	kind := "new"
	if w.New.Kind != "" {
		kind = w.New.Kind
	}
	out, err := s.save(path, data, w.Incident, kind, w.New.Title, "", true)
	return out.hash, err
}
