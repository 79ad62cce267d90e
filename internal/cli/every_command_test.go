package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestEveryCommandInProcess (issue 13): every command of pm, the hidden
// merge driver too, runs through Main in this process, with buffers for
// its output, a fixed clock and a map for its environment, in a copy of a
// repository that went through a short incident. Each case checks the exit
// code, what the command printed, and for a writing command what it wrote
// and the commit it made. A command without a case in everyCases fails the
// test, so a new command cannot come without one.
func TestEveryCommandInProcess(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("the cases prepare their repositories with the git CLI")
	}
	env := Env{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Dir: t.TempDir(),
		Getenv: func(string) string { return "" }, Now: func() time.Time { return everyNow }}
	byName := map[string][]everyCase{}
	for _, c := range everyCases {
		byName[c.command] = append(byName[c.command], c)
	}
	var commands []string
	for _, c := range (&app{env: env}).build().Commands {
		commands = append(commands, c.Name)
		if len(byName[c.Name]) == 0 {
			t.Errorf("pm %s has no case in everyCases: add one that runs it in process and checks what it does", c.Name)
		}
	}
	for name := range byName {
		if !slices.Contains(commands, name) {
			t.Errorf("everyCases has a case for pm %s, which is not a command", name)
		}
	}
	if t.Failed() {
		return
	}

	base := prepareEveryRepo(t)
	for _, tc := range everyCases {
		name := tc.command
		if tc.name != "" {
			name += "/" + tc.name
		}
		t.Run(name, func(t *testing.T) {
			e := &everyRun{t: t, work: t.TempDir(), vars: everyVars(base.home)}
			e.dir = filepath.Join(e.work, "repo")
			if tc.fresh {
				e.git(e.work, "init", "-q", "-b", "main", "repo")
			} else if err := os.CopyFS(e.dir, os.DirFS(base.dir)); err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.vars {
				e.vars[k] = strings.ReplaceAll(v, "$WORK", e.work)
			}
			if tc.before != nil {
				tc.before(e)
			}
			head := e.head()
			args := make([]string, len(tc.args))
			for i, a := range tc.args {
				args[i] = strings.ReplaceAll(a, "$WORK", e.work)
			}
			stdin := tc.stdin
			if tc.stdinFn != nil {
				stdin = tc.stdinFn(e)
			}
			r := e.pmAt(everyNow, stdin, args...)
			where := fmt.Sprintf("pm %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
			if r.code != tc.code {
				t.Fatalf("want exit %d; %s", tc.code, where)
			}
			for _, want := range tc.stdout {
				if !strings.Contains(r.stdout, strings.ReplaceAll(want, "$WORK", e.work)) {
					t.Errorf("no %q in stdout; %s", want, where)
				}
			}
			for _, want := range tc.stderr {
				if !strings.Contains(r.stderr, strings.ReplaceAll(want, "$WORK", e.work)) {
					t.Errorf("no %q in stderr; %s", want, where)
				}
			}
			switch {
			case tc.subject != "":
				if got := e.git(e.dir, "log", "-1", "--format=%s"); got != tc.subject {
					t.Errorf("last commit %q, want %q; %s", got, tc.subject, where)
				}
				if e.head() == head {
					t.Errorf("no new commit; %s", where)
				}
			case head != "" && !tc.fresh:
				if got := e.head(); got != head {
					t.Errorf("HEAD moved from %s to %s (%s) for a command that does not commit", head, got, e.git(e.dir, "log", "-1", "--format=%s"))
				}
				// nor does it leave anything in the work tree
				if st := e.git(e.dir, "status", "--porcelain"); st != "" {
					t.Errorf("the work tree changed:\n%s", st)
				}
			}
			if len(tc.file) > 0 {
				doc := e.read(everyFile)
				for _, want := range tc.file {
					if !strings.Contains(doc, want) {
						t.Errorf("no %q in %s:\n%s", want, everyFile, doc)
					}
				}
			}
			if tc.check != nil {
				tc.check(e, r)
			}
		})
	}
}

// everyNow is when the cases run: half an hour into the incident.
var everyNow = time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)

const (
	everyID  = "2026-11-24-api-returns-502"
	everyOld = "2026-11-10-api-out-of-memory-after-deploy"
	// everyFile is the open incident's file, relative to the repository.
	everyFile = "postmortems/" + everyID + ".md"
)

// everySubject is the subject of a commit pm makes for the open incident.
func everySubject(s string) string { return "pm(" + everyID + "): " + s }

type everyCase struct {
	command string // the command's name, as pm --help lists it
	name    string // what the case shows
	fresh   bool   // run in a new git repository, not in a copy of the incident's
	vars    map[string]string
	before  func(e *everyRun) // prepares the copy
	args    []string          // after pm; $WORK is the case's folder
	stdin   string
	stdinFn func(e *everyRun) string
	code    int
	stdout  []string // fragments of stdout
	stderr  []string // fragments of stderr
	// subject is the commit the command makes; "" checks it makes none.
	subject string
	file    []string // fragments of everyFile afterwards
	check   func(e *everyRun, r everyResult)
}

type everyResult struct {
	code           int
	stdout, stderr string
}

// everyRun is one case's world: its folder, its repository and the
// environment pm sees.
type everyRun struct {
	t    *testing.T
	work string // the case's folder
	dir  string // the repository pm runs in
	vars map[string]string
}

// everyVars is the environment of every run: an identity, a HOME of the
// test's, no system git config, UTC and no guide.
func everyVars(home string) map[string]string {
	return map[string]string{
		"GIT_AUTHOR_NAME": "Alice Example", "GIT_AUTHOR_EMAIL": "alice@example.com",
		"GIT_COMMITTER_NAME": "Alice Example", "GIT_COMMITTER_EMAIL": "alice@example.com",
		"HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config"), "GIT_CONFIG_NOSYSTEM": "1",
		"TZ": "UTC", "PM_GUIDE": "0", "NO_COLOR": "1",
	}
}

// pmAt runs pm in process in e.dir at the time now.
func (e *everyRun) pmAt(now time.Time, stdin string, args ...string) everyResult {
	return runEvery(e.dir, e.vars, now, stdin, args...)
}

// must runs a step of a case's preparation, which must succeed.
func (e *everyRun) must(now time.Time, args ...string) everyResult {
	e.t.Helper()
	r := e.pmAt(now, "", args...)
	if r.code != 0 {
		e.t.Fatalf("pm %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

func runEvery(dir string, vars map[string]string, now time.Time, stdin string, args ...string) everyResult {
	var out, errs bytes.Buffer
	env := Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errs, Dir: dir,
		Getenv: func(k string) string { return vars[k] }, Now: func() time.Time { return now }}
	code := Main(append([]string{"pm"}, args...), env)
	return everyResult{code: code, stdout: out.String(), stderr: errs.String()}
}

// git runs git in dir with the case's environment and returns its output,
// trimmed.
func (e *everyRun) git(dir string, args ...string) string {
	e.t.Helper()
	out, err := everyGit(dir, e.vars, nil, args...)
	if err != nil {
		e.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func everyGit(dir string, vars map[string]string, extra []string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	for k, v := range vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, extra...)
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

// head is the commit HEAD names, "" before the first.
func (e *everyRun) head() string {
	out, err := everyGit(e.dir, e.vars, nil, "rev-parse", "-q", "--verify", "HEAD")
	if err != nil {
		return ""
	}
	return out
}

func (e *everyRun) read(rel string) string {
	e.t.Helper()
	b, err := os.ReadFile(filepath.Join(e.dir, filepath.FromSlash(rel)))
	if err != nil {
		e.t.Fatal(err)
	}
	return string(b)
}

func (e *everyRun) write(path, text string, mode os.FileMode) {
	e.t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), mode); err != nil {
		e.t.Fatal(err)
	}
}

// shareThroughRemote gives the copy a bare remote holding its history and
// a teammate's clone of it, in which Bob writes an entry at 09:31 and
// shares it with pm sync: what pm sync and pm watch bring in.
func (e *everyRun) shareThroughRemote() {
	e.git(e.work, "init", "-q", "--bare", "-b", "main", "remote.git")
	e.git(e.dir, "remote", "add", "origin", "../remote.git")
	e.git(e.dir, "push", "-q", "-u", "origin", "main")
	e.git(e.work, "clone", "-q", "remote.git", "bob")
	bob := everyVars(e.vars["HOME"])
	for _, k := range []string{"GIT_AUTHOR", "GIT_COMMITTER"} {
		bob[k+"_NAME"], bob[k+"_EMAIL"] = "Bob Example", "bob@example.com"
	}
	clone := filepath.Join(e.work, "bob")
	at := everyNow.Add(time.Minute)
	for _, args := range [][]string{{"observe", "upstream connect() failed on db-2"}, {"sync"}} {
		if r := runEvery(clone, bob, at, "", args...); r.code != 0 {
			e.t.Fatalf("bob: pm %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
		}
	}
}

type everyBase struct{ dir, home string }

// prepareEveryRepo makes the repository the cases copy: pm set up and
// committed, an earlier incident on the same service, closed; a deploy
// commit shortly before this one; and this one, mitigated, with a refuted
// and a confirmed hypothesis and an open action item.
func prepareEveryRepo(t *testing.T) everyBase {
	t.Helper()
	root := t.TempDir()
	b := everyBase{dir: filepath.Join(root, "repo"), home: filepath.Join(root, "home")}
	if err := os.MkdirAll(b.home, 0o755); err != nil {
		t.Fatal(err)
	}
	e := &everyRun{t: t, work: root, dir: b.dir, vars: everyVars(b.home)}
	e.git(root, "init", "-q", "-b", "main", "repo")
	old := time.Date(2026, 11, 10, 8, 0, 0, 0, time.UTC)
	e.must(old, "init")
	gitAt := func(at time.Time, args ...string) {
		t.Helper()
		d := "GIT_AUTHOR_DATE=" + at.Format(time.RFC3339)
		if out, err := everyGit(b.dir, e.vars, []string{d, "GIT_COMMITTER_" + d[len("GIT_AUTHOR_"):]}, args...); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	gitAt(old, "add", ".pm.yml", ".gitattributes")
	gitAt(old, "commit", "-q", "-m", "Set up pm")
	for i, args := range [][]string{
		{"new", "API out of memory after deploy", "--severity", "SEV3", "--service", "api"},
		{"hypothesis", "the new image leaks memory in the session cache"},
		{"confirm", "H1", "heap profile shows the session cache growing"},
		{"mitigate", "rolled back to the previous image"},
		{"action", "Load test session-heavy traffic", "--owner", "@alice", "--due", "2026-12-01", "--kind", "prevent"},
		{"resolve", "session cache bounded"},
		{"close", "--force"},
	} {
		e.must(old.Add(time.Duration(i)*time.Minute), args...)
	}
	// someone else's change shortly before the incident: what pm changes
	// finds
	e.write(filepath.Join(b.dir, "deploy", "api.yml"), "image: api:2.4.1\nvault_lease: 1h\n", 0o644)
	deploy := time.Date(2026, 11, 24, 8, 50, 0, 0, time.UTC)
	gitAt(deploy, "add", "deploy/api.yml")
	gitAt(deploy, "commit", "-q", "-m", "deploy api 2.4.1 with a shorter vault lease")
	for i, args := range [][]string{
		{"new", "API returns 502", "--severity", "SEV2", "--service", "api", "--started", "09:00"},
		{"down", "api", "every request returns 502"},
		{"observe", "nginx error.log: upstream connect() failed"},
		{"hypothesis", "the machine ran out of memory again"},
		{"refute", "H1", "memory at 40%"},
		{"hypothesis", "the database credentials expired"},
		{"confirm", "H2", "vault lease expired at 08:59"},
		{"act", "rotated the credentials"},
		{"up", "api", "200s again"},
		{"mitigate", "api answers again"},
		{"action", "Renew leases from CI", "--owner", "@ana", "--due", "2026-12-08", "--kind", "automate"},
	} {
		e.must(time.Date(2026, 11, 24, 9, 5+i, 0, 0, time.UTC), args...)
	}
	if out := e.git(b.dir, "status", "--porcelain"); out != "" {
		t.Fatalf("the prepared repository is not clean:\n%s", out)
	}
	// packed, the repository is a few files to copy, not hundreds
	e.git(b.dir, "gc", "-q", "--prune=now")
	return b
}

// lspFrames is what an editor sends: initialize, the incident opened with
// a counterfactual in its summary, shutdown and exit.
func lspFrames(e *everyRun) string {
	path := filepath.Join(e.dir, filepath.FromSlash(everyFile))
	text := strings.Replace(e.read(everyFile), "_TODO: In two or three sentences: what happened, what did users notice, and what ended it?_",
		"Someone should have renewed the lease.", 1)
	open, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": map[string]any{
		"textDocument": map[string]any{"uri": "file://" + filepath.ToSlash(path), "languageId": "markdown", "version": 1, "text": text}}})
	var b strings.Builder
	for _, body := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}`,
		`{"jsonrpc":"2.0","method":"initialized","params":{}}`,
		string(open),
		`{"jsonrpc":"2.0","id":2,"method":"shutdown"}`,
		`{"jsonrpc":"2.0","method":"exit"}`,
	} {
		fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n%s", len(body), body)
	}
	return b.String()
}

// everyMergeSides are three versions of the incident as git hands them to
// the merge driver: both sides add an entry, and both retitle it.
func everyMergeSides(e *everyRun) {
	base := e.read(everyFile)
	side := func(title, entry string) string {
		s := strings.Replace(base, "title: API returns 502\n", "title: "+title+"\n", 1)
		return strings.Replace(s, "\n\n## Timeline", "\n"+entry+"\n\n## Timeline", 1)
	}
	e.write(filepath.Join(e.work, "base.md"), base, 0o644)
	e.write(filepath.Join(e.work, "ours.md"), side("API returns 502 on every route",
		"- `2026-11-24T09:31:00Z` **note** paged the db team _(Alice Example)_"), 0o644)
	e.write(filepath.Join(e.work, "theirs.md"), side("API returns 502 to all clients",
		"- `2026-11-24T09:32:00Z` **observe** db-2 replica is behind _(Bob Example)_"), 0o644)
}

var everyCases = []everyCase{
	{command: "init", name: "fresh repository", fresh: true, args: []string{"init"},
		stdout: []string{"created   .pm.yml\n", "created   postmortems/\n", "created   merge.pm in .git/config\n", "commit them with: git add .pm.yml .gitattributes"},
		check: func(e *everyRun, _ everyResult) {
			if got := e.git(e.dir, "config", "merge.pm.driver"); !strings.Contains(got, " merge-driver %O %A %B %P") {
				e.t.Errorf("merge.pm.driver = %q", got)
			}
			if a := e.read(".gitattributes"); a != "postmortems/*.md merge=pm\n" {
				e.t.Errorf(".gitattributes = %q", a)
			}
			e.read(".pm.yml")
		}},
	{command: "new", name: "second incident", args: []string{"new", "Checkout latency above SLO", "--service", "checkout", "--severity", "SEV3"},
		stdout:  []string{"created postmortems/2026-11-24-checkout-latency-above-slo.md\n", "id: 2026-11-24-checkout-latency-above-slo\n"},
		subject: "pm(2026-11-24-checkout-latency-above-slo): new: Checkout latency above SLO",
		check: func(e *everyRun, _ everyResult) {
			doc := e.read("postmortems/2026-11-24-checkout-latency-above-slo.md")
			for _, want := range []string{"title: Checkout latency above SLO\n", "services: [checkout]\n", "status: investigating"} {
				if !strings.Contains(doc, want) {
					e.t.Errorf("no %q in the new incident:\n%s", want, doc)
				}
			}
		}},
	{command: "observe", name: "text", args: []string{"observe", "p99 latency back under 200ms"},
		stderr:  []string{"] observe: p99 latency back under 200ms\n"},
		subject: everySubject("observe: p99 latency back under 200ms"),
		file:    []string{"- `2026-11-24T09:30:00Z` **observe** p99 latency back under 200ms _(Alice Example)_\n"}},
	{command: "observe", name: "stdin", args: []string{"observe", "-"}, stdin: "ERROR pq: password authentication failed\nERROR again\n",
		stderr:  []string{"] observe: pasted 2 lines from stdin\n"},
		subject: everySubject("observe: pasted 2 lines from stdin"),
		file:    []string{"ERROR pq: password authentication failed"}},
	{command: "orient", args: []string{"orient", "deploy 2.4.1 shortened the vault lease"},
		stderr: []string{"] orient: deploy 2.4.1"}, subject: everySubject("orient: deploy 2.4.1 shortened the vault lease"),
		file: []string{"**orient** deploy 2.4.1 shortened the vault lease _(Alice Example)_"}},
	{command: "decide", args: []string{"decide", "keep the old lease until CI renews it"},
		stderr: []string{"] decide: keep the old lease"}, subject: everySubject("decide: keep the old lease until CI renews it"),
		file: []string{"**decide** keep the old lease until CI renews it"}},
	{command: "act", args: []string{"act", "restarted api on every host"},
		stderr: []string{"] act: restarted api on every host\n"}, subject: everySubject("act: restarted api on every host"),
		file: []string{"**act** restarted api on every host _(Alice Example)_"}},
	{command: "note", args: []string{"note", "paged the db team"},
		stderr: []string{"] note: paged the db team\n"}, subject: everySubject("note: paged the db team"),
		file: []string{"**note** paged the db team _(Alice Example)_"}},
	{command: "up", args: []string{"up", "db", "accepts connections"},
		stderr: []string{"] up: db accepts connections\n"}, subject: everySubject("up: db accepts connections"),
		file: []string{"**up** db — accepts connections _(Alice Example)_"}},
	{command: "down", args: []string{"down", "cache", "evicting every key"},
		stderr: []string{"] down: cache evicting every key\n"}, subject: everySubject("down: cache evicting every key"),
		file: []string{"**down** cache — evicting every key _(Alice Example)_"},
		check: func(e *everyRun, _ everyResult) {
			if r := e.pmAt(everyNow, "", "status"); !regexp.MustCompile(`\n  DOWN +cache +09:30 +evicting every key`).MatchString(r.stdout) {
				e.t.Errorf("pm status does not show cache down:\n%s", r.stdout)
			}
		}},
	{command: "hypothesis", args: []string{"hypothesis", "the lease renewal job is disabled"},
		stdout: []string{"H3\n"}, subject: everySubject("hypothesis H3: the lease renewal job is disabled"),
		file: []string{"**hypothesis H3** the lease renewal job is disabled"},
		check: func(e *everyRun, r everyResult) {
			if r.stdout != "H3\n" {
				e.t.Errorf("stdout %q, want the id alone", r.stdout)
			}
		}},
	{command: "confirm", before: func(e *everyRun) { e.must(everyNow.Add(-time.Minute), "hypothesis", "the renewal job is disabled") },
		args:   []string{"confirm", "H3", "cron shows it disabled since 2026-11-01"},
		stderr: []string{"] confirmed H3: cron shows it disabled"}, subject: everySubject("confirmed H3: cron shows it disabled since 2026-11-01"),
		file: []string{"**confirmed H3** cron shows it disabled since 2026-11-01"}},
	{command: "refute", before: func(e *everyRun) { e.must(everyNow.Add(-time.Minute), "hypothesis", "the renewal job is disabled") },
		args:   []string{"refute", "H3", "it ran at 08:00"},
		stderr: []string{"] refuted H3: it ran at 08:00\n"}, subject: everySubject("refuted H3: it ran at 08:00"),
		file: []string{"**refuted H3** it ran at 08:00"}},
	{command: "refute", name: "unknown hypothesis", args: []string{"refute", "H9", "no such thing"}, code: exitUsage,
		stderr: []string{"pm: there is no hypothesis H9 in " + everyID + " (none is open"}},
	{command: "mitigate", name: "after reopen", before: func(e *everyRun) { e.must(everyNow.Add(-time.Minute), "reopen", "502s are back") },
		args:    []string{"mitigate", "rolled back the lease change"},
		stderr:  []string{"] mitigated: rolled back the lease change\n", "pm: the incident was already mitigated at 2026-11-24 09:14 UTC; that time stays"},
		subject: everySubject("mitigated: rolled back the lease change"),
		// the first mitigation's time stays (mitigate_twice.txtar)
		file: []string{"status: mitigated ", "mitigated: 2026-11-24T09:14:00Z", "**mitigated** rolled back the lease change"}},
	{command: "resolve", args: []string{"resolve", "leases renewed on every host"},
		stderr: []string{"] resolved: leases renewed on every host\n"}, subject: everySubject("resolved: leases renewed on every host"),
		file: []string{"status: resolved ", "resolved: 2026-11-24T09:30:00Z", "**resolved** leases renewed on every host"}},
	{command: "close", name: "refused with placeholders", before: func(e *everyRun) { e.must(everyNow.Add(-time.Minute), "resolve") },
		args: []string{"close"}, code: exitProblem,
		stderr: []string{everyFile + ":20:1: error placeholder: template placeholder left in a closed post-mortem",
			"pm: not closed: pm lint would find the 6 errors above once it is closed"},
		file: []string{"status: resolved "}},
	{command: "close", name: "force", args: []string{"close", "--force"},
		stderr: []string{"] closed\n", "pm: closed with 6 lint errors left"}, subject: everySubject("closed"),
		file: []string{"status: closed "}},
	{command: "reopen", args: []string{"reopen", "502s are back"},
		stderr: []string{"] reopened: 502s are back\n"}, subject: everySubject("reopened: 502s are back"),
		file: []string{"status: investigating ", "**reopened** 502s are back"}},
	{command: "action", args: []string{"action", "Alert before a lease expires", "--owner", "@bob", "--due", "2026-12-15", "--kind", "detect"},
		stderr: []string{"] action: Alert before a lease expires\n"}, subject: everySubject("action: Alert before a lease expires"),
		file: []string{"- [ ] Renew leases from CI — @ana, due 2026-12-08, automate\n- [ ] Alert before a lease expires — @bob, due 2026-12-15, detect\n"}},
	{command: "done", args: []string{"done", "1"},
		stderr: []string{"] done: Renew leases from CI\n"}, subject: everySubject("done: Renew leases from CI"),
		file: []string{"- [x] Renew leases from CI — @ana"}},
	{command: "status", args: []string{"status"},
		stdout: []string{everyID + "  API returns 502\n", "SEV2 · mitigated · started 2026-11-24 09:00 UTC (30m)",
			"  UP    api          09:13  200s again (Alice Example)\n", "  H2   09:11  the database credentials expired: vault lease expired at 08:59\n"}},
	{command: "next", args: []string{"next"},
		stdout: []string{everyID + "  API returns 502 · mitigated\n", "Next: write the timeline from the log\n  pm timeline --write\n"}},
	{command: "changes", args: []string{"changes"},
		stdout: []string{"Before it started: 07:00 to 09:00 UTC, newest first\n", "deploy api 2.4.1 with a shorter vault lease", "deploy/api.yml"},
		check: func(e *everyRun, r everyResult) {
			before, _, _ := strings.Cut(r.stdout, "Since it started")
			if !strings.Contains(before, "deploy api 2.4.1") {
				e.t.Errorf("the deploy is not before the start:\n%s", r.stdout)
			}
		}},
	{command: "timeline", name: "print", args: []string{"timeline"},
		stdout: []string{"- 2026-11-24 09:00 UTC (T+0m) **started** impact began\n", "- 09:09 (T+9m) **refuted H1** memory at 40% _(Alice Example)_\n",
			"**mitigated** api answers again"}},
	{command: "timeline", name: "write", args: []string{"timeline", "--write"},
		stderr: []string{"] timeline written\n"}, subject: everySubject("timeline: write the timeline from the log"),
		file: []string{"## Timeline\n- 2026-11-24 09:00 UTC (T+0m) **started** impact began\n"}},
	{command: "edit", vars: map[string]string{"GIT_EDITOR": "$WORK/editor.sh"},
		before: func(e *everyRun) {
			e.write(filepath.Join(e.work, "editor.sh"), "#!/bin/sh\nsed 's/^_TODO: In two or three sentences.*$/Every API request failed for 13 minutes./' \"$1\" >\"$1.new\" && mv \"$1.new\" \"$1\"\n", 0o755)
		},
		args: []string{"edit"}, stderr: []string{"] edited\n"}, subject: everySubject("edit: Summary"),
		file: []string{"## Summary\n\nEvery API request failed for 13 minutes.\n"},
		check: func(e *everyRun, _ everyResult) {
			if st := e.git(e.dir, "status", "--porcelain"); st != "" {
				e.t.Errorf("uncommitted after the edit:\n%s", st)
			}
		}},
	{command: "show", args: []string{"show", "--format", "json"},
		stdout: []string{`"id": "` + everyID + `"`, `"status": "mitigated"`, `"text": "vault lease expired at 08:59"`}},
	{command: "show", name: "markdown", args: []string{"show", everyOld},
		stdout: []string{"title: API out of memory after deploy\n", "status: closed "}},
	{command: "demo", fresh: true, args: []string{"demo", "--out", "$WORK/demo"},
		stdout: []string{"pm demo: made a sample repository in $WORK/demo\n", "$ pm new "},
		check: func(e *everyRun, _ everyResult) {
			d := filepath.Join(e.work, "demo")
			if s := e.git(d, "log", "-1", "--format=%s"); !strings.HasPrefix(s, "pm(") {
				e.t.Errorf("the demo's last commit %q is not pm's", s)
			}
			if fs, _ := filepath.Glob(filepath.Join(d, "postmortems", "*.md")); len(fs) < 2 {
				e.t.Errorf("the demo has %d incidents", len(fs))
			}
		}},
	{command: "site", args: []string{"site", "--out", "$WORK/site"},
		stdout: []string{"index.html\n"}, stderr: []string{"pm site: published 2 incidents"},
		check: func(e *everyRun, _ everyResult) {
			b, err := os.ReadFile(filepath.Join(e.work, "site", "index.html"))
			if err != nil || !bytes.Contains(b, []byte("API returns 502")) || !bytes.Contains(b, []byte("API out of memory after deploy")) {
				e.t.Errorf("index.html (%v) does not list both incidents", err)
			}
		}},
	{command: "lint", args: []string{"lint"}, code: exitProblem,
		stdout: []string{"postmortems/" + everyOld + ".md:", "error placeholder: template placeholder left in a closed post-mortem"},
		check: func(e *everyRun, r everyResult) {
			if strings.Contains(r.stdout, everyFile) {
				e.t.Errorf("the mitigated incident has findings:\n%s", r.stdout)
			}
		}},
	{command: "lint", name: "explain", args: []string{"lint", "--explain", "counterfactual"},
		stdout: []string{"counterfactual (default level: warning)\n", "should have"}},
	{command: "lsp", args: []string{"lsp"}, stdinFn: lspFrames,
		stdout: []string{`"id":1,"result":{`, `"method":"textDocument/publishDiagnostics"`, `"code":"counterfactual"`, `"id":2,"result":null`}},
	{command: "set", args: []string{"set", "detected", "09:02", "first page, from the pager log"},
		stderr:  []string{"] note: detected corrected from 2026-11-24T09:05:00Z to 2026-11-24T09:02:00Z: first page"},
		subject: everySubject("note: detected corrected from 2026-11-24T09:05:00Z to 2026-11-24T09:02:00Z: f…"),
		file:    []string{"detected: 2026-11-24T09:02:00Z # we realised", "detected corrected from 2026-11-24T09:05:00Z to 2026-11-24T09:02:00Z: first page, from the pager log"}},
	{command: "adopt", before: func(e *everyRun) {
		e.write(filepath.Join(e.dir, "docs", "kiam.md"), "# KIAM Service disruption\n\nSeverity: Sev 1\n\n## Timeline\n\n"+
			"| Time | Event |\n| --- | --- |\n| 2020-01-21 15:36 UTC | Certificate expires |\n| 2020-01-21 18:04 UTC | Service restored |\n", 0o644)
	},
		args:    []string{"adopt", "docs/kiam.md"},
		stdout:  []string{"adopted docs/kiam.md as postmortems/2020-01-21-kiam-service-disruption.md; docs/kiam.md is left as it was"},
		subject: "pm(2020-01-21-kiam-service-disruption): adopt: docs/kiam.md",
		check: func(e *everyRun, _ everyResult) {
			doc := e.read("postmortems/2020-01-21-kiam-service-disruption.md")
			if !strings.HasSuffix(doc, "| 2020-01-21 18:04 UTC | Service restored |\n") || !strings.Contains(doc, "title: KIAM Service disruption") {
				e.t.Errorf("adopted file:\n%s", doc)
			}
		}},
	{command: "list", args: []string{"list", "--format", "csv"},
		stdout: []string{everyID + ",", everyOld + ","}},
	{command: "list", name: "table", args: []string{"list"},
		stdout: []string{"2026-11-24-api-return…  2026-11-24  SEV2  mitigated  API returns 502"}},
	{command: "actions", args: []string{"actions"},
		stdout: []string{"2026-11-24-api-return…  1  open   2026-12-08  @ana    automate  Renew leases from CI ",
			"2026-11-10-api-out-of…  1  open   2026-12-01  @alice  prevent   Load test session-heavy tra…"}},
	{command: "stats", args: []string{"stats"},
		stdout: []string{"2 incidents\n", "Busiest services\n  api     2\n", "3 in 2 incidents (1.50 per incident): 2 confirmed, 1 refuted"}},
	{command: "related", args: []string{"related"},
		stdout: []string{"  " + everyOld + "  API out of memory after deploy (SEV3, closed)\n", "was H1: the new image leaks memory in the session cache"}},
	{command: "schema", args: []string{"schema"},
		stdout: []string{`"$schema": "https://json-schema.org/draft/2020-12/schema"`, `"severity"`},
		check: func(e *everyRun, r everyResult) {
			var v map[string]any
			if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
				e.t.Errorf("not JSON: %v", err)
			}
		}},
	{command: "sync", before: func(e *everyRun) {
		e.shareThroughRemote()
		e.must(everyNow.Add(time.Minute*2), "note", "paged the db team")
	},
		args:    []string{"sync"},
		stdout:  []string{"received 1 commit from origin/main (merged 1 incident file: " + everyFile + ")\n", "pushed 2 commits to origin/main ["},
		file:    []string{"upstream connect() failed on db-2 _(Bob Example)_", "paged the db team _(Alice Example)_"},
		subject: "Merge branch 'main' of ../remote.git",
		check: func(e *everyRun, _ everyResult) {
			if n := e.git(e.dir, "rev-list", "--count", "HEAD...origin/main"); n != "0" {
				e.t.Errorf("%s commits between HEAD and origin/main", n)
			}
		}},
	{command: "watch", before: func(e *everyRun) { e.shareThroughRemote() },
		args:   []string{"watch", "--count", "1", "--every", "100ms"},
		stdout: []string{"  09:13:00  up            api 200s again (Alice Example)\n", "* 09:31:00  observe       upstream connect() failed on db-2 (Bob Example)\n"},
		file:   []string{"upstream connect() failed on db-2 _(Bob Example)_"},
		// the watch brought Bob's commit with a fast-forward
		subject: everySubject("observe: upstream connect() failed on db-2")},
	{command: "recover", before: func(e *everyRun) {
		e.git(e.dir, "checkout", "-q", "--detach")
		if r := e.pmAt(everyNow.Add(-time.Minute), "", "observe", "typed on a detached HEAD"); r.code != exitProblem || !strings.Contains(r.stderr, "HEAD is detached") {
			e.t.Fatalf("pm observe on a detached HEAD: exit %d\n%s", r.code, r.stderr)
		}
		e.git(e.dir, "switch", "-q", "-")
	},
		args: []string{"recover"}, stdout: []string{"typed on a detached HEAD"},
		subject: everySubject("observe: typed on a detached HEAD"),
		file:    []string{"**observe** typed on a detached HEAD"}},
	{command: "merge-driver", before: everyMergeSides,
		args: []string{"merge-driver", "$WORK/base.md", "$WORK/ours.md", "$WORK/theirs.md", everyFile}, code: exitProblem,
		stderr: []string{"pm: " + everyFile + ": merged with 1 conflict"},
		check: func(e *everyRun, _ everyResult) {
			b, _ := os.ReadFile(filepath.Join(e.work, "ours.md"))
			for _, want := range []string{"<<<<<<< ours\ntitle: API returns 502 on every route\n", "paged the db team _(Alice Example)_", "db-2 replica is behind _(Bob Example)_"} {
				if !bytes.Contains(b, []byte(want)) {
					e.t.Errorf("no %q in the merged file:\n%s", want, b)
				}
			}
		}},
	{command: "version", args: []string{"version"},
		check: func(e *everyRun, r everyResult) {
			if !regexp.MustCompile(`^pm (devel|[0-9]+\.[0-9]+\.[0-9]+\S*)\n$`).MatchString(r.stdout) || r.stderr != "" {
				e.t.Errorf("stdout %q, stderr %q", r.stdout, r.stderr)
			}
		}},
	{command: "completion", args: []string{"completion", "bash"},
		stdout: []string{"_pm() {\n", "complete -o default -F _pm pm\n", "pm __complete"}},
	{command: "completion", name: "zsh", args: []string{"completion", "zsh"},
		stdout: []string{"#compdef pm\n", "_pm() {"}},
	{command: "completion", name: "fish", args: []string{"completion", "fish"},
		stdout: []string{"function __pm_complete\n"}},
	{command: "man", args: []string{"man"},
		stdout: []string{"\n.TH pm 1\n", "\n.SH watch\n", "\n.SH version\n"},
		check: func(e *everyRun, r everyResult) {
			if !strings.HasPrefix(r.stdout, ".") {
				e.t.Errorf("not roff: %.80q", r.stdout)
			}
		}},
}
