package site

import (
	"crypto/sha1"
	"encoding/hex"
	"strconv"
	"strings"
)

// maxSlug keeps file names well under every file system's limit, with room
// for a suffix.
const maxSlug = 80

// slugify turns an id, a service or a tag into a file name that stays in
// its folder on every system: lower-case ASCII letters, digits, "-" and
// "_", never empty, never "." or "..", never starting with a dot. Names
// that lose characters on the way get a short hash of the original, so
// "API" and "api" stay apart while "api" keeps its plain name.
func slugify(name string) string {
	var b strings.Builder
	dash := false
	exact := true
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
			dash = false
		case r == '-' || r == '.':
			if r == '.' {
				exact = false
			}
			if b.Len() > 0 && !dash {
				b.WriteByte('-')
				dash = true
			} else {
				exact = false
			}
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + ('a' - 'A'))
			dash = false
			exact = false
		default:
			exact = false
			if b.Len() > 0 && !dash {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	s := strings.TrimRight(b.String(), "-")
	if len(s) > maxSlug {
		s = strings.TrimRight(s[:maxSlug], "-")
		exact = false
	}
	if exact && s == name && s != "" {
		return s
	}
	sum := sha1.Sum([]byte(name))
	h := hex.EncodeToString(sum[:4])
	if s == "" {
		return "x-" + h
	}
	return s + "-" + h
}

// slugger hands out distinct slugs within one folder; a clash (possible
// only in theory, through the hash) gets a numbered suffix.
type slugger map[string]bool

func (g slugger) slug(name string) string {
	s := slugify(name)
	base := s
	for i := 2; g[s]; i++ {
		s = base + "-" + strconv.Itoa(i)
	}
	g[s] = true
	return s
}
