// Package cli is pm's command line: flags, which incident, printing. The work
// itself lives in the domain packages (incident, repo); a command here reads
// its arguments, calls them and reports.
package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/config"
	"github.com/pm-tool/pm/internal/lint"
)

// app holds what every command shares: the environment and the global flags.
type app struct {
	env      Env
	dir      string // the folder pm runs in, after -C
	noCommit bool
	noVerify bool
	// sync is --sync ("auto") or --no-sync ("off"), "" for .pm.yml's sync.
	sync string
	// ws is the workspace the command opened, if any: Main asks it after
	// a failure whether words wait in the journal.
	ws *workspace
	// args are the arguments as typed, so that errors can quote a flag
	// the way the user wrote it.
	args []string
}

// Main runs pm with args (args[0] is the program name) and returns the exit
// code. It never calls os.Exit and never lets a panic or a Go error value
// reach the user unexplained.
func Main(args []string, env Env) int {
	out := &outputWriter{w: env.Stdout}
	env.Stdout = out
	a := &app{env: env, dir: env.Dir}
	if len(args) > 1 && args[1] == "__complete" {
		return a.runComplete(args[2:]) // the words as typed, flags and all
	}
	u := a.build()
	a.args = args
	err := u.Run(reorderArgs(u, args))
	if a.ws != nil {
		a.ws.store.KeepListing()
	}
	if out.err != nil && (err == nil || errors.Is(err, out.err)) {
		if err = out.failed(); err == nil {
			return exitProblem // the reader went away: nothing to say
		}
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "pm: %s\n", err)
		if note := a.ws.journalNote(); note != "" && !strings.Contains(err.Error(), "pm's journal") {
			fmt.Fprintf(env.Stderr, "pm: %s\n", note)
		}
	}
	return exitCode(err)
}

func (a *app) build() *ucli.App {
	ucli.HelpPrinter = printHelp
	u := &ucli.App{
		Name:  "pm",
		Usage: "incident investigations and blameless post-mortems, in git",
		Description: "pm keeps one markdown file per incident in your git repository. During an outage it\n" +
			"records every observation, hypothesis and action as a timestamped entry, each one a\n" +
			"commit; afterwards it checks the post-mortem and publishes them all.\n\n" +
			"Examples:\n" +
			"  pm init\n" +
			"  pm new \"API returns 502\" --severity SEV2 --service api\n" +
			"  pm show --format json\n" +
			"  pm demo",
		HideVersion: true,
		Writer:      a.env.Stdout,
		ErrWriter:   a.env.Stderr,
		Reader:      a.env.Stdin,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "C", Usage: "run as if pm was started in `DIR`"},
			&ucli.BoolFlag{Name: "no-commit", Usage: "write the file but do not commit it"},
			&ucli.BoolFlag{Name: "no-verify", Usage: "skip the pre-commit and commit-msg hooks, as git commit --no-verify"},
			&ucli.BoolFlag{Name: "sync", Usage: "share the commit through the remote right after it (as sync: auto)"},
			&ucli.BoolFlag{Name: "no-sync", Usage: "do not share the commit, whatever .pm.yml's sync says"},
			&ucli.BoolFlag{Name: "version", Usage: "print pm's version, as pm version"},
		},
		Before: a.before,
		Action: func(c *ucli.Context) error {
			if c.Bool("version") {
				return a.printVersion(versionOptions{})
			}
			return ucli.ShowAppHelp(c)
		},
		// Only Main decides the exit code; the library must never exit.
		ExitErrHandler: func(*ucli.Context, error) {},
		OnUsageError:   a.onUsageError,
		Commands: slices.Concat(
			[]*ucli.Command{a.initCommand(), a.newCommand(), a.adoptCommand()},
			a.entryCommands(),
			a.hypothesisCommands(),
			a.milestoneCommands(),
			[]*ucli.Command{a.setCommand()},
			a.actionCommands(),
			[]*ucli.Command{a.statusCommand(), a.nextCommand(), a.changesCommand(), a.timelineCommand(), a.editCommand(), a.showCommand(), a.demoCommand()},
			[]*ucli.Command{a.siteCommand()},
			[]*ucli.Command{a.lintCommand(), a.lspCommand()},
			[]*ucli.Command{a.listCommand(), a.actionsCommand(), a.statsCommand(), a.relatedCommand(), a.schemaCommand()},
			[]*ucli.Command{a.syncCommand(), a.watchCommand(), a.recoverCommand(), a.mergeDriverCommand(), a.versionCommand(), a.completionCommand(), a.manCommand()},
		),
		CommandNotFound: func(c *ucli.Context, name string) {
			// Reported through the error path so the exit code is 2.
		},
	}
	for _, c := range u.Commands {
		c.OnUsageError = a.onUsageError
	}
	return u
}

// versionCommand prints the version lint.Version reads from the build (the
// release stamp or the module version go install recorded), the same one
// SARIF and the language server report, so a bug report can quote one.
func (a *app) versionCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "version",
		Usage: "print pm's version",
		Description: "Prints \"pm VERSION\"; a build from a checkout says \"pm devel\".\n\n" +
			"Examples:\n" +
			"  pm version\n" +
			"  pm --version",
		Action: func(c *ucli.Context) error {
			if err := noArgs(c, ""); err != nil {
				return err
			}
			return a.printVersion(versionOptions{})
		},
	}
}

// versionOptions is what pm version (and pm --version) is asked: nothing;
// the struct keeps its call like every other command's.
type versionOptions struct{}

func (a *app) printVersion(versionOptions) error {
	_, err := fmt.Fprintf(a.env.Stdout, "pm %s\n", lint.Version())
	return err
}

// chdir is -C DIR: pm works as if started in DIR (relative to where it is).
func (a *app) chdir(typed string) error {
	d := typed
	if !filepath.IsAbs(d) {
		d = filepath.Join(a.dir, d)
	}
	fi, err := os.Stat(d)
	if err != nil || !fi.IsDir() {
		return usageError("-C %s: no such folder", typed)
	}
	a.dir = d
	return nil
}

// before applies the global flags.
func (a *app) before(c *ucli.Context) error {
	if d := c.String("C"); d != "" {
		if err := a.chdir(d); err != nil {
			return err
		}
	}
	a.noCommit = c.Bool("no-commit")
	a.noVerify = c.Bool("no-verify")
	switch {
	case c.Bool("sync") && c.Bool("no-sync"):
		return usageError("--sync and --no-sync contradict each other; give one")
	case c.Bool("sync"):
		a.sync = "auto"
	case c.Bool("no-sync"):
		a.sync = "off"
	}
	if name := c.Args().First(); name != "" && c.App.Command(name) == nil {
		var names []string
		for _, cmd := range c.App.VisibleCommands() {
			names = append(names, cmd.Names()...)
		}
		if s := config.Closest(name, names); s != "" {
			return usageError("unknown command %q; did you mean %s? (see pm --help)", name, s)
		}
		return usageError("unknown command %q (see pm --help)", name)
	}
	return nil
}

// onUsageError turns urfave/cli's flag errors into one line and exit 2,
// instead of the error followed by a screen of help. The flag is named as
// the user typed it (the library drops a dash), with a did-you-mean from the
// command's and the global flags.
func (a *app) onUsageError(c *ucli.Context, err error, _ bool) error {
	cmd := "pm"
	var flags []ucli.Flag
	if c.Command != nil && c.Command.Name != "" && c.Command.Name != c.App.Name {
		cmd = "pm " + c.Command.Name
		flags = c.Command.Flags
	}
	flags = append(flags, c.App.Flags...)
	msg := strings.TrimPrefix(err.Error(), "flag provided but not defined: ")
	if msg != err.Error() {
		return unknownFlag(cmd, a.typed(strings.TrimLeft(msg, "-")), flags)
	}
	if name, ok := strings.CutPrefix(err.Error(), "flag needs an argument: "); ok {
		return usageError("%s needs a value (see %s --help)", a.typed(strings.TrimLeft(name, "-")), cmd)
	}
	if m := invalidValueRE.FindStringSubmatch(err.Error()); m != nil {
		what := "is not a value this flag takes"
		for _, f := range flags {
			if !slices.Contains(f.Names(), m[2]) {
				continue
			}
			switch f.(type) {
			case *ucli.IntFlag:
				what = "is not a whole number"
			case *ucli.DurationFlag:
				what = "is not a duration; write it as 10s, 2m or 1h30m"
			}
		}
		return usageError("%s %q %s (see %s --help)", a.typedFlag(c, m[2]), m[1], what, cmd)
	}
	return usageError("%s: %s (see %s --help)", cmd, err, cmd)
}

// invalidValueRE is urfave/cli's error for a value its flag type cannot
// parse (an int, a duration), which would otherwise reach the user as a Go
// error string.
var invalidValueRE = regexp.MustCompile(`^invalid value "(.*)" for flag -+([^:]+): `)

// unknownFlag words the error for a flag the command does not have, typed
// as the user typed it. One-letter flags get no suggestion: every other
// letter is one edit away.
func unknownFlag(cmd, typed string, flags []ucli.Flag) error {
	name, _ := flagName(typed)
	if looksLikeText(name) {
		return usageError("%q is not a flag; to write text that starts with a dash, put -- before it: %s -- %q", typed, cmd, typed)
	}
	var names []string
	for _, f := range flags {
		for _, n := range f.Names() {
			if len(n) > 1 {
				names = append(names, n)
			}
		}
	}
	if len(name) > 1 {
		if s := config.Closest(name, names); s != "" {
			return usageError("unknown flag %s; did you mean %s? (see %s --help)", typed, dashed(s), cmd)
		}
	}
	return usageError("unknown flag %s (see %s --help)", typed, cmd)
}

// looksLikeText: a flag name never has a space or starts with anything but
// a letter, so "-5 errors" is text the user meant as an argument.
func looksLikeText(name string) bool {
	if name == "" || strings.ContainsAny(name, " \t") {
		return true
	}
	c := name[0]
	return !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z')
}

// typed finds the argument the library reports as the flag name (it drops
// the dashes and any =value), or --name if none matches.
func (a *app) typed(name string) string {
	for _, arg := range a.args {
		if n, _ := flagName(arg); isFlag(arg) && n == name {
			return strings.SplitN(arg, "=", 2)[0]
		}
	}
	return dashed(name)
}

func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}
