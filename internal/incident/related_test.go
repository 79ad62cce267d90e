package incident

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
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

// relatedPairwise is Related as it was first written, comparing d with
// every incident in turn: the oracle for RelatedIndex.
func relatedPairwise(d *Doc, docs []*Doc) []Match {
	words := docWords(d)
	var out []Match
	for _, o := range docs {
		if o == d || ID(o) == ID(d) || o.Meta.Started.IsZero() {
			continue
		}
		if !d.Meta.Started.IsZero() && !o.Meta.Started.Before(d.Meta.Started) {
			continue
		}
		m := Match{Doc: o, Services: shared(o.Meta.Services, d.Meta.Services), Tags: shared(o.Meta.Tags, d.Meta.Tags)}
		for w := range docWords(o) {
			if words[w] {
				m.Words = append(m.Words, w)
			}
		}
		sort.Strings(m.Words)
		m.Score = ServiceWeight*len(m.Services) + TagWeight*len(m.Tags) + WordWeight*len(m.Words)
		if m.Score > 0 {
			out = append(out, m)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if !a.Doc.Meta.Started.Equal(b.Doc.Meta.Started) {
			return a.Doc.Meta.Started.After(b.Doc.Meta.Started)
		}
		return ID(a.Doc) < ID(b.Doc)
	})
	return out
}

// TestRelatedIndex: the index and Related give what comparing every pair
// gives, for the whole list and for the first k, on random archives with services
// and tags in mixed case, shared start times, repeated ids, undated
// incidents and questions about incidents outside the archive.
func TestRelatedIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(from []string, n int) []string {
		var out []string
		for range rng.IntN(n + 1) {
			out = append(out, from[rng.IntN(len(from))])
		}
		return out
	}
	services := []string{"api", "API", "db", "nginx", "Nginx", "search", "queue", "straße", "STRASSE", "k8s", "\u212Aafka", "kafka"}
	tags := []string{"config", "memory", "Memory", "dns", "tls", ""}
	words := []string{"disk", "full", "latency", "502", "timeout", "credentials", "expired", "cache", "stampede", "the",
		"Straße", "ÜNÏCODE", "ünïcode", "eu-west", "DB-3", "x", "a.b", "\xff"}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for round := range 40 {
		var docs []*Doc
		for range 20 + rng.IntN(60) {
			d := &Doc{Meta: Meta{ID: fmt.Sprintf("i%d", rng.IntN(70)), Title: strings.Join(pick(words, 4), " "),
				Services: pick(services, 3), Tags: pick(tags, 2)}}
			if rng.IntN(8) > 0 {
				d.Meta.Started = base.Add(time.Duration(rng.IntN(40)) * time.Hour)
			}
			if rng.IntN(3) == 0 {
				d.Hypotheses = append(d.Hypotheses, Hypothesis{ID: "H1", State: []string{"confirmed", "refuted"}[rng.IntN(2)], Text: strings.Join(pick(words, 3), " ")})
			}
			docs = append(docs, d)
		}
		x := NewRelatedIndex(docs)
		outside := &Doc{Meta: Meta{ID: "new", Title: "cache latency", Services: []string{"API"}, Started: base.Add(20 * time.Hour)}}
		for _, d := range append(docs, outside) {
			want := relatedPairwise(d, docs)
			if got := Related(d, docs); !reflect.DeepEqual(got, want) {
				t.Fatalf("round %d, %s: Related\n%s\nwant\n%s", round, ID(d), describeMatches(got), describeMatches(want))
			}
			if got := x.Top(d, len(docs)); !reflect.DeepEqual(got, want) {
				t.Fatalf("round %d, %s: Top(all)\n%s\nwant\n%s", round, ID(d), describeMatches(got), describeMatches(want))
			}
			for _, k := range []int{0, 1, 3, 5} {
				w := want
				if len(w) > k {
					w = w[:k]
				}
				if got := x.Top(d, k); !reflect.DeepEqual(got, w) && !(len(got) == 0 && len(w) == 0) {
					t.Fatalf("round %d, %s: Top(%d)\n%s\nwant\n%s", round, ID(d), k, describeMatches(got), describeMatches(w))
				}
			}
			// Scores gives every incident's score with d, earlier or not:
			// for the earlier ones of another id, exactly Related's.
			scores := map[*Doc]int{}
			x.Scores(d, func(o *Doc, score int) {
				if _, twice := scores[o]; twice || score <= 0 {
					t.Fatalf("round %d, %s: Scores gave %s twice or with score %d", round, ID(d), ID(o), score)
				}
				scores[o] = score
			})
			earlier := 0
			for o, score := range scores {
				if ID(o) != ID(d) && (d.Meta.Started.IsZero() || o.Meta.Started.Before(d.Meta.Started)) {
					earlier++
					if i := slices.IndexFunc(want, func(m Match) bool { return m.Doc == o }); i < 0 || want[i].Score != score {
						t.Fatalf("round %d, %s: Scores gave %s score %d, not Related's", round, ID(d), ID(o), score)
					}
				}
			}
			if earlier != len(want) {
				t.Fatalf("round %d, %s: Scores gave %d earlier incidents, Related %d", round, ID(d), earlier, len(want))
			}
		}
	}
}

func describeMatches(ms []Match) string {
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "%s@%s %d s=%v t=%v w=%v\n", ID(m.Doc), m.Doc.Meta.Started.Format("02T15"), m.Score, m.Services, m.Tags, m.Words)
	}
	return b.String()
}
