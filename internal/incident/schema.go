package incident

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// oneLinePattern refuses the control characters pm lint refuses in a
// title or commander (a tab aside): a terminal obeys them, and a line
// break would split a commit subject.
//
// The characters are in the string itself (JSON writes them as \u0000),
// not as regex escapes: \u in a pattern is ECMA-262's (editors) but not
// RE2's (Go validators), and a literal character is both.
const oneLinePattern = "^[^\x00-\x08\x0a-\x1f\x7f-\u009f]*$"

// idPattern: an id names a file, so no folder separator and no control
// character.
const idPattern = "^[^/\\\\\x00-\x1f\x7f-\u009f]+$"

// rfc3339Pattern is the shape of an RFC 3339 time, for validators that
// treat "format" as a note rather than a check (as draft 2020-12 allows).
const rfc3339Pattern = `^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$`

// FrontmatterSchema is the JSON Schema (pm schema) of the frontmatter (DESIGN §1) as
// pm lint judges it, so an editor and pm lint agree on every file
// (TestSchemaAgreesWithLint in cli): the severities are .pm.yml's;
// started is required and set, the other times may be empty; lists may be
// empty; keys pm does not know are allowed, since pm keeps them. A bare
// number is taken where pm takes it (title: 42 is the text "42"). The id
// may not be a path, and no text holds a control character (a line break
// in a title included).
func FrontmatterSchema(severities []string) any {
	str := func(desc string) ordered {
		return ordered{{"type", []string{"string", "number"}}, {"description", desc}, {"pattern", oneLinePattern}}
	}
	var sevs []any
	for _, s := range severities {
		sevs = append(sevs, s)
		if f, err := strconv.ParseFloat(s, 64); err == nil && strconv.FormatFloat(f, 'f', -1, 64) == s {
			sevs = append(sevs, f) // severities: [1, 2] is written severity: 1
		}
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
			{"id", ordered{{"type", []string{"string", "number"}}, {"description", "The incident id, the file name without .md: 2026-11-24-api-returns-502 or INC-0042."},
				{"allOf", []any{ordered{{"pattern", idPattern}}, ordered{{"pattern", `^\S(.*\S)?$`}}}}, {"not", ordered{{"enum", []string{".", ".."}}}}}},
			{"title", append(str("What happened, in a few words: API returns 502 for all requests."), ordered{{"minLength", 1}}...)},
			{"status", ordered{{"enum", Statuses},
				{"description", "investigating, then mitigated (impact stopped), resolved (root problem fixed), closed (post-mortem done)."}}},
			{"severity", ordered{{"enum", sevs}, {"description", "One of the severities of .pm.yml, worst first."}}},
			{"started", ordered{{"type", "string"}, {"format", "date-time"}, {"pattern", rfc3339Pattern}, {"description", "When the impact began (may be corrected later); required."}}},
			{"detected", timeRef("When we realised.")},
			{"mitigated", timeRef("When the impact stopped.")},
			{"resolved", timeRef("When the root problem was fixed.")},
			{"commander", ordered{{"type", []string{"string", "number", "null"}}, {"description", "Who leads the response."}, {"pattern", oneLinePattern}}},
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
