// Package corpus makes realistic, varied post-mortems for benchmarks: pm
// list, actions and stats over 10,000 incidents, and later lint. Everything
// comes from one seed, so a benchmark run is the same on every machine.
//
// The incidents look like the ones teams write: most are closed, a few are
// still open; severities skew towards the mild end; each has a log with
// systems going down and up, observations, hypotheses refuted and
// confirmed, milestones, prose sections, and action items with owners, due
// dates, kinds and tickets, some done, some overdue. About one in eight
// carries a sentence that pm's blameless-language rules should flag
// ("Bob forgot to…", "should have", "obviously"), and a few have a missing
// timestamp, as hand-edited files do.
package corpus

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pm-tool/pm/internal/incident"
)

// Options says what to make.
type Options struct {
	N    int    // number of incidents
	Seed uint64 // same seed, same files
	// From and To bound the start times; zero values mean 2023-01-01 and
	// 2026-11-20.
	From, To time.Time
}

// Incident is one generated file.
type Incident struct {
	ID  string
	Src []byte
}

// Generate returns opt.N incidents with unique ids, in generation order.
func Generate(opt Options) []Incident {
	g := newGen(opt)
	out := make([]Incident, 0, opt.N)
	for range opt.N {
		out = append(out, g.incident())
	}
	return out
}

// Write generates the incidents into folder (created if needed), one
// <id>.md each, and returns how many it wrote.
func Write(folder string, opt Options) (int, error) {
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return 0, err
	}
	inc := Generate(opt)
	for _, x := range inc {
		if err := os.WriteFile(filepath.Join(folder, x.ID+".md"), x.Src, 0o644); err != nil {
			return 0, err
		}
	}
	return len(inc), nil
}

type gen struct {
	r        *rand.Rand
	from, to time.Time
	taken    map[string]bool
}

func newGen(opt Options) *gen {
	g := &gen{r: rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15)), from: opt.From, to: opt.To, taken: map[string]bool{}}
	if g.from.IsZero() {
		g.from = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if g.to.IsZero() {
		g.to = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	}
	return g
}

var (
	services = []string{"api", "web", "checkout", "payments", "auth", "search", "postgres", "redis", "kafka",
		"nginx", "cdn", "dns", "billing", "notifications", "worker", "scheduler", "storage", "ingress", "vault", "mobile-gateway"}
	tags    = []string{"config", "deploy", "capacity", "memory", "certificate", "network", "database", "dependency", "timeout", "rate-limit", "data", "security", "cost"}
	people  = []string{"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "oscar", "peggy", "trent", "victor", "wendy"}
	titles  = []string{"%s returns 502 for %d%% of requests", "%s out of memory after deploy", "Expired TLS certificate on %s", "%s latency above SLO for %d minutes", "Queue backlog in %s", "Disk full on %s primary", "DNS resolution failures for %s", "Migration locked a table in %s", "Config push disabled %s logins", "%s crash loop after node upgrade", "Rate limiter rejected traffic to %s", "Stale cache served by %s", "%s dropped %d%% of events", "Connection pool exhausted in %s", "Clock skew broke token checks in %s"}
	causes  = []string{"the new image leaks memory in the session cache", "the certificate renewal job has been failing silently", "a config change removed the upstream for %s", "the connection pool is too small for the new traffic", "a migration took an exclusive lock on the orders table", "the disk filled with debug logs", "the DNS resolver cache expired during the provider outage", "a retry storm from the mobile clients", "the feature flag defaulted to off in the new region", "the node upgrade changed the kernel's conntrack limit"}
	wrong   = []string{"the machine ran out of memory again, as last week", "the database is down", "a bad deploy of %s", "the CDN is misconfigured", "network partition between zones", "the cache is cold after the restart"}
	observe = []string{"error rate on %s at %d%%", "p99 latency %d ms on %s", "%s logs show `connection refused`", "dashboards for %s flat since the deploy", "%d pods restarting in %s", "no alerts fired for %s", "customers report timeouts on %s"}
	acts    = []string{"rolled back %s to the previous release", "restarted %s", "scaled %s to %d replicas", "renewed the certificate for %s", "raised the pool size of %s", "failed over %s to the standby", "disabled the feature flag for %s"}
	action  = []string{"Alert before any certificate on %s expires", "Load test %s before each release", "Runbook: how to fail over %s", "Dashboard for the connection pool of %s", "Automate the rollback of %s on high error rates", "Add a canary stage for %s", "Document the dependencies of %s", "Cap the retry rate of clients of %s", "Alert on queue depth in %s", "Remove the manual step from the %s deploy"}
	prose   = []string{"The change was reviewed and tested in staging, where the traffic pattern differs.", "Responders had the dashboards they needed once the right one was found.", "The alert fired after customers had already noticed.", "Several teams joined the call, which slowed the first decisions.", "The runbook described an older version of the system.", "Nothing in the deploy pipeline compared the new limits with production traffic.", "The rollback itself took twenty minutes because the image had to be rebuilt."}
	// blameful are sentences the lint rules for blameless language must
	// flag; one in eight incidents carries one, so the lint benchmark has
	// findings to report.
	blameful = []string{"%s forgot to renew the certificate.", "The on-call engineer should have checked the dashboard first.", "Obviously the config was wrong.", "This was caused by a careless change from %s.", "If %s had read the runbook, this could have been avoided.", "%s simply ignored the alert."}
	kinds    = []string{"prevent", "detect", "clarify", "automate"}
)

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

// fill replaces each %s with a service or person and each %d with a number.
func (g *gen) fill(tmpl, svc string) string {
	var b strings.Builder
	for i := 0; i < len(tmpl); i++ {
		if tmpl[i] == '%' && i+1 < len(tmpl) {
			switch tmpl[i+1] {
			case 's':
				b.WriteString(svc)
				i++
				continue
			case 'd':
				fmt.Fprint(&b, 5+g.r.IntN(95))
				i++
				continue
			case '%':
				b.WriteByte('%')
				i++
				continue
			}
		}
		b.WriteByte(tmpl[i])
	}
	return b.String()
}

// weighted picks an index with the given weights.
func (g *gen) weighted(w ...int) int {
	total := 0
	for _, x := range w {
		total += x
	}
	n := g.r.IntN(total)
	for i, x := range w {
		if n < x {
			return i
		}
		n -= x
	}
	return len(w) - 1
}

func (g *gen) distinct(list []string, n int) []string {
	out := []string{}
	for _, i := range g.r.Perm(len(list))[:min(n, len(list))] {
		out = append(out, list[i])
	}
	return out
}

func (g *gen) incident() Incident {
	span := g.to.Sub(g.from)
	started := g.from.Add(time.Duration(g.r.Int64N(int64(span/time.Minute))) * time.Minute)
	svcs := g.distinct(services, 1+g.weighted(5, 3, 1))
	svc := svcs[0]
	title := g.fill(g.pick(titles), svc)
	if len(title) > 0 {
		title = strings.ToUpper(title[:1]) + title[1:]
	}
	severity := []string{"SEV1", "SEV2", "SEV3", "SEV4"}[g.weighted(1, 4, 9, 6)]
	status := []string{"closed", "resolved", "mitigated", "investigating"}[g.weighted(14, 3, 2, 1)]
	commander := g.pick(people)
	authors := append([]string{commander}, g.distinct(people, g.r.IntN(3))...)
	authors = dedupe(authors)

	detected := started.Add(time.Duration(g.r.IntN(90)) * time.Minute)
	mitigated := detected.Add(time.Duration(5+g.r.IntN(240)) * time.Minute)
	resolved := mitigated.Add(time.Duration(g.r.IntN(48*60)) * time.Minute)
	var mit, res time.Time
	if status != "investigating" {
		mit = mitigated
	}
	if status == "resolved" || status == "closed" {
		res = resolved
	}
	det := detected
	if g.r.IntN(40) == 0 { // a hand-edited file that lost a timestamp
		det = time.Time{}
	}

	id := started.Format("2006-01-02") + "-" + slug(title)
	for n := 2; g.taken[id]; n++ {
		id = fmt.Sprintf("%s-%d", started.Format("2006-01-02")+"-"+slug(title), n)
	}
	g.taken[id] = true

	var log strings.Builder
	t := detected
	step := func() time.Time { t = t.Add(time.Duration(1+g.r.IntN(6)) * time.Minute); return t }
	who := func() string { return authors[g.r.IntN(len(authors))] }
	entry := func(e incident.Entry) { e.Author = who(); log.WriteString(incident.FormatEntry(e)) }
	entry(incident.Entry{Time: step(), Kind: "down", System: svc, Text: g.fill(g.pick(observe), svc)})
	for range g.r.IntN(4) {
		entry(incident.Entry{Time: step(), Kind: "observe", Text: g.fill(g.pick(observe), g.pick(services))})
	}
	if g.r.IntN(5) == 0 {
		entry(incident.Entry{Time: step(), Kind: "observe", Text: svc + " log:\n" + fmt.Sprintf("%s ERROR upstream connect() failed (111: Connection refused)\n%s ERROR retrying in 5s", step().Format(time.RFC3339), step().Format(time.RFC3339))})
	}
	entry(incident.Entry{Time: step(), Kind: "up", System: g.pick(services), Text: "healthy"})
	entry(incident.Entry{Time: step(), Kind: "orient", Text: "the last deploy of " + svc + " went out shortly before the errors began"})
	h := 0
	for range g.r.IntN(3) {
		h++
		hid := fmt.Sprintf("H%d", h)
		entry(incident.Entry{Time: step(), Kind: "hypothesis", Hypothesis: hid, Text: g.fill(g.pick(wrong), svc)})
		entry(incident.Entry{Time: step(), Kind: "refuted", Hypothesis: hid, Text: g.fill(g.pick(observe), svc)})
	}
	if status != "investigating" || g.r.IntN(2) == 0 {
		h++
		hid := fmt.Sprintf("H%d", h)
		entry(incident.Entry{Time: step(), Kind: "hypothesis", Hypothesis: hid, Text: g.fill(g.pick(causes), svc)})
		if status != "investigating" {
			entry(incident.Entry{Time: step(), Kind: "confirmed", Hypothesis: hid, Text: g.fill(g.pick(observe), svc)})
		}
	}
	if status != "investigating" {
		entry(incident.Entry{Time: step(), Kind: "act", Text: g.fill(g.pick(acts), svc)})
		mit = maxTime(step(), mitigated)
		entry(incident.Entry{Time: mit, Kind: "mitigated", Text: svc + " answers again"})
		t = mit
	}
	if !res.IsZero() {
		res = maxTime(step(), resolved)
		entry(incident.Entry{Time: res, Kind: "resolved", Text: "fix deployed"})
		t = res
	}
	if status == "closed" {
		entry(incident.Entry{Time: step().Add(24 * time.Hour), Kind: "closed"})
	}

	var b strings.Builder
	fmt.Fprintf(&b, "---\nid: %s\ntitle: %q\nstatus: %s\nseverity: %s\nstarted: %s\ndetected: %s\nmitigated: %s\nresolved: %s\ncommander: %s\nauthors: [%s]\nservices: [%s]\ntags: [%s]\n",
		id, title, status, severity, ts(started), ts(det), ts(mit), ts(res), commander,
		strings.Join(authors, ", "), strings.Join(svcs, ", "), strings.Join(g.distinct(tags, g.r.IntN(3)), ", "))
	if g.r.IntN(50) == 0 {
		b.WriteString("private: true\n")
	}
	b.WriteString("---\n\n# " + title + "\n\n")

	b.WriteString("## Summary\n\n" + g.fill(g.pick(prose), svc) + " " + g.fill(g.pick(prose), svc) + "\n\n")
	fmt.Fprintf(&b, "## Impact\n\nAbout %d%% of requests to %s failed for %d minutes.\n\n", 1+g.r.IntN(99), svc, int(mitigated.Sub(started).Minutes()))

	b.WriteString("## Investigation log\n")
	b.WriteString(log.String())

	b.WriteString("\n## Timeline\n\n")
	fmt.Fprintf(&b, "- %s impact began\n- %s detected\n", started.Format("15:04"), detected.Format("15:04"))
	if !mit.IsZero() {
		fmt.Fprintf(&b, "- %s mitigated\n", mit.Format("15:04"))
	}
	b.WriteString("\n## Contributing factors\n\n")
	for range 1 + g.r.IntN(3) {
		b.WriteString("- " + g.fill(g.pick(prose), svc) + "\n")
	}
	if g.r.IntN(8) == 0 {
		b.WriteString("- " + g.fill(g.pick(blameful), strings.ToUpper(who()[:1])+who()[1:]) + "\n")
	}

	b.WriteString("\n## Action items\n\n")
	if status != "investigating" {
		for range g.r.IntN(6) {
			a := incident.Action{Text: g.fill(g.pick(action), svc), Owner: "@" + g.pick(people), Kind: g.pick(kinds)}
			due := started.AddDate(0, 0, 7+g.r.IntN(60))
			if g.r.IntN(10) > 0 {
				a.Due = due.Format("2006-01-02")
			}
			if g.r.IntN(2) == 0 {
				a.Ticket = fmt.Sprintf("https://tracker.example/OPS-%d", 100+g.r.IntN(9900))
			}
			a.Done = due.Before(g.to) && g.r.IntN(4) > 0
			b.WriteString(incident.FormatAction(a))
		}
	}
	b.WriteString("\n## Lessons learned\n\n" + g.fill(g.pick(prose), svc) + "\n")
	return Incident{ID: id, Src: []byte(b.String())}
}

func ts(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	out := in[:0]
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// slug is the lower-case words of s joined by "-", at most 50 bytes.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	out := b.String()
	if len(out) > 50 {
		out = strings.TrimRight(out[:50], "-")
	}
	return out
}
