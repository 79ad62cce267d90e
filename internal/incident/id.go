package incident

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// NewID picks the id of a new incident that none of taken (the ids already
// in the folder) has: with the "sequential" scheme prefix and the next
// number (INC-0042), else the UTC date of started and the title's slug
// (without that date when the title starts with it), with -2, -3, … for a
// second incident of the same title that day. The
// caller holds the lock, so two pm new at once still get distinct ids.
func NewID(scheme, prefix string, started time.Time, title string, taken map[string]bool) string {
	if scheme == "sequential" {
		next := 1
		for id := range taken {
			if n, err := strconv.Atoi(strings.TrimPrefix(id, prefix)); err == nil && strings.HasPrefix(id, prefix) && n >= next {
				next = n + 1
			}
		}
		return fmt.Sprintf("%s%04d", prefix, next)
	}
	date := started.UTC().Format("2006-01-02")
	name := slug(title)
	// A title that starts with the date ("2022-05-23 - website outage", as
	// archives often name them) does not say it twice in the id.
	if rest, ok := strings.CutPrefix(name, date+"-"); ok {
		name = rest
	}
	base := date + "-" + name
	id := base
	for n := 2; taken[id]; n++ {
		id = fmt.Sprintf("%s-%d", base, n)
	}
	return id
}

// slug turns a title into the part of an id people can read in a file
// name: lower-case ASCII letters and digits joined by hyphens, at most
// maxSlug characters cut at a word boundary. Other characters separate
// words; a title with none of these letters gives "incident", so every id
// is a safe, portable file name.
func slug(title string) string {
	const maxSlug = 48
	var b strings.Builder
	dash := false
	for _, r := range title {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
	}
	s := b.String()
	if len(s) > maxSlug {
		s = s[:maxSlug]
		if i := strings.LastIndexByte(s, '-'); i > maxSlug/2 {
			s = s[:i]
		}
		s = strings.Trim(s, "-")
	}
	if s == "" {
		s = "incident"
	}
	return s
}
