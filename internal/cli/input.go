package cli

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/pm-tool/pm/internal/incident"
)

// readText joins the arguments into one text; a single "-" reads stdin.
// At a terminal pm says how to end the text first (a silent wait for
// Ctrl-D looks like a hang to someone who has never used "-"), and Ctrl-C
// keeps the lines typed so far in pm's journal as the entry e would have
// had them, instead of losing them.
func (a *app) readText(args []string, e incident.Entry) (string, error) {
	if len(args) != 1 || args[0] != "-" {
		return strings.Join(args, " "), nil
	}
	var text string
	var err error
	if a.env.StdinIsTerminal {
		fmt.Fprintln(a.env.Stderr, "pm: reading the text from the terminal: type or paste it, then press Ctrl-D on a line of its own to end it")
	}
	if a.env.StdinIsTerminal && a.env.NotifyInterrupt != nil {
		var interrupted bool
		if text, interrupted, err = readUntilInterrupt(a.env.Stdin, a.env.NotifyInterrupt); interrupted {
			return "", a.keepInterrupted(e, text)
		}
	} else {
		var b []byte
		b, err = io.ReadAll(a.env.Stdin)
		text = string(b)
	}
	if err != nil {
		return "", usageError("cannot read stdin: %v", err)
	}
	return strings.TrimRight(text, "\r\n"), nil
}

// readUntilInterrupt reads stdin to its end, or to Ctrl-C, and returns
// what was read either way. The terminal hands over whole lines, so the
// line being typed at Ctrl-C is the one part lost.
func readUntilInterrupt(stdin io.Reader, notify func() (<-chan struct{}, func())) (string, bool, error) {
	interrupted, stop := notify()
	defer stop()
	var mu sync.Mutex
	var buf strings.Builder
	done := make(chan error, 1)
	go func() {
		r := bufio.NewReader(stdin)
		for {
			line, err := r.ReadString('\n')
			mu.Lock()
			buf.WriteString(line)
			mu.Unlock()
			if err != nil {
				if err == io.EOF {
					err = nil
				}
				done <- err
				return
			}
		}
	}()
	select {
	case err := <-done:
		return buf.String(), false, err
	case <-interrupted:
		mu.Lock()
		defer mu.Unlock()
		return buf.String(), true, nil
	}
}

// keepInterrupted is Ctrl-C while text was typed: nothing is written, and
// the lines typed are kept in pm's journal (pm recover --list prints them)
// or, outside git, printed back. Exit 130, as for any program Ctrl-C ends.
func (a *app) keepInterrupted(e incident.Entry, text string) error {
	text = strings.TrimRight(text, "\r\n")
	if strings.TrimSpace(text) == "" {
		return &exitError{code: 130, err: fmt.Errorf("interrupted: nothing was typed and nothing was written")}
	}
	n := strings.Count(text, "\n") + 1
	lines := plural(n, "line", "lines")
	if w, err := a.openWorkspace(); err == nil && w.repo != nil && e.Kind != "" {
		e.Text, e.Time = text, a.env.Now().UTC().Truncate(time.Second)
		if _, err := w.repo.KeepUnplaced(e, a.env.Now()); err == nil {
			return &exitError{code: 130, err: fmt.Errorf("interrupted: nothing was written; the %d %s you typed are kept in pm's journal (pm recover --list prints them)", n, lines)}
		}
	}
	return &exitError{code: 130, err: fmt.Errorf("interrupted: nothing was written; the %d %s you typed:\n%s", n, lines, text)}
}

// logText is the text of a log entry: the arguments as typed, or, for
// "-", everything stdin holds inside the entry's fence under a one-line
// summary (--summary, else "pasted 20 lines from stdin"). The first line
// of a piped log is machine text: as the entry's prose it would be read
// on the board, linted for blame and shown in the timeline as if a person
// had written it. The words are o.Text; e is the entry Ctrl-C keeps.
func (a *app) logText(o entryOptions, e incident.Entry) (string, error) {
	args, summary := o.Text, o.Summary
	stdin := len(args) == 1 && args[0] == "-"
	switch {
	case summary != "" && !stdin:
		return "", usageError("--summary describes text read from -; with TEXT on the command line, write it there")
	case strings.ContainsAny(summary, "\r\n"):
		return "", usageError("--summary is one line; the text read from - can have many")
	}
	// Secrets are redacted here, the one place every log entry's text
	// passes, before it reaches the journal or the file; a paste and its
	// summary apart, so that the report counts the lines of what was piped
	// in rather than of the entry with its summary above.
	redact := func(s string) string {
		if o.KeepSecrets {
			return s
		}
		return a.redact(s)
	}
	text, err := a.readText(args, e)
	if err != nil || !stdin {
		return redact(text), err
	}
	if strings.TrimSpace(text) == "" {
		// A grep that matched nothing, piped in: not a usage slip.
		return "", usageError("stdin was empty: nothing to write (pm %s - writes what is piped into it)", o.Command)
	}
	text = redact(text)
	summary = redact(summary)
	if summary == "" {
		n := strings.Count(text, "\n") + 1
		summary = fmt.Sprintf("pasted %d %s from stdin", n, plural(n, "line", "lines"))
	}
	return summary + "\n" + text, nil
}
