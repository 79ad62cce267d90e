package lint

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Suggestions are written for the finding: they quote the sentence's own
// subject, verb and object and offer a rewrite that keeps its facts, so a
// reviewer can paste it (pm lint --format markdown shows them). Where the
// sentence is too tangled to rewrite, they say what to write instead and
// quote the words to replace. The rewrites are plain string surgery on the
// tokens the rule matched; a wrong guess costs a reader a second look, not
// a wrong finding.

// textOf returns the source text of toks[a:b] on one line.
func textOf(s *scan, toks []token, a, b int) string {
	if a >= b {
		return ""
	}
	return quoteSpan(s.src, toks[a].start, toks[b-1].end)
}

// shorten cuts a quote to about 14 words.
func shorten(q string) string {
	f := strings.Fields(q)
	if len(f) <= 14 {
		return q
	}
	return strings.Join(f[:14], " ") + " …"
}

// without returns the sentence toks[a:b] with toks[i:j] left out, an "a"
// before it turned into "an" where the next word needs it, and the first
// letter capitalised when the sentence started with what was dropped.
func without(s *scan, toks []token, a, b, i, j int) string {
	// A judgement in a pair goes with its "and": "careless and sloppy".
	if j < b && j+1 < b && (toks[j].low == "and" || toks[j].low == "or") && toks[j].join {
		j++
	} else if i > a+1 && (toks[i-1].low == "and" || toks[i-1].low == "or") && (j == b || !toks[j].join) {
		i--
	}
	before := ""
	if i > a {
		before = strings.TrimRight(quoteSpan(s.src, toks[a].start, toks[i].start), " ‘“\"'([*_")
	}
	after := ""
	if j < b {
		after = quoteSpan(s.src, toks[j].start, toks[b-1].end)
	}
	if before == "" {
		return shorten(capitalise(after))
	}
	if f := strings.Fields(before); len(f) > 0 && after != "" {
		last := f[len(f)-1]
		r, _ := utf8.DecodeRuneInString(after)
		if (last == "a" || last == "A") && strings.ContainsRune("aeiouAEIOU", r) {
			before += "n"
		}
	}
	if after == "" {
		return shorten(strings.TrimRight(before, " ,;:"))
	}
	return shorten(before + " " + after)
}

func capitalise(w string) string {
	r, size := utf8.DecodeRuneInString(w)
	if r == utf8.RuneError {
		return w
	}
	return string(unicode.ToUpper(r)) + w[size:]
}

// pastParticiple guesses the past participle of a verb given in its base
// form ("renew" → "renewed") or its past tense ("ran" → "run").
func pastParticiple(v string) string {
	if p, ok := irregular[v]; ok {
		return p
	}
	switch {
	case strings.HasSuffix(v, "ed"):
		return v
	case strings.HasSuffix(v, "e"):
		return v + "d"
	case strings.HasSuffix(v, "y") && len(v) > 2 && !strings.ContainsRune("aeiou", rune(v[len(v)-2])):
		return v[:len(v)-1] + "ied"
	}
	return v + "ed"
}

// irregular maps base and past forms to past participles.
var irregular = map[string]string{
	"run": "run", "ran": "run", "make": "made", "made": "made", "take": "taken", "took": "taken",
	"write": "written", "wrote": "written", "do": "done", "did": "done", "see": "seen", "saw": "seen",
	"catch": "caught", "caught": "caught", "set": "set", "put": "put", "send": "sent", "sent": "sent",
	"keep": "kept", "kept": "kept", "find": "found", "found": "found", "give": "given", "gave": "given",
	"break": "broken", "broke": "broken", "forget": "forgotten", "forgot": "forgotten", "go": "gone",
	"went": "gone", "read": "read", "build": "built", "built": "built", "hit": "hit", "cut": "cut",
	"shut": "shut", "let": "let", "stop": "stopped", "plan": "planned", "ship": "shipped", "drop": "dropped",
	"commit": "committed", "tell": "told", "told": "told", "leave": "left", "left": "left", "get": "got",
	"pay": "paid", "lay": "laid", "rerun": "rerun",
}

// pastTense holds irregular past forms that end a participial phrase after
// a subject ("an engineer responding to an issue ran ...").
var pastTense = set{"ran": {}, "made": {}, "took": {}, "put": {}, "set": {}, "sent": {}, "wrote": {}, "broke": {},
	"forgot": {}, "went": {}, "gave": {}, "did": {}, "hit": {}, "cut": {}, "shut": {}, "let": {}, "kept": {},
	"left": {}, "lost": {}, "found": {}, "told": {}, "thought": {}, "began": {}}

// prepositions end the object of a verb in a rewrite.
var prepositions = set{"on": {}, "in": {}, "against": {}, "at": {}, "from": {}, "instead": {}, "to": {},
	"into": {}, "onto": {}, "for": {}, "during": {}, "while": {}, "when": {}, "after": {}, "before": {},
	"because": {}, "and": {}, "but": {}, "which": {}}

// objectAfter returns the tokens [j, k) of the object that follows a verb
// ending at toks[j-1]: up to a preposition, a clause break or the end of
// the sentence b, at most max words.
func objectAfter(s *scan, toks []token, j, b, max int) int {
	if j < b && !toks[j].join {
		return j // the clause ends with the verb: "we should have checked, as ..."
	}
	k := j
	for k < b && k-j < max {
		if k > j && (prepositions.has(toks[k].low) || !toks[k].join && s.prose[toks[k].start-1] != '/' && s.prose[toks[k].start-1] != '-') {
			break
		}
		k++
	}
	return k
}

// restUntil returns the end of the phrase that starts at toks[j]: the
// first clause break after it, the end of the sentence or max words.
func restUntil(toks []token, j, b, max int) int {
	k := j
	for k < b && k-j < max {
		if k > j && !toks[k].join && toks[k].low != "on" && toks[k].low != "instead" {
			break
		}
		k++
	}
	return k
}

// passive puts a rewrite's object before its verb ("the lease was not
// renewed"), or after "it" when the object is a clause ("it was not
// verified that KIAM was running").
func passive(object, verb string) string {
	first, _, _ := strings.Cut(object, " ")
	switch strings.ToLower(first) {
	case "that", "whether", "if", "how", "what", "which", "why":
		return "it " + verb + " " + object
	}
	return object + " " + verb
}

// suggestPerson writes the rewrite of a person-as-cause finding whose
// subject is toks[subj:v] and whose verb (or cue) is toks[v:last+1].
func (e *Engine) suggestPerson(s *scan, toks []token, subj, v, last int) string {
	_, b := sentence(s, toks, v)
	who := textOf(s, toks, subj, v)
	verb := textOf(s, toks, v, last+1)
	rewrite := ""
	switch toks[v].low {
	case "forgot", "failed", "neglected", "didn't", "did":
		j := last + 1
		if toks[last].low == "to" || toks[last].low == "didn't" || toks[last].low == "not" {
			if j < b && toks[j].join {
				act := toks[j].low
				if o := objectAfter(s, toks, j+1, b, 6); o > j+1 {
					rewrite = passive(textOf(s, toks, j+1, o), "was not "+pastParticiple(act))
				}
			}
		} else if o := objectAfter(s, toks, j, b, 6); o > j {
			rewrite = passive(textOf(s, toks, j, o), "was forgotten")
		}
	case "missed", "ignored", "overlooked", "skipped", "misconfigured", "broke":
		j := last + 1
		if o := objectAfter(s, toks, j, b, 8); o > j {
			rewrite = passive(textOf(s, toks, j, o), map[string]string{"missed": "went unnoticed", "ignored": "was not acted on",
				"overlooked": "was not checked", "skipped": "was skipped", "misconfigured": "was misconfigured", "broke": "broke"}[toks[v].low])
		}
	case "caused":
		j := last + 1
		if o := objectAfter(s, toks, j, b, 8); o > j {
			what := "a change"
			if strings.HasSuffix(toks[subj].low, "'s") && v-subj > 1 {
				what = "the " + textOf(s, toks, subj+1, v) // "Alice's change" → "the change"
			}
			rewrite = what + " caused " + textOf(s, toks, j, o)
		}
	}
	if rewrite == "" {
		return fmt.Sprintf(`say what happened instead of %q: the change, command or step, and what let it cause harm; then make what would have caught it an action item`, shorten(who+" "+verb))
	}
	return fmt.Sprintf(`name what happened, not who: %q; then say what let it happen (a missing check, default or alert) and make that an action item`, rewrite)
}

// suggestCue writes the rewrite of a person-as-cause finding found through
// a cue: the person at toks[subj:head+1] did something at toks[c] that went
// wrong. The rewrite puts the object first and drops the person: "the
// engineer ran rm -rf on the primary" → "rm -rf was run on the primary".
func (e *Engine) suggestCue(s *scan, toks []token, subj, head, c int) string {
	lx := e.lex
	_, b := sentence(s, toks, c)
	who := textOf(s, toks, subj, head+1)
	j := head + 1
	switch {
	case j < b && !toks[j].join: // an aside between commas: "A tired engineer, working late, ran"
		j++
		for j < b && toks[j].join {
			j++
		}
	case j < b && strings.HasSuffix(toks[j].low, "ing"): // "an engineer working late ... ran"
		for j < b && toks[j].join && lx.matchCue(toks, j) == 0 && !lx.isAdverb(toks[j].low) && !pastTense.has(toks[j].low) {
			j++
		}
	}
	if j < b && (lx.matchCue(toks, j) == 1 || lx.isAdverb(toks[j].low)) {
		j++
	}
	if j+1 >= b || lx.matchCue(toks, j) > 0 || lx.verbs[toks[j].low] != nil {
		return fmt.Sprintf(`say what happened instead of who: the command or step in %q, and what let it go wrong (a prompt, a guard, a default)`, shorten(textOf(s, toks, subj, b)))
	}
	verb := toks[j].low
	o := objectAfter(s, toks, j+1, b, 10)
	rewrite := textOf(s, toks, j+1, o) + " was " + pastParticiple(verb)
	if r := restUntil(toks, o, b, 12); r > o {
		rewrite += " " + textOf(s, toks, o, r)
	}
	return fmt.Sprintf(`name what happened without %q: %q; then say what made it easy (similar prompts, no confirmation, no guard) and make that an action item`, who, shorten(rewrite))
}

// suggestCounterfactual writes the rewrite of "X should have <done> Y" as
// what happened: "Y was not <done>".
func (e *Engine) suggestCounterfactual(s *scan, toks []token, i, n int) string {
	a, b := sentence(s, toks, i)
	pj := i + n
	if pj < b && e.lex.isAdverb(toks[pj].low) && !e.lex.isParticiple(toks[pj].low) {
		pj++
	}
	generic := fmt.Sprintf(`say what happened and why it made sense then, instead of what did not happen in %q; move the "should" into an action item`, shorten(textOf(s, toks, a, b)))
	if pj >= b {
		return generic
	}
	act := toks[pj].low
	rewrite := ""
	switch {
	case toks[i].low == "failed" || toks[i].low == "neglected":
		if o := objectAfter(s, toks, pj+1, b, 6); o > pj+1 {
			rewrite = passive(textOf(s, toks, pj+1, o), "was not "+pastParticiple(act))
		}
	case act == "been" && pj+1 < b && e.lex.isParticiple(toks[pj+1].low):
		// "an issue which should have been addressed" → "the issue was not addressed"
		st := i - 1
		for st > a && toks[st].join && !determiners.has(toks[st].low) && i-st < 5 {
			st--
		}
		subj := toks[st:i]
		for len(subj) > 0 && (subj[len(subj)-1].low == "which" || subj[len(subj)-1].low == "that" || subj[len(subj)-1].low == "who") {
			subj = subj[:len(subj)-1]
		}
		if len(subj) > 0 {
			k := st + len(subj)
			noun := textOf(s, toks, st, k)
			if w := toks[st].low; w == "a" || w == "an" {
				noun = "the " + textOf(s, toks, st+1, k)
			}
			rewrite = noun + " was not " + toks[pj+1].low
			if r := restUntil(toks, pj+2, b, 8); r > pj+2 {
				rewrite += " " + textOf(s, toks, pj+2, r)
			}
		}
	case e.lex.isParticiple(act) && act != "been" && toks[i].low != "would" && toks[i].low != "would've":
		if o := objectAfter(s, toks, pj+1, b, 6); o > pj+1 {
			rewrite = passive(textOf(s, toks, pj+1, o), "was not "+act)
		}
	}
	if rewrite == "" {
		return generic
	}
	return fmt.Sprintf(`say what happened: %q, and why it made sense then; move the "should" into an action item`, rewrite)
}

// copulas end a sentence that needs the word it lost ("It was careless").
var copulas = set{"was": {}, "is": {}, "were": {}, "are": {}, "be": {}, "been": {}, "being": {}}

// dropWords are judgements a sentence reads fine without.
var dropWords = set{"careless": {}, "sloppy": {}, "lazy": {}, "reckless": {}, "negligent": {}, "incompetent": {},
	"stupid": {}, "dumb": {}, "idiotic": {}, "clueless": {}, "irresponsible": {}, "misguided": {}, "rookie": {}}

// suggestion returns the suggested rewrite of a word-list finding at
// toks[i:i+n].
func (e *Engine) suggestion(s *scan, toks []token, i, n int, rule string) string {
	a, b := sentence(s, toks, i)
	phrase := textOf(s, toks, i, i+n)
	switch rule {
	case "blame-words":
		if w := toks[i].low; n == 1 && (strings.HasSuffix(w, "ly") || dropWords.has(w)) {
			rest := without(s, toks, a, b, i, i+n)
			f := strings.Fields(rest)
			if len(f) >= 4 && !copulas.has(strings.ToLower(f[len(f)-1])) {
				return fmt.Sprintf(`drop %q and describe the condition: %q, and what information, tool or guard was missing at the time`, phrase, rest)
			}
		}
		return fmt.Sprintf(`say what happened instead of judging who: in %q, name the action and what information, tool or guard was missing at the time`, shorten(textOf(s, toks, a, b)))
	case "human-error":
		return fmt.Sprintf(`say what made the action reasonable at the time and what would have caught it, in place of %q: what was done, and what let it cause harm`, phrase)
	case "counterfactual":
		return e.suggestCounterfactual(s, toks, i, n)
	case "hindsight":
		return fmt.Sprintf(`drop %q: %q, or say what made it hard to see at the time`, phrase, without(s, toks, a, b, i, i+n))
	}
	return e.info[rule].rewrite
}
