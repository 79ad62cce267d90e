package incident

import (
	"testing"
	"time"
)

func TestSlug(t *testing.T) {
	tests := map[string]string{
		"API returns 502 for all requests": "api-returns-502-for-all-requests",
		"  Login  fails!  ":                "login-fails",
		"Café au lait: déjà vu":            "caf-au-lait-d-j-vu",
		"日本語":                              "incident",
		"../../etc/passwd":                 "etc-passwd",
		"a very long title that goes on and on and on past the limit of a file name": "a-very-long-title-that-goes-on-and-on-and-on",
	}
	for in, want := range tests {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
		if len(slug(in)) > 48 {
			t.Errorf("slug(%q) longer than 48", in)
		}
	}
}

func TestNewID(t *testing.T) {
	started := time.Date(2026, 11, 24, 23, 30, 0, 0, time.FixedZone("x", -3*3600))
	taken := map[string]bool{"2026-11-25-api-down": true, "2026-11-25-api-down-2": true, "INC-0007": true, "INC-x": true, "OTHER-0100": true}
	for _, c := range []struct{ scheme, prefix, title, want string }{
		{"date", "", "API down", "2026-11-25-api-down-3"},
		{"date", "", "Login fails", "2026-11-25-login-fails"},
		{"date", "", "2026-11-25 - website outage", "2026-11-25-website-outage"},
		{"date", "", "2026-11-25", "2026-11-25-2026-11-25"},
		{"date", "", "2026-11-24 outage", "2026-11-25-2026-11-24-outage"}, // another day's date is part of the title
		{"sequential", "INC-", "anything", "INC-0008"},
		{"sequential", "SEC-", "anything", "SEC-0001"},
	} {
		if got := NewID(c.scheme, c.prefix, started, c.title, taken); got != c.want {
			t.Errorf("NewID(%s, %s, %q) = %s, want %s", c.scheme, c.prefix, c.title, got, c.want)
		}
	}
}
