package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pm-tool/pm/internal/repo"
)

// TestBadInput runs pm against every file of the hostile-input corpus in
// testdata/badinput (issue 7). Each NAME.md there has NAME.want beside it:
// what lint, show, list, site and a writing command (observe) must do with
// that file in the incident folder of a fresh repository, next to one good
// incident. Beyond what each .want says, every command must:
//
//   - finish within commandTimeout (no hang) and never print a Go panic;
//   - exit 0, 1 or 2, and when it exits 2 print exactly one line on
//     stderr, starting "pm: " (one clear error, no stack);
//   - leave the good incident listed and published: one bad file never
//     hides the others;
//   - write nothing outside the repository (a hostile id must not steer
//     the site or a commit out of it);
//   - when observe succeeds, have committed the file: git status is clean
//     for it and the last commit is the entry's.
//
// The .want format, one directive per line ("#" starts a comment):
//
//	CMD EXIT [STREAM `REGEXP`]...   CMD: lint show list site observe; multi-line mode (^ is a line start)
//	                                STREAM: stdout, stderr, !stdout, !stderr
//	file unchanged                  the file is byte-identical afterwards
//	file contains `REGEXP`          the file matches afterwards
//	setup KIND [ARG]                how the file is put in place (default: copied):
//	                                symlink-outside, symlink-dangling, folder,
//	                                fifo, grow BYTES (log entries appended)
//
// Run one case with: go test ./internal/cli -run 'TestBadInput/NAME'.
func TestBadInput(t *testing.T) {
	pm, err := exec.LookPath("pm")
	if err != nil {
		t.Fatalf("the test binary should be on PATH as pm (TestMain): %v", err)
	}
	wants, err := filepath.Glob(filepath.Join("testdata", "badinput", "*.want"))
	if err != nil || len(wants) < 40 {
		t.Fatalf("want at least 40 corpus cases, found %d (%v)", len(wants), err)
	}
	baseline, err := os.ReadFile(filepath.Join("testdata", "badinput", "2026-11-20-baseline.md"))
	if err != nil {
		t.Fatal(err)
	}
	companion := bytes.ReplaceAll(baseline, []byte("2026-11-20-baseline"), []byte(companionID))
	for _, wantPath := range wants {
		name := strings.TrimSuffix(filepath.Base(wantPath), ".want")
		t.Run(strings.TrimPrefix(name, "2026-11-20-"), func(t *testing.T) {
			t.Parallel()
			c, err := readCase(wantPath)
			if err != nil {
				t.Fatal(err)
			}
			runCase(t, pm, name, c, companion)
		})
	}
}

const (
	companionID    = "2026-11-01-steady"
	commandTimeout = 60 * time.Second
	probeText      = "corpus probe"
)

// corpusCase is one parsed .want file.
type corpusCase struct {
	src      []byte // the NAME.md beside it
	checks   map[string]commandWant
	order    []string
	setup    []string
	file     string // "unchanged" or "contains"
	fileWant *regexp.Regexp
}

type commandWant struct {
	line  int
	exit  int
	match []streamMatch
}

type streamMatch struct {
	stream string // stdout, stderr, !stdout, !stderr
	re     *regexp.Regexp
}

var corpusCommands = []string{"lint", "show", "list", "site", "observe"}

// readCase parses a .want file; every command must have a line.
func readCase(wantPath string) (corpusCase, error) {
	c := corpusCase{checks: map[string]commandWant{}}
	src, err := os.ReadFile(strings.TrimSuffix(wantPath, ".want") + ".md")
	if err != nil {
		return c, err
	}
	c.src = src
	f, err := os.Open(wantPath)
	if err != nil {
		return c, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		toks, err := tokens(line)
		if err != nil {
			return c, fmt.Errorf("%s:%d: %v", wantPath, n, err)
		}
		bad := func(msg string) error { return fmt.Errorf("%s:%d: %s", wantPath, n, msg) }
		switch toks[0] {
		case "setup":
			c.setup = toks[1:]
		case "file":
			switch {
			case len(toks) == 2 && toks[1] == "unchanged":
				c.file = "unchanged"
			case len(toks) == 3 && toks[1] == "contains":
				c.file = "contains"
				if c.fileWant, err = regexp.Compile(toks[2]); err != nil {
					return c, bad(err.Error())
				}
			default:
				return c, bad("want: file unchanged | file contains `REGEXP`")
			}
		case "lint", "show", "list", "site", "observe":
			if len(toks) < 2 || len(toks)%2 != 0 {
				return c, bad("want: CMD EXIT [STREAM `REGEXP`]...")
			}
			cw := commandWant{line: n}
			if cw.exit, err = strconv.Atoi(toks[1]); err != nil {
				return c, bad("exit code: " + err.Error())
			}
			for i := 2; i < len(toks); i += 2 {
				switch toks[i] {
				case "stdout", "stderr", "!stdout", "!stderr":
				default:
					return c, bad("unknown stream " + toks[i])
				}
				re, err := regexp.Compile("(?m)" + toks[i+1])
				if err != nil {
					return c, bad(err.Error())
				}
				cw.match = append(cw.match, streamMatch{toks[i], re})
			}
			if _, dup := c.checks[toks[0]]; dup {
				return c, bad(toks[0] + " appears twice")
			}
			c.checks[toks[0]] = cw
			c.order = append(c.order, toks[0])
		default:
			return c, bad("unknown directive " + toks[0])
		}
	}
	if err := sc.Err(); err != nil {
		return c, err
	}
	for _, cmd := range corpusCommands {
		if _, ok := c.checks[cmd]; !ok {
			return c, fmt.Errorf("%s: no expectation for %s", wantPath, cmd)
		}
	}
	if c.file == "" {
		return c, fmt.Errorf("%s: no file directive (unchanged or contains)", wantPath)
	}
	return c, nil
}

// tokens splits a directive into words and `backquoted` regular
// expressions.
func tokens(line string) ([]string, error) {
	var out []string
	for line = strings.TrimSpace(line); line != ""; line = strings.TrimSpace(line) {
		if line[0] == '`' {
			end := strings.IndexByte(line[1:], '`')
			if end < 0 {
				return nil, fmt.Errorf("unclosed ` in %q", line)
			}
			out = append(out, line[1:1+end])
			line = line[2+end:]
			continue
		}
		end := strings.IndexAny(line, " \t")
		if end < 0 {
			end = len(line)
		}
		out = append(out, line[:end])
		line = line[end:]
	}
	return out, nil
}

// runCase builds the repository for one case and runs the five commands.
func runCase(t *testing.T, pm, name string, c corpusCase, companion []byte) {
	top := t.TempDir()
	root := filepath.Join(top, "repo")
	outside := filepath.Join(top, "outside")
	for _, d := range []string{root, outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := repo.Init(root); err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(root, "postmortems")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(folder, companionID+".md"), companion, 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(folder, name+".md")
	content := placeCase(t, c, file, outside)

	env := corpusEnv(top)
	for _, cmd := range c.order {
		args := map[string][]string{
			"lint":    {"lint"},
			"show":    {"show", name},
			"list":    {"list"},
			"site":    {"site"},
			"observe": {"observe", "-i", name, probeText},
		}[cmd]
		runChecked(t, pm, root, env, cmd, args, c.checks[cmd])
	}

	switch c.file {
	case "unchanged":
		if got := readPlaced(t, c, file, outside); !bytes.Equal(got, content) {
			t.Errorf("the file changed (%d bytes, was %d) though the .want says unchanged", len(got), len(content))
		}
	case "contains":
		if got := readPlaced(t, c, file, outside); !c.fileWant.Match(got) {
			t.Errorf("the file does not match %q afterwards:\n%s", c.fileWant, clipBytes(got))
		}
	}
	// Nothing written outside the repository: the outside folder holds
	// only what the setup put there, and the folder above only these two.
	ents, _ := os.ReadDir(top)
	for _, e := range ents {
		if e.Name() != "repo" && e.Name() != "outside" && e.Name() != "home" {
			t.Errorf("pm wrote %s outside the repository", filepath.Join(top, e.Name()))
		}
	}
	if ents, _ := os.ReadDir(filepath.Dir(top)); len(ents) != 1 {
		t.Errorf("pm wrote next to the test's folder %s: %d entries", top, len(ents))
	}
	if ents, _ := os.ReadDir(outside); len(ents) > 1 {
		t.Errorf("pm wrote into the folder outside the repository: %d entries", len(ents))
	}
}

// placeCase puts the case's file in place as its setup says and returns
// the bytes that are its content.
func placeCase(t *testing.T, c corpusCase, file, outside string) []byte {
	content := c.src
	kind := ""
	if len(c.setup) > 0 {
		kind = c.setup[0]
	}
	var err error
	switch kind {
	case "":
		err = os.WriteFile(file, content, 0o644)
	case "grow":
		if len(c.setup) != 2 {
			t.Fatal("setup grow BYTES")
		}
		size, perr := strconv.Atoi(c.setup[1])
		if perr != nil {
			t.Fatal(perr)
		}
		content = grow(content, size)
		err = os.WriteFile(file, content, 0o644)
	case "symlink-outside":
		target := filepath.Join(outside, "elsewhere.md")
		if err = os.WriteFile(target, content, 0o644); err == nil {
			err = os.Symlink(target, file)
		}
	case "symlink-dangling":
		err = os.Symlink(filepath.Join(outside, "gone.md"), file)
	case "folder":
		if err = os.Mkdir(file, 0o755); err == nil {
			err = os.WriteFile(filepath.Join(file, "index.md"), content, 0o644)
		}
	case "fifo":
		if err = mkfifo(file); errors.Is(err, errors.ErrUnsupported) {
			t.Skip("no named pipes here")
		}
	default:
		t.Fatalf("unknown setup %q", kind)
	}
	if err != nil {
		t.Fatal(err)
	}
	return content
}

// readPlaced reads the case's content back from where placeCase put it.
func readPlaced(t *testing.T, c corpusCase, file, outside string) []byte {
	p := file
	if len(c.setup) > 0 {
		switch c.setup[0] {
		case "symlink-outside":
			p = filepath.Join(outside, "elsewhere.md")
		case "folder":
			p = filepath.Join(file, "index.md")
		case "symlink-dangling", "fifo":
			if fi, err := os.Lstat(file); err != nil || fi.Mode().IsRegular() {
				t.Errorf("%s was replaced by a regular file (%v)", file, err)
			}
			return c.src
		}
	}
	got, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// grow appends investigation log entries, one second apart, until src is
// size bytes: a long incident's log, the file ending in that section.
func grow(src []byte, size int) []byte {
	b := bytes.NewBuffer(make([]byte, 0, size+200))
	b.Write(src)
	start := time.Date(2026, 11, 20, 11, 0, 0, 0, time.UTC)
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(b, "- `%s` **note** queue depth sample %d from the checkout workers _(Dana)_\n",
			start.Add(time.Duration(i)*time.Second).Format(time.RFC3339), i)
	}
	return b.Bytes()
}

// corpusEnv is the environment of every command: no user or system git
// config, a fixed identity and clock.
func corpusEnv(top string) []string {
	home := filepath.Join(top, "home")
	os.MkdirAll(home, 0o755)
	env := []string{
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"GIT_CONFIG_NOSYSTEM=1",
		"TZ=UTC",
		"NO_COLOR=1",
		"GIT_AUTHOR_NAME=Alice Example",
		"GIT_AUTHOR_EMAIL=alice@example.com",
		"GIT_COMMITTER_NAME=Alice Example",
		"GIT_COMMITTER_EMAIL=alice@example.com",
		"PM_NOW=2026-11-24T09:12:00Z",
		"PM_LOCK_TIMEOUT=20s",
		"PATH=" + os.Getenv("PATH"),
	}
	return env
}

// runChecked runs one pm command and checks it against the case and the
// rules every command keeps.
func runChecked(t *testing.T, pm, dir string, env []string, cmd string, args []string, want commandWant) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	x := exec.CommandContext(ctx, pm, args...)
	x.Dir, x.Env = dir, env
	var stdout, stderr bytes.Buffer
	x.Stdout, x.Stderr = &stdout, &stderr
	start := time.Now()
	err := x.Run()
	took := time.Since(start)
	if ctx.Err() != nil {
		t.Fatalf("pm %s: still running after %v (a hang)", strings.Join(args, " "), commandTimeout)
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("pm %s: %v", strings.Join(args, " "), err)
	}
	out, errOut := stdout.String(), stderr.String()
	report := func(format string, a ...any) {
		t.Errorf("pm %s (.want line %d, took %v): %s\nexit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), want.line, took.Round(time.Millisecond),
			fmt.Sprintf(format, a...), code, clipBytes([]byte(out)), clipBytes([]byte(errOut)))
	}
	for _, s := range []string{out, errOut} {
		if strings.Contains(s, "panic:") || strings.Contains(s, "goroutine ") {
			report("printed a Go panic")
		}
	}
	if code != want.exit {
		report("exit %d, want %d", code, want.exit)
	}
	if code == 2 {
		lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
		if len(lines) != 1 || !strings.HasPrefix(lines[0], "pm: ") {
			report("exit 2 must come with one line on stderr starting \"pm: \"")
		}
	}
	switch cmd {
	case "list":
		if !strings.Contains(out, companionID) {
			report("the good incident %s is missing from the list", companionID)
		}
	case "observe":
		if _, err := exec.LookPath("git"); err == nil && code == 0 {
			// Written means committed, with the index entry in step:
			// git status is clean for the file (UTF-8 names included).
			rel := "postmortems/" + args[2] + ".md"
			st, err := exec.Command("git", "-C", dir, "-c", "core.quotepath=false", "status", "--porcelain", "--", rel).CombinedOutput()
			if err != nil || len(st) != 0 {
				report("git status after the commit: %q %v", st, err)
			}
			subj, err := exec.Command("git", "-C", dir, "log", "-1", "--format=%s").Output()
			if err != nil || !strings.Contains(string(subj), "observe: "+probeText) {
				report("last commit %q %v, want the observe commit", subj, err)
			}
			// No byte of the hostile file may make the history one a
			// server that checks objects would refuse (issue 11).
			if out, err := exec.Command("git", "-C", dir, "fsck", "--strict", "--no-dangling").CombinedOutput(); err != nil || len(out) != 0 {
				report("git fsck --strict after observe: %v\n%s", err, out)
			}
		}
	case "site":
		page := filepath.Join(dir, "_site", "incidents", companionID+".html")
		if _, err := os.Stat(page); err != nil {
			report("the good incident has no page: %v", err)
		}
	}
	for _, m := range want.match {
		s := out
		if strings.HasSuffix(m.stream, "stderr") {
			s = errOut
		}
		neg := strings.HasPrefix(m.stream, "!")
		if m.re.MatchString(s) == neg {
			if neg {
				report("%s matches %q", m.stream[1:], m.re)
			} else {
				report("%s does not match %q", m.stream, m.re)
			}
		}
	}
}

// clipBytes keeps failure output readable for the 20 MB case.
func clipBytes(b []byte) string {
	const max = 2000
	if len(b) > max {
		return string(b[:max]) + fmt.Sprintf("… (%d bytes)", len(b))
	}
	return string(b)
}
