package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestReadmeWalkthrough runs the README's "Sixty seconds of a real
// incident" exactly as it is written there, line by line with sh -e, and
// testdata/readme/walkthrough.txtar checks that every line committed and
// that the incident ends lint-clean. kubectl and the editor are the only
// stand-ins: a log to pipe in, and a responder's hands writing the
// summary.
func TestReadmeWalkthrough(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("the walkthrough needs the git CLI")
	}
	block, err := readmeBlock("## Sixty seconds of a real incident")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(block, "\npm "); n < 15 {
		t.Fatalf("the README's walkthrough has %d pm lines; expected the whole incident:\n%s", n, block)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/readme",
		Setup: func(e *testscript.Env) error {
			if err := setupScript(e); err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(e.WorkDir, "walkthrough.sh"), []byte(block), 0o644)
		},
		Cmds: map[string]func(*testscript.TestScript, bool, []string){"exits": exits},
	})
}

// readmeBlock is the first ```sh block after heading in README.md.
func readmeBlock(heading string) (string, error) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		return "", err
	}
	s := string(readme)
	i := strings.Index(s, "\n"+heading+"\n")
	if i < 0 {
		return "", os.ErrNotExist
	}
	s = s[i:]
	start := strings.Index(s, "\n```sh\n")
	if start < 0 {
		return "", os.ErrNotExist
	}
	s = s[start+len("\n```sh\n"):]
	end := strings.Index(s, "\n```\n")
	if end < 0 {
		return "", os.ErrNotExist
	}
	return s[:end+1], nil
}
