package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// TestHelpFitsAndShows runs --help for pm and every command: each line fits
// 80 columns and each command shows at least one example to copy.
func TestHelpFitsAndShows(t *testing.T) {
	env := Env{Stdin: strings.NewReader(""), Dir: t.TempDir(), Getenv: func(string) string { return "" }, Now: time.Now}
	names := []string{""}
	for _, c := range (&app{env: env}).build().Commands {
		if !c.Hidden {
			names = append(names, c.Name)
		}
	}
	if len(names) < 30 {
		t.Fatalf("only %d commands found", len(names)-1)
	}
	for _, name := range names {
		var out, errs bytes.Buffer
		env.Stdout, env.Stderr = &out, &errs
		args := []string{"pm", "--help"}
		if name != "" {
			args = []string{"pm", name, "--help"}
		}
		if code := Main(args, env); code != 0 {
			t.Errorf("pm %s --help exited %d: %s", name, code, errs.String())
			continue
		}
		help := out.String()
		for i, l := range strings.Split(help, "\n") {
			if n := utf8.RuneCountInString(l); n > helpWidth {
				t.Errorf("pm %s --help line %d is %d columns: %q", name, i+1, n, l)
			}
		}
		_, examples, ok := strings.Cut(help, "Examples:\n")
		if !ok || !strings.HasPrefix(strings.TrimSpace(examples), "pm ") && !strings.Contains(examples, "| pm ") {
			t.Errorf("pm %s --help has no example:\n%s", name, help)
		}
	}
}

func TestWrapHelpLine(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"   --at TIME  when it happened", "   --at TIME  when it happened"},
		{"   --tag TAG  only incidents with this TAG (repeat or separate with commas for any of several)",
			"   --tag TAG  only incidents with this TAG (repeat or separate with commas for\n              any of several)"},
		{"   Writes what is missing and leaves what exists alone, so running it twice changes nothing at all.",
			"   Writes what is missing and leaves what exists alone, so running it twice\n   changes nothing at all."},
		{"     pm list --format json | jq -r '.[] | select(.resolved == null) | .id' --and-a-long-tail-here",
			"     pm list --format json | jq -r '.[] | select(.resolved == null) | .id' --and-a-long-tail-here"},
	} {
		if got := wrapHelpLine(tc.in, 80); got != tc.want {
			t.Errorf("wrapHelpLine(%q)\ngot  %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

// TestReflowDescription: a description's paragraph is one line before it
// is wrapped at 80 (no short line after each long one), while blank
// lines, examples and the lines of other sections keep their breaks.
func TestReflowDescription(t *testing.T) {
	in := "DESCRIPTION:\n   Items come by due date. An item is overdue when it is not done\n   and its due date is before today.\n\n   Examples:\n     pm actions --open\n     pm actions --overdue\n\nOPTIONS:\n   --open  only items\n   --overdue  only late\n"
	want := "DESCRIPTION:\n   Items come by due date. An item is overdue when it is not done and its due date is before today.\n\n   Examples:\n     pm actions --open\n     pm actions --overdue\n\nOPTIONS:\n   --open  only items\n   --overdue  only late\n"
	if got := reflowDescription(in); got != want {
		t.Errorf("reflowDescription:\n%s\nwant:\n%s", got, want)
	}
}
