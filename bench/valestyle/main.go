// Command valestyle writes a Vale style whose existence rules carry the
// same word lists as pm's language rules (internal/lint/words/words.yml),
// so bench/lint-vs-vale.sh compares the two tools on the same job:
//
//	go run ./bench/valestyle -words internal/lint/words/words.yml -out DIR
//
// DIR gets .vale.ini and styles/PM/*.yml. pm's extra conditions (not before
// "messages", only before a past participle, only after "we") have no
// equivalent in an existence rule and are left out: Vale matches the bare
// phrases, which is the cheaper job.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

type phrase struct{ Phrase string }

func (p *phrase) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		p.Phrase = n.Value
		return nil
	}
	var m struct{ Phrase string }
	if err := n.Decode(&m); err != nil {
		return err
	}
	p.Phrase = m.Phrase
	return nil
}

// rules maps each pm language rule to its Vale rule name, level and message.
var rules = []struct{ key, name, level, message string }{
	{"blame-words", "BlameWords", "error", "'%s' judges a person"},
	{"human-error", "HumanError", "error", "'%s' is a label that ends the inquiry"},
	{"counterfactual", "Counterfactual", "warning", "'%s' replays the past with hindsight"},
	{"hindsight", "Hindsight", "suggestion", "'%s' hides how hard this was to see"},
}

func main() {
	words := flag.String("words", "internal/lint/words/words.yml", "pm's word lists")
	out := flag.String("out", "", "`DIR` for .vale.ini and styles/ (required)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: valestyle [-words FILE] -out DIR")
		os.Exit(2)
	}
	if err := run(*words, *out); err != nil {
		fmt.Fprintln(os.Stderr, "valestyle:", err)
		os.Exit(1)
	}
}

func run(wordsFile, out string) error {
	data, err := os.ReadFile(wordsFile)
	if err != nil {
		return err
	}
	var lists map[string][]phrase
	var raw map[string]yaml.Node
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return err
	}
	lists = map[string][]phrase{}
	for _, key := range []string{"blame-words", "human-error", "counterfactual", "hindsight", "person-as-cause"} {
		n := raw[key]
		var ps []phrase
		if err := n.Decode(&ps); err != nil {
			return fmt.Errorf("%s: %v", key, err)
		}
		lists[key] = ps
	}
	dir := filepath.Join(out, "styles", "PM")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	ini := "StylesPath = styles\nMinAlertLevel = suggestion\n\n[*.md]\nBasedOnStyles = PM\n"
	if err := os.WriteFile(filepath.Join(out, ".vale.ini"), []byte(ini), 0o644); err != nil {
		return err
	}
	for _, r := range rules {
		var b strings.Builder
		fmt.Fprintf(&b, "extends: existence\nmessage: %q\nlevel: %s\nignorecase: true\ntokens:\n", r.message, r.level)
		for _, p := range lists[r.key] {
			fmt.Fprintf(&b, "  - %s\n", yamlQuote(token(p.Phrase)))
		}
		if err := os.WriteFile(filepath.Join(dir, r.name+".yml"), []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	// person-as-cause: a capitalised name or an @handle right before one of
	// the failure verbs.
	var verbs []string
	for _, p := range lists["person-as-cause"] {
		verbs = append(verbs, token(p.Phrase))
	}
	pac := "extends: existence\nmessage: \"'%s' makes a person the cause\"\nlevel: warning\nignorecase: false\nraw:\n" +
		"  - '(?:@\\w+|\\b[A-Z][a-z]+)\\s+(?:" + strings.ReplaceAll(strings.Join(verbs, "|"), "'", "''") + ")\\b'\n"
	return os.WriteFile(filepath.Join(dir, "PersonAsCause.yml"), []byte(pac), 0o644)
}

// token turns a pm phrase into a Vale token (a regular expression): words
// separated by any white space, apostrophes straight or curly, "*'s" any
// possessive.
func token(p string) string {
	words := strings.Fields(p)
	for i, w := range words {
		if w == "*'s" {
			words[i] = `\w+['’]s`
			continue
		}
		w = regexp.QuoteMeta(w)
		words[i] = strings.ReplaceAll(w, "'", "['’]")
	}
	return strings.Join(words, `\s+`)
}

func yamlQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
