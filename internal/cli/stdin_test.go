package cli

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestStdinPromptAtTerminal: pm observe - says how to end the text when a
// person types at a terminal, and says nothing when the text is piped in.
func TestStdinPromptAtTerminal(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("needs the git CLI")
	}
	dir := t.TempDir()
	if out, err := exec.Command("git", "init", "-q", dir).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	vars := map[string]string{"HOME": dir, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": filepath.Join(dir, "none"),
		"GIT_AUTHOR_NAME": "Alice", "GIT_AUTHOR_EMAIL": "alice@example.com", "GIT_COMMITTER_NAME": "Alice", "GIT_COMMITTER_EMAIL": "alice@example.com"}
	now := time.Date(2026, 11, 24, 9, 10, 0, 0, time.UTC)
	var stdinOverride io.Reader
	var notify func() (<-chan struct{}, func())
	var stdout string
	run := func(terminal bool, stdin string, args ...string) (string, int) {
		var out, errs bytes.Buffer
		env := Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errs, Dir: dir, StdinIsTerminal: terminal,
			Getenv: func(k string) string { return vars[k] }, Now: func() time.Time { return now }, NotifyInterrupt: notify}
		if stdinOverride != nil {
			env.Stdin = stdinOverride
		}
		code := Main(append([]string{"pm"}, args...), env)
		stdout = out.String()
		return errs.String(), code
	}
	if errs, code := run(false, "", "new", "API returns 502"); code != 0 {
		t.Fatalf("pm new: %d %s", code, errs)
	}
	const hint = "pm: reading the text from the terminal: type or paste it, then press Ctrl-D on a line of its own to end it\n"
	errs, code := run(true, "typed line one\ntyped line two\n", "observe", "-")
	if code != 0 || !strings.HasPrefix(errs, hint) {
		t.Errorf("at a terminal: exit %d, stderr %q; want it to start with %q", code, errs, hint)
	}
	errs, code = run(false, "piped line\n", "observe", "-")
	if code != 0 || strings.Contains(errs, "Ctrl-D") {
		t.Errorf("piped: exit %d, stderr %q; want no hint", code, errs)
	}
	data, err := os.ReadFile(filepath.Join(dir, "postmortems", "2026-11-24-api-returns-502.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"typed line one", "typed line two", "piped line"} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("the incident lacks %q:\n%s", want, data)
		}
	}

	// Ctrl-C after two lines: nothing is written, the lines are kept in
	// the journal. The interrupt comes once both lines were read: the
	// stdin's next read, which would block for the third, sends it.
	ch := make(chan struct{})
	notify = func() (<-chan struct{}, func()) { return ch, func() {} }
	stdinOverride = io.MultiReader(strings.NewReader("2 pods in CrashLoopBackOff\nnode-7 NotReady\n"), interruptingReader{ch})
	errs, code = run(true, "", "observe", "-")
	want := hint + "pm: interrupted: nothing was written; the 2 lines you typed are kept in pm's journal (pm recover --list prints them)\n"
	if code != 130 || errs != want {
		t.Errorf("Ctrl-C: exit %d, stderr %q; want 130 and %q", code, errs, want)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "postmortems", "2026-11-24-api-returns-502.md")); bytes.Contains(data, []byte("CrashLoopBackOff")) {
		t.Errorf("an interrupted entry was written:\n%s", data)
	}
	// A milestone's text is kept as the milestone's entry (mitigated), not
	// under the command's name, so that pm recover writes it back as one.
	ch = make(chan struct{})
	stdinOverride = io.MultiReader(strings.NewReader("rolled back to v41\n"), interruptingReader{ch})
	if _, code := run(true, "", "mitigate", "-"); code != 130 {
		t.Errorf("Ctrl-C in pm mitigate -: exit %d, want 130", code)
	}
	stdinOverride, notify = nil, nil
	if errs, code := run(false, "", "recover", "--list"); code != 0 || !strings.Contains(stdout, "    2 pods in CrashLoopBackOff\n    node-7 NotReady\n") ||
		!strings.Contains(stdout, "mitigated") || strings.Contains(stdout, "mitigate ") {
		t.Errorf("pm recover --list: exit %d, stderr %q, stdout:\n%s", code, errs, stdout)
	}
}

// interruptingReader stands for the terminal a person pressed Ctrl-C at:
// its first read delivers the interrupt and then waits forever.
type interruptingReader struct{ ch chan struct{} }

func (r interruptingReader) Read([]byte) (int, error) {
	close(r.ch)
	select {}
}
