package corpus

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pm-tool/pm/internal/incident"
)

func TestGenerate(t *testing.T) {
	a := Generate(Options{N: 400, Seed: 42})
	b := Generate(Options{N: 400, Seed: 42})
	c := Generate(Options{N: 400, Seed: 43})
	if len(a) != 400 {
		t.Fatalf("%d incidents, want 400", len(a))
	}
	statuses := map[string]int{}
	ids := map[string]bool{}
	var blameful, undetected, overdue, multiline int
	for i, x := range a {
		if x.ID != b[i].ID || !bytes.Equal(x.Src, b[i].Src) {
			t.Fatalf("seed 42 gave two different incident %d", i)
		}
		if ids[x.ID] {
			t.Fatalf("id %s twice", x.ID)
		}
		ids[x.ID] = true
		d, err := incident.Parse(x.ID+".md", x.Src)
		if err != nil {
			t.Fatalf("generated incident does not parse: %v\n%s", err, x.Src)
		}
		if d.Meta.ID != x.ID || len(d.Entries) < 3 {
			t.Errorf("%s: id %q, %d entries", x.ID, d.Meta.ID, len(d.Entries))
		}
		statuses[d.Meta.Status]++
		if d.Meta.Detected.IsZero() {
			undetected++
		}
		for _, a := range d.Actions {
			if !a.Done && a.Due != "" && a.Due < "2026-11-20" {
				overdue++
			}
		}
		for _, e := range d.Entries {
			if strings.Contains(e.Text, "\n") {
				multiline++
			}
		}
		s := string(x.Src)
		if strings.Contains(s, "forgot") || strings.Contains(s, "should have") || strings.Contains(s, "Obviously") ||
			strings.Contains(s, "careless") || strings.Contains(s, "simply") || strings.Contains(s, "could have") {
			blameful++
		}
	}
	if len(statuses) != 4 || undetected == 0 || overdue == 0 || multiline == 0 || blameful < 20 || blameful > 100 {
		t.Errorf("not varied enough: statuses %v, %d without detected, %d overdue items, %d pasted logs, %d blameful",
			statuses, undetected, overdue, multiline, blameful)
	}
	same := 0
	for i := range a {
		if bytes.Equal(a[i].Src, c[i].Src) {
			same++
		}
	}
	if same > 0 {
		t.Errorf("seeds 42 and 43 gave %d identical incidents", same)
	}
}
