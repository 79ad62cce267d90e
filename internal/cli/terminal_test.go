package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/mattn/go-runewidth"

	"github.com/pm-tool/pm/internal/incident"
)

func TestClipIsPrintable(t *testing.T) {
	if got := clip("\x1b[2Jabcdef", 4); got != "\uFFFD[2…" {
		t.Errorf("clip sanitises before it counts: %q", got)
	}
}

func TestCellLayout(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		clip string
		mid  string
	}{
		{"api", 12, "api", "api"},
		{"payments-gateway-eu-west-1", 12, "payments-ga…", "payme…west-1"},
		{"2026-11-24-api-returns-502", 22, "2026-11-24-api-return…", "2026-11-2…-returns-502"},
		{"2026-11-24-api-returns-503", 22, "2026-11-24-api-return…", "2026-11-2…-returns-503"},
		{"支付网关超时导致结账失败", 12, "支付网关超…", "支付…账失败"},
		{"🔥🔥🔥 checkout down", 10, "🔥🔥🔥 ch…", "🔥🔥… down"},
		{"café", 4, "café", "café"},
	} {
		if got := clip(tc.in, tc.n); got != tc.clip || cells(got) > tc.n {
			t.Errorf("clip(%q, %d) = %q (%d cells), want %q", tc.in, tc.n, got, cells(got), tc.clip)
		}
		if got := clipMiddle(tc.in, tc.n); got != tc.mid || cells(got) > tc.n {
			t.Errorf("clipMiddle(%q, %d) = %q (%d cells), want %q", tc.in, tc.n, got, cells(got), tc.mid)
		}
	}
	if got := withAuthor("  09:14  observe       "+strings.Repeat("x", 70), strings.Repeat("VeryLongName", 6), 80); cells(got) > 80 || !strings.Contains(got, "observe") {
		t.Errorf("a long author name took the entry's place: %q", got)
	}
	if got := cells("结账 ok"); got != 7 {
		t.Errorf("cells = %d, want 7", got)
	}
}

// TestBoardFitsWithWideText: pm status's board stays within 80 cells with
// CJK and emoji in titles, systems, entries and names (it counted runes and
// ran to 120 columns).
func TestBoardFitsWithWideText(t *testing.T) {
	at := func(m int) time.Time { return time.Date(2026, 11, 24, 9, m, 0, 0, time.UTC) }
	long := "结账服务在高峰期间大量超时，支付网关返回错误，用户无法完成订单 🔥🔥🔥 checkout is down for everyone"
	d := &incident.Doc{Meta: incident.Meta{ID: "2026-11-24-结账服务超时-checkout-timeouts", Title: long, Status: "investigating", Severity: "SEV1", Started: at(0)},
		Entries: []incident.Entry{
			{Time: at(1), Kind: "down", System: "支付网关-payments-gateway-eu-west-1", Text: long, Author: "山田太郎 (Taro Yamada)"},
			{Time: at(2), Kind: "observe", Text: long, Author: strings.Repeat("很长的名字", 10)},
			{Time: at(3), Kind: "hypothesis", Hypothesis: "H1", Text: long, Author: "👩‍💻 Ana"},
		}}
	d.Hypotheses = []incident.Hypothesis{{ID: "H1", Text: long, State: "open", Opened: at(3)}}
	var out bytes.Buffer
	printBoard(&out, incident.NewBoard(d, at(30), 5, nil), palette{}, time.UTC, true)
	for i, l := range strings.Split(strings.TrimRight(out.String(), "\n"), "\n") {
		if w := cells(l); w > 80 {
			t.Errorf("line %d is %d cells: %q", i+1, w, l)
		}
	}
	for _, want := range []string{"山田太郎", "observe", "H1", "…west-1"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the board lost %q:\n%s", want, out.String())
		}
	}
}

// TestFastCellsAgree: the fast paths of cells and clip (ASCII, pm's own
// narrow marks) give what go-runewidth gives, on mixed text.
func TestFastCellsAgree(t *testing.T) {
	old := func(s string, n int) string {
		s = printable(s)
		if len(s) <= n || runewidth.StringWidth(s) <= n {
			return s
		}
		return strings.TrimRight(strings.TrimSuffix(runewidth.Truncate(s, n, "…"), "…"), " ") + "…"
	}
	for _, s := range []string{
		"", "api", "Document the runbook for queue backlog", "Alert on queue… depth", "a — b · c – d ’e’",
		"2023-01-02-ra…affic-to-scheduler", "café au lait", "支払いが失敗する", "👩‍👩‍👧 family", "e\u0301 combining",
	} {
		if got, want := cells(s), runewidth.StringWidth(s); got != want {
			t.Errorf("cells(%q) = %d, want %d", s, got, want)
		}
		for n := 1; n <= 14; n++ {
			if got, want := clip(s, n), old(s, n); got != want {
				t.Errorf("clip(%q, %d) = %q, want %q", s, n, got, want)
			}
		}
	}
}

// TestPlainCellsAgree: writeTable's fast path for printable ASCII cells
// prints what clip, clipMiddle and cells print, on cells that fit and
// cells that are clipped, beside cells that are not plain (wide, control
// characters, tabs, pm's own marks).
func TestPlainCellsAgree(t *testing.T) {
	words := []string{"", "-", "api", "Document the runbook for queue backlog", "a\tb", "x\x1b[31m", "支払い", "a — b", "2026-11-24-api-returns-502s-on-checkout", "db,cache", "trailing  "}
	cols := []column{{head: "ID", max: 12, middle: true}, {head: "#", max: 3, right: true}, {head: "TEXT"}, {head: "OWNER", max: 6}}
	var rows [][]string
	for i := range 200 {
		row := make([]string, len(cols))
		for j := range row {
			row[j] = words[(i*7+j*3+i/5)%len(words)]
		}
		rows = append(rows, row)
	}
	for _, width := range []int{40, 80, 100} {
		var fast, slow bytes.Buffer
		writeTable(&fast, width, cols, rows)
		plainCells = false
		writeTable(&slow, width, cols, rows)
		plainCells = true
		if fast.String() != slow.String() {
			t.Fatalf("width %d: the fast path printed\n%s\nwhere clip prints\n%s", width, fast.String(), slow.String())
		}
	}
}
