package cli

import (
	"fmt"
	"strings"

	ucli "github.com/urfave/cli/v2"
)

// manCommand prints pm's manual page, generated from the commands
// themselves (urfave/cli's ToMan, through go-md2man, already a dependency
// of the CLI library): the page cannot drift from --help.
func (a *app) manCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "man",
		Usage: "print pm's manual page (roff), generated from the commands",
		Description: "Every command, its flags and its examples, as man shows them.\n\n" +
			"Examples:\n" +
			"  pm man | man -l -\n" +
			"  pm man > /usr/local/share/man/man1/pm.1",
		Action: func(c *ucli.Context) error {
			if err := noArgs(c, ""); err != nil {
				return err
			}
			return a.printMan(manOptions{})
		},
	}
}

// manOptions is what pm man is asked: nothing, as it takes no flags or
// arguments; the struct keeps its call like every other command's.
type manOptions struct{}

// printMan prints the manual page. manSection rewrites the commands'
// fields, so it works on a fresh build of them, not on the running app's.
func (a *app) printMan(manOptions) error {
	u := a.build()
	for _, cmd := range u.Commands {
		manSection(cmd)
	}
	page, err := u.ToManWithSection(1)
	if err != nil {
		return problemError("cannot build the manual page: %v", err)
	}
	// ToMan names the page after the app and gives it no date; a page
	// that differs with the day would make builds irreproducible, so none
	// is added.
	_, err = fmt.Fprint(a.env.Stdout, strings.TrimLeft(page, "\n"))
	return err
}

// manSection puts a command's description and examples into the fields
// ToMan renders: the prose after its one-line usage (man reflows it), the
// synopsis and examples as a block kept as typed.
func manSection(cmd *ucli.Command) {
	prose, examples, _ := strings.Cut(cmd.Description, "Examples:\n")
	if p := strings.TrimSpace(prose); p != "" {
		cmd.Usage = strings.TrimSuffix(cmd.Usage, ".") + ". " + markdownText.Replace(p)
	}
	synopsis := strings.TrimSpace("pm " + cmd.Name + " [options] " + cmd.ArgsUsage)
	if ex := strings.TrimRight(examples, "\n"); ex != "" {
		synopsis += "\n\nExamples:\n" + ex
	}
	cmd.UsageText = synopsis + "\n"
}

// markdownText escapes what ToMan's markdown would take for markup in
// prose: <!-- pm-lint-disable… --> vanished as an HTML comment.
var markdownText = strings.NewReplacer(`\`, `\\`, "<", `\<`, "*", `\*`, "_", `\_`, "`", "\\`")
