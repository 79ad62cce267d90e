package incident

import "testing"

func TestDateProblem(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"2026-12-08", ""},
		{"2028-02-29", ""},
		{"2026-02-29", "is not a real date: February 2026 has 28 days"},
		{"2026-02-30", "is not a real date: February 2026 has 28 days"},
		{"2026-04-31", "is not a real date: April 2026 has 30 days"},
		{"2026-13-01", "is not a real date: there is no month 13"},
		{"2026-00-10", "is not a real date: there is no month 0"},
		{"2026-01-00", "is not a real date: January 2026 has 31 days"},
		{"tomorrow", "is not a date"},
		{"2026-1-5", "is not a date"},
		{"2026/12/08", "is not a date"},
		{"+026-12-08", "is not a date"},
		{"", "is not a date"},
	} {
		if got := DateProblem(tc.in); got != tc.want {
			t.Errorf("DateProblem(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
