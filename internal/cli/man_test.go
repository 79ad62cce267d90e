package cli

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestManPage checks that pm man carries every visible command with its
// one-line usage and each of its examples, so the page cannot lose what
// --help says (markdown in a description, such as <folder>, once vanished
// from it), and, where man is installed, that man renders it.
func TestManPage(t *testing.T) {
	var out, errs bytes.Buffer
	env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errs, Dir: t.TempDir(),
		Getenv: func(string) string { return "" }, Now: time.Now}
	if code := Main([]string{"pm", "man"}, env); code != 0 {
		t.Fatalf("pm man exited %d: %s", code, errs.String())
	}
	page := out.String()
	if !strings.HasPrefix(page, ".nh\n.TH pm 1") {
		t.Fatalf("not a section-1 man page:\n%.200s", page)
	}
	// roff escapes - as \-; compare with that undone.
	plain := strings.NewReplacer(`\-`, "-", `\&`, "").Replace(page)
	flat := strings.Join(strings.Fields(strings.ReplaceAll(plain, "\n.PP\n", "\n")), " ")
	for _, cmd := range (&app{env: env}).build().Commands {
		if cmd.Hidden {
			continue
		}
		if !strings.Contains(page, "\n.SH "+cmd.Name+"\n") {
			t.Errorf("no section for pm %s", cmd.Name)
		}
		if !strings.Contains(plain, cmd.Usage) {
			t.Errorf("pm %s: usage %q missing", cmd.Name, cmd.Usage)
		}
		prose, examples, _ := strings.Cut(cmd.Description, "Examples:\n")
		if p := strings.Join(strings.Fields(prose), " "); !strings.Contains(flat, p) {
			t.Errorf("pm %s: description %q missing", cmd.Name, p)
		}
		for _, ex := range strings.Split(strings.TrimSpace(examples), "\n") {
			if ex = strings.TrimSpace(ex); ex != "" && !strings.Contains(plain, ex) {
				t.Errorf("pm %s: example %q missing", cmd.Name, ex)
			}
		}
	}
	if _, err := exec.LookPath("man"); err == nil {
		cmd := exec.Command("man", "-l", "-")
		cmd.Stdin = strings.NewReader(page)
		cmd.Env = []string{"MANWIDTH=80", "PATH=/usr/bin:/bin", "MANPAGER=cat", "PAGER=cat"}
		rendered, err := cmd.CombinedOutput()
		if err != nil || !bytes.Contains(rendered, []byte("incident investigations")) {
			t.Errorf("man -l could not render the page: %v\n%.500s", err, rendered)
		}
	}
}
