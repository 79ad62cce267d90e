package cli

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestCompletions calls completions in process over the listing fixture:
// commands, flags, flag values and arguments, as pm __complete answers
// the shell.
func TestCompletions(t *testing.T) {
	dir := fixtureRepo(t)
	complete := func(words []string, cur string) [][2]string {
		a := &app{dir: dir, env: Env{Stdin: strings.NewReader(""), Stdout: &strings.Builder{}, Stderr: &strings.Builder{}, Dir: dir,
			Getenv: func(string) string { return "" }, Now: func() time.Time { return fixtureToday }}}
		return a.completions(words, cur)
	}
	values := func(cs [][2]string) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c[0])
		}
		return out
	}

	if got := values(complete(nil, "")); !slices.Contains(got, "new") || !slices.Contains(got, "related") {
		t.Errorf("commands %q", got)
	}
	if got := complete([]string{"frobnicate"}, ""); got != nil {
		t.Errorf("after an unknown command: %q, want nothing", got)
	}
	flags := values(complete([]string{"new"}, "--"))
	for _, want := range []string{"--severity", "-s", "--no-commit", "--help"} {
		if !slices.Contains(flags, want) {
			t.Errorf("pm new's flags %q lack %s", flags, want)
		}
	}
	if got := values(complete([]string{"new", "--severity"}, "")); !reflect.DeepEqual(got, []string{"SEV1", "SEV2", "SEV3", "SEV4"}) {
		t.Errorf("severities %q", got)
	}
	if got := values(complete([]string{"completion"}, "")); !reflect.DeepEqual(got, []string{"bash", "fish", "zsh"}) {
		t.Errorf("shells %q", got)
	}
	if got := complete([]string{"completion", "bash"}, ""); got != nil {
		t.Errorf("a second argument: %q, want nothing", got)
	}
	// the open hypotheses of the incident -i names, with their text
	got := complete([]string{"-i", "2026-11-20", "confirm"}, "")
	if len(got) == 0 {
		t.Fatal("no hypotheses for pm confirm")
	}
	for _, h := range got {
		if !strings.HasPrefix(h[0], "H") || h[1] == "" {
			t.Errorf("hypothesis %q", h)
		}
	}
}
