package cli

import (
	"bytes"
	"encoding/json"

	ucli "github.com/urfave/cli/v2"

	"github.com/pm-tool/pm/internal/config"
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
	if c.NArg() > 0 {
		return usageError("pm schema takes no arguments, got %q", c.Args().First())
	}
	w, err := a.openWorkspace()
	if err != nil {
		return err
	}
	return writeJSON(a.env.Stdout, frontmatterSchema(w.cfg))
}

// rfc3339Pattern is the shape of an RFC 3339 time, for validators that
// treat "format" as a note rather than a check (as draft 2020-12 allows).
const rfc3339Pattern = `^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$`

// frontmatterSchema is the JSON Schema of the frontmatter (DESIGN §1) as
// pm reads it: the severities come from the configuration; a time may be
// empty; lists may be empty; keys pm does not know are allowed, since pm
// keeps them. It asks for text where pm would also take a bare number, a
// nudge to quote it.
func frontmatterSchema(cfg config.Config) any {
	str := func(desc string) ordered {
		return ordered{{"type", "string"}, {"description", desc}}
	}
	timeRef := func(desc string) ordered {
		return ordered{{"$ref", "#/$defs/time"}, {"description", desc}}
	}
	listRef := func(desc string) ordered {
		return ordered{{"$ref", "#/$defs/list"}, {"description", desc}}
	}
	return ordered{
		{"$schema", "https://json-schema.org/draft/2020-12/schema"},
		{"$id", "https://github.com/pm-tool/pm/schema/frontmatter.json"},
		{"title", "pm incident frontmatter"},
		{"description", "The YAML frontmatter of an incident file written by pm (postmortems/<id>.md)."},
		{"type", "object"},
		{"properties", ordered{
			{"id", str("The incident id, the file name without .md: 2026-11-24-api-returns-502 or INC-0042.")},
			{"title", str("What happened, in a few words: API returns 502 for all requests.")},
			{"status", ordered{{"enum", []string{"investigating", "mitigated", "resolved", "closed"}},
				{"description", "investigating, then mitigated (impact stopped), resolved (root problem fixed), closed (post-mortem done)."}}},
			{"severity", ordered{{"enum", cfg.Severities}, {"description", "One of the severities of .pm.yml, worst first."}}},
			{"started", timeRef("When the impact began (may be corrected later).")},
			{"detected", timeRef("When we realised.")},
			{"mitigated", timeRef("When the impact stopped.")},
			{"resolved", timeRef("When the root problem was fixed.")},
			{"commander", ordered{{"type", []string{"string", "null"}}, {"description", "Who leads the response."}}},
			{"authors", listRef("Everyone who wrote an entry.")},
			{"services", listRef("The services involved: api, nginx.")},
			{"tags", listRef("Free-form labels: config, deploy.")},
			{"private", ordered{{"type", []string{"boolean", "null"}}, {"description", "true keeps the incident off the site pm site builds."}}},
		}},
		{"required", []string{"id", "title", "status", "severity", "started"}},
		{"additionalProperties", true},
		{"$defs", ordered{
			{"time", ordered{
				{"description", "An RFC 3339 time, UTC as pm writes it (2026-11-24T09:10:00Z), or empty."},
				{"anyOf", []any{
					ordered{{"type", "string"}, {"format", "date-time"}, {"pattern", rfc3339Pattern}},
					ordered{{"type", "null"}},
					ordered{{"const", ""}},
				}},
			}},
			{"list", ordered{
				{"description", "A list of names, [a, b], or empty."},
				{"type", []string{"array", "null"}},
				{"items", ordered{{"type", "string"}}},
			}},
		}},
	}
}

// ordered is a JSON object that keeps its keys in the order written, so
// the schema reads top-down like the frontmatter.
type ordered []struct {
	k string
	v any
}

func (o ordered) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, kv := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(kv.k)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(kv.v)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
