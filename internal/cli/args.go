package cli

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pm-tool/pm/internal/config"
	ucli "github.com/urfave/cli/v2"
)

// reorderArgs lets flags come before or after positional arguments, as
// DESIGN §3 promises. urfave/cli v2 stops parsing flags at the first
// positional argument (urfave/cli issues 1177 and 1733), so
// `pm new "API down" --severity SEV1` would otherwise take "--severity" as
// part of the title. We solve it once, here, before the library sees the
// arguments:
//
//	pm [global flags] COMMAND [command flags] -- [positional arguments]
//
// Global flags found after the command (such as --no-commit) move in front
// of it. "--" ends flag parsing as usual, and a lone "-" (stdin) is a
// positional argument. Unknown flags stay with the command, so urfave/cli
// reports them, and so does a flag left without its value at the end.
func reorderArgs(app *ucli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	return stackDirs(app, reorder(app, args))
}

// reorder moves the flags typed after the command's arguments to where
// the library reads them (see reorderArgs).
func reorder(app *ucli.App, args []string) []string {
	globals := flagIndex(app.Flags)
	out, early, i := leadingFlags(globals, args)
	if i >= len(args) {
		return append(out, early...)
	}
	cmd := app.Command(args[i])
	if cmd == nil {
		return append(append(out, early...), args[i:]...)
	}
	name := args[i]
	local := flagIndex(cmd.Flags)
	front, flags := splitEarly(early, local)
	out = append(out, front...)
	rest := commandArgs(args[i+1:], local, globals)
	flags = append(flags, rest.flags...)
	out = append(out, rest.moved...)
	if rest.dangling && len(rest.moved) > 0 && rest.moved[len(rest.moved)-1] == args[len(args)-1] {
		return out // the library reports the global flag's missing value
	}
	out = append(out, name)
	out = append(out, flags...)
	if rest.dangling {
		// Nothing after the flag: "--" and the positional arguments would
		// become its value (pm observe x -i: no incident matches "--").
		return out
	}
	if len(rest.positional) > 0 {
		out = append(out, "--")
		out = append(out, rest.positional...)
	}
	return out
}

// stackDirs makes repeated -C flags one, as git takes them: each is
// relative to the one before (pm -C a -C b runs in a/b; an absolute one
// starts over). The library would keep only the last. args are reordered
// already, so every global flag stands before the command.
func stackDirs(app *ucli.App, args []string) []string {
	globals := flagIndex(app.Flags)
	out := []string{args[0]}
	at := -1 // where the one -C's value is in out
	i := 1
	for ; i < len(args) && isFlag(args[i]); i++ {
		name, hasValue := flagName(args[i])
		f, ok := globals[name]
		if name == "C" && (hasValue || i+1 < len(args)) {
			value := ""
			if hasValue {
				_, value, _ = strings.Cut(args[i], "=")
			} else {
				i++
				value = args[i]
			}
			switch {
			case at < 0:
				at = len(out) + 1
				out = append(out, "-C", value)
			case filepath.IsAbs(value):
				out[at] = value
			default:
				out[at] = filepath.Join(out[at], value)
			}
			continue
		}
		out = append(out, args[i])
		if ok && !hasValue && takesValue(f) && i+1 < len(args) {
			i++
			out = append(out, args[i])
		}
	}
	return append(out, args[i:]...)
}

// leadingFlags reads the flags typed before the command: args[0] and the
// global flags, with their values, stay in front (out); -i, typed before
// the command (pm -i ID refute H2), goes to early. i is where the command
// is (len(args) when there is none).
func leadingFlags(globals map[string]ucli.Flag, args []string) (out, early []string, i int) {
	out = []string{args[0]}
	i = 1
	for i < len(args) && isFlag(args[i]) {
		name, hasValue := flagName(args[i])
		f, ok := globals[name]
		dst := &out
		if !ok && (name == "incident" || name == "i") {
			// -i names the incident for any command that takes one, so it
			// may come first, as pm completion offers it; other flags of
			// a command still belong behind it.
			f, ok, dst = incidentFlag(), true, &early
		}
		*dst = append(*dst, args[i])
		if ok && !hasValue && takesValue(f) && i+1 < len(args) {
			*dst = append(*dst, args[i+1])
			i++
		}
		i++
	}
	return out, early, i
}

// splitEarly sorts the flags typed before the command: the command's own
// flags (with their values) move behind it (flags); others stay in front,
// where the library reports them.
func splitEarly(early []string, local map[string]ucli.Flag) (front, flags []string) {
	for j := 0; j < len(early); j++ {
		fname, _ := flagName(early[j])
		n := 1
		if j+1 < len(early) && !isFlag(early[j+1]) {
			n = 2
		}
		if _, ok := local[fname]; ok {
			flags = append(flags, early[j:j+n]...)
		} else {
			front = append(front, early[j:j+n]...)
		}
		j += n - 1
	}
	return front, flags
}

// afterCommand is what follows the command, sorted.
type afterCommand struct {
	moved      []string // global flags, with their values: they go in front of the command
	flags      []string // the command's flags and unknown ones, with their values
	positional []string
	dangling   bool // the last argument is a flag that wants a value
}

// commandArgs sorts the arguments after the command.
func commandArgs(args []string, local, globals map[string]ucli.Flag) afterCommand {
	var r afterCommand
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			r.positional = append(r.positional, args[i+1:]...)
			break
		}
		if !isFlag(a) {
			r.positional = append(r.positional, a)
			continue
		}
		fname, hasValue := flagName(a)
		dst := &r.flags
		f, ok := local[fname]
		if !ok {
			if g, isGlobal := globals[fname]; isGlobal && fname != "help" && fname != "h" {
				f, ok, dst = g, true, &r.moved
			}
		}
		*dst = append(*dst, a)
		if ok && !hasValue && takesValue(f) {
			if i+1 == len(args) {
				r.dangling = true
				break
			}
			*dst = append(*dst, args[i+1])
			i++
		}
	}
	return r
}

// isFlag: "-x", "--xyz", "--x=1"; not "-" (stdin) and not "--".
func isFlag(a string) bool {
	return len(a) > 1 && a[0] == '-' && a != "--"
}

// flagName returns the name of a flag argument and whether it carries its
// value inline (--name=value).
func flagName(a string) (string, bool) {
	a = strings.TrimLeft(a, "-")
	if k, _, ok := strings.Cut(a, "="); ok {
		return k, true
	}
	return a, false
}

func flagIndex(flags []ucli.Flag) map[string]ucli.Flag {
	m := map[string]ucli.Flag{}
	for _, f := range flags {
		for _, n := range f.Names() {
			m[n] = f
		}
	}
	return m
}

func takesValue(f ucli.Flag) bool {
	if v, ok := f.(ucli.DocGenerationFlag); ok {
		return v.TakesValue()
	}
	return false
}

// oneOf finds the configured spelling of a name typed in any case (sev2 is
// SEV2), so a responder need not remember the case; when none matches it
// returns "" and the name s most likely misspells, or "" for no guess. A
// guess must be the only close name: SEV9 is as near SEV1 as SEV4, and
// suggesting the worst severity by accident would be worse than none.
func oneOf(s string, names []string) (match, closest string) {
	lower := make([]string, len(names))
	for i, n := range names {
		if strings.EqualFold(n, s) {
			return n, ""
		}
		lower[i] = strings.ToLower(n)
	}
	c := config.Closest(s, lower)
	if c == "" {
		return "", ""
	}
	i := slices.Index(lower, c)
	if config.Closest(s, slices.Delete(slices.Clone(lower), i, i+1)) != "" {
		return "", ""
	}
	return "", names[i]
}

// didYouMean is "; did you mean X?" when there is a guess, else "".
// badValue is the one shape of a flag value pm does not take:
// `--kind "prevnt": use one of prevent, detect, clarify, automate; did you
// mean prevent?`, the flag as the user typed it, then what to do.
func (a *app) badValue(c *ucli.Context, flag, value string, allowed []string, more string) error {
	return badValueAs(a.typedFlag(c, flag), value, allowed, more)
}

// badValueAs is badValue with the flag already as the user typed it.
func badValueAs(typed, value string, allowed []string, more string) error {
	_, guess := oneOf(value, allowed)
	msg := fmt.Sprintf("%s %q: use one of %s%s", typed, value, strings.Join(allowed, ", "), didYouMean(guess))
	if more != "" {
		msg += " " + more
	}
	return usageError("%s", msg)
}

// typedFlag is the flag named name as the user typed it: -s for
// --severity when that is what they wrote.
func (a *app) typedFlag(c *ucli.Context, name string) string {
	if c != nil && c.Command != nil {
		for _, f := range c.Command.Flags {
			names := f.Names()
			if !slices.Contains(names, name) {
				continue
			}
			for i := len(a.args) - 1; i >= 0; i-- { // the last one counts
				if n, _ := flagName(a.args[i]); isFlag(a.args[i]) && slices.Contains(names, n) {
					return strings.SplitN(a.args[i], "=", 2)[0]
				}
			}
		}
	}
	return a.typed(name)
}

func didYouMean(guess string) string {
	if guess == "" {
		return ""
	}
	return "; did you mean " + guess + "?"
}

// noArgs refuses words after a command that takes none, naming the first
// and, with hint, what to do instead ("name the incident with -i ID"):
// ignoring them would run the command on something the user did not mean.
func noArgs(c *ucli.Context, hint string) error {
	if c.NArg() == 0 {
		return nil
	}
	msg := fmt.Sprintf("pm %s takes no arguments, got %q", c.Command.Name, c.Args().First())
	if hint != "" {
		msg += "; " + hint
	}
	return usageError("%s", msg)
}
