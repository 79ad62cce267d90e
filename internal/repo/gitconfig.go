package repo

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// This file reads and edits git configuration files itself instead of using
// go-git's config package, because go-git reads only the local file (go-git
// issue 19), does not follow includes, and re-encodes the whole file when it
// writes, which would drop the user's comments and layout.

// configEntry is one "section.subsection.key = value" line of a config file,
// in file order. Section and key are lower case (git compares them without
// case); the subsection keeps its case. start and end are the byte offsets of
// the lines the entry occupies, so that SetLocalConfig can replace it.
type configEntry struct {
	section, subsection, key string
	value                    string
	noValue                  bool // "key" without "=": a boolean true
	file                     string
	start, end               int  // byte range of the whole lines holding the entry
	alone                    bool // nothing but the entry (and a comment) on its lines
}

// configSection records where a section header is and where its last
// line ends, for inserting a new key into an existing section.
type configSection struct {
	section, subsection string
	lastEnd             int // offset just past the last line belonging to it
}

type parsedConfig struct {
	entries  []configEntry
	sections []configSection
}

// parseConfig parses git config syntax as git's config.c does: comments
// start with # or ;, values may be quoted and use \" \\ \n \t \b escapes and
// backslash-newline continuations, an entry may follow a header on the
// same line, and [section.sub] is the old spelling of [section "sub"].
func parseConfig(data []byte, file string) (*parsedConfig, error) {
	p := &configParser{data: data, file: file, line: 1}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		p.pos = 3
	}
	out := &parsedConfig{}
	var cur *configSection
	lineStart := p.pos
	lineHasOther := false
	for {
		c, ok := p.next()
		if !ok {
			break
		}
		switch {
		case c == '\n':
			lineStart = p.pos
			lineHasOther = false
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
		case c == '#' || c == ';':
			p.skipLine()
			lineStart = p.pos
			lineHasOther = false
		case c == '[':
			sec, sub, err := p.header()
			if err != nil {
				return nil, err
			}
			out.sections = append(out.sections, configSection{section: sec, subsection: sub, lastEnd: p.lineEnd()})
			cur = &out.sections[len(out.sections)-1]
			lineHasOther = true
		case cfgAlpha(c):
			if cur == nil {
				return nil, p.errorf("key outside a section")
			}
			e, err := p.entry(c)
			if err != nil {
				return nil, err
			}
			e.section, e.subsection, e.file = cur.section, cur.subsection, file
			e.start, e.end = lineStart, p.lineEnd()
			e.alone = !lineHasOther
			out.entries = append(out.entries, e)
			cur.lastEnd = e.end
			// The entry consumed its line (and any continuation lines).
			lineStart = p.pos
			lineHasOther = false
		default:
			return nil, p.errorf("unexpected character %q", c)
		}
	}
	return out, nil
}

type configParser struct {
	data []byte
	pos  int
	file string
	line int
}

func (p *configParser) errorf(format string, args ...any) error {
	return fmt.Errorf("%s:%d: bad config: %s (fix the file by hand or with git config)", p.file, p.line, fmt.Sprintf(format, args...))
}

func (p *configParser) next() (byte, bool) {
	if p.pos >= len(p.data) {
		return 0, false
	}
	c := p.data[p.pos]
	p.pos++
	if c == '\n' {
		p.line++
	}
	return c, true
}

func (p *configParser) peek() (byte, bool) {
	if p.pos >= len(p.data) {
		return 0, false
	}
	return p.data[p.pos], true
}

func (p *configParser) skipLine() {
	for {
		c, ok := p.peek()
		if !ok || c == '\n' {
			return
		}
		p.pos++
	}
}

// lineEnd is the offset just past the newline that ends the current line.
func (p *configParser) lineEnd() int {
	i := bytes.IndexByte(p.data[p.pos:], '\n')
	if i < 0 {
		return len(p.data)
	}
	return p.pos + i + 1
}

func cfgAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func cfgAlnum(c byte) bool { return cfgAlpha(c) || c >= '0' && c <= '9' }

func (p *configParser) header() (section, subsection string, err error) {
	var name []byte
	for {
		c, ok := p.next()
		if !ok {
			return "", "", p.errorf("unterminated section header")
		}
		switch {
		case c == ']':
			s := strings.ToLower(string(name))
			if s == "" {
				return "", "", p.errorf("empty section name")
			}
			if i := strings.IndexByte(s, '.'); i >= 0 {
				return s[:i], s[i+1:], nil
			}
			return s, "", nil
		case c == ' ' || c == '\t':
			return p.subsectionHeader(strings.ToLower(string(name)))
		case cfgAlnum(c) || c == '-' || c == '.':
			name = append(name, c)
		default:
			return "", "", p.errorf("bad character %q in section name", c)
		}
	}
}

func (p *configParser) subsectionHeader(section string) (string, string, error) {
	for {
		c, ok := p.next()
		if !ok {
			return "", "", p.errorf("unterminated section header")
		}
		if c == ' ' || c == '\t' {
			continue
		}
		if c != '"' {
			return "", "", p.errorf("subsection name must be quoted")
		}
		break
	}
	var sub []byte
	for {
		c, ok := p.next()
		if !ok || c == '\n' {
			return "", "", p.errorf("unterminated subsection name")
		}
		if c == '"' {
			break
		}
		if c == '\\' {
			if c, ok = p.next(); !ok || c == '\n' {
				return "", "", p.errorf("unterminated subsection name")
			}
		}
		sub = append(sub, c)
	}
	if c, ok := p.next(); !ok || c != ']' {
		return "", "", p.errorf("expected ] after subsection name")
	}
	return section, string(sub), nil
}

func (p *configParser) entry(first byte) (configEntry, error) {
	key := []byte{first}
	for {
		c, ok := p.peek()
		if !ok || !(cfgAlnum(c) || c == '-') {
			break
		}
		key = append(key, c)
		p.pos++
	}
	e := configEntry{key: strings.ToLower(string(key))}
	for {
		c, ok := p.peek()
		if !ok || c == '\n' {
			e.noValue = true
			return e, nil
		}
		if c == ' ' || c == '\t' || c == '\r' {
			p.pos++
			continue
		}
		if c == '#' || c == ';' {
			p.skipLine()
			e.noValue = true
			return e, nil
		}
		if c != '=' {
			return e, p.errorf("expected = after key %q", e.key)
		}
		p.pos++
		break
	}
	v, err := p.value()
	e.value = v
	return e, err
}

// value parses the rest of a line as git does: whitespace runs inside the
// value become single spaces per character, leading and trailing ones are
// dropped, quotes protect # and ; and spaces.
func (p *configParser) value() (string, error) {
	var buf []byte
	quote := false
	spaces := 0
	for {
		c, ok := p.peek()
		if !ok {
			if quote {
				return "", p.errorf("unterminated quote")
			}
			return string(buf), nil
		}
		if c == '\n' {
			if quote {
				return "", p.errorf("unterminated quote")
			}
			return string(buf), nil
		}
		p.pos++
		if !quote {
			if c == ' ' || c == '\t' || c == '\r' {
				if len(buf) > 0 {
					spaces++
				}
				continue
			}
			if c == '#' || c == ';' {
				p.skipLine()
				return string(buf), nil
			}
		}
		for ; spaces > 0; spaces-- {
			buf = append(buf, ' ')
		}
		switch c {
		case '\\':
			e, ok := p.next()
			if !ok {
				return "", p.errorf("backslash at end of file")
			}
			switch e {
			case '\n':
				continue
			case '\r':
				if n, ok := p.peek(); ok && n == '\n' {
					p.next()
					continue
				}
				return "", p.errorf("bad escape")
			case 't':
				buf = append(buf, '\t')
			case 'b':
				if len(buf) > 0 {
					buf = buf[:len(buf)-1]
				}
			case 'n':
				buf = append(buf, '\n')
			case '\\', '"':
				buf = append(buf, e)
			default:
				return "", p.errorf("bad escape \\%c", e)
			}
		case '"':
			quote = !quote
		default:
			buf = append(buf, c)
		}
	}
}

// configSet is every config value visible to a repository, in the order git
// reads them (system, global, local, worktree, command line), so that the
// last definition of a key wins.
type configSet struct {
	entries []configEntry
}

// get returns the last value of section[.subsection].key and whether it is
// set at all. A key written without "=" reads as "true".
func (s *configSet) get(section, subsection, key string) (string, bool) {
	section, key = strings.ToLower(section), strings.ToLower(key)
	for i := len(s.entries) - 1; i >= 0; i-- {
		e := s.entries[i]
		if e.section == section && e.subsection == subsection && e.key == key {
			if e.noValue {
				return "true", true
			}
			return e.value, true
		}
	}
	return "", false
}

// subsections lists the subsections of section that have any key, in the
// order first seen (the remotes, for "remote").
func (s *configSet) subsections(section string) []string {
	section = strings.ToLower(section)
	var out []string
	for _, e := range s.entries {
		if e.section == section && e.subsection != "" && !slices.Contains(out, e.subsection) {
			out = append(out, e.subsection)
		}
	}
	return out
}

// configBool interprets a git boolean; def is returned for an unset key.
func configBool(v string, set bool, def bool) bool {
	if !set {
		return def
	}
	switch strings.ToLower(v) {
	case "true", "yes", "on", "1":
		return true
	case "false", "no", "off", "0", "":
		return false
	}
	if n, err := strconv.Atoi(v); err == nil {
		return n != 0
	}
	return def
}

// includeContext carries what includeIf conditions are evaluated against.
type includeContext struct {
	getenv func(string) string
	gitDir string // the repository's git dir, "" outside a repository
	branch string // the checked-out branch's short name, "" if none
}

const maxIncludeDepth = 10

// loadConfigFile appends the entries of file (a missing file adds nothing)
// to set, following include.path and includeIf.<cond>.path at the point
// where they appear, as git does. Conditions supported: gitdir:, gitdir/i:
// and onbranch:; others (hasconfig:, worktree:) count as false.
func loadConfigFile(set *configSet, file string, ctx *includeContext, depth int) error {
	data, err := os.ReadFile(file)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) || depth > 0 {
			return nil // git ignores missing includes too
		}
		return fmt.Errorf("read %s: %w", file, err)
	}
	pc, err := parseConfig(data, file)
	if err != nil {
		return err
	}
	for _, e := range pc.entries {
		set.entries = append(set.entries, e)
		if e.key != "path" || e.noValue || ctx == nil {
			continue
		}
		include := false
		switch {
		case e.section == "include" && e.subsection == "":
			include = true
		case e.section == "includeif" && e.subsection != "":
			include = ctx.conditionTrue(e.subsection, file)
		}
		if !include {
			continue
		}
		if depth >= maxIncludeDepth {
			return fmt.Errorf("%s: config includes nested more than %d deep (check include.path for a loop)", file, maxIncludeDepth)
		}
		p := expandHome(e.value, ctx.getenv)
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(file), p)
		}
		if err := loadConfigFile(set, p, ctx, depth+1); err != nil {
			return err
		}
	}
	return nil
}

func expandHome(p string, getenv func(string) string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home := getenv("HOME"); home != "" {
			return filepath.Join(home, p[1:])
		}
	}
	return p
}

func (ctx *includeContext) conditionTrue(cond, file string) bool {
	switch {
	case strings.HasPrefix(cond, "gitdir:"):
		return ctx.gitdirMatches(cond[len("gitdir:"):], file, false)
	case strings.HasPrefix(cond, "gitdir/i:"):
		return ctx.gitdirMatches(cond[len("gitdir/i:"):], file, true)
	case strings.HasPrefix(cond, "onbranch:"):
		if ctx.branch == "" {
			return false
		}
		pat := cond[len("onbranch:"):]
		if strings.HasSuffix(pat, "/") {
			pat += "**"
		}
		return wildmatch(pat, ctx.branch, false)
	}
	return false
}

func (ctx *includeContext) gitdirMatches(pat, file string, fold bool) bool {
	if ctx.gitDir == "" {
		return false
	}
	pat = expandHome(pat, ctx.getenv)
	switch {
	case strings.HasPrefix(pat, "./"):
		pat = filepath.ToSlash(filepath.Dir(file)) + pat[1:]
	case !strings.HasPrefix(pat, "/"):
		pat = "**/" + pat
	}
	if strings.HasSuffix(pat, "/") {
		pat += "**"
	}
	candidates := []string{ctx.gitDir}
	if real, err := filepath.EvalSymlinks(ctx.gitDir); err == nil && real != ctx.gitDir {
		candidates = append([]string{real}, candidates...)
	}
	for _, c := range candidates {
		if wildmatch(pat, filepath.ToSlash(c), fold) {
			return true
		}
	}
	return false
}

// wildmatch matches text against a git wildcard pattern with WM_PATHNAME
// semantics: * and ? do not cross "/", "**/" matches any number of leading
// folders and a trailing "/**" matches everything below.
func wildmatch(pat, text string, fold bool) bool {
	if fold {
		pat, text = strings.ToLower(pat), strings.ToLower(text)
	}
	return wm(pat, text)
}

func wm(p, t string) bool {
	for len(p) > 0 {
		switch c := p[0]; c {
		case '*':
			if strings.HasPrefix(p, "**") {
				rest := strings.TrimLeft(p, "*")
				if rest == "" {
					return true
				}
				if rest[0] == '/' {
					// "**/" matches zero or more whole folders.
					if wm(rest[1:], t) {
						return true
					}
					for i := 0; i < len(t); i++ {
						if t[i] == '/' && wm(rest[1:], t[i+1:]) {
							return true
						}
					}
					return false
				}
				p = p[1:] // "**" not followed by "/" is a plain "*"
				continue
			}
			rest := p[1:]
			for i := 0; i <= len(t); i++ {
				if wm(rest, t[i:]) {
					return true
				}
				if i < len(t) && t[i] == '/' {
					return false
				}
			}
			return false
		case '?':
			if len(t) == 0 || t[0] == '/' {
				return false
			}
			p, t = p[1:], t[1:]
		case '[':
			end := strings.IndexByte(p[1:], ']')
			if end < 0 || len(t) == 0 || t[0] == '/' {
				return len(t) > 0 && t[0] == '[' && wm(p[1:], t[1:])
			}
			class := p[1 : end+1]
			neg := strings.HasPrefix(class, "!") || strings.HasPrefix(class, "^")
			if neg {
				class = class[1:]
			}
			hit := false
			for i := 0; i < len(class); i++ {
				if i+2 < len(class) && class[i+1] == '-' {
					if class[i] <= t[0] && t[0] <= class[i+2] {
						hit = true
					}
					i += 2
				} else if class[i] == t[0] {
					hit = true
				}
			}
			if hit == neg {
				return false
			}
			p, t = p[end+2:], t[1:]
		case '\\':
			if len(p) > 1 {
				p = p[1:]
			}
			fallthrough
		default:
			if len(t) == 0 || t[0] != p[0] {
				return false
			}
			p, t = p[1:], t[1:]
		}
	}
	return len(t) == 0
}

// loadConfig gathers the configuration git would see in this repository.
// Scopes, lowest priority first: system (GIT_CONFIG_SYSTEM, else
// /etc/gitconfig; skipped when GIT_CONFIG_NOSYSTEM is true), global
// (GIT_CONFIG_GLOBAL, else $XDG_CONFIG_HOME/git/config or
// ~/.config/git/config, then ~/.gitconfig), local (CommonDir/config),
// worktree (GitDir/config.worktree when extensions.worktreeConfig is on) and
// the command line (GIT_CONFIG_COUNT, GIT_CONFIG_KEY_n, GIT_CONFIG_VALUE_n).
// GIT_CONFIG_PARAMETERS (git -c) is not read.
//
// A Repo lives for one command, so the result is kept: the identity and
// the commit of one pm note read git's config once. SetLocalConfig drops it.
func (r *Repo) loadConfig(getenv func(string) string) (*configSet, error) {
	if r != nil {
		r.heldMu.Lock()
		c := r.config
		r.heldMu.Unlock()
		if c != nil {
			return c, nil
		}
		set, err := r.readConfig(getenv)
		if err == nil {
			r.heldMu.Lock()
			r.config = set
			r.heldMu.Unlock()
		}
		return set, err
	}
	return r.readConfig(getenv)
}

func (r *Repo) readConfig(getenv func(string) string) (*configSet, error) {
	set := &configSet{}
	ctx := &includeContext{getenv: getenv}
	if r != nil {
		ctx.gitDir = r.GitDir
		if ref, err := r.headTarget(); err == nil && strings.HasPrefix(ref, "refs/heads/") {
			ctx.branch = strings.TrimPrefix(ref, "refs/heads/")
		}
	}
	for _, f := range userConfigFiles(getenv) {
		if err := loadConfigFile(set, f, ctx, 0); err != nil {
			return nil, err
		}
	}
	if r != nil {
		local := filepath.Join(r.CommonDir, "config")
		if err := loadConfigFile(set, local, ctx, 0); err != nil {
			return nil, err
		}
		lc, err := r.localOnly()
		if err != nil {
			return nil, err
		}
		if lc.boolean("extensions", "", "worktreeconfig", false) {
			if err := loadConfigFile(set, filepath.Join(r.GitDir, "config.worktree"), ctx, 0); err != nil {
				return nil, err
			}
		}
	}
	if n, err := strconv.Atoi(getenv("GIT_CONFIG_COUNT")); err == nil {
		for i := 0; i < n; i++ {
			k := getenv(fmt.Sprintf("GIT_CONFIG_KEY_%d", i))
			sec, sub, key, ok := splitConfigKey(k)
			if !ok {
				return nil, fmt.Errorf("GIT_CONFIG_KEY_%d=%q is not a section.key name (fix or unset GIT_CONFIG_COUNT)", i, k)
			}
			set.entries = append(set.entries, configEntry{section: sec, subsection: sub, key: key,
				value: getenv(fmt.Sprintf("GIT_CONFIG_VALUE_%d", i)), file: "GIT_CONFIG_COUNT"})
		}
	}
	return set, nil
}

// boolean reads section[.subsection].key as a git boolean, def if unset.
func (s *configSet) boolean(section, subsection, key string, def bool) bool {
	v, ok := s.get(section, subsection, key)
	return configBool(v, ok, def)
}

func userConfigFiles(getenv func(string) string) []string {
	var files []string
	if !configBool(getenv("GIT_CONFIG_NOSYSTEM"), getenv("GIT_CONFIG_NOSYSTEM") != "", false) {
		if f := getenv("GIT_CONFIG_SYSTEM"); f != "" {
			files = append(files, f)
		} else {
			files = append(files, "/etc/gitconfig")
		}
	}
	if f := getenv("GIT_CONFIG_GLOBAL"); f != "" {
		files = append(files, f)
		return files
	}
	home := getenv("HOME")
	if xdg := getenv("XDG_CONFIG_HOME"); xdg != "" {
		files = append(files, filepath.Join(xdg, "git", "config"))
	} else if home != "" {
		files = append(files, filepath.Join(home, ".config", "git", "config"))
	}
	if home != "" {
		files = append(files, filepath.Join(home, ".gitconfig"))
	}
	return files
}

// splitConfigKey splits "section.sub.section.key" into its parts.
func splitConfigKey(k string) (section, subsection, key string, ok bool) {
	first := strings.IndexByte(k, '.')
	last := strings.LastIndexByte(k, '.')
	if first <= 0 || last == len(k)-1 {
		return "", "", "", false
	}
	section = strings.ToLower(k[:first])
	key = strings.ToLower(k[last+1:])
	if first != last {
		subsection = k[first+1 : last]
	}
	return section, subsection, key, true
}

// localOnly parses CommonDir/config alone, without includes.
func (r *Repo) localOnly() (*configSet, error) {
	file := filepath.Join(r.CommonDir, "config")
	data, err := os.ReadFile(file)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return &configSet{}, nil
		}
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	pc, err := parseConfig(data, file)
	if err != nil {
		return nil, err
	}
	return &configSet{entries: pc.entries}, nil
}

// LocalConfig reads section[.subsection].key from the repository's own config
// file (CommonDir/config; includes are not followed). It returns "" when the
// key is unset and "true" for a key written without a value.
func (r *Repo) LocalConfig(section, subsection, key string) (string, error) {
	set, err := r.localOnly()
	if err != nil {
		return "", err
	}
	v, _ := set.get(section, subsection, key)
	return v, nil
}

// SetLocalConfig sets section[.subsection].key = value in CommonDir/config the
// way `git config` does: under git's config.lock, changing the last existing
// definition in place or adding the key to the last matching section (or a
// new section at the end). Every other byte of the file is kept. Setting a
// value that is already there does not rewrite the file.
func (r *Repo) SetLocalConfig(section, subsection, key, value string) error {
	r.heldMu.Lock()
	r.config = nil
	r.heldMu.Unlock()
	if !validConfigName(section, true) || !validConfigName(key, false) || strings.ContainsAny(subsection, "\n\x00") {
		return fmt.Errorf("bad config key %q (section and key are letters, digits and -)", joinConfigKey(section, subsection, key))
	}
	if strings.ContainsRune(value, 0) {
		return fmt.Errorf("config value for %s contains a NUL byte", joinConfigKey(section, subsection, key))
	}
	file := filepath.Join(r.CommonDir, "config")
	lock := file + ".lock"
	lf, err := os.OpenFile(lock, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s exists: another git process is writing the config; retry, or remove it if no git process is running", lock)
		}
		return fmt.Errorf("lock %s: %w", file, err)
	}
	done := false
	defer func() {
		if !done {
			lf.Close()
			os.Remove(lock)
		}
	}()
	data, err := os.ReadFile(file)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("read %s: %w", file, err)
	}
	pc, err := parseConfig(data, file)
	if err != nil {
		return err
	}
	lsec, lkey := strings.ToLower(section), strings.ToLower(key)
	line := "\t" + lkey + " = " + quoteConfigValue(value) + "\n"
	var out []byte
	last := -1
	for i, e := range pc.entries {
		if e.section == lsec && e.subsection == subsection && e.key == lkey {
			last = i
		}
	}
	switch {
	case last >= 0 && !pc.entries[last].noValue && pc.entries[last].value == value:
		return nil // already set: leave the file alone
	case last >= 0 && pc.entries[last].alone:
		e := pc.entries[last]
		out = append(append(append(out, data[:e.start]...), line...), data[e.end:]...)
	default:
		at := -1
		for _, s := range pc.sections {
			if s.section == lsec && s.subsection == subsection {
				at = s.lastEnd
			}
		}
		if at >= 0 {
			out = append(out, data[:at]...)
			if at > 0 && data[at-1] != '\n' {
				out = append(out, '\n')
			}
			out = append(append(out, line...), data[at:]...)
		} else {
			out = append(out, data...)
			if len(out) > 0 && out[len(out)-1] != '\n' {
				out = append(out, '\n')
			}
			out = append(out, "["+lsec...)
			if subsection != "" {
				out = append(out, " \""+escapeSubsection(subsection)+"\""...)
			}
			out = append(append(out, "]\n"...), line...)
		}
	}
	if _, err := lf.Write(out); err != nil {
		return fmt.Errorf("write %s: %w", lock, err)
	}
	if fi, err := os.Stat(file); err == nil {
		_ = lf.Chmod(fi.Mode().Perm())
	}
	if err := lf.Close(); err != nil {
		return fmt.Errorf("write %s: %w", lock, err)
	}
	done = true
	if err := os.Rename(lock, file); err != nil {
		os.Remove(lock)
		return fmt.Errorf("replace %s: %w", file, err)
	}
	return nil
}

func joinConfigKey(section, subsection, key string) string {
	if subsection == "" {
		return section + "." + key
	}
	return section + "." + subsection + "." + key
}

func validConfigName(s string, dots bool) bool {
	if s == "" || (!dots && !cfgAlpha(s[0])) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(cfgAlnum(c) || c == '-' || (dots && c == '.')) {
			return false
		}
	}
	return true
}

func escapeSubsection(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s)
}

// quoteConfigValue writes a value so that parseConfig reads it back
// unchanged, quoting it as git does when it has leading or trailing spaces
// or a comment character.
func quoteConfigValue(v string) string {
	var b strings.Builder
	needQuote := v != strings.TrimSpace(v) || strings.ContainsAny(v, "#;")
	if needQuote {
		b.WriteByte('"')
	}
	for _, c := range []byte(v) {
		switch c {
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		default:
			b.WriteByte(c)
		}
	}
	if needQuote {
		b.WriteByte('"')
	}
	return b.String()
}
