package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/pm-tool/pm/internal/config"
	"github.com/pm-tool/pm/internal/lint"
)

// TestSchemaAgreesWithLint: pm schema and pm lint judge a frontmatter the
// same way (issue 19). Every file of the bad-input corpus and the fixture
// is checked both ways: the schema rejects it exactly when lint reports an
// error-level frontmatter finding. Files whose frontmatter does not parse
// as YAML at all are left out: an editor shows a YAML error there first.
func TestSchemaAgreesWithLint(t *testing.T) {
	sch := compiledSchema(t, t.TempDir())
	eng, err := lint.New(config.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, glob := range []string{"testdata/badinput/*.md", filepath.Join(fixtureDir, "postmortems", "*.md")} {
		m, _ := filepath.Glob(glob)
		files = append(files, m...)
	}
	checked := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		value, ok := frontmatterOf(t, src)
		if !ok {
			continue
		}
		checked++
		var lintErrs []string
		for _, fd := range eng.Lint(f, src) {
			if fd.Rule == "frontmatter" && fd.Level == lint.Error {
				lintErrs = append(lintErrs, fd.Message)
			}
		}
		schemaErr := sch.Validate(value)
		if (schemaErr != nil) != (len(lintErrs) > 0) {
			t.Errorf("%s: lint frontmatter errors %q, schema: %v", filepath.Base(f), lintErrs, schemaErr)
		}
	}
	if checked < 20 {
		t.Fatalf("only %d files checked", checked)
	}

	// Values the corpus does not have, each alone in a good frontmatter.
	good := "id: 2026-11-24-api\ntitle: API returns 502\nstatus: investigating\nseverity: SEV2\nstarted: 2026-11-24T09:10:00Z\n"
	for _, tc := range []struct{ name, old, new string }{
		{"title a number", "title: API returns 502", "title: 42"},
		{"title with an escaped line break", "title: API returns 502", `title: "API\nreturns 502"`},
		{"title empty", "title: API returns 502", "title: ''"},
		{"title with an escape sequence", "title: API returns 502", `title: "\e[2J"`},
		{"commander with a bell", "status:", "commander: \"\\a\"\nstatus:"},
		{"id a path", "id: 2026-11-24-api", "id: ../x"},
		{"id with a space at its end", "id: 2026-11-24-api", "id: '2026-11-24-api '"},
		{"id a number", "id: 2026-11-24-api", "id: 42"},
		{"started empty", "started: 2026-11-24T09:10:00Z", "started:"},
		{"started a date only", "started: 2026-11-24T09:10:00Z", "started: 2026-11-24"},
		{"resolved not a time", "started:", "resolved: yesterday\nstarted:"},
		{"status in capitals", "status: investigating", "status: Investigating"},
		{"severity unknown", "severity: SEV2", "severity: P1"},
		{"services as text", "status:", "services: api\nstatus:"},
		{"tab in a title", "title: API returns 502", "title: \"API\\treturns 502\""},
	} {
		fm := strings.Replace(good, tc.old, tc.new, 1)
		src := []byte("---\n" + fm + "---\n\n# API returns 502\n")
		value, ok := frontmatterOf(t, src)
		if !ok {
			t.Fatalf("%s: not YAML:\n%s", tc.name, fm)
		}
		var lintErrs []string
		for _, fd := range eng.Lint("postmortems/2026-11-24-api.md", src) {
			if fd.Level == lint.Error && fd.Line <= strings.Count(fm, "\n")+2 {
				lintErrs = append(lintErrs, fd.Rule+": "+fd.Message)
			}
		}
		schemaErr := sch.Validate(value)
		if (schemaErr != nil) != (len(lintErrs) > 0) {
			t.Errorf("%s: lint errors %q, schema: %v", tc.name, lintErrs, schemaErr)
		}
	}
}

// frontmatterOf is the frontmatter of src as the JSON value an editor's
// YAML language server would check, or false when there is none or it is
// not YAML, or uses aliases (the alias bomb of the corpus would expand
// without end in a converter that follows them; lint refuses it), or has a
// key twice (a YAML error editors report before any schema, as lint does).
func frontmatterOf(t *testing.T, src []byte) (any, bool) {
	s := strings.ReplaceAll(strings.TrimPrefix(string(src), "\ufeff"), "\r\n", "\n")
	rest, ok := strings.CutPrefix(s, "---\n")
	end := strings.Index(rest, "\n---\n")
	if !ok || end < 0 {
		return nil, false
	}
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(rest[:end+1]), &n); err != nil || len(n.Content) == 0 || n.Content[0].Kind != yaml.MappingNode || hasAlias(&n) || hasDuplicateKey(&n) {
		return nil, false
	}
	return yamlValue(t, []byte(rest[:end+1])), true
}

func hasAlias(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode {
		return true
	}
	for _, c := range n.Content {
		if hasAlias(c) {
			return true
		}
	}
	return false
}

func hasDuplicateKey(n *yaml.Node) bool {
	if n.Kind == yaml.MappingNode {
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if seen[n.Content[i].Value] {
				return true
			}
			seen[n.Content[i].Value] = true
		}
	}
	for _, c := range n.Content {
		if hasDuplicateKey(c) {
			return true
		}
	}
	return false
}
