package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// actionlint checks workflows, and the inputs a workflow passes to a local
// action, but not an action's own metadata file; this test covers what it
// leaves out for action.yml (.ci/toolbelt runs both), beside TestActionYAML
// and TestActionLintScript in internal/lint, which check the inputs' defaults,
// shells, expressions in scripts and the lint step.

type actionMeta struct {
	Name        string                 `yaml:"name"`
	Description string                 `yaml:"description"`
	Author      string                 `yaml:"author"`
	Branding    map[string]string      `yaml:"branding"`
	Inputs      map[string]actionInput `yaml:"inputs"`
	Outputs     map[string]struct {
		Description string `yaml:"description"`
		Value       string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionInput struct {
	Description string  `yaml:"description"`
	Required    bool    `yaml:"required"`
	Default     *string `yaml:"default"`
}

type actionStep struct {
	ID    string            `yaml:"id"`
	Name  string            `yaml:"name"`
	If    string            `yaml:"if"`
	Uses  string            `yaml:"uses"`
	Run   string            `yaml:"run"`
	Shell string            `yaml:"shell"`
	Dir   string            `yaml:"working-directory"`
	Cont  string            `yaml:"continue-on-error"`
	With  map[string]string `yaml:"with"`
	Env   map[string]string `yaml:"env"`
}

var (
	inputRef  = regexp.MustCompile(`inputs\.([A-Za-z0-9_-]+)`)
	stepRef   = regexp.MustCompile(`steps\.([A-Za-z0-9_-]+)\.outputs`)
	pinnedUse = regexp.MustCompile(`^[\w.-]+/[\w.-]+(/[\w./-]+)?@v\d+(\.\d+)*$`)
)

// actionProblems lists what is wrong with a composite action's metadata, one
// line each; the shell scripts are returned for shellcheck.
func actionProblems(data []byte) (problems []string, scripts map[string]string) {
	var a actionMeta
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true) // a misspelt key is a problem, not silently ignored
	if err := dec.Decode(&a); err != nil {
		return []string{"action.yml: " + err.Error()}, nil
	}
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if a.Name == "" || a.Description == "" {
		bad("name and description are required")
	}
	for name, in := range a.Inputs {
		if in.Description == "" {
			bad("input %s has no description", name)
		}
		if in.Default == nil {
			bad("input %s has no default: say what leaving it out means", name)
		}
	}
	if a.Runs.Using != "composite" {
		bad("runs.using = %q, want composite", a.Runs.Using)
	}
	scripts = map[string]string{}
	ids := map[string]bool{}
	for i, s := range a.Runs.Steps {
		where := fmt.Sprintf("step %d (%s)", i+1, s.Name)
		if s.Name == "" {
			bad("%s has no name", where)
		}
		if (s.Run == "") == (s.Uses == "") {
			bad("%s needs exactly one of run and uses", where)
		}
		// A shell on every run step and no ${{ }} pasted into a script:
		// TestActionYAML (internal/lint) checks those.
		if s.Run != "" {
			scripts[where] = s.Run
		}
		if s.Uses != "" && !strings.HasPrefix(s.Uses, "./") && !pinnedUse.MatchString(s.Uses) {
			bad("%s: uses %q is not owner/repo@vN", where, s.Uses)
		}
		text := s.If + s.Run
		for _, v := range s.With {
			text += "\n" + v
		}
		for _, v := range s.Env {
			text += "\n" + v
		}
		for _, m := range inputRef.FindAllStringSubmatch(text, -1) {
			if _, ok := a.Inputs[m[1]]; !ok {
				bad("%s refers to inputs.%s, which action.yml does not declare", where, m[1])
			}
		}
		for _, m := range stepRef.FindAllStringSubmatch(text, -1) {
			if !ids[m[1]] {
				bad("%s refers to steps.%s, which is not an earlier step's id", where, m[1])
			}
		}
		if s.ID != "" {
			ids[s.ID] = true
		}
	}
	return problems, scripts
}

func TestActionMetadata(t *testing.T) {
	data, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	problems, scripts := actionProblems(data)
	for _, p := range problems {
		t.Error(p)
	}
	if len(scripts) == 0 {
		t.Fatal("action.yml has no run steps")
	}
	if _, err := exec.LookPath("shellcheck"); err != nil {
		if os.Getenv("PM_REQUIRE_ACTION_TOOLS") != "" {
			t.Fatal("shellcheck is not installed (apt-get install shellcheck); PM_REQUIRE_ACTION_TOOLS is set")
		}
		t.Skip("shellcheck is not installed: the scripts are not checked")
	}
	for where, script := range scripts {
		cmd := exec.Command("shellcheck", "--shell=bash", "--severity=style", "-")
		cmd.Stdin = strings.NewReader(script)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s: shellcheck: %v\n%s", where, err, out)
		}
	}
}

// The checks must be able to fail, on the mistakes they exist for.
func TestActionProblemsFindsMistakes(t *testing.T) {
	const bad = `name: x
description: y
inputs:
  paths:
    description: p
runs:
  using: composite
  steps:
    - name: one
      run: echo "${{ inputs.paths }}" "$X"
      env:
        X: ${{ inputs.pahts }}
    - name: two
      uses: actions/cache@main
      with:
        key: ${{ steps.later.outputs.key }}
    - name: three
      id: later
      shell: bash
      run: "true"
`
	problems, _ := actionProblems([]byte(bad))
	for _, want := range []string{
		"input paths has no default",
		"inputs.pahts",
		`uses "actions/cache@main"`,
		"steps.later",
	} {
		found := false
		for _, p := range problems {
			found = found || strings.Contains(p, want)
		}
		if !found {
			t.Errorf("no problem mentions %q; got %q", want, problems)
		}
	}
}

// findScript is the run script of action.yml's step with id find.
func findScript(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var a actionMeta
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	for _, s := range a.Runs.Steps {
		if s.ID == "find" {
			return s.Run
		}
	}
	t.Fatal("action.yml has no step with id find")
	return ""
}

// fakeRelease writes what a GoReleaser release of version ver publishes
// for linux/amd64, as a releases/download tree: the archive holding a pm
// that prints "pm VER", and checksums.txt.
func fakeRelease(t *testing.T, dir, ver string) {
	t.Helper()
	var archive bytes.Buffer
	gz := gzip.NewWriter(&archive)
	tw := tar.NewWriter(gz)
	pm := []byte("#!/bin/sh\necho pm " + ver + "\n")
	for _, f := range []struct {
		name string
		body []byte
		mode int64
	}{{"LICENSE", []byte("Apache-2.0"), 0o644}, {"pm", pm, 0o755}} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.body))}); err != nil {
			t.Fatal(err)
		}
		tw.Write(f.body)
	}
	tw.Close()
	gz.Close()
	asset := "pm_" + ver + "_linux_amd64.tar.gz"
	sum := sha256.Sum256(archive.Bytes())
	rel := filepath.Join(dir, "v"+ver)
	os.MkdirAll(rel, 0o755)
	if err := os.WriteFile(filepath.Join(rel, asset), archive.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	sums := fmt.Sprintf("%x  pm_%s_darwin_arm64.tar.gz\n%x  %s\n", sha256.Sum256([]byte("other")), ver, sum, asset)
	if err := os.WriteFile(filepath.Join(rel, "checksums.txt"), []byte(sums), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The action's Find pm step, run by bash against a release tree on disk
// (curl reads file:// URLs as it reads the release's https ones): a version
// tag's release is used after its checksum is checked; anything else builds.
func TestActionFindsRelease(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "tar"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("PM_REQUIRE_ACTION_TOOLS") != "" {
				t.Fatalf("%s is not installed; PM_REQUIRE_ACTION_TOOLS is set", tool)
			}
			t.Skipf("%s is not installed", tool)
		}
	}
	script := findScript(t)
	releases := t.TempDir()
	fakeRelease(t, releases, "1.2.3")
	fakeRelease(t, releases, "1.2.4")
	// 1.2.4's checksums.txt does not match its archive: a tampered asset.
	tampered := strings.Repeat("0", 64) + "  pm_1.2.4_linux_amd64.tar.gz\n"
	if err := os.WriteFile(filepath.Join(releases, "v1.2.4", "checksums.txt"), []byte(tampered), 0o644); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, version, ref, arch string
		code                     int
		build                    string // the step's build output, "" when it failed
		ran                      string // what the installed pm prints, "" for none
		say                      string // in the step's output
	}{
		{"pinned to a tag", "", "v1.2.3", "X64", 0, "false", "pm 1.2.3", "pm v1.2.3 (pm_1.2.3_linux_amd64.tar.gz)"},
		{"pinned to a branch", "", "main", "X64", 0, "true", "", ""},
		{"pinned to a commit", "", "0123456789abcdef0123456789abcdef01234567", "X64", 0, "true", "", ""},
		{"version input", "1.2.3", "main", "X64", 0, "false", "pm 1.2.3", ""},
		{"source wins over the tag", "source", "v1.2.3", "X64", 0, "true", "", ""},
		{"tag without a release", "", "v9.9.9", "X64", 0, "true", "", "::notice title=pm action::cannot download"},
		{"no build for the machine", "", "v1.2.3", "ARM64", 0, "true", "", "::notice"},
		{"asked-for release missing", "v9.9.9", "main", "X64", 1, "", "", "::error title=pm action::cannot download pm_9.9.9_linux_amd64.tar.gz of pm v9.9.9"},
		{"not a version", "latest", "main", "X64", 2, "", "", `version "latest" is not a release`},
		{"checksum mismatch", "v1.2.4", "main", "X64", 1, "", "", "does not match checksums.txt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			out := filepath.Join(tmp, "github_output")
			cmd := exec.Command("bash", "-e", "-c", script)
			cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "RUNNER_TEMP=" + tmp, "RUNNER_OS=Linux", "RUNNER_ARCH=" + tc.arch,
				"GITHUB_OUTPUT=" + out, "PM_VERSION=" + tc.version, "PM_PINNED_REF=" + tc.ref,
				"PM_ACTION_REPO=pm-tool/pm", "PM_RELEASES_URL=file://" + filepath.ToSlash(releases)}
			log, err := cmd.CombinedOutput()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", code, tc.code, log)
			}
			if !strings.Contains(string(log), tc.say) {
				t.Errorf("output lacks %q:\n%s", tc.say, log)
			}
			outputs, _ := os.ReadFile(out)
			if want := "build=" + tc.build + "\n"; tc.build != "" && string(outputs) != want {
				t.Errorf("GITHUB_OUTPUT = %q, want %q", outputs, want)
			}
			ran, err := exec.Command(filepath.Join(tmp, "pm-bin", "pm")).Output()
			if got := strings.TrimSpace(string(ran)); got != tc.ran {
				t.Errorf("the pm in pm-bin printed %q (%v), want %q", got, err, tc.ran)
			}
		})
	}
}
