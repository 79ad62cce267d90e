package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// gitApp is an app in a new git repository with an identity and the
// clock at fixtureToday, printing to the buffers it returns.
func gitApp(t *testing.T) (a *app, stdout, stderr *bytes.Buffer) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("needs git")
	}
	dir := t.TempDir()
	if out, err := exec.Command("git", "init", "-q", dir).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v %s", err, out)
	}
	vars := map[string]string{"HOME": dir, "TZ": "UTC", "GIT_CONFIG_NOSYSTEM": "1",
		"GIT_AUTHOR_NAME": "Alice Example", "GIT_AUTHOR_EMAIL": "alice@example.com", "GIT_AUTHOR_DATE": "2026-11-24T09:12:00Z",
		"GIT_COMMITTER_NAME": "Alice Example", "GIT_COMMITTER_EMAIL": "alice@example.com", "GIT_COMMITTER_DATE": "2026-11-24T09:12:00Z"}
	stdout, stderr = &bytes.Buffer{}, &bytes.Buffer{}
	env := Env{Stdin: strings.NewReader(""), Stdout: stdout, Stderr: stderr, Dir: dir,
		Getenv: func(k string) string { return vars[k] }, Now: func() time.Time { return fixtureToday }}
	return &app{env: env, dir: dir}, stdout, stderr
}

func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v %s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestAdoptInProcess calls a.adopt through its options: a dry run writes
// nothing, an adoption is one commit of the new file whose body is the
// text byte for byte (CRLF kept), and a file with a frontmatter or a
// missing one is refused.
func TestAdoptInProcess(t *testing.T) {
	a, out, errs := gitApp(t)
	text := "# Checkout 502s\r\n\r\nSeverity: SEV2\r\nAffected services: checkout, api\r\n\r\n## Timeline\r\n\r\nAll times in CET.\r\n\r\n" +
		"- 2019-12-04 09:10 deploy 4812 goes out\r\n- 09:14 alert fires: 502 rate above 5%\r\n- 09:31 rolled back to 4811, errors stop\r\n- 10:02 fix deployed, resolved\r\n\r\n## Lessons\r\n\r\nSmaller deploys.\r\n"
	src := filepath.Join(a.dir, "outage.md")
	if err := os.WriteFile(src, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := a.adopt(adoptOptions{Paths: []string{"outage.md"}, DryRun: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "would write postmortems/2019-12-04-checkout-502s.md: this frontmatter, then the 17 lines of outage.md as they are\n---\n") {
		t.Errorf("dry run printed\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(a.dir, "postmortems")); err == nil {
		t.Error("the dry run wrote the incident folder")
	}
	out.Reset()
	if err := a.adopt(adoptOptions{Paths: []string{"outage.md"}}); err != nil {
		t.Fatalf("%v\n%s", err, errs)
	}
	got, err := os.ReadFile(filepath.Join(a.dir, "postmortems", "2019-12-04-checkout-502s.md"))
	if err != nil {
		t.Fatal(err)
	}
	fm, body, ok := bytes.Cut(got, []byte("\r\n---\r\n"))
	if !ok || string(body) != text {
		t.Fatalf("the adopted file does not end with the text as it was:\n%q", got)
	}
	for _, want := range []string{
		"id: 2019-12-04-checkout-502s\r\n",
		"status: resolved ",
		"severity: SEV2                 # pm adopt: guessed from line 17 (SEV2); check it\r\n",
		"started: 2019-12-04T08:10:00Z  # pm adopt: guessed from line 24 (2019-12-04 09:10), the earliest time of the timeline; CET; check it\r\n",
		"detected: 2019-12-04T08:14:00Z # pm adopt: guessed from line 25 (09:14), CET; check it\r\n",
		"mitigated: 2019-12-04T08:31:00Z # pm adopt: guessed from line 26 (09:31), CET; check it\r\n",
		"resolved: 2019-12-04T09:02:00Z # pm adopt: guessed from line 27 (10:02), CET; check it\r\n",
		"services: [checkout, api]      # pm adopt: guessed from line 18; check it\r\n",
	} {
		if !bytes.Contains(fm, []byte(want)) {
			t.Errorf("no %q in the frontmatter:\n%s", want, fm)
		}
	}
	if s := gitOut(t, a.dir, "log", "-1", "--format=%s"); s != "pm(2019-12-04-checkout-502s): adopt: outage.md\n" {
		t.Errorf("commit subject %q", s)
	}
	if s := gitOut(t, a.dir, "status", "--porcelain"); s != "?? outage.md\n" {
		t.Errorf("git status %q: want the original left as it was, untracked", s)
	}
	// the adopted file has a frontmatter now: refused, in one line
	err = a.adopt(adoptOptions{Paths: []string{"postmortems/2019-12-04-checkout-502s.md"}})
	if exitCode(err) != exitUsage || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "already has a frontmatter (line 1)") {
		t.Errorf("adopting an incident: %v (exit %d)", err, exitCode(err))
	}
	err = a.adopt(adoptOptions{Paths: []string{"missing.md"}})
	if exitCode(err) != exitUsage || err.Error() != "missing.md: no such file" {
		t.Errorf("a missing file: %v (exit %d)", err, exitCode(err))
	}
}

// TestAdoptCorpus adopts every real post-mortem of lint's corpus in a new
// repository: each adopted file ends with exactly the original bytes after
// its frontmatter, and pm show --format json reads it; default lint then
// finds every section and action item that is there (lintAdoptedCorpus).
func TestAdoptCorpus(t *testing.T) {
	files, err := filepath.Glob("../lint/testdata/real/*.md")
	if err != nil || len(files) < 50 {
		t.Fatalf("corpus: %d files, %v", len(files), err)
	}
	a, out, errs := gitApp(t)
	dated := 0
	var adopted []adoptedFile
	for _, f := range files {
		if filepath.Base(f) == "SOURCES.md" {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(a.dir, "in", filepath.Base(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, src, 0o644); err != nil {
			t.Fatal(err)
		}
		out.Reset()
		if err := a.adopt(adoptOptions{Paths: []string{p}}); err != nil {
			t.Errorf("%s: %v\n%s", f, err, errs)
			continue
		}
		_, dest, ok := strings.Cut(strings.SplitN(out.String(), "\n", 2)[0], " as ")
		dest, _, _ = strings.Cut(dest, "; ")
		if !ok {
			t.Fatalf("%s: adopt printed %q", f, out)
		}
		got, err := os.ReadFile(filepath.Join(a.dir, dest))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasSuffix(got, src) || !bytes.HasSuffix(got[:len(got)-len(src)], []byte("\n---\n")) {
			t.Errorf("%s: %s does not end with the original bytes after its frontmatter", f, dest)
		} else {
			adopted = append(adopted, adoptedFile{source: filepath.Base(f), path: dest, data: got, text: got[len(got)-len(src):]})
		}
		if !bytes.Contains(got[:len(got)-len(src)], []byte("no date in the text")) {
			dated++
		}
		out.Reset()
		id := strings.TrimSuffix(filepath.Base(dest), ".md")
		if code := Main([]string{"pm", "show", id, "--format", "json"}, a.env); code != 0 {
			t.Errorf("%s: pm show exited %d: %s", f, code, errs)
			continue
		}
		var doc struct {
			ID, Title, Status string
			Started           *time.Time
		}
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil || doc.ID != id || doc.Status != "resolved" || doc.Title == "" || doc.Started == nil {
			t.Errorf("%s: pm show --format json: %v %+v", f, err, doc)
		}
	}
	if n := strings.Count(gitOut(t, a.dir, "log", "--format=%s"), ": adopt: "); n != len(files)-1 {
		t.Errorf("%d adopt commits for %d files", n, len(files)-1)
	}
	t.Logf("%d files adopted, %d of them have a date in the text", len(files)-1, dated)
	lintAdoptedCorpus(t, adopted)
}
