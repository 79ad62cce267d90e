package incident

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// mergeBase is the common ancestor most merge cases start from.
const mergeBase = "---\n" +
	"id: 2026-11-24-api\n" +
	"title: API returns 502\n" +
	"status: investigating          # investigating | mitigated | resolved | closed\n" +
	"severity: SEV2\n" +
	"started: 2026-11-24T09:10:00Z\n" +
	"detected: 2026-11-24T09:12:00Z\n" +
	"mitigated:\n" +
	"resolved:\n" +
	"commander: alice\n" +
	"authors: [alice]\n" +
	"services: [api]\n" +
	"tags: []\n" +
	"runbook: https://wiki.example/api   # a key pm does not know\n" +
	"---\n" +
	"\n" +
	"# API returns 502\n" +
	"\n" +
	"## Summary\n" +
	"\n" +
	"_TODO: what happened?_\n" +
	"\n" +
	"## Investigation log\n" +
	"- `2026-11-24T09:14:00Z` **down** api — every request returns 502 _(alice)_\n" +
	"\n" +
	"## Action items\n" +
	"- [ ] Alert on lease expiry — @bob, due 2026-12-08, detect\n" +
	"\n" +
	"## Lessons learned\n"

// ed returns s with old replaced by new, once; it fails the test when old is not there, so a
// case cannot silently test nothing.
func ed(t *testing.T, s string, pairs ...string) string {
	t.Helper()
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			t.Fatalf("test setup: %q not found", pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}

// after inserts lines after the (first) line that starts with prefix.
func after(t *testing.T, s, prefix string, lines ...string) string {
	t.Helper()
	i := strings.Index(s, prefix)
	if i < 0 {
		t.Fatalf("test setup: %q not found", prefix)
	}
	j := i + strings.IndexByte(s[i:], '\n') + 1
	return s[:j] + strings.Join(lines, "") + s[j:]
}

func ent(ts, rest string) string { return "- `2026-11-24T" + ts + "Z` " + rest + "\n" }

const firstEntry = "- `2026-11-24T09:14:00Z`"

func TestMerge(t *testing.T) {
	b := mergeBase
	a1 := ent("09:15:00", "**observe** nginx: upstream connect() failed _(alice)_")
	a2 := ent("09:17:00", "**act** restarted api _(alice)_")
	b1 := ent("09:16:00", "**observe** memory at 40% _(bob)_")
	b2 := ent("09:18:00", "**note** vault lease expired at 09:09 _(bob)_")
	tests := []struct {
		name                string
		base, ours, theirs  string
		want                string
		conflict            bool
		wantInConflictedOut []string
	}{
		{
			name: "disjoint entries both sides, interleaved in time",
			base: b, ours: after(t, b, firstEntry, a1, a2), theirs: after(t, b, firstEntry, b1, b2),
			want: after(t, b, firstEntry, a1, b1, a2, b2),
		},
		{
			name: "the same entry on both sides appears once",
			base: b, ours: after(t, b, firstEntry, a1, b1), theirs: after(t, b, firstEntry, a1, b2),
			want: after(t, b, firstEntry, a1, b1, b2),
		},
		{
			name: "an entry theirs adds before all of ours",
			base: b, ours: after(t, b, firstEntry, a2), theirs: ed(t, b, firstEntry, ent("09:13:00", "**note** paged _(bob)_")+firstEntry),
			want: ed(t, after(t, b, firstEntry, a2), firstEntry, ent("09:13:00", "**note** paged _(bob)_")+firstEntry),
		},
		{
			name: "an entry deleted on one side stays deleted",
			base: after(t, b, firstEntry, a1), ours: b, theirs: after(t, b, firstEntry, a1, b1),
			want: after(t, b, firstEntry, b1),
		},
		{
			name: "multi-line entries keep their fenced block",
			base: b,
			ours: after(t, b, firstEntry, a1),
			theirs: after(t, b, firstEntry, ent("09:16:00", "**observe** the api log _(bob)_")+
				"  ```\n  FATAL missing DB_PASSWORD\n  ```\n"),
			want: after(t, b, firstEntry, a1, ent("09:16:00", "**observe** the api log _(bob)_")+
				"  ```\n  FATAL missing DB_PASSWORD\n  ```\n"),
		},
		{
			name: "hypothesis numbering collision renumbers theirs",
			base: after(t, b, firstEntry, ent("09:14:30", "**hypothesis H1** out of memory _(alice)_"),
				ent("09:14:40", "**refuted H1** memory at 40% _(alice)_")),
			ours: after(t, b, firstEntry, ent("09:14:30", "**hypothesis H1** out of memory _(alice)_"),
				ent("09:14:40", "**refuted H1** memory at 40% _(alice)_"),
				ent("09:20:00", "**hypothesis H2** credentials expired _(alice)_")),
			theirs: after(t, b, firstEntry, ent("09:14:30", "**hypothesis H1** out of memory _(alice)_"),
				ent("09:14:40", "**refuted H1** memory at 40% _(alice)_"),
				ent("09:19:00", "**hypothesis H2** a bad deploy _(bob)_"),
				ent("09:22:00", "**refuted H2** nothing deployed since Monday _(bob)_")),
			want: after(t, b, firstEntry, ent("09:14:30", "**hypothesis H1** out of memory _(alice)_"),
				ent("09:14:40", "**refuted H1** memory at 40% _(alice)_"),
				ent("09:19:00", "**hypothesis H3** a bad deploy _(bob)_"),
				ent("09:20:00", "**hypothesis H2** credentials expired _(alice)_"),
				ent("09:22:00", "**refuted H3** nothing deployed since Monday _(bob)_")),
		},
		{
			name: "the same hypothesis on both sides is no collision",
			base: b,
			ours: after(t, b, firstEntry, ent("09:20:00", "**hypothesis H1** credentials expired _(alice)_")),
			theirs: after(t, b, firstEntry, ent("09:20:00", "**hypothesis H1** credentials expired _(alice)_"),
				ent("09:21:00", "**confirmed H1** vault says so _(bob)_")),
			want: after(t, b, firstEntry, ent("09:20:00", "**hypothesis H1** credentials expired _(alice)_"),
				ent("09:21:00", "**confirmed H1** vault says so _(bob)_")),
		},
		{
			name: "frontmatter changed on one side, entries on the other",
			base: b, ours: after(t, b, firstEntry, a1), theirs: ed(t, b, "severity: SEV2", "severity: SEV1"),
			want: ed(t, after(t, b, firstEntry, a1), "severity: SEV2", "severity: SEV1"),
		},
		{
			name: "frontmatter changed on both sides to the same value",
			base: b, ours: ed(t, b, "severity: SEV2", "severity: SEV1"), theirs: ed(t, b, "severity: SEV2", "severity: \"SEV1\""),
			want: ed(t, b, "severity: SEV2", "severity: SEV1"),
		},
		{
			name: "status takes the most advanced, timestamps the earliest",
			base: b,
			ours: ed(t, b, "status: investigating ", "status: mitigated     ", "mitigated:\n", "mitigated: 2026-11-24T09:31:00Z\n"),
			theirs: ed(t, b, "status: investigating ", "status: resolved      ", "mitigated:\n", "mitigated: 2026-11-24T09:30:00Z\n",
				"resolved:\n", "resolved: 2026-11-24T10:05:00Z\n"),
			want: ed(t, b, "status: investigating ", "status: resolved      ", "mitigated:\n", "mitigated: 2026-11-24T09:30:00Z\n",
				"resolved:\n", "resolved: 2026-11-24T10:05:00Z\n"),
		},
		{
			name: "lists take the union of both sides' additions",
			base: ed(t, b, "tags: []", "tags: [config, old]"),
			ours: ed(t, b, "authors: [alice]", "authors: [alice, carol]", "tags: []", "tags: [config, vault]"),
			theirs: ed(t, b, "authors: [alice]", "authors: [alice, bob]",
				"tags: []", "tags: [config, old, deploy]", "services: [api]", "services: [api, nginx]"),
			want: ed(t, b, "authors: [alice]", "authors: [alice, carol, bob]", "tags: []", "tags: [config, vault, deploy]",
				"services: [api]", "services: [api, nginx]"),
		},
		{
			name: "a key pm does not know, changed on one side",
			base: b, ours: after(t, b, firstEntry, a1), theirs: ed(t, b, "runbook: https://wiki.example/api ", "runbook: https://wiki.example/api2"),
			want: ed(t, after(t, b, firstEntry, a1), "runbook: https://wiki.example/api ", "runbook: https://wiki.example/api2"),
		},
		{
			name: "a genuine conflict on the title",
			base: b, ours: ed(t, b, "title: API returns 502", "title: API returns 502 in eu-west"),
			theirs: after(t, ed(t, b, "title: API returns 502", "title: Expired DB credentials"), firstEntry, b1),
			want: ed(t, after(t, b, firstEntry, b1), "title: API returns 502\n",
				"<<<<<<< ours\ntitle: API returns 502 in eu-west\n=======\ntitle: Expired DB credentials\n>>>>>>> theirs\n"),
			conflict: true,
		},
		{
			name: "a section edited on one side",
			base: b, ours: after(t, b, firstEntry, a1), theirs: ed(t, b, "_TODO: what happened?_", "Expired credentials took the api down."),
			want: ed(t, after(t, b, firstEntry, a1), "_TODO: what happened?_", "Expired credentials took the api down."),
		},
		{
			name: "a section edited on both sides differently",
			base: b, ours: ed(t, b, "_TODO: what happened?_", "The api was down."),
			theirs: ed(t, b, "_TODO: what happened?_", "Expired credentials."),
			want: ed(t, b, "\n_TODO: what happened?_\n",
				"<<<<<<< ours\n\nThe api was down.\n=======\n\nExpired credentials.\n>>>>>>> theirs\n"),
			conflict: true,
		},
		{
			name: "a section changed here and deleted there",
			base: b, ours: ed(t, b, "_TODO: what happened?_", "The api was down."),
			theirs: ed(t, b, "## Summary\n\n_TODO: what happened?_\n\n", ""),
			want: ed(t, b, "## Summary\n\n_TODO: what happened?_\n",
				"<<<<<<< ours\n## Summary\n\nThe api was down.\n=======\n>>>>>>> theirs\n"),
			conflict: true,
		},
		{
			name: "a section deleted here and changed there",
			base: b, ours: ed(t, b, "## Summary\n\n_TODO: what happened?_\n\n", ""),
			theirs: ed(t, b, "_TODO: what happened?_", "The api was down."),
			want: ed(t, b, "## Summary\n\n_TODO: what happened?_\n\n",
				"<<<<<<< ours\n=======\n## Summary\n\nThe api was down.\n>>>>>>> theirs\n"),
			conflict: true,
		},
		{
			name: "prose in the log changed on both sides: markers around both, entries merged in ours",
			base: b, ours: ed(t, b, "## Investigation log\n", "## Investigation log\nOur prose.\n"),
			theirs: after(t, ed(t, b, "## Investigation log\n", "## Investigation log\nTheir prose.\n"), firstEntry, b1),
			want: ed(t, b, "## Investigation log\n"+firstEntry+" **down** api — every request returns 502 _(alice)_\n",
				"## Investigation log\n<<<<<<< ours\nOur prose.\n"+firstEntry+" **down** api — every request returns 502 _(alice)_\n"+b1+
					"=======\nTheir prose.\n"+firstEntry+" **down** api — every request returns 502 _(alice)_\n"+b1+">>>>>>> theirs\n"),
			conflict: true,
		},
		{
			name: "a section added on their side lands in their place",
			base: b, ours: after(t, b, firstEntry, a1),
			theirs: ed(t, b, "## Lessons learned\n", "## Contributing factors\n\nA lease nobody watched.\n\n## Lessons learned\n"),
			want:   ed(t, after(t, b, firstEntry, a1), "## Lessons learned\n", "## Contributing factors\n\nA lease nobody watched.\n\n## Lessons learned\n"),
		},
		{
			name: "a section deleted on their side",
			base: b, ours: after(t, b, firstEntry, a1),
			theirs: ed(t, b, "## Summary\n\n_TODO: what happened?_\n\n", ""),
			want:   ed(t, after(t, b, firstEntry, a1), "## Summary\n\n_TODO: what happened?_\n\n", ""),
		},
		{
			name: "prose in the log changed on their side",
			base: b, ours: after(t, b, firstEntry, a1),
			theirs: after(t, ed(t, b, "## Investigation log\n", "## Investigation log\nTimes are UTC.\n\n"), firstEntry, b1),
			want:   after(t, ed(t, b, "## Investigation log\n", "## Investigation log\nTimes are UTC.\n\n"), firstEntry, a1, b1),
		},
		{
			name:   "action items: union by text, done on either side",
			base:   b,
			ours:   ed(t, b, "- [ ] Alert on lease expiry", "- [x] Alert on lease expiry"),
			theirs: after(t, b, "- [ ] Alert on lease expiry", "- [ ] Runbook for rotating credentials — @alice, clarify\n"),
			want: after(t, ed(t, b, "- [ ] Alert on lease expiry", "- [x] Alert on lease expiry"),
				"- [x] Alert on lease expiry", "- [ ] Runbook for rotating credentials — @alice, clarify\n"),
		},
		{
			name:   "action items: a field changed on their side, ticked on ours",
			base:   b,
			ours:   ed(t, b, "- [ ] Alert on lease expiry", "- [x] Alert on lease expiry"),
			theirs: ed(t, b, "@bob, due 2026-12-08", "@carol, due 2026-12-08"),
			want:   ed(t, b, "- [ ] Alert on lease expiry — @bob", "- [x] Alert on lease expiry — @carol"),
		},
		{
			name: "action items: a field changed differently on both sides",
			base: b, ours: ed(t, b, "@bob, due", "@carol, due"), theirs: ed(t, b, "@bob, due", "@dave, due"),
			want: ed(t, b, "- [ ] Alert on lease expiry — @bob, due 2026-12-08, detect\n",
				"<<<<<<< ours\n- [ ] Alert on lease expiry — @carol, due 2026-12-08, detect\n=======\n"+
					"- [ ] Alert on lease expiry — @dave, due 2026-12-08, detect\n>>>>>>> theirs\n"),
			conflict: true,
		},
		{
			name: "action items: deleted on one side, left alone on the other",
			base: b, ours: after(t, b, firstEntry, a1), theirs: ed(t, b, "- [ ] Alert on lease expiry — @bob, due 2026-12-08, detect\n", ""),
			want: ed(t, after(t, b, firstEntry, a1), "- [ ] Alert on lease expiry — @bob, due 2026-12-08, detect\n", ""),
		},
		{
			name: "CRLF and BOM of ours are kept",
			base: crlf(b), ours: "\ufeff" + crlf(after(t, b, firstEntry, a1)), theirs: crlf(after(t, ed(t, b, "severity: SEV2", "severity: SEV1"), firstEntry, b1)),
			want: "\ufeff" + crlf(after(t, ed(t, b, "severity: SEV2", "severity: SEV1"), firstEntry, a1, b1)),
		},
		{
			name: "no common ancestor: both sides' entries once",
			base: "", ours: after(t, b, firstEntry, a1), theirs: after(t, b, firstEntry, b1),
			want: after(t, b, firstEntry, a1, b1),
		},
		{
			name: "nothing changed",
			base: b, ours: b, theirs: b, want: b,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, conflict, err := Merge("p.md", []byte(tc.base), []byte(tc.ours), []byte(tc.theirs))
			if err != nil {
				t.Fatal(err)
			}
			if conflict != tc.conflict {
				t.Errorf("conflict = %v, want %v", conflict, tc.conflict)
			}
			if string(got) != tc.want {
				t.Errorf("merged:\n%s\nwant:\n%s", got, tc.want)
			}
			if !tc.conflict {
				if _, err := Parse("p.md", got); err != nil {
					t.Errorf("the merged file does not parse: %v", err)
				}
			}
		})
	}
}

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

func TestMergeConflictReport(t *testing.T) {
	b := mergeBase
	ours := ed(t, b, "title: API returns 502", "title: A", "# API returns 502", "# A")
	theirs := ed(t, b, "title: API returns 502", "title: B", "# API returns 502", "# B")
	got, msgs, err := MergeReport("p.md", []byte(b), []byte(ours), []byte(theirs))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"p.md:3: frontmatter key title was changed differently on both sides; keep the right version between the <<<<<<< and >>>>>>> lines",
		"p.md:21: the title and the text above the first section were changed differently on both sides; keep the right version between the <<<<<<< and >>>>>>> lines",
	}
	if !slices.Equal(msgs, want) {
		t.Errorf("messages:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
	lines := strings.Split(string(got), "\n")
	for _, m := range []int{3, 21} {
		if lines[m-1] != "<<<<<<< ours" {
			t.Errorf("line %d = %q, want the conflict marker", m, lines[m-1])
		}
	}
	if !strings.Contains(string(got), "<<<<<<< ours\n# A\n=======\n# B\n>>>>>>> theirs\n") {
		t.Errorf("the heading conflict is not marked:\n%s", got)
	}
}

func TestMergeErrors(t *testing.T) {
	b := []byte(mergeBase)
	bad := []byte("---\ntitle: [unclosed\n---\n")
	for _, tc := range []struct {
		name               string
		base, ours, theirs []byte
		want               string
	}{
		{"theirs does not parse", b, b, bad, "p.md:2: in their version:"},
		{"ours does not parse", b, bad, b, "p.md:2: in our version:"},
		{"base does not parse", bad, b, b, "p.md:2: in the common ancestor version:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, conflict, err := Merge("p.md", tc.base, tc.ours, tc.theirs)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to start with %q", err, tc.want)
			}
			if got != nil || conflict {
				t.Errorf("got output %q, conflict %v with the error", got, conflict)
			}
		})
	}
}

// TestMergeNoLostEntries merges many entries written on both sides in interleaved order and
// checks every one is there once, in time order.
func TestMergeNoLostEntries(t *testing.T) {
	b := mergeBase
	var ours, theirs, all []string
	for i := 0; i < 40; i++ {
		ts := "10:" + twoDigits(i) + ":00"
		if i%3 == 0 {
			line := ent(ts, "**note** from alice "+twoDigits(i)+" _(alice)_")
			ours, all = append(ours, line), append(all, line)
		} else {
			line := ent(ts, "**note** from bob "+twoDigits(i)+" _(bob)_")
			theirs, all = append(theirs, line), append(all, line)
		}
	}
	got, conflict, err := Merge("p.md", []byte(b), []byte(after(t, b, firstEntry, ours...)), []byte(after(t, b, firstEntry, theirs...)))
	if err != nil || conflict {
		t.Fatalf("conflict %v, err %v", conflict, err)
	}
	if want := after(t, b, firstEntry, all...); string(got) != want {
		t.Errorf("merged:\n%s\nwant:\n%s", got, want)
	}
}

// fuzzDoc turns fuzz bytes into a version of an incident: a whole file when they look like one,
// else lines spliced into mergeBase's log, so that most inputs parse and reach the merge itself.
func fuzzDoc(b []byte) []byte {
	if len(b) == 0 || b[0] == '-' && bytes.HasPrefix(b, []byte("---")) || b[0] == '#' || b[0] == 0xEF {
		return b
	}
	s := mergeBase
	i := strings.Index(s, firstEntry)
	j := i + strings.IndexByte(s[i:], '\n') + 1
	return []byte(s[:j] + string(b) + s[j:])
}

func twoDigits(i int) string { return string([]byte{byte('0' + i/10), byte('0' + i%10)}) }

// FuzzMerge: merging never panics; a file merged with itself is itself; and when ours is base,
// the result holds exactly their entries.
func FuzzMerge(f *testing.F) {
	f.Add([]byte(mergeBase), []byte(strings.Replace(mergeBase, "## Lessons", "## Lessons\n- x", 1)),
		[]byte(strings.Replace(mergeBase, firstEntry, ent("09:13:00", "**note** paged _(bob)_")+firstEntry, 1)))
	f.Add([]byte(""), []byte(mergeBase), []byte(crlf(mergeBase)))
	f.Add([]byte(mergeBase), []byte(strings.Replace(mergeBase, "title: API", "title: The API", 1)),
		[]byte(strings.Replace(mergeBase, "status: investigating", "status: closed", 1)))
	f.Add([]byte("# t\n## Investigation log\n"), []byte("# t\n## Investigation log\n- `2026-01-01T00:00:00Z` **hypothesis H1** a\n"),
		[]byte("# t\n## Investigation log\n- `2026-01-01T00:00:01Z` **hypothesis H1** b\n- `2026-01-01T00:00:02Z` **confirmed H1** c\n"))
	f.Add([]byte(ent("09:15:00", "**observe** a _(x)_")), []byte(ent("09:16:00", "**hypothesis H1** b _(y)_")),
		[]byte(ent("09:15:30", "**hypothesis H1** c _(z)_")+ent("09:17:00", "**refuted H1** d _(z)_")))
	f.Fuzz(func(t *testing.T, base, ours, theirs []byte) {
		base, ours, theirs = fuzzDoc(base), fuzzDoc(ours), fuzzDoc(theirs)
		_, _, _ = Merge("f.md", base, ours, theirs)

		if _, err := Parse("f.md", theirs); err == nil {
			got, conflict, err := Merge("f.md", theirs, theirs, theirs)
			if err != nil || conflict || !bytes.Equal(got, theirs) {
				t.Fatalf("merging a file with itself: conflict %v, err %v, changed %v", conflict, err, !bytes.Equal(got, theirs))
			}
		}

		got, conflict, err := Merge("f.md", base, base, theirs)
		if err != nil || conflict {
			return // an edit that cannot be made safely is refused; no conflict can come from one side
		}
		gd, err := Parse("f.md", got)
		if err != nil {
			t.Fatalf("the merged file does not parse: %v\n%s", err, got)
		}
		td, _ := Parse("f.md", theirs)
		want, have := entryCounts(td.Entries), entryCounts(gd.Entries)
		if len(want) != len(have) {
			t.Fatalf("ours == base: merged entries %v, want theirs %v", have, want)
		}
		for k, n := range want {
			if have[k] != n {
				t.Fatalf("ours == base: entry %q %d times, want %d", k, have[k], n)
			}
		}
	})
}
