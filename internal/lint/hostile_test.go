package lint

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pm-tool/pm/internal/config"
)

// The rules of this file answer the hostile-input corpus of issue 7
// (internal/cli/testdata/badinput): files that pm reads without complaint
// but that a reviewer needs to hear about.

// after returns resolvedDoc with text inserted after the line holding
// anchor.
func after(anchor, text string) string {
	i := strings.Index(resolvedDoc, anchor)
	if i < 0 {
		panic("after: no " + anchor)
	}
	i += strings.IndexByte(resolvedDoc[i:], '\n') + 1
	return resolvedDoc[:i] + text + resolvedDoc[i:]
}

// findingsOf returns the findings of one rule.
func findingsOf(fs []Finding, rule string) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Rule == rule {
			out = append(out, f)
		}
	}
	return out
}

func TestConflictMarkers(t *testing.T) {
	block := "<<<<<<< HEAD\nThe lease expired at 09:10.\n=======\nThe lease expired at 09:12.\n>>>>>>> other\n"
	runRuleCases(t, []ruleCase{
		{"clean", resolvedDoc, "conflict-markers", nil},
		{"in prose", after("The api lost", block), "conflict-markers", []string{"<<<<<<< HEAD"}},
		{"in the log", after("**refuted H1**", "<<<<<<< HEAD\n- `2026-11-24T09:21:00Z` **note** ours _(bob)_\n=======\n- `2026-11-24T09:22:00Z` **note** theirs _(alice)_\n>>>>>>> other\n"),
			"conflict-markers", []string{"<<<<<<< HEAD"}},
		{"diff3", after("The api lost", "<<<<<<< HEAD\nours\n||||||| base\nbase\n=======\ntheirs\n>>>>>>> other\n"), "conflict-markers", []string{"<<<<<<< HEAD"}},
		{"two conflicts", after("Leases need", "\n<<<<<<< one\na\n=======\nb\n>>>>>>> other\n") + "\n<<<<<<< two\nc\n=======\nd\n>>>>>>> other\n",
			"conflict-markers", []string{"<<<<<<< one", "<<<<<<< two"}},
		{"in the frontmatter", edit("status: resolved\n", "<<<<<<< HEAD\nstatus: resolved\n=======\nstatus: mitigated\n>>>>>>> other\n"), "conflict-markers", []string{"<<<<<<< HEAD"}},
		{"quoted in a code block", after("The api lost", "\n```\n"+block+"```\n"), "conflict-markers", nil},
		{"quoted in an indented code block", after("The api lost", "\n    <<<<<<< HEAD\n    a\n    =======\n    >>>>>>> other\n"), "conflict-markers", nil},
		{"setext underline", after("Leases need", "\nA heading\n=======\n"), "conflict-markers", nil},
		{"not seven", after("The api lost", "<<<<<<<< HEAD\n========\n>>>>>>>> other\n<<<<<<<HEAD\n"), "conflict-markers", nil},
		{"closing marker alone", after("The api lost", "=======\nb\n>>>>>>> other\n"), "conflict-markers", []string{">>>>>>> other"}},
		{"never closed", after("The api lost", "<<<<<<< HEAD\na\n=======\nb\n"), "conflict-markers", []string{"<<<<<<< HEAD"}},
		{"open twice", after("The api lost", "<<<<<<< first\na\n<<<<<<< second\nb\n=======\nc\n>>>>>>> other\n"), "conflict-markers", []string{"<<<<<<< first", "<<<<<<< second"}},
	})

	// One finding spans the conflict and says to resolve it; CRLF endings
	// do not hide the markers.
	src := strings.ReplaceAll(after("The api lost", block), "\n", "\r\n")
	fs := findingsOf(lintFindings(t, config.DefaultConfig(), src), "conflict-markers")
	open, closing := lineOf(src, "<<<<<<<"), lineOf(src, ">>>>>>>")
	if len(fs) != 1 {
		t.Fatalf("findings %+v", fs)
	}
	f := fs[0]
	if f.Line != open || f.Column != 1 || f.EndLine != closing || f.EndColumn != len(">>>>>>> other")+1 || f.Level != Error ||
		!strings.Contains(f.Message, fmt.Sprintf("lines %d–%d", open, closing)) || !strings.Contains(f.Message, "resolve") {
		t.Errorf("finding %+v", f)
	}
}

func TestSectionHeadings(t *testing.T) {
	second := after("Leases need", "\n## INVESTIGATION LOG\n\n- `2026-11-24T10:06:00Z` **note** later _(bob)_\n")
	third := second + "\n## Investigation Log\n\nmore\n"
	investigatingDoc := strings.NewReplacer("status: resolved", "status: investigating", "resolved: 2026-11-24T10:05:00Z", "resolved:",
		"mitigated: 2026-11-24T09:31:00Z", "mitigated:", "## Investigation log", "### Investigation log").Replace(resolvedDoc)
	runRuleCases(t, []ruleCase{
		{"clean", resolvedDoc, "section-headings", nil},
		{"twice, any case", second, "section-headings", []string{"## INVESTIGATION LOG"}},
		{"three times", third, "section-headings", []string{"## INVESTIGATION LOG", "## Investigation Log"}},
		{"a section of the team's own twice", after("Leases need", "\n## Lessons Learned\n\nagain\n"), "section-headings", []string{"## Lessons Learned"}},
		{"level 3", edit("## Investigation log", "### Investigation log"), "section-headings", []string{"### Investigation log"}},
		{"level 1", edit("## Action items", "# Action items"), "section-headings", []string{"# Action items"}},
		{"closing hashes", edit("## Action items", "#### Action items ####"), "section-headings", []string{"#### Action items"}},
		{"no space", edit("## Action items", "##Action items"), "section-headings", []string{"##Action items"}},
		{"required section", edit("## Impact", "### impact"), "section-headings", []string{"### impact"}},
		{"while investigating", investigatingDoc, "section-headings", []string{"### Investigation log"}},
		{"a sub-heading beside the section", after("## Action items", "### Action items\n"), "section-headings", nil},
		{"an unknown section", edit("## Lessons learned", "### Lessons learned"), "section-headings", nil},
		{"in a code block", after("Leases need", "\n```\n### Action items\n## Action items\n```\n"), "section-headings", nil},
		{"a title named like a section", edit("# API returns 502 for all requests", "# Summary", "## Summary\n\nThe api lost its database credentials when a vault lease expired.\n", ""), "section-headings", nil},
	})

	for _, tc := range []struct {
		name, src, want string
	}{
		{"duplicate", second, fmt.Sprintf(`section "## INVESTIGATION LOG" appears twice (also line %d); pm reads and writes only the first`, lineOf(second, "## Investigation log"))},
		{"level 3", edit("## Investigation log", "### Investigation log"), `"### Investigation log" is not a level-2 heading, so pm does not see it as the section; write ## Investigation log`},
		{"level 1", edit("## Action items", "# Action items"), `"# Action items" is not a level-2 heading, so pm does not see it as the section; write ## Action items`},
	} {
		fs := findingsOf(lintFindings(t, config.DefaultConfig(), tc.src), "section-headings")
		if len(fs) == 0 || fs[0].Message != tc.want || fs[0].Level != Warning {
			t.Errorf("%s: %+v\nwant message %s", tc.name, fs, tc.want)
		}
	}

	// A configured section is known too.
	cfg := config.DefaultConfig()
	cfg.Lint.RequiredSections = append(cfg.Lint.RequiredSections, "Five whys")
	src := after("Leases need", "\n### Five whys\n\nBecause.\n")
	if fs := findingsOf(lintFindings(t, cfg, src), "section-headings"); len(fs) != 1 || fs[0].Line != lineOf(src, "### Five whys") {
		t.Errorf("configured section at level 3: %+v", fs)
	}
}

// TestMisleveledRequiredSection: a required section at the wrong level is
// still missing for required-sections and action-items, which point at the
// heading and say why, so the three findings read as one story.
func TestMisleveledRequiredSection(t *testing.T) {
	src := edit("## Action items", "# Action items")
	line := lineOf(src, "# Action items")
	got := map[string]Finding{}
	for _, f := range lintFindings(t, config.DefaultConfig(), src) {
		got[f.Rule] = f
	}
	for rule, want := range map[string]string{
		"required-sections": `"# Action items" here is level 1, not 2`,
		"action-items":      `items under "# Action items" do not count until it is written ## Action items`,
		"section-headings":  `write ## Action items`,
	} {
		if f, ok := got[rule]; !ok || f.Line != line || !strings.Contains(f.Message, want) {
			t.Errorf("%s: %+v, want line %d and %q", rule, f, line, want)
		}
	}
	if len(got) != 3 {
		t.Errorf("rules %v, want required-sections, action-items and section-headings", slices.Sorted(func(yield func(string) bool) {
			for k := range got {
				if !yield(k) {
					return
				}
			}
		}))
	}
}

func TestInvisibleCharacters(t *testing.T) {
	line := func(text string) string { return after("The api lost", "\n"+text+"\n") }
	runRuleCases(t, []ruleCase{
		{"clean", resolvedDoc, "invisible-characters", nil},
		{"bidi override in prose", line("The flag was admin\u202e ,nimda\u202c in the config."), "invisible-characters", []string{"The flag was"}},
		{"bidi isolate in a code block", line("```\nif access != \"user\u2066 // check\u2069 \" {\n```"), "invisible-characters", []string{"if access"}},
		{"bidi in a code span", line("Set `role\u202e` back."), "invisible-characters", []string{"Set `role"}},
		{"zero-width space in a word", line("It was hu\u200bman."), "invisible-characters", []string{"It was hu"}},
		{"zero-width joiner between letters", line("An er\u200dror."), "invisible-characters", []string{"An er"}},
		{"word joiner", line("An er\u2060ror."), "invisible-characters", []string{"An er"}},
		{"byte order mark inside", line("Some\ufefftext."), "invisible-characters", []string{"Some"}},
		{"zero-width in the frontmatter", edit("services: [api, nginx]", "services: [a\u200bpi, nginx]"), "invisible-characters", []string{"services:"}},
		{"zero-width in a block quote", line("> said hu\u200bman"), "invisible-characters", []string{"> said"}},
		{"zero-width in a code span", line("Run `grep hu\u200bman` to see."), "invisible-characters", nil},
		{"zero-width in a code block", line("```\nhu\u200bman\n```"), "invisible-characters", nil},
		{"emoji sequences", line("The team 👩\u200d💻 and ❤\ufe0f\u200d🔥 and 🏳\ufe0f\u200d🌈 and 👍🏽\u200d."), "invisible-characters", []string{"The team"}},
		{"emoji sequences only", line("The team 👩\u200d💻 and ❤\ufe0f\u200d🔥 and 👨🏽\u200d🚀."), "invisible-characters", nil},
		{"persian non-joiner", line("می\u200cخواهم"), "invisible-characters", nil},
		{"thai word break", line("ระบบ\u200bล่ม"), "invisible-characters", nil},
		{"right-to-left text and marks", line("שלום\u200f עולם and مرحبا"), "invisible-characters", nil},
		{"escape in a code block", line("```\n\x1b[31mERROR\x1b[0m upstream\n```"), "invisible-characters", []string{"ERROR"}},
		{"bell in prose", line("Ding\a."), "invisible-characters", []string{"Ding"}},
		{"C1 control sequence introducer", line("Text \u009b2J here."), "invisible-characters", []string{"Text "}},
		{"tabs and CRLF", strings.ReplaceAll(line("a\tb"), "\n", "\r\n"), "invisible-characters", nil},
		{"byte order mark at the start", "\ufeff" + resolvedDoc, "invisible-characters", nil},
	})

	for _, tc := range []struct {
		name, text string
		col        int
		msg        []string
	}{
		{"bidi names the character", "Ça — x\u202ey", 7, []string{"U+202E RIGHT-TO-LEFT OVERRIDE makes this line display differently from what it says; remove it"}},
		{"zero-width says what it hides", "🔥 hu\u200bman", 5, []string{"U+200B ZERO WIDTH SPACE", "language rules", "remove it"}},
		{"control", "a\x1bb", 2, []string{"U+001B ESCAPE is a control character", "terminal"}},
		{"one finding a line, naming the worst", "a\u200bb c\u202ed e\u200bf", 2, []string{"U+202E RIGHT-TO-LEFT OVERRIDE", "(2 more invisible characters on this line)"}},
	} {
		src := line(tc.text)
		fs := findingsOf(lintFindings(t, config.DefaultConfig(), src), "invisible-characters")
		if len(fs) != 1 {
			t.Errorf("%s: %+v", tc.name, fs)
			continue
		}
		f := fs[0]
		if tc.name == "one finding a line, naming the worst" {
			tc.col = 6
		}
		if f.Line != lineOf(src, tc.text) || f.Column != tc.col || f.EndLine != f.Line || f.EndColumn != tc.col+1 || f.Level != Warning {
			t.Errorf("%s: at %d:%d-%d:%d, want %d:%d", tc.name, f.Line, f.Column, f.EndLine, f.EndColumn, lineOf(src, tc.text), tc.col)
		}
		for _, m := range tc.msg {
			if !strings.Contains(f.Message, m) {
				t.Errorf("%s: message %q lacks %q", tc.name, f.Message, m)
			}
		}
	}
}

// TestZeroWidthDoesNotHideWords: the language rules read through
// zero-width characters, so they cannot be used to slip a phrase past
// them.
func TestZeroWidthDoesNotHideWords(t *testing.T) {
	for _, tc := range []struct{ rule, text, want string }{
		{"human-error", "The cause was hu\u200bman er\u200dror.", "hu\u200bman er\u200dror"},
		{"blame-words", "It was care\u2060less.", "care\u2060less"},
		{"hindsight", "\u200bObviously it broke.", "\u200bObviously"},
	} {
		src := investigating(tc.text + "\n")
		if got := spans(t, everyRuleOn(), src, tc.rule); !slices.Equal(got, []string{tc.want}) {
			t.Errorf("%s in %q: %q, want %q", tc.rule, tc.text, got, tc.want)
		}
	}
	// The message quotes the phrase as it reads, without the hidden
	// characters, and never passes a bidi control on to the terminal.
	for _, tc := range []struct{ text, quote string }{
		{"The cause was hu\u200bman er\u200dror.", `"human error"`},
		{"The cause was human\u202e error.", "\"human\ufffd error\""},
	} {
		fs := findingsOf(lintFindings(t, config.DefaultConfig(), investigating(tc.text+"\n")), "human-error")
		if len(fs) != 1 || !strings.HasPrefix(fs[0].Message, tc.quote+" ") {
			t.Errorf("%q: %+v, want the message to start with %s", tc.text, fs, tc.quote)
		}
	}
}

func TestFrontmatterID(t *testing.T) {
	const file = "postmortems/2026-11-24-api-returns-502.md"
	idLine := lineOf(resolvedDoc, "id:")
	for _, tc := range []struct {
		name, path, id string
		level          Level // "" for no finding
		msg            string
	}{
		{"same as the file", file, "2026-11-24-api-returns-502", "", ""},
		{"dot-dot", file, "../../../../tmp/pm-escape", Error, `id "../../../../tmp/pm-escape" contains "/": the id names the file and goes into commit messages and URLs; use the file name without .md (2026-11-24-api-returns-502)`},
		{"absolute", file, "/etc/passwd", Error, `contains "/"`},
		{"backslash", file, `..\..\x`, Error, `contains "\"`},
		{"only dots", file, "..", Error, "is a path segment"},
		{"control character", file, `"2026\a-x"`, Error, "U+0007 BELL"},
		{"escape", file, `"2026\e[2J"`, Error, "U+001B ESCAPE"},
		{"spaces around", file, `" 2026-11-24-api-returns-502"`, Error, "starts or ends with a space"},
		{"empty", file, `""`, Error, "id is empty"},
		{"blank", file, `"   "`, Error, "id is empty"},
		{"differs", file, "2026-11-19-some-other-name", Warning,
			`id "2026-11-19-some-other-name" differs from the file name "2026-11-24-api-returns-502"; pm finds incidents by file name (-i), so make them the same`},
		{"differs in case", file, "2026-11-24-API-returns-502", Warning, "differs from the file name"},
		{"emoji, same as the file", "postmortems/2026-11-20-🔥-checkout.md", "2026-11-20-🔥-checkout", "", ""},
		{"emoji, other file", "postmortems/2026-11-20-emoji-id.md", "2026-11-20-🔥-checkout", Warning, "differs from the file name"},
		{"not a markdown path", "-", "anything", "", ""},
		{"windows path", `postmortems\2026-11-24-api-returns-502.md`, "2026-11-24-api-returns-502", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := New(config.DefaultConfig())
			if err != nil {
				t.Fatal(err)
			}
			src := edit("id: 2026-11-24-api-returns-502", "id: "+tc.id)
			fs := findingsOf(e.Lint(tc.path, []byte(src)), "frontmatter")
			if tc.level == "" {
				if len(fs) > 0 {
					t.Errorf("findings %+v", fs)
				}
				return
			}
			if len(fs) != 1 || fs[0].Level != tc.level || fs[0].Line != idLine || !strings.Contains(fs[0].Message, tc.msg) {
				t.Errorf("findings %+v\nwant one %s at line %d containing %q", fs, tc.level, idLine, tc.msg)
			}
		})
	}
}

// TestFrontmatterEscapedControls: a control character that a YAML escape
// puts into a text value reaches terminals; one written into the file is
// the invisible-characters rule's finding instead.
func TestFrontmatterEscapedControls(t *testing.T) {
	title := "title: API returns 502 for all requests"
	runRuleCases(t, []ruleCase{
		{"escape sequence", edit(title, `title: "API \e]0;pwned\a\e[2J returns 502"`), "frontmatter", []string{"title:"}},
		{"commander", edit("commander: alice", `commander: "ali\x1bce"`), "frontmatter", []string{"commander:"}},
		{"printable escapes", edit(title, `title: "API \u00e9 returns 502"`), "frontmatter", nil},
		{"tab", edit(title, `title: "API\treturns 502"`), "frontmatter", nil},
		// A title is one line (the commit subject): a line break is an error, as in pm schema.
		{"line break", edit(title, `title: "API\treturns\n502"`), "frontmatter", []string{"title:"}},
		{"block scalar", edit(title, "title: |\n  API returns\n  502"), "frontmatter", []string{"title:"}},
		{"raw control byte", edit(title, "title: API \x1b returns 502"), "invisible-characters", []string{"title:"}},
	})
	fs := findingsOf(lintFindings(t, config.DefaultConfig(), edit(title, `title: "API \e[2J returns 502"`)), "frontmatter")
	if len(fs) != 1 || fs[0].Level != Error || !strings.Contains(fs[0].Message, "title holds the control character U+001B ESCAPE") {
		t.Errorf("findings %+v", fs)
	}
}

func TestActionDueDates(t *testing.T) {
	item := "- [ ] Alert 14 days before any credential lease expires — @bob, due 2026-12-08, detect"
	withDue := func(fields string) string { return edit(item, "- [ ] Alert before expiry — "+fields) }
	open := strings.NewReplacer("status: resolved", "status: investigating", "resolved: 2026-11-24T10:05:00Z", "resolved:",
		"mitigated: 2026-11-24T09:31:00Z", "mitigated:").Replace(withDue("@bob, due 2026-13-45"))
	runRuleCases(t, []ruleCase{
		{"a date", resolvedDoc, "action-items", nil},
		{"leap day", withDue("@bob, due 2028-02-29"), "action-items", nil},
		{"due with a colon", withDue("@bob, due: 2026-12-08"), "action-items", nil},
		{"no month 13", withDue("@bob, due 2026-13-45, detect"), "action-items", []string{"Alert before expiry"}},
		{"february 30", withDue("@bob, due 2026-02-30"), "action-items", []string{"Alert before expiry"}},
		{"a bare date field", withDue("@bob, 2026-02-30"), "action-items", []string{"Alert before expiry"}},
		{"not a date", withDue("@bob, due next week"), "action-items", []string{"Alert before expiry"}},
		{"while investigating", open, "action-items", []string{"Alert before expiry"}},
		{"a done item", edit(item, "- [x] Alert before expiry — @bob, due 2026-04-31"), "action-items", []string{"Alert before expiry"}},
	})
	for _, tc := range []struct{ fields, msg string }{
		{"@bob, due 2026-13-45, detect", `the due field "2026-13-45" is not a real date: there is no month 13; write due YYYY-MM-DD, like due 2026-12-08`},
		{"@bob, due 2026-02-30", `the due field "2026-02-30" is not a real date: February 2026 has 28 days`},
		{"@bob, due 2026-00-10", "there is no month 0"},
		{"@bob, due next week", `the due field "next week" is not a date`},
		{"@bob, due 2026-1-5", `the due field "2026-1-5" is not a date`},
	} {
		src := withDue(tc.fields)
		fs := findingsOf(lintFindings(t, config.DefaultConfig(), src), "action-items")
		l := strings.Split(src, "\n")[lineOf(src, "Alert before expiry")-1]
		due := tc.fields[strings.Index(tc.fields, "due ")+4:]
		due, _, _ = strings.Cut(due, ",")
		col := len([]rune(l[:strings.LastIndex(l, due)])) + 1
		if len(fs) != 1 || fs[0].Level != Error || fs[0].Column != col || !strings.Contains(fs[0].Message, tc.msg) {
			t.Errorf("%s: %+v\nwant column %d and %q", tc.fields, fs, col, tc.msg)
		}
	}
}

// TestNewRulesAreSuppressibleAndConfigurable: the rules of this file obey
// suppression comments and the levels of .pm.yml like the others.
func TestNewRulesAreSuppressibleAndConfigurable(t *testing.T) {
	body := "A zero\u200bwidth.\n\n<<<<<<< a\nx\n=======\n>>>>>>> b\n\n### Action items\n"
	src := investigating(body)
	got := map[string]Level{}
	for _, f := range lintFindings(t, config.DefaultConfig(), src) {
		got[f.Rule] = f.Level
	}
	want := map[string]Level{"invisible-characters": Warning, "conflict-markers": Error, "section-headings": Warning}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("default levels %v, want %v", got, want)
	}

	cfg := config.DefaultConfig()
	cfg.Lint.Rules = map[string]string{"invisible-characters": "error", "conflict-markers": "off", "section-headings": "info"}
	got = map[string]Level{}
	for _, f := range lintFindings(t, cfg, src) {
		got[f.Rule] = f.Level
	}
	want = map[string]Level{"invisible-characters": Error, "section-headings": Info}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("configured levels %v, want %v", got, want)
	}

	suppressed := investigating("<!-- pm-lint-disable-next-line invisible-characters -->\n" +
		"A zero\u200bwidth.\n\n<!-- pm-lint-disable-next-line conflict-markers -->\n<<<<<<< a\nx\n=======\n>>>>>>> b\n\n" +
		"<!-- pm-lint-disable-next-line section-headings -->\n### Action items\n")
	if fs := lintFindings(t, config.DefaultConfig(), suppressed); len(fs) > 0 {
		t.Errorf("suppressed: %+v", fs)
	}
}
