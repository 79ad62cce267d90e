package lint

import (
	"bytes"
	"sort"
	"strings"
)

// The word lists find candidates; the functions here read the sentence
// around one to tell the sense that blames from the one that does not.
// They run only on a candidate, so their cost is paid on a few words per
// file. Measured on the real corpus (testdata/real, TestRealCorpus): a
// plain word match was right on one finding in five.

// clauseStarters open a clause with a subject of its own.
var clauseStarters = set{"when": {}, "because": {}, "while": {}, "after": {}, "before": {}, "as": {}, "since": {},
	"if": {}, "whether": {}, "so": {}, "until": {}, "although": {}, "though": {}, "once": {}, "where": {}, "unless": {}}

// startsClause reports whether toks[k] opens a clause of its own: "before
// it created any impact" does, "before deployment" (a preposition) does not.
func startsClause(toks []token, k int) bool {
	w := toks[k].low
	if !clauseStarters.has(w) {
		return false
	}
	switch w {
	case "before", "after", "since", "until", "as":
		if k+1 >= len(toks) {
			return false
		}
		n := toks[k+1].low
		return determiners.has(n) || humanPronouns.has(n) || subjectPronouns.has(n)
	}
	return true
}

// subjectPronouns are the pronouns that start a clause about a thing.
var subjectPronouns = set{"it": {}, "this": {}, "that": {}, "these": {}, "those": {}, "there": {}}

// conjunctions may join a second verb to the same subject ("responded
// quickly but missed the alert").
var conjunctions = set{"and": {}, "but": {}, "then": {}, "yet": {}, "or": {}}

// openers may stand before a subject at the start of a clause ("Then Kevin
// forgot", "at 11pm an admin").
var openers = set{"then": {}, "later": {}, "also": {}, "yesterday": {}, "today": {}, "tonight": {}, "finally": {},
	"eventually": {}, "unfortunately": {}, "again": {}, "first": {}, "so": {}, "apparently": {}, "meanwhile": {},
	"utc": {}, "am": {}, "pm": {}, "cet": {}, "cest": {}, "pst": {}, "pdt": {}, "est": {}, "gmt": {}, "and": {}, "but": {},
	"when": {}, "while": {}, "after": {}, "because": {}, "as": {}, "since": {}, "once": {}, "until": {}, "where": {}}

// negators turn a judgement into its denial ("this is not incompetence").
var negators = set{"not": {}, "no": {}, "never": {}, "nobody": {}, "nothing": {}, "none": {}, "neither": {},
	"nor": {}, "without": {}, "hardly": {}, "cannot": {}, "nor'": {}}

// humanPronouns are subjects that are people.
var humanPronouns = set{"we": {}, "i": {}, "you": {}, "they": {}, "he": {}, "she": {}, "someone": {}, "somebody": {},
	"nobody": {}, "everyone": {}, "everybody": {}, "anyone": {}, "anybody": {}}

// questionOpeners start a question even without its question mark, and
// the prompts of a review ("Reflect if ...").
var questionOpeners = set{"could": {}, "would": {}, "should": {}, "did": {}, "do": {}, "does": {}, "can": {},
	"was": {}, "were": {}, "is": {}, "are": {}, "have": {}, "has": {}, "why": {}, "reflect": {}, "consider": {},
	"discuss": {}, "ask": {}, "investigate": {}, "evaluate": {}, "decide": {}, "explore": {}}

// modals before "just" or "simply" make it advice that minimises ("you can
// just restart it").
var modals = set{"can": {}, "could": {}, "should": {}, "would": {}, "might": {}, "must": {}, "will": {}, "shall": {},
	"need": {}, "needs": {}, "needed": {}, "can't": {}, "we'll": {}, "you'll": {}}

// failureWords before "by" make its agent the cause ("the deletion of the
// database by a new intern").
var failureWords = set{"deletion": {}, "deleted": {}, "deleting": {}, "removed": {}, "removal": {}, "dropped": {},
	"wiped": {}, "truncated": {}, "broken": {}, "broke": {}, "caused": {}, "misconfigured": {}, "mistake": {},
	"outage": {}, "crashed": {}, "destroyed": {}, "overwritten": {}, "corrupted": {}}

// sentence returns the tokens [a, b) of the sentence that holds toks[i]:
// sentences end at ". ", "!", "?", ";", a table cell, a blank line or a
// heading or list item on the next line. Code spans inside a sentence (now
// NUL bytes) do not end it.
func sentence(s *scan, toks []token, i int) (a, b int) {
	a = i
	for a > 0 && i-a < maxSentence && !sentenceBreak(s, toks, a) {
		a--
	}
	b = i + 1
	for b < len(toks) && b-i < maxSentence && !sentenceBreak(s, toks, b) {
		b++
	}
	return a, b
}

// maxSentence bounds how far a sentence is read from a candidate word, so
// a file that never ends a sentence costs linear time, not quadratic.
const maxSentence = 60

// sentenceBreak reports whether a sentence ends between toks[k-1] and
// toks[k].
func sentenceBreak(s *scan, toks []token, k int) bool {
	if k == 0 {
		return true
	}
	g := s.prose[toks[k-1].end:toks[k].start]
	for j, c := range g {
		switch c {
		case '.', '!', '?', ';', '|':
			return true
		case '\n':
			rest := bytes.TrimLeft(g[j+1:], " \t")
			if len(rest) == 0 || rest[0] == '\n' || rest[0] == '#' || rest[0] == '-' || rest[0] == '*' ||
				rest[0] == '+' || rest[0] == '>' || rest[0] == '|' || (rest[0] >= '0' && rest[0] <= '9') {
				return true
			}
		}
	}
	// A list item or heading starts on the line of toks[k] itself when
	// only its marker stands before it.
	return false
}

// questionOrHeading reports whether the sentence toks[a:b] asks a
// question or is a heading: "What could have gone better?" is a prompt of
// the review, not a claim about what someone should have done.
func questionOrHeading(s *scan, toks []token, a, b int) bool {
	ls := s.lineStarts[sort.Search(len(s.lineStarts), func(k int) bool { return s.lineStarts[k] > toks[a].start })-1]
	if line := bytes.TrimLeft(s.src[ls:toks[a].start], " \t"); len(line) > 0 && line[0] == '#' {
		return true
	}
	if questionOpeners.has(toks[a].low) {
		return true
	}
	end := len(s.prose)
	if b < len(toks) {
		end = toks[b].start
	}
	for _, c := range s.prose[toks[b-1].end:end] {
		switch c {
		case '?':
			return true
		case '.', '!', '\n':
			return false
		}
	}
	return false
}

// negated reports whether a negator stands in the same clause shortly
// before toks[i]: "this is not incompetence", "nothing obvious found".
func negated(toks []token, i, a int) bool {
	for k := i - 1; k >= a && k >= i-10; k-- {
		if w := toks[k].low; (negators.has(w) || strings.HasSuffix(w, "n't") || w == "from" && k > 0 && toks[k-1].low == "far") &&
			(k >= i-4 || k == a || !toks[k].join) {
			return true // close before it, or opening its clause: "Nothing on the graph made it obvious", "far from obvious"
		}
		if !toks[k].join {
			break
		}
	}
	return false
}

// isPerson reports whether a word names a person: a role, an @handle, a
// pronoun for a person, or a name (see isName).
func (lx *lexicon) isPerson(t token, dw docWords) bool {
	w := t.low
	if lx.allow.has(w) {
		return false
	}
	if len(w) > 1 && w[0] == '@' {
		return true
	}
	if stem, ok := strings.CutSuffix(w, "'s"); ok {
		return lx.roles.has(stem) || lx.isPossessivePerson(t, dw)
	}
	return lx.roles.has(w) || lx.isName(t, dw)
}

// isKnownPerson is isPerson without the guess from capital letters: a
// role, an @handle, he or she, or a person the document names (commander,
// authors, owners). The cue, root-cause and "by" checks use it, because
// there the subject is often a product ("Hellman Kubernetes IaC
// accidentally reverted", "reported by Business Insider").
func (lx *lexicon) isKnownPerson(t token, dw docWords) bool {
	w := strings.TrimSuffix(strings.TrimSuffix(t.low, "'s"), "'")
	if lx.allow.has(w) {
		return false
	}
	return len(w) > 1 && w[0] == '@' || lx.roles.has(w) || dw.people.has(w) && !dw.systems.has(w)
}

// subjectPosition reports whether the noun phrase that starts at toks[j]
// opens its clause, so that it is the subject of what follows and not the
// object of a preposition or verb ("posted on Teams", "paged the engineer").
func subjectPosition(s *scan, toks []token, j int) bool {
	if j == 0 || !toks[j].join || sentenceBreak(s, toks, j) {
		return true
	}
	p := toks[j-1].low
	return openers.has(p) || startsWithDigit(p)
}

// counterfactualMeant reports whether a modal counterfactual ("should
// have", "could have", "would have" + participle) at toks[i:i+n] replays
// what people did. It does when its subject is a person ("we should have
// checked"), when it is passive with a human act ("an issue which should
// have been addressed"), or when its subject is a human activity
// ("Testing the application before deployment would have caught it"). It
// does not for systems and designs ("the job should have retried",
// "downstream actions should have been automatically corrected"), for
// what users would have seen, nor in questions and headings.
func (lx *lexicon) counterfactualMeant(s *scan, toks []token, i, n int, lw *lazyWords) bool {
	a, b := sentence(s, toks, i)
	if questionOrHeading(s, toks, a, b) || negated(toks, i, a) {
		return false // "and not assume we could have started it faster"
	}
	for _, t := range toks[i : i+n] {
		if humanPronouns.has(t.low) {
			return true // "had we", "if we had"
		}
	}
	// The participle, and the act of a passive ("been addressed").
	pj := i + n
	if pj < len(toks) && lx.isAdverb(toks[pj].low) && !lx.isParticiple(toks[pj].low) {
		pj++
	}
	passive := ""
	auto := false
	if pj < len(toks) && toks[pj].low == "been" {
		q := pj + 1
		if q < len(toks) && toks[q].join && lx.isAdverb(toks[q].low) {
			auto = toks[q].low == "automatically"
			q++
		}
		if q < len(toks) && toks[q].join && lx.isParticiple(toks[q].low) {
			passive = toks[q].low
		}
	}
	// The subject: back to the start of the clause.
	human, victim := false, false
	first := i
	for k := i - 1; k >= a; k-- {
		t := toks[k]
		if startsClause(toks, k) {
			if t.low == "if" || t.low == "whether" {
				return false // a condition or a question to reflect on
			}
			break
		}
		first = k
		switch {
		case humanPronouns.has(t.low) || lx.humanSubjects.has(t.low) || lx.isKnownPerson(t, lw.get()) || !t.sent && lx.isPerson(t, lw.get()):
			human = true // a name only away from the start of a sentence ("Downstream actions should have")
		case lx.victims.has(t.low):
			victim = true
		case t.low == "automatically":
			auto = true
		}
		if !t.join {
			break
		}
	}
	if human {
		return true
	}
	if victim || auto {
		return false
	}
	if passive != "" && lx.humanActs.has(passive) {
		return true
	}
	// A human activity as the subject: "Testing the application ...".
	if f := toks[first]; first+1 < i && (first == a || f.sent || !f.join) && len(f.low) > 5 &&
		strings.HasSuffix(f.low, "ing") && determiners.has(toks[first+1].low) {
		return true
	}
	return false
}

// ifOnlyMeant tells "if only we had checked" (a counterfactual) from "if
// only one replica is healthy" (a condition): the counterfactual wishes
// with "had", "were" or a person.
func ifOnlyMeant(s *scan, toks []token, i, n int) bool {
	_, b := sentence(s, toks, i)
	if j := i + n; j < b && humanPronouns.has(toks[j].low) {
		return true
	}
	for k := i + n; k < b && k < i+n+8; k++ {
		if w := toks[k].low; w == "had" || w == "were" || strings.HasSuffix(w, "'d") {
			return true
		}
	}
	return false
}

// minimises reports whether "just" or "simply" at toks[i] minimises what
// was done or needed ("just restart it", "you can simply roll back",
// "rather than just trashing it", "the fix was just to restart") rather
// than saying when or how suddenly ("we had just deployed", "the web app
// just went down", "it just happened").
func minimises(s *scan, toks []token, i int) bool {
	t := toks[i]
	next := ""
	if i+1 < len(toks) && toks[i+1].join {
		next = toks[i+1].low
	}
	if next == "to" || next == "needed" || next == "need" || next == "needs" {
		return true // "the fix was just to restart", "it just needed a restart"
	}
	if t.sent || !t.join || sentenceBreak(s, toks, i) {
		return next != "" // an imperative at the start of a clause: "Just restart it", ", just roll back"
	}
	p := toks[i-1].low
	if modals.has(p) || p == "than" {
		return true
	}
	if i >= 2 && (p == "then" && toks[i-2].low == "rather" || p == "of" && toks[i-2].low == "instead") {
		return true // "rather than just", "rather then just" (sic), "instead of just"
	}
	return false
}

// clearlyManner reports whether "clearly" says how something is shown or
// written ("label each host clearly", "clearly labelled", "more clearly")
// rather than that something was plain to see.
func (lx *lexicon) clearlyManner(s *scan, toks []token, i int) bool {
	if i > 0 && toks[i].join {
		switch toks[i-1].low {
		case "more", "less", "very", "so", "too", "how":
			return true
		}
	}
	if j := i + 1; j < len(toks) && toks[j].join && lx.isParticiple(toks[j].low) && !lx.participles.has(toks[j].low) {
		return true // "clearly labelled", "clearly defined"
	}
	// At the end of a clause, after what it qualifies: "shows the host clearly."
	end := i+1 >= len(toks) || !toks[i+1].join || sentenceBreak(s, toks, i+1)
	return end && i > 0 && toks[i].join
}

// namesPerson reports whether a person stands next to toks[i] ("Bob was
// the culprit", "the culprit was @bob"), for words that judge only then.
// After the word only a role, an @handle or a person the document knows
// counts: "Culprit Ingress object applied" names a thing.
func (lx *lexicon) namesPerson(s *scan, toks []token, i int, dw docWords) bool {
	a, b := sentence(s, toks, i)
	skip := copulaOrDeterminer
	for k, hops := i+1, 0; k < b && hops < 4; k, hops = k+1, hops+1 {
		if skip.has(toks[k].low) {
			continue
		}
		return lx.isKnownPerson(toks[k], dw)
	}
	for k, hops := i-1, 0; k >= a && hops < 4; k, hops = k-1, hops+1 {
		if skip.has(toks[k].low) {
			continue
		}
		return lx.isPerson(toks[k], dw)
	}
	return false
}

// copulaOrDeterminer are the words between a person and "culprit".
var copulaOrDeterminer = set{"was": {}, "is": {}, "were": {}, "are": {}, "the": {}, "a": {}, "an": {}, "main": {}, "real": {}}

// causeFillers stand between "root cause" and what it names.
var causeFillers = set{"was": {}, "is": {}, "were": {}, "identified": {}, "determined": {}, "found": {}, "as": {},
	"to": {}, "be": {}, "likely": {}, "probably": {}, "ultimately": {}, "the": {}, "a": {}, "an": {}}

// matchCue reports how many tokens from i a person-as-cause cue covers.
func (lx *lexicon) matchCue(toks []token, i int) int {
	for _, c := range lx.cues[toks[i].low] {
		if i+len(c) > len(toks) {
			continue
		}
		ok := true
		for k, w := range c {
			if toks[i+k].low != w || (k > 0 && !toks[i+k].join) {
				ok = false
				break
			}
		}
		if ok {
			return len(c)
		}
	}
	return 0
}

// cueSubject returns the first token of the person who is the subject of
// the clause in which a cue (or a failure verb) stands at toks[c], or -1:
// "A tired engineer, working late, ran a command on the wrong server",
// "The team responded quickly but missed that the API was up". The person
// must open a clause of the same sentence, and no other clause may start
// between them.
func (lx *lexicon) cueSubject(s *scan, toks []token, c int, dw docWords) int {
	a, _ := sentence(s, toks, c)
	for k := a; k < c; k++ {
		t := toks[k]
		if !lx.isKnownPerson(t, dw) || humanPronouns.has(t.low) && t.low != "he" && t.low != "she" {
			continue
		}
		// The phrase opens its clause within three words: "a GitLab engineer".
		st := k
		for st > a && k-st < 2 && toks[st].join && !subjectPosition(s, toks, st) {
			st--
		}
		if !subjectPosition(s, toks, st) {
			continue
		}
		if k > a && toks[k-1].low == "by" {
			continue
		}
		ok := true
		for m := k + 1; m < c; m++ {
			w := toks[m].low
			if startsClause(toks, m) || w == "that" || w == "which" || w == "who" || w == "whose" {
				ok = false // another clause, with a subject of its own
				break
			}
			if conjunctions.has(w) && m+1 < c {
				if n := toks[m+1].low; determiners.has(n) || humanPronouns.has(n) || subjectPronouns.has(n) || lx.systems.has(n) || dw.systems.has(n) {
					ok = false
					break
				}
			}
		}
		if ok {
			return st
		}
	}
	return -1
}

// causeAgent returns the index of a person named as the cause after "root
// cause" or "trigger" at toks[i] ("Root cause: user initiated restart",
// "the trigger was a developer's test suite"), or -1.
func (lx *lexicon) causeAgent(s *scan, toks []token, i int, dw docWords) int {
	skip := causeFillers
	for k, hops := i+1, 0; k < len(toks) && hops < 6; k, hops = k+1, hops+1 {
		w := toks[k].low
		if negators.has(w) {
			return -1
		}
		if skip.has(w) {
			continue
		}
		stem := strings.TrimSuffix(w, "'s")
		if lx.victims.has(stem) && stem != "people" || lx.isKnownPerson(toks[k], dw) {
			if k+1 < len(toks) && (toks[k+1].low == "error" || toks[k+1].low == "errors") {
				return -1 // "root cause: user error" is human-error's
			}
			return k
		}
		return -1
	}
	return -1
}

// byAgent returns the index of the person after "by" at toks[i] when the
// words before it name a failure ("the deletion of the database by a new
// intern"), or -1.
func (lx *lexicon) byAgent(s *scan, toks []token, i int, dw docWords) int {
	a, b := sentence(s, toks, i)
	failed := false
	for k := i - 1; k >= a && k >= i-8; k-- {
		if failureWords.has(toks[k].low) {
			failed = true
			break
		}
	}
	if !failed {
		return -1
	}
	for k, hops := i+1, 0; k < b && hops < 4; k, hops = k+1, hops+1 {
		if lx.isKnownPerson(toks[k], dw) {
			return k
		}
		if w := toks[k].low; !determiners.has(w) && w != "some" && (lx.systems.has(w) || dw.systems.has(w)) {
			return -1
		}
	}
	return -1
}
