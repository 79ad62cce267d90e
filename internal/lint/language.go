package lint

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/pm-tool/pm/internal/incident"
)

// token is one word of prose.
type token struct {
	start, end int    // byte offsets in the source
	low        string // lower-cased, typographic apostrophes written as '
	// join is set when only spaces, one line break or emphasis (* _ ~)
	// stand between the previous word and this one, so a phrase may run
	// on across them.
	join bool
	// sent is set when the word starts a sentence, a list item, a heading
	// or a block, where a capital letter says nothing about a name.
	sent bool
	caps uint8 // capsLower, capsTitle ("Alice") or capsOther ("API", "GitHub")
}

const (
	capsLower uint8 = iota
	capsTitle
	capsOther
)

// asciiWord marks the ASCII letters and digits.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	return t
}()

// isWordRune reports whether r is part of a word.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		c := byte(r)
		return c|0x20 >= 'a' && c|0x20 <= 'z' || c >= '0' && c <= '9'
	}
	// A zero-width or bidi control character inside or after a word
	// ("hu\u200bman") is read through, so it cannot hide the word from
	// the rules (the invisible-characters rule reports it).
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || isHidden(r)
}

// isJoiner reports whether r joins two words into one ("fault-tolerant",
// "don't", "pool_size", "node.js", "bob@example.com").
func isJoiner(r rune) bool {
	return r == '\'' || r == '’' || r == '-' || r == '_' || r == '.' || r == '@'
}

// tokenize splits the prose of a scanned file into words. The words'
// lower-case forms point into sc.low: they live as long as sc is not
// reused.
func tokenize(s *scan, sc *scratch) []token {
	prose := s.prose
	// Lower-case ASCII once for the whole file, so most words are slices
	// of one string.
	lowBuf := slices.Grow(sc.low[:0], len(prose))[:len(prose)]
	for i, c := range prose {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lowBuf[i] = c
	}
	sc.low = lowBuf
	low := ""
	if len(lowBuf) > 0 {
		low = unsafe.String(unsafe.SliceData(lowBuf), len(lowBuf))
	}
	toks := sc.toks[:0]
	defer func() { sc.toks = toks[:0] }()
	prevEnd := s.bodyStart
	i := s.bodyStart
	for i < len(prose) {
		c := prose[i]
		if c < utf8.RuneSelf && !asciiWord[c] && c != '@' {
			i++ // the common case: space, punctuation, blanked out
			continue
		}
		var r rune
		size := 1
		if c < utf8.RuneSelf {
			r = rune(c)
		} else {
			r, size = utf8.DecodeRune(prose[i:])
		}
		handle := c == '@' && i+1 < len(prose) && startsWord(prose[i+1:])
		if !handle && !isWordRune(r) {
			i += size
			continue
		}
		start := i
		ascii := true
		i += size
		for i < len(prose) {
			c := prose[i]
			if c < utf8.RuneSelf && asciiWord[c] {
				i++
				continue
			}
			var r rune
			size := 1
			if c < utf8.RuneSelf {
				r = rune(c)
			} else {
				r, size = utf8.DecodeRune(prose[i:])
			}
			if isWordRune(r) {
				if c >= utf8.RuneSelf {
					ascii = false
				}
				i += size
				continue
			}
			if isJoiner(r) && i+size < len(prose) && startsWord(prose[i+size:]) {
				if c >= utf8.RuneSelf {
					ascii = false
				}
				i += size
				continue
			}
			break
		}
		t := token{start: start, end: i}
		if ascii && c < utf8.RuneSelf {
			t.low = low[start:i]
		} else {
			t.low = normWord(string(s.src[start:i]))
		}
		t.join, t.sent = gap(prose[prevEnd:start], len(toks) == 0)
		t.caps = capsOf(s.src[start:i])
		toks = append(toks, t)
		prevEnd = i
	}
	return toks
}

// startsWord reports whether b begins with a word character.
func startsWord(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	if b[0] < utf8.RuneSelf {
		return isWordRune(rune(b[0]))
	}
	r, _ := utf8.DecodeRune(b)
	return isWordRune(r)
}

// gap reads what stands between two words: whether a phrase may run on
// across it, and whether the second word starts a sentence or block.
func gap(g []byte, first bool) (join, sent bool) {
	join, sent = !first, first
	lineStart := false // only spaces since the last line break
	breaks := 0
	for _, c := range g {
		switch c {
		case ' ', '\t', '\r':
			continue
		case '\n':
			breaks++
			lineStart = true
			if breaks >= 2 { // a blank line
				join, sent = false, true
			}
			continue
		case '*', '+':
			if lineStart { // a list marker
				join, sent = false, true
			}
		case '_', '~':
		case 0, '.', '!', '?', ':', '#', '|', '[', ']', '(', ')', '"', '-', '>', '<', '=':
			join, sent = false, true
		default:
			join = false
			if c >= utf8.RuneSelf { // dashes, typographic quotes, bullets
				sent = true
			}
		}
		breaks = 0
		lineStart = false
	}
	return join, sent
}

// capsOf classifies a word's capitals: "alice", "Alice" or "API"/"GitHub".
func capsOf(w []byte) uint8 {
	r, size := utf8.DecodeRune(w)
	if !unicode.IsUpper(r) {
		return capsLower
	}
	for _, r := range string(w[size:]) {
		if r == '\'' || r == '’' {
			break // "Alice's"
		}
		if unicode.IsUpper(r) {
			return capsOther
		}
	}
	return capsTitle
}

// lazyWords builds a document's docWords when a rule first asks for them:
// most files have no candidate that needs them.
type lazyWords struct {
	d  *incident.Doc
	w  docWords
	ok bool
}

func (l *lazyWords) get() docWords {
	if !l.ok {
		l.w, l.ok = wordsOf(l.d), true
	}
	return l.w
}

// docWords are what a document says about its own people and systems.
type docWords struct {
	people  set // names of the commander, authors and owners, by word
	systems set // services and the systems of up/down entries
}

func wordsOf(d *incident.Doc) docWords {
	w := docWords{people: set{}, systems: set{}}
	if d == nil {
		return w
	}
	addPeople := func(name string) {
		for _, f := range strings.FieldsFunc(name, func(r rune) bool { return !isWordRune(r) && r != '-' && r != '\'' }) {
			if f = normWord(f); len(f) > 1 {
				w.people[f] = struct{}{}
			}
		}
	}
	addPeople(d.Meta.Commander)
	for _, a := range d.Meta.Authors {
		addPeople(a)
	}
	for _, e := range d.Entries {
		addPeople(e.Author)
		if e.System != "" {
			w.systems[normWord(e.System)] = struct{}{}
		}
	}
	for _, a := range d.Actions {
		addPeople(strings.TrimPrefix(a.Owner, "@"))
	}
	for _, sv := range d.Meta.Services {
		w.systems[normWord(sv)] = struct{}{}
	}
	// A name that is also a system ("api") is a system.
	for k := range w.systems {
		delete(w.people, k)
	}
	return w
}

// language runs the word-list rules and person-as-cause over the
// prose of a file. A word-list match is only a candidate: meant reads its
// sentence to tell the sense that blames from the one that does not.
func (f *file) language() {
	e, s, add := f.e, f.s, f.add
	toks := f.tokens()
	personOn := e.on["person-as-cause"]
	lx := e.lex
	lw := &f.lw
	lastSubj, lastEnd := -1, -1 // person-as-cause reports a subject once, and a span once
	// reportPerson reports toks[from:last+1], whose person is toks[who:whoEnd].
	reportPerson := func(from, who, whoEnd, last int, suggestion string) {
		if from == lastSubj || from < lastEnd {
			return
		}
		lastSubj, lastEnd = from, last+1
		text := shorten(quoteSpan(s.src, toks[from].start, toks[last].end))
		person := quoteSpan(s.src, toks[who].start, toks[whoEnd-1].end)
		switch w := toks[who].low; {
		case determiners.has(w) || humanPronouns.has(w):
			person = strings.ToLower(person[:1]) + person[1:] // "The on-call engineer", "He" inside a sentence
		case whoEnd-who > 1 && strings.HasSuffix(w, "'s"):
			person = quoteSpan(s.src, toks[who].start, toks[who].end) // "Alice's change" → Alice
			person = strings.TrimSuffix(strings.TrimSuffix(person, "'s"), "’s")
		}
		e.report(s, toks[from].start, toks[last].end, "person-as-cause",
			fmt.Sprintf("%q makes %s the cause: readers stop asking what in the system let this happen", text, person),
			suggestion, add)
	}
	// subjectEnd is the end of a subject that starts at subj and stands
	// before the verb at v, without an adverb between them.
	subjectEnd := func(subj, v int) int {
		if v-1 > subj && lx.isAdverb(toks[v-1].low) {
			return v - 1
		}
		return max(v, subj+1)
	}
	for i := range toks {
		t := &toks[i]
		// One lookup tells most words apart from every candidate.
		candidate := lx.first.has(t.low)
		if candidate {
			matched := ""
			for _, p := range lx.byFirst[t.low] {
				if p.rule == matched || !e.on[p.rule] {
					continue
				}
				if n := lx.match(toks, i, p); n > 0 && e.meant(s, toks, i, n, p, lw) {
					e.reportPhrase(s, toks, i, n, p.rule, add)
					matched = p.rule
				}
			}
		}
		for _, p := range lx.wild {
			if !e.on[p.rule] {
				continue
			}
			if n := lx.match(toks, i, p); n > 0 && e.meant(s, toks, i, n, p, lw) {
				e.reportPhrase(s, toks, i, n, p.rule, add)
			}
		}
		if !personOn || !candidate {
			continue
		}
		found := false
		for _, p := range lx.verbs[t.low] {
			n := lx.match(toks, i, p)
			if n == 0 {
				continue
			}
			if subj := lx.subject(toks, i, lw.get()); subj >= 0 && subjectPosition(s, toks, subj) {
				reportPerson(subj, subj, subjectEnd(subj, i), i+n-1, e.suggestPerson(s, toks, subj, i, i+n-1))
				found = true
			} else if subj := lx.cueSubject(s, toks, i, lw.get()); subj >= 0 {
				head := subj
				for head+1 < i && !lx.isKnownPerson(toks[head], lw.get()) {
					head++
				}
				reportPerson(subj, subj, head+1, i+n-1, e.suggestPerson(s, toks, subj, i, i+n-1))
				found = true
			}
			break
		}
		if found {
			continue
		}
		if n := lx.matchCue(toks, i); n > 0 {
			if subj := lx.cueSubject(s, toks, i, lw.get()); subj >= 0 {
				head := subj
				for head+1 < i && !lx.isKnownPerson(toks[head], lw.get()) {
					head++
				}
				reportPerson(subj, subj, head+1, i+n-1, e.suggestCue(s, toks, subj, head, i))
			}
			continue
		}
		switch {
		case t.low == "cause" && i > 0 && toks[i-1].low == "root" || t.low == "trigger":
			if k := lx.causeAgent(s, toks, i, lw.get()); k >= 0 {
				st := i
				if t.low == "cause" {
					st = i - 1
				}
				_, b := sentence(s, toks, k)
				rest := textOf(s, toks, k+1, restUntil(toks, k+1, b, 8))
				sug := fmt.Sprintf(`write the cause as the act and what let it do harm, not the person: %q, and why nothing stopped it`, rest)
				if rest == "" {
					sug = fmt.Sprintf(`write the cause as the act and what let it do harm, without naming %q`, textOf(s, toks, k, k+1))
				}
				reportPerson(st, k, k+1, k, sug)
			}
		case t.low == "by":
			if k := lx.byAgent(s, toks, i, lw.get()); k >= 0 {
				a, b := sentence(s, toks, i)
				end := k + 1
				if end < b && toks[end].join && (toks[end].low == "who" || toks[end].low == "who's" || toks[end].low == "that") {
					end = restUntil(toks, end, b, 12)
				}
				reportPerson(i, i+1, k+1, k, fmt.Sprintf(`leave the person out and keep what happened: %q; then say what let one action do this much harm`, without(s, toks, a, b, i, end)))
			}
		}
	}
}

// meant reports whether a word-list match at toks[i:i+n] has the sense
// that blames (see sense.go).
func (e *Engine) meant(s *scan, toks []token, i, n int, p *phrase, lw *lazyWords) bool {
	lx := e.lex
	switch p.rule {
	case "blame-words":
		a, _ := sentence(s, toks, i)
		if negated(toks, i, a) {
			return false
		}
		if p.needsPerson {
			return lx.namesPerson(s, toks, i, lw.get())
		}
	case "hindsight":
		a, b := sentence(s, toks, i)
		if negated(toks, i, a) || questionOrHeading(s, toks, a, b) {
			return false
		}
		switch toks[i].low {
		case "just", "simply":
			return minimises(s, toks, i)
		case "clearly":
			return !lx.clearlyManner(s, toks, i)
		}
	case "counterfactual":
		switch {
		case p.participle:
			return lx.counterfactualMeant(s, toks, i, n, lw)
		case p.words[0] == "if" && p.words[1] == "only":
			return ifOnlyMeant(s, toks, i, n)
		default:
			a, b := sentence(s, toks, i)
			return !questionOrHeading(s, toks, a, b)
		}
	}
	return true
}

// match reports how many tokens from i the phrase p covers, or 0 when it
// does not match there (or its conditions say it means something else).
func (lx *lexicon) match(toks []token, i int, p *phrase) int {
	n := len(p.words)
	if i+n > len(toks) {
		return 0
	}
	for k, w := range p.words {
		if !wordMatches(w, toks[i+k].low) || (k > 0 && !toks[i+k].join) {
			return 0
		}
	}
	if len(lx.allow) > 0 && lx.allowed(toks[i:i+n], p) {
		return 0
	}
	if len(p.notAfter) > 0 && i > 0 && toks[i].join && p.notAfter.has(toks[i-1].low) {
		return 0
	}
	if j := i + n; len(p.notBefore) > 0 && j < len(toks) && toks[j].join {
		if w := toks[j].low; p.notBefore.has(w) || (p.notBefore.has("#") && startsWithDigit(w)) {
			return 0
		}
	}
	if p.participle {
		j := i + n
		if j < len(toks) && toks[j].join && lx.isAdverb(toks[j].low) && !lx.isParticiple(toks[j].low) {
			j++
		}
		if j >= len(toks) || !toks[j].join || !lx.isParticiple(toks[j].low) {
			return 0
		}
	}
	if p.humanSubject {
		j := i - 1
		if j >= 0 && toks[i].join && lx.isAdverb(toks[j].low) {
			j--
		}
		if j < 0 || !toks[j+1].join || !lx.humanSubjects.has(toks[j].low) && !lx.roles.has(toks[j].low) {
			return 0
		}
	}
	return n
}

// allowed reports whether the team allowed this phrase (lint.words.allow),
// as listed or as written.
func (lx *lexicon) allowed(toks []token, p *phrase) bool {
	if lx.allow.has(strings.Join(p.words, " ")) {
		return true
	}
	words := make([]string, len(toks))
	for i, t := range toks {
		words[i] = t.low
	}
	return lx.allow.has(strings.Join(words, " "))
}

// determiners may open a role subject ("the on-call engineer").
var determiners = set{"the": {}, "a": {}, "an": {}, "our": {}, "their": {}, "that": {}, "this": {}, "one": {}, "another": {}}

// subject returns the index of the first token of the person who is the
// subject of the failure verb at toks[v], or -1 when the subject is not a
// person (a system, a pronoun, a common noun, nothing).
func (lx *lexicon) subject(toks []token, v int, dw docWords) int {
	j := v - 1
	if j < 0 || !toks[v].join {
		return -1
	}
	if lx.isAdverb(toks[j].low) {
		if j == 0 || !toks[j].join {
			return -1
		}
		j--
	}
	t := toks[j]
	if lx.allow.has(t.low) {
		return -1
	}
	switch {
	case len(t.low) > 1 && t.low[0] == '@':
		return j
	case lx.roles.has(t.low):
		for j > 0 && toks[j].join && (lx.roles.has(toks[j-1].low) || determiners.has(toks[j-1].low)) {
			j--
		}
		return j
	case lx.isName(t, dw):
		return j
	}
	// "Alice's change caused", "Alice's config change caused"
	for k := 1; k <= 2 && j-k >= 0; k++ {
		if t := toks[j-k+1]; !t.join || t.caps != capsLower {
			return -1
		}
		if p := toks[j-k]; strings.HasSuffix(p.low, "'s") && lx.isPossessivePerson(p, dw) {
			return j - k
		}
	}
	return -1
}

// isPossessivePerson reports whether a possessive ("Alice's", "@bob's")
// names a person.
func (lx *lexicon) isPossessivePerson(t token, dw docWords) bool {
	stem := strings.TrimSuffix(t.low, "'s")
	if len(stem) > 1 && stem[0] == '@' {
		return true
	}
	t.low = stem
	return lx.isName(t, dw)
}

// isName reports whether a word is a person's name: one the document knows
// (commander, authors, owners), or a capitalised word that is neither a
// system nor a common word. At the start of a sentence, where every word
// is capitalised, words shaped like common nouns ("Monitoring", "Retries")
// are not names either. A few misses are better than false alarms.
func (lx *lexicon) isName(t token, dw docWords) bool {
	w := t.low
	if dw.systems.has(w) || lx.systems.has(w) {
		return false
	}
	if dw.people.has(w) {
		return true
	}
	if t.caps != capsTitle || lx.common.has(w) || lx.roles.has(w) || lx.humanSubjects.has(w) || len(w) < 2 {
		return false
	}
	for _, r := range w {
		if !unicode.IsLetter(r) && r != '-' && r != '\'' {
			return false
		}
	}
	if t.sent {
		for _, suf := range nounSuffixes {
			if strings.HasSuffix(w, suf) && len(w) > len(suf)+2 {
				return false
			}
		}
	}
	return true
}

// nounSuffixes end common nouns that start sentences ("Monitoring missed",
// "Replication broke", "Retries caused").
// Names that end like these ("Avery", "James") are missed at the start of a
// sentence unless the document knows them as people.
var nounSuffixes = []string{"ing", "tion", "sion", "ment", "ness", "ity", "ics", "ism", "ance", "ence", "ure", "ogy", "ery", "s", "age"}

// quoteSpan returns the text of src[a:b] with line breaks and runs of
// spaces made single spaces, for messages. Zero-width characters are
// dropped and bidi and control characters shown as U+FFFD, so a quoted
// phrase reads as it does in the file and cannot reorder or drive the
// terminal that prints the message (invisible-characters reports them).
func quoteSpan(src []byte, a, b int) string {
	q := strings.Join(strings.Fields(string(src[a:b])), " ")
	return strings.Map(func(r rune) rune {
		switch classifyInvisible(r) {
		case zeroWidth:
			return -1
		case bidiControl, controlChar:
			return utf8.RuneError
		}
		return r
	}, q)
}

// reportPhrase reports a word-list finding with its suggestion.
func (e *Engine) reportPhrase(s *scan, toks []token, i, n int, rule string, add func(Finding)) {
	text := quoteSpan(s.src, toks[i].start, toks[i+n-1].end)
	e.report(s, toks[i].start, toks[i+n-1].end, rule, `"`+text+`" `+e.info[rule].effect, e.suggestion(s, toks, i, n, rule), add)
}

func (e *Engine) report(s *scan, a, b int, rule, msg, suggestion string, add func(Finding)) {
	line, col := s.pos(a)
	endLine, endCol := s.pos(b)
	add(Finding{Line: line, Column: col, EndLine: endLine, EndColumn: endCol, Rule: rule, Message: msg, Suggestion: suggestion})
}
