package calendar

import (
	"testing"
	"time"
)

// w parses windows for tests: w("09:00-12:00", "13:00-18:00").
func w(ss ...string) []Window {
	out := make([]Window, len(ss))
	for i, s := range ss {
		win, err := ParseWindow(s)
		if err != nil {
			panic(err)
		}
		out[i] = win
	}
	return out
}

// weekdays builds a Week with the same windows Monday to Friday.
func weekdays(wins []Window) [7][]Window {
	var wk [7][]Window
	for d := time.Monday; d <= time.Friday; d++ {
		wk[d] = wins
	}
	return wk
}

// everyDay builds a Week with the same windows on all seven days.
func everyDay(wins []Window) [7][]Window {
	var wk [7][]Window
	for d := range 7 {
		wk[d] = wins
	}
	return wk
}

// officeSpec is CONTRACT §4's default calendar in a given zone.
func officeSpec(zone string) Spec {
	return Spec{Zone: zone, Week: weekdays(w("09:00-12:00", "13:00-18:00"))}
}

// at parses an RFC 3339 instant (with offset) for tests.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("bad instant %q: %v", s, err)
	}
	return v
}

// oracleOpen is an independent definition of working time: the wall clock
// in the zone at t shows a time inside a window of that local date.
func oracleOpen(c *Calendar, t time.Time) bool {
	l := t.In(c.loc)
	y, m, d := l.Date()
	sod := l.Hour()*3600 + l.Minute()*60 + l.Second()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / daySec
	wins := c.week[l.Weekday()]
	for _, e := range c.exc {
		if e.day == day {
			wins = e.wins
		}
	}
	for _, win := range wins {
		if win.Start <= sod && sod < win.End {
			return true
		}
	}
	return false
}

// oracleBetween counts working time in [a, b) second by second with
// oracleOpen; a and b must be whole seconds.
func oracleBetween(c *Calendar, a, b time.Time) time.Duration {
	var n time.Duration
	for t := a; t.Before(b); t = t.Add(time.Second) {
		if oracleOpen(c, t) {
			n += time.Second
		}
	}
	return n
}
