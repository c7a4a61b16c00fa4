package report

import (
	"fmt"
	"time"
)

// DefaultPeriod is the period when neither bound is given: the last 30 days.
const DefaultPeriod = 30 * 24 * time.Hour

// dateLayout is the day form of --from and --to.
const dateLayout = "2006-01-02"

// ParsePeriod reads --from and --to: RFC 3339 instants, or YYYY-MM-DD days
// in loc. A day given as --to includes that whole day (the period ends at
// the next midnight). A missing --to is now; a missing --from is
// DefaultPeriod before --to. The period must not be empty.
func ParsePeriod(from, to string, now time.Time, loc *time.Location) (time.Time, time.Time, error) {
	if loc == nil {
		loc = time.UTC
	}
	end := now
	if to != "" {
		t, day, err := parseBound(to, loc)
		if err != nil {
			return time.Time{}, time.Time{}, fmt.Errorf("to: %w", err)
		}
		if day {
			t = time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, loc)
		}
		end = t
	}
	start := end.Add(-DefaultPeriod)
	if from != "" {
		t, _, err := parseBound(from, loc)
		if err != nil {
			return time.Time{}, time.Time{}, fmt.Errorf("from: %w", err)
		}
		start = t
	}
	if !start.Before(end) {
		return time.Time{}, time.Time{}, fmt.Errorf("from: %s is not before to %s", start.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	return start, end, nil
}

// parseBound parses one bound; day says it was a YYYY-MM-DD day.
func parseBound(s string, loc *time.Location) (time.Time, bool, error) {
	if t, err := time.ParseInLocation(dateLayout, s, loc); err == nil {
		return t, true, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("%q: want RFC 3339 (2026-11-01T00:00:00+08:00) or a day (2026-11-01)", s)
	}
	return t, false, nil
}
