// Command killsoak is issue 12's kill soak: it SIGKILLs pm at uniformly
// random instants of `pm observe`, `pm new`, `pm action` and `pm
// merge-driver`, many times over, in one repository, and checks what pm
// promises a responder: after each kill the next pm command exits 0, and at
// the end (after pm recover) every entry pm reported as written is in HEAD,
// git fsck --strict is clean, git status is clean, and no lock or temporary
// file is left.
//
//	go run ./bench/cmd/killsoak -pm ./pm -kills 1000
//
// Each kill instant is drawn uniformly from [0, 1.5 × the command's median
// run time], measured first, so kills land everywhere from process start to
// after a clean exit (which then counts as written). It prints one summary
// line and exits 1 on the first broken promise, naming it.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	pmFlag := flag.String("pm", "pm", "the pm binary")
	kills := flag.Int("kills", 1000, "how many commands to kill")
	dirFlag := flag.String("dir", "", "where to make the repository (default a temporary folder)")
	seed := flag.Uint64("seed", uint64(time.Now().UnixNano()), "random seed, to repeat a run")
	flag.Parse()
	pm, err := filepath.Abs(*pmFlag)
	if err == nil {
		if _, err = os.Stat(pm); err != nil {
			pm, err = exec.LookPath(*pmFlag)
		}
	}
	if err != nil {
		fail("no pm binary at %s: build it with go build -o pm .", *pmFlag)
	}
	dir := *dirFlag
	if dir == "" {
		if dir, err = os.MkdirTemp("", "pm-killsoak-"); err != nil {
			fail("%v", err)
		}
		defer os.RemoveAll(dir)
	}
	s := &soak{pm: pm, dir: filepath.Join(dir, "repo"), rng: rand.New(rand.NewPCG(*seed, 1)), home: filepath.Join(dir, "home")}
	_ = os.MkdirAll(s.home, 0o755)
	s.setup()
	start := time.Now()
	s.run(*kills)
	s.finish()
	fmt.Printf("killsoak: %d kills (%d before pm finished), %d entries reported written, %d recovered by pm recover, 0 failures, %s (seed %d)\n",
		*kills, s.killed, len(s.written), s.recovered, time.Since(start).Round(time.Second), *seed)
}

type soak struct {
	pm, dir, home string
	rng           *rand.Rand
	written       []string // texts pm reported as written (exit 0)
	attempted     []string // texts of killed commands: in HEAD or the journal, or never accepted
	median        map[string]time.Duration
	killed        int
	recovered     int
	n             int
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "killsoak: "+format+"\n", args...)
	os.Exit(1)
}

func (s *soak) env() []string {
	return append(os.Environ(), "HOME="+s.home, "GIT_CONFIG_NOSYSTEM=1", "PM_GUIDE=0",
		"GIT_AUTHOR_NAME=Soak", "GIT_AUTHOR_EMAIL=soak@example.com",
		"GIT_COMMITTER_NAME=Soak", "GIT_COMMITTER_EMAIL=soak@example.com")
}

// cmd runs name with args in the repository and returns its output.
func (s *soak) cmd(name string, args ...string) (string, error) {
	c := exec.Command(name, args...)
	c.Dir, c.Env = s.dir, s.env()
	out, err := c.CombinedOutput()
	return string(out), err
}

func (s *soak) must(name string, args ...string) string {
	out, err := s.cmd(name, args...)
	if err != nil {
		fail("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

func (s *soak) setup() {
	_ = os.MkdirAll(s.dir, 0o755)
	s.must("git", "init", "-q", "-b", "main")
	s.must(s.pm, "init")
	s.must("git", "add", ".")
	s.must("git", "commit", "-q", "-m", "pm init")
	s.must(s.pm, "new", "Soak target", "--service", "api")
	s.median = map[string]time.Duration{}
	for _, op := range ops {
		var ds []time.Duration
		for i := 0; i < 5; i++ {
			args, text, cleanup := op.args(s)
			t0 := time.Now()
			out, err := s.cmd(s.pm, args...)
			ds = append(ds, time.Since(t0))
			cleanup()
			if err != nil && op.name != "merge-driver" {
				fail("measuring %s: %v\n%s", op.name, err, out)
			}
			if text != "" {
				s.written = append(s.written, text)
			}
		}
		slices.Sort(ds)
		s.median[op.name] = ds[len(ds)/2]
	}
}

// op is one kind of pm command the soak kills.
type op struct {
	name string
	// args returns the command line, the text that will be in the file if
	// it is written ("" for none), and what to clean up afterwards.
	args func(s *soak) ([]string, string, func())
}

var ops = []op{
	{"observe", func(s *soak) ([]string, string, func()) {
		s.n++
		t := fmt.Sprintf("soak observation %d", s.n)
		return []string{"observe", "-i", soakID(s), t}, t, func() {}
	}},
	{"new", func(s *soak) ([]string, string, func()) {
		s.n++
		return []string{"new", fmt.Sprintf("Soak incident %d", s.n)}, "", func() {}
	}},
	{"action", func(s *soak) ([]string, string, func()) {
		s.n++
		t := fmt.Sprintf("Soak action %d", s.n)
		return []string{"action", "-i", soakID(s), t, "--owner", "@soak", "--due", "2027-01-01", "--kind", "detect"}, t, func() {}
	}},
	{"merge-driver", func(s *soak) ([]string, string, func()) {
		// As git runs it: three files in the work tree's root, removed
		// by git afterwards.
		s.n++
		head, _ := s.cmd("git", "show", "HEAD:"+soakFile(s))
		base := []byte(head)
		ours := append(bytes.Clone(base), []byte(fmt.Sprintf("\n<!-- ours %d -->\n", s.n))...)
		theirs := append(bytes.Clone(base), []byte(fmt.Sprintf("\n<!-- theirs %d -->\n", s.n))...)
		names := []string{".merge_file_O", ".merge_file_A", ".merge_file_B"}
		for i, b := range [][]byte{base, ours, theirs} {
			_ = os.WriteFile(filepath.Join(s.dir, names[i]), b, 0o644)
		}
		return []string{"merge-driver", names[0], names[1], names[2], soakFile(s)}, "", func() {
			for _, n := range names {
				os.Remove(filepath.Join(s.dir, n))
			}
		}
	}},
}

func soakFile(s *soak) string {
	m, _ := filepath.Glob(filepath.Join(s.dir, "postmortems", "*-soak-target.md"))
	if len(m) != 1 {
		fail("the soak incident is missing: %v", m)
	}
	rel, _ := filepath.Rel(s.dir, m[0])
	return filepath.ToSlash(rel)
}

func soakID(s *soak) string {
	return strings.TrimSuffix(filepath.Base(soakFile(s)), ".md")
}

func (s *soak) run(kills int) {
	for i := 0; i < kills; i++ {
		o := ops[s.rng.IntN(len(ops))]
		args, text, cleanup := o.args(s)
		after := time.Duration(s.rng.Int64N(int64(s.median[o.name]) * 3 / 2))
		c := exec.Command(s.pm, args...)
		c.Dir, c.Env = s.dir, s.env()
		var out bytes.Buffer
		c.Stdout, c.Stderr = &out, &out
		if err := c.Start(); err != nil {
			fail("start pm %s: %v", o.name, err)
		}
		done := make(chan error, 1)
		go func() { done <- c.Wait() }()
		var err error
		select {
		case err = <-done:
		case <-time.After(after):
			_ = c.Process.Signal(syscall.SIGKILL)
			err = <-done
		}
		cleanup()
		killErr, killOut := err, out.String()
		var ee *exec.ExitError
		switch {
		case err == nil:
			if text != "" {
				s.written = append(s.written, text)
			}
		case errors.As(err, &ee) && ee.Sys().(syscall.WaitStatus).Signaled():
			s.killed++
			if text != "" {
				s.attempted = append(s.attempted, text)
			}
		case o.name == "merge-driver":
			// exit 1 (conflict markers) is the driver's answer here
		default:
			fail("kill %d: pm %s failed without being killed: %v\n%s", i, o.name, err, out.String())
		}
		// The next command must work, whatever state the kill left.
		s.n++
		next := fmt.Sprintf("after kill %d", i)
		left := s.leftovers()
		if out, err := s.cmd(s.pm, "note", "-i", soakID(s), next); err != nil {
			fail("kill %d (pm %s after %s, err %v, printed %q): the next pm note failed: %v\n%s\nwhat the kill left:\n%s", i, o.name, after, killErr, killOut, err, out, left)
		}
		s.written = append(s.written, next)
		if i%100 == 99 {
			s.checkSound(fmt.Sprintf("after kill %d", i))
		}
	}
}

// checkSound: git is sound and no lock of pm's or git's is left behind.
func (s *soak) checkSound(when string) {
	if out, err := s.cmd("git", "fsck", "--strict", "--no-dangling", "--no-progress"); err != nil || strings.TrimSpace(out) != "" {
		fail("%s: git fsck --strict: %v\n%s", when, err, out)
	}
	for _, p := range []string{".git/index.lock", ".git/pm.lock", ".git/refs/heads/main.lock", ".git/HEAD.lock"} {
		if _, err := os.Lstat(filepath.Join(s.dir, p)); err == nil {
			fail("%s: %s is left behind", when, p)
		}
	}
}

func (s *soak) finish() {
	out := s.must(s.pm, "recover")
	s.recovered = strings.Count(out, "written back") + strings.Count(out, "committed now")
	s.checkSound("at the end")
	// pm new and writes killed before their commit are committed now.
	if out := s.must("git", "status", "--porcelain", "--untracked-files=all", "--ignored"); out != "" {
		fail("after pm recover, git status is not clean:\n%s", out)
	}
	head := s.must("git", "show", "HEAD:"+soakFile(s))
	for _, t := range s.written {
		if !strings.Contains(head, t) {
			fail("%q was reported written, but HEAD lacks it", t)
		}
	}
	if rest := s.must(s.pm, "recover", "--list"); !strings.Contains(rest, "nothing to recover") {
		fail("the journal still holds entries after pm recover:\n%s", rest)
	}
}

// leftovers describes the lock files a kill left, for a failure message.
func (s *soak) leftovers() string {
	var b strings.Builder
	for _, p := range []string{".git/pm.lock", ".git/index.lock", ".git/refs/heads/main.lock"} {
		full := filepath.Join(s.dir, p)
		fi, err := os.Lstat(full)
		if err != nil {
			continue
		}
		data, _ := os.ReadFile(full)
		fmt.Fprintf(&b, "%s (%d bytes, %s):\n%s\n", p, fi.Size(), fi.ModTime().Format(time.RFC3339Nano), data)
	}
	return b.String()
}
