package incident

import (
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestFormatEntry(t *testing.T) {
	ts := at("2026-11-24T09:14:03Z")
	tests := []struct {
		e    Entry
		want string
	}{
		{Entry{Time: ts, Kind: "down", System: "api", Text: "every request returns 502", Author: "alice"},
			"- `2026-11-24T09:14:03Z` **down** api — every request returns 502 _(alice)_\n"},
		{Entry{Time: ts, Kind: "up", System: "db", Author: "alice"}, "- `2026-11-24T09:14:03Z` **up** db _(alice)_\n"},
		{Entry{Time: ts, Kind: "hypothesis", Hypothesis: "H1", Text: "out of memory"}, "- `2026-11-24T09:14:03Z` **hypothesis H1** out of memory\n"},
		{Entry{Time: ts, Kind: "mitigated", Text: "rolled back", Author: "bob"}, "- `2026-11-24T09:14:03Z` **mitigated** rolled back _(bob)_\n"},
		{Entry{Time: ts.Add(250 * time.Millisecond), Kind: "note"}, "- `2026-11-24T09:14:03.25Z` **note**\n"},
		{Entry{Time: ts.In(time.FixedZone("X", -7200)), Kind: "note", Text: "utc"}, "- `2026-11-24T09:14:03Z` **note** utc\n"},
		{Entry{Time: ts, Kind: "note", Text: "looks like _(an author)_"}, "- `2026-11-24T09:14:03Z` **note** looks like _(an author)_ _()_\n"},
		{Entry{Time: ts, Kind: "observe", Text: "nginx error.log\n[error] upstream failed\n\n[error] again", Author: "alice"},
			"- `2026-11-24T09:14:03Z` **observe** nginx error.log _(alice)_\n  ```\n  [error] upstream failed\n\n  [error] again\n  ```\n"},
		{Entry{Time: ts, Kind: "observe", Text: "\nonly a log\r\nwith ``` inside\r\n"},
			"- `2026-11-24T09:14:03Z` **observe**\n  ````\n  only a log\n  with ``` inside\n\n  ````\n"},
	}
	for _, tt := range tests {
		if got := FormatEntry(tt.e); got != tt.want {
			t.Errorf("FormatEntry(%+v) =\n%q\nwant\n%q", tt.e, got, tt.want)
		}
	}
}

// randomText makes texts that stress the grammar: dashes, author look-alikes, fences, indentation,
// blank lines, CRLF, unicode.
func randomText(r *rand.Rand) string {
	parts := []string{"a", "word", " ", "  ", "—", " — ", "_(", ")_", " _(x)_", "`", "```", "````", "**", "\t", "\n", "\n", "\r\n",
		"H1", "- ", "* ", "# ", "## Timeline", "<!--", "-->", "[ ]", "@bob", ", ", "due 2026-01-01", "detect", "é", "🔥", "\\", "|", ">", "~~~", "    "}
	var b strings.Builder
	for n := r.Intn(12); n > 0; n-- {
		b.WriteString(parts[r.Intn(len(parts))])
	}
	return b.String()
}

func randomEntry(r *rand.Rand) Entry {
	e := Entry{
		Time: time.Unix(r.Int63n(4e9), 0).UTC(),
		Kind: kinds[r.Intn(len(kinds))],
		Text: randomText(r),
	}
	if r.Intn(4) == 0 {
		e.Time = e.Time.Add(time.Duration(r.Intn(1e9)))
	}
	if r.Intn(3) > 0 {
		e.Author = []string{"alice", "bob smith", "@carol", "ü", " spaced "}[r.Intn(5)]
	}
	if takesHypothesis(e.Kind) {
		e.Hypothesis = "H" + string(rune('1'+r.Intn(9)))
	}
	if takesSystem(e.Kind) {
		e.System = []string{"api", "eu-west-db", "x", "**b**", "`q`", "a—b"}[r.Intn(6)]
	}
	return e
}

// TestEntryRoundTripProperty: for random entries, Format then Parse gives the same values, alone,
// one after another in one file, and appended with AppendEntry in random time order.
func TestEntryRoundTripProperty(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for round := 0; round < 200; round++ {
		var es []Entry
		var md strings.Builder
		for i := r.Intn(6) + 1; i > 0; i-- {
			e := randomEntry(r)
			if err := validateEntry(e); err != nil {
				t.Fatalf("generator made an invalid entry %+v: %v", e, err)
			}
			es = append(es, e)
			md.WriteString(FormatEntry(e))
		}
		src := "## Investigation log\n" + md.String() + "## Timeline\n"
		d := mustParse(t, "p.md", []byte(src))
		want := make([]Entry, len(es))
		for i, e := range es {
			e.Text = normalizeText(e.Text)
			want[i] = e
		}
		if !sameEntries(d.Entries, want) {
			t.Fatalf("round %d:\n%s\ngot  %+v\nwant %+v", round, src, d.Entries, want)
		}
		for i := range d.Entries {
			if !reflect.DeepEqual(d.Entries[i].Time, want[i].Time) {
				t.Fatalf("time %v is not the UTC %v", d.Entries[i].Time, want[i].Time)
			}
		}

		// The same entries through AppendEntry end up sorted by time (stable for equal times).
		d = mustParse(t, "p.md", mustRead(t, "multiline.md"))
		base := len(d.Entries)
		for _, e := range es {
			if err := d.AppendEntry(e); err != nil {
				t.Fatalf("AppendEntry(%+v): %v\n%s", e, err, d.Bytes())
			}
		}
		if len(d.Entries) != base+len(es) {
			t.Fatalf("%d entries after appending %d to %d", len(d.Entries), len(es), base)
		}
		for i := 1; i < len(d.Entries); i++ {
			if d.Entries[i].Time.Before(d.Entries[i-1].Time) {
				t.Fatalf("entries out of time order at %d:\n%s", i, d.Bytes())
			}
		}
	}
}

func TestAppendEntryPlacement(t *testing.T) {
	design := string(mustRead(t, "design.md"))
	note := func(ts string) Entry { return Entry{Time: at(ts), Kind: "note", Text: "added", Author: "zed"} }
	tests := []struct {
		name, src string
		e         Entry
		after     string // the inserted lines come right after this text
		insert    string // "" means FormatEntry(e)
	}{
		{"latest goes last", design, note("2026-11-24T10:00:00Z"),
			"- `2026-11-24T09:30:00Z` **act** rotated the credentials, restarted api _(bob)_\n", ""},
		{"equal time goes after", design, note("2026-11-24T09:20:00Z"),
			"- `2026-11-24T09:20:00Z` **refuted H1** memory at 40%; the api log says the DB credentials are missing _(bob)_\n", ""},
		{"--at in the middle", design, note("2026-11-24T09:15:00Z"),
			"- `2026-11-24T09:14:40Z` **up** postgres — accepts connections from a bastion host _(alice)_\n", ""},
		{"earliest goes first", design, note("2026-11-24T09:00:00Z"), "## Investigation log\n", ""},
		{"after a pasted log", string(mustRead(t, "multiline.md")), note("2026-09-09T00:09:00Z"),
			"  * SSL certificate problem: certificate has expired\n  ```\n", ""},
		{"after sub-bullets", string(mustRead(t, "handwritten.md")), note("2026-05-14T16:06:30Z"),
			"  - checked from two hosts\n  - both fine\n", ""},
		{"empty log after the hint", "## Investigation log\n<!-- hint -->\n\n## Timeline\n", note("2026-01-01T00:00:00Z"),
			"<!-- hint -->\n", ""},
		{"empty log, blank body", "## Investigation log\n\n\n## Timeline\n", note("2026-01-01T00:00:00Z"), "## Investigation log\n", ""},
		{"no log: after Impact", "# T\n\n## Impact\nbad\n\n## Timeline\n", note("2026-01-01T00:00:00Z"), "## Impact\nbad\n\n",
			"## Investigation log\n- `2026-01-01T00:00:00Z` **note** added _(zed)_\n\n"},
		{"no log, Impact last", "## Impact\nbad", note("2026-01-01T00:00:00Z"), "## Impact\nbad",
			"\n\n## Investigation log\n- `2026-01-01T00:00:00Z` **note** added _(zed)_\n"},
		{"no sections", "# T\n", note("2026-01-01T00:00:00Z"), "# T\n",
			"\n## Investigation log\n- `2026-01-01T00:00:00Z` **note** added _(zed)_\n"},
		{"log is the last line", "## Investigation log", note("2026-01-01T00:00:00Z"), "## Investigation log",
			"\n- `2026-01-01T00:00:00Z` **note** added _(zed)_\n"},
		{"crlf", "## Investigation log\r\n- `2026-01-01T00:00:00Z` **note** a\r\n\r\n## Timeline\r\n", Entry{Time: at("2026-01-02T00:00:00Z"), Kind: "note", Text: "x\ny"},
			"- `2026-01-01T00:00:00Z` **note** a\r\n", "- `2026-01-02T00:00:00Z` **note** x\r\n  ```\r\n  y\r\n  ```\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, "x.md", []byte(tt.src))
			if err := d.AppendEntry(tt.e); err != nil {
				t.Fatal(err)
			}
			ins := tt.insert
			if ins == "" {
				ins = FormatEntry(tt.e)
			}
			i := strings.Index(tt.src, tt.after)
			if i < 0 {
				t.Fatalf("anchor %q not in the file", tt.after)
			}
			i += len(tt.after)
			want := tt.src[:i] + ins + tt.src[i:]
			if got := string(d.Bytes()); got != want {
				t.Errorf("got\n%q\nwant\n%q", got, want)
			}
		})
	}
}

func TestAppendEntryRefuses(t *testing.T) {
	ts := at("2026-01-01T00:00:00Z")
	bad := []struct {
		e   Entry
		err string
	}{
		{Entry{Kind: "note"}, "no time"},
		{Entry{Time: ts, Kind: "guess"}, `unknown entry kind "guess"`},
		{Entry{Time: ts, Kind: "hypothesis"}, "needs a hypothesis id like H1"},
		{Entry{Time: ts, Kind: "refuted", Hypothesis: "h1"}, "needs a hypothesis id like H1"},
		{Entry{Time: ts, Kind: "note", Hypothesis: "H1"}, "takes no hypothesis id"},
		{Entry{Time: ts, Kind: "down"}, "one word without spaces"},
		{Entry{Time: ts, Kind: "down", System: "my api"}, "one word without spaces"},
		{Entry{Time: ts, Kind: "note", System: "api"}, "takes no system"},
		{Entry{Time: ts, Kind: "note", Author: "a\nb"}, "cannot contain line breaks"},
		{Entry{Time: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), Kind: "note"}, "cannot be written"},
	}
	for _, tt := range bad {
		d := mustParse(t, "x.md", mustRead(t, "design.md"))
		err := d.AppendEntry(tt.e)
		if err == nil || !strings.Contains(err.Error(), tt.err) || !strings.HasPrefix(err.Error(), "x.md: ") {
			t.Errorf("AppendEntry(%+v) = %v, want %q", tt.e, err, tt.err)
		}
	}
	// An unclosed fence in the log would swallow the entry: refused, file unchanged.
	src := "## Investigation log\nprose\n```\nunclosed\n"
	d := mustParse(t, "x.md", []byte(src))
	if err := d.AppendEntry(Entry{Time: ts.Add(time.Hour), Kind: "note", Text: "b"}); err == nil {
		t.Errorf("appending after an unclosed fence succeeded:\n%s", d.Bytes())
	}
	if string(d.Bytes()) != src {
		t.Errorf("a refused edit changed the file")
	}
}
