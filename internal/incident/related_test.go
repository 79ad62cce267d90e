package incident

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestWords(t *testing.T) {
	got := Words("The API returns 502 for all requests; eu-west is down, a DB-3 issue")
	want := []string{"api", "returns", "502", "requests", "eu", "west", "db"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestRelated(t *testing.T) {
	confirmed := func(text string) string {
		return "- `2026-01-01T00:00:00Z` **hypothesis H1** " + text + " _(a)_\n- `2026-01-01T00:01:00Z` **confirmed H1** seen _(a)_\n"
	}
	now := build(t, fixture{id: "now", title: "API returns 502", started: "2026-11-24T09:00:00Z", services: "api, nginx", tags: "config",
		log: confirmed("credentials expired")})
	docs := []*Doc{
		now,
		// services api (3) + tag config (2) + words api (1) = 6
		build(t, fixture{id: "oom", title: "API out of memory", started: "2026-11-17T09:00:00Z", services: "API", tags: "config, memory"}),
		// service nginx (3) + words 502, credentials (a confirmed cause), expired (3) = 6; older than oom
		build(t, fixture{id: "creds", title: "Nginx 502 errors", started: "2026-10-01T09:00:00Z", services: "nginx",
			log: confirmed("credentials expired on the proxy") + "- `2026-01-01T00:02:00Z` **hypothesis H2** api returns errors _(a)_\n"}),
		// words only: returns (1); the open hypothesis H2 above does not count
		build(t, fixture{id: "words", title: "Search returns nothing", started: "2026-09-01T09:00:00Z", services: "search"}),
		// shares nothing
		build(t, fixture{id: "other", title: "Disk full", started: "2026-08-01T09:00:00Z", services: "db"}),
		// later than now: not earlier, whatever it shares
		build(t, fixture{id: "later", title: "API returns 502 again", started: "2026-11-25T09:00:00Z", services: "api, nginx", tags: "config"}),
		// no start: cannot be placed before now
		build(t, fixture{id: "undated", title: "API returns 502", services: "api"}),
	}
	got := Related(now, docs)
	var lines []string
	for _, m := range got {
		lines = append(lines, fmt.Sprintf("%s %d s=%v t=%v w=%v", ID(m.Doc), m.Score, m.Services, m.Tags, m.Words))
	}
	want := []string{
		"oom 6 s=[API] t=[config] w=[api]",
		"creds 6 s=[nginx] t=[] w=[502 credentials expired]",
		"words 1 s=[] t=[] w=[returns]",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}

	// Without a start time every dated incident counts as earlier.
	undated := docs[6]
	var order []string
	for _, m := range Related(undated, docs) {
		order = append(order, ID(m.Doc))
	}
	// later and now tie at 6 (api, and the words api, returns, 502), creds and words at 1: the more recent first.
	if got := strings.Join(order, " "); got != "later now oom creds words" {
		t.Errorf("related to an undated incident: %s, want later now oom creds words", got)
	}
}
