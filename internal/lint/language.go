package lint

import (
	"strings"
	"unicode/utf8"

	"github.com/pm-tool/pm/internal/incident"
)

// The word-list rules: blame-words, human-error, counterfactual and
// hindsight, whose phrases come from words/words.yml; and what they share
// with person-as-cause (person.go): the document's own people and
// systems, and quoting and reporting a span of words. The words
// themselves come from tokens.go.

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

// wordLists reports the phrases of the word-list rules (blame-words,
// human-error, counterfactual, hindsight) in the prose of a file. A match
// is only a candidate: meant reads its sentence to tell the sense that
// blames from the one that does not.
func (f *file) wordLists() {
	e, s, lx := f.e, f.s, f.e.lex
	toks := f.tokens()
	for i := range toks {
		// One lookup tells most words apart from every candidate.
		if lx.first.has(toks[i].low) {
			matched := ""
			for _, p := range lx.byFirst[toks[i].low] {
				if p.rule == matched || !e.on[p.rule] {
					continue
				}
				if n := lx.match(toks, i, p); n > 0 && e.meant(s, toks, i, n, p, &f.lw) {
					e.reportPhrase(s, toks, i, n, p.rule, f.add)
					matched = p.rule
				}
			}
		}
		for _, p := range lx.wild {
			if !e.on[p.rule] {
				continue
			}
			if n := lx.match(toks, i, p); n > 0 && e.meant(s, toks, i, n, p, &f.lw) {
				e.reportPhrase(s, toks, i, n, p.rule, f.add)
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
