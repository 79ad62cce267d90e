package config

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests name real zones; do not depend on the machine's zoneinfo

	"gopkg.in/yaml.v3"
)

func TestParseConfigKeys(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		edit func(*Config) // turns DefaultConfig into the expected result
	}{
		{"empty file", "", func(*Config) {}},
		{"only comments", "# nothing here\n", func(*Config) {}},
		{"document marker only", "---\n", func(*Config) {}},
		{"bom", "\ufefffolder: pm\n", func(c *Config) { c.Folder = "pm" }},
		{"folder", "folder: docs/incidents\n", func(c *Config) { c.Folder = "docs/incidents" }},
		{"folder cleaned", "folder: ./docs//incidents/\n", func(c *Config) { c.Folder = "docs/incidents" }},
		{"folder backslashes", `folder: docs\incidents` + "\n", func(c *Config) { c.Folder = "docs/incidents" }},
		{"folder null keeps default", "folder:\n", func(*Config) {}},
		{"id_scheme", "id_scheme: sequential\n", func(c *Config) { c.IDScheme = "sequential" }},
		{"id_prefix", "id_prefix: OPS-\n", func(c *Config) { c.IDPrefix = "OPS-" }},
		{"id_prefix empty", "id_prefix: \"\"\n", func(c *Config) { c.IDPrefix = "" }},
		{"severities", "severities: [P1, P2, P3]\ndefault_severity: P2\n", func(c *Config) {
			c.Severities = []string{"P1", "P2", "P3"}
			c.DefaultSeverity = "P2"
		}},
		{"severities block list", "severities:\n  - SEV0\n  - SEV1\n  - SEV2\n  - SEV3\n", func(c *Config) {
			c.Severities = []string{"SEV0", "SEV1", "SEV2", "SEV3"}
		}},
		{"numbers as severities", "severities: [1, 2]\ndefault_severity: 2\n", func(c *Config) {
			c.Severities = []string{"1", "2"}
			c.DefaultSeverity = "2"
		}},
		{"default_severity", "default_severity: SEV4\n", func(c *Config) { c.DefaultSeverity = "SEV4" }},
		{"template", "template: sre\n", func(c *Config) { c.Template = "sre" }},
		{"timezone", "timezone: Europe/Paris\n", func(c *Config) { c.Timezone = "Europe/Paris" }},
		{"depends_on", "depends_on:\n  api: [db, cache]\n  checkout: api\n", func(c *Config) {
			c.DependsOn = map[string][]string{"api": {"db", "cache"}, "checkout": {"api"}}
		}},
		{"lint rules", "lint:\n  rules:\n    blame-words: warning\n    hindsight: OFF\n", func(c *Config) {
			c.Lint.Rules = map[string]string{"blame-words": "warning", "hindsight": "off"}
		}},
		{"lint words", "lint:\n  words:\n    extra:\n      blame-words: [cowboy, yolo]\n    allow: [kill switch]\n", func(c *Config) {
			c.Lint.Words.Extra = map[string][]string{"blame-words": {"cowboy", "yolo"}}
			c.Lint.Words.Allow = []string{"kill switch"}
		}},
		{"lint words extra empty list", "lint:\n  words:\n    extra:\n      hindsight:\n", func(c *Config) {
			c.Lint.Words.Extra = map[string][]string{"hindsight": {}}
		}},
		{"required sections", "lint:\n  required_sections: [Summary, What went wrong]\n", func(c *Config) {
			c.Lint.RequiredSections = []string{"Summary", "What went wrong"}
		}},
		{"no required sections", "lint:\n  required_sections: []\n", func(c *Config) {
			c.Lint.RequiredSections = []string{}
		}},
		{"section aliases", "lint:\n  section_aliases:\n    Action items: [Follow-ups, Next steps]\n    impact: Blast radius\n    Summary:\n", func(c *Config) {
			c.Lint.SectionAliases = map[string][]string{"Action items": {"Follow-ups", "Next steps"}, "impact": {"Blast radius"}, "Summary": {}}
		}},
		{"section aliases of a configured section", "lint:\n  section_aliases: {Five whys: [Why did it happen]}\n  required_sections: [Summary, Five whys]\n", func(c *Config) {
			c.Lint.RequiredSections = []string{"Summary", "Five whys"}
			c.Lint.SectionAliases = map[string][]string{"Five whys": {"Why did it happen"}}
		}},
		{"action items aliases without the required section", "lint:\n  required_sections: [Summary]\n  section_aliases: {Action items: [Follow-ups]}\n", func(c *Config) {
			c.Lint.RequiredSections = []string{"Summary"}
			c.Lint.SectionAliases = map[string][]string{"Action items": {"Follow-ups"}}
		}},
		{"site", "site:\n  title: Outages at Example\n  base_url: https://example.com/pm/\n", func(c *Config) {
			c.Site = SiteConfig{Title: "Outages at Example", BaseURL: "https://example.com/pm/"}
		}},
		{"anchors and aliases", "severities: &s [A, B]\ndefault_severity: B\nlint:\n  words:\n    allow: *s\n", func(c *Config) {
			c.Severities = []string{"A", "B"}
			c.DefaultSeverity = "B"
			c.Lint.Words.Allow = []string{"A", "B"}
		}},
		{"crlf", "folder: pm\r\nsite:\r\n  title: T\r\n", func(c *Config) {
			c.Folder = "pm"
			c.Site.Title = "T"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseConfig(".pm.yml", []byte(tt.yaml))
			if err != nil {
				t.Fatalf("ParseConfig: %v", err)
			}
			want := DefaultConfig()
			tt.edit(&want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestParseConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		line int
		key  string
		msg  string // the whole Error() text
	}{
		{"unknown top key", "folder: pm\nseverites: [SEV1]\n", 2, "severites",
			`.pm.yml:2: unknown key "severites" (did you mean "severities"? known keys: folder, id_scheme, id_prefix, severities, default_severity, template, timezone, guide, depends_on, lint, site, sync)`},
		{"unknown lint key", "lint:\n  rulez: {}\n", 2, "lint.rulez",
			`.pm.yml:2: unknown key "lint.rulez" (did you mean "rules"? known keys under lint: rules, words, required_sections, section_aliases)`},
		{"misspelt section_aliases", "lint:\n  section_alias: {}\n", 2, "lint.section_alias",
			`.pm.yml:2: unknown key "lint.section_alias" (did you mean "section_aliases"? known keys under lint: rules, words, required_sections, section_aliases)`},
		{"unknown words key", "lint:\n  words:\n    deny: [x]\n", 3, "lint.words.deny",
			`.pm.yml:3: unknown key "lint.words.deny" (known keys under lint.words: extra, allow)`},
		{"unknown site key", "site:\n  title: x\n  theme: dark\n", 3, "site.theme",
			`.pm.yml:3: unknown key "site.theme" (known keys under site: title, base_url)`},
		{"duplicate key", "folder: a\nfolder: b\n", 2, "folder",
			`.pm.yml:2: key "folder" appears twice (first on line 1); keep one`},
		{"bad level", "lint:\n  rules:\n    hindsight: off\n    blame-words: loud\n", 4, "lint.rules.blame-words",
			`.pm.yml:4: lint.rules.blame-words: level "loud" is not one of error, warning, info, off`},
		{"level as list", "lint:\n  rules:\n    blame-words: [error]\n", 3, "lint.rules.blame-words",
			`.pm.yml:3: lint.rules.blame-words: expected a single value, got a list`},
		{"rules as list", "lint:\n  rules: [a]\n", 2, "lint.rules",
			`.pm.yml:2: lint.rules: expected keys with values (like hindsight: off), got a list`},
		{"bad id scheme", "id_scheme: uuid\n", 1, "id_scheme",
			`.pm.yml:1: id_scheme: "uuid" is not one of date-slug, sequential`},
		{"bad id prefix", "id_prefix: INC/\n", 1, "id_prefix",
			`.pm.yml:1: id_prefix: "INC/" may contain only letters, digits, '.', '_' and '-' (it starts file names)`},
		{"sync mode", "sync: always\n", 1, "sync",
			`.pm.yml:1: sync: "always" is not one of off, auto`},
		{"sync wait", "sync:\n  mode: auto\n  wait: soon\n", 3, "sync.wait",
			`.pm.yml:3: sync.wait: "soon" is not a wait pm can use; give a duration such as 2s (at most 1m)`},
		{"sync unknown key", "sync:\n  remote: origin\n", 2, "sync.remote",
			`.pm.yml:2: unknown key "sync.remote" (known keys under sync: mode, wait, branch)`},
		{"absolute folder", "folder: /etc\n", 1, "folder",
			`.pm.yml:1: folder: "/etc" must be relative to the repository root, such as postmortems or docs/incidents`},
		{"windows folder", `folder: C:\pm` + "\n", 1, "folder",
			`.pm.yml:1: folder: "C:\\pm" must be relative to the repository root, such as postmortems or docs/incidents`},
		{"folder escapes", "\n\nfolder: docs/../../x\n", 3, "folder",
			`.pm.yml:3: folder: "docs/../../x" leaves the repository; name a folder inside it, such as postmortems`},
		{"folder is root", "folder: .\n", 1, "folder",
			`.pm.yml:1: folder: "." is the repository root; name a folder inside it, such as postmortems`},
		{"folder in .git", "folder: .git/pm\n", 1, "folder",
			`.pm.yml:1: folder: ".git/pm" is inside .git; name another folder, such as postmortems`},
		{"folder empty", "folder: ''\n", 1, "folder",
			`.pm.yml:1: folder: "" is empty; name a folder such as postmortems`},
		{"folder list", "folder:\n  - a\n", 2, "folder",
			`.pm.yml:2: folder: expected a single value, got a list`},
		{"severities scalar", "severities: SEV1\n", 1, "severities",
			`.pm.yml:1: severities: expected a list such as [a, b], got the value "SEV1"`},
		{"severities empty", "severities: []\n", 1, "severities",
			`.pm.yml:1: severities: the list is empty; give at least one, worst first, e.g. [SEV1, SEV2, SEV3]`},
		{"severities duplicate", "severities:\n  - SEV1\n  - sev1\n", 3, "severities",
			`.pm.yml:3: severities: severity "sev1" is listed twice`},
		{"severities empty item", "severities: [SEV1, '']\n", 1, "severities",
			`.pm.yml:1: severities: empty severity; remove it`},
		{"severities null item", "severities:\n  - SEV1\n  -\n", 3, "severities",
			`.pm.yml:3: severities: each severity must be a single value, got nothing`},
		{"severities nested", "severities: [[SEV1]]\n", 1, "severities",
			`.pm.yml:1: severities: each severity must be a single value, got a list`},
		{"default severity not listed", "severities: [P1, P2]\ndefault_severity: SEV3\n", 2, "default_severity",
			`.pm.yml:2: default_severity: "SEV3" is not one of the severities (P1, P2)`},
		{"default severity left to default", "# custom\nseverities: [P1, P2]\n", 2, "default_severity",
			`.pm.yml:2: severities: the default severity "SEV3" is not in the list; add default_severity: with one of P1, P2`},
		{"template path", "template: ../evil\n", 1, "template",
			`.pm.yml:1: template: template name "../evil" must be a plain name such as default, without / or .. in it`},
		{"timezone unknown", "timezone: Mars/Olympus\n", 1, "timezone",
			`.pm.yml:1: timezone: unknown time zone "Mars/Olympus"; use an IANA name such as Europe/Paris or UTC`},
		{"timezone local", "timezone: Local\n", 1, "timezone",
			`.pm.yml:1: timezone: "Local" differs from machine to machine; use an IANA name such as Europe/Paris or UTC`},
		{"required section with #", "lint:\n  required_sections: ['## Summary']\n", 2, "lint.required_sections",
			`.pm.yml:2: lint.required_sections: write the heading "## Summary" without its leading #`},
		{"required sections twice", "lint:\n  required_sections: [Impact, impact]\n", 2, "lint.required_sections",
			`.pm.yml:2: lint.required_sections: section "impact" is listed twice`},
		{"section aliases unknown section", "lint:\n  section_aliases:\n    Action itmes: [Follow-ups]\n", 3, "lint.section_aliases.Action itmes",
			`.pm.yml:3: lint.section_aliases: "Action itmes" is not a section lint looks for (did you mean "Action items"? the sections: Summary, Impact, Timeline, Contributing factors, Action items; lint.required_sections sets them)`},
		{"section aliases section not required", "lint:\n  required_sections: [Summary]\n  section_aliases:\n    Impact: [Customer impact]\n", 4, "lint.section_aliases.Impact",
			`.pm.yml:4: lint.section_aliases: "Impact" is not a section lint looks for (the sections: Summary, Action items; lint.required_sections sets them)`},
		{"section aliases with #", "lint:\n  section_aliases:\n    Summary: ['## Overview']\n", 3, "lint.section_aliases.Summary",
			`.pm.yml:3: lint.section_aliases.Summary: write the heading "## Overview" without its leading #`},
		{"section aliases heading twice", "lint:\n  section_aliases:\n    Summary: [Overview, overview]\n", 3, "lint.section_aliases.Summary",
			`.pm.yml:3: lint.section_aliases.Summary: heading "overview" is listed twice`},
		{"section aliases section twice", "lint:\n  section_aliases:\n    Summary: [Overview]\n    summary: [TL;DR]\n", 4, "lint.section_aliases.summary",
			`.pm.yml:4: lint.section_aliases: section "summary" is listed twice (also as "Summary"); keep one`},
		{"section aliases a section's own name", "lint:\n  section_aliases:\n    Summary:\n      - Overview\n      - impact\n", 5, "lint.section_aliases.Summary",
			`.pm.yml:5: lint.section_aliases.Summary: "impact" is the name of the section "Impact" itself, not another name for "Summary"; remove it`},
		{"section aliases for two sections", "lint:\n  section_aliases:\n    Summary: [Overview]\n    Impact: [Scope, overview]\n", 4, "lint.section_aliases.Impact",
			`.pm.yml:4: lint.section_aliases.Impact: "overview" is already another name for "Summary"; a heading counts for one section`},
		{"section aliases a list", "lint:\n  section_aliases: [Follow-ups]\n", 2, "lint.section_aliases",
			`.pm.yml:2: lint.section_aliases: expected keys with values (like Action items: [Follow-ups]), got a list`},
		{"extra not a list", "lint:\n  words:\n    extra:\n      blame-words: cowboy\n", 4, "lint.words.extra.blame-words",
			`.pm.yml:4: lint.words.extra.blame-words: expected a list such as [a, b], got the value "cowboy"`},
		{"depends_on twice", "depends_on:\n  api: [db, DB]\n", 2, "depends_on.api",
			`.pm.yml:2: depends_on.api: system "DB" is listed twice`},
		{"depends_on a list", "depends_on: [api, db]\n", 1, "depends_on",
			`.pm.yml:1: depends_on: expected keys with values (like api: [db, cache]), got a list`},
		{"allow empty phrase", "lint:\n  words:\n    allow: [ok, ' ']\n", 3, "lint.words.allow",
			`.pm.yml:3: lint.words.allow: empty phrase; remove it`},
		{"site title empty", "site:\n  title: ''\n", 2, "site.title",
			`.pm.yml:2: site.title: is empty; give the site a title or remove the key`},
		{"site base url relative", "site:\n  base_url: example.com/pm\n", 2, "site.base_url",
			`.pm.yml:2: site.base_url: "example.com/pm" is not an absolute http(s) URL such as https://example.com/postmortems/`},
		{"site as value", "site: x\n", 1, "site",
			`.pm.yml:1: site: expected keys with values (like title: Post-mortems), got the value "x"`},
		{"top level list", "- folder\n", 1, "",
			`.pm.yml:1: the file: expected keys with values (like folder: postmortems), got a list`},
		{"top level scalar", "postmortems\n", 1, "",
			`.pm.yml:1: the file: expected keys with values (like folder: postmortems), got the value "postmortems"`},
		{"merge key", "base: &b {folder: x}\n<<: *b\n", 1, "base",
			`.pm.yml:1: unknown key "base" (known keys: folder, id_scheme, id_prefix, severities, default_severity, template, timezone, guide, depends_on, lint, site, sync)`},
		{"merge key only", "<<: {folder: x}\n", 1, "<<",
			`.pm.yml:1: merge keys (<<) are not supported in .pm.yml; write the keys out`},
		{"complex key", "? [a, b]\n: c\n", 1, "",
			`.pm.yml:1: the file: a key must be a plain name, got a list`},
		{"two documents", "folder: a\n---\nfolder: b\n", 2, "",
			`.pm.yml:2: only one YAML document is allowed; remove the second ---`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig(".pm.yml", []byte(tt.yaml))
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("got %v (%T), want a *ConfigError", err, err)
			}
			if ce.Line != tt.line || ce.Key != tt.key || ce.Error() != tt.msg {
				t.Errorf("got  line %d key %q %s\nwant line %d key %q %s", ce.Line, ce.Key, ce.Error(), tt.line, tt.key, tt.msg)
			}
		})
	}
}

func TestParseConfigSyntaxErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		line int
		msg  string // a part of the message
	}{
		{"value with colon", "folder: pm\ntitle: a: b\n", 2, "mapping values are not allowed"},
		{"bad indentation", "lint:\n  rules: {}\n required_sections: []\n", 3, "did not find expected key"},
		{"bad indentation deeper", "folder: x\nlint:\n  words:\n    allow: []\n   extra: {}\n", 5, "did not find expected key"},
		{"tab indentation", "lint:\n\trules: {}\n", 2, "indent with spaces"},
		{"unclosed flow list", "folder: x\nseverities: [SEV1,\ntemplate: x\n", 2, "did not find expected ',' or ']'"},
		{"unclosed list at end", "folder: x\nseverities: [SEV1,\n", 2, "did not find expected node content"},
		{"unclosed quote", "folder: x\nid_prefix: 'INC\ntemplate: x\n", 2, "found unexpected end of stream"},
		{"unclosed quote first line", "folder: 'x", 1, "found unexpected end of stream"},
		{"bad escape", "folder: x\nid_prefix: \"\\q\"\n", 2, "found unknown escape character"},
		{"at sign", "folder: x\n\ntemplate: @me\n", 3, "quote a value that starts with @"},
		{"control character", "folder: x\nid_prefix: a\x01b\n", 2, "control characters are not allowed"},
		{"invalid utf-8", "folder: x\nsite:\n  title: \xff\n", 3, "invalid"},
		{"unknown anchor", "folder: x\n\nseverities: *nope\n", 3, "unknown anchor 'nope' referenced"},
		{"list after key", "folder: x\n- y\n", 2, "did not find expected key"},
		{"duplicate directive", "%YAML 1.1\n%YAML 1.1\n---\nfolder: x\n", 2, "found duplicate %YAML directive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig(".pm.yml", []byte(tt.yaml))
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want a *ConfigError", err)
			}
			if ce.Line != tt.line || !strings.Contains(ce.Msg, tt.msg) || !strings.HasPrefix(ce.Msg, "invalid YAML: ") {
				t.Errorf("got %q (line %d), want line %d and %q", ce.Error(), ce.Line, tt.line, tt.msg)
			}
			if strings.Contains(ce.Msg, "yaml:") || strings.Contains(ce.Msg, "line ") {
				t.Errorf("message not cleaned up: %q", ce.Msg)
			}
		})
	}
}

func TestDefaultConfigYAMLRoundTrip(t *testing.T) {
	src := DefaultConfigYAML()
	got, err := ParseConfig(".pm.yml", src)
	if err != nil {
		t.Fatalf("ParseConfig(DefaultConfigYAML()): %v", err)
	}
	if want := DefaultConfig(); !reflect.DeepEqual(got, want) {
		t.Errorf("DefaultConfigYAML parses to\n%+v\nwant DefaultConfig\n%+v", got, want)
	}
	// Every key is written out, each with a comment on the line above.
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(n *yaml.Node, path string, fields []field)
	walk = func(n *yaml.Node, path string, fields []field) {
		for _, f := range fields {
			var k, v *yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == f.name {
					k, v = n.Content[i], n.Content[i+1]
				}
			}
			if k == nil {
				t.Errorf("DefaultConfigYAML lacks %s", join(path, f.name))
				continue
			}
			if strings.TrimSpace(k.HeadComment) == "" {
				t.Errorf("DefaultConfigYAML: %s has no comment", join(path, f.name))
			}
			switch join(path, f.name) {
			case "lint":
				walk(v, "lint", lintFields)
			case "lint.words":
				walk(v, "lint.words", wordsFields)
			case "site":
				walk(v, "site", siteFields)
			}
		}
	}
	walk(doc.Content[0], "", topFields)
	if !strings.HasSuffix(string(src), "\n") || strings.HasSuffix(string(src), "\n\n") {
		t.Error("DefaultConfigYAML must end with exactly one newline")
	}
}

func TestDefaultConfigIsFresh(t *testing.T) {
	a := DefaultConfig()
	a.Severities[0] = "changed"
	a.Lint.Rules["x"] = "off"
	a.Lint.RequiredSections[0] = "changed"
	b := DefaultConfig()
	if b.Severities[0] != "SEV1" || len(b.Lint.Rules) != 0 || b.Lint.RequiredSections[0] != "Summary" {
		t.Errorf("DefaultConfig shares state between calls: %+v", b)
	}
}

func TestLoadConfig(t *testing.T) {
	root := t.TempDir()
	got, err := LoadConfig(root)
	if err != nil {
		t.Fatalf("without .pm.yml: %v", err)
	}
	if !reflect.DeepEqual(got, DefaultConfig()) {
		t.Errorf("without .pm.yml got %+v", got)
	}
	if err := os.WriteFile(filepath.Join(root, ".pm.yml"), []byte("folder: incidents\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err = LoadConfig(root); err != nil || got.Folder != "incidents" {
		t.Errorf("with .pm.yml got %q, %v", got.Folder, err)
	}
	if err := os.WriteFile(filepath.Join(root, ".pm.yml"), []byte("folder: incidents\nfolder: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err = LoadConfig(root); err == nil || !strings.HasPrefix(err.Error(), ".pm.yml:2: ") {
		t.Errorf("bad .pm.yml: got %v", err)
	}
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".pm.yml"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err = LoadConfig(dir); err == nil {
		t.Error(".pm.yml as a folder: want an error")
	}
}

func TestConfigLocation(t *testing.T) {
	c := DefaultConfig()
	if c.Location() != time.UTC {
		t.Errorf("default Location = %v", c.Location())
	}
	c.Timezone = "Europe/Paris"
	if c.Location().String() != "Europe/Paris" {
		t.Errorf("Location = %v", c.Location())
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add(DefaultConfigYAML())
	f.Add([]byte("folder: x\nlint:\n  rules: {a: off}\n"))
	f.Add([]byte("severities: [a, b\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("lint:\n  words:\n    extra: {a: [b, c]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig(".pm.yml", data)
		if err != nil {
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error is not a *ConfigError: %v", err)
			}
			if ce.Line < 0 || ce.Line > CountLines(data) {
				t.Fatalf("line %d outside the input: %v", ce.Line, err)
			}
			return
		}
		if !slices.Contains(cfg.Severities, cfg.DefaultSeverity) {
			t.Fatalf("accepted a default severity outside the list: %+v", cfg)
		}
		if _, msg := cleanFolder(cfg.Folder); msg != "" {
			t.Fatalf("accepted folder %q: %s", cfg.Folder, msg)
		}
	})
}

func TestCountLines(t *testing.T) {
	for in, want := range map[string]int{
		"": 1, "a": 1, "a\n": 1, "a\nb": 2, "a\r\nb\r\n": 2, "a\rb": 2, "a\u2028b\u0085c\n": 3, "\n\n": 2,
	} {
		if got := CountLines([]byte(in)); got != want {
			t.Errorf("CountLines(%q) = %d, want %d", in, got, want)
		}
	}
}

// TestParseSyncConfig: sync: MODE is the short form of sync: {mode: MODE}.
func TestParseSyncConfig(t *testing.T) {
	for _, tc := range []struct {
		yaml string
		want SyncConfig
	}{
		{"", SyncConfig{Mode: "off", Wait: 2 * time.Second}},
		{"sync: auto\n", SyncConfig{Mode: "auto", Wait: 2 * time.Second}},
		{"sync: off\n", SyncConfig{Mode: "off", Wait: 2 * time.Second}},
		{"sync:\n  mode: auto\n  wait: 500ms\n", SyncConfig{Mode: "auto", Wait: 500 * time.Millisecond}},
		{"sync:\n  branch: incidents\n", SyncConfig{Mode: "off", Wait: 2 * time.Second, Branch: "incidents"}},
		{"sync:\n  mode: auto\n  branch: pm/incidents-2026\n", SyncConfig{Mode: "auto", Wait: 2 * time.Second, Branch: "pm/incidents-2026"}},
	} {
		cfg, err := ParseConfig(".pm.yml", []byte(tc.yaml))
		if err != nil {
			t.Fatalf("%q: %v", tc.yaml, err)
		}
		if cfg.Sync != tc.want {
			t.Errorf("%q: got %+v, want %+v", tc.yaml, cfg.Sync, tc.want)
		}
	}
}

// TestSyncBranchNames checks sync.branch against git check-ref-format
// --branch, the oracle for what git accepts as a branch name.
func TestSyncBranchNames(t *testing.T) {
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("needs the git CLI")
	}
	for _, name := range []string{
		"incidents", "pm/incidents", "a.b", "inc-2026", "x@y", "-x", "a..b", "a b", "a~1", "a^", "a:b", "a?", "a*", "a[b",
		"a\\b", "/a", "a/", "a//b", "a.", ".a", "a/.b", "a.lock", "a/b.lock/c", "@", "a@{1}", "HEAD", "é", "a\tb",
	} {
		_, perr := ParseConfig(".pm.yml", []byte("sync:\n  branch: \""+strings.ReplaceAll(name, "\t", "\\t")+"\"\n"))
		gitErr := exec.Command(git, "check-ref-format", "--branch", name).Run()
		if (perr == nil) != (gitErr == nil) {
			t.Errorf("sync.branch %q: pm says %v, git check-ref-format --branch says %v", name, perr, gitErr)
		}
	}
}

// TestZone: $TZ first (with POSIX's ":" and a zoneinfo path), then
// timezone:, then UTC; a TZ that names no zone is reported, not used.
func TestZone(t *testing.T) {
	berlin := Config{Timezone: "Europe/Berlin"}
	for _, tt := range []struct {
		cfg      Config
		tz, want string
		wantBad  bool
	}{
		{Config{}, "", "UTC", false},
		{berlin, "", "Europe/Berlin", false},
		{berlin, "America/Los_Angeles", "America/Los_Angeles", false},
		{berlin, ":Asia/Tokyo", "Asia/Tokyo", false},
		{berlin, "Mars/Olympus_Mons", "Europe/Berlin", true},
		{Config{}, "Local", "UTC", true},
	} {
		loc, bad := tt.cfg.Zone(tt.tz)
		if loc.String() != tt.want || (bad != "") != tt.wantBad {
			t.Errorf("Zone(%q) with timezone %q = %s, bad %q; want %s, bad %v", tt.tz, tt.cfg.Timezone, loc, bad, tt.want, tt.wantBad)
		}
	}
	if _, err := os.Stat("/usr/share/zoneinfo/Asia/Tokyo"); err == nil {
		if loc, bad := berlin.Zone("/usr/share/zoneinfo/Asia/Tokyo"); loc.String() != "Asia/Tokyo" || bad != "" {
			t.Errorf("Zone of a zoneinfo path = %s, bad %q", loc, bad)
		}
	}
}
