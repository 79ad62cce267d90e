package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/pm-tool/pm/internal/cli"
)

// hook is one entry of .pre-commit-hooks.yaml, the keys pre-commit uses to
// pick files and run the hook.
type hook struct {
	ID            string `yaml:"id"`
	Entry         string `yaml:"entry"`
	Language      string `yaml:"language"`
	Files         string `yaml:"files"`
	Exclude       string `yaml:"exclude"`
	PassFilenames *bool  `yaml:"pass_filenames"`
}

// runHook runs the hook as pre-commit does on a commit of staged: the files
// matching files and not exclude (Python's re.search; these patterns mean
// the same in Go), appended to entry, in the repository's root.
func runHook(t *testing.T, h hook, root string, staged []string) (code int, stdout, stderr string) {
	t.Helper()
	files := regexp.MustCompile(h.Files)
	var exclude *regexp.Regexp
	if h.Exclude != "" {
		exclude = regexp.MustCompile(h.Exclude)
	}
	args := strings.Fields(h.Entry)
	for _, f := range staged {
		if files.MatchString(f) && (exclude == nil || !exclude.MatchString(f)) {
			args = append(args, f)
		}
	}
	if args[0] != "pm" {
		t.Fatalf("entry %q does not run pm", h.Entry)
	}
	return pm(t, root, args...)
}

// pm runs pm's command line in dir, in-process, with a fixed clock.
func pm(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	now := time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)
	env := cli.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Dir: dir,
		Getenv: func(string) string { return "" }, Now: func() time.Time { return now }}
	code = cli.Main(args, env)
	return code, out.String(), errb.String()
}

const customTemplate = `---
id: {{ .ID }}
title: {{ yaml .Title }}
status: {{ .Status }}
severity: {{ .Severity }}
started: {{ time .Started }}
detected: {{ time .Detected }}
services: {{ yaml .Services }}
---

# {{ .Title }}

## What we saw

## Investigation log

## Action items
`

// A valid custom template under postmortems/templates/ is staged with an
// incident made from it: the hook must pass, and must still fail the commit
// on an incident with an error-level finding.
func TestPreCommitHookWithCustomTemplate(t *testing.T) {
	data, err := os.ReadFile(".pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []hook
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatal(err)
	}
	if len(hooks) != 1 || hooks[0].ID != "pm-lint" || hooks[0].Language != "golang" ||
		hooks[0].PassFilenames == nil || !*hooks[0].PassFilenames {
		t.Fatalf("want one golang hook pm-lint passing file names, got %+v", hooks)
	}
	h := hooks[0]

	root := t.TempDir()
	if code, _, stderr := pm(t, root, "pm", "init"); code != 0 {
		t.Fatalf("pm init: %d %s", code, stderr)
	}
	tmpl := filepath.Join(root, "postmortems", "templates", "ours.md")
	if err := os.MkdirAll(filepath.Dir(tmpl), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tmpl, []byte(customTemplate), 0o644); err != nil {
		t.Fatal(err)
	}
	// pm new reads the template, so it is one pm accepts.
	if code, _, stderr := pm(t, root, "pm", "new", "Checkout slow", "--template", "ours", "--severity", "SEV3"); code != 0 {
		t.Fatalf("pm new --template ours: %d %s", code, stderr)
	}
	staged := []string{"postmortems/templates/ours.md", "postmortems/2026-11-24-checkout-slow.md", ".pm.yml", "docs/notes.md"}
	code, stdout, stderr := runHook(t, h, root, staged)
	if code != 0 {
		t.Fatalf("the hook failed the commit (exit %d) on a valid template and incident:\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "skipped postmortems/templates/ours.md") {
		t.Errorf("the hook did not say it skipped the template; stderr:\n%s", stderr)
	}

	// It still fails the commit on a finding at error level.
	inc := filepath.Join(root, "postmortems", "2026-11-24-checkout-slow.md")
	src, err := os.ReadFile(inc)
	if err != nil {
		t.Fatal(err)
	}
	src = bytes.Replace(src, []byte("## What we saw\n"), []byte("## What we saw\n\nIt was careless.\n"), 1)
	if err := os.WriteFile(inc, src, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, stdout, _ := runHook(t, h, root, staged); code != 1 || !strings.Contains(stdout, "blame-words") {
		t.Errorf("a careless incident: exit %d, want 1 with a blame-words finding:\n%s", code, stdout)
	}
}
