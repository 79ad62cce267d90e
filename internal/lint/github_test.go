package lint

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The reverse of the escaping, as the Actions runner applies it: one pass,
// so an escaped "%250A" comes back as "%0A", not as a newline.
var (
	unescapeGitHubData     = strings.NewReplacer("%0D", "\r", "%0A", "\n", "%25", "%").Replace
	unescapeGitHubProperty = strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%").Replace
)

func TestGitHubEscapingRoundTrips(t *testing.T) {
	for _, s := range []string{
		"", "plain", "50% done", "%0A literal, not a newline", "%25", "a\nb", "a\r\nb", "key: value, other",
		"::error::injected", "ünïcødé 明らか", "%%%", "trailing %",
	} {
		if got := unescapeGitHubData(escapeGitHubData(s)); got != s {
			t.Errorf("data %q round-trips to %q", s, got)
		}
		if got := unescapeGitHubProperty(escapeGitHubProperty(s)); got != s {
			t.Errorf("property %q round-trips to %q", s, got)
		}
		if e := escapeGitHubData(s); strings.ContainsAny(e, "\r\n") {
			t.Errorf("escaped data %q still has a line break", e)
		}
		if e := escapeGitHubProperty(s); strings.ContainsAny(e, "\r\n:,") {
			t.Errorf("escaped property %q still has a line break, ':' or ','", e)
		}
	}
}

var gitHubCommandLine = regexp.MustCompile(`^::(error|warning|notice) ([^:]*)::(.*)$`)

// TestGitHubOutputParses reads the output back the way the runner does and
// checks every annotation carries its finding's place, level and text.
func TestGitHubOutputParses(t *testing.T) {
	r := fixtureReport()
	r.Findings = append(r.Findings, Finding{Path: `odd, name: 100%.md`, Line: 1, Column: 2, Rule: "x", Level: Info,
		Message: "m", Suggestion: "s"})
	want := sortedFindings(r.Findings)
	out := writeReport(t, "github", r)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want one per finding (%d):\n%s", len(lines), len(want), out)
	}
	for i, line := range lines {
		m := gitHubCommandLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("line %q is not a workflow command", line)
		}
		f := want[i]
		if m[1] != gitHubCommand(f.Level) {
			t.Errorf("line %d: command %s for level %s", i, m[1], f.Level)
		}
		props := map[string]string{}
		for _, kv := range strings.Split(m[2], ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				t.Fatalf("line %d: property %q has no '='", i, kv)
			}
			props[k] = unescapeGitHubProperty(v)
		}
		if props["file"] != f.Path {
			t.Errorf("line %d: file = %q, want %q", i, props["file"], f.Path)
		}
		if props["title"] != "pm "+f.Rule {
			t.Errorf("line %d: title = %q", i, props["title"])
		}
		for key, n := range map[string]int{"line": f.Line, "col": f.Column, "endLine": f.EndLine, "endColumn": f.EndColumn} {
			v, ok := props[key]
			if (n > 0 && f.Line > 0) != ok || (ok && v != strconv.Itoa(n)) {
				t.Errorf("line %d: %s = %q (present %v), finding has %d", i, key, v, ok, n)
			}
		}
		msg := unescapeGitHubData(m[3])
		wantMsg := f.Message
		if f.Suggestion != "" {
			wantMsg += "\nsuggestion: " + f.Suggestion
		}
		if msg != wantMsg {
			t.Errorf("line %d: message %q, want %q", i, msg, wantMsg)
		}
	}
}

// The files that ship pm lint to users live at the repository root; these
// tests load them as GitHub and pre-commit would and check what they promise.

type actionFile struct {
	Name   string `yaml:"name"`
	Inputs map[string]struct {
		Default  *string `yaml:"default"`
		Required bool    `yaml:"required"`
	} `yaml:"inputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionStep struct {
	Name             string            `yaml:"name"`
	Uses             string            `yaml:"uses"`
	With             map[string]string `yaml:"with"`
	Run              string            `yaml:"run"`
	Shell            string            `yaml:"shell"`
	WorkingDirectory string            `yaml:"working-directory"`
	Env              map[string]string `yaml:"env"`
	If               string            `yaml:"if"`
}

func loadYAML(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", path))
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func loadAction(t *testing.T) actionFile {
	var a actionFile
	loadYAML(t, "action.yml", &a)
	return a
}

// lintStep is the action's step that runs pm lint.
func lintStep(t *testing.T, a actionFile) actionStep {
	t.Helper()
	for _, s := range a.Runs.Steps {
		if strings.Contains(s.Run, "pm\" lint") {
			return s
		}
	}
	t.Fatal("action.yml has no step that runs pm lint")
	return actionStep{}
}

func TestActionYAML(t *testing.T) {
	a := loadAction(t)
	if a.Runs.Using != "composite" {
		t.Errorf("runs.using = %q, want composite", a.Runs.Using)
	}
	for name, def := range map[string]string{"paths": "", "changed-since": "", "format": "github", "version": "", "go-version": "stable"} {
		in, ok := a.Inputs[name]
		if !ok || in.Default == nil || *in.Default != def || in.Required {
			t.Errorf("input %s: %+v, want optional with default %q", name, in, def)
		}
	}
	var setupGo, build bool
	for _, s := range a.Runs.Steps {
		if s.Uses == "actions/setup-go@v5" && s.With["go-version"] == "${{ inputs.go-version }}" {
			setupGo = true
		}
		// Built into the folder the Find pm step downloads a release to,
		// where the lint step looks (root action_test.go tests that step).
		if s.WorkingDirectory == "${{ github.action_path }}" && strings.Contains(s.Run, `go build -trimpath -o "$RUNNER_TEMP/pm-bin/" .`) &&
			s.If == "steps.find.outputs.build == 'true'" {
			build = true
		}
		if s.Run != "" && s.Shell == "" {
			t.Errorf("step %q runs a script without a shell (composite actions need one)", s.Name)
		}
		// Inputs pasted into a script are a shell injection; they must come
		// in through env.
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %q expands an expression inside its script", s.Name)
		}
	}
	if !setupGo || !build {
		t.Errorf("action.yml must set up Go with the go-version input (%v) and build pm from the action's own checkout (%v)", setupGo, build)
	}
	s := lintStep(t, a)
	for _, want := range []string{`lint --format "${PM_LINT_FORMAT:-github}"`, "--changed-since", "--format markdown", "GITHUB_STEP_SUMMARY"} {
		if !strings.Contains(s.Run, want) {
			t.Errorf("the lint step does not mention %s", want)
		}
	}
	for env, input := range map[string]string{"PM_LINT_PATHS": "paths", "PM_LINT_CHANGED_SINCE": "changed-since", "PM_LINT_FORMAT": "format"} {
		if s.Env[env] != "${{ inputs."+input+" }}" {
			t.Errorf("the lint step's %s = %q, want the %s input", env, s.Env[env], input)
		}
	}
}

// TestActionLintScript runs the action's lint step with bash as GitHub does
// (-e and pipefail) against a fake pm, and checks the arguments, that the
// summary is written even when the lint fails, and the exit code.
func TestActionLintScript(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	script := lintStep(t, loadAction(t)).Run
	fakePM := `#!/usr/bin/env bash
for a in "$@"; do printf '[%s]' "$a"; done >> "$FAKE_LOG"; echo >> "$FAKE_LOG"
if [ "$3" = markdown ]; then echo "## summary"; else echo "findings as $3"; fi
exit "$FAKE_EXIT"
`
	for _, tc := range []struct {
		name, paths, since, format, output string
		exit                               int
		wantCalls                          []string
		wantStdout                         string
	}{
		{name: "one folder, findings", paths: "demo/postmortems", format: "github", exit: 1,
			wantCalls:  []string{"[lint][--format][github][demo/postmortems]", "[lint][--format][markdown][demo/postmortems]"},
			wantStdout: "findings as github"},
		{name: "lines, spaces and a ref", paths: "a b.md\n  c.md  \n\n", since: "origin/main", format: "github", exit: 0,
			wantCalls: []string{"[lint][--format][github][--changed-since][origin/main][a b.md][c.md]",
				"[lint][--format][markdown][--changed-since][origin/main][a b.md][c.md]"},
			wantStdout: "findings as github"},
		{name: "defaults", exit: 2,
			wantCalls:  []string{"[lint][--format][github]", "[lint][--format][markdown]"},
			wantStdout: "findings as github"},
		{name: "no injection", paths: "$(touch pwned); `touch pwned`", format: "text", exit: 0,
			wantCalls: []string{"[lint][--format][text][$(touch pwned); `touch pwned`]",
				"[lint][--format][markdown][$(touch pwned); `touch pwned`]"},
			wantStdout: "findings as text"},
		{name: "sarif to a file", paths: "p", format: "sarif", output: "out.sarif", exit: 1,
			wantCalls: []string{"[lint][--format][sarif][p]", "[lint][--format][markdown][p]"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			// Where the action's Find pm or Build pm step leaves pm.
			if err := os.MkdirAll(filepath.Join(dir, "pm-bin"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "pm-bin", "pm"), []byte(fakePM), 0o755); err != nil {
				t.Fatal(err)
			}
			scriptPath := filepath.Join(dir, "step.sh")
			if err := os.WriteFile(scriptPath, []byte(script), 0o644); err != nil {
				t.Fatal(err)
			}
			summary := filepath.Join(dir, "summary.md")
			cmd := exec.Command(bash, "--noprofile", "--norc", "-eo", "pipefail", scriptPath)
			cmd.Dir = dir
			cmd.Env = []string{
				"PATH=" + os.Getenv("PATH"), "RUNNER_TEMP=" + dir, "GITHUB_STEP_SUMMARY=" + summary,
				"FAKE_LOG=" + filepath.Join(dir, "calls"), "FAKE_EXIT=" + strconv.Itoa(tc.exit),
				"PM_LINT_PATHS=" + tc.paths, "PM_LINT_CHANGED_SINCE=" + tc.since,
				"PM_LINT_FORMAT=" + tc.format, "PM_LINT_OUTPUT=" + tc.output,
			}
			out, err := cmd.Output()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.exit {
				t.Errorf("exit %d, want the lint's %d", code, tc.exit)
			}
			calls, _ := os.ReadFile(filepath.Join(dir, "calls"))
			if got := strings.Split(strings.TrimSuffix(string(calls), "\n"), "\n"); !slices.Equal(got, tc.wantCalls) {
				t.Errorf("pm was called as\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.wantCalls, "\n"))
			}
			if got := strings.TrimSpace(string(out)); got != tc.wantStdout {
				t.Errorf("step printed %q, want %q", got, tc.wantStdout)
			}
			if s, _ := os.ReadFile(summary); string(s) != "## summary\n" {
				t.Errorf("job summary = %q, want the markdown output", s)
			}
			if tc.output != "" {
				if b, _ := os.ReadFile(filepath.Join(dir, tc.output)); string(b) != "findings as "+tc.format+"\n" {
					t.Errorf("%s = %q", tc.output, b)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
				t.Error("an input ran as shell code")
			}
		})
	}
}

func TestCIWorkflow(t *testing.T) {
	var wf struct {
		On   map[string]any `yaml:"on"`
		Jobs map[string]struct {
			ContinueOnError bool         `yaml:"continue-on-error"`
			Steps           []actionStep `yaml:"steps"`
		} `yaml:"jobs"`
	}
	loadYAML(t, ".github/workflows/ci.yml", &wf)
	for _, ev := range []string{"push", "pull_request"} {
		if _, ok := wf.On[ev]; !ok {
			t.Errorf("ci.yml does not run on %s", ev)
		}
	}
	var vet, test, goMod, action bool
	for name, job := range wf.Jobs {
		demo := false
		for _, s := range job.Steps {
			vet = vet || strings.Contains(s.Run, "go vet ./...")
			test = test || strings.Contains(s.Run, "go test ./...")
			goMod = goMod || (s.Uses == "actions/setup-go@v5" && s.With["go-version-file"] == "go.mod")
			demo = demo || strings.Contains(s.Run, "go run . demo --out demo")
			if s.Uses == "./" {
				action = true
				if !demo {
					t.Errorf("job %s uses the action before making the demo", name)
				}
				if s.With["paths"] != "demo/postmortems" {
					t.Errorf("job %s lints %q, want demo/postmortems", name, s.With["paths"])
				}
				if !job.ContinueOnError {
					t.Errorf("job %s lints the sample, which may have findings: it needs continue-on-error", name)
				}
			}
		}
	}
	if !vet || !test || !goMod || !action {
		t.Errorf("ci.yml: go vet %v, go test %v, Go from go.mod %v, uses ./ %v; want all", vet, test, goMod, action)
	}
}

func TestPreCommitHooks(t *testing.T) {
	var hooks []struct {
		ID            string `yaml:"id"`
		Entry         string `yaml:"entry"`
		Language      string `yaml:"language"`
		Files         string `yaml:"files"`
		PassFilenames *bool  `yaml:"pass_filenames"`
	}
	loadYAML(t, ".pre-commit-hooks.yaml", &hooks)
	if len(hooks) != 1 {
		t.Fatalf("%d hooks, want 1", len(hooks))
	}
	h := hooks[0]
	if h.ID != "pm-lint" || h.Entry != "pm lint" || h.Language != "golang" || h.PassFilenames == nil || !*h.PassFilenames {
		t.Errorf("hook = %+v", h)
	}
	re, err := regexp.Compile(h.Files)
	if err != nil {
		t.Fatalf("files: %v", err)
	}
	for path, want := range map[string]bool{
		"postmortems/2026-11-24-api.md": true, "postmortems/templates/x.md": true,
		"README.md": false, "postmortems/notes.txt": false, "docs/postmortems/a.md": false,
	} {
		if re.MatchString(path) != want {
			t.Errorf("files %q matches %s: %v, want %v", h.Files, path, !want, want)
		}
	}
}
