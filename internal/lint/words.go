package lint

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// wordsYAML holds the word lists of the language rules. They are data, so a
// team can extend or allow words in .pm.yml without a new pm.
//
//go:embed words/words.yml
var wordsYAML []byte

// phraseSpec is one entry of words.yml: a plain string, or a mapping with
// conditions that keep the phrase from firing where it means something
// else.
type phraseSpec struct {
	Phrase       string   `yaml:"phrase"`
	NotBefore    []string `yaml:"not_before"`
	NotAfter     []string `yaml:"not_after"`
	Participle   bool     `yaml:"participle"`
	HumanSubject bool     `yaml:"human_subject"`
	NeedsPerson  bool     `yaml:"needs_person"`
}

func (p *phraseSpec) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		p.Phrase = n.Value
		return nil
	}
	type plain phraseSpec
	return n.Decode((*plain)(p))
}

type wordsFile struct {
	Blame          []phraseSpec `yaml:"blame-words"`
	HumanError     []phraseSpec `yaml:"human-error"`
	Counterfactual []phraseSpec `yaml:"counterfactual"`
	Hindsight      []phraseSpec `yaml:"hindsight"`
	PersonVerbs    []phraseSpec `yaml:"person-as-cause"`
	Roles          []string     `yaml:"roles"`
	HumanSubjects  []string     `yaml:"human_subjects"`
	Systems        []string     `yaml:"systems"`
	Common         []string     `yaml:"common"`
	Participles    []string     `yaml:"participles"`
	Adverbs        []string     `yaml:"adverbs"`
	Cues           []string     `yaml:"cues"`
	HumanActs      []string     `yaml:"human_acts"`
	Victims        []string     `yaml:"victims"`
}

// phrase is a compiled entry: lower-case words and the conditions.
type phrase struct {
	rule         string
	words        []string // lower-case; "*'s" matches any possessive
	notBefore    set
	notAfter     set
	participle   bool
	humanSubject bool
	needsPerson  bool
}

type set map[string]struct{}

func (s set) has(w string) bool { _, ok := s[w]; return ok }

func newSet(words []string) set {
	s := make(set, len(words))
	for _, w := range words {
		s[normWord(w)] = struct{}{}
	}
	return s
}

// lexicon is the compiled word lists, built once per Engine and shared by
// all workers (read-only).
type lexicon struct {
	byFirst map[string][]*phrase // phrases of the four word-list rules by first word
	wild    []*phrase            // phrases whose first word is a wildcard
	verbs   map[string][]*phrase // person-as-cause verbs by first word

	roles, humanSubjects, systems, common, participles, adverbs set
	humanActs, victims                                          set
	allow                                                       set                   // whole phrases (normalised) no rule flags
	cues                                                        map[string][][]string // person-as-cause cues by first word
	first                                                       set                   // every word that starts a phrase, verb or cue, and the words of the root-cause and "by" checks
}

// languageRules are the rules whose phrases come from the word lists; they
// are the only keys lint.words.extra accepts.
var languageRules = []string{"blame-words", "human-error", "counterfactual", "hindsight", "person-as-cause"}

// normWord lower-cases a word, writes the typographic apostrophe as ' and drops
// zero-width and bidi control characters (they hide inside words to evade
// the word lists).
func normWord(w string) string {
	w = strings.ToLower(strings.TrimSpace(w))
	if strings.ContainsAny(w, "\u200b\u200c\u200d\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") {
		w = strings.Map(func(r rune) rune {
			if isHidden(r) {
				return -1
			}
			return r
		}, w)
	}
	return strings.ReplaceAll(w, "’", "'")
}

// normPhrase splits a phrase into normalised words.
func normPhrase(p string) []string {
	f := strings.Fields(p)
	for i := range f {
		f[i] = normWord(f[i])
	}
	return f
}

// newLexicon compiles the embedded lists plus the team's extra and allowed
// phrases. An extra phrase for a rule that is not a language rule is an
// error naming it.
func newLexicon(extra map[string][]string, allow []string) (*lexicon, error) {
	var wf wordsFile
	if err := yaml.Unmarshal(wordsYAML, &wf); err != nil {
		return nil, fmt.Errorf("words.yml: %v", err) // a bug in pm, caught by its tests
	}
	lx := &lexicon{
		byFirst:       map[string][]*phrase{},
		verbs:         map[string][]*phrase{},
		roles:         newSet(wf.Roles),
		humanSubjects: newSet(wf.HumanSubjects),
		systems:       newSet(wf.Systems),
		common:        newSet(wf.Common),
		participles:   newSet(wf.Participles),
		adverbs:       newSet(wf.Adverbs),
		humanActs:     newSet(wf.HumanActs),
		victims:       newSet(wf.Victims),
		allow:         set{},
		cues:          map[string][][]string{},
	}
	for _, c := range wf.Cues {
		if w := normPhrase(c); len(w) > 0 {
			lx.cues[w[0]] = append(lx.cues[w[0]], w)
		}
	}
	lists := map[string][]phraseSpec{
		"blame-words":     wf.Blame,
		"human-error":     wf.HumanError,
		"counterfactual":  wf.Counterfactual,
		"hindsight":       wf.Hindsight,
		"person-as-cause": wf.PersonVerbs,
	}
	names := make([]string, 0, len(extra))
	for name := range extra {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if !slices.Contains(languageRules, name) {
			return nil, unknownRuleError("lint.words.extra."+name, name, languageRules)
		}
		for _, p := range extra[name] {
			lists[name] = append(lists[name], phraseSpec{Phrase: p})
		}
	}
	for _, a := range allow {
		lx.allow[strings.Join(normPhrase(a), " ")] = struct{}{}
	}
	for _, rule := range languageRules {
		for _, sp := range lists[rule] {
			words := normPhrase(sp.Phrase)
			if len(words) == 0 {
				continue
			}
			p := &phrase{rule: rule, words: words, notBefore: newSet(sp.NotBefore), notAfter: newSet(sp.NotAfter),
				participle: sp.Participle, humanSubject: sp.HumanSubject, needsPerson: sp.NeedsPerson}
			switch {
			case rule == "person-as-cause":
				lx.verbs[words[0]] = append(lx.verbs[words[0]], p)
			case isWildcard(words[0]):
				lx.wild = append(lx.wild, p)
			default:
				lx.byFirst[words[0]] = append(lx.byFirst[words[0]], p)
			}
		}
	}
	lx.first = set{"cause": {}, "trigger": {}, "by": {}}
	for _, m := range []map[string][]*phrase{lx.byFirst, lx.verbs} {
		for w := range m {
			lx.first[w] = struct{}{}
		}
	}
	for w := range lx.cues {
		lx.first[w] = struct{}{}
	}
	// Longer phrases first, so "forgot to" wins over "forgot".
	for _, m := range []map[string][]*phrase{lx.byFirst, lx.verbs} {
		for _, ps := range m {
			slices.SortStableFunc(ps, func(a, b *phrase) int { return len(b.words) - len(a.words) })
		}
	}
	return lx, nil
}

func isWildcard(w string) bool { return w == "*'s" || w == "*" }

// wordMatches reports whether the normalised token t matches the phrase
// word w.
func wordMatches(w, t string) bool {
	switch w {
	case "*":
		return true
	case "*'s":
		return len(t) > 2 && strings.HasSuffix(t, "'s")
	}
	return w == t
}

// isParticiple reports whether a word reads as a past participle: a listed
// irregular one or a regular -ed form.
func (lx *lexicon) isParticiple(w string) bool {
	return lx.participles.has(w) || (len(w) > 3 && strings.HasSuffix(w, "ed"))
}

// isAdverb reports whether a word may stand between a subject and its verb.
func (lx *lexicon) isAdverb(w string) bool {
	return lx.adverbs.has(w) || (len(w) > 4 && strings.HasSuffix(w, "ly"))
}

// startsWithDigit reports whether the word is a number ("5", "10%").
func startsWithDigit(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsDigit(r)
}
