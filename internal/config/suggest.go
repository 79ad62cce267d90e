package config

import "strings"

// Closest returns the candidate that s most likely misspells — the only
// candidate s is a prefix of (4 characters or more), else the nearest by
// edit distance within 2 — or "" when none is close. It serves every
// "did you mean" of pm: unknown .pm.yml keys, frontmatter keys and rule
// names in lint.
func Closest(s string, candidates []string) string {
	best, bestD := "", 3
	prefixed := 0
	for _, c := range candidates {
		if len(s) >= 4 && strings.HasPrefix(c, strings.ToLower(s)) && c != s {
			prefixed++
			best = c
		}
	}
	if prefixed == 1 {
		return best
	}
	best = ""
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(s), c); d < bestD && d > 0 {
			best, bestD = c, d
		}
	}
	if len(s) <= 3 && bestD > 1 {
		return ""
	}
	return best
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		return 1 << 30 // not a typo; and bounded work on hostile input
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
