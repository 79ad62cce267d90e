package lint

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
)

// gitHubPrinter prints GitHub Actions workflow commands, one a finding, so
// each finding shows as an annotation on the pull request's diff:
//
//	::error file=PATH,line=L,col=C,endLine=L,endColumn=C,title=pm RULE::MESSAGE
//
// GitHub shows only the first few annotations of each level per step; the
// markdown format is the full verdict for the job summary.
type gitHubPrinter struct{ w io.Writer }

func newGitHubPrinter(w io.Writer) *gitHubPrinter { return &gitHubPrinter{w: w} }

func (p *gitHubPrinter) Print(r Report) error {
	bw := bufio.NewWriter(p.w)
	for _, f := range sortedFindings(r.Findings) {
		props := []string{"file=" + escapeGitHubProperty(filepath.ToSlash(f.Path))}
		if f.Line > 0 {
			props = append(props, "line="+strconv.Itoa(f.Line))
			if f.Column > 0 {
				props = append(props, "col="+strconv.Itoa(f.Column))
			}
			if f.EndLine > 0 {
				props = append(props, "endLine="+strconv.Itoa(f.EndLine))
			}
			if f.EndColumn > 0 {
				props = append(props, "endColumn="+strconv.Itoa(f.EndColumn))
			}
		}
		props = append(props, "title="+escapeGitHubProperty("pm "+f.Rule))
		msg := f.Message
		if f.Suggestion != "" {
			msg += "\nsuggestion: " + f.Suggestion
		}
		fmt.Fprintf(bw, "::%s %s::%s\n", gitHubCommand(f.Level), strings.Join(props, ","), escapeGitHubData(msg))
	}
	return bw.Flush()
}

// gitHubCommand names the annotation for a level; GitHub calls info
// "notice".
func gitHubCommand(l Level) string {
	switch l {
	case Error:
		return "error"
	case Info:
		return "notice"
	}
	return "warning"
}

// escapeGitHubData escapes a workflow command's message as the Actions
// toolkit does: without it a newline ends the command and a literal %0A in
// a message turns into a newline.
func escapeGitHubData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeGitHubProperty escapes a property value: also ':' (which would end
// the properties) and ',' (which would start the next one).
func escapeGitHubProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
