package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// actionlint checks workflows, and the inputs a workflow passes to a local
// action, but not an action's own metadata file; this test covers what it
// leaves out for action.yml (.ci/toolbelt runs both).

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
		if s.Run != "" {
			if s.Shell == "" {
				bad("%s: a composite step with run needs shell", where)
			}
			// Expressions are pasted into the script before the shell
			// sees it: an input holding `"; rm -rf ~` would run. Inputs
			// go through env instead.
			if strings.Contains(s.Run, "${{") {
				bad("%s: run contains ${{ … }}; pass the value through env", where)
			}
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
		if os.Getenv("PM_REQUIRE_SHELLCHECK") != "" {
			t.Fatal("shellcheck is not installed (apt-get install shellcheck); PM_REQUIRE_SHELLCHECK is set")
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
		"needs shell",
		"run contains ${{",
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
