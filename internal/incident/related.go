package incident

import (
	"sort"
	"strings"
	"unicode"
)

// Weights of what two incidents share, in Related's score. A shared
// service says most (the same system failed), a tag less, a word of the
// title or of a confirmed cause least, one point each.
const (
	ServiceWeight = 3
	TagWeight     = 2
	WordWeight    = 1
)

// Match is an earlier incident and what it shares with the one asked about.
type Match struct {
	Doc      *Doc
	Score    int
	Services []string // shared services, as the earlier incident writes them, sorted
	Tags     []string // shared tags, likewise
	Words    []string // shared words of the titles and confirmed hypotheses, lower case, sorted
}

// Related ranks the incidents of docs that started before d by what they
// share with it: services (ServiceWeight each), tags (TagWeight) and words
// of the title and the confirmed hypotheses (WordWeight), stop words left
// out. Incidents that share nothing are not returned; the others come by
// score, then most recent first, then id. When d has no start time, every
// other incident with one counts as earlier.
func Related(d *Doc, docs []*Doc) []Match {
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

// shared returns the items of list that want also holds (any case), once
// each, sorted.
func shared(list, want []string) []string {
	var out []string
	for _, s := range uniqueFold(list) {
		if containsFold(want, s) {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// docWords is the set of words of d's title and confirmed hypotheses.
func docWords(d *Doc) map[string]bool {
	title := d.Meta.Title
	if title == "" {
		title = d.Title
	}
	set := map[string]bool{}
	add := func(s string) {
		for _, w := range Words(s) {
			set[w] = true
		}
	}
	add(title)
	for _, h := range d.Hypotheses {
		if h.State == "confirmed" {
			add(h.Text)
		}
	}
	return set
}

// Words splits s into the lower-case words that say something about an
// incident: runs of letters and digits (so "502" and "eu-west" → "eu",
// "west" count), without single characters and without English stop words.
func Words(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len([]rune(w)) > 1 && !stopWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// stopWords are the common English words that would make every incident
// look related to every other, and the words every incident title uses.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a about above after again against all am an and any are as at be because been
		before being below between both but by can could did do does doing down during each few for from further
		had has have having he her here hers herself him himself his how i if in into is it its itself just me more
		most my myself no nor not now of off on once only or other our ours ourselves out over own same she should
		so some such than that the their theirs them themselves then there these they this those through to too
		under until up very was we were what when where which while who whom why will with would you your yours
		yourself yourselves also again got get gets new old via per us one two after last week day days again
		incident outage issue problem`) {
		m[w] = true
	}
	return m
}()
