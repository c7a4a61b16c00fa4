package sla

import (
	"time"

	"github.com/svcflow/svcflow/internal/calendar"
)

// Format writes t in RFC 3339 in the calendar's zone ("" for zero).
func Format(t time.Time, cal *calendar.Calendar) string {
	if t.IsZero() {
		return ""
	}
	if cal != nil {
		t = t.In(cal.Location())
	}
	return t.Format(time.RFC3339)
}
