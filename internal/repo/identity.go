package repo

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Signature is who made a commit, and when.
type Signature struct {
	Name, Email string
	When        time.Time
}

// IdentityError reports that no author or committer name or email could be
// found. Its message tells the user the one command that fixes it.
type IdentityError struct {
	Missing string // what was missing, e.g. "author email"
}

func (e *IdentityError) Error() string {
	switch {
	case strings.HasSuffix(e.Missing, " email"):
		return "no git identity: user.email is not set; set it with git config --global user.email you@example.com"
	case strings.HasSuffix(e.Missing, " name"):
		return `no git identity: user.name is not set; set it with git config --global user.name "Your Name"`
	}
	return `no git identity: set it with git config --global user.name "Your Name" and user.email you@example.com`
}

// Identity resolves author and committer exactly as git does, because go-git
// ignores GIT_AUTHOR_* (go-git issue 401) and reads only the local config:
//
//   - name: GIT_AUTHOR_NAME (GIT_COMMITTER_NAME), else author.name
//     (committer.name), else user.name;
//   - email: GIT_AUTHOR_EMAIL (GIT_COMMITTER_EMAIL), else author.email
//     (committer.email), else user.email, else $EMAIL;
//   - date: GIT_AUTHOR_DATE (GIT_COMMITTER_DATE), else now.
//
// Config comes from the system, global, local and worktree files and
// GIT_CONFIG_COUNT, with include.path and includeIf gitdir/onbranch honoured
// (see loadConfig). Unlike git, pm does not guess a name from the passwd
// file or an email from the host name: without one the result is an
// *IdentityError. Names and emails are cleaned as git cleans them (leading
// and trailing punctuation and spaces, and any <, > or newline, removed).
// Dates are parsed by parseGitDate; dates without a zone are in now's
// location.
func (r *Repo) Identity(getenv func(string) string, now time.Time) (author, committer Signature, err error) {
	cfg, err := r.loadConfig(getenv)
	if err != nil {
		return author, committer, err
	}
	author, err = identityFor("author", getenv, cfg, now)
	if err != nil {
		return Signature{}, Signature{}, err
	}
	committer, err = identityFor("committer", getenv, cfg, now)
	if err != nil {
		return Signature{}, Signature{}, err
	}
	return author, committer, nil
}

func identityFor(who string, getenv func(string) string, cfg *configSet, now time.Time) (Signature, error) {
	env := "GIT_" + strings.ToUpper(who) + "_"
	pick := func(envName, key string, fallbacks ...string) string {
		if v := getenv(env + envName); v != "" {
			return v
		}
		if v, ok := cfg.get(who, "", key); ok && v != "" {
			return v
		}
		if v, ok := cfg.get("user", "", key); ok && v != "" {
			return v
		}
		for _, f := range fallbacks {
			if v := getenv(f); v != "" {
				return v
			}
		}
		return ""
	}
	s := Signature{
		Name:  cleanIdent(pick("NAME", "name")),
		Email: cleanIdent(pick("EMAIL", "email", "EMAIL")),
		When:  now,
	}
	if s.Name == "" {
		return Signature{}, &IdentityError{Missing: who + " name"}
	}
	if s.Email == "" {
		return Signature{}, &IdentityError{Missing: who + " email"}
	}
	if d := getenv(env + "DATE"); d != "" {
		t, err := parseGitDate(d, now.Location())
		if err != nil {
			return Signature{}, fmt.Errorf("%sDATE=%q: %w", env, d, err)
		}
		s.When = t
	}
	return s, nil
}

// identCrud is what git strips from the ends of names and emails.
func identCrud(c byte) bool {
	return c <= 32 || strings.IndexByte(",:;<>\"\\'", c) >= 0
}

// cleanIdent does what git's strbuf_addstr_without_crud does: trim crud at
// both ends and drop <, > and newlines, which would break the ident line.
func cleanIdent(s string) string {
	i, j := 0, len(s)
	for i < j && identCrud(s[i]) {
		i++
	}
	for j > i && identCrud(s[j-1]) {
		j--
	}
	return strings.Map(func(r rune) rune {
		if r == '<' || r == '>' || r == '\n' {
			return -1
		}
		return r
	}, s[i:j])
}

// dateLayouts are the formats git's parse_date accepts that people actually
// put in GIT_*_DATE: ISO 8601 / RFC 3339, RFC 2822 and git's own default.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05.999999999 -0700",
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 -0700 (MST)",
	"2 Jan 2006 15:04:05 -0700",
	"Mon Jan 2 15:04:05 2006 -0700",
}

// zonelessLayouts are read in the caller's location, as git reads them in
// the local time zone.
var zonelessLayouts = []string{
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05",
	"2006.01.02 15:04:05",
	"Mon, 2 Jan 2006 15:04:05",
	"Mon Jan 2 15:04:05 2006",
}

// parseGitDate parses the date formats git accepts in GIT_AUTHOR_DATE and
// GIT_COMMITTER_DATE: git's internal "<unix> <+-hhmm>" (optionally "@"
// before the number, the zone optional), RFC 3339 / ISO 8601 and RFC 2822.
func parseGitDate(s string, loc *time.Location) (time.Time, error) {
	s = strings.Join(strings.Fields(s), " ")
	if t, ok := parseRawDate(s); ok {
		return t, nil
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	if loc == nil {
		loc = time.UTC
	}
	for _, l := range zonelessLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf(`invalid date format (use RFC 3339 like 2026-11-24T09:10:00Z, RFC 2822, or "@1700000000 +0000")`)
}

func parseRawDate(s string) (time.Time, bool) {
	at := strings.HasPrefix(s, "@")
	num, zone, _ := strings.Cut(strings.TrimPrefix(s, "@"), " ")
	sec, err := strconv.ParseInt(num, 10, 64)
	if err != nil || sec < 0 {
		return time.Time{}, false
	}
	// Without "@", git reads a bare number as a timestamp only when it is
	// too large to be a date like 20261124.
	if !at && sec < 100000000 {
		return time.Time{}, false
	}
	loc := time.UTC
	if zone != "" {
		l, ok := parseZone(zone)
		if !ok {
			return time.Time{}, false
		}
		loc = l
	}
	return time.Unix(sec, 0).In(loc), true
}

// parseZone reads "+hhmm" / "-hhmm" into a fixed zone.
func parseZone(z string) (*time.Location, bool) {
	if len(z) != 5 || (z[0] != '+' && z[0] != '-') {
		return nil, false
	}
	hh, err1 := strconv.Atoi(z[1:3])
	mm, err2 := strconv.Atoi(z[3:5])
	if err1 != nil || err2 != nil || mm >= 60 {
		return nil, false
	}
	off := (hh*60 + mm) * 60
	if z[0] == '-' {
		off = -off
	}
	return time.FixedZone("", off), true
}
