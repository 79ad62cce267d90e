package incident

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// TemplateData is what an incident template is executed with, by pm new.
type TemplateData struct {
	ID, Title, Status, Severity, Commander string
	Started, Detected                      time.Time // rendered in UTC, RFC 3339
	Services, Tags, Authors                []string
}

// ExecuteTemplate renders the template source src (a whole incident file,
// frontmatter included) with text/template; name is used in errors. Besides
// the built-in functions, templates have:
//
//	yaml   a string or []string as a YAML value. A string is written plain
//	       when every YAML reader (1.1 and 1.2) takes it back unchanged,
//	       double-quoted otherwise: api stays api, API: 502s becomes
//	       "API: 502s", yes becomes "yes", "" renders as nothing. A list
//	       becomes a flow list, [api, "a, b"], and an empty or nil one [].
//	time   a time in UTC as 2006-01-02T15:04:05Z; the zero time → nothing.
//
// Frontmatter lines that end in a colon followed only by blanks (an empty
// value) lose the blanks, so "commander: {{yaml .Commander}}" with no
// commander renders as "commander:".
func ExecuteTemplate(name string, src []byte, d TemplateData) ([]byte, error) {
	t, err := template.New(name).Option("missingkey=error").Funcs(templateFuncs).Parse(string(src))
	if err != nil {
		return nil, cleanTemplateError(err)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, d); err != nil {
		return nil, cleanTemplateError(err)
	}
	return trimEmptyValues(buf.Bytes()), nil
}

var templateFuncs = template.FuncMap{
	"yaml": yamlValue,
	"time": rfc3339,
}

// cleanTemplateError drops text/template's "template: " prefix; callers add
// which template it was.
func cleanTemplateError(err error) error {
	return fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "template: "))
}

// rfc3339 formats t as pm stores times: UTC, whole seconds.
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

// yamlValue renders v as an inline YAML value for a frontmatter line.
func yamlValue(v any) (string, error) {
	switch v := v.(type) {
	case string:
		if v == "" {
			return "", nil
		}
		return yamlScalar(v, false), nil
	case []string:
		items := make([]string, len(v))
		for i, s := range v {
			items[i] = yamlScalar(s, true)
		}
		return "[" + strings.Join(items, ", ") + "]", nil
	case nil:
		return "", nil
	}
	return "", fmt.Errorf("yaml: cannot render a %T; pass a string or a list of strings", v)
}

// yamlScalar returns s as a plain YAML scalar when every YAML reader takes
// it back as the same string, and double-quoted otherwise. inFlow is true
// for an item of a flow list, where commas and brackets end a plain scalar.
func yamlScalar(s string, inFlow bool) string {
	if plainSafe(s, inFlow) {
		return s
	}
	return doubleQuote(s)
}

func plainSafe(s string, inFlow bool) bool {
	if s == "" || !utf8.ValidString(s) || strings.TrimSpace(s) != s {
		return false
	}
	for _, r := range s {
		if r != ' ' && !unicode.IsPrint(r) || r == '\ufeff' {
			return false
		}
	}
	if inFlow && strings.ContainsAny(s, ",[]{}") {
		return false
	}
	if yaml11Special(s) {
		return false
	}
	// Let yaml.v3 decide the rest (indicators, ": ", " #", implicit types):
	// the value must read back as this very string, in the place it goes.
	if inFlow {
		return readsBackPlain("["+s+"]  # c\n", s, true)
	}
	return readsBackPlain("k: "+s+"  # c\n", s, false)
}

// readsBackPlain reports whether doc, a one-key mapping or a one-item flow
// list, holds s as a plain string. It reads a yaml.Node rather than
// decoding into Go values, so no type resolution or merge runs.
func readsBackPlain(doc, s string, inFlow bool) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false // a yaml.v3 bug on odd input: quoting is always safe
		}
	}()
	var n yaml.Node
	if yaml.Unmarshal([]byte(doc), &n) != nil || n.Kind != yaml.DocumentNode || len(n.Content) != 1 {
		return false
	}
	c := n.Content[0]
	var v *yaml.Node
	switch {
	case inFlow && c.Kind == yaml.SequenceNode && len(c.Content) == 1:
		v = c.Content[0]
	case !inFlow && c.Kind == yaml.MappingNode && len(c.Content) == 2:
		v = c.Content[1]
	default:
		return false
	}
	return v.Kind == yaml.ScalarNode && v.Style == 0 && v.ShortTag() == "!!str" && v.Value == s
}

var (
	yaml11Bool   = regexp.MustCompile(`^(?i:y|yes|n|no|true|false|on|off|null|~)$`)
	yaml11Number = regexp.MustCompile(`^[-+]?(\.?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0b[01_]+|0o?[0-7_]+|\.(?i:inf|nan)|[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?)$`)
	yaml11Time   = regexp.MustCompile(`^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}.*)?$`)
)

// yaml11Special reports strings that a YAML 1.1 reader (GitHub's frontmatter
// table, yaml.v2) would take as a boolean, null, number or time although
// yaml.v3 reads them as strings.
func yaml11Special(s string) bool {
	return yaml11Bool.MatchString(s) || yaml11Number.MatchString(s) || yaml11Time.MatchString(s)
}

// doubleQuote writes s as a YAML double-quoted scalar, escaping what YAML
// requires and every character that is not printable.
func doubleQuote(s string) string {
	s = strings.ToValidUTF8(s, "\ufffd")
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			switch {
			case r == ' ' || unicode.IsPrint(r) && r != '\ufeff':
				b.WriteRune(r)
			case r <= 0xff:
				b.WriteString(`\x` + hex(uint64(r), 2))
			case r <= 0xffff:
				b.WriteString(`\u` + hex(uint64(r), 4))
			default:
				b.WriteString(`\U` + hex(uint64(r), 8))
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

func hex(v uint64, width int) string {
	h := strconv.FormatUint(v, 16)
	return strings.Repeat("0", width-len(h)) + strings.ToUpper(h)
}

// trimEmptyValues removes the blanks after "key:" on frontmatter lines
// whose value rendered empty, so the file has no trailing spaces.
func trimEmptyValues(out []byte) []byte {
	lines := bytes.SplitAfter(out, []byte("\n"))
	start := 0
	for start < len(lines) && len(bytes.TrimSpace(lines[start])) == 0 {
		start++
	}
	if start == len(lines) || string(bytes.TrimRight(lines[start], "\r\n")) != "---" {
		return out
	}
	for i := start + 1; i < len(lines); i++ {
		body := bytes.TrimRight(lines[i], "\r\n")
		if string(body) == "---" || string(body) == "..." {
			break
		}
		trimmed := bytes.TrimRight(body, " \t")
		if len(trimmed) < len(body) && bytes.HasSuffix(trimmed, []byte(":")) {
			lines[i] = slices.Concat(trimmed, lines[i][len(body):])
		}
	}
	return bytes.Join(lines, nil)
}
