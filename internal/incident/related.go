package incident

import (
	"runtime"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
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
//
// One question compares d with each incident in turn, without indexing
// them all (pm related); RelatedIndex answers many (pm site). Both give
// this ranking, which TestRelatedIndex checks against the plain pairwise
// comparison.
func Related(d *Doc, docs []*Doc) []Match {
	words := sortedWords(d)
	want := make(map[string]bool, len(words))
	for _, w := range words {
		want[w] = true
	}
	type hit struct {
		o     *Doc
		score int
		at    int
	}
	var hits []hit
	id := ID(d)
	for i, o := range docs {
		if o == d || o.Meta.Started.IsZero() || !d.Meta.Started.IsZero() && !o.Meta.Started.Before(d.Meta.Started) || ID(o) == id {
			continue
		}
		score := ServiceWeight*len(shared(o.Meta.Services, d.Meta.Services)) + TagWeight*len(shared(o.Meta.Tags, d.Meta.Tags)) +
			WordWeight*sharedWords(o, want)
		if score > 0 {
			hits = append(hits, hit{o, score, i})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		if c := rank(a.score, b.score, a.o, b.o, ID(a.o), ID(b.o)); c != 0 {
			return c
		}
		return a.at - b.at
	})
	var out []Match
	for _, h := range hits {
		out = append(out, matchWith(d, h.o, words, sortedWords(h.o), h.score))
	}
	return out
}

// rank orders two matches, as Related lists them: most alike first, then
// the most recent, then by id; 0 leaves them as given.
func rank(scoreA, scoreB int, a, b *Doc, idA, idB string) int {
	if scoreA != scoreB {
		return scoreB - scoreA
	}
	if ta, tb := a.Meta.Started, b.Meta.Started; !ta.Equal(tb) {
		return tb.Compare(ta)
	}
	return strings.Compare(idA, idB)
}

// sharedWords counts the distinct words of o's title and confirmed
// hypotheses (as docWords reads them) that want holds, without building
// o's set: pm related asks it of every incident.
func sharedWords(o *Doc, want map[string]bool) int {
	var found []string // few: only the words shared
	check := func(w string) {
		if want[w] && !slices.Contains(found, w) {
			found = append(found, w)
		}
	}
	title := o.Meta.Title
	if title == "" {
		title = o.Title
	}
	eachWord(title, check)
	for _, h := range o.Hypotheses {
		if h.State == "confirmed" {
			eachWord(h.Text, check)
		}
	}
	return len(found)
}

// RelatedIndex answers Related for many incidents of one archive. Each
// document's services, tags and words are read once, into lists of the
// incidents that have each; a question then visits only the earlier
// incidents that share something with it instead of comparing every pair
// (pm site asks it for each of 10,000 incidents).
type RelatedIndex struct {
	docs  []*Doc // the dated incidents, oldest first
	ids   []string
	words [][]string           // per doc, docWords sorted
	feats [][]int32            // per doc, its features' numbers
	pos   map[*Doc]int32       // where each doc is in docs
	byID  map[string][]int32   // the docs of each id
	keys  map[string]int32     // a feature (kind, folded name) → its number
	post  [][]int32            // per feature, the docs that have it, oldest first
	kinds []int8               // per feature, its weight
	free  chan *relatedScratch // scores to reuse (not a sync.Pool: one would keep the index, and every document, alive after its last use)
}

// relatedScratch is one question's scores, kept for the next question.
type relatedScratch struct {
	score   []int32
	touched []int32
}

// NewRelatedIndex indexes docs for Top. Incidents without a start time
// are left out: they cannot be placed before another.
func NewRelatedIndex(docs []*Doc) *RelatedIndex {
	x := &RelatedIndex{keys: map[string]int32{}, byID: map[string][]int32{}, pos: map[*Doc]int32{}}
	for _, d := range docs {
		if !d.Meta.Started.IsZero() {
			x.docs = append(x.docs, d)
		}
	}
	sort.SliceStable(x.docs, func(i, j int) bool { return x.docs[i].Meta.Started.Before(x.docs[j].Meta.Started) })
	x.ids = make([]string, len(x.docs))
	x.words = make([][]string, len(x.docs))
	x.feats = make([][]int32, len(x.docs))
	for i, d := range x.docs {
		x.pos[d] = int32(i)
		x.ids[i] = ID(d)
		x.byID[x.ids[i]] = append(x.byID[x.ids[i]], int32(i))
		x.words[i] = sortedWords(d)
		eachFeature(d, x.words[i], func(key string, weight int8) {
			f, ok := x.keys[key]
			if !ok {
				f = int32(len(x.post))
				x.keys[key] = f
				x.post = append(x.post, nil)
				x.kinds = append(x.kinds, weight)
			}
			x.post[f] = append(x.post[f], int32(i))
			x.feats[i] = append(x.feats[i], f)
		})
	}
	x.free = make(chan *relatedScratch, runtime.GOMAXPROCS(0))
	return x
}

// eachFeature calls fn once for each service, tag and word of d, keyed by
// kind and folded name (so API and api are one service), with its weight.
func eachFeature(d *Doc, words []string, fn func(key string, weight int8)) {
	seen := map[string]bool{}
	add := func(kind byte, name string, weight int8) {
		if name == "" {
			return
		}
		key := string(kind) + foldKey(name)
		if !seen[key] {
			seen[key] = true
			fn(key, weight)
		}
	}
	for _, s := range d.Meta.Services {
		add('s', s, ServiceWeight)
	}
	for _, t := range d.Meta.Tags {
		add('t', t, TagWeight)
	}
	for _, w := range words {
		add('w', w, WordWeight)
	}
}

// sortedWords is docWords(d) as a sorted list.
func sortedWords(d *Doc) []string {
	set := docWords(d)
	out := make([]string, 0, len(set))
	for w := range set {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

// foldKey maps s to one spelling of everything strings.EqualFold holds
// equal to it: each rune to the smallest of its case orbit.
func foldKey(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToUpper(s) // an ASCII letter's upper case is the smallest of its orbit
	}
	return strings.Map(func(r rune) rune {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		return least
	}, s)
}

// Top is the first k matches of Related(d, docs) for the docs of the
// index. It is safe for concurrent use.
func (x *RelatedIndex) Top(d *Doc, k int) []Match {
	var sc *relatedScratch
	select {
	case sc = <-x.free:
	default:
		sc = &relatedScratch{score: make([]int32, len(x.docs))}
	}
	defer func() {
		select {
		case x.free <- sc:
		default:
		}
	}()
	// Only incidents that started before d: a prefix of the oldest-first
	// lists.
	cut := len(x.docs)
	if !d.Meta.Started.IsZero() {
		cut = sort.Search(len(x.docs), func(i int) bool { return !x.docs[i].Meta.Started.Before(d.Meta.Started) })
	}
	words, feats := x.featuresOf(d)
	for _, f := range feats {
		w := int32(x.kinds[f])
		post := x.post[f]
		if cut < len(x.docs) {
			n, _ := slices.BinarySearch(post, int32(cut))
			post = post[:n]
		}
		for _, j := range post {
			if sc.score[j] == 0 {
				sc.touched = append(sc.touched, j)
			}
			sc.score[j] += w
		}
	}
	// d itself, or another file with its id, is not like itself.
	for _, j := range x.byID[ID(d)] {
		sc.score[j] = 0
	}
	before := func(a, b int32) bool {
		if c := rank(int(sc.score[a]), int(sc.score[b]), x.docs[a], x.docs[b], x.ids[a], x.ids[b]); c != 0 {
			return c < 0
		}
		return a < b // as given
	}
	var best []int32 // the k best so far, in order
	for _, j := range sc.touched {
		switch {
		case sc.score[j] == 0 || k <= 0:
			continue
		case len(best) == k && sc.score[j] < sc.score[best[k-1]]:
			continue // most of them: not worth the full comparison
		case len(best) < k:
			best = append(best, j)
		case before(j, best[k-1]):
			best[k-1] = j
		default:
			continue
		}
		for i := len(best) - 1; i > 0 && before(best[i], best[i-1]); i-- {
			best[i], best[i-1] = best[i-1], best[i]
		}
	}
	var out []Match
	for _, j := range best {
		out = append(out, x.match(d, words, j, sc.score[j]))
	}
	for _, j := range sc.touched {
		sc.score[j] = 0
	}
	sc.touched = sc.touched[:0]
	return out
}

// featuresOf is d's words and the numbers of its features the index
// knows: kept for an incident of the index, worked out for another.
func (x *RelatedIndex) featuresOf(d *Doc) ([]string, []int32) {
	if p, ok := x.pos[d]; ok {
		return x.words[p], x.feats[p]
	}
	words := sortedWords(d)
	var feats []int32
	eachFeature(d, words, func(key string, _ int8) {
		if f, ok := x.keys[key]; ok {
			feats = append(feats, f)
		}
	})
	return words, feats
}

// match says what the j'th incident shares with d, whose words are given.
func (x *RelatedIndex) match(d *Doc, words []string, j int32, score int32) Match {
	return matchWith(d, x.docs[j], words, x.words[j], int(score))
}

// matchWith says what o shares with d, given both incidents' sorted words.
func matchWith(d, o *Doc, words, oWords []string, score int) Match {
	m := Match{Doc: o, Score: score, Services: shared(o.Meta.Services, d.Meta.Services), Tags: shared(o.Meta.Tags, d.Meta.Tags)}
	for _, w := range oWords {
		if _, ok := slices.BinarySearch(words, w); ok {
			m.Words = append(m.Words, w)
		}
	}
	return m
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
	eachWord(s, func(w string) { out = append(out, w) })
	return out
}

// eachWord calls fn with each of Words(s) in turn, without building the
// list: pm related reads the words of every incident.
func eachWord(s string, fn func(string)) {
	low := strings.ToLower(s)
	word := func(w string) {
		if utf8.RuneCountInString(w) > 1 && !stopWords[w] {
			fn(w)
		}
	}
	start := -1
	for i, r := range low {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			word(low[start:i])
			start = -1
		}
	}
	if start >= 0 {
		word(low[start:])
	}
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

// Scores calls fn with every incident of the index that shares a
// service, tag or word with d, earlier or not, and the score the two have
// together as Top scores it (the score is symmetric), once each and in no
// particular order: the incidents whose ranking a change to d can move
// (pm site ranks again only those where the score would place d among
// the shown).
func (x *RelatedIndex) Scores(d *Doc, fn func(o *Doc, score int)) {
	score := make(map[int32]int32)
	_, feats := x.featuresOf(d)
	for _, f := range feats {
		w := int32(x.kinds[f])
		for _, j := range x.post[f] {
			score[j] += w
		}
	}
	for j, sc := range score {
		fn(x.docs[j], int(sc))
	}
}
