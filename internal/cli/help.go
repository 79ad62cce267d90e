package cli

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	ucli "github.com/urfave/cli/v2"
)

// helpWidth is the width every --help fits: a terminal of 80 columns, the
// smallest anyone still has, and the width of most incident channels'
// code blocks.
const helpWidth = 80

// printHelp is urfave/cli's help with each line wrapped to helpWidth: its
// templates put a flag's whole usage on one line, 159 columns for pm list.
// A long line is wrapped at spaces, its continuation lines hanging under
// the text after the name column ("--since DATE  only incidents…"), so
// the help reads as gh's does. Example lines (commands to copy) are never
// wrapped; they are kept short where they are written.
func printHelp(w io.Writer, templ string, data any) {
	ucli.FlagStringer = flagString
	var buf bytes.Buffer
	ucli.HelpPrinterCustom(&buf, templ, data, nil)
	var out strings.Builder
	for _, line := range strings.SplitAfter(reflowDescription(buf.String()), "\n") {
		nl := strings.HasSuffix(line, "\n")
		out.WriteString(wrapHelpLine(strings.TrimSuffix(line, "\n"), helpWidth))
		if nl {
			out.WriteByte('\n')
		}
	}
	_, _ = io.WriteString(w, out.String())
}

// reflowDescription joins the lines of each paragraph of the DESCRIPTION
// section, which are written broken at about 90 columns in the source, so
// that wrapHelpLine breaks them once at 80 instead of leaving a short
// line after every long one. Blank lines, indented lines (examples) and a
// line ending with ":" ("Examples:") keep their breaks.
func reflowDescription(help string) string {
	lines := strings.Split(help, "\n")
	var out []string
	in := false
	const indent = "   "
	para := func(l string) bool {
		return strings.HasPrefix(l, indent) && len(l) > len(indent) && l[len(indent)] != ' '
	}
	for _, l := range lines {
		switch {
		case l == "DESCRIPTION:":
			in = true
		case in && l != "" && !strings.HasPrefix(l, " "):
			in = false // the next section's header
		}
		if n := len(out); in && n > 0 && para(l) && para(out[n-1]) && !strings.HasSuffix(out[n-1], ":") && !strings.HasSuffix(strings.TrimSpace(l), ":") {
			out[n-1] += " " + strings.TrimSpace(l)
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// column finds a line's name column: indent, a name, two or more spaces.
var helpColumn = regexp.MustCompile(`^(\s*\S.*?\s{2,})\S`)

func wrapHelpLine(line string, width int) string {
	if utf8.RuneCountInString(line) <= width || isExampleLine(line) {
		return line
	}
	indent := len(line) - len(strings.TrimLeft(line, " "))
	hang := indent
	if m := helpColumn.FindStringSubmatch(line); m != nil && len(m[1]) < width/2 {
		hang = len(m[1])
	}
	var out strings.Builder
	cur := line[:indent]
	n := utf8.RuneCountInString(cur)
	first := true
	for _, word := range strings.Split(line[indent:], " ") {
		wn := utf8.RuneCountInString(word)
		switch {
		case first:
			cur, n, first = cur+word, n+wn, false
		case word == "":
			cur, n = cur+" ", n+1 // keep the name column's spacing
		case n+1+wn > width && strings.TrimSpace(cur) != "":
			out.WriteString(strings.TrimRight(cur, " ") + "\n")
			cur, n = strings.Repeat(" ", hang)+word, hang+wn
		default:
			cur, n = cur+" "+word, n+1+wn
		}
	}
	out.WriteString(cur)
	return out.String()
}

// isExampleLine: a command to copy in an Examples block.
func isExampleLine(line string) bool {
	t := strings.TrimSpace(line)
	return strings.HasPrefix(line, "     ") && (strings.HasPrefix(t, "pm ") || strings.Contains(t, "| pm ") || strings.HasPrefix(t, "source ") || strings.HasPrefix(t, "watch "))
}

// flagString is urfave/cli's flag line without its repeat notation
// ("--tag TAG [ --tag TAG ]"), which doubled the name column; the usage
// says "repeat" where a flag repeats.
func flagString(f ucli.Flag) string {
	return repeatNotation.ReplaceAllString(defaultFlagStringer(f), "")
}

var (
	defaultFlagStringer = ucli.FlagStringer
	repeatNotation      = regexp.MustCompile(` \[ -[^\]]* \]`)
)
