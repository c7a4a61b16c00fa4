package calendar

import (
	"testing"
	"time"
)

// betweenCases assert working time in [a, b).
var betweenCases = []struct {
	name, cal, a, b string
	want            time.Duration
}{
	{"friday afternoon to monday", "office", "2026-11-06T16:00:00+08:00", "2026-11-09T11:00:00+08:00", 4 * time.Hour},
	{"b before a", "office", "2026-11-09T11:00:00+08:00", "2026-11-06T16:00:00+08:00", 0},
	{"empty interval", "office", "2026-11-02T10:00:00+08:00", "2026-11-02T10:00:00+08:00", 0},
	{"inside lunch", "office", "2026-11-02T12:05:00+08:00", "2026-11-02T12:55:00+08:00", 0},
	{"whole weekend", "office", "2026-11-06T18:00:00+08:00", "2026-11-09T09:00:00+08:00", 0},
	{"one week", "office", "2026-11-02T00:00:00+08:00", "2026-11-09T00:00:00+08:00", 40 * time.Hour},
	{"sub-second ends", "office", "2026-11-02T11:59:59.25+08:00", "2026-11-02T13:00:00.5+08:00", 1250 * time.Millisecond},
	{"holiday week", "cn", "2026-09-28T00:00:00+08:00", "2026-10-12T00:00:00+08:00", 6*8*time.Hour + 5*time.Hour},
	{"half day", "cn", "2026-12-31T00:00:00+08:00", "2027-01-01T00:00:00+08:00", 3 * time.Hour},
	{"24h day", "24x7", "2026-11-02T00:00:00+08:00", "2026-11-03T00:00:00+08:00", 24 * time.Hour},
	// Days with a DST change: the working time is the real elapsed time.
	{"new york spring day 24x7", "ny-24x7", "2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00", 23 * time.Hour},
	{"new york fall day 24x7", "ny-24x7", "2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00", 25 * time.Hour},
	{"new york 01-03 fall night", "ny-night", "2026-11-01T00:00:00-04:00", "2026-11-01T12:00:00-05:00", 3 * time.Hour},
	{"new york 01-03 spring night", "ny-night", "2026-03-08T00:00:00-05:00", "2026-03-08T12:00:00-04:00", time.Hour},
	{"new york 02:30-05 spring night", "ny-0230", "2026-03-08T00:00:00-05:00", "2026-03-08T12:00:00-04:00", 2 * time.Hour},
	{"berlin 02-04 spring night", "berlin-0204", "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", time.Hour},
	{"berlin 02-04 fall night", "berlin-0204", "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", 3 * time.Hour},
	{"berlin office week unchanged by DST", "berlin-office", "2026-03-23T00:00:00+01:00", "2026-04-06T00:00:00+02:00", 80 * time.Hour},
	{"shanghai 1991 spring day 24x7", "sh-24x7", "1991-04-14T00:00:00+08:00", "1991-04-15T00:00:00+09:00", 23 * time.Hour},
	{"shanghai 1991 01-03 fall night", "sh-night", "1991-09-15T00:00:00+09:00", "1991-09-16T00:00:00+08:00", 3 * time.Hour},
	{"sao paulo day without midnight", "sp-0006", "2018-11-03T20:00:00-03:00", "2018-11-05T00:00:00-02:00", 5 * time.Hour},
	{"sao paulo spring day 24x7", "sp-24x7", "2018-11-03T12:00:00-03:00", "2018-11-04T12:00:00-02:00", 23 * time.Hour},
	{"sao paulo saturday of 25 hours", "sp-24x7", "2019-02-16T00:00:00-02:00", "2019-02-17T00:00:00-03:00", 25 * time.Hour},
	{"sao paulo 22-24 fall night", "sp-22", "2019-02-16T12:00:00-02:00", "2019-02-17T12:00:00-03:00", 3 * time.Hour},
	{"tehran 00-02 on skipped midnight", "tehran-0002", "2021-03-21T12:00:00+03:30", "2021-03-22T12:00:00+04:30", time.Hour},
	{"tehran 22-24 fall night", "tehran-22", "2021-09-21T12:00:00+04:30", "2021-09-22T12:00:00+03:30", 3 * time.Hour},
	{"lord howe 01-03 fall night", "lhi-night", "2026-04-04T12:00:00+11:00", "2026-04-05T12:00:00+10:30", 150 * time.Minute},
	{"lord howe 01-03 spring night", "lhi-night", "2026-10-03T12:00:00+10:30", "2026-10-04T12:00:00+11:00", 90 * time.Minute},
	{"lord howe 02:15-04 spring night", "lhi-0215", "2026-10-03T12:00:00+10:30", "2026-10-04T12:00:00+11:00", 90 * time.Minute},
	// Past the stored transitions (2037) Go derives zone bounds from the rule
	// year by year; a span across 2038 must not count anything twice.
	{"lord howe across the 2038 rule boundary", "lhi-24x7", "2037-12-01T00:00:00+11:00", "2038-02-01T00:00:00+11:00", 62 * 24 * time.Hour},
	{"sao paulo across 2038-01-19", "sp-24x7", "2038-01-10T00:00:00-03:00", "2038-01-30T00:00:00-03:00", 20 * 24 * time.Hour},
	{"new york office across 2038", "ny-office", "2037-12-28T00:00:00-05:00", "2038-01-11T00:00:00-05:00", 80 * time.Hour},
	{"lord howe fall day 24x7", "lhi-24x7", "2026-04-05T00:00:00+11:00", "2026-04-06T00:00:00+10:30", 24*time.Hour + 30*time.Minute},
}

func TestBetween(t *testing.T) {
	for _, tc := range betweenCases {
		t.Run(tc.name, func(t *testing.T) {
			c := cals[tc.cal]
			a, b := at(t, tc.a), at(t, tc.b)
			if got := c.Between(a, b); got != tc.want {
				t.Fatalf("Between(%s, %s) = %v, want %v", tc.a, tc.b, got, tc.want)
			}
			if a.Nanosecond() == 0 && b.Nanosecond() == 0 && b.Sub(a) <= 48*time.Hour {
				if o := oracleBetween(c, a, b); o != tc.want {
					t.Errorf("second-by-second oracle says %v", o)
				}
			}
		})
	}
}

var nextOpenCases = []struct{ name, cal, t, want string }{
	{"open instant is itself", "office", "2026-11-02T10:00:00+08:00", "2026-11-02T10:00:00+08:00"},
	{"opening instant is itself", "office", "2026-11-02T09:00:00+08:00", "2026-11-02T09:00:00+08:00"},
	{"lunch", "office", "2026-11-02T12:00:00+08:00", "2026-11-02T13:00:00+08:00"},
	{"closing instant", "office", "2026-11-02T18:00:00+08:00", "2026-11-03T09:00:00+08:00"},
	{"saturday", "office", "2026-11-07T09:30:00+08:00", "2026-11-09T09:00:00+08:00"},
	{"holiday run", "cn", "2026-10-01T08:00:00+08:00", "2026-10-08T09:00:00+08:00"},
	{"make-up own hours", "cn", "2026-10-11T08:00:00+08:00", "2026-10-11T10:00:00+08:00"},
	{"new york opening in skipped hour", "ny-0230", "2026-03-08T00:00:00-05:00", "2026-03-08T03:00:00-04:00"},
	{"berlin opening in skipped hour", "berlin-0204", "2026-03-29T00:00:00+01:00", "2026-03-29T03:00:00+02:00"},
	{"sao paulo missing midnight", "sp-0006", "2018-11-03T20:00:00-03:00", "2018-11-04T01:00:00-02:00"},
	{"tehran missing midnight", "tehran-0002", "2021-03-21T23:00:00+03:30", "2021-03-22T01:00:00+04:30"},
	{"lord howe skipped half hour", "lhi-0215", "2026-10-04T00:00:00+10:30", "2026-10-04T02:30:00+11:00"},
	{"repeated hour reopens", "ny-night", "2026-11-01T01:30:00-04:00", "2026-11-01T01:30:00-04:00"},
}

func TestNextOpen(t *testing.T) {
	for _, tc := range nextOpenCases {
		t.Run(tc.name, func(t *testing.T) {
			c := cals[tc.cal]
			got := c.NextOpen(at(t, tc.t))
			if s := got.Format(time.RFC3339Nano); s != tc.want {
				t.Fatalf("NextOpen(%s) = %s, want %s", tc.t, s, tc.want)
			}
			if !c.IsOpen(got) {
				t.Errorf("IsOpen(NextOpen(%s)) is false", tc.t)
			}
		})
	}
}

func TestIsOpen(t *testing.T) {
	cases := []struct {
		cal, t string
		want   bool
	}{
		{"office", "2026-11-02T09:00:00+08:00", true},
		{"office", "2026-11-02T08:59:59+08:00", false},
		{"office", "2026-11-02T11:59:59.999+08:00", true},
		{"office", "2026-11-02T12:00:00+08:00", false},
		{"office", "2026-11-02T17:59:59+08:00", true},
		{"office", "2026-11-02T18:00:00+08:00", false},
		{"office", "2026-11-07T10:00:00+08:00", false},
		{"cn", "2026-10-01T10:00:00+08:00", false},
		{"cn", "2026-10-10T10:00:00+08:00", true},
		{"cn", "2026-12-31T14:00:00+08:00", false},
		{"24x7", "2026-11-02T00:00:00+08:00", true},
		{"24x7", "2026-11-02T23:59:59+08:00", true},
		{"ny-night", "2026-11-01T01:30:00-05:00", true}, // the second 01:30
		{"ny-night", "2026-03-08T03:00:00-04:00", false},
		{"berlin-0204", "2026-10-25T02:30:00+01:00", true},
		{"lhi-0215", "2026-10-04T02:29:59+11:00", false}, // = 01:59:59+10:30, before the skipped half hour
	}
	for _, tc := range cases {
		tm := at(t, tc.t)
		if got := cals[tc.cal].IsOpen(tm); got != tc.want {
			t.Errorf("%s IsOpen(%s) = %v, want %v", tc.cal, tc.t, got, tc.want)
		}
		if o := oracleOpen(cals[tc.cal], tm); o != tc.want {
			t.Errorf("%s oracle(%s) = %v, want %v", tc.cal, tc.t, o, tc.want)
		}
	}
}
