package lint

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pm-tool/pm/internal/config"
	"github.com/pm-tool/pm/internal/incident"
)

// The cases of issue 15: an archive written before pm names its sections
// otherwise and writes its action items as plain lists or tables.

func TestHeadingKey(t *testing.T) {
	for in, want := range map[string]string{
		"Summary":                             "summary",
		"  Summary:  ":                        "summary",
		"Why did it happen?":                  "why did it happen",
		"Timeline (all times PT)":             "timeline",
		"Contributing Factors (findings)":     "contributing factors",
		"Incident timeline – a concise recap": "incident timeline",
		"Action  Items.":                      "action items",
		"(draft)":                             "(draft)",
		"TL;DR":                               "tl;dr",
	} {
		if got := headingKey(in); got != want {
			t.Errorf("headingKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSectionAliases(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"summary with a colon", edit("## Summary", "## Summary:"), "required-sections", nil},
		{"timeline with a note", edit("## Timeline", "## Timeline (all times PT)"), "required-sections", nil},
		{"built-in aliases", edit("## Summary", "## Issue Summary", "## Impact", "## Customer impact", "## Timeline", "## Chronology",
			"## Contributing factors", "## Why did it happen?"), "required-sections", nil},
		{"two names", edit("## Summary", "## Summary for CMOC notice / Exec summary"), "required-sections", nil},
		{"an alias is not another section", edit("## Impact", "## Overview"), "required-sections", []string{"# API returns"}},
		{"an empty alias section", edit("## Impact\n\nAll api clients, 09:10 to 09:31 UTC.\n", "## User impact\n"), "required-sections", []string{"## User impact"}},
		{"an alias at level 3 is a sub-heading", edit("## Contributing factors", "## Lessons\n\n### What went wrong"), "required-sections", []string{"# API returns"}},
		{"action items under an alias", edit("## Action items", "## Corrective and Preventative Measures"), "action-items", []string{"## Corrective and Preventative Measures"}},
		{"misleveled with a colon", edit("## Timeline", "### Timeline:"), "section-headings", []string{"### Timeline:"}},
	})
	// The sre template's "Root causes" is its contributing factors.
	if fs := lintFindings(t, config.DefaultConfig(), edit("## Contributing factors", "## Root causes")); len(fs) > 0 {
		t.Errorf("Root causes: %+v", fs)
	}
	// A team's own aliases, and a section of its own that is a built-in
	// alias of another.
	cfg := config.DefaultConfig()
	cfg.Lint.SectionAliases = map[string][]string{"impact": {"Blast radius"}}
	cfg.Lint.RequiredSections = append(cfg.Lint.RequiredSections, "Root cause")
	src := edit("## Impact", "## Blast radius", "## Contributing factors", "## Root cause")
	var got []string
	for _, f := range lintFindings(t, cfg, src) {
		got = append(got, f.Rule+": "+f.Message)
	}
	if len(got) != 1 || !strings.Contains(got[0], `missing section "## Contributing factors"`) {
		t.Errorf("configured aliases: %q", got)
	}
}

func TestUntrackedActionItems(t *testing.T) {
	task := "- [ ] Alert 14 days before any credential lease expires — @bob, due 2026-12-08, detect\n"
	cases := []struct {
		name, src string
		want      map[int]string // line -> suggestion
	}{
		{"plain bullets", edit(task, "- Alert 14 days before a lease expires (bob)\n  - with a runbook link\n* Renew leases by a job — @carol, OPS-12\n1. Page the owner\n"),
			map[int]string{
				lineOf(resolvedDoc, "- [ ] Alert"):     "- [ ] Alert 14 days before a lease expires — @bob, due YYYY-MM-DD",
				lineOf(resolvedDoc, "- [ ] Alert") + 2: "- [ ] Renew leases by a job — @carol, OPS-12",
				lineOf(resolvedDoc, "- [ ] Alert") + 3: "- [ ] Page the owner — @owner, due YYYY-MM-DD",
			}},
		{"a table", edit(task, "| Action Item | Type | Owner | Bug |\n|---|---|---|---|\n| Update the playbook | mitigate | jennifer | n/a DONE |\n| Add load shedding | prevent | agoogler | Bug 5554826 TODO |\n| Alert on leases | detect | n/a | OPS-7 |\n"),
			map[int]string{
				lineOf(resolvedDoc, "- [ ] Alert") + 2: "- [x] Update the playbook — @jennifer",
				lineOf(resolvedDoc, "- [ ] Alert") + 3: "- [ ] Add load shedding — @agoogler, due YYYY-MM-DD, prevent",
				lineOf(resolvedDoc, "- [ ] Alert") + 4: "- [ ] Alert on leases — @owner, detect, OPS-7",
			}},
		{"task items under an alias", edit("## Action items", "## Remediation"),
			map[int]string{lineOf(resolvedDoc, "## Action items"): "## Action items"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := map[int]string{}
			for _, f := range lintFindings(t, config.DefaultConfig(), tc.src) {
				if f.Level == Error {
					t.Errorf("error %s: %s", f.Rule, f.Message)
				}
				if f.Rule != "action-items" {
					continue
				}
				if f.Level != Warning {
					t.Errorf("%d: %s is %s, want a warning", f.Line, f.Message, f.Level)
				}
				got[f.Line] = f.Suggestion
			}
			if len(got) != len(tc.want) {
				t.Errorf("findings %v, want %v", got, tc.want)
			}
			for line, want := range tc.want {
				if got[line] != want {
					t.Errorf("line %d: suggestion %q, want %q", line, got[line], want)
				}
			}
		})
	}
	// Beside task items pm reads, plain ones are notes: no finding.
	for _, f := range lintFindings(t, config.DefaultConfig(), edit(task, task+"- see the lease dashboard\n")) {
		if f.Rule == "action-items" {
			t.Errorf("plain item beside a task item: %+v", f)
		}
	}
	// A section with prose only still has no action item.
	n := 0
	for _, f := range lintFindings(t, config.DefaultConfig(), edit(task, "We will think about it.\n")) {
		if f.Rule == "action-items" && f.Level == Error {
			n++
		}
	}
	if n != 1 {
		t.Errorf("prose only: %d action-items errors, want 1", n)
	}
}

// TestExplainListsTheAliases: pm lint --explain required-sections lists
// every built-in alias, so the text and the table cannot drift apart.
func TestExplainListsTheAliases(t *testing.T) {
	text, _ := Explain("required-sections")
	flat := strings.Join(strings.Fields(text), " ")
	for _, b := range builtinAliases {
		for _, a := range b.aliases {
			if !strings.Contains(flat, " "+a+",") && !strings.Contains(flat, " "+a+" ") && !strings.HasSuffix(flat, " "+a) {
				t.Errorf("explain/required-sections.txt does not list %q (an alias of %s)", a, b.section)
			}
		}
	}
}

func TestAdoptGuess(t *testing.T) {
	guess := "severity: SEV2 # pm adopt: guessed from line 17 (SEV2); check it"
	runRuleCases(t, []ruleCase{
		{"a guess", edit("severity: SEV2", guess), "adopt-guess", []string{"severity: SEV2"}},
		{"confirmed: the comment deleted", resolvedDoc, "adopt-guess", nil},
		{"another comment", edit("severity: SEV2", "severity: SEV2 # checked by alice"), "adopt-guess", nil},
		{"the words quoted in a value", edit("commander: alice", `commander: "alice # pm adopt: guessed"`), "adopt-guess", nil},
		{"the words in the body", edit("Leases need an owner.", "Leases need an owner. # pm adopt: x"), "adopt-guess", nil},
		{"an empty key", edit("detected: 2026-11-24T09:12:00Z", "detected:   # pm adopt: not found in the text: fill it in"), "adopt-guess", []string{"detected:"}},
		{"while investigating", edit("status: resolved", "status: investigating", "resolved: 2026-11-24T10:05:00Z", "resolved:", "severity: SEV2", guess), "adopt-guess", []string{"severity: SEV2"}},
	})
	// CRLF and a BOM: the same finding, at the comment, with the line
	// without it as the suggestion.
	src := "\ufeff" + strings.ReplaceAll(edit("severity: SEV2", guess), "\n", "\r\n")
	var got []Finding
	for _, f := range lintFindings(t, config.DefaultConfig(), src) {
		if f.Rule == "adopt-guess" {
			got = append(got, f)
		}
	}
	want := Finding{Line: lineOf(resolvedDoc, "severity:"), Column: 16, EndLine: lineOf(resolvedDoc, "severity:"), EndColumn: len(guess) + 1,
		Rule: "adopt-guess", Level: Warning, Suggestion: "severity: SEV2",
		Message: `severity was guessed by pm adopt ("guessed from line 17 (SEV2)"): check it, then delete the comment`}
	if len(got) != 1 {
		t.Fatalf("CRLF with a BOM: %+v", got)
	}
	got[0].Path, got[0].LineText = "", ""
	if got[0] != want {
		t.Errorf("CRLF with a BOM:\n got %+v\nwant %+v", got[0], want)
	}
	// off in .pm.yml
	cfg := config.DefaultConfig()
	cfg.Lint.Rules = map[string]string{"adopt-guess": "off"}
	for _, f := range lintFindings(t, cfg, edit("severity: SEV2", guess)) {
		if f.Rule == "adopt-guess" {
			t.Errorf("off: %+v", f)
		}
	}
}

// TestAdoptGuessFindsEveryMarker: each comment pm adopt writes is one
// finding, on its key's line, so the rule and AdoptFrontmatter cannot
// drift apart.
func TestAdoptGuessFindsEveryMarker(t *testing.T) {
	text := "# Checkout 502s\n\nSeverity: SEV2\nAffected services: checkout, api\n\n## Timeline\n\nAll times in CET.\n\n" +
		"- 2019-12-04 09:10 deploy 4812 goes out\n- 09:14 alert fires\n- 09:31 rolled back, errors stop\n"
	cfg := config.DefaultConfig()
	ad := incident.InferAdoption([]byte(text), cfg.Severities, "outage", time.Date(2019, 12, 5, 0, 0, 0, 0, time.UTC))
	src := string(incident.AdoptFrontmatter(ad, "2019-12-04-checkout-502s", "resolved", cfg.DefaultSeverity, "\n")) + text
	var want, got []int
	for i, l := range strings.Split(src, "\n") {
		if strings.Contains(l, "# pm adopt: ") && !strings.HasPrefix(l, "#") {
			want = append(want, i+1)
		}
	}
	for _, f := range lintFindings(t, cfg, src) {
		if f.Rule == "adopt-guess" {
			got = append(got, f.Line)
			if !strings.HasPrefix(f.Message, strings.SplitN(strings.SplitN(src, "\n", f.Line+1)[f.Line-1], ":", 2)[0]+" ") {
				t.Errorf("line %d: %s", f.Line, f.Message)
			}
		}
	}
	if len(want) < 5 || !slices.Equal(got, want) {
		t.Errorf("findings on lines %v, comments on lines %v:\n%s", got, want, src)
	}
}
