package cli

import (
	"fmt"
	"os"
	"strings"

	"github.com/pm-tool/pm/internal/repo"
)

// pick finds the incident a command is about, DESIGN §3: an explicit id (a
// unique prefix is enough), else $PM_INCIDENT, else the only open incident.
// Several open incidents are listed and the command exits 2, so nobody
// writes into the wrong one under stress.
//
// When no incident is open, the only resolved (not yet closed) one is
// chosen: after pm resolve the same people go on to write the timeline,
// the action items and pm close, and should not have to name it.
func (w *workspace) pick(explicit string) (incidentFile, error) {
	return onlyOne(w.pickAll(explicit))
}

// onlyOne is the one incident of fs, or the refusal when several are open.
func onlyOne(fs []incidentFile, state string, err error) (incidentFile, error) {
	if err != nil || len(fs) == 1 {
		return first(fs), err
	}
	return incidentFile{}, severalOpen(fs, state)
}

// severalOpen is the refusal when several incidents are open and none was
// named: which they are, and how to name one.
func severalOpen(fs []incidentFile, state string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%d incidents are %s; name one with -i ID or set PM_INCIDENT:", len(fs), state)
	w := 0
	for _, f := range fs {
		w = max(w, cells(f.id))
	}
	for _, f := range fs {
		fmt.Fprintf(&b, "\n  %s  %s", padRight(f.id, w), printable(f.doc.Meta.Title))
	}
	return usageError("%s", b.String())
}

func first(fs []incidentFile) incidentFile {
	if len(fs) == 0 {
		return incidentFile{}
	}
	return fs[0]
}

// pickAll is pick without the refusal: the one incident meant (parsed
// whole), or, when several are open and none was named, all of them
// (frontmatter only) and the state they share ("open", or "resolved and
// not closed" when none is open), for pm status's overview.
func (w *workspace) pickAll(explicit string) ([]incidentFile, string, error) {
	if explicit = w.named(explicit); explicit != "" {
		f, err := w.pickByID(explicit)
		return []incidentFile{f}, "", err
	}
	// Only the frontmatter of each file is read to find the open ones; the
	// chosen file is then parsed whole.
	files, err := w.load(w.cache().LoadMeta)
	if err != nil {
		return nil, "", err
	}
	return w.chooseOpen(files)
}

// named is the incident the user named: explicit (-i), else $PM_INCIDENT,
// else "".
func (w *workspace) named(explicit string) string {
	if explicit == "" {
		explicit = strings.TrimSpace(w.app.env.Getenv("PM_INCIDENT"))
	}
	return explicit
}

// pickAmong is pick for a command that has loaded every incident's summary
// already (pm related): the open incident is chosen from them rather than
// from a second pass over the folder. broken says some file did not load;
// then the folder is read as pick reads it, so that an open incident with a
// broken log is still the one chosen and its line named.
func (w *workspace) pickAmong(explicit string, files []incidentFile, broken bool) (incidentFile, error) {
	if w.named(explicit) != "" || broken {
		return w.pick(explicit)
	}
	return onlyOne(w.chooseOpen(files))
}

// chooseOpen is the incident meant among files when none was named: the
// only open one (parsed whole), else the only resolved one, else all the
// open ones or an error.
func (w *workspace) chooseOpen(files []incidentFile) ([]incidentFile, string, error) {
	if len(files) == 0 {
		return nil, "", usageError("no incidents in %s yet; start one with pm new TITLE", w.display(w.folder()))
	}
	var open []incidentFile
	for _, f := range files {
		if f.doc != nil && isOpen(f.doc.Meta.Status) {
			open = append(open, f)
		}
	}
	state := "open"
	if len(open) == 0 {
		state = "resolved and not closed"
		for _, f := range files {
			if f.doc != nil && f.doc.Meta.Status == "resolved" {
				open = append(open, f)
			}
		}
	}
	switch len(open) {
	case 1:
		f, err := w.readIncident(open[0].path)
		return []incidentFile{f}, state, err
	case 0:
		return nil, "", usageError("no open incident; name one with -i ID (see pm list)")
	}
	return open, state, nil
}

// pickByID matches an id or a unique prefix of one against the file names.
// Only the chosen file is read, so naming the incident stays fast however
// many there are. An id as pm list clips it in the middle
// (2026-11-24-api…requests-2) matches by its two ends, so a copied cell
// works as it is. An exact id directly in the folder is looked up without
// a listing, and wins over the same id in a subfolder.
func (w *workspace) pickByID(id string) (incidentFile, error) {
	if p, ok := repo.TopIncidentFile(w.folder(), id); ok {
		return w.readIncident(p)
	}
	paths, _, err := w.cache().Files(w.folder())
	if err != nil {
		return incidentFile{}, w.unreadable(err)
	}
	head, tail, clipped := strings.Cut(id, "…")
	var matches []string
	for _, p := range paths {
		name := strings.TrimSuffix(p[strings.LastIndexByte(p, os.PathSeparator)+1:], ".md")
		if name == id {
			matches = []string{p}
			break
		}
		if clipped && strings.HasPrefix(name, head) && strings.HasSuffix(name[len(head):], tail) {
			matches = append(matches, p)
		} else if !clipped && strings.HasPrefix(name, id) {
			matches = append(matches, p)
		}
	}
	switch len(matches) {
	case 0:
		return incidentFile{}, usageError("no incident matches %q in %s (see pm list)", id, w.display(w.folder()))
	case 1:
	default:
		var b strings.Builder
		fmt.Fprintf(&b, "%q matches %d incidents; give more of the id:", id, len(matches))
		for _, m := range matches {
			fmt.Fprintf(&b, "\n  %s", strings.TrimSuffix(m[strings.LastIndexByte(m, os.PathSeparator)+1:], ".md"))
		}
		return incidentFile{}, usageError("%s", b.String())
	}
	return w.readIncident(matches[0])
}

// readIncident reads and parses one file; a parse error is input pm cannot
// process (exit 2) and names the file and line.
func (w *workspace) readIncident(abs string) (incidentFile, error) {
	f := incidentFile{id: strings.TrimSuffix(abs[strings.LastIndexByte(abs, os.PathSeparator)+1:], ".md"), path: abs}
	doc, err := repo.ReadIncident(abs, w.display(abs), false)
	if err != nil {
		return f, usageError("%v", err)
	}
	f.doc = doc
	return f, nil
}

// isOpen: still being worked on, so the default target of log commands.
func isOpen(status string) bool {
	return status != "resolved" && status != "closed"
}
