// Package secrets finds credentials pasted into free text and redacts them.
//
// pm runs it on every investigation-log entry before the entry is written
// (so a key pasted in a hurry during an outage never reaches git history),
// and the lint rule `secrets` runs it over whole documents. Both uses share
// one detector so that what `pm observe` lets through, lint does not flag,
// and the other way round.
//
// # Precision first
//
// A false alarm is not harmless here: every time pm mangles a commit id or a
// UUID in somebody's log paste, they learn to type --keep-secrets, and then
// the real key goes through too. So the detector only reports text whose
// shape or label says "credential", never text that is merely random:
//
//   - Vendor shapes with a fixed prefix and length: AWS access key ids
//     (AKIA/ASIA + 16 upper-case letters or digits), GCP API keys (AIza + 35),
//     GitHub tokens (ghp_/gho_/ghu_/ghs_/ghr_ + 36 or more, github_pat_…),
//     Slack tokens (xoxb-/xoxp-/xoxa-/xoxr-/xoxs-…) and webhook URLs
//     (hooks.slack.com/services/…: the path after services/ is redacted),
//     Stripe live keys (sk_live_/rk_live_…), and JWTs (eyJ….eyJ….signature).
//     A shape must stand alone: a prefix glued to letters or digits on
//     either side is part of something longer (a base64 blob, a hash) and is
//     left alone.
//   - PEM private keys, from the -----BEGIN … PRIVATE KEY----- line to the
//     matching END line, or to the last line of base64 when the paste was cut
//     off before END. Certificates and public keys are not secrets.
//   - GCP service-account JSON: the "private_key" and "private_key_id" values.
//   - Credentials in URLs (scheme://user:password@host): only the password;
//     the user and host stay readable because they are what the responder
//     is talking about.
//   - HTTP authorization: "Bearer <token>" anywhere (token of 16 or more
//     characters from the token68 alphabet), and the value of an
//     Authorization header with the Basic scheme, another scheme, or none.
//   - Labelled values: a key whose name ends in password, passwd, pwd,
//     passphrase, secret, secret_key, private_key, token, api_key/apikey,
//     access_key or secret_access_key (case, '_', '-' and '.' ignored, so
//     DB_PASSWORD, clientSecret, X-Api-Key and spring.datasource.password all
//     count), followed by '=', ':', ':=' or '=>', then the value up to
//     whitespace, a quote, '&' or ';' (or the closing quote when quoted).
//
// Deliberately not reported, because each is common in incident logs and
// almost never a credential:
//
//   - Unlabelled hex or base64: commit ids, SHA-256 digests, UUIDs, request
//     ids, base64 payloads. Entropy alone cannot tell a leaked key from a
//     digest, and digests are far more common in a log paste.
//   - Look-alike keys: password_hash, passwordless, secret_name, max_tokens,
//     token_url and pagination tokens (next_page_token, continuation_token).
//   - Values that are not secrets: empty or shorter than 3 bytes, masks (***,
//     xxx), placeholders (<redacted>, [FILTERED], {{ .Values.pw }}, %s),
//     variable references ($VAR, ${VAR}, $(cmd), %VAR%), file paths
//     (pwd=/home/alice, secret: /run/secrets/db), code that reads the secret
//     from elsewhere (var.db_password, cfg.DBPassword, os.Getenv("X"), SQL
//     bind parameters :pw and @pw), and a short list of words
//     that describe a secret rather than being one (none, null, true, expired,
//     rotated, see, …). "changeme" and "password" are NOT on that list: they
//     are the passwords people really leave in configs.
//   - Prose. After ':' (but not '='), an unquoted value must end its line or
//     be followed by punctuation or another key (key: or key=); so
//     "password: see vault for details" and "/etc/passwd: permission denied"
//     are sentences, while "password: hunter2" and Go's
//     {User:bob Password:hunter2 Host:db} are not. The price: an unquoted
//     passphrase with spaces after ':' is missed.
//   - Keys that are path components (/etc/passwd:) and space-separated flags
//     (--password hunter2), cookies and session ids, XML elements
//     (<password>…</password>), Stripe test keys (sk_test_).
//
// Redacted text is stable: a marker such as "[redacted: AWS access key]" is
// never itself reported, so redacting twice changes nothing.
package secrets

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Finding is one secret found in a text.
type Finding struct {
	// Kind is a human name for what was found, e.g. "AWS access key",
	// "PEM private key", "GitHub token", "Slack token", "Slack webhook URL",
	// "GCP service-account key", "GCP API key", "Stripe key", "JWT",
	// "bearer token", "basic auth credentials", "authorization header",
	// "password", "secret", "token", "private key", "AWS secret key",
	// "generic API key" or "credentials in URL".
	Kind string
	// Start and End are the byte offsets of the secret value in the text:
	// only the secret part, so for password=hunter2 only hunter2 and for
	// https://user:pw@host only pw. A PEM key spans its BEGIN to END lines.
	Start, End int
	// Line and Column are 1-based; Column counts characters (runes), not
	// bytes, so it matches what an editor shows. They locate Start.
	Line, Column int
}

// Marker is the text Redact puts in place of a secret of the given kind.
func Marker(kind string) string {
	return "[redacted: " + kind + "]"
}

// Find returns the secrets in text, in order of Start, non-overlapping.
// It returns nil when there are none.
func Find(text string) []Finding {
	if len(text) < 3 {
		return nil
	}
	sc := scanner{s: text, low: lowerASCII(text)}
	sc.pem()
	sc.shapes()
	sc.jwt()
	sc.slackWebhook()
	sc.gcpJSON()
	sc.urlCredentials()
	sc.bearer()
	sc.authorization()
	sc.keyValues()
	return sc.resolve()
}

// Redact replaces each secret value with Marker(kind) and keeps every other
// byte of text as it was. The findings' positions refer to the original
// text. A PEM private key block becomes a single marker line.
func Redact(text string) (string, []Finding) {
	found := Find(text)
	if len(found) == 0 {
		return text, nil
	}
	var b strings.Builder
	b.Grow(len(text) + 24*len(found))
	pos := 0
	for _, f := range found {
		b.WriteString(text[pos:f.Start])
		b.WriteString(Marker(f.Kind))
		pos = f.End
	}
	b.WriteString(text[pos:])
	return b.String(), found
}

// Ranks break ties between candidates that start at the same byte and are
// equally long: the more specific detector names the secret.
const (
	rankPEM = iota
	rankShape
	rankURL
	rankHeader
	rankKeyValue
)

type candidate struct {
	start, end int
	kind       string
	rank       int
}

// scanner holds the text and an ASCII-lower-cased copy of it with the same
// byte offsets, for case-insensitive searches.
type scanner struct {
	s, low string
	found  []candidate
}

func (sc *scanner) add(start, end int, kind string, rank int) {
	if start < end {
		sc.found = append(sc.found, candidate{start, end, kind, rank})
	}
}

// resolve orders the candidates and keeps, from left to right, the longest
// one at each position that does not overlap one already kept.
func (sc *scanner) resolve() []Finding {
	if len(sc.found) == 0 {
		return nil
	}
	slices.SortFunc(sc.found, func(a, b candidate) int {
		if a.start != b.start {
			return a.start - b.start
		}
		if a.end != b.end {
			return b.end - a.end
		}
		return a.rank - b.rank
	})
	out := make([]Finding, 0, len(sc.found))
	last := 0
	for _, c := range sc.found {
		if c.start < last {
			continue
		}
		out = append(out, Finding{Kind: c.kind, Start: c.start, End: c.end})
		last = c.end
	}
	locate(sc.s, out)
	return out
}

// locate fills in Line and Column for findings ordered by Start.
func locate(s string, found []Finding) {
	line, lineStart, pos := 1, 0, 0
	for i := range found {
		seg := s[pos:found[i].Start]
		if n := strings.Count(seg, "\n"); n > 0 {
			line += n
			lineStart = pos + strings.LastIndexByte(seg, '\n') + 1
		}
		found[i].Line = line
		found[i].Column = utf8.RuneCountInString(s[lineStart:found[i].Start]) + 1
		pos = found[i].Start
	}
}

// lowerASCII lower-cases A-Z only, so byte offsets stay the same.
func lowerASCII(s string) string {
	b := make([]byte, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return string(b)
}
