package cli

import (
	"fmt"

	"github.com/pm-tool/pm/internal/incident"
)

// guide prints, after a writing command, the method's next step for the
// incident at path (incident.NextStep). It goes to stderr only: scripts
// read stdout (H=$(pm hypothesis …)), and the guide never changes it.
// `guide: off` in .pm.yml or PM_GUIDE=0 silences it; a file that cannot be
// read again says nothing, as the write itself has succeeded. The log
// commands use printGuide with the step worked out during the write.
func (a *app) guide(w *workspace, path string) {
	if !a.guideOn(w) {
		return
	}
	f, err := w.readIncident(path)
	if err != nil || f.doc == nil {
		return
	}
	a.printGuide(w, incident.Entry{}, "", incident.NextStep(f.doc, w.cfg.DependsOn))
}

// guideOn: neither `guide: off` nor PM_GUIDE=0.
func (a *app) guideOn(w *workspace) bool {
	return w.cfg.Guide && a.env.Getenv("PM_GUIDE") != "0"
}

// printGuide prints the warning for a hypothesis written too early
// (early, incident.TooEarly's reason) and the next step.
func (a *app) printGuide(w *workspace, last incident.Entry, early string, s incident.Step) {
	if !a.guideOn(w) {
		return
	}
	if early != "" {
		fmt.Fprintf(a.env.Stderr, "pm: %s %s\n", last.Hypothesis, early)
	}
	if s.Say != "" {
		fmt.Fprintf(a.env.Stderr, "pm: next: %s (%s)\n", s.Say, s.Command)
	}
}
