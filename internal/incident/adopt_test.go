package incident

import (
	"strings"
	"testing"
	"time"
)

func TestSeverityNamed(t *testing.T) {
	sevs := []string{"SEV1", "SEV2", "SEV3", "SEV4"}
	for in, want := range map[string]string{"SEV1": "SEV1", "sev-2": "SEV2", "Sev 3": "SEV3", "P1": "SEV1", "2": "SEV2", "high": "", "SEV12": "", "P9": ""} {
		if got := severityNamed(in, sevs); got != want {
			t.Errorf("severityNamed(%q) = %q, want %q", in, got, want)
		}
	}
	if got := severityNamed("p2", []string{"P1", "P2"}); got != "P2" {
		t.Errorf("with P1, P2 configured: %q", got)
	}
}

func TestFrontmatterLine(t *testing.T) {
	for in, want := range map[string]int{"---\nid: x\n---\n": 1, "\ufeff\n\n---\n": 3, "+++\ntitle = 'x'\n+++\n": 1, "# Outage\n---\n": 0, "": 0} {
		if got := FrontmatterLine([]byte(in)); got != want {
			t.Errorf("FrontmatterLine(%q) = %d, want %d", in, got, want)
		}
	}
}

// TestInferAdoption: the forms of dates and times post-mortems use, and
// what is left empty when the text does not say.
func TestInferAdoption(t *testing.T) {
	fallback := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	sevs := []string{"SEV1", "SEV2", "SEV3", "SEV4"}
	t.Run("times of day under a dated title, past midnight", func(t *testing.T) {
		ad := InferAdoption([]byte("# 2022-05-23 - website outage\n\n## Timeline\n\n*23:40*: site down, detected by the security team<br />\n*00:20*: DNS switched to a backup, restored\n\n## Next\n"), sevs, "x", fallback)
		if ad.Started != time.Date(2022, 5, 23, 23, 40, 0, 0, time.UTC) || ad.Resolved != time.Date(2022, 5, 24, 0, 20, 0, 0, time.UTC) {
			t.Errorf("started %v resolved %v", ad.Started, ad.Resolved)
		}
		if g := ad.Guesses["started"]; !strings.Contains(g.Note, "no time zone stated: read as UTC") || g.DateLine != 1 {
			t.Errorf("started guess %+v", g)
		}
	})
	t.Run("12-hour clock, zone in the text, long date", func(t *testing.T) {
		ad := InferAdoption([]byte("Outage\nOn June 9th, 2024 from 10:05 AM to 10:15 AM WAT the site was down.\nTimeline\n10:05 AM update deployed; outage begins\n10:15 AM 100% restored and back online\nRoot Cause\n"), sevs, "x", fallback)
		if ad.Title != "Outage" || ad.Started != time.Date(2024, 6, 9, 9, 5, 0, 0, time.UTC) || ad.Mitigated != time.Date(2024, 6, 9, 9, 15, 0, 0, time.UTC) {
			t.Errorf("%+v", ad)
		}
	})
	t.Run("no timeline, no date", func(t *testing.T) {
		ad := InferAdoption([]byte("<!-- a comment -->\nSomething broke.\n"), sevs, "notes", fallback)
		if ad.Title != "Something broke." || !ad.Started.Equal(fallback) || !ad.Resolved.IsZero() || ad.Guesses["resolved"].Note == "" {
			t.Errorf("%+v", ad)
		}
	})
}
