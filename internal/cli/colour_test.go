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

	"github.com/creack/pty"
)

// TestColourOnATerminal runs pm status on a real pseudo-terminal: colour
// there, none with NO_COLOR, none when piped, and colour when piped with
// CLICOLOR_FORCE. The board keeps its 80 cells with the colour on.
func TestColourOnATerminal(t *testing.T) {
	pm, err := exec.LookPath("pm")
	if err != nil {
		t.Fatalf("the test binary should be on PATH as pm (TestMain): %v", err)
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("needs the git CLI")
	}
	dir := t.TempDir()
	env := append(os.Environ(), "HOME="+dir, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+filepath.Join(dir, "none"), "NO_COLOR=", "CLICOLOR_FORCE=", "TERM=xterm",
		"GIT_AUTHOR_NAME=山田太郎 (Taro Yamada)", "GIT_AUTHOR_EMAIL=alice@example.com", "GIT_COMMITTER_NAME=Alice", "GIT_COMMITTER_EMAIL=alice@example.com", "PM_INCIDENT=")
	command := []string{"status"}
	run := func(extra ...string) *exec.Cmd {
		cmd := exec.Command(pm, command...)
		cmd.Dir, cmd.Env = dir, append(append([]string{}, env...), extra...)
		return cmd
	}
	for _, args := range [][]string{{"git", "init", "-q"}, {pm, "new", "API returns 502", "--severity", "SEV1"}, {pm, "down", "api", "every request returns 502"},
		{pm, "action", "Alert on 5xx above 1%", "--owner", "@bob", "--due", "2026-01-05", "--kind", "detect"},
		// wide text: the board must still fit 80 cells on the terminal
		{pm, "down", "支付网关-payments-gateway-eu-west-1", "每个请求都返回 502 错误 🚨 since the deploy of 4812 at 09:05"},
		{pm, "observe", "👩‍💻 支付网关 returns 502 for every 请求 from eu-west-1 🔥🔥, see the 仪表板 dashboard"}} {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir, cmd.Env = dir, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	onTerminal := func(extra ...string) string {
		t.Helper()
		f, err := pty.StartWithSize(run(extra...), &pty.Winsize{Rows: 40, Cols: 80})
		if err != nil {
			t.Skipf("no pseudo-terminal here: %v", err)
		}
		defer f.Close()
		var out bytes.Buffer
		done := make(chan struct{})
		go func() { io.Copy(&out, f); close(done) }() // EIO at the end, once pm exits
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatal("pm status on a terminal did not finish")
		}
		return out.String()
	}
	const redSEV1, redDown = "\x1b[1;31mSEV1\x1b[0m", "\x1b[31mDOWN\x1b[0m"
	got := onTerminal()
	if !strings.Contains(got, "每个请求") || !strings.Contains(got, "🚨") || !strings.Contains(got, "👩‍💻") || !strings.Contains(got, "山田") {
		t.Errorf("the board lost the wide text it must lay out:\n%s", got)
	}
	if !strings.Contains(got, redSEV1) || !strings.Contains(got, redDown) {
		t.Errorf("no colour on a terminal:\n%q", got)
	}
	for _, l := range strings.Split(strings.ReplaceAll(got, "\r\n", "\n"), "\n") {
		plain := strings.NewReplacer("\x1b[1;31m", "", "\x1b[31m", "", "\x1b[32m", "", "\x1b[2m", "", "\x1b[0m", "").Replace(l)
		if cells(plain) > 80 {
			t.Errorf("a line is %d cells: %q", cells(plain), plain)
		}
	}
	if got := onTerminal("NO_COLOR=1"); strings.Contains(got, "\x1b[") {
		t.Errorf("colour with NO_COLOR set:\n%q", got)
	}
	if got := onTerminal("TERM=dumb"); strings.Contains(got, "\x1b[") {
		t.Errorf("colour with TERM=dumb:\n%q", got)
	}
	piped, err := run().Output()
	if err != nil || bytes.Contains(piped, []byte("\x1b[")) || !bytes.Contains(piped, []byte("DOWN")) {
		t.Errorf("piped: %v, want the board without colour:\n%q", err, piped)
	}

	// pm list colours the severity and pm actions what is overdue, with
	// the columns laid out on the plain text
	command = []string{"list"}
	if got := onTerminal(); !strings.Contains(got, redSEV1+"  investigating") {
		t.Errorf("pm list on a terminal: no coloured severity in its column:\n%q", got)
	}
	command = []string{"actions"}
	if got := onTerminal(); !strings.Contains(got, "\x1b[31moverdue\x1b[0m  2026-01-05") {
		t.Errorf("pm actions on a terminal: overdue not red in its column:\n%q", got)
	}
	if got := onTerminal("NO_COLOR=1"); strings.Contains(got, "\x1b[") || !strings.Contains(got, "overdue  2026-01-05") {
		t.Errorf("pm actions with NO_COLOR:\n%q", got)
	}
	command = []string{"status"}

	forced, err := run("CLICOLOR_FORCE=1").Output()
	if err != nil || !bytes.Contains(forced, []byte(redDown)) {
		t.Errorf("CLICOLOR_FORCE piped: %v, want colour:\n%q", err, forced)
	}
	both, _ := run("CLICOLOR_FORCE=1", "NO_COLOR=1").Output()
	if bytes.Contains(both, []byte("\x1b[")) {
		t.Errorf("NO_COLOR must win over CLICOLOR_FORCE:\n%q", both)
	}
}
