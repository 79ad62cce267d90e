package incident

import (
	"bytes"
	"fmt"
	"strings"
	"time"
)

// fastMeta reads a frontmatter written in the plain shape pm itself
// writes — "key: value" lines, values plain or quoted without escapes,
// lists in brackets — straight into d.Meta, without the YAML library,
// which is most of the time of choosing the open incident among 10,000
// files without a cache (issue 17). It reports false, having changed
// nothing, for anything else: leading blank lines, comments, indented or
// multi-line values, escapes, anchors, a duplicate key, a value of the
// wrong shape for its key. ParseMeta then reads the file the full way,
// which gives the same Meta for what this accepts (FuzzFastMeta checks
// it) and the error messages for what it does not.
//
// A time that is not RFC 3339 is the one error it returns, with the
// line and message readMeta gives.
func (d *Doc) fastMeta(base int) (bool, error) {
	src := d.src[base:]
	line, rest, ok, _ := cutLine(src)
	if !ok || string(line) != "---" {
		return false, nil
	}
	m := Meta{Authors: []string{}, Services: []string{}, Tags: []string{}, Lines: map[string]int{}}
	type timed struct {
		name, text string
		line       int
	}
	var times []timed
	for n := 2; ; n++ {
		var plain bool
		line, rest, ok, plain = cutLine(rest)
		if !ok || !plain {
			return false, nil // never closed, or not plain: the full parse says what it is
		}
		if string(line) == "---" {
			d.fm = fmInfo{present: true, open: 1, close: n} // no keys: a Doc of ParseMeta is not edited
			break
		}
		if len(line) == 0 {
			continue
		}
		key, value, ok := plainKeyValue(line)
		if !ok {
			return false, nil
		}
		if _, dup := m.Lines[key]; dup {
			return false, nil
		}
		m.Lines[key] = n
		switch key {
		case "id", "title", "status", "severity", "commander":
			s, ok := plainScalar(value, false)
			if !ok {
				return false, nil
			}
			*map[string]*string{"id": &m.ID, "title": &m.Title, "status": &m.Status, "severity": &m.Severity, "commander": &m.Commander}[key] = s
		case "started", "detected", "mitigated", "resolved":
			s, ok := plainScalar(value, false)
			if !ok {
				return false, nil
			}
			times = append(times, timed{key, s, n})
		case "authors", "services", "tags":
			list, ok := plainList(value)
			if !ok {
				return false, nil
			}
			*map[string]*[]string{"authors": &m.Authors, "services": &m.Services, "tags": &m.Tags}[key] = list
		case "private":
			switch value {
			case "", "~", "null", "Null", "NULL":
			case "true":
				m.Private = true
			case "false":
			default:
				return false, nil
			}
		default:
			if _, ok := plainScalar(value, false); !ok {
				if _, ok := plainList(value); !ok {
					return false, nil
				}
			}
			m.Extra = append(m.Extra, key)
		}
	}
	// Times last, as the full parse meets them: in key order, the first
	// bad one is the error.
	for _, t := range times {
		var v time.Time
		if t.text != "" {
			var err error
			if v, err = time.Parse(time.RFC3339, t.text); err != nil {
				return true, &ParseError{Path: d.Path, Line: t.line,
					Msg: fmt.Sprintf("%s: %q is not an RFC 3339 time; write it like 2026-11-24T09:10:00Z", t.name, t.text)}
			}
			v = v.UTC()
		}
		*map[string]*time.Time{"started": &m.Started, "detected": &m.Detected, "mitigated": &m.Mitigated, "resolved": &m.Resolved}[t.name] = v
	}
	d.Meta = m
	return true, nil
}

// cutLine is the first line of b without its "\n" (and "\r"), and what
// follows; ok is false when there is no "\n", plain when the line holds
// no tab, lone "\r", BOM or other character YAML breaks lines at.
func cutLine(b []byte) (line, rest []byte, ok, plain bool) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return nil, nil, false, false
	}
	line, rest = bytes.TrimSuffix(b[:i], []byte("\r")), b[i+1:]
	plain = !bytes.ContainsAny(line, "\r\t") && !bytes.Contains(line, []byte("\u0085")) && !bytes.Contains(line, []byte("\u2028")) &&
		!bytes.Contains(line, []byte("\u2029")) && !bytes.Contains(line, []byte("\ufeff"))
	return line, rest, true, plain
}

// plainKeyValue splits "key: value" (or "key:") at the column, for a key
// of letters, digits, "_" and "-" that starts the line.
func plainKeyValue(line []byte) (key, value string, ok bool) {
	i := bytes.IndexByte(line, ':')
	if i <= 0 {
		return "", "", false
	}
	for j, c := range line[:i] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || j > 0 && (c >= '0' && c <= '9' || c == '-')) {
			return "", "", false
		}
	}
	after := line[i+1:]
	if len(after) > 0 && after[0] != ' ' {
		return "", "", false
	}
	return string(line[:i]), strings.Trim(string(after), " "), true
}

// plainScalar is the text of a value: empty or null is "", "double" or
// 'single' quotes without escapes or their own quote inside are what they
// hold, and a plain word or sentence is itself. inFlow: an item of a
// bracketed list, where "," and brackets end it.
func plainScalar(v string, inFlow bool) (string, bool) {
	switch v {
	case "", "~", "null", "Null", "NULL":
		return "", true
	}
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') {
		q := v[0]
		inner := v[1 : len(v)-1]
		if v[len(v)-1] != q || strings.IndexByte(inner, q) >= 0 || q == '"' && strings.IndexByte(inner, '\\') >= 0 || hasControl(inner) {
			return "", false
		}
		return inner, true
	}
	if strings.IndexByte("-?:,[]{}#&*!|>'\"%@`", v[0]) >= 0 || v[len(v)-1] == ':' ||
		strings.Contains(v, ": ") || strings.Contains(v, " #") || strings.ContainsAny(v, "{}[]") || hasControl(v) {
		return "", false
	}
	if inFlow && strings.IndexByte(v, ',') >= 0 {
		return "", false
	}
	return v, true
}

// plainList is the items of "[a, b]", or the empty list for an empty or
// null value.
func plainList(v string) ([]string, bool) {
	switch v {
	case "", "~", "null", "Null", "NULL":
		return []string{}, true
	}
	if len(v) < 2 || v[0] != '[' || v[len(v)-1] != ']' {
		return nil, false
	}
	inner := strings.Trim(v[1:len(v)-1], " ")
	if inner == "" {
		return []string{}, true
	}
	parts := strings.Split(inner, ",")
	out := make([]string, 0, len(parts))
	for _, p := range parts {
		p = strings.Trim(p, " ")
		if p == "" {
			return nil, false
		}
		s, ok := plainScalar(p, true)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// hasControl reports a control character, which YAML does not take as
// it is.
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return true
		}
	}
	return false
}
