package lint

import (
	"fmt"
	"strings"
	"unicode"
)

// The person-as-cause rule: a person as the subject of a failure ("Kevin
// forgot to", "@bob broke", "the deletion of the database by a new
// intern", "Root cause: user initiated restart").

// personCheck is person-as-cause over the words of one file.
type personCheck struct {
	f    *file
	s    *scan
	lx   *lexicon
	toks []token
	// lastSubj and lastEnd are the subject and the end of the last
	// finding: a subject is reported once, and a span once.
	lastSubj, lastEnd int
}

// personAsCause reports the sentences that make a person the cause.
func (f *file) personAsCause() {
	pc := &personCheck{f: f, s: f.s, lx: f.e.lex, toks: f.tokens(), lastSubj: -1, lastEnd: -1}
	for i := range pc.toks {
		// One lookup tells most words apart from every candidate.
		if !pc.lx.first.has(pc.toks[i].low) {
			continue
		}
		if pc.verb(i) || pc.cue(i) {
			continue
		}
		switch t := pc.toks[i].low; {
		case t == "cause" && i > 0 && pc.toks[i-1].low == "root" || t == "trigger":
			pc.rootCause(i)
		case t == "by":
			pc.agent(i)
		}
	}
}

// report reports toks[from:last+1], whose person is toks[who:whoEnd].
func (pc *personCheck) report(from, who, whoEnd, last int, suggestion string) {
	if from == pc.lastSubj || from < pc.lastEnd {
		return
	}
	pc.lastSubj, pc.lastEnd = from, last+1
	s, toks := pc.s, pc.toks
	text := shorten(quoteSpan(s.src, toks[from].start, toks[last].end))
	person := quoteSpan(s.src, toks[who].start, toks[whoEnd-1].end)
	switch w := toks[who].low; {
	case determiners.has(w) || humanPronouns.has(w):
		person = strings.ToLower(person[:1]) + person[1:] // "The on-call engineer", "He" inside a sentence
	case whoEnd-who > 1 && strings.HasSuffix(w, "'s"):
		person = quoteSpan(s.src, toks[who].start, toks[who].end) // "Alice's change" → Alice
		person = strings.TrimSuffix(strings.TrimSuffix(person, "'s"), "’s")
	}
	pc.f.e.report(s, toks[from].start, toks[last].end, "person-as-cause",
		fmt.Sprintf("%q makes %s the cause: readers stop asking what in the system let this happen", text, person),
		suggestion, pc.f.add)
}

// verb reports a person as the subject of the failure verb at toks[i]
// ("Kevin forgot to", "an exhausted operator mistakenly deleted"), and
// whether it did.
func (pc *personCheck) verb(i int) bool {
	e, s, lx, toks := pc.f.e, pc.s, pc.lx, pc.toks
	for _, p := range lx.verbs[toks[i].low] {
		n := lx.match(toks, i, p)
		if n == 0 {
			continue
		}
		// The first verb that matches decides.
		if subj := lx.subject(toks, i, pc.f.lw.get()); subj >= 0 && subjectPosition(s, toks, subj) {
			pc.report(subj, subj, pc.subjectEnd(subj, i), i+n-1, e.suggestPerson(s, toks, subj, i, i+n-1))
			return true
		}
		subj := lx.cueSubject(s, toks, i, pc.f.lw.get())
		if subj < 0 {
			return false
		}
		pc.report(subj, subj, pc.head(subj, i)+1, i+n-1, e.suggestPerson(s, toks, subj, i, i+n-1))
		return true
	}
	return false
}

// cue reports a role that opens a clause whose act went wrong ("the
// engineer ran rm -rf on the wrong server"), and whether a cue is at
// toks[i] (reported or not).
func (pc *personCheck) cue(i int) bool {
	n := pc.lx.matchCue(pc.toks, i)
	if n == 0 {
		return false
	}
	if subj := pc.lx.cueSubject(pc.s, pc.toks, i, pc.f.lw.get()); subj >= 0 {
		head := pc.head(subj, i)
		pc.report(subj, subj, head+1, i+n-1, pc.f.e.suggestCue(pc.s, pc.toks, subj, head, i))
	}
	return true
}

// subjectEnd is the end of a subject that starts at subj and stands
// before the verb at v, without an adverb between them.
func (pc *personCheck) subjectEnd(subj, v int) int {
	if v-1 > subj && pc.lx.isAdverb(pc.toks[v-1].low) {
		return v - 1
	}
	return max(v, subj+1)
}

// head is the word of the subject from subj, before the verb at v, that
// names the person the document knows, or the last one before v.
func (pc *personCheck) head(subj, v int) int {
	head := subj
	for head+1 < v && !pc.lx.isKnownPerson(pc.toks[head], pc.f.lw.get()) {
		head++
	}
	return head
}

// rootCause reports a person named as the root cause or trigger at toks[i]
// ("Root cause: user initiated restart").
func (pc *personCheck) rootCause(i int) {
	s, toks := pc.s, pc.toks
	k := pc.lx.causeAgent(s, toks, i, pc.f.lw.get())
	if k < 0 {
		return
	}
	st := i
	if toks[i].low == "cause" {
		st = i - 1
	}
	_, b := sentence(s, toks, k)
	rest := textOf(s, toks, k+1, restUntil(toks, k+1, b, 8))
	sug := fmt.Sprintf(`write the cause as the act and what let it do harm, not the person: %q, and why nothing stopped it`, rest)
	if rest == "" {
		sug = fmt.Sprintf(`write the cause as the act and what let it do harm, without naming %q`, textOf(s, toks, k, k+1))
	}
	pc.report(st, k, k+1, k, sug)
}

// agent reports the person who is the agent of a passive failure, after
// the "by" at toks[i] ("the deletion of the database by a new intern").
func (pc *personCheck) agent(i int) {
	s, toks := pc.s, pc.toks
	k := pc.lx.byAgent(s, toks, i, pc.f.lw.get())
	if k < 0 {
		return
	}
	a, b := sentence(s, toks, i)
	end := k + 1
	if end < b && toks[end].join && (toks[end].low == "who" || toks[end].low == "who's" || toks[end].low == "that") {
		end = restUntil(toks, end, b, 12)
	}
	pc.report(i, i+1, k+1, k, fmt.Sprintf(`leave the person out and keep what happened: %q; then say what let one action do this much harm`, without(s, toks, a, b, i, end)))
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
