package cli

import "strings"

// palette colours what a responder scans for — the severity, systems
// down and up, confirmed and refuted hypotheses — on a terminal only, as
// gh and git do: never when NO_COLOR is set (no-color.org) or output is
// piped or TERM is dumb; CLICOLOR_FORCE (not "0") forces it, for a pager
// or a screen recording. Colour goes on after layout, so widths are
// counted on the plain text.
type palette struct {
	on     bool
	severe []string // the two most severe levels of .pm.yml, in red
}

func (a *app) palette(w *workspace) palette {
	get := a.env.Getenv
	on := a.env.StdoutIsTerminal && get("TERM") != "dumb"
	if f := get("CLICOLOR_FORCE"); f != "" && f != "0" {
		on = true
	}
	if get("NO_COLOR") != "" {
		on = false
	}
	p := palette{on: on}
	if w != nil {
		p.severe = w.cfg.Severities[:min(2, len(w.cfg.Severities))]
	}
	return p
}

const (
	red   = "31"
	green = "32"
	bold  = "1"
	dim   = "2"
)

// paint wraps s in an SGR colour when the palette is on.
func (p palette) paint(code, s string) string {
	if !p.on || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

// severity colours a severity: the most severe bold red, the next red.
func (p palette) severity(s string) string {
	switch {
	case len(p.severe) > 0 && s == p.severe[0]:
		return p.paint(bold+";"+red, s)
	case len(p.severe) > 1 && s == p.severe[1]:
		return p.paint(red, s)
	}
	return s
}

// kind colours an entry's label: down red, up and confirmed green,
// refuted dim (it is no longer a lead).
func (p palette) kind(label string) string {
	switch {
	case label == "down" || label == "DOWN":
		return p.paint(red, label)
	case label == "up" || label == "UP":
		return p.paint(green, label)
	case strings.HasPrefix(label, "confirmed"):
		return p.paint(green, label)
	case strings.HasPrefix(label, "refuted"):
		return p.paint(dim, label)
	}
	return label
}

// actionState colours an action item's state in pm actions: overdue red
// (what a reviewer chases), done dim.
func (p palette) actionState(state string) string {
	switch state {
	case "overdue":
		return p.paint(red, state)
	case "done":
		return p.paint(dim, state)
	}
	return state
}

// at colours the token tok where a laid-out line has it at offset i, and
// leaves the line alone where clipping cut it.
func (p palette) at(line string, i int, tok string, colour func(string) string) string {
	if !p.on || tok == "" || len(line) < i+len(tok) || line[i:i+len(tok)] != tok {
		return line
	}
	return line[:i] + colour(tok) + line[i+len(tok):]
}
