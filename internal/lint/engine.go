package lint

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/pm-tool/pm/internal/config"
	"github.com/pm-tool/pm/internal/incident"
)

// Engine lints incident files with one configuration. Build it once with
// New (the word lists are compiled then); it is safe for concurrent use.
type Engine struct {
	cfg    config.Config
	lex    *lexicon
	on     map[string]bool  // rules not turned off
	levels map[string]Level // levels set in .pm.yml
	known  []string         // the sections pm knows by name (knownSections)
	names  *sectionNames    // the known sections with their aliases
	checks []*check         // the checks of the rules that are on, in table order
	// info is ruleByName, for the checks: they cannot name the table that
	// holds them (see check).
	info map[string]*ruleInfo
}

// New builds an Engine from the configuration. A rule name in lint.rules or
// lint.words.extra that pm does not know is a *config.ConfigError naming the
// key (without a line: the caller knows the file).
func New(cfg config.Config) (*Engine, error) {
	e := &Engine{cfg: cfg, on: map[string]bool{}, levels: map[string]Level{}, info: ruleByName}
	names := make([]string, 0, len(cfg.Lint.Rules))
	for name := range cfg.Lint.Rules {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, ok := ruleByName[name]; !ok {
			return nil, unknownRuleError("lint.rules."+name, name, RuleNames())
		}
	}
	for _, r := range rules {
		e.on[r.name] = !r.off
		switch lv := strings.ToLower(cfg.Lint.Rules[r.name]); lv {
		case "":
		case "off":
			e.on[r.name] = false
		case string(Error), string(Warning), string(Info):
			e.on[r.name] = true
			e.levels[r.name] = Level(lv)
		default:
			return nil, &config.ConfigError{File: config.ConfigFile, Key: "lint.rules." + r.name,
				Msg: fmt.Sprintf("lint.rules.%s: level %q is not one of error, warning, info, off", r.name, lv)}
		}
	}
	seen := map[*check]bool{}
	for _, r := range rules {
		if r.check != nil && e.on[r.name] && !seen[r.check] {
			seen[r.check] = true
			e.checks = append(e.checks, r.check)
		}
	}
	lx, err := newLexicon(cfg.Lint.Words.Extra, cfg.Lint.Words.Allow)
	if err != nil {
		return nil, err
	}
	e.lex = lx
	e.known = knownSections(cfg)
	e.names = newSectionNames(cfg, e.known)
	return e, nil
}

// unknownRuleError names an unknown rule under key, with the closest known
// name and the list.
func unknownRuleError(key, name string, known []string) error {
	hint := ""
	if c := config.Closest(name, known); c != "" {
		hint = fmt.Sprintf("did you mean %q? ", c)
	}
	return &config.ConfigError{File: config.ConfigFile, Key: key,
		Msg: fmt.Sprintf("%s: unknown rule %q (%sknown: %s)", key, name, hint, strings.Join(known, ", "))}
}

// Lint checks one file with cfg; see Engine.Lint. It builds an Engine on
// every call: to lint many files, build one with New.
func Lint(path string, src []byte, cfg config.Config) ([]Finding, error) {
	e, err := New(cfg)
	if err != nil {
		return nil, err
	}
	return e.Lint(path, src), nil
}

// Lint checks one file. path names the file in the findings
// (slash-separated, relative to the repository root). The findings are
// sorted by line, column and rule, with the levels of .pm.yml applied and
// suppressed ones removed.
func (e *Engine) Lint(path string, src []byte) []Finding {
	var out []Finding
	add := func(f Finding) {
		f.Path = path
		out = append(out, f)
	}
	// Where incident.Parse names it, so lint and the other commands point
	// at the same place; Parse refuses such a file too, so one finding.
	if line, col, nul, found := incident.NotText(src); found {
		msg := "this line is not valid UTF-8: save the file as UTF-8"
		if nul {
			msg = "not a text file (it holds NUL bytes): pm lints UTF-8 markdown; move the file out of the incident folder or give it another extension"
		}
		add(Finding{Line: line, Column: col, Rule: "parse", Message: msg})
		return e.finish(out, nil)
	}
	sc := scratchPool.Get().(*scratch)
	defer sc.release()
	s := newScan(src, sc)
	sc.keep(s)
	d, err := incident.Parse(path, src)
	if err != nil {
		var pe *incident.ParseError
		line, msg := 1, err.Error()
		if errors.As(err, &pe) {
			line, msg = pe.Line, pe.Msg
		}
		rule := "parse"
		if line <= s.fmClose || strings.Contains(msg, "frontmatter") {
			rule = "frontmatter"
		}
		line = min(max(line, 1), s.numLines())
		a, b := s.lineRange(line)
		_, rest := indentOf(s.src[a:b])
		add(Finding{Line: line, Column: s.col(line, b-len(rest)), Rule: rule, Message: msg})
		d = nil
	}
	f := &file{e: e, s: s, d: d, sc: sc, add: add, lw: lazyWords{d: d}}
	for _, c := range e.checks {
		c.run(f)
	}
	sups := parseSuppressions(s, add)
	out = e.finish(out, sups)
	setLineTexts(out, src)
	return out
}

// setLineTexts fills each finding's LineText from src, in one pass: fs is
// sorted by line.
func setLineTexts(fs []Finding, src []byte) {
	line, start := 1, 0 // start is the offset of line in src
	for i := range fs {
		for line < fs[i].Line && start < len(src) {
			j := bytes.IndexByte(src[start:], '\n')
			if j < 0 {
				start = len(src)
				break
			}
			start += j + 1
			line++
		}
		if fs[i].Line < 1 || line != fs[i].Line {
			continue
		}
		end := bytes.IndexByte(src[start:], '\n')
		if end < 0 {
			end = len(src) - start
		}
		fs[i].LineText = string(bytes.TrimSuffix(src[start:start+end], []byte("\r")))
	}
}

// scratch holds the buffers of one file's lint, reused for the next file
// (through scratchPool) so that linting thousands of files does not churn
// the heap: the prose copy, its lower-case twin, the words, the line index.
type scratch struct {
	prose, low []byte
	lineStarts []int
	kind       []lineKind
	toks       []token
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// maxPooled keeps the buffers of a huge file out of the pool.
const maxPooled = 1 << 20

// keep takes back the (possibly grown) buffers a scan made from sc.
func (sc *scratch) keep(s *scan) {
	sc.prose, sc.lineStarts, sc.kind = s.prose[:0], s.lineStarts[:0], s.kind[:0]
}

func (sc *scratch) release() {
	if cap(sc.prose) > maxPooled || cap(sc.toks) > maxPooled/8 {
		return
	}
	scratchPool.Put(sc)
}

// finish applies levels and suppressions and sorts. A finding gets the
// level .pm.yml sets for its rule, or else the level its check gave it,
// or else its rule's default.
func (e *Engine) finish(fs []Finding, sups []suppression) []Finding {
	out := fs[:0]
	for _, f := range fs {
		if !e.on[f.Rule] || suppressed(sups, f.Line, f.Rule) {
			continue
		}
		f.Level = e.levelOf(f.Rule, f.Level)
		out = append(out, f)
	}
	sortFindings(out)
	return out
}

// LintFiles lints many files in parallel (one worker per CPU) and returns
// the report, its findings and files sorted. paths name the files as
// findings show them; read returns a file's content. A file that cannot be
// read gets one parse finding.
func (e *Engine) LintFiles(paths []string, read func(path string) ([]byte, error)) Report {
	results := make([][]Finding, len(paths))
	_ = incident.Parallel(len(paths), 0, func(i int) error {
		src, err := read(paths[i])
		if err != nil {
			results[i] = []Finding{{Path: paths[i], Line: 1, Column: 1, Rule: "parse", Level: e.levelOf("parse", ""),
				Message: readError(err)}}
			if !e.on["parse"] {
				results[i] = nil
			}
			return nil
		}
		results[i] = e.Lint(paths[i], src)
		return nil
	})
	n := 0
	for _, r := range results {
		n += len(r)
	}
	r := Report{Findings: make([]Finding, 0, n), Files: slices.Clone(paths), RuleDocs: Docs()}
	for _, fs := range results {
		r.Findings = append(r.Findings, fs...)
	}
	sortFindings(r.Findings)
	sort.Strings(r.Files)
	return r
}

// levelOf is the level of a finding of rule that its check gave level:
// the one .pm.yml sets for the rule, else level, else the rule's default.
func (e *Engine) levelOf(rule string, level Level) Level {
	if lv, ok := e.levels[rule]; ok {
		return lv
	}
	if level == "" {
		return ruleByName[rule].level
	}
	return level
}

// readError is the message of a file that could not be read: the reason
// repo.ReadIncidentFile gives (a link, a folder, too large) as it is.
func readError(err error) string {
	var pe *incident.ParseError
	if errors.As(err, &pe) {
		return pe.Msg
	}
	return "cannot read the file: " + err.Error()
}
