package cli

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pm-tool/pm/internal/incident"
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
