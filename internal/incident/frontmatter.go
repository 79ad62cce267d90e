package incident

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	adrg "github.com/adrg/frontmatter"
	"gopkg.in/yaml.v3"

	"github.com/pm-tool/pm/internal/config"
)

// fmInfo locates the frontmatter and its top-level keys.
type fmInfo struct {
	present     bool
	open, close int // lines of the opening and closing "---"
	keys        []fmKey
	// lines maps a YAML line number (1-based, within the frontmatter) to the
	// file's line relative to open; nil when they are the same. YAML breaks
	// lines at a lone CR, NEL, LS and PS too, where the file (and every
	// editor's line number) does not.
	lines []int
}

// line is the file line of line l of the frontmatter as YAML counts it.
func (f *fmInfo) line(l int) int {
	if f.lines != nil && l >= 1 && l <= len(f.lines) {
		return f.open + f.lines[l-1]
	}
	return f.open + l
}

// yamlLines is fmInfo.lines for the frontmatter text data.
func yamlLines(data []byte) []int {
	if !bytes.ContainsAny(data, "\r\u0085\u2028\u2029") {
		return nil
	}
	m := []int{1}
	file := 1
	for i := 0; i < len(data); i++ {
		n := 0 // length of a YAML line break at i
		switch {
		case data[i] == '\n':
			n = 1
		case data[i] == '\r':
			n = 1
			if i+1 < len(data) && data[i+1] == '\n' {
				n = 2
			}
		case bytes.HasPrefix(data[i:], []byte("\u0085")):
			n = 2
		case bytes.HasPrefix(data[i:], []byte("\u2028")), bytes.HasPrefix(data[i:], []byte("\u2029")):
			n = 3
		}
		if n == 0 {
			continue
		}
		if bytes.IndexByte(data[i:i+n], '\n') >= 0 {
			file++
		}
		m = append(m, file)
		i += n - 1
	}
	return m
}

// fmKey is one top-level key with its YAML nodes (lines in them are relative to the frontmatter).
type fmKey struct {
	name string
	line int // file line of the key
	key  *yaml.Node
	val  *yaml.Node
}

// fmCapture receives what adrg/frontmatter hands to the format's unmarshal function.
type fmCapture struct {
	called bool
	data   []byte
	node   yaml.Node
	err    error
}

// fmFormat is YAML between "---" lines, decoded into a yaml.Node so key lines are known.
var fmFormat = adrg.NewFormat("---", "---", func(data []byte, v any) error {
	c := v.(*fmCapture)
	c.called, c.data = true, data
	c.err = decodeYAML(data, &c.node)
	return nil
})

// decodeYAML decodes into a node and turns a panic of the YAML library into an error.
func decodeYAML(data []byte, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	return yaml.Unmarshal(data, n)
}

// parseFrontmatter fills d.Meta and d.fm and returns the offset where the markdown body begins.
func (d *Doc) parseFrontmatter(base int) (int, error) {
	d.Meta = Meta{Authors: []string{}, Services: []string{}, Tags: []string{}, Lines: map[string]int{}}
	// adrg/frontmatter skips blank lines before the opening "---".
	trimmed := func(n int) []byte { return bytes.TrimSpace(d.src[max(d.lineStart(n), base):d.lineEnd(n)]) }
	open := 0
	for n := 1; n <= d.numLines(); n++ {
		if len(trimmed(n)) > 0 {
			open = n
			break
		}
	}
	// Hand adrg only the lines up to the first closing "---", where it stops anyway, so that it
	// does not copy the whole body.
	limit := len(d.src)
	if open > 0 {
		limit = d.lineStart(open + 1)
		if string(trimmed(open)) == "---" {
			limit = len(d.src)
			for n := open + 1; n <= d.numLines(); n++ {
				if string(trimmed(n)) == "---" {
					limit = d.lineStart(n + 1)
					break
				}
			}
		}
	}
	var c fmCapture
	body, err := adrg.Parse(bytes.NewReader(d.src[base:limit]), &c, fmFormat)
	if err != nil {
		return 0, &ParseError{Path: d.Path, Line: 1, Msg: "cannot read the frontmatter: " + err.Error()}
	}
	if !c.called {
		if open > 0 && string(trimmed(open)) == "---" {
			return 0, &ParseError{Path: d.Path, Line: open, Msg: `the frontmatter opened with "---" is never closed; add a "---" line after its last key`}
		}
		return base, nil
	}
	bodyStart := limit - len(body)
	dataStart := d.lineStart(open + 1)
	if !bytes.Equal(d.src[dataStart:min(dataStart+len(c.data), len(d.src))], c.data) {
		return 0, &ParseError{Path: d.Path, Line: open, Msg: "cannot locate the frontmatter (please report this file)"}
	}
	d.fm = fmInfo{present: true, open: open, close: d.lineOf(dataStart + len(c.data)), lines: yamlLines(c.data)}
	if c.err != nil {
		line, msg := config.YAMLError(c.data, c.err)
		return 0, &ParseError{Path: d.Path, Line: d.fm.line(line), Msg: "frontmatter: " + msg}
	}
	return bodyStart, d.readMeta(&c.node)
}

// readMeta reads the known keys, checking their types, and records every key's line.
func (d *Doc) readMeta(doc *yaml.Node) error {
	root := doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return nil
		}
		root = root.Content[0]
	}
	if root.Kind == 0 || (root.Kind == yaml.ScalarNode && root.Tag == "!!null") {
		return nil
	}
	if root.Kind != yaml.MappingNode {
		return &ParseError{Path: d.Path, Line: d.fm.line(root.Line), Msg: "the frontmatter must be \"key: value\" lines, like status: investigating"}
	}
	m := &d.Meta
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		line := d.fm.line(k.Line)
		if k.Kind != yaml.ScalarNode {
			return &ParseError{Path: d.Path, Line: line, Msg: "frontmatter keys must be plain words, like status"}
		}
		name := k.Value
		if prev, dup := m.Lines[name]; dup {
			return &ParseError{Path: d.Path, Line: line, Msg: fmt.Sprintf("frontmatter key %q appears twice (also on line %d); keep one", name, prev)}
		}
		m.Lines[name] = line
		d.fm.keys = append(d.fm.keys, fmKey{name: name, line: line, key: k, val: v})
		if v.Kind == yaml.AliasNode && v.Alias != nil {
			v = v.Alias
		}
		vline := d.fm.line(v.Line)
		bad := func(want string) error {
			return &ParseError{Path: d.Path, Line: vline, Msg: fmt.Sprintf("%s must be %s, not %s", name, want, describe(v))}
		}
		switch name {
		case "id", "title", "status", "severity", "commander":
			s, ok := scalarText(v)
			if !ok {
				return bad(map[string]string{"id": "text, like id: 2026-11-24-api-returns-502", "title": "text, like title: API returns 502",
					"status": "a word, like status: investigating", "severity": "a word, like severity: SEV2", "commander": "a name, like commander: alice"}[name])
			}
			*map[string]*string{"id": &m.ID, "title": &m.Title, "status": &m.Status, "severity": &m.Severity, "commander": &m.Commander}[name] = s
		case "started", "detected", "mitigated", "resolved":
			s, ok := scalarText(v)
			if !ok {
				return bad("a time like 2026-11-24T09:10:00Z (or empty)")
			}
			var t time.Time
			if s != "" {
				var err error
				if t, err = time.Parse(time.RFC3339, s); err != nil {
					return &ParseError{Path: d.Path, Line: vline, Msg: fmt.Sprintf("%s: %q is not an RFC 3339 time; write it like 2026-11-24T09:10:00Z", name, s)}
				}
				t = t.UTC()
			}
			*map[string]*time.Time{"started": &m.Started, "detected": &m.Detected, "mitigated": &m.Mitigated, "resolved": &m.Resolved}[name] = t
		case "authors", "services", "tags":
			list, ok := scalarList(v)
			if !ok {
				return bad("a list, like " + name + ": [" + map[string]string{"authors": "alice, bob", "services": "api, nginx", "tags": "config"}[name] + "]")
			}
			*map[string]*[]string{"authors": &m.Authors, "services": &m.Services, "tags": &m.Tags}[name] = list
		case "private":
			switch {
			case v.Kind == yaml.ScalarNode && v.Tag == "!!null":
			case v.Kind == yaml.ScalarNode && v.Tag == "!!bool":
				b, err := strconv.ParseBool(v.Value)
				if err != nil {
					return bad("true or false")
				}
				m.Private = b
			default:
				return bad("true or false")
			}
		default:
			m.Extra = append(m.Extra, name)
		}
	}
	return nil
}

// KeyComment is a top-level frontmatter key's comment on its own line
// ("key: value # comment"), as YAML reads it: not the words of a quoted
// value.
type KeyComment struct {
	Key     string
	Line    int    // the key's line in the file
	Comment string // from "#", as written
	Empty   bool   // the value is empty (null, "" or an empty list)
}

// KeyComments lists the keys of the frontmatter that carry a comment, in
// file order. A Doc of ParseMeta has none.
func (d *Doc) KeyComments() []KeyComment {
	var out []KeyComment
	for _, k := range d.fm.keys {
		c := k.val.LineComment
		if c == "" {
			c = k.key.LineComment
		}
		if c != "" {
			out = append(out, KeyComment{Key: k.name, Line: k.line, Comment: c, Empty: k.val.Value == "" && len(k.val.Content) == 0})
		}
	}
	return out
}

// scalarText returns a scalar's text; null is "".
func scalarText(v *yaml.Node) (string, bool) {
	if v.Kind != yaml.ScalarNode {
		return "", false
	}
	if v.Tag == "!!null" {
		return "", true
	}
	return v.Value, true
}

// scalarList returns the items of a sequence of scalars; null is an empty list.
func scalarList(v *yaml.Node) ([]string, bool) {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return []string{}, true
	}
	if v.Kind != yaml.SequenceNode {
		return nil, false
	}
	out := make([]string, 0, len(v.Content))
	for _, it := range v.Content {
		if it.Kind == yaml.AliasNode && it.Alias != nil {
			it = it.Alias
		}
		s, ok := scalarText(it)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// describe names what a YAML node holds, for error messages.
func describe(v *yaml.Node) string {
	switch v.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.ScalarNode:
		if v.Tag == "!!null" {
			return "empty"
		}
		s := v.Value
		if len(s) > 40 {
			s = s[:40] + "…"
		}
		return strconv.Quote(s)
	}
	return "something else"
}

var keyRE = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_-]*$`)

// SetField sets a top-level frontmatter scalar. On an existing key only the value on its line
// changes (a trailing "# comment" stays, in the same column when it fits); a missing key is added
// before the closing "---"; a file without frontmatter gets one. value "" writes "key:". The value
// is quoted when YAML would otherwise read it differently.
func (d *Doc) SetField(key, value string) error {
	if !utf8.ValidString(value) {
		return fmt.Errorf("%s: the value for %s is not valid UTF-8", d.Path, key)
	}
	q := ""
	if value != "" {
		q = quoteYAML(value, false)
	}
	return d.setValue(key, q, func(v *yaml.Node) bool {
		if value == "" {
			return v.Kind == yaml.ScalarNode && (v.Tag == "!!null" || v.Value == "")
		}
		return v.Kind == yaml.ScalarNode && v.Tag != "!!null" && v.Value == value
	})
}

// SetTime sets a frontmatter time as RFC 3339 in UTC (fractional seconds only when present); the
// zero time empties it.
func (d *Doc) SetTime(key string, t time.Time) error {
	if t.IsZero() {
		return d.SetField(key, "")
	}
	if y := t.UTC().Year(); y < 0 || y > 9999 {
		return fmt.Errorf("%s: %s: the year %d cannot be written as RFC 3339", d.Path, key, y)
	}
	return d.SetField(key, t.UTC().Format(time.RFC3339Nano))
}

// SetList sets a frontmatter list. It writes a flow list "[a, b]", except that an existing block
// list ("- a" lines) is rewritten as a block list in place.
func (d *Doc) SetList(key string, values []string) error {
	items := make([]string, len(values))
	for i, v := range values {
		if !utf8.ValidString(v) {
			return fmt.Errorf("%s: an item for %s is not valid UTF-8", d.Path, key)
		}
		items[i] = quoteYAML(v, true)
	}
	check := func(v *yaml.Node) bool {
		got, ok := scalarList(v)
		if !ok || len(got) != len(values) {
			return false
		}
		for i := range got {
			if got[i] != values[i] {
				return false
			}
		}
		return true
	}
	if k := d.fmKey(key); k != nil && len(values) > 0 && k.val.Kind == yaml.SequenceNode &&
		k.val.Style&yaml.FlowStyle == 0 && d.fm.line(k.val.Line) > k.line {
		// Block list: rewrite the item lines with the indentation of the first one.
		first := d.fm.line(k.val.Line)
		end := d.valueEnd(k)
		ln := d.line(first)
		indent := ln[:len(ln)-len(strings.TrimLeft(ln, " "))]
		var b strings.Builder
		for _, it := range items {
			b.WriteString(indent + "- " + it + d.eol())
		}
		return d.edit(d.lineStart(first), d.lineStart(end+1), b.String(), func(nd *Doc) error {
			return nd.checkKey(key, check)
		})
	}
	return d.setValue(key, "["+strings.Join(items, ", ")+"]", check)
}

func (d *Doc) fmKey(name string) *fmKey {
	for i := range d.fm.keys {
		if d.fm.keys[i].name == name {
			return &d.fm.keys[i]
		}
	}
	return nil
}

// checkKey verifies after an edit that key holds what was meant.
func (d *Doc) checkKey(key string, ok func(*yaml.Node) bool) error {
	k := d.fmKey(key)
	if k == nil || !ok(k.val) {
		return fmt.Errorf("%s: setting %s would not read back as written; edit the frontmatter by hand", d.Path, key)
	}
	return nil
}

// setValue replaces the value of key with the YAML text q ("" for empty), or adds the key.
func (d *Doc) setValue(key, q string, check func(*yaml.Node) bool) error {
	if !keyRE.MatchString(key) {
		return fmt.Errorf("frontmatter key %q is not valid: use letters, digits, - and _", key)
	}
	verify := func(nd *Doc) error { return nd.checkKey(key, check) }
	pair := key + ":"
	if q != "" {
		pair += " " + q
	}
	if !d.fm.present {
		at := 0
		if d.bom {
			at = len(utf8BOM)
		}
		return d.edit(at, at, strings.ReplaceAll("---\n"+pair+"\n---\n", "\n", d.eol()), verify)
	}
	k := d.fmKey(key)
	if k == nil {
		at := d.lineStart(d.fm.close)
		return d.edit(at, at, pair+d.eol(), verify)
	}
	colon, err := d.afterColon(k)
	if err != nil {
		return err
	}
	end := d.valueEnd(k)
	if end > k.line {
		// A value over several lines (block scalar, block list): replace all of it.
		ins := ""
		if q != "" {
			ins = " " + q
		}
		return d.edit(colon, d.lineEnd(end), ins, verify)
	}
	lineEnd := d.lineEnd(k.line)
	rest := string(d.src[colon:lineEnd])
	if c := commentStart(rest); c >= 0 && !strings.HasPrefix(rest[c:], AdoptMarker) {
		// Keep the comment, in its column when the new value fits. pm
		// adopt's note that the value was guessed goes: whoever sets the
		// value now has decided it.
		ins := ""
		if q != "" {
			ins = " " + q
		}
		pad := c - len(ins)
		if pad < 1 {
			pad = 1
		}
		return d.edit(colon, colon+c, ins+strings.Repeat(" ", pad), verify)
	}
	ins := ""
	if q != "" {
		ins = " " + q
	}
	return d.edit(colon, lineEnd, ins, verify)
}

// afterColon returns the offset just after the ":" that follows key k on its line.
func (d *Doc) afterColon(k *fmKey) (int, error) {
	ls, le := d.lineStart(k.line), d.lineEnd(k.line)
	s := string(d.src[ls:le])
	i := len(s) - len(strings.TrimLeft(s, " "))
	switch {
	case k.key.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 && i < len(s):
		j := quotedEnd(s, i)
		if j < 0 {
			i = -1
		} else {
			i = j
		}
	case strings.HasPrefix(s[i:], k.key.Value):
		i += len(k.key.Value)
	default:
		i = -1
	}
	if i >= 0 {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i < len(s) && s[i] == ':' {
			return ls + i + 1, nil
		}
	}
	return 0, fmt.Errorf("%s:%d: cannot edit %s here automatically; write it as \"%s: value\" on one line", d.Path, k.line, k.name, k.name)
}

// quotedEnd returns the index just past the quoted scalar starting at s[i], or -1.
func quotedEnd(s string, i int) int {
	q := s[i]
	for j := i + 1; j < len(s); j++ {
		switch {
		case q == '"' && s[j] == '\\':
			j++
		case s[j] == q && q == '\'' && j+1 < len(s) && s[j+1] == '\'':
			j++
		case s[j] == q:
			return j + 1
		}
	}
	return -1
}

// commentStart returns the index of a YAML comment in s (the rest of a line after "key:"), or -1.
func commentStart(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		prevSep := i == 0 || s[i-1] == ' ' || s[i-1] == '\t' || (depth > 0 && strings.IndexByte("[{,", s[i-1]) >= 0)
		switch {
		case c == '#' && i > 0 && (s[i-1] == ' ' || s[i-1] == '\t'):
			return i
		case (c == '"' || c == '\'') && prevSep:
			j := quotedEnd(s, i)
			if j < 0 {
				return -1
			}
			i = j - 1
		case c == '[' || c == '{':
			depth++
		case (c == ']' || c == '}') && depth > 0:
			depth--
		}
	}
	return -1
}

// valueEnd returns the last line of key k's value: up to the next key or the closing "---", less
// trailing blank lines and comment lines.
func (d *Doc) valueEnd(k *fmKey) int {
	next := d.fm.close
	for i := range d.fm.keys {
		if d.fm.keys[i].line > k.line && d.fm.keys[i].line < next {
			next = d.fm.keys[i].line
		}
	}
	block := k.val.Kind == yaml.ScalarNode && k.val.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0
	end := next - 1
	for end > k.line {
		s := d.line(end)
		t := strings.TrimLeft(s, " \t")
		if t == "" || (strings.HasPrefix(t, "#") && (!block || len(t) == len(s))) {
			end--
			continue
		}
		break
	}
	return end
}

// quoteYAML returns v written as a YAML scalar: plain when YAML reads it back unchanged (in a flow
// list when flow is set), double-quoted otherwise.
func quoteYAML(v string, flow bool) string {
	if plainYAMLOK(v, flow) {
		return v
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range v {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x2028 || r == 0x2029 || r == 0xfeff || r == utf8.RuneError:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func plainYAMLOK(v string, flow bool) bool {
	if v == "" || strings.TrimSpace(v) != v || strings.ContainsAny(v, "\n\r\t") ||
		strings.Contains(v, ": ") || strings.Contains(v, " #") || strings.HasSuffix(v, ":") {
		return false
	}
	if strings.ContainsAny(v[:1], "-?:,[]{}#&*!|>'\"%@`") {
		return false
	}
	switch strings.ToLower(v) {
	case "y", "n", "yes", "no", "on", "off": // booleans to YAML 1.1 readers
		return false
	}
	if flow && strings.ContainsAny(v, ",[]{}") {
		return false
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x2028 || r == 0x2029 || r == 0xfeff {
			return false
		}
	}
	doc := "k: " + v
	if flow {
		doc = "k: [" + v + "]"
	}
	var n yaml.Node
	if decodeYAML([]byte(doc), &n) != nil || len(n.Content) != 1 || len(n.Content[0].Content) != 2 {
		return false
	}
	s := n.Content[0].Content[1]
	if flow {
		if s.Kind != yaml.SequenceNode || len(s.Content) != 1 {
			return false
		}
		s = s.Content[0]
	}
	return s.Kind == yaml.ScalarNode && s.Tag != "!!null" && s.Style == 0 && s.Value == v
}
