package site

import (
	"fmt"
	"io/fs"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// cssVars reads the custom properties of site.css: those of the first
// :root block (light) and those the prefers-color-scheme: dark block sets
// over them.
func cssVars(t *testing.T, css string) (light, dark map[string]string) {
	t.Helper()
	decl := regexp.MustCompile(`(--[a-z0-9-]+)\s*:\s*([^;]+);`)
	read := func(block string, into map[string]string) {
		for _, m := range decl.FindAllStringSubmatch(block, -1) {
			into[m[1]] = strings.TrimSpace(m[2])
		}
	}
	i := strings.Index(css, ":root {")
	j := strings.Index(css, "@media (prefers-color-scheme: dark)")
	if i < 0 || j < i {
		t.Fatal("site.css has no :root block followed by a prefers-color-scheme: dark block")
	}
	light, dark = map[string]string{}, map[string]string{}
	read(css[i:j], light)
	end := strings.Index(css[j:], "\n}\n")
	if end < 0 {
		t.Fatal("the dark block of site.css does not end")
	}
	for k, v := range light {
		dark[k] = v
	}
	read(css[j:j+end], dark)
	return light, dark
}

// colour resolves a value (#rgb, #rrggbb or var(--x)) to its sRGB channels.
func colour(vars map[string]string, v string) ([3]float64, error) {
	for n := 0; strings.HasPrefix(v, "var(") && n < 5; n++ {
		name := strings.TrimSuffix(strings.TrimPrefix(v, "var("), ")")
		w, ok := vars[name]
		if !ok {
			return [3]float64{}, fmt.Errorf("%s is not set", name)
		}
		v = w
	}
	h := strings.TrimPrefix(v, "#")
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	if len(h) != 6 {
		return [3]float64{}, fmt.Errorf("%q is not a colour this test reads", v)
	}
	var c [3]float64
	for i := range 3 {
		x, err := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
		if err != nil {
			return c, err
		}
		c[i] = float64(x) / 255
	}
	return c, nil
}

// contrast is the WCAG 2 contrast ratio of two colours.
func contrast(a, b [3]float64) float64 {
	lum := func(c [3]float64) float64 {
		var l [3]float64
		for i, v := range c {
			if v <= 0.04045 {
				l[i] = v / 12.92
			} else {
				l[i] = math.Pow((v+0.055)/1.055, 2.4)
			}
		}
		return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
	}
	x, y := lum(a), lum(b)
	if x < y {
		x, y = y, x
	}
	return (x + 0.05) / (y + 0.05)
}

// TestContrast: every pair of text and background colours the stylesheet
// uses for badges, muted text and links reaches WCAG 2.2 AA (4.5:1; the
// badges are small text) in the light and the dark theme. Each pair names
// the rule of site.css that makes it, so that a rule changed without the
// pair fails here too.
func TestContrast(t *testing.T) {
	b, err := fs.ReadFile(assets(t), "site.css")
	if err != nil {
		t.Fatal(err)
	}
	css := string(b)
	light, dark := cssVars(t, css)
	pairs := []struct{ rule, fg, bg string }{
		{"body { margin: 0; background: var(--bg); color: var(--fg);", "var(--fg)", "var(--bg)"},
		{".muted, .lede { color: var(--muted); }", "var(--muted)", "var(--bg)"},
		{".filters label { display: flex; flex-direction: column; font-size: .78rem; color: var(--muted);", "var(--muted)", "var(--soft)"},
		{"a { color: var(--link);", "var(--link)", "var(--bg)"},
		{".top { border-bottom: 1px solid var(--line); background: var(--soft); }", "var(--link)", "var(--soft)"},
		{".milestones .m-gap { font-size: .85rem; color: var(--accent);", "var(--accent)", "var(--soft)"},
		{".sev { color: var(--on-badge); font-weight: 700; background: var(--sevx); }", "var(--on-badge)", "var(--sevx)"},
		{".sev.sev0 { background: var(--sev0); }", "var(--on-badge)", "var(--sev0)"},
		{".sev.sev1 { background: var(--sev1); }", "var(--on-badge)", "var(--sev1)"},
		{".sev.sev2 { background: var(--sev2); color: var(--on-light-badge); }", "var(--on-light-badge)", "var(--sev2)"},
		{".sev.sev3 { background: var(--sev3); }", "var(--on-badge)", "var(--sev3)"},
		{".sev.sev4 { background: var(--sev4); }", "var(--on-badge)", "var(--sev4)"},
		{".st-investigating { border-color: var(--sev0); color: var(--sev0); }", "var(--sev0)", "var(--bg)"},
		{".st-mitigated { border-color: var(--sev1); color: var(--sev1); }", "var(--sev1)", "var(--bg)"},
		{".tag { background: var(--soft); border: 1px solid var(--line); color: var(--muted);", "var(--muted)", "var(--soft)"},
		{"color: var(--on-badge); background: var(--muted); }", "var(--on-badge)", "var(--muted)"},
		{".k-observe::before, .k-observe .kind { background: var(--k-observe); }", "var(--on-badge)", "var(--k-observe)"},
		{".k-orient::before, .k-orient .kind { background: var(--k-orient); }", "var(--on-badge)", "var(--k-orient)"},
		{".k-hypothesis::before, .k-hypothesis .kind, .k-decide::before, .k-decide .kind { background: var(--k-hyp); color: var(--on-light-badge); }", "var(--on-light-badge)", "var(--k-hyp)"},
		{".k-confirmed::before, .k-confirmed .kind, .k-up::before, .k-up .kind { background: var(--k-ok); }", "var(--on-badge)", "var(--k-ok)"},
		{".k-refuted::before, .k-refuted .kind, .k-down::before, .k-down .kind { background: var(--k-bad); }", "var(--on-badge)", "var(--k-bad)"},
		{".k-act::before, .k-act .kind { background: var(--k-act); }", "var(--on-badge)", "var(--k-act)"},
		{".k-reopened .kind { background: var(--k-mile); }", "var(--on-badge)", "var(--k-mile)"},
		{".hyp { padding: .5rem .75rem; margin: .4rem 0; border-left: 4px solid var(--k-hyp); background: var(--soft);", "var(--muted)", "var(--soft)"},
		{".hyp.h-confirmed .h-state { color: var(--k-ok); }", "var(--k-ok)", "var(--soft)"},
		{".hyp.h-refuted .h-state { color: var(--k-bad); }", "var(--k-bad)", "var(--soft)"},
		{".a-done .astate { color: var(--done);", "var(--done)", "var(--bg)"},
		{".a-overdue .astate { color: var(--on-badge); background: var(--overdue);", "var(--on-badge)", "var(--overdue)"},
		{".overdue-count { color: var(--overdue); }", "var(--overdue)", "var(--bg)"},
		{".chart .axis { fill: var(--muted);", "var(--muted)", "var(--bg)"},
		{".pager a[aria-current] { background: var(--accent); color: var(--bg);", "var(--bg)", "var(--accent)"},
		{".snippet mark { background: #fff2a8; color: #1d2125;", "#1d2125", "#fff2a8"},
	}
	for _, theme := range []struct {
		name string
		vars map[string]string
	}{{"light", light}, {"dark", dark}} {
		for _, p := range pairs {
			if !strings.Contains(css, p.rule) {
				t.Errorf("site.css has no rule %q", p.rule)
				continue
			}
			fg, err := colour(theme.vars, p.fg)
			if err != nil {
				t.Errorf("%s: %s: %v", theme.name, p.rule, err)
				continue
			}
			bg, err := colour(theme.vars, p.bg)
			if err != nil {
				t.Errorf("%s: %s: %v", theme.name, p.rule, err)
				continue
			}
			if r := contrast(fg, bg); r < 4.5 {
				t.Errorf("%s: %s on %s (%s): contrast %.2f:1, want at least 4.5:1", theme.name, p.fg, p.bg, p.rule, r)
			}
		}
	}
}

// TestContrastRatio checks the formula against figures WCAG's own tools give.
func TestContrastRatio(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want float64
	}{{"#000", "#fff", 21}, {"#fff", "#fff", 1}, {"#767676", "#fff", 4.54}, {"#e8710a", "#fff", 3.08}} {
		a, _ := colour(nil, c.a)
		b, _ := colour(nil, c.b)
		if got := contrast(a, b); math.Abs(got-c.want) > 0.01 {
			t.Errorf("contrast(%s, %s) = %.3f, want %.2f", c.a, c.b, got, c.want)
		}
	}
}
