package cli

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"

	"github.com/pm-tool/pm/internal/incident"
)

// printable makes text from an incident file safe to print on a terminal
// (incident.Printable says what and why).
func printable(s string) string { return incident.Printable(s) }

// Layout is measured in terminal cells, not characters: a CJK character or
// an emoji takes two, a combining accent none, and a board counted in runes
// ran to 120 columns of an 80-column terminal. go-runewidth knows the East
// Asian widths and grapheme clusters (with uax29); counting them by hand
// would be wrong for every new Unicode version.

// cells is the width of s on a terminal.
func cells(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if s[i] < 0x80 {
			n, i = n+1, i+1
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !narrow(r) {
			return runewidth.StringWidth(s)
		}
		n, i = n+1, i+size
	}
	return n // ASCII and pm's own marks, the common case: 20,000 rows of pm actions
}

// narrow is the few non-ASCII characters pm itself writes in columns
// (the "…" of a clipped cell, "·", "—", "–", "’"), one cell wide outside
// East Asian locales, where go-runewidth counts these ambiguous-width
// characters as two; measuring them without it keeps pm actions' 20,000
// clipped rows cheap.
func narrow(r rune) bool {
	switch r {
	case '…', '·', '—', '–', '’':
		return !runewidth.DefaultCondition.EastAsianWidth
	}
	return false
}

// ascii reports whether s is all ASCII, where a byte is a cell.
func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// clip shortens s to n cells, marking the cut, after making it printable:
// everything pm lays out in columns goes through here.
func clip(s string, n int) string {
	if plainASCII(s) {
		// What the rest gives for printable ASCII, without its passes:
		// pm actions clips 24,000 texts.
		if len(s) <= n || n < 1 {
			return s
		}
		return strings.TrimRight(s[:n-1], " ") + "…"
	}
	s = printable(s)
	if len(s) <= n || n < 1 { // a cell takes at least a byte
		return s
	}
	if cells(s) <= n {
		return s
	}
	// A cut just after a word would leave "on …": the space goes.
	var t string
	if ascii(s) {
		t = s[:n-1] // what runewidth.Truncate keeps, without its grapheme walk
	} else {
		t = strings.TrimSuffix(runewidth.Truncate(s, n, "…"), "…")
	}
	return strings.TrimRight(t, " ") + "…"
}

// clipMiddle shortens s to n cells by cutting its middle, for names whose
// end tells them apart: payments-gateway-eu-west-1 is payme…eu-west-1, and
// two ids of one day keep their different endings.
func clipMiddle(s string, n int) string {
	s = printable(s)
	if len(s) <= n || n < 3 || cells(s) <= n {
		return clip(s, n)
	}
	tail := (n - 1) * 3 / 5 // the end distinguishes more often than the start
	head := n - 1 - tail
	t := runewidth.TruncateLeft(s, cells(s)-tail, "")
	return runewidth.Truncate(s, head, "") + "…" + t
}

// padRight fills s with spaces to n cells.
func padRight(s string, n int) string {
	if w := cells(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}

// withAuthor is a board line with its author after it, in width cells:
// the line is clipped, never the author's name away (a name is capped at
// 24 cells, so a long one cannot push the entry off the line).
func withAuthor(line, author string, width int) string {
	if author == "" {
		return clip(line, width)
	}
	suffix := " (" + clip(author, 24) + ")"
	return clip(line, width-cells(suffix)) + suffix
}

// idCells lays out a column of incident ids between least and most
// cells wide so that each cell still names one incident among all, as -i
// takes it: clipped at the end while that leaves a unique prefix, else in
// the middle, keeping the end that tells ids of one day apart
// (…-requests, …-requests-2), which pickByID matches by both ends. Two
// such ids clipped at the end would look the same and the prefix shown
// would be ambiguous.
func idCells(ids, all []string, least, most int) (width int, shown []string) {
	sorted := slices.Clone(all)
	slices.Sort(sorted)
	need := func(id string) int { // cells of the shortest unique prefix and its "…"
		i, _ := slices.BinarySearch(sorted, id)
		n := 0
		for _, j := range []int{i - 1, i, i + 1} {
			if j >= 0 && j < len(sorted) && sorted[j] != id {
				n = max(n, commonPrefix(id, sorted[j]))
			}
		}
		if n >= len(id) {
			return cells(id)
		}
		return cells(id[:n+1]) + 1
	}
	// pm actions names each incident once per action item: work out each
	// id once.
	known := make(map[string]int, len(all))
	needs := make([]int, len(ids))
	width = least
	for i, id := range ids {
		n, ok := known[id]
		if !ok {
			n = need(id)
			known[id] = n
		}
		needs[i] = n
		width = max(width, min(n, most))
	}
	shown = make([]string, len(ids))
	clipped := make(map[string]string, len(known))
	for i, id := range ids {
		if c, ok := clipped[id]; ok {
			shown[i] = c
			continue
		}
		switch {
		case cells(id) <= width:
			shown[i] = id
		case needs[i] <= width:
			shown[i] = clip(id, width)
		default:
			shown[i] = clipMiddle(id, width)
		}
		clipped[id] = shown[i]
	}
	return width, shown
}

// commonPrefix is the length in bytes of the prefix a and b share.
func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}
