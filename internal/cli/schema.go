package cli

import (
	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/incident"
)

func (a *app) schemaCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "schema",
		Usage: "print a JSON Schema of the incident frontmatter, for editor completion",
		Description: "The schema (draft 2020-12) lists the keys pm knows, the statuses, the severities of\n" +
			".pm.yml and the time format, and allows any other key, as pm does. Point your editor's\n" +
			"YAML or front-matter support at it to get completion and checks while you write.\n\n" +
			"Examples:\n" +
			"  pm schema > .pm/frontmatter.schema.json\n" +
			"  pm schema | jq '.properties.severity'",
		Action: a.runSchema,
	}
}

func (a *app) runSchema(c *ucli.Context) error {
	if err := noArgs(c, ""); err != nil {
		return err
	}
	return a.schema(schemaOptions{})
}

// schemaOptions is what pm schema is asked: nothing, as it takes no flags
// or arguments; the struct keeps its call like every other command's.
type schemaOptions struct{}

// schema prints the frontmatter's JSON Schema with the severities of
// .pm.yml.
func (a *app) schema(schemaOptions) error {
	w, err := a.openWorkspace()
	if err != nil {
		return err
	}
	return writeJSON(a.env.Stdout, incident.FrontmatterSchema(w.cfg.Severities))
}
