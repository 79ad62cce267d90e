package lint

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pm-tool/pm/internal/config"
	"github.com/pm-tool/pm/internal/incident"
)

func rulesOf(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%d:%s", f.Line, f.Rule))
	}
	return out
}

func TestSuppressions(t *testing.T) {
	for _, tc := range []struct {
		name string
		body string
		want []string // line:rule of the findings left, lines counted in body
	}{
		{"none", "It was careless.\nObviously.\n", []string{"1:blame-words", "2:hindsight"}},
		{"next line", "<!-- pm-lint-disable-next-line blame-words -->\nIt was careless.\nIt was careless.\n", []string{"3:blame-words"}},
		{"next line, other rule", "<!-- pm-lint-disable-next-line hindsight -->\nIt was careless.\n", []string{"2:blame-words"}},
		{"next line, all", "<!-- pm-lint-disable-next-line -->\nObviously careless.\n", nil},
		{"region", "It was careless.\n<!-- pm-lint-disable blame-words, hindsight -->\nIt was careless, obviously.\n<!-- pm-lint-enable blame-words -->\nIt was careless, obviously.\n",
			[]string{"1:blame-words", "5:blame-words"}},
		{"region, all", "<!-- pm-lint-disable -->\nIt was careless.\n<!-- pm-lint-enable -->\nObviously.\n", []string{"4:hindsight"}},
		{"enable one of all", "<!-- pm-lint-disable -->\nIt was careless.\n<!-- pm-lint-enable hindsight -->\nObviously careless.\n", []string{"4:hindsight"}},
		{"unknown rule", "<!-- pm-lint-disable-next-line blame-word -->\nIt was careless.\n", []string{"1:unknown-rule", "2:blame-words"}},
		{"unknown directive", "<!-- pm-lint-disabled blame-words -->\nIt was careless.\n", []string{"1:unknown-rule", "2:blame-words"}},
		{"in code, not a directive", "```\n<!-- pm-lint-disable -->\n```\nIt was careless.\n", []string{"4:blame-words"}},
		{"multi-line comment", "<!--\npm-lint-disable blame-words\n-->\nIt was careless.\n", nil},
		{"other comments", "<!-- a note -->\nIt was careless.\n", []string{"2:blame-words"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := investigating(tc.body)
			offset := strings.Count(investigating(""), "\n")
			var want []string
			for _, w := range tc.want {
				var n int
				var rule string
				fmt.Sscanf(strings.Replace(w, ":", " ", 1), "%d %s", &n, &rule)
				want = append(want, fmt.Sprintf("%d:%s", n+offset, rule))
			}
			if got := rulesOf(lintFindings(t, everyRuleOn(), src)); !slices.Equal(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}

// TestSuppressWholeFile: a disable comment before the first heading covers
// the frontmatter and file-level findings too.
func TestSuppressWholeFile(t *testing.T) {
	src := edit("severity: SEV2", "severity: P9", "# API returns 502", "<!-- pm-lint-disable frontmatter -->\n# API returns 502")
	if fs := lintFindings(t, config.DefaultConfig(), src); len(fs) > 0 {
		t.Errorf("suppressed: %+v", fs)
	}
	src = edit("severity: SEV2", "severity: P9", "## Summary", "<!-- pm-lint-disable frontmatter -->\n## Summary")
	if got := rulesOf(lintFindings(t, config.DefaultConfig(), src)); !slices.Equal(got, []string{"5:frontmatter"}) {
		t.Errorf("a disable after the title covers the frontmatter: %q", got)
	}
}

func TestLevelsFromConfig(t *testing.T) {
	src := investigating("It was careless, obviously. We should have checked.\n")
	cfg := config.DefaultConfig()
	cfg.Lint.Rules = map[string]string{"blame-words": "warning", "hindsight": "off", "counterfactual": "error"}
	got := map[string]Level{}
	for _, f := range lintFindings(t, cfg, src) {
		got[f.Rule] = f.Level
	}
	want := map[string]Level{"blame-words": Warning, "counterfactual": Error}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("levels %v, want %v", got, want)
	}
}

func TestUnknownRuleInConfig(t *testing.T) {
	cfg := config.DefaultConfig()
	cfg.Lint.Rules = map[string]string{"blame-word": "off"}
	_, err := New(cfg)
	var ce *config.ConfigError
	if !errors.As(err, &ce) || ce.Key != "lint.rules.blame-word" || !strings.Contains(err.Error(), `did you mean "blame-words"`) {
		t.Errorf("error %v", err)
	}
}

// TestEveryRuleIsDocumented: one place documents every rule pm can report,
// with a level, a summary and an explanation that says how to fix it.
func TestEveryRuleIsDocumented(t *testing.T) {
	docs := Docs()
	for _, name := range RuleNames() {
		d := docs[name]
		if d.Name != name || d.Summary == "" || len(d.Explanation) < 100 || (d.Level != Error && d.Level != Warning && d.Level != Info) {
			t.Errorf("%s: incomplete doc %+v", name, d)
		}
		if !strings.Contains(d.Explanation, "Fix") && !strings.Contains(d.Explanation, "Rewrite") {
			t.Errorf("%s: the explanation does not say how to fix", name)
		}
		text, ok := Explain(name)
		prefix := name + " (default level: " + string(d.Level) + ")"
		if ruleByName[name].off {
			prefix = name + " (off by default; lint.rules." + name + ": " + string(d.Level) + " turns it on)"
		}
		if !ok || !strings.HasPrefix(text, prefix) {
			t.Errorf("Explain(%s) = %q", name, text)
		}
	}
	for _, r := range languageRules {
		if ruleByName[r].effect == "" || ruleByName[r].rewrite == "" {
			t.Errorf("%s has no message or rewrite", r)
		}
	}
	if _, ok := Explain("nope"); ok {
		t.Error("Explain of an unknown rule")
	}
}

// everyRuleOn is the default configuration with the rules that are off by
// default turned on at their level.
func everyRuleOn() config.Config {
	cfg := config.DefaultConfig()
	cfg.Lint.Rules = map[string]string{}
	for _, r := range rules {
		if r.off {
			cfg.Lint.Rules[r.name] = string(r.level)
		}
	}
	return cfg
}

// TestEveryRuleFires makes sure no rule in the registry is dead: a document
// that breaks everything gets a finding of every rule.
func TestEveryRuleFires(t *testing.T) {
	broken := edit(
		"detected: 2026-11-24T09:12:00Z", "detected: 2026-11-24T09:05:00Z",
		"resolved: 2026-11-24T10:05:00Z", "resolved:",
		"services:", "servces:",
		"## Impact\n\nAll api clients, 09:10 to 09:31 UTC.\n", "",
		"Leases need an owner.", "_TODO: lessons_\n\n<!-- pm-lint-disable blame-wordz -->\n\nKevin forgot to renew it: human error, careless, obviously. We should have checked. password=hunter22\n\n<<<<<<< ours\nIt was\u202e fine.\n=======\n>>>>>>> theirs\n\n## Summary\n\nAgain.",
		"**refuted H1** memory", "**refuted H3** memory",
		"`2026-11-24T09:31:00Z` **mitigated**", "`2026-11-24T09:15:00Z` **mitigated**",
		"— @bob, due 2026-12-08, detect", "— detect",
		"commander: alice", "commander: alice # pm adopt: guessed from line 3; check it",
	)
	seen := map[string]bool{}
	for _, f := range lintFindings(t, everyRuleOn(), broken) {
		seen[f.Rule] = true
	}
	seen["parse"] = len(lintFindings(t, config.DefaultConfig(), "\x00")) == 1
	noItems := edit("- [ ] Alert 14 days before any credential lease expires — @bob, due 2026-12-08, detect\n", "")
	for _, f := range lintFindings(t, config.DefaultConfig(), noItems) {
		seen[f.Rule] = true
	}
	for _, name := range RuleNames() {
		if !seen[name] {
			t.Errorf("rule %s never fired", name)
		}
	}
}

func TestLintFiles(t *testing.T) {
	files := map[string][]byte{
		"postmortems/2026-11-24-api.md":             []byte(investigating("It was careless.\n")),
		"postmortems/2026-11-24-api-returns-502.md": []byte(resolvedDoc),
		"postmortems/empty.md":                      nil,
		"postmortems/bin.md":                        {0x89, 'P', 'N', 'G', 0, 0, 0},
		"postmortems/gone.md":                       nil,
		"postmortems/huge.md":                       nil,
	}
	read := func(p string) ([]byte, error) {
		switch p {
		case "postmortems/gone.md":
			return nil, fs.ErrPermission
		case "postmortems/huge.md":
			return nil, &incident.ParseError{Path: p, Line: 1, Msg: "is 40 MB, larger than the 32 MB pm reads"}
		}
		return files[p], nil
	}
	var paths []string
	for p := range files {
		paths = append(paths, p)
	}
	e, err := New(config.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	r := e.LintFiles(paths, read)
	var got []string
	for _, f := range r.Findings {
		got = append(got, fmt.Sprintf("%s:%d %s", f.Path, f.Line, f.Rule))
	}
	want := []string{
		"postmortems/2026-11-24-api.md:15 blame-words",
		"postmortems/bin.md:1 parse",
		"postmortems/empty.md:1 frontmatter",
		"postmortems/gone.md:1 parse",
		"postmortems/huge.md:1 parse",
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !slices.IsSorted(r.Files) || len(r.Files) != len(files) || len(r.RuleDocs) != len(rules) {
		t.Errorf("files %q, %d rule docs", r.Files, len(r.RuleDocs))
	}
}

// TestHugeFile lints a 10 MB post-mortem (a giant pasted log and a lot of
// prose): it must finish in reasonable time and find what is there.
func TestHugeFile(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(investigating("It was careless.\n\n```\n"))
	for b.Len() < 5<<20 {
		b.WriteString("2026-11-24T09:14:03Z ERROR upstream connect() failed (111: Connection refused) while connecting to upstream\n")
	}
	b.WriteString("```\n\n")
	for b.Len() < 10<<20 {
		b.WriteString("The renewal job ran on one host only, and nothing alerted on its failures; the dashboard showed it.\n")
	}
	b.WriteString("Obviously.\n")
	start := time.Now()
	fs := lintFindings(t, everyRuleOn(), b.String())
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("10 MB took %v", d)
	}
	if got := rulesOf(fs); len(got) != 2 || !strings.HasSuffix(got[0], ":blame-words") || !strings.HasSuffix(got[1], ":hindsight") {
		t.Errorf("findings %q", got)
	}
}

// FuzzLint: no input makes the engine panic, and every finding lies inside
// the file.
func FuzzLint(f *testing.F) {
	f.Add(resolvedDoc)
	f.Add(investigating("Kevin forgot to renew it. <!-- pm-lint-disable-next-line -->\n`x` [a](b) <b>c</b> https://x.y\n> quote\n    code\n"))
	f.Add("---\n---\n")
	f.Add("\ufeff---\r\nid: x\r\n---\r\n# T\r\n\r\ncareless\r\n")
	f.Add("<!-- pm-lint-disable")
	// the sentence readers of the language rules (sense.go, suggest.go)
	f.Add(investigating("A tired engineer, working late, ran rm -rf on the wrong server. Root cause: user\nby a new intern\n" +
		"rather then just, just\n### What could have gone better?\nIt should have been addressed which\nThe culprit was Bob. Bob was the culprit\n" +
		"Testing the app would have. If only. Kevin forgot to. careless and\nAlice's change caused — @bob broke, the team but missed\nby"))
	f.Add(investigating("<<<<<<< a\nhu\u200bman \u202eer\u200dror 👩\u200d💻 `\u200b`\x1b\u009b\n=======\n>>>>>>> b\n### Action items\n##Investigation log\n## Summary\n## summary\n- [ ] x — @a, due 2026-02-30\n"))
	e, err := New(config.DefaultConfig())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src string) {
		lines := strings.Split(strings.TrimPrefix(src, "\ufeff"), "\n")
		if strings.HasSuffix(src, "\n") && len(lines) > 1 {
			lines = lines[:len(lines)-1]
		}
		for _, fd := range e.Lint("x.md", []byte(src)) {
			if fd.Line < 1 || fd.Line > len(lines) {
				t.Fatalf("line %d outside 1..%d: %+v", fd.Line, len(lines), fd)
			}
			if n := utf8.RuneCountInString(strings.TrimSuffix(lines[fd.Line-1], "\r")); fd.Column < 1 || fd.Column > n+1 {
				t.Fatalf("column %d outside 1..%d on line %d: %+v", fd.Column, n+1, fd.Line, fd)
			}
			if fd.EndLine != 0 && (fd.EndLine < fd.Line || fd.EndLine > len(lines) || (fd.EndLine == fd.Line && fd.EndColumn < fd.Column)) {
				t.Fatalf("bad end: %+v", fd)
			}
		}
	})
}

// TestReadmeListsEveryRule: the lint rules table of the README names every
// rule with its default level, so a new rule cannot ship undocumented.
func TestReadmeListsEveryRule(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{} // rule -> level column
	for _, l := range strings.Split(string(readme), "\n") {
		cells := strings.Split(l, "|")
		if len(cells) < 5 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue
		}
		for _, name := range strings.Split(cells[1], ",") {
			rows[strings.Trim(strings.TrimSpace(name), "`")] = strings.TrimSpace(cells[2])
		}
	}
	for _, name := range RuleNames() {
		if name == "unknown-rule" {
			continue // described under suppression comments
		}
		if lv, ok := rows[name]; !ok || lv != string(ruleByName[name].level) {
			t.Errorf("README rule table: %s has level %q, want a row with %s", name, lv, ruleByName[name].level)
		}
	}
}
