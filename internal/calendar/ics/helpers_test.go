package ics

import (
	"strings"
	"testing"
)

// head is the start of every test calendar: its first BEGIN:VEVENT is line 4.
const head = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//svcflow//test//EN\n"

// cal wraps events (from ev) in a calendar, with LF line ends.
func cal(events ...string) string {
	return head + strings.Join(events, "") + "END:VCALENDAR\n"
}

// ev is one VEVENT holding props, one per line: it takes len(props)+2 lines.
func ev(props ...string) string {
	return "BEGIN:VEVENT\n" + strings.Join(props, "\n") + "\nEND:VEVENT\n"
}

// dates formats closed dates as "YYYY-MM-DD summary" for comparison.
func dates(ds []Date) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = strings.TrimSpace(d.Date + " " + d.Summary)
	}
	return out
}

// errLines splits an error into its lines ("" for nil).
func errLines(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	return strings.Split(err.Error(), "\n")
}
