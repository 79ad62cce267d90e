package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSetInProcess calls a.setTime through its options on a backfilled
// incident: the correction and its note in one commit, then the refusals.
func TestSetInProcess(t *testing.T) {
	a, _, errs := gitApp(t)
	if err := a.newIncident(newOptions{Title: []string{"Disk full"}, Started: "2019-12-04 00:30"}); err != nil {
		t.Fatalf("%v\n%s", err, errs)
	}
	if !strings.Contains(errs.String(), "so detected is the started time too (a backfill)") {
		t.Errorf("pm new said %q", errs)
	}
	if err := a.setTime(setOptions{Key: "Detected", Time: "2019-12-04 00:52", Why: []string{"pager", "log"}}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(a.dir, "postmortems", "2019-12-04-disk-full.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\ndetected: 2019-12-04T00:52:00Z ", "**note** detected corrected from 2019-12-04T00:30:00Z to 2019-12-04T00:52:00Z: pager log _(Alice Example)_"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("no %q in\n%s", want, b)
		}
	}
	if s := gitOut(t, a.dir, "log", "-1", "--format=%s"); !strings.HasPrefix(s, "pm(2019-12-04-disk-full): note: detected corrected from") {
		t.Errorf("commit %q", s)
	}
	for _, tc := range []struct {
		o    setOptions
		want string
	}{
		{setOptions{Key: "started", Time: "2019-12-04 01:00"}, "started 2019-12-04T01:00:00Z would be after detected 2019-12-04T00:52:00Z"},
		{setOptions{Key: "mitigated", Time: "2019-12-04 01:00"}, "has no mitigated time yet: pm mitigate --at 2019-12-04 01:00 sets it"},
		{setOptions{Key: "severity", Time: "SEV1"}, `not "severity"`},
		{setOptions{Key: "detected", Time: "2030-01-01 00:00"}, "is in the future"},
	} {
		err := a.setTime(tc.o)
		if exitCode(err) != exitUsage || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("pm set %s %s: %v (exit %d), want %q", tc.o.Key, tc.o.Time, err, exitCode(err), tc.want)
		}
	}
}
