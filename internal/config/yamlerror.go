package config

import (
	"bytes"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

var yamlErrLineRE = regexp.MustCompile(`^line (\d+): `)

// yamlParserProblems are the messages of yaml.v3's parser (as opposed to its
// scanner). For these, the line in yaml.v3's message is 0-based, so it is one
// less than the line of the problem or of the construct it was parsing.
var yamlParserProblems = []string{
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"did not find expected '-' indicator",
	"did not find expected <document start>",
	"did not find expected <stream-start>",
	"did not find expected key",
	"did not find expected node content",
	"found duplicate %TAG directive",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found undefined tag handle",
}

// yamlHints make yaml.v3's terse messages actionable.
var yamlHints = map[string]string{
	"mapping values are not allowed in this context":         "check the indentation, and quote a value that contains \": \"",
	"did not find expected key":                              "check the indentation of this line",
	"could not find expected ':'":                            "write each setting as key: value",
	"found a tab character that violates indentation":        "indent with spaces, not tabs",
	"found character that cannot start any token":            "quote a value that starts with @ or `",
	"found unexpected end of stream":                         "a quote or bracket opened here is not closed",
	"did not find expected node content":                     "a value is missing; check for a stray comma or an unclosed bracket",
	"did not find expected ',' or ']'":                       "close the list with ]",
	"did not find expected ',' or '}'":                       "close the mapping with }",
	"block sequence entries are not allowed in this context": "put a list under its key on the next line, indented",
}

// YAMLError turns a gopkg.in/yaml.v3 syntax error about data into the
// 1-based line of the problem and a message with a hint, for .pm.yml and
// for incident frontmatter alike. yaml.v3's line numbers are 1-based for
// scanner errors, 0-based for parser errors (and then often the line where
// the enclosing block began), and missing for reader and anchor errors;
// they are corrected here, where needed by parsing ever longer prefixes of
// the data.
func YAMLError(data []byte, err error) (line int, msg string) {
	msg = strings.TrimPrefix(err.Error(), "yaml: ")
	line = 0
	if m := yamlErrLineRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	switch {
	case msg == "did not find expected key" || msg == "did not find expected '-' indicator":
		// yaml.v3 names the line where the enclosing block began; the
		// offending line is where a prefix of the file first fails.
		if l := firstFailingLine(data, msg); l > 0 {
			line = l
		} else {
			line++
		}
	case slices.Contains(yamlParserProblems, msg):
		line++ // 0-based in yaml.v3; for flow lists this is where [ or { opened
	case line == 0 || msg == "found unexpected end of stream":
		// Bad bytes, unknown anchors, and quotes left open: the first
		// prefix of the file that fails the same way ends on the line.
		if l := firstFailingLine(data, msg); l > 0 {
			line = l
		}
	}
	line = max(line, 1)
	if n := CountLines(data); line > n {
		line = n
	}
	hint := yamlHints[msg]
	if msg == "found character that cannot start any token" {
		switch text := lineText(data, line); {
		case strings.HasPrefix(strings.TrimLeft(text, " "), "\t"):
			hint = "indent with spaces, not tabs"
		case !strings.ContainsAny(text, "@`"):
			hint = ""
		}
	}
	if hint != "" {
		msg += " (" + hint + ")"
	}
	return line, msg
}

// lineText returns line n (1-based) of data.
func lineText(data []byte, n int) string {
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(data, '\n')
		if j < 0 {
			return ""
		}
		data = data[j+1:]
	}
	if j := bytes.IndexByte(data, '\n'); j >= 0 {
		data = data[:j]
	}
	return string(data)
}

// maxPrefixLines and maxPrefixBytes bound the prefix search so a huge file
// cannot make an error slow to report; beyond them yaml.v3's line stands.
const (
	maxPrefixLines = 500
	maxPrefixBytes = 64 << 10
)

// firstFailingLine returns the number of lines of the shortest prefix of
// data that fails to parse with the message msg, or 0.
func firstFailingLine(data []byte, msg string) int {
	if len(data) > maxPrefixBytes {
		return 0
	}
	end, line := 0, 0
	for end < len(data) && line < maxPrefixLines {
		i := bytes.IndexByte(data[end:], '\n')
		if i < 0 {
			end = len(data)
		} else {
			end += i + 1
		}
		line++
		var n yaml.Node
		dec := yaml.NewDecoder(bytes.NewReader(data[:end]))
		for {
			err := dec.Decode(&n)
			if err == nil {
				continue
			}
			if err != io.EOF {
				m := strings.TrimPrefix(err.Error(), "yaml: ")
				m = yamlErrLineRE.ReplaceAllString(m, "")
				if m == msg {
					return line
				}
			}
			break
		}
	}
	return 0
}

// CountLines counts lines as YAML does: CR, LF, CRLF, NEL, LS and PS all
// end a line.
func CountLines(data []byte) int {
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	n := 1
	for i, r := range text {
		switch r {
		case '\n', '\r', '\u0085', '\u2028', '\u2029':
			if i+utf8.RuneLen(r) < len(text) {
				n++
			}
		}
	}
	return n
}
