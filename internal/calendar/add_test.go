package calendar

import (
	"testing"
	"time"
)

type addCase struct {
	name  string
	cal   string
	start string
	d     time.Duration
	want  string
}

// addCases assert exact instants (offset included) for Add.
var addCases = []addCase{
	// Start inside, before, after hours, on a weekend (office, 2026-11-02 is a Monday).
	{"inside hours", "office", "2026-11-02T10:00:00+08:00", time.Hour, "2026-11-02T11:00:00+08:00"},
	{"inside, across lunch", "office", "2026-11-02T11:30:00+08:00", time.Hour, "2026-11-02T13:30:00+08:00"},
	{"before hours", "office", "2026-11-02T07:00:00+08:00", time.Hour, "2026-11-02T10:00:00+08:00"},
	{"after hours", "office", "2026-11-02T19:00:00+08:00", time.Hour, "2026-11-03T10:00:00+08:00"},
	{"during lunch", "office", "2026-11-02T12:30:00+08:00", 30 * time.Minute, "2026-11-02T13:30:00+08:00"},
	{"saturday start", "office", "2026-11-07T10:00:00+08:00", 2 * time.Hour, "2026-11-09T11:00:00+08:00"},
	{"sunday last second", "office", "2026-11-08T23:59:59+08:00", time.Second, "2026-11-09T09:00:01+08:00"},
	{"opening exactly", "office", "2026-11-02T09:00:00+08:00", time.Second, "2026-11-02T09:00:01+08:00"},
	{"closing exactly as start", "office", "2026-11-02T18:00:00+08:00", time.Second, "2026-11-03T09:00:01+08:00"},
	// Closing-time edge: exactly vs one second more.
	{"closing edge exact", "office", "2026-11-02T17:59:59+08:00", time.Second, "2026-11-02T18:00:00+08:00"},
	{"closing edge +1s", "office", "2026-11-02T17:59:59+08:00", 2 * time.Second, "2026-11-03T09:00:01+08:00"},
	{"lunch edge exact", "office", "2026-11-02T11:59:59+08:00", time.Second, "2026-11-02T12:00:00+08:00"},
	{"lunch edge +1s", "office", "2026-11-02T11:59:59+08:00", 2 * time.Second, "2026-11-02T13:00:01+08:00"},
	{"sub-second exact", "office", "2026-11-02T17:59:59.5+08:00", 500 * time.Millisecond, "2026-11-02T18:00:00+08:00"},
	{"sub-second +1ms", "office", "2026-11-02T17:59:59.5+08:00", 501 * time.Millisecond, "2026-11-03T09:00:00.001+08:00"},
	{"whole day lands on closing", "office", "2026-11-02T09:00:00+08:00", 8 * time.Hour, "2026-11-02T18:00:00+08:00"},
	{"2wd from monday opening", "office", "2026-11-02T09:00:00+08:00", 16 * time.Hour, "2026-11-03T18:00:00+08:00"},
	// Friday afternoon into Monday (and Tuesday).
	{"friday into monday", "office", "2026-11-06T16:00:00+08:00", 4 * time.Hour, "2026-11-09T11:00:00+08:00"},
	{"friday 2wd into tuesday", "office", "2026-11-06T16:30:00+08:00", 16 * time.Hour, "2026-11-10T16:30:00+08:00"},
	// Zero target: start unchanged, even outside hours.
	{"zero target outside hours", "office", "2026-11-07T10:00:00+08:00", 0, "2026-11-07T10:00:00+08:00"},
	{"zero target inside hours", "office", "2026-11-02T10:15:00+08:00", 0, "2026-11-02T10:15:00+08:00"},
	// Seconds before closing with fractional hours (08:30-12:15, 13:45-17:40).
	{"fractional closing exact", "frac", "2026-11-02T17:39:30+08:00", 30 * time.Second, "2026-11-02T17:40:00+08:00"},
	{"fractional closing +1s", "frac", "2026-11-02T17:39:30+08:00", 31 * time.Second, "2026-11-03T08:30:01+08:00"},
	{"fractional lunch exact", "frac", "2026-11-02T12:14:59+08:00", time.Second, "2026-11-02T12:15:00+08:00"},
	{"fractional lunch +1s", "frac", "2026-11-02T12:14:59+08:00", 2 * time.Second, "2026-11-02T13:45:01+08:00"},
	{"fractional morning", "frac", "2026-11-02T08:00:00+08:00", 3*time.Hour + 45*time.Minute, "2026-11-02T12:15:00+08:00"},
	{"fractional 1wd", "frac", "2026-11-02T08:30:00+08:00", 7*time.Hour + 40*time.Minute, "2026-11-02T17:40:00+08:00"},
	// 24-hour days: midnight loses nothing.
	{"24h across midnight", "24x7", "2026-11-07T23:00:00+08:00", 2 * time.Hour, "2026-11-08T01:00:00+08:00"},
	{"24h one day to midnight", "24x7", "2026-11-02T00:00:00+08:00", 24 * time.Hour, "2026-11-03T00:00:00+08:00"},
	{"24h one week", "24x7", "2026-11-02T00:00:00+08:00", 7 * 24 * time.Hour, "2026-11-09T00:00:00+08:00"},
	{"24h last second of day", "24x7", "2026-11-02T23:59:59+08:00", 2 * time.Second, "2026-11-03T00:00:01+08:00"},
	// Different hours per weekday (Berlin, winter time).
	{"per weekday mon->tue", "perday", "2026-11-02T15:00:00+01:00", 2 * time.Hour, "2026-11-03T11:00:00+01:00"},
	{"per weekday wed->thu", "perday", "2026-11-04T11:00:00+01:00", 2 * time.Hour, "2026-11-05T13:00:00+01:00"},
	{"per weekday fri->mon", "perday", "2026-11-06T12:00:00+01:00", 3 * time.Hour, "2026-11-09T10:00:00+01:00"},
	// One working day a week (Wednesday 10:00-14:00).
	{"one day a week", "wed", "2026-11-04T13:00:00+08:00", 2 * time.Hour, "2026-11-11T11:00:00+08:00"},
	{"one day a week exact", "wed", "2026-11-05T09:00:00+08:00", 4 * time.Hour, "2026-11-11T14:00:00+08:00"},
	{"one day a week +1s", "wed", "2026-11-05T09:00:00+08:00", 4*time.Hour + time.Second, "2026-11-18T10:00:01+08:00"},
	// Holidays next to weekends, holiday runs, make-up days, half days.
	{"holiday run", "cn", "2026-09-30T17:00:00+08:00", 2 * time.Hour, "2026-10-08T10:00:00+08:00"},
	{"make-up sunday", "cn", "2026-09-25T17:00:00+08:00", 2 * time.Hour, "2026-09-27T10:00:00+08:00"},
	{"make-up saturday early", "cn", "2026-10-10T08:00:00+08:00", time.Hour, "2026-10-10T10:00:00+08:00"},
	{"friday into make-up saturday", "cn", "2026-10-09T17:00:00+08:00", 2 * time.Hour, "2026-10-10T10:00:00+08:00"},
	{"make-up sunday own hours", "cn", "2026-10-10T17:30:00+08:00", time.Hour, "2026-10-11T10:30:00+08:00"},
	{"make-up sunday own hours close", "cn", "2026-10-11T14:00:00+08:00", 2 * time.Hour, "2026-10-12T10:00:00+08:00"},
	{"holidays both sides of weekend", "cn", "2026-11-19T17:00:00+08:00", 2 * time.Hour, "2026-11-24T10:00:00+08:00"},
	{"half day", "cn", "2026-12-31T11:00:00+08:00", 2 * time.Hour, "2027-01-04T10:00:00+08:00"},
	{"after half day closes", "cn", "2026-12-31T13:00:00+08:00", time.Hour, "2027-01-04T10:00:00+08:00"},
	{"half day closing edge", "cn", "2026-12-31T09:00:00+08:00", 3 * time.Hour, "2026-12-31T12:00:00+08:00"},
	// A year-long span: 52 weeks of 40h, from Monday 5 January 2026.
	{"year long", "office", "2026-01-05T09:00:00+08:00", 52 * 40 * time.Hour, "2027-01-01T18:00:00+08:00"},
	{"year long across both DST changes", "berlin-office", "2026-01-05T09:00:00+01:00", 52 * 40 * time.Hour, "2027-01-01T18:00:00+01:00"},

	// DST forward and back, inside a span (office hours across the change
	// weekend) and inside a window, in each zone.
	{"new york span forward", "ny-office", "2026-03-06T16:00:00-05:00", 4 * time.Hour, "2026-03-09T11:00:00-04:00"},
	{"new york span back", "ny-office", "2026-10-30T16:00:00-04:00", 4 * time.Hour, "2026-11-02T11:00:00-05:00"},
	{"new york window forward", "ny-24x7", "2026-03-08T01:30:00-05:00", time.Hour, "2026-03-08T03:30:00-04:00"},
	{"new york window back", "ny-24x7", "2026-11-01T00:30:00-04:00", 2 * time.Hour, "2026-11-01T01:30:00-05:00"},
	{"new york 01-03 on fall-back night", "ny-night", "2026-11-01T00:00:00-04:00", 150 * time.Minute, "2026-11-01T02:30:00-05:00"},
	{"new york 01-03 on spring night closes at jump", "ny-night", "2026-03-08T00:00:00-05:00", time.Hour, "2026-03-08T03:00:00-04:00"},
	{"new york 01-03 on spring night +1s", "ny-night", "2026-03-08T00:00:00-05:00", time.Hour + time.Second, "2026-03-09T01:00:01-04:00"},
	{"new york window opening in skipped hour", "ny-0230", "2026-03-08T00:00:00-05:00", 2 * time.Hour, "2026-03-08T05:00:00-04:00"},

	{"berlin span forward", "berlin-office", "2026-03-27T16:00:00+01:00", 4 * time.Hour, "2026-03-30T11:00:00+02:00"},
	{"berlin span back", "berlin-office", "2026-10-23T16:00:00+02:00", 4 * time.Hour, "2026-10-26T11:00:00+01:00"},
	{"berlin window forward", "berlin-24x7", "2026-03-29T01:30:00+01:00", time.Hour, "2026-03-29T03:30:00+02:00"},
	{"berlin window back", "berlin-24x7", "2026-10-25T02:30:00+02:00", time.Hour, "2026-10-25T02:30:00+01:00"},
	{"berlin 02-04 on fall-back night", "berlin-0204", "2026-10-25T00:00:00+02:00", 150 * time.Minute, "2026-10-25T03:30:00+01:00"},
	{"berlin 02-04 on spring night", "berlin-0204", "2026-03-29T00:00:00+01:00", time.Hour, "2026-03-29T04:00:00+02:00"},

	{"shanghai 1991 span forward", "sh-office", "1991-04-12T16:00:00+08:00", 4 * time.Hour, "1991-04-15T11:00:00+09:00"},
	{"shanghai 1991 span back", "sh-office", "1991-09-13T16:00:00+09:00", 4 * time.Hour, "1991-09-16T11:00:00+08:00"},
	{"shanghai 1991 window forward", "sh-24x7", "1991-04-14T01:30:00+08:00", time.Hour, "1991-04-14T03:30:00+09:00"},
	{"shanghai 1991 01-03 on fall-back night", "sh-night", "1991-09-15T00:00:00+09:00", 2 * time.Hour, "1991-09-15T02:00:00+08:00"},

	{"sao paulo span forward (midnight)", "sp-office", "2018-11-02T16:00:00-03:00", 4 * time.Hour, "2018-11-05T11:00:00-02:00"},
	{"sao paulo span back (midnight)", "sp-office", "2019-02-15T16:00:00-02:00", 4 * time.Hour, "2019-02-18T11:00:00-03:00"},
	{"sao paulo window forward, 00:00 never happened", "sp-24x7", "2018-11-03T23:30:00-03:00", time.Hour, "2018-11-04T01:30:00-02:00"},
	{"sao paulo window from a missing midnight", "sp-0006", "2018-11-03T20:00:00-03:00", 5 * time.Hour, "2018-11-04T06:00:00-02:00"},
	{"sao paulo 22-24 on fall-back night", "sp-22", "2019-02-16T21:00:00-02:00", 150 * time.Minute, "2019-02-16T23:30:00-03:00"},

	{"tehran span forward", "tehran-office", "2021-03-19T16:00:00+03:30", 4 * time.Hour, "2021-03-22T11:00:00+04:30"},
	{"tehran span back", "tehran-office", "2021-09-21T16:00:00+04:30", 4 * time.Hour, "2021-09-22T11:00:00+03:30"},
	{"tehran window forward", "tehran-24x7", "2021-03-21T23:30:00+03:30", time.Hour, "2021-03-22T01:30:00+04:30"},
	{"tehran 00-02 on skipped midnight", "tehran-0002", "2021-03-21T23:00:00+03:30", time.Hour, "2021-03-22T02:00:00+04:30"},
	{"tehran 22-24 on fall-back night", "tehran-22", "2021-09-21T21:00:00+04:30", 150 * time.Minute, "2021-09-21T23:30:00+03:30"},

	{"lord howe span back", "lhi-office", "2026-04-03T16:00:00+11:00", 4 * time.Hour, "2026-04-06T11:00:00+10:30"},
	{"lord howe span forward", "lhi-office", "2026-10-02T16:00:00+10:30", 4 * time.Hour, "2026-10-05T11:00:00+11:00"},
	{"lord howe window forward", "lhi-24x7", "2026-10-04T01:45:00+10:30", 30 * time.Minute, "2026-10-04T02:45:00+11:00"},
	{"lord howe 01-03 on fall-back night", "lhi-night", "2026-04-05T00:00:00+11:00", 2 * time.Hour, "2026-04-05T02:30:00+10:30"},
	{"lord howe 01-03 on spring night", "lhi-night", "2026-10-04T00:00:00+10:30", 90 * time.Minute, "2026-10-04T03:00:00+11:00"},
	{"lord howe across the 2038 rule boundary", "lhi-24x7", "2037-12-31T12:00:00+11:00", 30 * 24 * time.Hour, "2038-01-30T12:00:00+11:00"},
	{"lord howe window opening in skipped half hour", "lhi-0215", "2026-10-04T00:00:00+10:30", 30 * time.Minute, "2026-10-04T03:00:00+11:00"},
}

func TestAdd(t *testing.T) {
	for _, tc := range addCases {
		t.Run(tc.name, func(t *testing.T) {
			c := cals[tc.cal]
			if c == nil {
				t.Fatalf("no calendar %q", tc.cal)
			}
			start := at(t, tc.start)
			got := c.Add(start, tc.d)
			if s := got.Format(time.RFC3339Nano); s != tc.want {
				t.Fatalf("Add(%s, %v) = %s, want %s", tc.start, tc.d, s, tc.want)
			}
			if back := c.Between(start, got); back != tc.d {
				t.Errorf("Between(%s, %s) = %v, want %v", tc.start, tc.want, back, tc.d)
			}
			if tc.d > 0 && !c.IsOpen(got.Add(-time.Nanosecond)) {
				t.Errorf("%s: the instant before the result is not working time", tc.want)
			}
		})
	}
}
