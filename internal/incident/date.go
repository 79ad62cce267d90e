package incident

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DateProblem says why s is not a calendar date written YYYY-MM-DD ("is
// not a date", or "is not a real date: February 2026 has 28 days"), or ""
// when it is one. One wording for an action item's due field in lint and
// for --due and --since on the command line.
func DateProblem(due string) string {
	if _, err := time.Parse(time.DateOnly, due); err == nil {
		return ""
	}
	if len(due) != 10 || due[4] != '-' || due[7] != '-' {
		return "is not a date"
	}
	y, e1 := strconv.Atoi(due[:4])
	mo, e2 := strconv.Atoi(due[5:7])
	day, e3 := strconv.Atoi(due[8:])
	switch {
	case e1 != nil || e2 != nil || e3 != nil || strings.ContainsAny(due, "+ "):
		return "is not a date"
	case mo < 1 || mo > 12:
		return fmt.Sprintf("is not a real date: there is no month %d", mo)
	}
	last := time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if day < 1 || day > last {
		return fmt.Sprintf("is not a real date: %s %d has %d days", time.Month(mo), y, last)
	}
	return "is not a date"
}
