package lint

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pm-tool/pm/internal/config"
)

// resolvedDoc is a complete resolved post-mortem that lints clean; the
// cases below break one thing each.
const resolvedDoc = `---
id: 2026-11-24-api-returns-502
title: API returns 502 for all requests
status: resolved
severity: SEV2
started: 2026-11-24T09:10:00Z
detected: 2026-11-24T09:12:00Z
mitigated: 2026-11-24T09:31:00Z
resolved: 2026-11-24T10:05:00Z
commander: alice
authors: [alice, bob]
services: [api, nginx]
tags: [config]
---

# API returns 502 for all requests

## Summary

The api lost its database credentials when a vault lease expired.

## Impact

All api clients, 09:10 to 09:31 UTC.

## Investigation log
- ` + "`2026-11-24T09:14:03Z`" + ` **down** api — every request returns 502 _(alice)_
- ` + "`2026-11-24T09:16:40Z`" + ` **hypothesis H1** the machine ran out of memory again _(alice)_
- ` + "`2026-11-24T09:20:00Z`" + ` **refuted H1** memory at 40% _(bob)_
- ` + "`2026-11-24T09:31:00Z`" + ` **mitigated** api answers again _(bob)_
- ` + "`2026-11-24T10:05:00Z`" + ` **resolved** leases renewed _(bob)_

## Timeline

- 09:10 impact began
- 09:31 mitigated

## Contributing factors

Nothing showed when the lease would expire.

## Action items
- [ ] Alert 14 days before any credential lease expires — @bob, due 2026-12-08, detect

## Lessons learned

Leases need an owner.
`

// edit returns resolvedDoc with each old replaced by new (pairs).
func edit(pairs ...string) string {
	s := resolvedDoc
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			panic("edit: no " + pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}

// lineOf returns the 1-based line of the first line of src containing sub.
func lineOf(src, sub string) int {
	for i, l := range strings.Split(src, "\n") {
		if strings.Contains(l, sub) {
			return i + 1
		}
	}
	panic("lineOf: no " + sub)
}

// closingFence in ruleCase.at stands for the line that closes the
// frontmatter.
const closingFence = "(closing ---)"

type ruleCase struct {
	name string
	src  string
	rule string
	// at lists the lines (found by their text) where findings of rule are
	// expected; empty means none.
	at []string
}

func lintFindings(t *testing.T, cfg config.Config, src string) []Finding {
	t.Helper()
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e.Lint(pathFor(src), []byte(src))
}

// pathFor names a test document's file after its id, as pm new does, so
// that the frontmatter rule's id check stays quiet unless a case is about
// it; a document without a plain id is postmortems/x.md.
func pathFor(src string) string {
	for _, l := range strings.Split(src, "\n") {
		if id, ok := strings.CutPrefix(strings.TrimSuffix(l, "\r"), "id: "); ok && id != "" && !strings.ContainsAny(id, `/\ `) {
			return "postmortems/" + id + ".md"
		}
	}
	return "postmortems/x.md"
}

func runRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got, want []int
			var msgs []string
			for _, f := range lintFindings(t, config.DefaultConfig(), tc.src) {
				if f.Rule == tc.rule {
					got = append(got, f.Line)
					msgs = append(msgs, fmt.Sprintf("%d:%d %s", f.Line, f.Column, f.Message))
					if f.Path != pathFor(tc.src) || f.Column < 1 || f.Message == "" || f.Level == "" {
						t.Errorf("incomplete finding %+v", f)
					}
				}
			}
			for _, a := range tc.at {
				if a == closingFence {
					want = append(want, lineOf(tc.src, "tags:")+1)
					continue
				}
				want = append(want, lineOf(tc.src, a))
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s findings at lines %v, want %v\n%s", tc.rule, got, want, strings.Join(msgs, "\n"))
			}
		})
	}
}

func TestCleanDocHasNoFindings(t *testing.T) {
	if fs := lintFindings(t, config.DefaultConfig(), resolvedDoc); len(fs) > 0 {
		t.Fatalf("findings in the clean document: %+v", fs)
	}
}

func TestFrontmatterRule(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"clean", resolvedDoc, "frontmatter", nil},
		{"no frontmatter", "# Title\n\nText.\n", "frontmatter", []string{"# Title"}},
		{"empty file", "", "frontmatter", []string{""}},
		{"unknown status", edit("status: resolved", "status: fixed"), "frontmatter", []string{"status: fixed"}},
		{"status case", edit("status: resolved", "status: Resolved"), "frontmatter", []string{"status: Resolved"}},
		{"unknown severity", edit("severity: SEV2", "severity: P1"), "frontmatter", []string{"severity: P1"}},
		{"missing severity", edit("severity: SEV2\n", ""), "frontmatter", []string{closingFence}},
		{"empty title", edit("title: API returns 502 for all requests", "title:"), "frontmatter", []string{"title:"}},
		{"bad time", edit("detected: 2026-11-24T09:12:00Z", "detected: yesterday"), "frontmatter", []string{"detected: yesterday"}},
		{"bad yaml", edit("tags: [config]", "tags: [config"), "frontmatter", []string{"tags: [config"}},
		{"unclosed", "---\nid: x\n\n# Title\n", "frontmatter", []string{"---"}},
		{"typo key", edit("services:", "servces:"), "frontmatter", []string{"servces:"}},
		{"own key", edit("tags: [config]", "tags: [config]\njira: OPS-1"), "frontmatter", nil},
	})
}

func TestMilestoneOrder(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"in order", resolvedDoc, "milestone-order", nil},
		{"detected before started", edit("detected: 2026-11-24T09:12:00Z", "detected: 2026-11-24T09:05:00Z"), "milestone-order", []string{"detected:"}},
		{"resolved before mitigated", edit("resolved: 2026-11-24T10:05:00Z", "resolved: 2026-11-24T09:30:00Z"), "milestone-order", []string{"resolved: 2026"}},
		{"equal times", edit("detected: 2026-11-24T09:12:00Z", "detected: 2026-11-24T09:10:00Z"), "milestone-order", nil},
		{"gap", edit("mitigated: 2026-11-24T09:31:00Z", "mitigated:", "detected: 2026-11-24T09:12:00Z", "detected: 2026-11-24T11:00:00Z"), "milestone-order", []string{"resolved: 2026"}},
	})
}

func TestStatusConsistency(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"consistent", resolvedDoc, "status-consistency", nil},
		{"resolved without time", edit("resolved: 2026-11-24T10:05:00Z", "resolved:"), "status-consistency", []string{"status: resolved"}},
		{"closed without time", edit("status: resolved", "status: closed", "resolved: 2026-11-24T10:05:00Z", "resolved:"), "status-consistency", []string{"status: closed"}},
		{"mitigated without time", edit("status: resolved", "status: mitigated", "resolved: 2026-11-24T10:05:00Z", "resolved:", "mitigated: 2026-11-24T09:31:00Z", "mitigated:"), "status-consistency", []string{"status: mitigated"}},
		{"mitigated with resolved time", edit("status: resolved", "status: mitigated"), "status-consistency", []string{"resolved: 2026"}},
		{"investigating with mitigated time", edit("status: resolved", "status: investigating", "resolved: 2026-11-24T10:05:00Z", "resolved:"), "status-consistency", []string{"mitigated: 2026"}},
		{"reopened keeps mitigated", edit("status: resolved", "status: investigating", "resolved: 2026-11-24T10:05:00Z", "resolved:",
			"**resolved** leases renewed _(bob)_", "**resolved** leases renewed _(bob)_\n- `2026-11-24T11:00:00Z` **reopened** 502s are back _(bob)_"), "status-consistency", nil},
		{"investigating with resolved time", edit("status: resolved", "status: investigating"), "status-consistency", []string{"resolved: 2026"}},
	})
}

func TestRequiredSections(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"all there", resolvedDoc, "required-sections", nil},
		{"missing", edit("## Impact\n\nAll api clients, 09:10 to 09:31 UTC.\n", ""), "required-sections", []string{"# API returns"}},
		{"case-insensitive", edit("## Contributing factors", "## CONTRIBUTING FACTORS"), "required-sections", nil},
		{"empty", edit("All api clients, 09:10 to 09:31 UTC.\n", ""), "required-sections", []string{"## Impact"}},
		{"only a placeholder", edit("All api clients, 09:10 to 09:31 UTC.", "_TODO: Who was affected?_"), "required-sections", nil},
		{"not while investigating", edit("status: resolved", "status: investigating", "resolved: 2026-11-24T10:05:00Z", "resolved:", "mitigated: 2026-11-24T09:31:00Z", "mitigated:",
			"## Impact\n\nAll api clients, 09:10 to 09:31 UTC.\n", ""), "required-sections", nil},
	})
	cfg := config.DefaultConfig()
	cfg.Lint.RequiredSections = []string{"Summary", "Five whys"}
	var got []string
	for _, f := range lintFindings(t, cfg, resolvedDoc) {
		got = append(got, f.Rule+": "+f.Message)
	}
	if len(got) != 1 || !strings.Contains(got[0], `"## Five whys"`) {
		t.Errorf("configured sections: %q", got)
	}
}

func TestPlaceholder(t *testing.T) {
	withTODO := edit("Leases need an owner.", "_TODO: What did we learn?_")
	runRuleCases(t, []ruleCase{
		{"none", resolvedDoc, "placeholder", nil},
		{"left in", withTODO, "placeholder", []string{"_TODO:"}},
		{"indented", edit("Leases need an owner.", "  Some text. _TODO: fill in_"), "placeholder", []string{"_TODO:"}},
		{"in a code block", edit("Leases need an owner.", "```\n_TODO: example\n```"), "placeholder", nil},
		{"while investigating", strings.NewReplacer("status: resolved", "status: investigating", "resolved: 2026-11-24T10:05:00Z", "resolved:", "mitigated: 2026-11-24T09:31:00Z", "mitigated:").Replace(withTODO), "placeholder", nil},
	})
	// A warning while resolved, an error once closed: pm resolve comes
	// with the fix, the write-up later, and pm close's gate is the error.
	for status, want := range map[string]Level{"resolved": Warning, "closed": Error} {
		src := strings.Replace(withTODO, "status: resolved", "status: "+status, 1)
		n := 0
		for _, f := range lintFindings(t, config.DefaultConfig(), src) {
			if f.Rule == "placeholder" {
				n++
				if f.Level != want {
					t.Errorf("%s: placeholder is %s, want %s", status, f.Level, want)
				}
			}
		}
		if n == 0 {
			t.Errorf("%s: no placeholder finding", status)
		}
	}

	// The column points at the placeholder, in characters.
	src := edit("Leases need an owner.", "Ça — _TODO: x_")
	for _, f := range lintFindings(t, config.DefaultConfig(), src) {
		if f.Rule == "placeholder" && f.Column != 6 {
			t.Errorf("placeholder column %d, want 6", f.Column)
		}
	}
}

func TestActionItems(t *testing.T) {
	noItems := edit("- [ ] Alert 14 days before any credential lease expires — @bob, due 2026-12-08, detect\n", "")
	runRuleCases(t, []ruleCase{
		{"present", resolvedDoc, "action-items", nil},
		{"none", noItems, "action-items", []string{"## Action items"}},
		{"plain list", edit("- [ ] Alert 14 days", "- Alert 14 days"), "action-items", []string{"- Alert 14 days"}},
		{"no section", edit("## Action items\n- [ ] Alert 14 days before any credential lease expires — @bob, due 2026-12-08, detect\n", ""), "action-items", []string{"# API returns"}},
		{"all done", edit("- [ ] Alert", "- [x] Alert"), "action-items", nil},
		{"not while mitigated", edit("status: resolved", "status: mitigated", "resolved: 2026-11-24T10:05:00Z", "resolved:",
			"- [ ] Alert 14 days before any credential lease expires — @bob, due 2026-12-08, detect\n", ""), "action-items", nil},
	})
	// An empty "Action items" is reported once, by action-items.
	for _, f := range lintFindings(t, config.DefaultConfig(), noItems) {
		if f.Rule == "required-sections" {
			t.Errorf("empty action items reported twice: %+v", f)
		}
	}
}

func TestActionOwner(t *testing.T) {
	item := "- [ ] Alert 14 days before any credential lease expires — @bob, due 2026-12-08, detect"
	runRuleCases(t, []ruleCase{
		{"complete", resolvedDoc, "action-owner", nil},
		{"no owner", edit(item, "- [ ] Alert before expiry — due 2026-12-08, detect"), "action-owner", []string{"Alert before expiry"}},
		{"no due", edit(item, "- [ ] Alert before expiry — @bob, detect"), "action-owner", []string{"Alert before expiry"}},
		{"ticket instead of due", edit(item, "- [ ] Alert before expiry — @bob, detect, [OPS-1](https://tracker.example/OPS-1)"), "action-owner", nil},
		{"nothing", edit(item, "- [ ] Alert before expiry"), "action-owner", []string{"Alert before expiry"}},
		{"done items need nothing", edit(item, "- [x] Alert before expiry\n"+item), "action-owner", nil},
	})
}

func TestHypotheses(t *testing.T) {
	open := edit("- `2026-11-24T09:20:00Z` **refuted H1** memory at 40% _(bob)_\n", "")
	runRuleCases(t, []ruleCase{
		{"all closed", resolvedDoc, "unresolved-hypothesis", nil},
		{"open once resolved", open, "unresolved-hypothesis", []string{"**hypothesis H1**"}},
		{"open while investigating", strings.NewReplacer("status: resolved", "status: investigating", "resolved: 2026-11-24T10:05:00Z", "resolved:", "mitigated: 2026-11-24T09:31:00Z", "mitigated:").Replace(open), "unresolved-hypothesis", nil},
		{"unknown id", edit("**refuted H1**", "**refuted H2**"), "hypothesis-ref", []string{"**refuted H2**"}},
		{"closed twice", edit("**refuted H1** memory at 40% _(bob)_", "**refuted H1** memory at 40% _(bob)_\n- `2026-11-24T09:21:00Z` **confirmed H1** oops _(bob)_"), "hypothesis-ref", []string{"**confirmed H1**"}},
		{"fine", resolvedDoc, "hypothesis-ref", nil},
	})
}

func TestLogOrder(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"in order", resolvedDoc, "log-order", nil},
		{"one out of order", edit("`2026-11-24T09:20:00Z` **refuted H1**", "`2026-11-24T09:15:00Z` **refuted H1**"), "log-order", []string{"**refuted H1**"}},
		{"same time", edit("`2026-11-24T09:20:00Z` **refuted H1**", "`2026-11-24T09:16:40Z` **refuted H1**"), "log-order", nil},
	})
}

func TestSecretsRule(t *testing.T) {
	key := "AKIA" + "IOSFODNN7EXAMPLF"
	src := edit("Leases need an owner.", "Leases need an owner.\n\n```\naws_access_key_id = "+key+"\n```\n\nThe DSN was postgres://app:Sup3rS3cret@db:5432/app.")
	runRuleCases(t, []ruleCase{
		{"none", resolvedDoc, "secrets", nil},
		{"in code and prose", src, "secrets", []string{key, "postgres://"}},
		{"commit ids are not secrets", edit("Leases need an owner.", "Fixed in 9b2f5c1e6a7d4e8f9a0b1c2d3e4f5a6b7c8d9e0f."), "secrets", nil},
	})
	for _, f := range lintFindings(t, config.DefaultConfig(), src) {
		if f.Rule == "secrets" && strings.Contains(f.Message, "Sup3r") {
			t.Errorf("the message repeats the secret: %s", f.Message)
		}
	}
}

func TestParseErrorsAreFindings(t *testing.T) {
	src := edit("**refuted H1**", "**rejected H1**", "`2026-11-24T09:20:00Z`", "`2026-11-24 09:20`")
	fs := lintFindings(t, config.DefaultConfig(), src+"\nIt was careless.\n")
	var rules []string
	for _, f := range fs {
		rules = append(rules, f.Rule)
	}
	// The structure rules need the parsed document; the language rules
	// still run on the text.
	if !slices.Contains(rules, "parse") || !slices.Contains(rules, "blame-words") {
		t.Errorf("rules %q, want parse and blame-words", rules)
	}
	for _, f := range fs {
		if f.Rule == "parse" && (f.Line != lineOf(src, "2026-11-24 09:20") || f.Level != Error || f.Column != 1) {
			t.Errorf("parse finding %+v", f)
		}
	}
}

func TestBinaryAndInvalidText(t *testing.T) {
	fs := lintFindings(t, config.DefaultConfig(), "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	if len(fs) != 1 || fs[0].Rule != "parse" || !strings.Contains(fs[0].Message, "not a text file") || fs[0].Line != 3 || fs[0].Column != 1 {
		t.Errorf("binary file: %+v", fs)
	}
	fs = lintFindings(t, config.DefaultConfig(), edit("Leases need an owner.", "Leases need an owner, caf\xe9."))
	if len(fs) != 1 || fs[0].Rule != "parse" || fs[0].Line != lineOf(resolvedDoc, "Leases need") || fs[0].Column != 26 {
		t.Errorf("latin-1 byte: %+v", fs)
	}
}
