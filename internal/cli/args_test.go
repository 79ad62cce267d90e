package cli

import (
	"slices"
	"testing"
	"time"
)

func TestReorderArgs(t *testing.T) {
	u := (&app{env: Env{}}).build()
	tests := []struct {
		in, want []string
	}{
		{[]string{"pm"}, []string{"pm"}},
		{[]string{"pm", "new", "title"}, []string{"pm", "new", "--", "title"}},
		{[]string{"pm", "new", "API", "down", "--severity", "SEV1"}, []string{"pm", "new", "--severity", "SEV1", "--", "API", "down"}},
		{[]string{"pm", "new", "x", "--severity=SEV1", "-s", "SEV2"}, []string{"pm", "new", "--severity=SEV1", "-s", "SEV2", "--", "x"}},
		{[]string{"pm", "new", "x", "--no-commit", "-C", "dir"}, []string{"pm", "--no-commit", "-C", "dir", "new", "--", "x"}},
		{[]string{"pm", "-C", "dir", "show", "id", "-f", "json"}, []string{"pm", "-C", "dir", "show", "-f", "json", "--", "id"}},
		// -C stacks as git's: each relative to the one before, an absolute one starts over
		{[]string{"pm", "-C", "a", "-C", "b", "list"}, []string{"pm", "-C", "a/b", "list"}},
		{[]string{"pm", "-C", "a", "--no-commit", "-C=b", "list", "-C", "../c"}, []string{"pm", "-C", "a/c", "--no-commit", "list"}},
		{[]string{"pm", "-C", "a", "-C", "/abs", "list"}, []string{"pm", "-C", "/abs", "list"}},
		// "-" is stdin, a positional argument; "--" ends flags
		{[]string{"pm", "new", "-", "--tag", "a"}, []string{"pm", "new", "--tag", "a", "--", "-"}},
		{[]string{"pm", "new", "--", "--tag", "a"}, []string{"pm", "new", "--", "--tag", "a"}},
		// unknown flags stay with the command, so urfave/cli reports them
		{[]string{"pm", "new", "x", "--bogus"}, []string{"pm", "new", "--bogus", "--", "x"}},
		// --help after arguments is the command's help
		{[]string{"pm", "new", "x", "--help"}, []string{"pm", "new", "--help", "--", "x"}},
		// an unknown command is left as it is
		{[]string{"pm", "frobnicate", "--x"}, []string{"pm", "frobnicate", "--x"}},
		// a flag that ends the line keeps no value: it must not take "--"
		{[]string{"pm", "observe", "x", "-i"}, []string{"pm", "observe", "-i"}},
		{[]string{"pm", "new", "x", "-C"}, []string{"pm", "-C"}},
		// a boolean flag does not swallow the next argument
		{[]string{"pm", "init", "--github", "extra"}, []string{"pm", "init", "--github", "--", "extra"}},
		// -i before the command goes behind it when the command takes it,
		// else stays in front for the library to report
		{[]string{"pm", "-i", "x", "refute", "H2", "why"}, []string{"pm", "refute", "-i", "x", "--", "H2", "why"}},
		{[]string{"pm", "-i", "x", "version"}, []string{"pm", "-i", "x", "version"}},
		{[]string{"pm", "-i", "x"}, []string{"pm", "-i", "x"}},
		// a global flag after the command's own moves in front of it
		{[]string{"pm", "observe", "seen", "--at", "09:10", "--sync"}, []string{"pm", "--sync", "observe", "--at", "09:10", "--", "seen"}},
		// a global flag left without its value: the library reports it
		{[]string{"pm", "new", "x", "--no-commit", "-C"}, []string{"pm", "--no-commit", "-C"}},
	}
	for _, tt := range tests {
		if got := reorderArgs(u, tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("reorderArgs(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestParseWhen(t *testing.T) {
	now := time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone database")
	}
	tests := []struct {
		in   string
		loc  *time.Location
		want string
		bad  bool
	}{
		{"09:10", time.UTC, "2026-11-24T09:10:00Z", false},
		{"09:10:30", time.UTC, "2026-11-24T09:10:30Z", false},
		{"10:10", berlin, "2026-11-24T09:10:00Z", false},
		{"2026-11-23 22:00", time.UTC, "2026-11-23T22:00:00Z", false},
		{"2026-11-24T09:10:00+01:00", time.UTC, "2026-11-24T08:10:00Z", false},
		{"19:10", time.UTC, "", true}, // in the future
		{"yesterday", time.UTC, "", true},
		{"25:00", time.UTC, "", true},
	}
	for _, tt := range tests {
		got, err := parseWhen(tt.in, now, tt.loc)
		if tt.bad {
			if err == nil {
				t.Errorf("parseWhen(%q) = %v, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got.Format(time.RFC3339) != tt.want {
			t.Errorf("parseWhen(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
		}
	}
}

// TestProgram: the commands pm tells the user to run start the way they
// started pm: ./pm right after go build -o pm . (the README's first line).
func TestProgram(t *testing.T) {
	for in, want := range map[string]string{"./pm": "./pm", "bin/pm": "bin/pm", "/usr/local/bin/pm": "pm", "pm": "pm", "./pm.test": "pm"} {
		if got := (&app{args: []string{in}}).program(); got != want {
			t.Errorf("program() after %q = %q, want %q", in, got, want)
		}
	}
}
