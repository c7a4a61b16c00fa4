package ics

import "github.com/svcflow/svcflow/internal/calendar"

// Date is one closed date read from an iCalendar file.
type Date struct {
	Date    string `json:"date"`    // YYYY-MM-DD, as in calendar.Day
	Summary string `json:"summary"` // SUMMARY of the event(s) closing it, distinct ones joined by "; "; may be empty
}

// Days turns closed dates into calendar holidays (closed all day), ready for
// calendar.Spec.Holidays.
func Days(dates []Date) []calendar.Day {
	out := make([]calendar.Day, len(dates))
	for i, d := range dates {
		out[i] = calendar.Day{Date: d.Date}
	}
	return out
}
