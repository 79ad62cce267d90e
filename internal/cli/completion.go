package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/repo"
)

// Shell completion, as gh and other cobra-built tools do it: the shell's
// script is a few lines that ask the binary itself (`pm __complete WORDS…
// CURRENT`), so that completion knows what pm knows — commands, flags, the
// incidents in this repository, the open hypotheses and the systems of the
// incident — and never goes stale when pm gains a command. urfave/cli's own
// bash completion reads os.Args and knows no values, so pm answers itself.

func (a *app) completionCommand() *ucli.Command {
	return &ucli.Command{
		Name:      "completion",
		Usage:     "print the shell completion script for bash, zsh or fish",
		ArgsUsage: "bash|zsh|fish",
		Description: "Completes commands, flags, incident ids (-i), hypothesis ids (pm confirm,\n" +
			"pm refute), systems (pm down, pm up), severities, kinds and templates.\n\n" +
			"Examples:\n" +
			"  pm completion zsh > \"${fpath[1]}/_pm\"  # then restart zsh\n" +
			"  source <(pm completion bash)          # in ~/.bashrc\n" +
			"  pm completion fish > ~/.config/fish/completions/pm.fish",
		Action: func(c *ucli.Context) error {
			if c.NArg() != 1 {
				return usageError("pm completion needs the shell: bash, zsh or fish (e.g. source <(pm completion bash))")
			}
			return a.printCompletion(completionOptions{Shell: c.Args().First()})
		},
	}
}

// completionOptions is what pm completion is asked.
type completionOptions struct {
	Shell string // bash, zsh or fish
}

// printCompletion prints the completion script of o.Shell.
func (a *app) printCompletion(o completionOptions) error {
	script, ok := completionScripts[o.Shell]
	if !ok {
		return usageError("pm completion: %q is not a shell pm completes; use bash, zsh or fish", o.Shell)
	}
	_, err := fmt.Fprint(a.env.Stdout, script)
	return err
}

// completionScripts hand the words typed so far and the word being typed
// to pm __complete, which prints one candidate a line, "VALUE\tDESCRIPTION".
var completionScripts = map[string]string{
	"bash": `# bash completion for pm: source <(pm completion bash)
_pm() {
  local IFS=$'\n'
  COMPREPLY=($(pm __complete "${COMP_WORDS[@]:1:COMP_CWORD-1}" "${COMP_WORDS[COMP_CWORD]}" 2>/dev/null | cut -f1))
}
complete -o default -F _pm pm
`,
	"zsh": `#compdef pm
# zsh completion for pm: pm completion zsh > "${fpath[1]}/_pm"
_pm() {
  local -a lines out
  local l
  lines=("${(@f)$(pm __complete "${(@)words[2,CURRENT-1]}" "${words[CURRENT]}" 2>/dev/null)}")
  for l in $lines; do
    [[ -n $l ]] && out+=("${${l%%$'\t'*}//:/\\:}:${l#*$'\t'}")
  done
  if (( ${#out} )); then _describe pm out; else _files; fi
}
# Autoloaded from $fpath, this file is _pm's body on the first TAB: complete
# now, not only define. Sourced, register it.
if [[ $funcstack[1] == _pm ]]; then
  _pm "$@"
else
  compdef _pm pm
fi
`,
	"fish": `# fish completion for pm: pm completion fish > ~/.config/fish/completions/pm.fish
function __pm_complete
    set -l words (commandline -opc)
    set -e words[1]
    pm __complete $words (commandline -ct) 2>/dev/null
end
complete -c pm -f -a '(__pm_complete)'
`,
}

// runComplete answers pm __complete WORDS… CURRENT, printing the
// candidates for CURRENT that start with it. It never fails: a shell
// shows nothing rather than an error.
func (a *app) runComplete(words []string) int {
	cur := ""
	if len(words) > 0 {
		cur, words = words[len(words)-1], words[:len(words)-1]
	}
	for _, c := range a.completions(words, cur) {
		if strings.HasPrefix(c[0], cur) {
			fmt.Fprintf(a.env.Stdout, "%s\t%s\n", c[0], c[1])
		}
	}
	return exitOK
}

// completions are (value, description) pairs for the word after words.
func (a *app) completions(words []string, cur string) [][2]string {
	u := a.build()
	t := a.readTyped(u, words)
	switch {
	case t.unknown:
		return nil
	case t.pending != nil:
		return a.flagValues(t.pending.Names()[0], cur)
	case strings.HasPrefix(cur, "-"):
		return flagNames(u, t.cmd)
	case t.cmd == nil:
		return commandNames(u)
	}
	return a.argValues(u, t.cmd.Name, t.positional, t.incidentID)
}

// typedWords is what the words before the one being completed say.
type typedWords struct {
	cmd        *ucli.Command // nil before the command
	unknown    bool          // the command is not one of pm's
	pending    ucli.Flag     // a flag whose value is being typed
	incidentID string        // -i's value
	positional int           // arguments after the command
}

// readTyped reads words as pm would parse them; -C moves pm there, so
// that the values completed are those of that folder.
func (a *app) readTyped(u *ucli.App, words []string) typedWords {
	var t typedWords
	for i := 0; i < len(words); i++ {
		w := words[i]
		if isFlag(w) {
			name, value, hasValue := strings.Cut(strings.TrimLeft(w, "-"), "=")
			f := findFlag(t.cmd, u, name)
			if f == nil || !takesValue(f) || hasValue {
				if hasValue && (name == "incident" || name == "i") {
					t.incidentID = value
				}
				continue
			}
			if i+1 == len(words) {
				t.pending = f
				break
			}
			i++
			switch name {
			case "C":
				_ = a.chdir(words[i]) // a folder that is not there completes as here
			case "incident", "i":
				t.incidentID = words[i]
			}
			continue
		}
		if t.cmd == nil {
			if t.cmd = u.Command(w); t.cmd == nil {
				t.unknown = true
				return t
			}
			continue
		}
		t.positional++
	}
	return t
}

// flagNames are the flags of cmd (when known) and pm's global ones, with
// what each does.
func flagNames(u *ucli.App, cmd *ucli.Command) [][2]string {
	flags := u.Flags
	if cmd != nil {
		flags = append(slices.Clone(cmd.Flags), u.Flags...)
	}
	var out [][2]string
	for _, f := range flags {
		usage := ""
		if d, ok := f.(ucli.DocGenerationFlag); ok {
			usage = strings.ReplaceAll(d.GetUsage(), "`", "")
		}
		for _, n := range f.Names() {
			if len(n) == 1 {
				out = append(out, [2]string{"-" + n, usage})
			} else {
				out = append(out, [2]string{"--" + n, usage})
			}
		}
	}
	return append(out, [2]string{"--help", "show help"})
}

// commandNames are pm's commands, with what each does.
func commandNames(u *ucli.App) [][2]string {
	var out [][2]string
	for _, c := range u.Commands {
		if !c.Hidden {
			out = append(out, [2]string{c.Name, c.Usage})
		}
	}
	return out
}

// findFlag is the flag called name: of cmd, or global; before the command
// is known, of any command (pm -i ID refute works: flags go anywhere).
func findFlag(cmd *ucli.Command, u *ucli.App, name string) ucli.Flag {
	flags := slices.Clone(u.Flags)
	if cmd != nil {
		flags = append(flags, cmd.Flags...)
	} else {
		for _, c := range u.Commands {
			flags = append(flags, c.Flags...)
		}
	}
	return flagIndex(flags)[name]
}

// flagValues completes the value of the flag called name.
func (a *app) flagValues(name, cur string) [][2]string {
	var out [][2]string
	switch name {
	case "C", "out":
		return dirsLike(cur)
	case "incident":
		return a.incidentIDs()
	case "kind":
		for _, k := range actionKinds {
			out = append(out, [2]string{k, ""})
		}
	case "severity":
		if w, err := a.quietWorkspace(); err == nil {
			for _, s := range w.cfg.Severities {
				out = append(out, [2]string{s, ""})
			}
		}
	case "template":
		if w, err := a.quietWorkspace(); err == nil {
			names, _ := repo.TemplateNames(w.home, w.cfg.Folder)
			for _, n := range names {
				out = append(out, [2]string{n, ""})
			}
		}
	}
	return out
}

// argValues completes the n-th argument (from 0) of command name.
func (a *app) argValues(u *ucli.App, name string, n int, incidentID string) [][2]string {
	if n > 0 {
		return nil
	}
	switch name {
	case "show", "related":
		return a.incidentIDs()
	case "completion":
		return [][2]string{{"bash", ""}, {"fish", ""}, {"zsh", ""}}
	case "help":
		return commandNames(u)
	case "confirm", "refute", "down", "up":
	default:
		return nil
	}
	w, err := a.quietWorkspace()
	if err != nil {
		return nil
	}
	f, err := w.pick(incidentID)
	if err != nil || f.doc == nil {
		return nil
	}
	var out [][2]string
	if name == "confirm" || name == "refute" {
		for _, h := range f.doc.Hypotheses {
			if h.State == "open" {
				out = append(out, [2]string{h.ID, firstLine(h.Text)})
			}
		}
		return out
	}
	for _, s := range f.doc.Systems() {
		out = append(out, [2]string{s.System, s.State})
	}
	return out
}

// incidentIDs are the incidents of the repository, with their titles.
func (a *app) incidentIDs() [][2]string {
	w, err := a.quietWorkspace()
	if err != nil {
		return nil
	}
	files, err := w.load(w.cache().LoadMeta)
	if err != nil {
		return nil
	}
	var out [][2]string
	for _, f := range files {
		if f.doc != nil {
			out = append(out, [2]string{f.id, f.doc.Meta.Title + " (" + f.doc.Meta.Status + ")"})
		}
	}
	return out
}

// quietWorkspace opens the workspace with notices going nowhere: a shell
// completing a word must not print on the terminal.
func (a *app) quietWorkspace() (*workspace, error) {
	a.env.Stderr = io.Discard
	return a.openWorkspace()
}

// dirsLike are the folders whose path starts with cur, for -C and --out.
func dirsLike(cur string) [][2]string {
	matches, _ := filepath.Glob(cur + "*")
	var out [][2]string
	for _, m := range matches {
		if fi, err := os.Stat(m); err == nil && fi.IsDir() {
			out = append(out, [2]string{m + string(filepath.Separator), ""})
		}
	}
	return out
}
