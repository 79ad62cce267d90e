package site

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/pm-tool/pm/internal/incident"
)

func TestClassify(t *testing.T) {
	for _, c := range []struct {
		dest string
		want linkClass
	}{
		{"https://example.com/x", linkExternal},
		{"HTTP://example.com", linkExternal},
		{"mailto:oncall@example.com", linkExternal},
		{"//cdn.example.com/x.png", linkExternal},
		{"#summary", linkFragment},
		{"other.md", linkRelative},
		{"img/a:b.png", linkRelative},
		{"./x.md#h", linkRelative},
		{"/etc/passwd", linkRooted},
		{`\\host\share`, linkRooted},
		{"javascript:alert(1)", linkBad},
		{"JaVaScRiPt:alert(1)", linkBad},
		{"java\tscript:alert(1)", linkBad},
		{"java&#x09;script:alert(1)", linkBad},
		{"&#106;avascript:alert(1)", linkBad},
		{" javascript:alert(1)", linkBad},
		{"\x01javascript:alert(1)", linkBad},
		{"java\u200bscript:alert(1)", linkBad},
		{"vbscript:msgbox", linkBad},
		{"data:text/html,<script>", linkBad},
		{"data:image/png;base64,AAAA", linkBad},
		{"file:///etc/passwd", linkBad},
		{"ftp://example.com", linkBad},
		{"", linkBad},
	} {
		if got := classify(c.dest); got != c.want {
			t.Errorf("classify(%q) = %d, want %d", c.dest, got, c.want)
		}
	}
}

func TestSlugify(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"2026-11-24-api-returns-502", "2026-11-24-api-returns-502"},
		{"api", "api"},
		{"eu_west-db", "eu_west-db"},
		{"API", "api-"},
		{"INC-0042", "inc-0042-"},
		{"..", "x-"},
		{".", "x-"},
		{"../../etc", "etc-"},
		{"a/b", "a-b-"},
		{"<script>", "script-"},
		{"数据库", "x-"},
		{"-api", "api-"},
		{strings.Repeat("a", 200), strings.Repeat("a", maxSlug) + "-"},
	} {
		got := slugify(c.in)
		if strings.HasSuffix(c.want, "-") {
			if !strings.HasPrefix(got, c.want) || len(got) != len(c.want)+8 {
				t.Errorf("slugify(%q) = %q, want %q and a hash", c.in, got, c.want)
			}
		} else if got != c.want {
			t.Errorf("slugify(%q) = %q, want %q", c.in, got, c.want)
		}
		if !fsValid(got) || strings.ContainsAny(got, "/\\.") || strings.HasPrefix(got, "-") {
			t.Errorf("slugify(%q) = %q is not a safe file name", c.in, got)
		}
	}
	if slugify("API") == slugify("api") {
		t.Errorf("API and api share a slug")
	}
	g := slugger{}
	if a, b := g.slug("x"), g.slug("x"); a == b {
		t.Errorf("slugger gave %q twice", a)
	}
}

func TestHuman(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{45 * time.Second, "45s"},
		{14 * time.Minute, "14m"},
		{2*time.Hour + 5*time.Minute, "2h 05m"},
		{47 * time.Hour, "47h 00m"},
		{3*24*time.Hour + 4*time.Hour, "3d 4h"},
		{-time.Minute, ""},
	} {
		if got := human(c.d); got != c.want {
			t.Errorf("human(%v) = %q, want %q", c.d, got, c.want)
		}
	}
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{-3 * time.Minute, "-3m"},
		{0, "+0s"},
		{3 * time.Minute, "+3m"},
		{41*time.Hour + 14*time.Minute, "+41h 14m"},
		{66*time.Hour + 35*time.Minute, "+2d 18h"},
	} {
		if got := offset(c.d); got != c.want {
			t.Errorf("offset(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}

func TestBodyStart(t *testing.T) {
	for _, c := range []struct{ src, body string }{
		{"---\ntitle: x\n---\n# T\n", "# T\n"},
		{"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\n# T\r\n", "# T\r\n"},
		{"\n\n---\na: b\n---\nbody", "body"},
		{"# no frontmatter\n", "# no frontmatter\n"},
		{"\xef\xbb\xbf# bom only\n", "# bom only\n"},
	} {
		if got := c.src[bodyStart([]byte(c.src)):]; got != c.body {
			t.Errorf("body of %q = %q, want %q", c.src, got, c.body)
		}
	}
}

func TestSearchWords(t *testing.T) {
	got := searchWords("API returns 502; the api's error-rate at 10.0.0.1 API", 100)
	for _, w := range []string{"api", "error-rate", "rate", "10.0.0.1", "502"} {
		if !strings.Contains(" "+got+" ", " "+w+" ") {
			t.Errorf("searchWords lacks %q: %q", w, got)
		}
	}
	if strings.Count(got, "api ") > 1 {
		t.Errorf("repeated word: %q", got)
	}
	if n := len(strings.Fields(searchWords(strings.Repeat("w ", 10)+"a b c d e", 3))); n != 3 {
		t.Errorf("max not kept: %d words", n)
	}
}

// TestAssets builds with templates from an fstest.MapFS, as a repository
// could override them, and fails cleanly when one is missing.
func TestAssets(t *testing.T) {
	fsys := fstest.MapFS{
		"layout.html":   {Data: []byte(`{{define "layout"}}<title>{{.Title}}</title>{{template "main" .}}{{end}}`)},
		"index.html":    {Data: []byte(`{{define "main"}}{{len .Data.Rows}} rows{{end}}`)},
		"incident.html": {Data: []byte(`{{define "main"}}custom {{.Data.Title}}{{end}}`)},
		"actions.html":  {Data: []byte(`{{define "main"}}{{.Data.Open}} open{{end}}`)},
		"stats.html":    {Data: []byte(`{{define "main"}}{{.Data.Total}}{{end}}`)},
		"group.html":    {Data: []byte(`{{define "main"}}{{.Title}}{{end}}`)},
		"site.css":      {Data: []byte(`body{}`)},
		"site.js":       {Data: []byte(`//`)},
	}
	root := repoWith(t, corpus)
	_, out := build(t, root, func(o *Options) { o.Assets = fsys })
	b, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil || string(b) != "<title>Incidents</title>3 rows" {
		t.Errorf("index.html = %q, %v", b, err)
	}
	if b2, _ := os.ReadFile(filepath.Join(out, "incidents", slugify("INC-0042")+".html")); !strings.Contains(string(b2), "custom Checkout slow") {
		t.Errorf("incident page = %q", b2)
	}
	delete(fsys, "stats.html")
	_, err = Build(load(t, root), Options{Out: filepath.Join(root, "x"), Root: root, Now: testNow, Assets: fsys})
	if err == nil || !strings.Contains(err.Error(), "stats.html") {
		t.Errorf("missing stats.html: err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "x")); err == nil {
		t.Errorf("a failed build left its folder")
	}
}

// TestStatsFigures covers how the stats page reads incident.Stats (its
// quantile moved there: incident.TestPercentile has its cases).
func TestStatsFigures(t *testing.T) {
	s := newSite(Options{Severities: []string{"SEV1", "SEV2"}}, nil)
	for key, want := range map[string]string{"SEV1": "sev0", "SEV2": "sev1", "none": "sevx", "SEV9": "sev2"} {
		if got := s.sevClass(key); got != want {
			t.Errorf("sevClass(%q) = %q, want %q", key, got, want)
		}
	}
	if got := newSite(Options{Severities: []string{"high", "none"}}, nil).sevClass("none"); got != "sev1" {
		t.Errorf("a configured severity called none: class %q, want sev1", got)
	}
	sec := int64(2*3600 + 5*60)
	ds := incident.DurationStats{BySeverity: []incident.Summary{{Severity: "SEV1", N: 1, Median: &sec, P90: &sec}}}
	if got := secondsText(severitySummary(ds, "SEV1").Median); got != "2h 05m" {
		t.Errorf("SEV1 median = %q", got)
	}
	if got := secondsText(severitySummary(ds, "SEV2").P90); got != "" {
		t.Errorf("a severity without the duration shows %q", got)
	}
}

// TestChartScales pins the ticks of the charts' axes.
func TestChartScales(t *testing.T) {
	for _, c := range []struct{ top, step float64 }{{53, 15}, {3, 1}, {8, 2}, {9, 3}, {41, 15}, {400, 100}, {4100, 1500}} {
		if got := countStep(c.top); got != c.step {
			t.Errorf("countStep(%v) = %v, want %v", c.top, got, c.step)
		}
	}
	for _, c := range []struct {
		top  time.Duration
		want string
	}{
		{36 * time.Minute, "0 10m 20m 30m 40m"},
		{50 * time.Minute, "0 15m 30m 45m 60m"},
		{90 * time.Minute, "0 30m 60m 90m 120m"},
		{20 * time.Hour, "0 6h 12h 18h 24h"},
		{41*time.Hour + 14*time.Minute, "0 12h 24h 36h 48h"},
		{9 * 24 * time.Hour, "0 3d 6d 9d 12d"},
	} {
		step := durationStep(c.top)
		var ticks []string
		for i := range 5 {
			ticks = append(ticks, tickLabel(time.Duration(i)*step, step))
		}
		if got := strings.Join(ticks, " "); got != c.want {
			t.Errorf("ticks up to %v: %q, want %q", c.top, got, c.want)
		}
	}
	if got := monthRange(time.Date(2025, 11, 30, 0, 0, 0, 0, time.UTC), time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)); strings.Join(got, " ") != "2025-11 2025-12 2026-01 2026-02" {
		t.Errorf("monthRange = %v", got)
	}
}

// TestFeedWithoutBaseURL keeps the feed's links relative to the feed.
func TestFeedWithoutBaseURL(t *testing.T) {
	root := repoWith(t, corpus)
	_, out := build(t, root)
	checkFeed(t, filepath.Join(out, "feed.xml"), 3, "")
	b, _ := os.ReadFile(filepath.Join(out, "feed.xml"))
	if !strings.Contains(string(b), `href="incidents/2026-11-24-api-returns-502.html"`) || strings.Contains(string(b), "http://") && !strings.Contains(string(b), "http://www.w3.org/2005/Atom") {
		t.Errorf("feed links are not relative:\n%s", b)
	}
	// The feed's dates come from the incidents, never from the clock.
	if !strings.Contains(string(b), "<updated>2026-11-24T09:31:00Z</updated>") {
		t.Errorf("feed updated is not the latest time in the incidents:\n%.600s", b)
	}
}
