package site

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type randomIncident struct {
	path                     string // under postmortems/
	title, started, sev, id  string
	services, tags           []string
	private                  bool
	cause, body, action, due string
}

func (s randomIncident) src() string {
	var b strings.Builder
	b.WriteString("---\n")
	if s.id != "" {
		b.WriteString("id: " + s.id + "\n")
	}
	b.WriteString("title: " + s.title + "\nstatus: resolved\n")
	if s.sev != "" {
		b.WriteString("severity: " + s.sev + "\n")
	}
	if s.started != "" {
		b.WriteString("started: " + s.started + "\n")
	}
	if s.private {
		b.WriteString("private: true\n")
	}
	b.WriteString("services: [" + strings.Join(s.services, ", ") + "]\ntags: [" + strings.Join(s.tags, ", ") + "]\n---\n\n# " + s.title + "\n\n## Summary\n\n" + s.body + "\n\n")
	b.WriteString("## Investigation log\n- `2026-01-01T10:00:00Z` **hypothesis H1** " + s.cause + " _(bob)_\n- `2026-01-01T10:20:00Z` **confirmed H1** yes _(bob)_\n\n")
	b.WriteString("## Action items\n- [ ] " + s.action + " — @bob, due " + s.due + ", fix\n")
	return b.String()
}

// TestMemoRandomRepos builds small repositories of incidents written at
// random (no start time, private on and off, a frontmatter id, subfolders
// and duplicate ids, links in causes and action items, services that
// differ in case) through 25 rounds of random edits each, and compares
// the incremental site with a whole build after each. Written by a
// review, which found with it that undated incidents' related lists and
// duplicate ids went stale.
func TestMemoRandomRepos(t *testing.T) {
	for seed := uint64(1); seed <= 12; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { randomRepo(t, seed) })
	}
}

func randomRepo(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 99))
	words := []string{"api", "latency", "memory", "leak", "certificate", "expiry", "queue", "backlog", "dns", "timeout", "disk", "full"}
	svcs := []string{"api", "db", "web", "API", "queue"}
	tags := []string{"config", "deploy", "Config", "network"}
	pickN := func(pool []string, max int) []string {
		var out []string
		for range rng.IntN(max + 1) {
			out = append(out, pool[rng.IntN(len(pool))])
		}
		return out
	}
	phrase := func(n int) string {
		var w []string
		for range n {
			w = append(w, words[rng.IntN(len(words))])
		}
		return strings.Join(w, " ")
	}
	root := t.TempDir()
	var specs []*randomIncident
	name := func(i int) string { return fmt.Sprintf("2026-01-%02d-inc%d", 1+i%27, i) }
	idOf := func(s *randomIncident) string { return strings.TrimSuffix(filepath.Base(s.path), ".md") }
	linkTo := func() string {
		if len(specs) == 0 || rng.IntN(3) != 0 {
			return ""
		}
		o := specs[rng.IntN(len(specs))]
		return fmt.Sprintf(" see [it](%s.md)", idOf(o))
	}
	randomize := func(s *randomIncident, field int) {
		switch field {
		case 0:
			s.title = strings.ToUpper(phrase(1)[:1]) + phrase(3)
		case 1:
			if rng.IntN(5) == 0 {
				s.started = ""
			} else {
				s.started = fmt.Sprintf("2026-01-%02dT%02d:00:00Z", 1+rng.IntN(27), rng.IntN(24))
			}
		case 2:
			s.services = pickN(svcs, 2)
		case 3:
			s.tags = pickN(tags, 2)
		case 4:
			s.sev = []string{"", "SEV1", "SEV2", "SEV3", "SEVX"}[rng.IntN(5)]
		case 5:
			s.private = rng.IntN(4) == 0
		case 6:
			s.cause = phrase(2) + linkTo()
		case 7:
			s.body = phrase(5) + linkTo()
		case 8:
			s.action = phrase(2) + linkTo()
			s.due = fmt.Sprintf("2026-%02d-10", 1+rng.IntN(12))
		case 9:
			if rng.IntN(3) == 0 {
				s.id = "fm-" + phrase(1)
			} else {
				s.id = ""
			}
		}
	}
	write := func(s *randomIncident) {
		p := filepath.Join(root, "postmortems", s.path)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(s.src()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	newSpec := func(i int) *randomIncident {
		dir := ""
		if rng.IntN(6) == 0 {
			dir = "sub/"
		}
		s := &randomIncident{path: dir + name(i) + ".md"}
		for f := range 10 {
			randomize(s, f)
		}
		s.private = false
		if s.due == "" {
			s.due = "2026-05-10"
		}
		return s
	}
	for i := range 14 {
		s := newSpec(i)
		specs = append(specs, s)
		write(s)
	}
	next := 14
	memo := &memMemo{}
	incr := filepath.Join(root, "_site")
	full := filepath.Join(root, "full")
	memoBuild(t, root, incr, memo)
	for round := range 25 {
		what := ""
		switch r := rng.IntN(10); {
		case r < 7:
			s := specs[rng.IntN(len(specs))]
			f := rng.IntN(10)
			randomize(s, f)
			write(s)
			what = fmt.Sprintf("field %d of %s", f, s.path)
		case r == 7:
			s := newSpec(next)
			next++
			specs = append(specs, s)
			write(s)
			what = "new " + s.path
		case r == 8 && len(specs) > 4:
			i := rng.IntN(len(specs))
			os.Remove(filepath.Join(root, "postmortems", specs[i].path))
			what = "deleted " + specs[i].path
			specs = append(specs[:i], specs[i+1:]...)
		default:
			// a copy in a subfolder: a duplicate id
			s := *specs[rng.IntN(len(specs))]
			s.path = "dup/" + filepath.Base(s.path)
			specs = append(specs, &s)
			write(&s)
			what = "duplicate " + s.path
		}
		memoBuild(t, root, incr, memo)
		memoBuild(t, root, full, nil)
		sameTree(t, fmt.Sprintf("round %d, %s", round, what), full, incr)
		if t.Failed() {
			return
		}
	}
}
