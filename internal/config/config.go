package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// ConfigFile is the name of the optional configuration file at the root of
// the repository.
const ConfigFile = ".pm.yml"

// Config is the content of .pm.yml. Every field has a default (see
// DefaultConfig), so a repository without the file works the same as one
// with an empty file.
type Config struct {
	// Folder holds one markdown file per incident, relative to the root,
	// with forward slashes; it always stays inside the repository.
	Folder string
	// IDScheme is "date-slug" (2026-11-24-api-returns-502) or "sequential"
	// (INC-0042).
	IDScheme string
	// IDPrefix starts sequential ids.
	IDPrefix string
	// Severities lists the severity levels, worst first.
	Severities []string
	// DefaultSeverity is given to a new incident without --severity; it is
	// always one of Severities.
	DefaultSeverity string
	// Template is the template pm new uses without --template.
	Template string
	// Timezone is the IANA name used to read times typed as HH:MM; files
	// always store UTC.
	Timezone string
	// Guide: after each writing command pm names the method's next step
	// (issue 20); `guide: off` silences it for the team, PM_GUIDE=0 for one
	// person.
	Guide bool
	// DependsOn maps a system to the systems it depends on, as the team
	// knows its architecture: after a refuted hypothesis the guide names
	// them, and the systems that depend on the one that failed, as where
	// to observe next, one step further away. Optional.
	DependsOn map[string][]string
	Lint      LintConfig
	Site      SiteConfig
	Sync      SyncConfig
}

// SyncConfig is how a clone shares incidents through the team's remote
// (issue 14). `sync: auto` is the short form of `sync: {mode: auto}`.
type SyncConfig struct {
	// Mode is "off" (share with pm sync only) or "auto" (every writing
	// command shares its commit right after making it).
	Mode string
	// Wait bounds each fetch and push of an automatic share, so that a slow
	// network never holds a responder up for long: past it the entry is
	// committed here and "not shared yet".
	Wait time.Duration
	// Branch, when set, is the branch incidents live on, apart from the
	// user's checkout (sync.branch): for teams whose main branch is
	// protected. pm keeps a checkout of it of its own (repo.BranchCheckout).
	Branch string
}

// SyncModes are the values of sync.mode.
var SyncModes = []string{"off", "auto"}

// LintConfig holds the lint settings of .pm.yml.
type LintConfig struct {
	// Rules maps a rule name to its level: error, warning, info or off. Rule
	// names are checked by the lint package, which knows them.
	Rules map[string]string
	Words WordsConfig
	// RequiredSections are the headings a resolved incident must have,
	// matched case-insensitively.
	RequiredSections []string
	// SectionAliases maps a section pm knows (one of RequiredSections, or
	// "Action items") to other headings that count as it, besides the
	// built-in ones of the lint package: {Action items: [Follow-ups]}. Keys
	// are as written in .pm.yml; lint matches them case-insensitively.
	SectionAliases map[string][]string
}

// WordsConfig extends or relaxes the word lists of the language rules.
type WordsConfig struct {
	// Extra maps a rule name to phrases it flags in addition to its own.
	Extra map[string][]string
	// Allow lists phrases no language rule flags.
	Allow []string
}

// SiteConfig holds the settings of pm site.
type SiteConfig struct {
	Title string
	// BaseURL is the absolute http(s) URL the site is served from, used
	// where a link must be absolute (the feed); empty means unknown.
	BaseURL string
}

// LintLevels are the levels a lint rule can be set to, most severe first.
var LintLevels = []string{"error", "warning", "info", "off"}

// IDSchemes are the accepted values of id_scheme.
var IDSchemes = []string{"date-slug", "sequential"}

// DefaultConfig returns the configuration of a repository without .pm.yml.
// Each call returns fresh slices and maps, so callers may modify them.
func DefaultConfig() Config {
	return Config{
		Folder:          "postmortems",
		IDScheme:        "date-slug",
		IDPrefix:        "INC-",
		Severities:      []string{"SEV1", "SEV2", "SEV3", "SEV4"},
		DefaultSeverity: "SEV3",
		Template:        "default",
		Timezone:        "UTC",
		Guide:           true,
		DependsOn:       map[string][]string{},
		Lint: LintConfig{
			Rules: map[string]string{},
			Words: WordsConfig{Extra: map[string][]string{}, Allow: []string{}},
			RequiredSections: []string{
				"Summary", "Impact", "Timeline", "Contributing factors", "Action items",
			},
			SectionAliases: map[string][]string{},
		},
		Site: SiteConfig{Title: "Post-mortems"},
		Sync: SyncConfig{Mode: "off", Wait: 2 * time.Second},
	}
}

// Location returns the time zone of Timezone, or UTC if it cannot be
// loaded (ParseConfig has already rejected names that do not load).
func (c Config) Location() *time.Location {
	if loc, err := time.LoadLocation(c.Timezone); err == nil && c.Timezone != "" {
		return loc
	}
	return time.UTC
}

// Zone is the time zone of the person running pm, in which times they
// type are read and times are shown: tz (the value of $TZ) when set and
// known, else Timezone, else UTC. $TZ comes first because it is the
// responder's own clock; Timezone is the team's, for whoever has no TZ
// (CI, a server). tz may start with ":" as POSIX allows, and may be a
// zoneinfo file's path. bad is tz when it was set but names no zone.
func (c Config) Zone(tz string) (loc *time.Location, bad string) {
	name := strings.TrimPrefix(tz, ":")
	if name == "" {
		return c.Location(), ""
	}
	if filepath.IsAbs(name) {
		if data, err := os.ReadFile(name); err == nil {
			if l, err := time.LoadLocationFromTZData(strings.TrimPrefix(name, "/usr/share/zoneinfo/"), data); err == nil {
				return l, ""
			}
		}
	} else if l, err := time.LoadLocation(name); err == nil && name != "Local" {
		return l, ""
	}
	return c.Location(), tz
}

// ConfigError is a problem in .pm.yml: an unknown key, a bad value or
// invalid YAML. It is typed so callers need not parse the message.
type ConfigError struct {
	File string
	Line int    // 1-based; 0 when no line applies
	Key  string // dotted path such as "lint.rules.blame-words"; empty for YAML syntax errors
	Msg  string // the whole message, already naming the key
}

func (e *ConfigError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// LoadConfig reads root/.pm.yml; without the file it returns DefaultConfig.
func LoadConfig(root string) (Config, error) {
	data, err := os.ReadFile(filepath.Join(root, ConfigFile))
	if errors.Is(err, fs.ErrNotExist) {
		return DefaultConfig(), nil
	}
	if err != nil {
		return Config{}, fmt.Errorf("read %s: %w", ConfigFile, err)
	}
	return ParseConfig(ConfigFile, data)
}

// ParseConfig parses the content of a .pm.yml; file is the name shown in
// errors. Keys that are absent or empty keep their defaults. The first
// problem found, in file order, is returned as a *ConfigError.
func ParseConfig(file string, data []byte) (cfg Config, err error) {
	defer func() {
		if r := recover(); r != nil { // a yaml.v3 bug on odd input; report, do not crash
			cfg, err = Config{}, &ConfigError{File: file, Msg: fmt.Sprintf("invalid YAML: %v", r)}
		}
	}()
	cfg = DefaultConfig()
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return cfg, nil
		}
		return Config{}, syntaxError(file, data, err)
	}
	var next yaml.Node
	if err := dec.Decode(&next); err != io.EOF {
		if err != nil {
			return Config{}, syntaxError(file, data, err)
		}
		return Config{}, &ConfigError{File: file, Line: max(next.Line, 0),
			Msg: "only one YAML document is allowed; remove the second ---"}
	}
	d := &configDecoder{file: file, cfg: &cfg}
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return cfg, nil
		}
		root = root.Content[0]
	}
	if isNull(root) {
		return cfg, nil
	}
	if err := d.mapping(root, "", topFields); err != nil {
		return Config{}, err
	}
	if err := d.crossCheck(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// configDecoder walks the yaml.Node tree of .pm.yml so every error can name
// its key and line.
type configDecoder struct {
	file string
	cfg  *Config
	// lines of the keys whose values are checked against each other
	severitiesLine, defaultSeverityLine int
	// aliasKeys are the keys of lint.section_aliases, checked against
	// lint.required_sections once the whole file is read
	aliasKeys []aliasKey
}

// aliasKey is one key of lint.section_aliases with the nodes of its
// headings, for the lines of errors.
type aliasKey struct {
	name  string
	key   *yaml.Node
	items []*yaml.Node
}

// ActionsSection is the section of action items: lint always knows it,
// whether lint.required_sections lists it or not.
const ActionsSection = "Action items"

// field is one known key of a mapping and how to decode its value.
type field struct {
	name   string
	decode func(d *configDecoder, key string, val *yaml.Node) error
}

var topFields = []field{
	{"folder", func(d *configDecoder, key string, v *yaml.Node) error {
		s, err := d.str(key, v)
		if err != nil {
			return err
		}
		folder, msg := cleanFolder(s)
		if msg != "" {
			return d.errf(v, key, "%s: %q %s", key, s, msg)
		}
		d.cfg.Folder = folder
		return nil
	}},
	{"id_scheme", func(d *configDecoder, key string, v *yaml.Node) error {
		s, err := d.str(key, v)
		if err != nil {
			return err
		}
		if !slices.Contains(IDSchemes, s) {
			return d.errf(v, key, "%s: %q is not one of %s", key, s, strings.Join(IDSchemes, ", "))
		}
		d.cfg.IDScheme = s
		return nil
	}},
	{"id_prefix", func(d *configDecoder, key string, v *yaml.Node) error {
		s, err := d.str(key, v)
		if err != nil {
			return err
		}
		if !idPrefixRE.MatchString(s) {
			return d.errf(v, key, "%s: %q may contain only letters, digits, '.', '_' and '-' (it starts file names)", key, s)
		}
		d.cfg.IDPrefix = s
		return nil
	}},
	{"severities", func(d *configDecoder, key string, v *yaml.Node) error {
		list, err := d.names(key, v, "severity", false)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return d.errf(v, key, "%s: the list is empty; give at least one, worst first, e.g. [SEV1, SEV2, SEV3]", key)
		}
		d.cfg.Severities = list
		d.severitiesLine = v.Line
		return nil
	}},
	{"default_severity", func(d *configDecoder, key string, v *yaml.Node) error {
		s, err := d.str(key, v)
		if err != nil {
			return err
		}
		d.cfg.DefaultSeverity = s
		d.defaultSeverityLine = v.Line
		return nil
	}},
	{"template", func(d *configDecoder, key string, v *yaml.Node) error {
		s, err := d.str(key, v)
		if err != nil {
			return err
		}
		if err := CheckTemplateName(s); err != nil {
			return d.errf(v, key, "%s: %v", key, err)
		}
		d.cfg.Template = s
		return nil
	}},
	{"timezone", func(d *configDecoder, key string, v *yaml.Node) error {
		s, err := d.str(key, v)
		if err != nil {
			return err
		}
		if s == "Local" {
			return d.errf(v, key, "%s: \"Local\" differs from machine to machine; use an IANA name such as Europe/Paris or UTC", key)
		}
		if _, err := time.LoadLocation(s); err != nil || s == "" {
			return d.errf(v, key, "%s: unknown time zone %q; use an IANA name such as Europe/Paris or UTC", key, s)
		}
		d.cfg.Timezone = s
		return nil
	}},
	{"guide", func(d *configDecoder, key string, v *yaml.Node) error {
		s, err := d.str(key, v)
		if err != nil {
			return err
		}
		switch strings.ToLower(s) {
		case "on", "true":
			d.cfg.Guide = true
		case "off", "false":
			d.cfg.Guide = false
		default:
			return d.errf(v, key, "%s: %q is not on or off", key, s)
		}
		return nil
	}},
	{"depends_on", func(d *configDecoder, key string, v *yaml.Node) error {
		deps := map[string][]string{}
		err := d.eachKey(v, key, func(name string, k, val *yaml.Node) error {
			sub := key + "." + name
			if r := resolveAlias(val); r.Kind == yaml.ScalarNode && !isNull(r) {
				val = &yaml.Node{Kind: yaml.SequenceNode, Line: r.Line, Column: r.Column, Content: []*yaml.Node{r}}
			}
			list, err := d.names(sub, val, "system", false)
			if err != nil {
				return err
			}
			deps[name] = list
			return nil
		})
		if err != nil {
			return err
		}
		d.cfg.DependsOn = deps
		return nil
	}},
	{"lint", func(d *configDecoder, key string, v *yaml.Node) error {
		return d.mapping(v, key, lintFields)
	}},
	{"site", func(d *configDecoder, key string, v *yaml.Node) error {
		return d.mapping(v, key, siteFields)
	}},
	{"sync", func(d *configDecoder, key string, v *yaml.Node) error {
		if v.Kind == yaml.ScalarNode {
			return d.syncMode(key, v)
		}
		return d.mapping(v, key, syncFields)
	}},
}

var syncFields = []field{
	{"mode", func(d *configDecoder, key string, v *yaml.Node) error { return d.syncMode(key, v) }},
	{"wait", func(d *configDecoder, key string, v *yaml.Node) error {
		s, err := d.str(key, v)
		if err != nil {
			return err
		}
		w, perr := time.ParseDuration(s)
		if perr != nil || w <= 0 || w > time.Minute {
			return d.errf(v, key, "%s: %q is not a wait pm can use; give a duration such as 2s (at most 1m)", key, s)
		}
		d.cfg.Sync.Wait = w
		return nil
	}},
	{"branch", func(d *configDecoder, key string, v *yaml.Node) error {
		s, err := d.str(key, v)
		if err != nil {
			return err
		}
		if why := badBranchName(s); why != "" {
			return d.errf(v, key, "%s: %q is not a branch name git accepts (%s); use a name such as incidents", key, s, why)
		}
		d.cfg.Sync.Branch = s
		return nil
	}},
}

// badBranchName says why git would refuse s as a branch name (the rules
// of git check-ref-format --branch), or "" when it would not.
func badBranchName(s string) string {
	switch {
	case s == "":
		return "it is empty"
	case strings.HasPrefix(s, "-"):
		return "it starts with -"
	case s == "HEAD":
		return "it is a name git reserves"
	case strings.Contains(s, "..") || strings.Contains(s, "@{") || strings.Contains(s, "//"):
		return "it has .., @{ or //"
	case strings.HasPrefix(s, "/") || strings.HasSuffix(s, "/") || strings.HasSuffix(s, "."):
		return "it starts or ends with / or ends with ."
	case strings.ContainsAny(s, " ~^:?*[\\\x7f"):
		return "it has a space or one of ~^:?*[\\"
	}
	for _, part := range strings.Split(s, "/") {
		if strings.HasPrefix(part, ".") || strings.HasSuffix(part, ".lock") {
			return "a part starts with . or ends with .lock"
		}
	}
	for _, c := range s {
		if c < 0x20 {
			return "it has a control character"
		}
	}
	return ""
}

// syncMode decodes sync.mode (or the short form sync: MODE).
func (d *configDecoder) syncMode(key string, v *yaml.Node) error {
	s, err := d.str(key, v)
	if err != nil {
		return err
	}
	if !slices.Contains(SyncModes, s) {
		return d.errf(v, key, "%s: %q is not one of %s", key, s, strings.Join(SyncModes, ", "))
	}
	d.cfg.Sync.Mode = s
	return nil
}

var lintFields = []field{
	{"rules", func(d *configDecoder, key string, v *yaml.Node) error {
		rules := map[string]string{}
		err := d.eachKey(v, key, func(name string, k, val *yaml.Node) error {
			sub := key + "." + name
			s, err := d.str(sub, val)
			if err != nil {
				return err
			}
			level := strings.ToLower(s)
			if !slices.Contains(LintLevels, level) {
				return d.errf(val, sub, "%s: level %q is not one of %s", sub, s, strings.Join(LintLevels, ", "))
			}
			rules[name] = level
			return nil
		})
		if err != nil {
			return err
		}
		d.cfg.Lint.Rules = rules
		return nil
	}},
	{"words", func(d *configDecoder, key string, v *yaml.Node) error {
		return d.mapping(v, key, wordsFields)
	}},
	{"required_sections", func(d *configDecoder, key string, v *yaml.Node) error {
		list, err := d.names(key, v, "section", true)
		if err != nil {
			return err
		}
		d.cfg.Lint.RequiredSections = list
		return nil
	}},
	{"section_aliases", func(d *configDecoder, key string, v *yaml.Node) error {
		aliases := map[string][]string{}
		d.aliasKeys = nil
		err := d.eachKey(v, key, func(name string, k, val *yaml.Node) error {
			sub := key + "." + name
			if r := resolveAlias(val); r.Kind == yaml.ScalarNode && !isNull(r) {
				val = &yaml.Node{Kind: yaml.SequenceNode, Line: r.Line, Column: r.Column, Content: []*yaml.Node{r}}
			}
			if isNull(val) {
				val = &yaml.Node{Kind: yaml.SequenceNode, Line: k.Line, Column: k.Column}
			}
			if strings.HasPrefix(name, "#") {
				return d.errf(k, sub, "%s: write the section %q without its leading #", key, name)
			}
			for prev := range aliases {
				if strings.EqualFold(prev, name) {
					return d.errf(k, sub, "%s: section %q is listed twice (also as %q); keep one", key, name, prev)
				}
			}
			list, err := d.names(sub, val, "heading", true)
			if err != nil {
				return err
			}
			aliases[name] = list
			d.aliasKeys = append(d.aliasKeys, aliasKey{name: name, key: k, items: resolveAlias(val).Content})
			return nil
		})
		if err != nil {
			return err
		}
		d.cfg.Lint.SectionAliases = aliases
		return nil
	}},
}

var wordsFields = []field{
	{"extra", func(d *configDecoder, key string, v *yaml.Node) error {
		extra := map[string][]string{}
		err := d.eachKey(v, key, func(name string, k, val *yaml.Node) error {
			sub := key + "." + name
			list, err := d.phrases(sub, val)
			if err != nil {
				return err
			}
			extra[name] = list
			return nil
		})
		if err != nil {
			return err
		}
		d.cfg.Lint.Words.Extra = extra
		return nil
	}},
	{"allow", func(d *configDecoder, key string, v *yaml.Node) error {
		list, err := d.phrases(key, v)
		if err != nil {
			return err
		}
		d.cfg.Lint.Words.Allow = list
		return nil
	}},
}

var siteFields = []field{
	{"title", func(d *configDecoder, key string, v *yaml.Node) error {
		s, err := d.str(key, v)
		if err != nil {
			return err
		}
		if strings.TrimSpace(s) == "" {
			return d.errf(v, key, "%s: is empty; give the site a title or remove the key", key)
		}
		d.cfg.Site.Title = s
		return nil
	}},
	{"base_url", func(d *configDecoder, key string, v *yaml.Node) error {
		s, err := d.str(key, v)
		if err != nil {
			return err
		}
		if s != "" {
			u, err := url.Parse(s)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return d.errf(v, key, "%s: %q is not an absolute http(s) URL such as https://example.com/postmortems/", key, s)
			}
		}
		d.cfg.Site.BaseURL = s
		return nil
	}},
}

var idPrefixRE = regexp.MustCompile(`^[A-Za-z0-9._-]*$`)

// mapping decodes a mapping node whose keys must be among fields. A key
// whose value is empty (null) keeps its default.
func (d *configDecoder) mapping(n *yaml.Node, path string, fields []field) error {
	return d.eachKey(n, path, func(name string, k, v *yaml.Node) error {
		i := slices.IndexFunc(fields, func(f field) bool { return f.name == name })
		if i < 0 {
			return d.unknownKey(k, path, name, fields)
		}
		if isNull(v) {
			return nil
		}
		return fields[i].decode(d, join(path, name), v)
	})
}

// eachKey calls fn for every key of the mapping n, in file order, after
// checking that n is a mapping, that keys are plain strings and that none
// repeats.
func (d *configDecoder) eachKey(n *yaml.Node, path string, fn func(name string, k, v *yaml.Node) error) error {
	orig := n
	n = resolveAlias(n)
	if n.Kind != yaml.MappingNode {
		what := "the file"
		if path != "" {
			what = path
		}
		return d.errf(orig, path, "%s: expected keys with values (like %s), got %s", what, exampleOf(path), kindName(n))
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return d.errf(k, path, "%s: a key must be a plain name, got %s", orDoc(path), kindName(k))
		}
		if k.Tag == "!!merge" {
			return d.errf(k, join(path, k.Value), "merge keys (<<) are not supported in %s; write the keys out", d.file)
		}
		if first, dup := seen[k.Value]; dup {
			return d.errf(k, join(path, k.Value), "key %q appears twice (first on line %d); keep one", join(path, k.Value), first)
		}
		seen[k.Value] = k.Line
		if strings.TrimSpace(k.Value) == "" {
			return d.errf(k, path, "%s: empty key", orDoc(path))
		}
		if err := fn(k.Value, k, v); err != nil {
			return err
		}
	}
	return nil
}

func (d *configDecoder) unknownKey(k *yaml.Node, path, name string, fields []field) error {
	known := make([]string, len(fields))
	for i, f := range fields {
		known[i] = f.name
	}
	where := ""
	if path != "" {
		where = " under " + path
	}
	hint := ""
	if s := Closest(name, known); s != "" {
		hint = fmt.Sprintf("did you mean %q? ", s)
	}
	return d.errf(k, join(path, name), "unknown key %q (%sknown keys%s: %s)",
		join(path, name), hint, where, strings.Join(known, ", "))
}

// str returns the value of a key that takes one string.
func (d *configDecoder) str(key string, v *yaml.Node) (string, error) {
	r := resolveAlias(v)
	if r.Kind != yaml.ScalarNode {
		return "", d.errf(v, key, "%s: expected a single value, got %s", key, kindName(r))
	}
	return r.Value, nil
}

// list returns the items of a key that takes a list of strings; empty items
// are refused.
func (d *configDecoder) list(key string, v *yaml.Node, what string) ([]string, error) {
	r := resolveAlias(v)
	if r.Kind != yaml.SequenceNode {
		return nil, d.errf(v, key, "%s: expected a list such as [a, b], got %s", key, kindName(r))
	}
	out := []string{}
	for _, item := range r.Content {
		ri := resolveAlias(item)
		if ri.Kind != yaml.ScalarNode || isNull(ri) {
			return nil, d.errf(item, key, "%s: each %s must be a single value, got %s", key, what, kindName(ri))
		}
		if strings.TrimSpace(ri.Value) == "" {
			return nil, d.errf(item, key, "%s: empty %s; remove it", key, what)
		}
		out = append(out, ri.Value)
	}
	return out, nil
}

// names is list for values that identify something (severities, section
// headings): duplicates, ignoring case, are refused.
func (d *configDecoder) names(key string, v *yaml.Node, what string, heading bool) ([]string, error) {
	list, err := d.list(key, v, what)
	if err != nil {
		return nil, err
	}
	items := resolveAlias(v).Content
	for i, s := range list {
		if heading && strings.HasPrefix(s, "#") {
			return nil, d.errf(items[i], key, "%s: write the heading %q without its leading #", key, s)
		}
		if strings.TrimSpace(s) != s {
			return nil, d.errf(items[i], key, "%s: %s %q has leading or trailing spaces", key, what, s)
		}
		for _, prev := range list[:i] {
			if strings.EqualFold(prev, s) {
				return nil, d.errf(items[i], key, "%s: %s %q is listed twice", key, what, s)
			}
		}
	}
	return list, nil
}

func (d *configDecoder) phrases(key string, v *yaml.Node) ([]string, error) {
	if isNull(v) {
		return []string{}, nil
	}
	return d.list(key, v, "phrase")
}

// crossCheck validates values that depend on each other, once every key has
// been read.
func (d *configDecoder) crossCheck() error {
	if err := d.checkAliases(); err != nil {
		return err
	}
	c := d.cfg
	if slices.Contains(c.Severities, c.DefaultSeverity) {
		return nil
	}
	sevs := strings.Join(c.Severities, ", ")
	if d.defaultSeverityLine > 0 {
		return &ConfigError{File: d.file, Line: d.defaultSeverityLine, Key: "default_severity",
			Msg: fmt.Sprintf("default_severity: %q is not one of the severities (%s)", c.DefaultSeverity, sevs)}
	}
	return &ConfigError{File: d.file, Line: d.severitiesLine, Key: "default_severity",
		Msg: fmt.Sprintf("severities: the default severity %q is not in the list; add default_severity: with one of %s", c.DefaultSeverity, sevs)}
}

// checkAliases holds lint.section_aliases to the sections lint knows: each
// key names a required section or the action items, no heading is another
// required section's own name, and none counts for two sections.
func (d *configDecoder) checkAliases() error {
	known := append(slices.Clone(d.cfg.Lint.RequiredSections), ActionsSection)
	const key = "lint.section_aliases"
	owner := map[string]string{} // lower-case heading -> the section it counts as
	for _, ak := range d.aliasKeys {
		sub := key + "." + ak.name
		if !slices.ContainsFunc(known, func(k string) bool { return strings.EqualFold(k, ak.name) }) {
			hint, lower := "", make([]string, len(known))
			for i, k := range known {
				lower[i] = strings.ToLower(k)
			}
			if c := Closest(ak.name, lower); c != "" {
				hint = fmt.Sprintf("did you mean %q? ", known[slices.Index(lower, c)])
			}
			return d.errf(ak.key, sub, "%s: %q is not a section lint looks for (%sthe sections: %s; lint.required_sections sets them)",
				key, ak.name, hint, strings.Join(uniqueFold(known), ", "))
		}
		for i, h := range d.cfg.Lint.SectionAliases[ak.name] {
			if j := slices.IndexFunc(known, func(k string) bool { return strings.EqualFold(k, h) }); j >= 0 {
				return d.errf(ak.items[i], sub, "%s: %q is the name of the section %q itself, not another name for %q; remove it", sub, h, known[j], ak.name)
			}
			if prev, dup := owner[strings.ToLower(h)]; dup {
				return d.errf(ak.items[i], sub, "%s: %q is already another name for %q; a heading counts for one section", sub, h, prev)
			}
			owner[strings.ToLower(h)] = ak.name
		}
	}
	return nil
}

// uniqueFold drops the names that repeat one before them, ignoring case.
func uniqueFold(names []string) []string {
	var out []string
	for _, n := range names {
		if !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, n) }) {
			out = append(out, n)
		}
	}
	return out
}

func (d *configDecoder) errf(n *yaml.Node, key, format string, args ...any) error {
	return &ConfigError{File: d.file, Line: max(n.Line, 0), Key: key, Msg: fmt.Sprintf(format, args...)}
}

// cleanFolder checks the folder setting and returns it cleaned, with
// forward slashes; msg says what is wrong, or is empty.
func cleanFolder(s string) (folder, msg string) {
	p := strings.ReplaceAll(s, `\`, "/")
	if strings.TrimSpace(p) == "" {
		return "", "is empty; name a folder such as postmortems"
	}
	if path.IsAbs(p) || filepath.IsAbs(s) || (len(p) >= 2 && p[1] == ':') {
		return "", "must be relative to the repository root, such as postmortems or docs/incidents"
	}
	c := path.Clean(p)
	switch {
	case c == ".":
		return "", "is the repository root; name a folder inside it, such as postmortems"
	case c == ".." || strings.HasPrefix(c, "../"):
		return "", "leaves the repository; name a folder inside it, such as postmortems"
	case c == ".git" || strings.HasPrefix(c, ".git/"):
		return "", "is inside .git; name another folder, such as postmortems"
	}
	return c, ""
}

// CheckTemplateName refuses names that could reach outside the templates
// folder.
func CheckTemplateName(name string) error {
	switch {
	case name == "":
		return errors.New("template name is empty")
	case strings.ContainsAny(name, `/\`) || strings.Contains(name, "..") || strings.ContainsRune(name, 0):
		return fmt.Errorf("template name %q must be a plain name such as default, without / or .. in it", name)
	case strings.HasPrefix(name, "."):
		return fmt.Errorf("template name %q must not start with a dot", name)
	}
	return nil
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	n = resolveAlias(n)
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "keys with values"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if isNull(n) {
			return "nothing"
		}
		return fmt.Sprintf("the value %q", n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "nothing"
}

func exampleOf(path string) string {
	switch path {
	case "":
		return "folder: postmortems"
	case "lint":
		return "required_sections: [Summary]"
	case "lint.rules":
		return "hindsight: off"
	case "lint.words":
		return "allow: [kill switch]"
	case "lint.words.extra":
		return "blame-words: [cowboy]"
	case "lint.section_aliases":
		return "Action items: [Follow-ups]"
	case "site":
		return "title: Post-mortems"
	case "depends_on":
		return "api: [db, cache]"
	}
	return "key: value"
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func orDoc(path string) string {
	if path == "" {
		return "the file"
	}
	return path
}

// syntaxError turns a yaml.v3 syntax error into a ConfigError with the line
// of the problem and a hint.
func syntaxError(file string, data []byte, err error) error {
	line, msg := YAMLError(data, err)
	return &ConfigError{File: file, Line: line, Msg: "invalid YAML: " + msg}
}

// DefaultConfigYAML returns the .pm.yml that pm init writes: every key with
// its default and a comment, so the file documents itself.
func DefaultConfigYAML() []byte {
	return []byte(defaultConfigYAML)
}

const defaultConfigYAML = `# pm configuration. Every key is optional; a key left out keeps the default shown here.

# Folder, relative to the repository root, that holds one markdown file per incident.
folder: postmortems

# How pm new names incidents: date-slug (2026-11-24-api-returns-502) or sequential (INC-0042).
id_scheme: date-slug

# Start of sequential ids; used only when id_scheme is sequential.
id_prefix: INC-

# Severity levels, worst first.
severities: [SEV1, SEV2, SEV3, SEV4]

# Severity of a new incident when pm new gets no --severity; one of the severities above.
default_severity: SEV3

# Template pm new uses without --template: default, sre, minimal, or NAME for <folder>/templates/NAME.md.
template: default

# Time zone (an IANA name such as Europe/Paris) for times typed as HH:MM; files always store UTC.
timezone: UTC

# After each entry pm names the next step of the method (observe, orient, decide, act); off silences it.
guide: on

# Which systems each system depends on, e.g. {api: [db, cache]}: after a refuted hypothesis
# the guide suggests observing these neighbours of what failed, one step further away.
depends_on: {}

# Settings of pm lint.
lint:
  # Levels that replace a rule's own (error, warning, info or off), e.g. {hindsight: off}.
  rules: {}
  # Word lists of the language rules.
  words:
    # Phrases a rule flags besides its own, e.g. {blame-words: [cowboy]}.
    extra: {}
    # Phrases no language rule flags, e.g. [kill switch].
    allow: []
  # Headings a resolved or closed incident must have (case does not matter).
  required_sections: [Summary, Impact, Timeline, Contributing factors, Action items]
  # Other headings that count as a section, besides the built-in ones (pm lint --explain
  # required-sections lists them), e.g. {Action items: [Follow-ups, Next steps]}.
  section_aliases: {}

# Settings of pm site.
site:
  # Title of the site.
  title: Post-mortems
  # Absolute URL the site is served from, for links in the feed; empty if unknown.
  base_url: ""

# Sharing incidents through the team's git remote (pm sync).
sync:
  # off: share with pm sync; auto: every writing command shares its commit right after making it.
  mode: off
  # How long an automatic share waits for each fetch and push before saying "not shared yet".
  wait: 2s
  # A branch of their own for the incident files, where main is protected: pm keeps a checkout of it
  # in .git/pm/worktrees and never touches yours. Unset: the incidents are on the current branch.
  # branch: incidents
`
