package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pm-tool/pm/internal/incident"
	"github.com/pm-tool/pm/internal/lint"
)

// The listing commands called in process through their options (issue
// 13): a.list, a.stats, a.actions and a.related over the fixture of
// listing_test.go, whose answers were worked out by hand there and in the
// scripts.

// fixtureApp is an app in a copy of the fixture with the clock at
// fixtureToday, printing to the buffers it returns.
func fixtureApp(t *testing.T) (a *app, stdout, stderr *bytes.Buffer) {
	t.Helper()
	dir := fixtureRepo(t)
	stdout, stderr = &bytes.Buffer{}, &bytes.Buffer{}
	env := Env{Stdin: strings.NewReader(""), Stdout: stdout, Stderr: stderr, Dir: dir,
		Getenv: func(k string) string { return map[string]string{"HOME": dir}[k] },
		Now:    func() time.Time { return fixtureToday }}
	return &app{env: env, dir: dir}, stdout, stderr
}

// firstColumn is the first word of every line after the header.
func firstColumn(out string) []string {
	var ids []string
	for i, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if f := strings.Fields(l); i > 0 && len(f) > 0 {
			ids = append(ids, f[0])
		}
	}
	return ids
}

func TestListInProcess(t *testing.T) {
	t.Run("table", func(t *testing.T) {
		a, out, errs := fixtureApp(t)
		// api: api-latency, payments, api-out-of-memory, api-returns-502,
		// newest first
		if err := a.list(listOptions{Filter: incident.Filter{Service: []string{"api"}}, Format: "table"}); err != nil {
			t.Fatal(err)
		}
		want := []string{"2026-11-10-api-latenc…", "2026-08-30-payments-t…", "2026-07-20-api-out-of…", "2026-07-01-api-return…"}
		if got := firstColumn(out.String()); !reflect.DeepEqual(got, want) {
			t.Errorf("ids %q, want %q\n%s", got, want, out)
		}
		if !strings.HasPrefix(out.String(), "ID ") || !strings.Contains(out.String(), "api,nginx      1h00m\n") {
			t.Errorf("table:\n%s", out)
		}
		if !strings.HasPrefix(errs.String(), brokenWarning) {
			t.Errorf("stderr %q, want the warning about the broken file", errs)
		}
	})
	t.Run("csv", func(t *testing.T) {
		a, out, _ := fixtureApp(t)
		if err := a.list(listOptions{Filter: incident.Filter{Status: []string{"open"}}, Format: "csv"}); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(out).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range recs[1:] {
			ids = append(ids, r[0]+" "+r[3])
		}
		want := []string{"2026-11-23-slow-dns-answers investigating", "2026-11-20-nginx-502-on-checkout investigating",
			"2026-11-10-api-latency-above-slo mitigated"}
		if !reflect.DeepEqual(ids, want) {
			t.Errorf("open incidents %q, want %q", ids, want)
		}
	})
	t.Run("none match", func(t *testing.T) {
		a, out, errs := fixtureApp(t)
		if err := a.list(listOptions{Filter: incident.Filter{Service: []string{"nope"}}, Format: "table"}); err != nil {
			t.Fatal(err)
		}
		if out.Len() != 0 || !strings.HasSuffix(errs.String(), "pm: none of the 13 incidents match\n") {
			t.Errorf("stdout %q, stderr %q", out, errs)
		}
	})
}

func TestStatsInProcess(t *testing.T) {
	t.Run("all", func(t *testing.T) {
		a, out, _ := fixtureApp(t)
		if err := a.stats(statsOptions{Format: "table"}); err != nil {
			t.Fatal(err)
		}
		s := out.String()
		for _, want := range []string{
			"13 incidents (1 without a start time, in no month)\n",
			"\n  resolve   all            8    2h00m   24h00m\n",
			"\n  3 not resolved yet\n  2 left out of time to resolve (missing or misordered timestamps):\n" +
				"    2026-05-01-search-index-stale\n    2026-10-25-checkout-errors-after-deploy\n",
			"\nBusiest services\n  api          4\n",
			"\n  total            9       5       5\n  late: not done and due before 2026-11-24;",
		} {
			if !strings.Contains(s, want) {
				t.Errorf("no %q in\n%s", want, s)
			}
		}
	})
	t.Run("since", func(t *testing.T) {
		a, out, _ := fixtureApp(t)
		// slow-dns, nginx-502, api-latency, checkout-errors, config-push
		if err := a.stats(statsOptions{Since: "2026-10-01", Format: "table"}); err != nil {
			t.Fatal(err)
		}
		if first, _, _ := strings.Cut(out.String(), "\n"); first != "5 incidents started since 2026-10-01 (1 without a start time left out)" {
			t.Errorf("heading %q", first)
		}
	})
	t.Run("bad since", func(t *testing.T) {
		a, out, _ := fixtureApp(t)
		err := a.stats(statsOptions{Since: "2026-13-01", Format: "table"})
		if exitCode(err) != exitUsage || !strings.HasPrefix(err.Error(), "--since 2026-13-01 ") || out.Len() != 0 {
			t.Errorf("err %v (exit %d), stdout %q; want a usage error and nothing printed", err, exitCode(err), out)
		}
	})
}

func TestActionsInProcess(t *testing.T) {
	a, out, _ := fixtureApp(t)
	err := a.actions(actionsOptions{Overdue: true, Format: "table", FailOnOverdue: true})
	// the five overdue items of TestListingJSON, by due date
	if err == nil || err.Error() != "5 action items are overdue (pm actions --overdue lists them)" || exitCode(err) != exitProblem {
		t.Errorf("err %v (exit %d)", err, exitCode(err))
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")[1:] {
		f := strings.Fields(l)
		got = append(got, f[0]+" "+f[2]+" "+f[3])
	}
	want := []string{"2026-07-20-api-out-of… overdue 2026-08-15", "2026-06-15-dns-resolu… overdue 2026-09-01",
		"2026-09-10-disk-full-… overdue 2026-10-01", "2026-11-10-api-latenc… overdue 2026-11-20",
		"2026-07-20-api-out-of… overdue 2026-11-23"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows:\n%s\nwant\n%s\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), out)
	}

	// without --fail-on-overdue the same listing is no failure; @bob's
	// items only
	a, out, _ = fixtureApp(t)
	if err := a.actions(actionsOptions{Owner: "@bob", Format: "csv"}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(out).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("csv %v: %q", err, out)
	}
	for _, r := range recs[1:] {
		if r[4] != "@bob" {
			t.Errorf("an item of %s: %q", r[4], r)
		}
	}
}

func TestRelatedInProcess(t *testing.T) {
	a, out, _ := fixtureApp(t)
	if err := a.related(relatedOptions{ID: "2026-11-20", Limit: 1, Format: "text"}); err != nil {
		t.Fatal(err)
	}
	want := "Earlier incidents like 2026-11-20-nginx-502-on-checkout — causes to verify, not assume:\n\n" +
		"  2026-07-01-api-returns-502-for-all-requests  API returns 502 for all requests (SEV2, closed)\n" +
		"    shares services nginx; tags config; words 502 (score 6)\n" +
		"    was H2: credentials were not rotated onto this machine\n" +
		"    action items: 1 open, 1 done\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}

	// the earliest incident has nothing before it
	a, out, _ = fixtureApp(t)
	if err := a.related(relatedOptions{ID: "2026-06-03", Limit: 10, Format: "text"}); err != nil {
		t.Fatal(err)
	}
	if out.String() != "No earlier incident shares a service, tag or word with 2026-06-03-checkout-slow-during-sale.\n" {
		t.Errorf("got %q", out)
	}
}

// TestInitInProcess runs a.initRepo twice outside git: the first run
// writes each part and says there is nothing to commit with; the second
// changes nothing, and says so part by part.
func TestInitInProcess(t *testing.T) {
	dir := t.TempDir()
	var out, errs bytes.Buffer
	a := &app{dir: dir, env: Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errs, Dir: dir,
		Getenv: func(k string) string { return map[string]string{"HOME": dir}[k] }, Now: func() time.Time { return fixtureToday }}}
	if err := a.initRepo(initOptions{GitHub: true}); err != nil {
		t.Fatal(err)
	}
	want := "created   .pm.yml\ncreated   .github/workflows/postmortems.yml\ncreated   postmortems/\ncreated   .gitattributes\n"
	if out.String() != want || errs.String() != "pm: not in a git repository: nothing was committed\n" {
		t.Errorf("first run: stdout\n%s\nstderr %q", out.String(), errs.String())
	}
	out.Reset()
	errs.Reset()
	if err := a.initRepo(initOptions{GitHub: true}); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != strings.ReplaceAll(want, "created  ", "unchanged") || errs.Len() != 0 {
		t.Errorf("second run: stdout\n%s\nstderr %q", got, errs.String())
	}
}

// everyApp is an app in a copy of the repository prepareEveryRepo made
// (a closed incident and a mitigated one, everyID), with everyRun's
// environment and clock, printing to the buffers it returns; e runs git
// there and reads its files.
func everyApp(t *testing.T, base everyBase) (a *app, e *everyRun, stdout, stderr *bytes.Buffer) {
	t.Helper()
	e = &everyRun{t: t, work: t.TempDir(), vars: everyVars(base.home)}
	e.dir = filepath.Join(e.work, "repo")
	if err := os.CopyFS(e.dir, os.DirFS(base.dir)); err != nil {
		t.Fatal(err)
	}
	stdout, stderr = &bytes.Buffer{}, &bytes.Buffer{}
	env := Env{Stdin: strings.NewReader(""), Stdout: stdout, Stderr: stderr, Dir: e.dir,
		Getenv: func(k string) string { return e.vars[k] }, Now: func() time.Time { return everyNow }}
	return &app{env: env, dir: e.dir}, e, stdout, stderr
}

// needsGit skips a test whose repository is prepared with the git CLI.
func needsGit(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("the repository is prepared with the git CLI")
	}
}

// lastSubject is the subject of the commit HEAD names.
func (e *everyRun) lastSubject() string { return e.git(e.dir, "log", "-1", "--format=%s") }

// TestEntryCommandsInProcess calls the log family through entryOptions:
// a.logEntry (observe … note, up, down), a.hypothesis, a.settle (confirm,
// refute) and a.milestone (mitigate, resolve, close, reopen), each one
// entry in the file and one commit.
func TestEntryCommandsInProcess(t *testing.T) {
	needsGit(t)
	base := prepareEveryRepo(t)
	t.Run("observe", func(t *testing.T) {
		a, e, _, errs := everyApp(t, base)
		if err := a.logEntry(entryOptions{Command: "observe", Text: []string{"p99", "back", "under", "200ms"}}); err != nil {
			t.Fatal(err)
		}
		if got := e.lastSubject(); got != everySubject("observe: p99 back under 200ms") {
			t.Errorf("commit %q", got)
		}
		if doc := e.read(everyFile); !strings.Contains(doc, "- `2026-11-24T09:30:00Z` **observe** p99 back under 200ms _(Alice Example)_\n") {
			t.Errorf("no entry in\n%s", doc)
		}
		if !strings.Contains(errs.String(), "] observe: p99 back under 200ms\n") {
			t.Errorf("stderr %q", errs)
		}
	})
	t.Run("stdin with a summary, at an earlier time", func(t *testing.T) {
		a, e, _, _ := everyApp(t, base)
		a.env.Stdin = strings.NewReader("ERROR pq: password authentication failed\nERROR again\n")
		if err := a.logEntry(entryOptions{Command: "note", At: "09:20", Summary: "the api log", Text: []string{"-"}}); err != nil {
			t.Fatal(err)
		}
		doc := e.read(everyFile)
		if !strings.Contains(doc, "- `2026-11-24T09:20:00Z` **note** the api log _(Alice Example)_\n") || !strings.Contains(doc, "ERROR pq: password authentication failed\n  ERROR again\n") {
			t.Errorf("no pasted entry in\n%s", doc)
		}
	})
	t.Run("down", func(t *testing.T) {
		a, e, _, _ := everyApp(t, base)
		if err := a.logEntry(entryOptions{Command: "down", System: "cache", Text: []string{"evicting every key"}}); err != nil {
			t.Fatal(err)
		}
		if doc := e.read(everyFile); !strings.Contains(doc, "**down** cache — evicting every key _(Alice Example)_") || e.lastSubject() != everySubject("down: cache evicting every key") {
			t.Errorf("commit %q, file\n%s", e.lastSubject(), doc)
		}
	})
	t.Run("no text", func(t *testing.T) {
		a, e, _, _ := everyApp(t, base)
		head := e.head()
		err := a.logEntry(entryOptions{Command: "act"})
		if exitCode(err) != exitUsage || err.Error() != `pm act needs TEXT, e.g. pm act "what you saw" (or - to read stdin)` || e.head() != head {
			t.Errorf("err %v (exit %d); HEAD moved: %v", err, exitCode(err), e.head() != head)
		}
	})
	t.Run("hypothesis, then confirm", func(t *testing.T) {
		a, e, out, _ := everyApp(t, base)
		if err := a.hypothesis(entryOptions{Command: "hypothesis", Text: []string{"the renewal job is disabled"}}); err != nil {
			t.Fatal(err)
		}
		if out.String() != "H3\n" || e.lastSubject() != everySubject("hypothesis H3: the renewal job is disabled") {
			t.Errorf("stdout %q, commit %q", out, e.lastSubject())
		}
		if err := a.settle(entryOptions{Command: "confirm", Hypothesis: "H3", Text: []string{"cron shows it disabled"}}); err != nil {
			t.Fatal(err)
		}
		if doc := e.read(everyFile); !strings.Contains(doc, "**confirmed H3** cron shows it disabled") {
			t.Errorf("no verdict in\n%s", doc)
		}
	})
	t.Run("refute refusals", func(t *testing.T) {
		a, _, _, _ := everyApp(t, base)
		err := a.settle(entryOptions{Command: "refute", Hypothesis: "H2"})
		if exitCode(err) != exitUsage || !strings.HasPrefix(err.Error(), "pm refute H2 needs the reason: what made you refute it? e.g. pm refute H2 \"memory") {
			t.Errorf("no reason: %v", err)
		}
		err = a.settle(entryOptions{Command: "refute", Hypothesis: "H2", Text: []string{"no"}})
		if exitCode(err) != exitUsage || !strings.HasPrefix(err.Error(), "H2 is already confirmed (vault lease expired at 08:59)") {
			t.Errorf("settled already: %v", err)
		}
	})
	t.Run("resolve, close refused, close forced", func(t *testing.T) {
		a, e, _, errs := everyApp(t, base)
		if err := a.milestone(entryOptions{Command: "resolve", Text: []string{"leases", "renewed"}}); err != nil {
			t.Fatalf("%v\n%s", err, errs)
		}
		if doc := e.read(everyFile); !strings.Contains(doc, "status: resolved ") || !strings.Contains(doc, "resolved: 2026-11-24T09:30:00Z") {
			t.Errorf("not resolved:\n%s", doc)
		}
		head := e.head()
		err := a.milestone(entryOptions{Command: "close"})
		if exitCode(err) != exitProblem || !strings.HasPrefix(err.Error(), "not closed: pm lint would find the 6 errors above") || e.head() != head {
			t.Errorf("close without --force: %v", err)
		}
		errs.Reset()
		if err := a.milestone(entryOptions{Command: "close", Force: true}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(errs.String(), "pm: closed with 6 lint errors left (pm lint lists them)\n") || e.lastSubject() != everySubject("closed") {
			t.Errorf("stderr %q, commit %q", errs, e.lastSubject())
		}
	})
}

// TestActionCommandsInProcess calls a.addAction and a.done: an item with
// its owner's @ added, a note for one that lacks fields, a tick, and the
// refusals.
func TestActionCommandsInProcess(t *testing.T) {
	needsGit(t)
	base := prepareEveryRepo(t)
	a, e, _, errs := everyApp(t, base)
	if err := a.addAction(actionOptions{Text: "Alert before a lease expires", Owner: "bob", Due: "2026-12-15", Kind: "detect"}); err != nil {
		t.Fatal(err)
	}
	want := "- [ ] Renew leases from CI — @ana, due 2026-12-08, automate\n- [ ] Alert before a lease expires — @bob, due 2026-12-15, detect\n"
	if doc := e.read(everyFile); !strings.Contains(doc, want) || e.lastSubject() != everySubject("action: Alert before a lease expires") {
		t.Errorf("commit %q, file\n%s", e.lastSubject(), doc)
	}
	if strings.Contains(errs.String(), "needs an owner") {
		t.Errorf("a complete item got the note: %q", errs)
	}
	if err := a.addAction(actionOptions{Text: "Write the runbook"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errs.String(), "pm: note: an action item needs an owner, a due date or ticket, and a kind") {
		t.Errorf("no note for a bare item: %q", errs)
	}
	if err := a.addAction(actionOptions{Text: "x", Due: "2026-02-30"}); exitCode(err) != exitUsage || !strings.HasPrefix(err.Error(), "--due 2026-02-30 ") {
		t.Errorf("bad due date: %v", err)
	}

	if err := a.done(doneOptions{N: 2}); err != nil {
		t.Fatal(err)
	}
	if doc := e.read(everyFile); !strings.Contains(doc, "- [x] Alert before a lease expires") || e.lastSubject() != everySubject("done: Alert before a lease expires") {
		t.Errorf("commit %q, file\n%s", e.lastSubject(), doc)
	}
	if err := a.done(doneOptions{N: 2}); exitCode(err) != exitUsage || err.Error() != "action item 2 is already done: Alert before a lease expires" {
		t.Errorf("ticked twice: %v", err)
	}
	if err := a.done(doneOptions{N: 9}); exitCode(err) != exitUsage || err.Error() != everyID+" has 3 action items; there is no 9" {
		t.Errorf("no such item: %v", err)
	}
}

// TestIncidentViewsInProcess calls the commands that read one incident
// through their options: a.next, a.timeline, a.show, a.status and
// a.schema; only pm timeline --write commits.
func TestIncidentViewsInProcess(t *testing.T) {
	needsGit(t)
	base := prepareEveryRepo(t)
	t.Run("next", func(t *testing.T) {
		a, _, out, _ := everyApp(t, base)
		if err := a.next(nextOptions{}); err != nil {
			t.Fatal(err)
		}
		if want := everyID + "  API returns 502 · mitigated\n\nNext: write the timeline from the log\n  pm timeline --write\n"; out.String() != want {
			t.Errorf("got\n%s\nwant\n%s", out, want)
		}
		out.Reset()
		if err := a.next(nextOptions{Incident: everyOld}); err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(out.String(), "\nNothing: the post-mortem is closed (pm reopen if it is not over).\n") {
			t.Errorf("closed incident:\n%s", out)
		}
	})
	t.Run("timeline", func(t *testing.T) {
		a, e, out, _ := everyApp(t, base)
		head := e.head()
		if err := a.timeline(timelineOptions{}); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(out.String(), "- 2026-11-24 09:00 UTC (T+0m) **started** impact began\n") || !strings.Contains(out.String(), "- 09:09 (T+9m) **refuted H1** memory at 40% _(Alice Example)_\n") || e.head() != head {
			t.Errorf("printed\n%s", out)
		}
		if err := a.timeline(timelineOptions{Write: true}); err != nil {
			t.Fatal(err)
		}
		if doc := e.read(everyFile); !strings.Contains(doc, "## Timeline\n"+out.String()) || e.lastSubject() != everySubject("timeline: write the timeline from the log") {
			t.Errorf("commit %q; file\n%s", e.lastSubject(), doc)
		}
	})
	t.Run("show", func(t *testing.T) {
		a, e, out, _ := everyApp(t, base)
		if err := a.show(showOptions{ID: "2026-11-10", Incident: everyID, Format: "md"}); err != nil {
			t.Fatal(err)
		}
		if out.String() != e.read("postmortems/"+everyOld+".md") {
			t.Errorf("the argument did not win over -i, or the file is not printed as it is:\n%.200s", out)
		}
		out.Reset()
		if err := a.show(showOptions{Format: "json"}); err != nil {
			t.Fatal(err)
		}
		var v struct{ ID, Path, Status string }
		if err := json.Unmarshal(out.Bytes(), &v); err != nil || v.ID != everyID || v.Path != everyFile || v.Status != "mitigated" {
			t.Errorf("%v: %+v", err, v)
		}
	})
	t.Run("status", func(t *testing.T) {
		a, _, out, _ := everyApp(t, base)
		if err := a.status(statusOptions{Format: "text", Last: 2}); err != nil {
			t.Fatal(err)
		}
		s := out.String()
		for _, want := range []string{everyID + "  API returns 502\n", "  UP    api          09:13  200s again (Alice Example)\n",
			"\nLast entries\n  09:13  up            api 200s again (Alice Example)\n  09:14  mitigated     api answers again (Alice Example)\n"} {
			if !strings.Contains(s, want) {
				t.Errorf("no %q in\n%s", want, s)
			}
		}
		out.Reset()
		if err := a.status(statusOptions{Format: "json", Last: 0}); err != nil {
			t.Fatal(err)
		}
		var b struct {
			ID   string
			Last []any
		}
		if err := json.Unmarshal(out.Bytes(), &b); err != nil || b.ID != everyID || len(b.Last) != 0 {
			t.Errorf("%v: %+v\n%s", err, b, out)
		}
	})
	t.Run("schema", func(t *testing.T) {
		a, _, out, _ := everyApp(t, base)
		if err := a.schema(schemaOptions{}); err != nil {
			t.Fatal(err)
		}
		var v struct {
			Schema     string `json:"$schema"`
			Properties map[string]struct{ Enum []string }
		}
		if err := json.Unmarshal(out.Bytes(), &v); err != nil || v.Schema != "https://json-schema.org/draft/2020-12/schema" || !slices.Contains(v.Properties["severity"].Enum, "SEV2") {
			t.Errorf("%v: %+v", err, v)
		}
	})
}

// TestSharingCommandsInProcess calls a.syncRemote, a.watch and
// a.recoverEntries: a teammate's entry comes in through the remote, ours
// goes out; the journal's record of an entry a detached HEAD kept from
// the branch is listed, then committed.
func TestSharingCommandsInProcess(t *testing.T) {
	needsGit(t)
	base := prepareEveryRepo(t)
	t.Run("sync", func(t *testing.T) {
		a, e, out, _ := everyApp(t, base)
		e.shareThroughRemote()
		e.must(everyNow.Add(2*time.Minute), "note", "paged the db team")
		if err := a.syncRemote(syncOptions{Timeout: time.Minute}); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(out.String(), "received 1 commit from origin/main (merged 1 incident file: "+everyFile+")\npushed 2 commits to origin/main [") {
			t.Errorf("stdout %q", out)
		}
		if doc := e.read(everyFile); !strings.Contains(doc, "upstream connect() failed on db-2 _(Bob Example)_") {
			t.Errorf("Bob's entry did not come in:\n%s", doc)
		}
		if n := e.git(e.dir, "rev-list", "--count", "HEAD...origin/main"); n != "0" {
			t.Errorf("%s commits between HEAD and origin/main", n)
		}
		out.Reset()
		if err := a.syncRemote(syncOptions{}); err != nil || out.String() != "up to date with origin/main\n" {
			t.Errorf("second sync: %v, %q", err, out)
		}
	})
	t.Run("watch", func(t *testing.T) {
		a, e, out, _ := everyApp(t, base)
		e.shareThroughRemote()
		if err := a.watch(watchOptions{Every: 100 * time.Millisecond, Last: 2, Count: 1}); err != nil {
			t.Fatal(err)
		}
		want := "  09:14:00  mitigated     api answers again (Alice Example)\n* 09:31:00  observe       upstream connect() failed on db-2 (Bob Example)\n"
		if out.String() != want {
			t.Errorf("got\n%s\nwant\n%s", out, want)
		}
	})
	t.Run("recover", func(t *testing.T) {
		a, e, out, _ := everyApp(t, base)
		e.git(e.dir, "checkout", "-q", "--detach")
		if r := e.pmAt(everyNow.Add(-time.Minute), "", "observe", "typed on a detached HEAD"); r.code != exitProblem {
			t.Fatalf("pm observe on a detached HEAD: exit %d\n%s", r.code, r.stderr)
		}
		e.git(e.dir, "switch", "-q", "-")
		head := e.head()
		if err := a.recoverEntries(recoverOptions{List: true}); err != nil {
			t.Fatal(err)
		}
		if want := "kept               " + everyID + "  2026-11-24T09:29:00Z observe typed on a detached HEAD\n                   in the file, not committed: pm recover commits it\n"; out.String() != want || e.head() != head {
			t.Errorf("--list printed\n%s\nwant\n%s", out, want)
		}
		out.Reset()
		if err := a.recoverEntries(recoverOptions{}); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(out.String(), "committed now      "+everyID+"  2026-11-24T09:29:00Z observe typed on a detached HEAD [") || e.lastSubject() != everySubject("observe: typed on a detached HEAD") {
			t.Errorf("stdout %q, commit %q", out, e.lastSubject())
		}
		out.Reset()
		if err := a.recoverEntries(recoverOptions{}); err != nil || out.String() != "nothing to recover: every entry pm accepted is committed\n" {
			t.Errorf("again: %v, %q", err, out)
		}
	})
}

// TestToolCommandsInProcess calls the commands around the incidents
// through their options: a.printCompletion, a.printMan, a.serveLSP,
// a.makeDemo and a.mergeFiles.
func TestToolCommandsInProcess(t *testing.T) {
	needsGit(t)
	base := prepareEveryRepo(t)
	t.Run("completion", func(t *testing.T) {
		a, _, out, _ := everyApp(t, base)
		if err := a.printCompletion(completionOptions{Shell: "fish"}); err != nil || out.String() != completionScripts["fish"] {
			t.Errorf("%v: %.80q", err, out)
		}
		out.Reset()
		err := a.printCompletion(completionOptions{Shell: "tcsh"})
		if exitCode(err) != exitUsage || err.Error() != `pm completion: "tcsh" is not a shell pm completes; use bash, zsh or fish` || out.Len() != 0 {
			t.Errorf("%v, stdout %q", err, out)
		}
	})
	t.Run("man", func(t *testing.T) {
		a, _, out, _ := everyApp(t, base)
		if err := a.printMan(manOptions{}); err != nil {
			t.Fatal(err)
		}
		if s := out.String(); !strings.HasPrefix(s, ".") || !strings.Contains(s, "\n.TH pm 1\n") || !strings.Contains(s, "\n.SH confirm\n") {
			t.Errorf("not the page: %.200q", s)
		}
	})
	t.Run("lsp", func(t *testing.T) {
		a, e, out, _ := everyApp(t, base)
		a.env.Stdin = strings.NewReader(lspFrames(e))
		if err := a.serveLSP(lspOptions{}); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`"id":1,"result":{`, `"method":"textDocument/publishDiagnostics"`, `"code":"counterfactual"`, `"id":2,"result":null`} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("no %s in\n%s", want, out)
			}
		}
	})
	t.Run("demo", func(t *testing.T) {
		a, e, out, _ := everyApp(t, base)
		d := filepath.Join(e.work, "demo")
		if err := a.makeDemo(demoOptions{Out: d}); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(out.String(), "pm demo: made a sample repository in "+d+"\n\n$ pm init\n") {
			t.Errorf("stdout %.200q", out)
		}
		if s := e.git(d, "log", "-1", "--format=%s"); !strings.HasPrefix(s, "pm(") {
			t.Errorf("the demo's last commit %q is not pm's", s)
		}
		err := a.makeDemo(demoOptions{Out: "../demo"})
		if exitCode(err) != exitUsage || err.Error() != "--out ../demo: folder is not empty; pick a new one" {
			t.Errorf("a second demo in the same folder: %v", err)
		}
	})
	t.Run("merge driver", func(t *testing.T) {
		a, e, _, _ := everyApp(t, base)
		everyMergeSides(e)
		err := a.mergeFiles(mergeDriverOptions{Base: "../base.md", Ours: "../ours.md", Theirs: filepath.Join(e.work, "theirs.md"), Path: everyFile})
		if exitCode(err) != exitProblem || !strings.HasPrefix(err.Error(), everyFile+": merged with 1 conflict(s):\n") {
			t.Errorf("err %v", err)
		}
		b, _ := os.ReadFile(filepath.Join(e.work, "ours.md"))
		for _, want := range []string{"<<<<<<< ours\ntitle: API returns 502 on every route\n", "paged the db team _(Alice Example)_", "db-2 replica is behind _(Bob Example)_"} {
			if !bytes.Contains(b, []byte(want)) {
				t.Errorf("no %q in the merged file:\n%s", want, b)
			}
		}
	})
}

// TestVersionInProcess: a.printVersion prints one line, the version the
// build recorded, as SARIF and the language server report it.
func TestVersionInProcess(t *testing.T) {
	a, out, errs := fixtureApp(t)
	if err := a.printVersion(versionOptions{}); err != nil {
		t.Fatal(err)
	}
	if out.String() != "pm "+lint.Version()+"\n" || errs.Len() != 0 {
		t.Errorf("stdout %q, stderr %q", out, errs)
	}
}
