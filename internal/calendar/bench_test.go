package calendar

import (
	"testing"
	"time"
)

var sinkTime time.Time
var sinkDur time.Duration

// thirtyDays is 30 calendar days of the office week: 22 working days of 8h.
const thirtyDays = 22 * 8 * time.Hour

func benchCal(b *testing.B, zone string) *Calendar {
	spec := officeSpec(zone)
	spec.Holidays = []Day{{Date: "2026-10-01"}, {Date: "2026-12-31", Windows: w("09:00-12:00")}}
	spec.Workdays = []Day{{Date: "2026-10-10"}}
	return MustNew(spec)
}

// BenchmarkAdd30Days adds about 30 calendar days of working time.
func BenchmarkAdd30Days(b *testing.B) {
	c := benchCal(b, "Asia/Shanghai")
	start := time.Date(2026, 11, 2, 10, 30, 0, 0, c.loc)
	b.ReportAllocs()
	for b.Loop() {
		sinkTime = c.Add(start, thirtyDays)
	}
}

// BenchmarkAdd30DaysDST crosses a DST change (New York, March 2027).
func BenchmarkAdd30DaysDST(b *testing.B) {
	c := benchCal(b, "America/New_York")
	start := time.Date(2027, 2, 25, 10, 30, 0, 0, c.loc)
	b.ReportAllocs()
	for b.Loop() {
		sinkTime = c.Add(start, thirtyDays)
	}
}

// BenchmarkAdd2wd is the common case: a two-working-day target.
func BenchmarkAdd2wd(b *testing.B) {
	c := benchCal(b, "Asia/Shanghai")
	start := time.Date(2026, 11, 6, 16, 30, 0, 0, c.loc)
	b.ReportAllocs()
	for b.Loop() {
		sinkTime = c.Add(start, 16*time.Hour)
	}
}

// BenchmarkBetween30Days measures 30 calendar days.
func BenchmarkBetween30Days(b *testing.B) {
	c := benchCal(b, "Europe/Berlin")
	start := time.Date(2026, 10, 10, 10, 30, 0, 0, c.loc)
	end := start.AddDate(0, 0, 30)
	b.ReportAllocs()
	for b.Loop() {
		sinkDur = c.Between(start, end)
	}
}

// BenchmarkAddYear adds a year of working time.
func BenchmarkAddYear(b *testing.B) {
	c := benchCal(b, "Europe/Berlin")
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, c.loc)
	b.ReportAllocs()
	for b.Loop() {
		sinkTime = c.Add(start, 250*8*time.Hour)
	}
}

// BenchmarkIsOpen is one membership test.
func BenchmarkIsOpen(b *testing.B) {
	c := benchCal(b, "America/Sao_Paulo")
	t := time.Date(2026, 11, 4, 12, 30, 0, 0, c.loc)
	b.ReportAllocs()
	for b.Loop() {
		if c.IsOpen(t) {
			b.Fatal("open at lunch")
		}
	}
}

// BenchmarkDuePaused is a business SLA clock with two pauses.
func BenchmarkDuePaused(b *testing.B) {
	c := benchCal(b, "Asia/Shanghai")
	s := time.Date(2026, 11, 2, 10, 0, 0, 0, c.loc)
	clk := Clock{Kind: Business, Start: s, Target: 16 * time.Hour, Pauses: []Pause{
		{From: s.Add(2 * time.Hour), To: s.Add(5 * time.Hour)},
		{From: s.Add(26 * time.Hour), To: s.Add(30 * time.Hour)},
	}}
	b.ReportAllocs()
	for b.Loop() {
		sinkTime, _ = c.Due(clk)
	}
}
