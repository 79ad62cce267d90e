package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pm-tool/pm/internal/repo"
	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the cmp files of the testscripts with what pm printed")

// TestMain makes the test binary double as pm, so the scripts run the real
// command, flags, exit codes and all, without building it separately.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"pm": func() { os.Exit(Main(os.Args, SystemEnv())) },
	})
}

// TestScript runs every script in testdata/script: one per command or
// behaviour, as a user sees it.
func TestScript(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("the scripts check results with the git CLI, which is not installed")
	}
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *update,
		Setup:         setupScript,
		Cmds:          map[string]func(*testscript.TestScript, bool, []string){"exits": exits},
		Condition:     scriptCondition,
	})
}

// scriptCondition adds [btime]: the scripts' temporary folders are on a
// file system that records creation times, which pm needs before it
// removes a git lock file a killed pm left (repo.BirthTimeKnown).
func scriptCondition(cond string) (bool, error) {
	if cond == "btime" {
		return repo.BirthTimeKnown(os.TempDir()), nil
	}
	return false, fmt.Errorf("unknown condition %q", cond)
}

// exits CODE PROGRAM [ARGS...] runs a program like exec and checks its exit
// code exactly: DESIGN §3 gives 1 and 2 different meanings, and "! exec"
// cannot tell them apart. stdout and stderr are kept for the next checks.
func exits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad code %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", strings.Join(args[1:], " "), got, want)
	}
}

// setupScript isolates each script from the machine: its own HOME, no system
// git config, a fixed identity and a fixed clock, so commit ids and output
// are the same on every run.
func setupScript(e *testscript.Env) error {
	home := filepath.Join(e.WorkDir, "home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		return err
	}
	gitconfig := "[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n"
	if err := os.WriteFile(filepath.Join(home, ".gitconfig"), []byte(gitconfig), 0o644); err != nil {
		return err
	}
	for k, v := range map[string]string{
		"HOME":                home,
		"XDG_CONFIG_HOME":     filepath.Join(home, ".config"),
		"GIT_CONFIG_NOSYSTEM": "1",
		"TZ":                  "UTC",
		"NO_COLOR":            "1",
		"GIT_AUTHOR_NAME":     "Alice Example",
		"GIT_AUTHOR_EMAIL":    "alice@example.com",
		"GIT_AUTHOR_DATE":     "2026-11-24T09:12:00Z",
		"GIT_COMMITTER_NAME":  "Alice Example",
		"GIT_COMMITTER_EMAIL": "alice@example.com",
		"GIT_COMMITTER_DATE":  "2026-11-24T09:12:00Z",
		"PM_NOW":              "2026-11-24T09:12:00Z",
	} {
		e.Setenv(k, v)
	}
	return nil
}
