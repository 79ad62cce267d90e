package cli

import (
	"fmt"

	"github.com/pm-tool/pm/internal/incident"
)

// guide prints, after a writing command, the method's next step for the
// incident at path (incident.NextStep), and the warning for a hypothesis
// written before anything was observed (early). It goes to stderr only:
// scripts read stdout (H=$(pm hypothesis …)), and the guide never changes
// it. `guide: off` in .pm.yml or PM_GUIDE=0 silences it; a file that
// cannot be read again says nothing, as the write itself has succeeded.
func (a *app) guide(w *workspace, path string, last incident.Entry, early bool) {
	if !w.cfg.Guide || a.env.Getenv("PM_GUIDE") == "0" {
		return
	}
	if early {
		fmt.Fprintf(a.env.Stderr, "pm: %s comes before anything was observed: decide after you have taken stock and read the logs (pm down SYSTEM, LOG-COMMAND | pm observe -)\n", last.Hypothesis)
	}
	f, err := w.readIncident(path)
	if err != nil || f.doc == nil {
		return
	}
	if s := incident.NextStep(f.doc, last); s.Say != "" {
		fmt.Fprintf(a.env.Stderr, "pm: next: %s (%s)\n", s.Say, s.Command)
	}
}
