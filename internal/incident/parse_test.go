package incident

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func mustRead(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustParse(t testing.TB, name string, src []byte) *Doc {
	t.Helper()
	d, err := Parse(name, src)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return d
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// TestParseDesign checks every field of the example in DESIGN §1.
func TestParseDesign(t *testing.T) {
	d := mustParse(t, "postmortems/x.md", mustRead(t, "design.md"))
	wantMeta := Meta{
		ID: "2026-11-24-api-returns-502", Title: "API returns 502 for all requests", Status: "investigating",
		Severity: "SEV2", Commander: "alice",
		Started: at("2026-11-24T09:10:00Z"), Detected: at("2026-11-24T09:12:00Z"),
		Authors: []string{"alice", "bob"}, Services: []string{"api", "nginx"}, Tags: []string{"config"},
		Lines: map[string]int{"id": 2, "title": 3, "status": 4, "severity": 5, "started": 6, "detected": 7,
			"mitigated": 8, "resolved": 9, "commander": 10, "authors": 11, "services": 12, "tags": 13},
	}
	if !reflect.DeepEqual(d.Meta, wantMeta) {
		t.Errorf("Meta =\n%+v\nwant\n%+v", d.Meta, wantMeta)
	}
	if d.Title != "API returns 502 for all requests" {
		t.Errorf("Title = %q", d.Title)
	}
	wantSections := []Section{{"Summary", 18, 18}, {"Impact", 19, 19}, {"Investigation log", 20, 28}, {"Timeline", 29, 29},
		{"Contributing factors", 30, 30}, {"Action items", 31, 33}, {"Lessons learned", 34, 34}}
	if !reflect.DeepEqual(d.Sections, wantSections) {
		t.Errorf("Sections = %+v", d.Sections)
	}
	wantEntries := []Entry{
		{at("2026-11-24T09:14:03Z"), "down", "", "api", "every request returns 502", "alice", 21},
		{at("2026-11-24T09:14:40Z"), "up", "", "postgres", "accepts connections from a bastion host", "alice", 22},
		{at("2026-11-24T09:15:10Z"), "observe", "", "", "nginx error.log: `upstream connect() failed`", "alice", 23},
		{at("2026-11-24T09:16:40Z"), "hypothesis", "H1", "", "the machine ran out of memory again, as last week", "alice", 24},
		{at("2026-11-24T09:20:00Z"), "refuted", "H1", "", "memory at 40%; the api log says the DB credentials are missing", "bob", 25},
		{at("2026-11-24T09:21:00Z"), "hypothesis", "H2", "", "credentials were not rotated onto this machine", "bob", 26},
		{at("2026-11-24T09:26:00Z"), "confirmed", "H2", "", "vault shows the lease expired at 09:09", "bob", 27},
		{at("2026-11-24T09:30:00Z"), "act", "", "", "rotated the credentials, restarted api", "bob", 28},
	}
	if !reflect.DeepEqual(d.Entries, wantEntries) {
		t.Errorf("Entries =\n%+v\nwant\n%+v", d.Entries, wantEntries)
	}
	wantHyp := []Hypothesis{
		{"H1", "the machine ran out of memory again, as last week", "refuted", "memory at 40%; the api log says the DB credentials are missing",
			at("2026-11-24T09:16:40Z"), at("2026-11-24T09:20:00Z"), 24},
		{"H2", "credentials were not rotated onto this machine", "confirmed", "vault shows the lease expired at 09:09",
			at("2026-11-24T09:21:00Z"), at("2026-11-24T09:26:00Z"), 26},
	}
	if !reflect.DeepEqual(d.Hypotheses, wantHyp) {
		t.Errorf("Hypotheses =\n%+v\nwant\n%+v", d.Hypotheses, wantHyp)
	}
	wantActions := []Action{
		{"Alert 14 days before any credential lease expires", "@bob", "2026-12-08", "detect", "", false, 32},
		{"Runbook: how to rotate the api credentials", "@alice", "2026-12-01", "clarify", "https://tracker.example/OPS-123", true, 33},
	}
	if !reflect.DeepEqual(d.Actions, wantActions) {
		t.Errorf("Actions =\n%+v\nwant\n%+v", d.Actions, wantActions)
	}
	if got := NextHypothesisID(d); got != "H3" {
		t.Errorf("NextHypothesisID = %q, want H3", got)
	}
}

// TestParseHandwritten checks the lenient reading of a file edited by hand.
func TestParseHandwritten(t *testing.T) {
	d := mustParse(t, "h.md", mustRead(t, "handwritten.md"))
	if !reflect.DeepEqual(d.Meta.Extra, []string{"runbook", "reviewers"}) {
		t.Errorf("Extra = %q", d.Meta.Extra)
	}
	if d.Meta.Lines["runbook"] != 20 || d.Meta.Lines["reviewers"] != 21 || d.Meta.Lines["authors"] != 12 {
		t.Errorf("Lines = %v", d.Meta.Lines)
	}
	if d.Meta.Commander != "frank" || !d.Meta.Detected.Equal(at("2026-05-14T14:04:00Z")) || d.Meta.Detected.Location() != time.UTC {
		t.Errorf("Commander %q Detected %v", d.Meta.Commander, d.Meta.Detected)
	}
	if !reflect.DeepEqual(d.Meta.Authors, []string{"frank", "grace"}) || !reflect.DeepEqual(d.Meta.Services, []string{"web", "redis"}) ||
		!reflect.DeepEqual(d.Meta.Tags, []string{"deploy", "cache: warmup"}) {
		t.Errorf("lists %q %q %q", d.Meta.Authors, d.Meta.Services, d.Meta.Tags)
	}
	var heads []string
	for _, s := range d.Sections {
		heads = append(heads, fmt.Sprintf("%s@%d-%d", s.Heading, s.Line, s.EndLine))
	}
	want := []string{"Summary@30-35", "Investigation log@36-59", "Timeline@60-63", "Contributing factors@64-67",
		"Action items@68-75", "Appendix: graphs@76-77"}
	if !reflect.DeepEqual(heads, want) {
		t.Errorf("Sections = %q\nwant %q", heads, want)
	}
	wantEntries := []Entry{
		{at("2026-05-14T16:05:00Z"), "down", "", "web", "p99 at 12s", "frank", 40},
		{at("2026-05-14T16:06:00Z"), "up", "", "redis", "answers PING in 1ms", "grace", 41},
		{at("2026-05-14T16:07:00Z"), "observe", "", "", "database CPU at 100%, slow log full of the same product query", "frank", 44},
		{at("2026-05-14T16:10:00Z"), "hypothesis", "H3", "", "the deploy flushed the cache", "frank", 48},
		{at("2026-05-14T16:12:00Z"), "confirmed", "H3", "", "cache hit rate fell from 97% to 2% at 16:00", "grace", 49},
		{at("2026-05-14T16:13:00Z"), "refuted", "H9", "", "no such hypothesis", "grace", 50},
	}
	if !reflect.DeepEqual(d.Entries, wantEntries) {
		t.Errorf("Entries =\n%+v\nwant\n%+v", d.Entries, wantEntries)
	}
	if len(d.Hypotheses) != 1 || d.Hypotheses[0].State != "confirmed" {
		t.Errorf("Hypotheses = %+v (refuting an unknown H9 must not create one)", d.Hypotheses)
	}
	wantActions := []Action{
		{"Warm the cache before switching traffic", "@grace", "2026-06-01", "prevent", "", false, 70},
		{"Alert on cache hit rate", "@frank", "", "detect", "OPS-77", true, 71},
		{"Hand-written item with no fields", "", "", "", "", false, 72},
		{"Fields that are not fields — next week, maybe", "", "", "", "", false, 73},
	}
	if !reflect.DeepEqual(d.Actions, wantActions) {
		t.Errorf("Actions =\n%+v\nwant\n%+v", d.Actions, wantActions)
	}
}

// TestParsePositions checks line numbers across frontmatter shapes, BOM, CRLF and code blocks.
func TestParsePositions(t *testing.T) {
	const log = "## Investigation log\n- `2026-01-01T00:00:00Z` **note** a _(x)_\n"
	tests := []struct {
		name, src   string
		title       string
		sections    []Section
		entryLines  []int
		actionLines []int
	}{
		{"no frontmatter", "# T\n" + log, "T", []Section{{"Investigation log", 2, 3}}, []int{3}, nil},
		{"frontmatter", "---\nid: a\n---\n# T\n" + log, "T", []Section{{"Investigation log", 5, 6}}, []int{6}, nil},
		{"blank lines before frontmatter", "\n\n---\nid: a\n---\n" + log, "", []Section{{"Investigation log", 6, 7}}, []int{7}, nil},
		{"bom", "\ufeff---\nid: a\n---\n" + log, "", []Section{{"Investigation log", 4, 5}}, []int{5}, nil},
		{"crlf", strings.ReplaceAll("---\nid: a\n---\n"+log+"## Action items\n- [ ] x\n", "\n", "\r\n"), "",
			[]Section{{"Investigation log", 4, 5}, {"Action items", 6, 7}}, []int{5}, []int{7}},
		{"heading in code", "## Investigation log\n```\n## Nope\n- `2026-01-01T00:00:00Z` **note** no\n```\n- `2026-01-01T00:00:00Z` **note** yes\n",
			"", []Section{{"Investigation log", 1, 6}}, []int{6}, nil},
		{"h1 ends a section", "## Action items\n- [ ] a\n# Appendix\n- [ ] b\n", "Appendix", []Section{{"Action items", 1, 2}}, nil, []int{2}},
		{"h3 does not", "## Action items\n### Detect\n- [ ] a\n\n### Prevent\n- [x] b\n", "", []Section{{"Action items", 1, 6}}, nil, []int{3, 6}},
		{"setext", "Investigation log\n---\n- `2026-01-01T00:00:00Z` **note** a\n", "", []Section{{"Investigation log", 1, 3}}, []int{3}, nil},
		{"nested items ignored", "## Investigation log\n- note\n  - `2026-01-01T00:00:00Z` **note** nested\n", "", []Section{{"Investigation log", 1, 3}}, nil, nil},
		{"quote ignored", "## Investigation log\n> - `2026-01-01T00:00:00Z` **note** quoted\n", "", []Section{{"Investigation log", 1, 2}}, nil, nil},
		{"empty", "", "", nil, nil, nil},
		{"frontmatter only", "---\nid: a\n---", "", nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, "x.md", []byte(tt.src))
			if d.Title != tt.title {
				t.Errorf("Title = %q, want %q", d.Title, tt.title)
			}
			if !reflect.DeepEqual(d.Sections, tt.sections) {
				t.Errorf("Sections = %+v, want %+v", d.Sections, tt.sections)
			}
			var el, al []int
			for _, e := range d.Entries {
				el = append(el, e.Line)
			}
			for _, a := range d.Actions {
				al = append(al, a.Line)
			}
			if !reflect.DeepEqual(el, tt.entryLines) || !reflect.DeepEqual(al, tt.actionLines) {
				t.Errorf("entry lines %v, action lines %v; want %v, %v", el, al, tt.entryLines, tt.actionLines)
			}
			if string(d.Bytes()) != tt.src {
				t.Errorf("Bytes() differs from the input")
			}
		})
	}
}

// TestParseErrors checks that each error names the right line and says what to do.
func TestParseErrors(t *testing.T) {
	fm := func(body string) string { return "---\nid: a\n" + body + "---\n# T\n" }
	tests := []struct {
		name, src string
		line      int
		msg       string
	}{
		{"unclosed frontmatter", "---\nid: a\ntitle: b\n", 1, "never closed"},
		{"unclosed after blank lines", "\n---\nid: a\n", 2, "never closed"},
		{"bad yaml", fm("title: [a\nstatus: x\n"), 3, "frontmatter: did not find expected ',' or ']'"},
		{"unclosed flow map on the first line", "---\nx: {a\n---\n", 2, "did not find expected ',' or '}'"},
		{"scanner error on the first line", "---\na: b: c\n---\n", 2, "mapping values are not allowed"},
		{"missing colon", fm("b\nc: d\n"), 3, "could not find expected ':'"},
		{"unclosed quote", fm("title: \"x\n"), 3, "found unexpected end of stream"},
		{"invalid utf-8", fm("title: ok\ntags: [\xff]\n"), 4, "UTF-8"},
		{"control character", fm("title: ok\n\ntags: [\x01]\n"), 5, "control characters"},
		{"bad yaml line", "\ufeff---\nid: a\ntitle: a: b\n---\n", 3, "mapping values are not allowed"},
		{"tab indent", fm("authors:\n\t- a\n"), 4, "frontmatter:"},
		{"services scalar", fm("services: 5\n"), 3, `services must be a list, like services: [api, nginx], not "5"`},
		{"tags mapping", fm("tags:\n  a: b\n"), 4, "tags must be a list"},
		{"nested list", fm("authors: [[a]]\n"), 3, "authors must be a list"},
		{"started text", fm("started: yesterday\n"), 3, `started: "yesterday" is not an RFC 3339 time; write it like 2026-11-24T09:10:00Z`},
		{"started date only", fm("started: 2026-11-24\n"), 3, "not an RFC 3339 time"},
		{"resolved list", fm("resolved: [a]\n"), 3, "resolved must be a time like"},
		{"title list", fm("title: [a, b]\n"), 3, "title must be text"},
		{"private text", fm("private: \"yes\"\n"), 3, "private must be true or false"},
		{"duplicate key", fm("status: a\nstatus: b\n"), 4, `"status" appears twice (also on line 3)`},
		{"not a mapping", "---\n- a\n- b\n---\n", 2, "must be \"key: value\" lines"},
		{"bad timestamp", "## Investigation log\n\n- `2026-11-24 09:14` **observe** x\n", 3,
			`timestamp "2026-11-24 09:14" is not RFC 3339, write it like 2026-11-24T09:14:03Z`},
		{"bad timestamp in crlf", "## Investigation log\r\n- `09:14` **observe** x\r\n", 2, `timestamp "09:14" is not RFC 3339`},
		{"unknown kind", "## Investigation log\n- `2026-11-24T09:14:03Z` **obsrve** x\n", 2, `unknown entry kind "obsrve"; use one of observe`},
		{"id on a plain kind", "## Investigation log\n- `2026-11-24T09:14:03Z` **observe H1** x\n", 2, "only hypothesis, confirmed and refuted take an id"},
		{"bad hypothesis id", "## Investigation log\n- `2026-11-24T09:14:03Z` **hypothesis X1** x\n", 2, `hypothesis id "X1" should look like H1`},
		{"time without kind", "## Investigation log\n- `2026-11-24T09:14:03Z` deployed\n", 2, "needs its kind in bold"},
		{"unclosed kind", "## Investigation log\n- `2026-11-24T09:14:03Z` **observe x\n", 2, "not closed with **"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("pm/x.md", []byte(tt.src))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			if pe.Path != "pm/x.md" || (tt.line > 0 && pe.Line != tt.line) || !strings.Contains(pe.Msg, tt.msg) {
				t.Errorf("got %q, want line %d and %q", err, tt.line, tt.msg)
			}
			if want := fmt.Sprintf("pm/x.md:%d: ", pe.Line); !strings.HasPrefix(err.Error(), want) {
				t.Errorf("Error() = %q, want prefix %q", err, want)
			}
		})
	}
}

// TestParseNotEntries checks that prose in the log is kept and ignored, not an error.
func TestParseNotEntries(t *testing.T) {
	for _, item := range []string{
		"- plain prose",
		"- `kubectl get pods` **failed** on two nodes",
		"- `502` errors everywhere",
		"- **observe** without a time",
		"- `2026-11-24T09:14:03Z",
		"-",
		"- [ ] a task in the log",
		"1. `abc` **x**",
	} {
		d, err := Parse("x.md", []byte("## Investigation log\n"+item+"\n"))
		if err != nil || len(d.Entries) != 0 {
			t.Errorf("%q: err %v, entries %+v", item, err, d)
		}
	}
}

// TestParseEntryLine checks the grammar of an entry's first line, strict and lenient forms.
func TestParseEntryLine(t *testing.T) {
	ts := at("2026-11-24T09:14:03Z")
	tests := []struct {
		line string
		want Entry
	}{
		{"`2026-11-24T09:14:03Z` **observe** text _(alice)_", Entry{Time: ts, Kind: "observe", Text: "text", Author: "alice"}},
		{"`2026-11-24T09:14:03Z` **observe** text", Entry{Time: ts, Kind: "observe", Text: "text"}},
		{"`2026-11-24T09:14:03Z` **observe**", Entry{Time: ts, Kind: "observe"}},
		{"`2026-11-24T09:14:03Z` **observe** _(alice)_", Entry{Time: ts, Kind: "observe", Author: "alice"}},
		{"`2026-11-24T09:14:03Z` **observe** a _(b)_ _()_", Entry{Time: ts, Kind: "observe", Text: "a _(b)_"}},
		{"`2026-11-24T09:14:03Z` **observe** text _(alice)_   ", Entry{Time: ts, Kind: "observe", Text: "text", Author: "alice"}},
		{"`2026-11-24T10:14:03+01:00` **Observe** x", Entry{Time: ts, Kind: "observe", Text: "x"}},
		{"`2026-11-24T09:14:03.5Z` **note** x", Entry{Time: ts.Add(500 * time.Millisecond), Kind: "note", Text: "x"}},
		{"`2026-11-24T09:14:03Z`  **act**  two spaces", Entry{Time: ts, Kind: "act", Text: " two spaces"}},
		{"`2026-11-24T09:14:03Z` **down** api — every request returns 502 _(alice)_", Entry{Time: ts, Kind: "down", System: "api", Text: "every request returns 502", Author: "alice"}},
		{"`2026-11-24T09:14:03Z` **down** api _(alice)_", Entry{Time: ts, Kind: "down", System: "api", Author: "alice"}},
		{"`2026-11-24T09:14:03Z` **up** db back", Entry{Time: ts, Kind: "up", System: "db", Text: "back"}},
		{"`2026-11-24T09:14:03Z` **up** db — — dash", Entry{Time: ts, Kind: "up", System: "db", Text: "— dash"}},
		{"`2026-11-24T09:14:03Z` **down** — no system", Entry{Time: ts, Kind: "down", Text: "no system"}},
		{"`2026-11-24T09:14:03Z` **hypothesis H12** it is DNS _(bob)_", Entry{Time: ts, Kind: "hypothesis", Hypothesis: "H12", Text: "it is DNS", Author: "bob"}},
		{"`2026-11-24T09:14:03Z` **Refuted h2** not DNS", Entry{Time: ts, Kind: "refuted", Hypothesis: "H2", Text: "not DNS"}},
		{"`2026-11-24T09:14:03Z` **confirmed** H2 yes", Entry{Time: ts, Kind: "confirmed", Hypothesis: "H2", Text: "yes"}},
		{"`2026-11-24T09:14:03Z` **hypothesis** no id", Entry{Time: ts, Kind: "hypothesis", Text: "no id"}},
		{"`2026-11-24T09:14:03Z` **mitigated** rolled back", Entry{Time: ts, Kind: "mitigated", Text: "rolled back"}},
	}
	for _, tt := range tests {
		got, ok, msg := parseEntryLine(tt.line)
		if !ok || msg != "" || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseEntryLine(%q) = %+v, %v, %q\nwant %+v", tt.line, got, ok, msg, tt.want)
		}
	}
}

// BenchmarkParse parses a realistic 200-line incident (lint and site parse thousands of these).
func BenchmarkParse(b *testing.B) {
	src := realisticIncident()
	if n := strings.Count(string(src), "\n"); n < 195 || n > 210 {
		b.Fatalf("fixture has %d lines, want about 200", n)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("x.md", src); err != nil {
			b.Fatal(err)
		}
	}
}

// realisticIncident builds a 200-line incident the way pm writes one: frontmatter, the default
// sections with prose, a log of 70 entries (some with pasted logs) and action items.
func realisticIncident() []byte {
	var b strings.Builder
	b.WriteString(`---
id: 2026-11-24-api-returns-502
title: API returns 502 for all requests
status: resolved          # investigating | mitigated | resolved | closed
severity: SEV2
started: 2026-11-24T09:10:00Z
detected: 2026-11-24T09:12:00Z
mitigated: 2026-11-24T09:40:00Z
resolved: 2026-11-24T12:00:00Z
commander: alice
authors: [alice, bob, carol]
services: [api, nginx, vault]
tags: [config, credentials]
---

# API returns 502 for all requests

## Summary
For 30 minutes every API request returned 502 because the database credentials on the api
hosts expired and were not rotated. Rotating them restored service.

## Impact
All API clients, about 40,000 requests failed. The web app showed an error page.

## Investigation log
`)
	t0 := at("2026-11-24T09:14:00Z")
	kinds := []string{"observe", "orient", "note", "act", "decide"}
	lines := 26
	for i := 0; lines < 170; i++ {
		e := Entry{Time: t0.Add(time.Duration(i) * 40 * time.Second), Kind: kinds[i%len(kinds)], Author: []string{"alice", "bob", "carol"}[i%3],
			Text: fmt.Sprintf("step %d: checked the %s dashboard, error rate still at %d%% and the upstream log says `connect() failed`", i, []string{"api", "nginx", "vault"}[i%3], 90+i%10)}
		switch {
		case i%17 == 3:
			e.Kind, e.Hypothesis, e.Text = "hypothesis", fmt.Sprintf("H%d", i/17+1), "credentials expired on the api hosts"
		case i%17 == 9:
			e.Kind, e.Hypothesis = "refuted", fmt.Sprintf("H%d", i/17+1)
		case i%11 == 5:
			e.Text = "nginx error.log:\n2026/11/24 09:15:02 [error] 31#31: *1 upstream connect() failed (111: Connection refused)\n2026/11/24 09:15:03 [error] 31#31: *2 upstream connect() failed (111: Connection refused)\n2026/11/24 09:15:04 [error] 31#31: *3 no live upstreams"
		case i%13 == 7:
			e.Kind, e.System, e.Text = "down", "api", "every request returns 502"
		}
		s := FormatEntry(e)
		b.WriteString(s)
		lines += strings.Count(s, "\n")
	}
	b.WriteString(`
## Timeline
- 09:10 impact begins
- 09:12 alert fires
- 09:40 mitigated

## Contributing factors
The rotation job ran on a host that was decommissioned.
Nobody was told when it stopped.

## Action items
- [ ] Alert 14 days before any credential lease expires — @bob, due 2026-12-08, detect
- [x] Runbook: how to rotate the api credentials — @alice, due 2026-12-01, clarify, https://tracker.example/OPS-123
- [ ] Move the rotation job to the scheduler — @carol, due 2026-12-15, prevent
- [ ] Rotate credentials automatically — @bob, due 2027-01-15, automate

## Lessons learned
Write it down; the log made the second hypothesis obvious in hindsight only because it was written.
`)
	for lines := strings.Count(b.String(), "\n"); lines < 200; lines++ {
		b.WriteString("Further notes.\n")
	}
	return []byte(b.String())
}

// ParseMeta must read the same frontmatter as Parse, and refuse the same
// broken frontmatter, since pick() chooses incidents by it.
func TestParseMetaMatchesParse(t *testing.T) {
	for _, name := range fixtureNames(t) {
		src := mustRead(t, name)
		full, ferr := Parse(name, src)
		if ferr != nil {
			continue // a body error is Parse's alone
		}
		meta, merr := ParseMeta(name, src)
		if merr != nil {
			t.Errorf("%s: Parse accepted it, ParseMeta: %v", name, merr)
			continue
		}
		if !reflect.DeepEqual(full.Meta, meta.Meta) {
			t.Errorf("%s: ParseMeta Meta = %+v\nParse Meta = %+v", name, meta.Meta, full.Meta)
		}
		if len(meta.Entries) != 0 || len(meta.Sections) != 0 {
			t.Errorf("%s: ParseMeta read the body", name)
		}
	}
	if _, err := ParseMeta("x.md", []byte("---\nstatus: [open\n---\n")); err == nil {
		t.Error("ParseMeta accepted broken frontmatter")
	}
}
