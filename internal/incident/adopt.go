package incident

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Adopting a post-mortem written without pm (pm adopt): what its text says
// about the frontmatter pm needs, read the way a person would skim it — the
// first heading for the title, a timeline section for the milestone
// times, "Severity: SEV1" and "Affected services: …" lines — and the
// frontmatter that goes on top of it, every guess marked with a YAML
// comment on its line so the author checks it. The body is never changed.

// Guess is where a frontmatter value of an adoption came from.
type Guess struct {
	Line int    // the line of the source text it was read from; 0 when none
	From string // the words it was read from, short, as written
	Note string // how it was read, or why there is no value
	// DateLine is the line the date of a time of day came from, when
	// that is not Line.
	DateLine int
}

// Adoption is what InferAdoption read from a post-mortem's text.
type Adoption struct {
	Title                                  string
	Started, Detected, Mitigated, Resolved time.Time // zero when not found
	Severity                               string    // one of the configured severities, "" when not stated
	Commander                              string
	Services, Authors                      []string
	// Guesses says, for each key InferAdoption looked for, where its
	// value came from or why it has none.
	Guesses map[string]Guess
}

// AdoptMarker begins the YAML comment pm adopt puts on each frontmatter
// line whose value it guessed (or could not find): lint reports each one
// left (adopt-guess), and setting the value with pm drops it.
const AdoptMarker = "# pm adopt:"

// FrontmatterLine is the line of src where a frontmatter opens, or 0: the
// first line that is not blank (after a UTF-8 BOM) is "---" (YAML) or
// "+++" (TOML). pm adopt refuses such a file rather than stack a second
// frontmatter on it.
func FrontmatterLine(src []byte) int {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	for n, l := range bytes.Split(src, []byte("\n")) {
		l = bytes.TrimSpace(l)
		if len(l) == 0 {
			continue
		}
		if string(l) == "---" || string(l) == "+++" {
			return n + 1
		}
		return 0
	}
	return 0
}

// InferAdoption reads a post-mortem's text src (without frontmatter) for
// the frontmatter pm adopt writes. severities are the configured ones, so
// that "Sev 1" or "P1" becomes the team's name for it; name (the file's
// name) is the title when the text has none; fallback is the start when
// the text has no date at all (the caller passes the file's modification
// time).
func InferAdoption(src []byte, severities []string, name string, fallback time.Time) Adoption {
	lines := adoptLines(src)
	ad := Adoption{Guesses: map[string]Guess{}, Services: []string{}, Authors: []string{}}
	ad.inferTitle(lines, name)
	ad.inferSeverity(lines, severities)
	ad.inferLists(lines)
	ad.inferTimes(lines, fallback)
	return ad
}

// adoptLine is a line of prose: HTML comments and fenced code blanked.
type adoptLine struct {
	n    int
	text string
}

func adoptLines(src []byte) []adoptLine {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	var out []adoptLine
	comment, fence := false, ""
	for i, raw := range strings.Split(string(src), "\n") {
		l := strings.TrimRight(raw, "\r")
		if !utf8.ValidString(l) {
			l = strings.ToValidUTF8(l, "\ufffd")
		}
		t := strings.TrimSpace(l)
		switch {
		case fence != "":
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
			l = ""
		case strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~"):
			fence = t[:3]
			l = ""
		}
		// HTML comments, possibly over several lines
		var b strings.Builder
		for l != "" {
			if comment {
				j := strings.Index(l, "-->")
				if j < 0 {
					l = ""
					break
				}
				l, comment = l[j+3:], false
				continue
			}
			j := strings.Index(l, "<!--")
			if j < 0 {
				b.WriteString(l)
				break
			}
			b.WriteString(l[:j])
			l, comment = l[j+4:], true
		}
		out = append(out, adoptLine{n: i + 1, text: b.String()})
	}
	return out
}

var (
	atxHeading = regexp.MustCompile(`^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$`)
	mdLink     = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
)

// plainText drops markdown emphasis, code ticks and link targets.
func plainText(s string) string {
	s = mdLink.ReplaceAllString(s, "$1")
	s = strings.NewReplacer("**", "", "__", "", "`", "", "<br />", " ", "<br/>", " ", "<br>", " ").Replace(s)
	s = strings.Trim(strings.TrimSpace(s), "*_")
	return strings.Join(strings.Fields(s), " ")
}

func (ad *Adoption) inferTitle(lines []adoptLine, name string) {
	for _, l := range lines {
		if m := atxHeading.FindStringSubmatch(l.text); m != nil && plainText(m[2]) != "" {
			ad.Title = plainText(m[2])
			ad.Guesses["title"] = Guess{Line: l.n, Note: "the first heading"}
			return
		}
	}
	for _, l := range lines {
		if t := plainText(l.text); t != "" {
			if r := []rune(t); len(r) > 100 {
				t = strings.TrimSpace(string(r[:100]))
			}
			ad.Title = t
			ad.Guesses["title"] = Guess{Line: l.n, Note: "the first line: the text has no heading"}
			return
		}
	}
	ad.Title = name
	ad.Guesses["title"] = Guess{Note: "the file name: the text has no heading"}
}

var (
	severityLabel = regexp.MustCompile(`(?i)^[\W_]*(?:incident\s+)?(?:severity|sev|priority)(?:\s+level)?[\W_]*?[:=]\s*[*_]*\s*([a-z]*[- ]?[0-9]|[a-z]+)\b`)
	severityToken = regexp.MustCompile(`(?i)\bsev[- ]?([0-9])\b|\bP([0-4])\s+(?:incident|outage|issue)\b`)
)

// inferSeverity looks for a "Severity: …" line first, then for a SEV2 or
// a "P1 incident" anywhere, and names it as the configured list does.
func (ad *Adoption) inferSeverity(lines []adoptLine, severities []string) {
	try := func(l adoptLine, value string) bool {
		if s := severityNamed(value, severities); s != "" {
			ad.Severity = s
			ad.Guesses["severity"] = Guess{Line: l.n, From: strings.TrimSpace(value)}
			return true
		}
		return false
	}
	for _, l := range lines {
		if m := severityLabel.FindStringSubmatch(l.text); m != nil && try(l, m[1]) {
			return
		}
	}
	for _, l := range lines {
		if m := severityToken.FindStringSubmatch(l.text); m != nil && try(l, m[0]) {
			return
		}
	}
	ad.Guesses["severity"] = Guess{Note: "not stated in the text"}
}

// severityNamed is the configured severity value stands for: the same
// name in any case, or the one with the same number (Sev 1, SEV-1, P1 and
// 1 are SEV1 when the list is SEV1..SEV4).
func severityNamed(value string, severities []string) string {
	v := strings.ToUpper(strings.Join(strings.Fields(value), ""))
	for _, s := range severities {
		if strings.EqualFold(s, v) {
			return s
		}
	}
	num := func(s string) string {
		i := strings.LastIndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
		return s[i+1:]
	}
	n := num(v)
	if n == "" || len(n) > 1 {
		return ""
	}
	for _, s := range severities {
		if num(s) == n {
			return s
		}
	}
	return ""
}

var (
	servicesLabel  = regexp.MustCompile(`(?i)^[\W_]*(?:affected|impacted)?\s*(?:services?|systems?|components?)(?:\s+(?:affected|impacted))?[*_\s]*:[*_\s]*(.+)$`)
	authorsLabel   = regexp.MustCompile(`(?i)^[\W_]*(?:authors?|written by)[*_\s]*:[*_\s]*(.+)$`)
	commanderLabel = regexp.MustCompile(`(?i)^[\W_]*(?:incident\s+)?(?:commander|ic|incident lead)[*_\s]*:[*_\s]*(.+)$`)
	listSplit      = regexp.MustCompile(`\s*(?:,|;|\band\b|&)\s*`)
)

// splitList splits a list of names at commas, semicolons and "and", but
// not inside parentheses: "site (web, apps), dns" is two.
func splitList(s string) []string {
	var out []string
	sub := func(seg string) []string {
		if strings.ContainsAny(seg, "([") {
			return []string{seg}
		}
		return listSplit.Split(seg, -1)
	}
	depth, from := 0, 0
	for i, r := range s {
		switch r {
		case '(', '[':
			depth++
		case ')', ']':
			depth = max(0, depth-1)
		case ',', ';':
			if depth == 0 {
				out = append(out, sub(s[from:i])...)
				from = i + 1
			}
		}
	}
	return append(out, sub(s[from:])...)
}

// inferLists reads the services, the authors and the commander from
// their labelled lines; a line whose items are not short names is prose,
// and is left alone.
func (ad *Adoption) inferLists(lines []adoptLine) {
	list := func(key string, re *regexp.Regexp) []string {
		for _, l := range lines {
			m := re.FindStringSubmatch(l.text)
			if m == nil {
				continue
			}
			var items []string
			for _, it := range splitList(plainText(m[1])) {
				it = strings.Trim(it, " .")
				if it == "" {
					continue
				}
				if len([]rune(it)) > 60 || strings.Count(it, " ") > 6 {
					items = nil
					break
				}
				if !slices.Contains(items, it) {
					items = append(items, it)
				}
			}
			if len(items) > 0 {
				ad.Guesses[key] = Guess{Line: l.n}
				return items
			}
		}
		ad.Guesses[key] = Guess{Note: "none named in the text"}
		return []string{}
	}
	ad.Services = list("services", servicesLabel)
	ad.Authors = list("authors", authorsLabel)
	if c := list("commander", commanderLabel); len(c) == 1 {
		ad.Commander = c[0]
	} else {
		delete(ad.Guesses, "commander")
	}
}

// The times. A row of a timeline starts (after list, table and emphasis
// marks) with a date, a time or both; its words say what happened.
var (
	months   = `(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`
	isoDate  = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	mdyDate  = regexp.MustCompile(`(?i)\b` + months + `\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`)
	dmyDate  = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{1,2}(?:st|nd|rd|th)?)?\s+(?:of\s+)?` + months + `,?\s+(\d{4})\b`)
	clock    = regexp.MustCompile(`(?i)\b(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([ap])\.?m\b\.?)?(?:\s*\(?\b([A-Z]{2,4})\b\)?)?`)
	rowStart = regexp.MustCompile(`^[\s>|*_+•\-–]*(?:\d+\.\s+)?[\s*_]*`)
	zoneWord = regexp.MustCompile(`\b(UTC|GMT|CET|CEST|EET|EEST|WET|WEST|BST|IST|EAT|WAT|CAT|SAST|MSK|JST|KST|SGT|HKT|AEST|AEDT|PST|PDT|MST|MDT|CST|CDT|EST|EDT)\b`)
)

// zones are the offsets of the abbreviations post-mortems use, in hours.
var zones = map[string]float64{"UTC": 0, "GMT": 0, "WET": 0, "CET": 1, "WEST": 1, "BST": 1, "WAT": 1, "CEST": 2, "EET": 2, "CAT": 2, "SAST": 2,
	"EEST": 3, "EAT": 3, "MSK": 3, "IST": 5.5, "SGT": 8, "HKT": 8, "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11,
	"PST": -8, "PDT": -7, "MST": -7, "MDT": -6, "CST": -6, "CDT": -5, "EST": -5, "EDT": -4}

func zoneOf(abbr string) *time.Location {
	h, ok := zones[abbr]
	if !ok {
		return nil
	}
	return time.FixedZone(abbr, int(h*3600))
}

var monthIndex = map[string]time.Month{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}

type civilDate struct{ y, m, d int }

// findDate is the first date in s: its value, where it starts and ends.
func findDate(s string) (civilDate, int, int, bool) {
	best := civilDate{}
	start, end := -1, -1
	consider := func(loc []int, d civilDate) {
		if loc != nil && (start < 0 || loc[0] < start) && d.m >= 1 && d.m <= 12 && d.d >= 1 && d.d <= 31 && d.y >= 1970 && d.y <= 9999 {
			best, start, end = d, loc[0], loc[1]
		}
	}
	if m := isoDate.FindStringSubmatchIndex(s); m != nil {
		y, _ := strconv.Atoi(s[m[2]:m[3]])
		mo, _ := strconv.Atoi(s[m[4]:m[5]])
		d, _ := strconv.Atoi(s[m[6]:m[7]])
		consider(m[:2], civilDate{y, mo, d})
	}
	if m := mdyDate.FindStringSubmatchIndex(s); m != nil {
		d, _ := strconv.Atoi(s[m[4]:m[5]])
		y, _ := strconv.Atoi(s[m[6]:m[7]])
		consider(m[:2], civilDate{y, int(monthIndex[strings.ToLower(s[m[2]:m[2]+3])]), d})
	}
	if m := dmyDate.FindStringSubmatchIndex(s); m != nil {
		d, _ := strconv.Atoi(s[m[2]:m[3]])
		y, _ := strconv.Atoi(s[m[6]:m[7]])
		consider(m[:2], civilDate{y, int(monthIndex[strings.ToLower(s[m[4]:m[4]+3])]), d})
	}
	return best, start, end, start >= 0
}

// clockTime is a time of day as written, with its zone if it names one.
type clockTime struct {
	h, m, s int
	zone    string
}

// findClock is the first time of day in s and where it starts and ends.
func findClock(s string) (clockTime, int, int, bool) {
	for _, m := range clock.FindAllStringSubmatchIndex(s, -1) {
		h, _ := strconv.Atoi(s[m[2]:m[3]])
		mi, _ := strconv.Atoi(s[m[4]:m[5]])
		sec := 0
		if m[6] >= 0 {
			sec, _ = strconv.Atoi(s[m[6]:m[7]])
		}
		if m[8] >= 0 {
			if h < 1 || h > 12 {
				continue
			}
			pm := strings.EqualFold(s[m[8]:m[9]], "p")
			h %= 12
			if pm {
				h += 12
			}
		}
		if h > 23 || mi > 59 || sec > 59 {
			continue
		}
		c := clockTime{h: h, m: mi, s: sec}
		end := m[1]
		if m[10] >= 0 {
			if zoneOf(s[m[10]:m[11]]) != nil {
				c.zone = s[m[10]:m[11]]
			} else {
				end = m[9]
				if m[8] < 0 {
					end = max(m[5], m[7])
				}
			}
		}
		return c, m[0], end, true
	}
	return clockTime{}, 0, 0, false
}

// row is one line of a timeline.
type row struct {
	line     int
	from     string // the date and time as written
	date     civilDate
	hasDate  bool
	clock    clockTime
	hasClock bool
	text     string
	t        time.Time // once the dates and zones are settled
	note     string
	dateLine int // where the date of a time of day came from
}

// timelineRow reads a line as a row of a timeline: a date and/or a time of
// day at its start.
func timelineRow(l adoptLine) (row, bool) {
	s := l.text
	p := len(rowStart.FindString(s))
	rest := s[p:]
	r := row{line: l.n, text: s}
	if d, start, end, ok := findDate(rest); ok && start == 0 {
		r.date, r.hasDate = d, true
		r.from = rest[:end]
		rest = strings.TrimLeft(rest[end:], " \t,T|")
		rest = strings.TrimPrefix(rest, "at ")
	}
	if c, start, end, ok := findClock(rest); ok && start == 0 {
		r.clock, r.hasClock = c, true
		if r.from != "" {
			r.from += " "
		}
		r.from += rest[:end]
	}
	return r, r.hasDate || r.hasClock
}

var (
	timelineHeading = regexp.MustCompile(`(?i)^[\s#*_>]*(?:[\w'’ –-]{0,40}\s)?time\s?line\b[^.]{0,60}$`)
	detectWords     = regexp.MustCompile(`(?i)\b(detect|alert|alarm|notic|report|pag(?:e|ed|ing)\b|aware|declar|discover|spotted|escalat|investigat|first (?:sign|error|report)|monitoring)`)
	mitigateWords   = regexp.MustCompile(`(?i)\b(mitigat|restor|recover|rolled back|roll(?:ed)?[- ]?back|revert|back (?:online|up)|workaround|fail(?:ed)?[- ]?over|drain|normal|stabili[sz]|resolv|fixed|available again|online again)`)
	resolveWords    = regexp.MustCompile(`(?i)\b(resolv|fixed|restor|recover|operational|back (?:online|up|to normal)|normal|complet|closed|all clear|verified|stable|healthy|available again)`)
	timesZone       = regexp.MustCompile(`(?i)\btimes?\b[^.]{0,30}`)
)

// timelineRows finds the timeline section and its rows: from a heading (or
// a line of its own) that says timeline to the next heading, or to the
// first line of prose after its rows. zone is the zone the section
// states ("All times in CET"), "" when it states none.
func timelineRows(lines []adoptLine) (rows []row, zone string, found bool) {
	start := -1
	for i, l := range lines {
		if timelineHeading.MatchString(l.text) {
			start = i
			break
		}
	}
	if start < 0 {
		return nil, "", false
	}
	for _, l := range lines[start+1:] {
		t := strings.TrimSpace(l.text)
		if atxHeading.MatchString(l.text) {
			break
		}
		if r, ok := timelineRow(l); ok {
			rows = append(rows, r)
			continue
		}
		if zone == "" && len(rows) == 0 || strings.HasPrefix(t, "|") {
			if z := zoneWord.FindString(l.text); z != "" && (timesZone.MatchString(l.text) || strings.HasPrefix(t, "|")) {
				zone = z
			}
		}
		if t == "" || strings.HasPrefix(t, "|") || l.text != strings.TrimLeft(l.text, " \t") || len(rows) == 0 {
			continue
		}
		break
	}
	return rows, zone, true
}

func (ad *Adoption) inferTimes(lines []adoptLine, fallback time.Time) {
	rows, zone, _ := timelineRows(lines)
	// the date for rows that give only a time of day: a "Date:" line, the
	// title, else the first date in the text
	base, baseLine, haveBase := baseDate(lines, ad.Guesses["title"].Line)
	// the zone: the section's, else the first a row names, else the first
	// the text names, else UTC
	zoneNote := ""
	if zone == "" {
		for _, r := range rows {
			if r.clock.zone != "" {
				zone = r.clock.zone
				break
			}
		}
	}
	if zone == "" {
		for _, l := range lines {
			if z := zoneWord.FindString(l.text); z != "" {
				zone = z
				break
			}
		}
	}
	if zone == "" {
		zone, zoneNote = "UTC", "no time zone stated: read as UTC"
	}
	// settle each row's time
	var settled []row
	var last time.Time
	lastDate, haveLast, lastLine, fromFile := base, haveBase, baseLine, false
	for _, r := range rows {
		z := zone
		if r.clock.zone != "" {
			z = r.clock.zone
		}
		loc := zoneOf(z)
		var notes []string
		if zoneNote != "" && r.clock.zone == "" {
			notes = append(notes, zoneNote)
		} else {
			notes = append(notes, z)
		}
		d := lastDate
		switch {
		case r.hasDate:
			d, lastLine, fromFile = r.date, 0, false
		case haveLast:
			// a time earlier than the row before it, with no date of its
			// own: past midnight
			if t := time.Date(d.y, time.Month(d.m), d.d, r.clock.h, r.clock.m, r.clock.s, 0, loc); !last.IsZero() && t.Before(last) {
				n := t.AddDate(0, 0, 1)
				d = civilDate{n.Year(), int(n.Month()), n.Day()}
			}
			r.dateLine = lastLine
		default:
			f := fallback.In(loc)
			d, fromFile = civilDate{f.Year(), int(f.Month()), f.Day()}, true
		}
		if fromFile {
			notes = append(notes, "no date in the text: the file's date")
		}
		if !r.hasClock {
			notes = append(notes, "no time of day: midnight")
		}
		r.note = strings.Join(notes, ", ")
		r.t = time.Date(d.y, time.Month(d.m), d.d, r.clock.h, r.clock.m, r.clock.s, 0, loc).UTC()
		lastDate, haveLast, last = d, true, r.t
		settled = append(settled, r)
	}
	if len(settled) == 0 {
		ad.inferDateOnly(lines, base, baseLine, haveBase, fallback)
		return
	}
	guess := func(r row, why string) Guess {
		note := r.note
		if why != "" {
			note = why + "; " + note
		}
		return Guess{Line: r.line, From: r.from, Note: note, DateLine: r.dateLine}
	}
	first := settled[0]
	for _, r := range settled {
		if r.t.Before(first.t) {
			first = r
		}
	}
	ad.Started, ad.Guesses["started"] = first.t, guess(first, "the earliest time of the timeline")
	det := first
	detWhy := "no row says when it was noticed: the start"
	for _, r := range settled {
		if detectWords.MatchString(r.text) {
			det, detWhy = r, ""
			break
		}
	}
	ad.Detected, ad.Guesses["detected"] = det.t, guess(det, detWhy)
	var res row
	resWhy := ""
	for _, r := range settled {
		if !r.t.Before(det.t) && resolveWords.MatchString(r.text) && (res.line == 0 || !r.t.Before(res.t)) {
			res = r
		}
	}
	if res.line == 0 {
		for _, r := range settled {
			if res.line == 0 || !r.t.Before(res.t) {
				res = r
			}
		}
		resWhy = "no row says it was fixed: the last time of the timeline"
	}
	ad.Resolved, ad.Guesses["resolved"] = res.t, guess(res, resWhy)
	mit, mitWhy := res, "no row says impact stopped earlier: the resolved time"
	for _, r := range settled {
		if !r.t.Before(det.t) && !r.t.After(res.t) && mitigateWords.MatchString(r.text) {
			mit, mitWhy = r, ""
			break
		}
	}
	ad.Mitigated, ad.Guesses["mitigated"] = mit.t, guess(mit, mitWhy)
}

var dateLabel = regexp.MustCompile(`(?i)^[\W_]*date\b`)

// baseDate is the date of a text's times of day: a "Date:" line's, else the
// title's (at line title), else the first in the text; and its line.
func baseDate(lines []adoptLine, title int) (civilDate, int, bool) {
	var first, titled *adoptLine
	for i, l := range lines {
		if _, _, _, ok := findDate(l.text); ok {
			if dateLabel.MatchString(l.text) {
				d, _, _, _ := findDate(l.text)
				return d, l.n, true
			}
			if first == nil {
				first = &lines[i]
			}
			if l.n == title && titled == nil {
				titled = &lines[i]
			}
		}
	}
	for _, l := range []*adoptLine{titled, first} {
		if l != nil {
			d, _, _, _ := findDate(l.text)
			return d, l.n, true
		}
	}
	return civilDate{}, 0, false
}

func lineText(lines []adoptLine, n int) string {
	for _, l := range lines {
		if l.n == n {
			return l.text
		}
	}
	return ""
}

// inferDateOnly is the start of a text without a timeline: the date it
// gives (midnight UTC), else fallback; the other milestones are left for
// the author, since nothing says them.
func (ad *Adoption) inferDateOnly(lines []adoptLine, base civilDate, baseLine int, ok bool, fallback time.Time) {
	none := Guess{Note: "not found in the text: fill it in"}
	ad.Guesses["detected"], ad.Guesses["mitigated"], ad.Guesses["resolved"] = none, none, none
	if !ok {
		ad.Started = fallback.UTC().Truncate(time.Second)
		ad.Guesses["started"] = Guess{Note: "no date in the text: the file's modification time"}
		return
	}
	ad.Started = time.Date(base.y, time.Month(base.m), base.d, 0, 0, 0, 0, time.UTC)
	from := ""
	if _, s, e, found := findDate(lineText(lines, baseLine)); found {
		from = lineText(lines, baseLine)[s:e]
	}
	ad.Guesses["started"] = Guess{Line: baseLine, From: from, Note: "only the date: midnight UTC"}
}

// AdoptFrontmatter is the frontmatter pm adopt puts on top of a text: the
// keys pm new writes, with the adoption's values, status as given and
// severity (the configured default when the text states none). Each value
// that was read from the text, or could not be, carries a comment saying
// where from, with line numbers of the file as it will be (the text moved
// down by the frontmatter's lines); nl is the text's line ending.
func AdoptFrontmatter(ad Adoption, id, status, defaultSeverity, nl string) []byte {
	type kv struct{ key, value string }
	sev := ad.Severity
	if sev == "" {
		sev = defaultSeverity
	}
	yv := func(v any) string { s, _ := yamlValue(v); return s }
	keys := []kv{{"id", yv(id)}, {"title", yv(ad.Title)}, {"status", status}, {"severity", yv(sev)},
		{"started", rfc3339(ad.Started)}, {"detected", rfc3339(ad.Detected)}, {"mitigated", rfc3339(ad.Mitigated)}, {"resolved", rfc3339(ad.Resolved)},
		{"commander", yv(ad.Commander)}, {"authors", yv(ad.Authors)}, {"services", yv(ad.Services)}, {"tags", "[]"}}
	offset := len(keys) + 2 // the text's line 1 is this line of the file
	var b strings.Builder
	b.WriteString("---" + nl)
	for _, k := range keys {
		line := k.key + ":"
		if k.value != "" {
			line += " " + k.value
		}
		c := ""
		if g, ok := ad.Guesses[k.key]; ok {
			c = adoptComment(g, offset)
		} else if k.key == "status" {
			c = AdoptMarker + " a written post-mortem; pm close once checked"
		}
		if c != "" {
			line += strings.Repeat(" ", max(1, 31-utf8.RuneCountInString(line))) + c
		}
		b.WriteString(line + nl)
	}
	b.WriteString("---" + nl)
	return []byte(b.String())
}

func adoptComment(g Guess, offset int) string {
	var parts []string
	if g.Line > 0 {
		s := fmt.Sprintf("guessed from line %d", g.Line+offset)
		if g.From != "" {
			s += fmt.Sprintf(" (%s)", strings.ReplaceAll(g.From, "\"", "'"))
		}
		parts = append(parts, s)
	}
	if g.Note != "" {
		parts = append(parts, g.Note)
	}
	if g.DateLine > 0 {
		parts = append(parts, fmt.Sprintf("the date from line %d", g.DateLine+offset))
	}
	c := AdoptMarker + " " + strings.Join(parts, ", ")
	if g.Line > 0 {
		c += "; check it"
	}
	return Printable(c)
}
