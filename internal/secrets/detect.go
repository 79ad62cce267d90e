package secrets

import "strings"

// Each detector finds its anchors with strings.Index (a literal prefix, or a
// separator for labelled values) and checks the few bytes around them, so a
// 4 KB paste is scanned in microseconds; no regular expressions.

func isDigit(c byte) bool      { return '0' <= c && c <= '9' }
func isUpper(c byte) bool      { return 'A' <= c && c <= 'Z' }
func isLower(c byte) bool      { return 'a' <= c && c <= 'z' }
func isAlpha(c byte) bool      { return isUpper(c) || isLower(c) }
func isAlnum(c byte) bool      { return isAlpha(c) || isDigit(c) }
func isUpperAlnum(c byte) bool { return isUpper(c) || isDigit(c) }
func isB64URL(c byte) bool     { return isAlnum(c) || c == '-' || c == '_' }
func isAlnumDash(c byte) bool  { return isAlnum(c) || c == '-' }
func isAlnumUnder(c byte) bool { return isAlnum(c) || c == '_' }
func isBase64(c byte) bool     { return isAlnum(c) || c == '+' || c == '/' || c == '=' }

// isIdent reports a byte of a key name: DB_PASSWORD, x-api-key, a.b.token.
func isIdent(c byte) bool { return isAlnum(c) || c == '_' || c == '-' || c == '.' }

// isToken68 reports a byte of an HTTP token68 credential (RFC 9110).
func isToken68(c byte) bool {
	return isAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '='
}

// isHeaderValue reports a byte of an unquoted header credential.
func isHeaderValue(c byte) bool {
	return c > ' ' && c != 0x7f && !strings.ContainsRune("\"'`,;<>\\", rune(c))
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// run returns how many bytes from s[i] on satisfy ok.
func run(s string, i int, ok func(byte) bool) int {
	n := 0
	for i+n < len(s) && ok(s[i+n]) {
		n++
	}
	return n
}

func skipSpace(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

// eachIndex calls f with every offset at which sub occurs in s. Matches
// may overlap: a detector that skipped ahead past a failed candidate could
// miss one that starts inside it.
func eachIndex(s, sub string, f func(i int)) {
	for from := 0; from <= len(s)-len(sub); {
		j := strings.Index(s[from:], sub)
		if j < 0 {
			return
		}
		f(from + j)
		from += j + 1
	}
}

// mixed reports whether v looks machine-made: it uses at least two of
// lower-case letters, upper-case letters and digits. Opaque tokens almost
// always do; English words ("authentication", "keycloak") do not.
func mixed(v string) bool {
	var lower, upper, digit int
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case isLower(c):
			lower = 1
		case isUpper(c):
			upper = 1
		case isDigit(c):
			digit = 1
		}
	}
	return lower+upper+digit >= 2
}

// pem finds PEM private key blocks.
func (sc *scanner) pem() {
	s := sc.s
	const begin = "-----BEGIN "
	eachIndex(s, begin, func(i int) {
		p := i + len(begin)
		n := run(s, p, func(c byte) bool { return isUpperAlnum(c) || c == ' ' })
		label := s[p : p+n]
		if !strings.HasSuffix(label, "PRIVATE KEY") && !strings.HasSuffix(label, "PRIVATE KEY BLOCK") ||
			!strings.HasPrefix(s[p+n:], "-----") {
			return
		}
		kind := "PEM private key"
		if strings.HasPrefix(label, "PGP ") {
			kind = "PGP private key"
		}
		body := p + n + 5
		end := strings.Index(s[body:], "-----END "+label+"-----")
		if end >= 0 {
			end += body + len("-----END "+label+"-----")
		} else {
			end = truncatedPEMEnd(s, body)
		}
		sc.add(i, end, kind, rankPEM)
	})
}

// truncatedPEMEnd finds where a PEM body that lost its END line stops: the
// rest of the BEGIN line if it carries escaped newlines (JSON), then the
// following PEM header lines (Proc-Type:, DEK-Info:, a blank line after
// them) and base64 lines (padded, so a multiple of 4 long), each as wide as
// the first body line except the last, which may be shorter. Half a private
// key is still a private key; the word on the line after it is not.
func truncatedPEMEnd(s string, body int) int {
	end := body + run(s, body, func(c byte) bool { return isBase64(c) || c == '\\' })
	width, header := 0, false
	for end < len(s) && (s[end] == '\n' || s[end] == '\r') {
		line := end + 1
		if s[end] == '\r' {
			if line >= len(s) || s[line] != '\n' {
				return end
			}
			line++
		}
		eol := strings.IndexByte(s[line:], '\n')
		if eol < 0 {
			eol = len(s)
		} else {
			eol += line
		}
		text := strings.TrimRight(s[line:eol], "\r")
		trimmed := strings.TrimSpace(text)
		n := len(trimmed)
		switch {
		case width == 0 && (strings.HasPrefix(trimmed, "Proc-Type:") || strings.HasPrefix(trimmed, "DEK-Info:")):
			header = true
		case width == 0 && header && n == 0:
			header = false
		case n == 0 || n%4 != 0 || run(trimmed, 0, isBase64) != n || width > 0 && n > width:
			return end
		case width == 0:
			if n < 16 {
				return end
			}
			width = n
		}
		end = line + len(strings.TrimRight(text, " \t"))
		if width > 0 && n < width {
			return end
		}
	}
	return end
}

// shape is a credential recognised by a literal prefix and a body of a
// given alphabet and length. Shapes that share a needle (a part of the
// prefix) are found with one search.
type shape struct {
	needle, prefix string
	kind           string
	body           func(byte) bool
	min, max       int
}

var shapes = []shape{
	{"AKIA", "AKIA", "AWS access key", isUpperAlnum, 16, 16},
	{"ASIA", "ASIA", "AWS access key", isUpperAlnum, 16, 16},
	{"AIza", "AIza", "GCP API key", isB64URL, 35, 35},
	{"gh", "ghp_", "GitHub token", isAlnum, 36, 251},
	{"gh", "gho_", "GitHub token", isAlnum, 36, 251},
	{"gh", "ghu_", "GitHub token", isAlnum, 36, 251},
	{"gh", "ghs_", "GitHub token", isAlnum, 36, 251},
	{"gh", "ghr_", "GitHub token", isAlnum, 36, 251},
	{"github_pat_", "github_pat_", "GitHub token", isAlnumUnder, 22, 244},
	{"xox", "xoxb-", "Slack token", isAlnumDash, 10, 250},
	{"xox", "xoxp-", "Slack token", isAlnumDash, 10, 250},
	{"xox", "xoxa-", "Slack token", isAlnumDash, 10, 250},
	{"xox", "xoxr-", "Slack token", isAlnumDash, 10, 250},
	{"xox", "xoxs-", "Slack token", isAlnumDash, 10, 250},
	{"k_live_", "sk_live_", "Stripe key", isAlnum, 10, 247},
	{"k_live_", "rk_live_", "Stripe key", isAlnum, 10, 247},
}

// shapes finds the fixed-prefix vendor credentials. The prefix must not be
// glued to a letter, digit, '_' or '+' before it, nor the body to a letter
// or digit after it: then it is a slice of a longer string.
func (sc *scanner) shapes() {
	s := sc.s
	for n, sh := range shapes {
		if n > 0 && shapes[n-1].needle == sh.needle {
			continue
		}
		group := shapes[n:]
		for len(group) > 0 && group[len(group)-1].needle != sh.needle {
			group = group[:len(group)-1]
		}
		back := strings.Index(sh.prefix, sh.needle)
		eachIndex(s, sh.needle, func(j int) {
			i := j - back
			if i < 0 || i > 0 && (isAlnum(s[i-1]) || s[i-1] == '_' || s[i-1] == '+') {
				return
			}
			for _, sh := range group {
				if strings.HasPrefix(s[i:], sh.prefix) {
					sc.shape(sh, i)
					return
				}
			}
		})
	}
}

// shape records the credential of shape sh whose prefix is at i, if its
// body has the right length.
func (sc *scanner) shape(sh shape, i int) {
	s := sc.s
	p := i + len(sh.prefix)
	n := run(s, p, sh.body)
	end := p + n
	if n >= sh.min && n <= sh.max && (end == len(s) || !isAlnum(s[end])) {
		sc.add(i, end, sh.kind, rankShape)
	}
}

// jwt finds JSON Web Tokens: a base64url header starting eyJ ({"), a
// payload starting ey ({), and a signature, which may be empty (alg none).
func (sc *scanner) jwt() {
	s := sc.s
	eachIndex(s, "eyJ", func(i int) {
		if i > 0 && (isB64URL(s[i-1]) || s[i-1] == '.') {
			return
		}
		p := i + run(s, i, isB64URL)
		if p-i < 10 || p+3 > len(s) || s[p] != '.' || !strings.HasPrefix(s[p+1:], "ey") {
			return
		}
		p++
		p += run(s, p, isB64URL)
		if p >= len(s) || s[p] != '.' {
			return
		}
		p++
		p += run(s, p, isB64URL)
		sc.add(i, p, "JWT", rankShape)
	})
}

// slackWebhook finds Slack incoming-webhook and workflow URLs; the path
// after services/ (or workflows/, triggers/) is the secret.
func (sc *scanner) slackWebhook() {
	s := sc.s
	const host = "hooks.slack.com/"
	eachIndex(s, host, func(i int) {
		p := i + len(host)
		for _, dir := range []string{"services/", "workflows/", "triggers/"} {
			if strings.HasPrefix(s[p:], dir) {
				p += len(dir)
				n := run(s, p, func(c byte) bool { return isB64URL(c) || c == '/' })
				for n > 0 && s[p+n-1] == '/' {
					n--
				}
				if n >= 8 {
					sc.add(p, p+n, "Slack webhook URL", rankShape)
				}
				return
			}
		}
	})
}

// gcpJSON finds the private key fields of a GCP service-account key file.
func (sc *scanner) gcpJSON() {
	s := sc.s
	const key = `"private_key`
	eachIndex(s, key, func(i int) {
		p := i + len(key)
		hexOnly := false
		switch {
		case strings.HasPrefix(s[p:], `"`):
			p++
		case strings.HasPrefix(s[p:], `_id"`):
			p += 4
			hexOnly = true
		default:
			return
		}
		p = skipSpace(s, p)
		if p >= len(s) || s[p] != ':' {
			return
		}
		p = skipSpace(s, p+1)
		if p >= len(s) || s[p] != '"' {
			return
		}
		vs, ve, ok := quoted(s, p)
		if !ok || ve-vs < 16 || hexOnly && run(s, vs, isHexDigit) != ve-vs || placeholder(s[vs:ve], sc.low[vs:ve]) {
			return
		}
		sc.add(vs, ve, "GCP service-account key", rankShape)
	})
}

func isHexDigit(c byte) bool { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// quoted returns the contents of the string literal whose opening quote is
// at s[p], ending on the same line; backslash escapes count inside "…".
func quoted(s string, p int) (start, end int, ok bool) {
	q := s[p]
	for e := p + 1; e < len(s); e++ {
		switch s[e] {
		case q:
			return p + 1, e, true
		case '\n':
			return 0, 0, false
		case '\\':
			if q == '"' && e+1 < len(s) && s[e+1] != '\n' {
				e++
			}
		}
	}
	return 0, 0, false
}

// urlCredentials finds the password in scheme://user:password@host.
func (sc *scanner) urlCredentials() {
	s := sc.s
	eachIndex(s, "://", func(i int) {
		k := i
		for k > 0 && (isAlnum(s[k-1]) || s[k-1] == '+' || s[k-1] == '.' || s[k-1] == '-') {
			k--
		}
		if k == i || !isAlpha(s[k]) {
			return
		}
		p := i + 3
		at, e := -1, p
	authority:
		for ; e < len(s); e++ {
			switch c := s[e]; {
			case c <= ' ' || strings.IndexByte("/?#\"'<>`\\", c) >= 0:
				break authority
			case c == '@':
				at = e
			}
		}
		if at < 0 {
			return
		}
		colon := strings.IndexByte(s[p:at], ':')
		if colon < 0 {
			return
		}
		pw := p + colon + 1
		if pw < at && !placeholder(s[pw:at], sc.low[pw:at]) {
			sc.add(pw, at, "credentials in URL", rankURL)
		}
	})
}

// bearer finds "Bearer <token>" in headers, curl commands and prose.
func (sc *scanner) bearer() {
	s := sc.s
	eachIndex(sc.low, "bearer", func(i int) {
		p := i + len("bearer")
		if i > 0 && isAlnum(s[i-1]) || p >= len(s) || !isSpace(s[p]) {
			return
		}
		p = skipSpace(s, p)
		end := p + run(s, p, isToken68)
		for end > p && s[end-1] == '.' {
			end--
		}
		if end-p >= 16 && mixed(s[p:end]) {
			sc.add(p, end, "bearer token", rankHeader)
		}
	})
}

// authorization finds the credential in an Authorization (or
// Proxy-Authorization) header: Basic, another scheme, or none. Bearer is
// left to bearer.
func (sc *scanner) authorization() {
	s, low := sc.s, sc.low
	eachIndex(low, "authorization", func(i int) {
		p := i + len("authorization")
		if i > 0 && isAlnum(s[i-1]) {
			return
		}
		for p < len(s) && (s[p] == '"' || s[p] == '\'') {
			p++
		}
		p = skipSpace(s, p)
		if p >= len(s) || s[p] != ':' && s[p] != '=' {
			return
		}
		p = skipSpace(s, p+1)
		for p < len(s) && (s[p] == '"' || s[p] == '\'') {
			p++
		}
		kind, min := "authorization header", 16
		if w := run(s, p, isAlnumDash); w > 0 && p+w < len(s) && isSpace(s[p+w]) {
			switch low[p : p+w] {
			case "bearer":
				return
			case "basic":
				kind = "basic auth credentials"
			}
			p, min = skipSpace(s, p+w), 8
		}
		end := p + run(s, p, isHeaderValue)
		for end > p && strings.IndexByte(".)]}", s[end-1]) >= 0 {
			end--
		}
		if end-p >= min && mixed(s[p:end]) && !placeholder(s[p:end], low[p:end]) {
			sc.add(p, end, kind, rankHeader)
		}
	})
}
