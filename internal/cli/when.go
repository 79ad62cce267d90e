package cli

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// parseWhen reads a time the way people type it during an incident: a full
// RFC 3339 time, a date and time without zone ("2026-11-24 09:10", taken in
// loc), or just "HH:MM" meaning today in loc (the responder's zone,
// workspace.zone). A time in the future is
// refused: nobody notices something before it happens, and a typo such as
// 19:10 for 09:10 would otherwise sort an entry after everything else.
func parseWhen(s string, now time.Time, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return checkPast(t.UTC(), s, now, loc)
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return checkPast(t.UTC(), s, now, loc)
		}
	}
	for _, layout := range []string{"15:04", "15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			n := now.In(loc)
			d := time.Date(n.Year(), n.Month(), n.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc)
			got, err := checkPast(d.UTC(), s, now, loc)
			if err != nil {
				// Just after midnight, 23:50 means yesterday.
				y := d.AddDate(0, 0, -1).Format("2006-01-02 15:04")
				err = fmt.Errorf("%v; for yesterday write %q", err, y)
			}
			return got, err
		}
	}
	return time.Time{}, fmt.Errorf("time %q is not understood; write 09:10 (today), 2026-11-24 09:10 or 2026-11-24T09:10:00Z", s)
}

// errInFuture is why parseWhen refused a time, for callers that word
// their own messages for other failures (pm changes --since).
var errInFuture = errors.New("in the future")

func checkPast(t time.Time, s string, now time.Time, loc *time.Location) (time.Time, error) {
	if t.After(now.Add(time.Minute)) {
		return time.Time{}, fmt.Errorf("time %q is %w (now is %s)", s, errInFuture, now.In(loc).Format("2006-01-02 15:04 MST"))
	}
	return t, nil
}
