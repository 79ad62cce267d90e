package secrets

import "strings"

// keySuffixes maps the end of a normalised key name (lower case, without
// '_', '-' and '.') to the kind of its value. Longer suffixes come first.
var keySuffixes = []struct{ suffix, kind string }{
	{"secretaccesskey", "AWS secret key"},
	{"awssecretkey", "AWS secret key"},
	{"passphrase", "password"},
	{"password", "password"},
	{"passwd", "password"},
	{"pwd", "password"},
	{"privatekey", "private key"},
	{"secretkey", "secret"},
	{"secret", "secret"},
	{"token", "token"},
	{"apikey", "generic API key"},
	{"accesskey", "generic API key"},
}

// keyExclusions are key names that end like a secret but hold none:
// pagination and idempotency tokens.
var keyExclusions = []string{
	"pagetoken", "nexttoken", "continuationtoken", "synctoken", "clienttoken", "idempotencytoken",
}

// notSecrets are whole values (lower case) that describe a secret rather
// than being one: "password: none", "token=expired", "secret: see vault".
var notSecrets = map[string]bool{
	"none": true, "null": true, "nil": true, "true": true, "false": true, "undefined": true,
	"empty": true, "unset": true, "set": true, "missing": true, "required": true, "optional": true,
	"invalid": true, "expired": true, "revoked": true, "rotated": true, "reset": true, "changed": true,
	"redacted": true, "hidden": true, "masked": true, "filtered": true, "omitted": true, "removed": true,
	"see": true, "the": true, "was": true, "is": true, "are": true, "not": true, "and": true,
	"for": true, "from": true, "with": true, "yes": true, "n/a": true, "string": true, "env": true,
	"here": true, "below": true, "above": true, "same": true, "unknown": true, "default": true,
	"valid": true, "ok": true, "present": true, "found": true, "absent": true, "provided": true,
	"configured": true, "enabled": true, "disabled": true, "accepted": true, "rejected": true,
	"denied": true, "failed": true, "success": true, "error": true, "pending": true, "active": true,
	"refreshed": true, "generated": true, "created": true, "updated": true, "deleted": true,
	"loaded": true, "sent": true, "received": true, "issued": true,
}

// keyKind returns the kind of secret a key name labels, or "".
func keyKind(lowKey string) string {
	last := len(lowKey) - 1
	for last >= 0 && (lowKey[last] == '_' || lowKey[last] == '-' || lowKey[last] == '.') {
		last--
	}
	if last < 2 || strings.IndexByte("detny", lowKey[last]) < 0 {
		return "" // no suffix below ends otherwise: skip timestamps and the like fast
	}
	var buf [24]byte
	n := 0
	for i := len(lowKey) - 1; i >= 0 && n < len(buf); i-- {
		if c := lowKey[i]; c != '_' && c != '-' && c != '.' {
			n++
			buf[len(buf)-n] = c
		}
	}
	norm := buf[len(buf)-n:]
	for _, x := range keyExclusions {
		if hasSuffix(norm, x) {
			return ""
		}
	}
	for _, k := range keySuffixes {
		if hasSuffix(norm, k.suffix) {
			return k.kind
		}
	}
	return ""
}

func hasSuffix(b []byte, suffix string) bool {
	return len(b) >= len(suffix) && string(b[len(b)-len(suffix):]) == suffix
}

// keyValues finds labelled secrets: password=…, "token": "…", X-Api-Key: …
func (sc *scanner) keyValues() {
	s, low := sc.s, sc.low
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '=' && c != ':' {
			continue
		}
		p := i + 1
		if p < len(s) {
			switch n := s[p]; {
			case c == ':' && (n == ':' || n == '/'):
				continue // C++ scope, IPv6, a URL or a path: not a separator
			case c == ':' && n == '=', c == '=' && (n == '>' || n == '='):
				p++
			}
		}
		k := i
		for k > 0 && isSpace(s[k-1]) {
			k--
		}
		for k > 0 && strings.IndexByte("\"'`*", s[k-1]) >= 0 {
			k--
		}
		keyEnd := k
		for k > 0 && isIdent(s[k-1]) {
			k--
		}
		if k == keyEnd || k > 0 && (s[k-1] == '/' || s[k-1] == '\\') {
			continue
		}
		// A key glued to a secret found by another detector
		// (AKIA…_token=) starts after it, as it will once that is redacted.
		for _, f := range sc.found {
			if f.start < keyEnd && f.end > k {
				k = max(k, f.end)
			}
		}
		if k >= keyEnd {
			continue
		}
		kind := keyKind(low[k:keyEnd])
		if kind == "" {
			continue
		}
		sc.keyValue(c, p, kind)
	}
}

// keyValue reads the value after a separator sep at p and records it unless
// it is a placeholder, a reference, a path or a word of prose.
func (sc *scanner) keyValue(sep byte, p int, kind string) {
	s, low := sc.s, sc.low
	if q := skipSpace(s, p); q > p {
		// "password= user=bob": the value is empty and the next pair follows.
		if k := q + run(s, q, isIdent); k > q && k < len(s) && (s[k] == '=' || s[k] == ':') {
			return
		}
		p = q
	}
	if p >= len(s) {
		return
	}
	var vs, ve int
	isQuoted := false
	if q := s[p]; q == '"' || q == '\'' || q == '`' {
		vs, ve, isQuoted = quoted(s, p)
		if !isQuoted {
			vs, ve = p+1, unquotedEnd(s, p+1)
		}
	} else {
		vs, ve = p, unquotedEnd(s, p)
	}
	v := s[vs:ve]
	if len(v) < 3 || placeholder(v, low[vs:ve]) || notSecrets[low[vs:ve]] || isPath(v) || isReference(v) {
		return
	}
	if sep == ':' && !isQuoted && !structuredAfter(s, ve) {
		return
	}
	sc.add(vs, ve, kind, rankKeyValue)
}

// unquotedEnd returns where an unquoted value starting at p ends: at
// whitespace, a quote, '&' or ';', or at a comma or a closing bracket not
// opened inside the value that is followed by whitespace or more
// punctuation ({Password:x}, (pw=x), a=x, b=y).
func unquotedEnd(s string, p int) int {
	e, open := p, 0
	for ; e < len(s); e++ {
		c := s[e]
		switch {
		case c <= ' ' || strings.IndexByte("\"'`&;", c) >= 0:
			return e
		case c == '(' || c == '[' || c == '{':
			open++
		case open > 0 && (c == ')' || c == ']' || c == '}'):
			open--
		case strings.IndexByte(",)}]>", c) >= 0 &&
			(e+1 == len(s) || s[e+1] <= ' ' || strings.IndexByte(",)}]>.;&\"'`", s[e+1]) >= 0):
			return e
		}
	}
	return e
}

// structuredAfter reports whether what follows a value ending at e looks
// like data rather than a sentence: the end of the line, punctuation, a
// comment, or another key.
func structuredAfter(s string, e int) bool {
	p := skipSpace(s, e)
	if p >= len(s) {
		return true
	}
	if c := s[p]; c == '\n' || c == '\r' || strings.IndexByte(",;&})]|#\"'`", c) >= 0 {
		return true
	}
	if strings.HasPrefix(s[p:], "//") {
		return true
	}
	q := p + run(s, p, isIdent)
	return q > p && q < len(s) && (s[q] == ':' || s[q] == '=')
}

// placeholder reports values that stand for a secret without being one:
// masks, markers (including this package's own), templates and variable
// references. low is v lower-cased.
func placeholder(v, low string) bool {
	if v == "" {
		return true
	}
	switch {
	case strings.HasPrefix(low, "[redacted"), v[0] == '<', strings.HasPrefix(v, "{{"),
		strings.HasPrefix(v, "%("), v == "%s", v == "%v":
		return true
	case v[0] == '$':
		if len(v) == 1 {
			return false
		}
		if v[1] == '{' || v[1] == '(' {
			return true
		}
		return run(v, 1, isAlnumUnder) == len(v)-1
	case len(v) > 2 && v[0] == '%' && v[len(v)-1] == '%':
		return run(v, 1, isAlnumUnder) == len(v)-2
	case len(v) > 2 && (v[0] == '[' && v[len(v)-1] == ']' || v[0] == '{' && v[len(v)-1] == '}'):
		return run(v, 1, func(c byte) bool { return isAlnumUnder(c) || c == ' ' || c == '-' || c == '.' }) == len(v)-2
	}
	mask := low[0]
	if strings.IndexByte("*x#.", mask) < 0 {
		return false
	}
	for i := 1; i < len(low); i++ {
		if low[i] != mask {
			return false
		}
	}
	return true
}

// isPath reports values that name a file holding the secret, not the
// secret: pwd=/home/alice, secret: /run/secrets/db, key: ./id_ed25519.
func isPath(v string) bool {
	if !strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "~/") && !strings.HasPrefix(v, "./") {
		return false
	}
	return run(v, 0, func(c byte) bool { return isIdent(c) || c == '/' || c == '~' }) == len(v)
}

// isReference reports values that are code reading the secret from
// elsewhere: var.db_password, cfg.DBPassword, os.Getenv("X"),
// os.environ["X"], getpass(), and SQL bind parameters (:pw, @pw). A
// dotted path must start with a lower-case segment, so a password such as
// Sup3r.S3cret is still reported.
func isReference(v string) bool {
	if v[0] == ':' || v[0] == '@' {
		return run(v, 1, isAlnumUnder) == len(v)-1
	}
	if !isLower(v[0]) && v[0] != '_' {
		return false
	}
	n := run(v, 0, isAlnumUnder)
	dotted := false
	for n < len(v) && v[n] == '.' {
		m := run(v, n+1, isAlnumUnder)
		if m == 0 || !isAlpha(v[n+1]) && v[n+1] != '_' {
			return false
		}
		n += 1 + m
		dotted = true
	}
	return n == len(v) && dotted || n < len(v) && (v[n] == '(' || v[n] == '[')
}
