package calendar

import (
	"math/rand/v2"
	"testing"
	"time"
)

// fuzzCals are the calendars the fuzz targets pick from: lunch breaks,
// holidays, make-up days, sparse weeks and every DST shape of the package.
var fuzzCals = []string{
	"office", "cn", "frac", "perday", "wed", "24x7", "ny-office", "ny-night", "ny-0230",
	"berlin-0204", "sh-night", "sp-0006", "sp-22", "sp-24x7", "tehran-0002", "tehran-22",
	"lhi-night", "lhi-0215", "lhi-24x7",
}

// fuzzArgs maps raw fuzz input into a calendar, a start between 1985 and
// 2035 (nanosecond precision) and a target of up to 3000 working hours.
func fuzzArgs(ci uint8, sec int64, ns uint32, d int64) (*Calendar, time.Time, time.Duration) {
	const lo, span = 473385600, 50 * 365 * daySec // 1985-01-01, 50 years
	s := lo + (sec%span+span)%span
	dd := time.Duration((d%(3000*3600*1e9) + 3000*3600*1e9) % (3000 * 3600 * 1e9))
	return cals[fuzzCals[int(ci)%len(fuzzCals)]], time.Unix(s, int64(ns%1e9)), dd
}

// seeds place starts on the DST nights of the test zones and on edges.
func seeds(f *testing.F, add func(ci uint8, sec int64, ns uint32, d int64)) {
	durs := []time.Duration{0, 1, time.Second, 90 * time.Minute, 8 * time.Hour, 16*time.Hour + 1, 176 * time.Hour}
	for i, s := range seedStarts {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			f.Fatal(err)
		}
		for j, d := range durs {
			add(uint8(i*len(durs)+j), tm.Unix(), uint32(j*123456789), int64(d))
		}
	}
}

// seedStarts lie on edges, holidays and the DST nights of the test zones.
var seedStarts = []string{
	"2026-11-02T17:59:59+08:00", "2026-11-06T16:00:00+08:00", "2026-09-30T17:00:00+08:00",
	"2026-03-08T00:30:00-05:00", "2026-11-01T00:30:00-04:00", "2026-03-29T01:30:00+01:00",
	"2026-10-25T01:59:59+02:00", "1991-09-15T00:00:00+09:00", "2018-11-03T23:30:00-03:00",
	"2019-02-16T21:59:59-02:00", "2021-03-21T23:59:59+03:30", "2021-09-21T21:00:00+04:30",
	"2026-04-05T01:00:00+11:00", "2026-10-04T01:59:59+10:30",
}

// FuzzBetweenAdd: Between(s, Add(s, d)) == d.
func FuzzBetweenAdd(f *testing.F) {
	seeds(f, func(ci uint8, sec int64, ns uint32, d int64) { f.Add(ci, sec, ns, d) })
	f.Fuzz(func(t *testing.T, ci uint8, sec int64, ns uint32, d int64) {
		c, s, dd := fuzzArgs(ci, sec, ns, d)
		r := c.Add(s, dd)
		if got := c.Between(s, r); got != dd {
			t.Fatalf("%s: Between(%s, Add(%s, %v) = %s) = %v", c.spec.Zone, s, s, dd, r, got)
		}
	})
}

// FuzzAddMonotonic: d1 <= d2 implies Add(s, d1) <= Add(s, d2).
func FuzzAddMonotonic(f *testing.F) {
	seeds(f, func(ci uint8, sec int64, ns uint32, d int64) { f.Add(ci, sec, ns, d, d/3+int64(ci)) })
	f.Fuzz(func(t *testing.T, ci uint8, sec int64, ns uint32, d1, d2 int64) {
		c, s, a := fuzzArgs(ci, sec, ns, d1)
		_, _, b := fuzzArgs(ci, sec, ns, d2)
		if a > b {
			a, b = b, a
		}
		ra, rb := c.Add(s, a), c.Add(s, b)
		if ra.After(rb) {
			t.Fatalf("%s: Add(%s, %v) = %s after Add(%s, %v) = %s", c.spec.Zone, s, a, ra, s, b, rb)
		}
		if a < b && !rb.After(ra) {
			t.Fatalf("%s: Add(%s, %v) = %s not after Add(.., %v) = %s", c.spec.Zone, s, b, rb, a, ra)
		}
	})
}

// FuzzAddInsideWindow: the result closes a stretch of working time (the
// instant just before it is open, so it lies in a window or on its closing
// edge), is not before start, and equals start for d = 0.
func FuzzAddInsideWindow(f *testing.F) {
	seeds(f, func(ci uint8, sec int64, ns uint32, d int64) { f.Add(ci, sec, ns, d) })
	f.Fuzz(func(t *testing.T, ci uint8, sec int64, ns uint32, d int64) {
		c, s, dd := fuzzArgs(ci, sec, ns, d)
		r := c.Add(s, dd)
		if dd == 0 {
			if !r.Equal(s) {
				t.Fatalf("Add(%s, 0) = %s", s, r)
			}
			return
		}
		if r.Before(s) {
			t.Fatalf("Add(%s, %v) = %s, before start", s, dd, r)
		}
		before := r.Add(-time.Nanosecond)
		if !c.IsOpen(before) || !oracleOpen(c, before) {
			t.Fatalf("%s: Add(%s, %v) = %s, not inside a window", c.spec.Zone, s, dd, r)
		}
		if n := c.NextOpen(s); !r.After(n) {
			t.Fatalf("Add(%s, %v) = %s, not after the next opening %s", s, dd, r, n)
		}
	})
}

// TestAgainstOracle compares Between, IsOpen and NextOpen with the
// second-by-second definition on random spans around every DST change of
// the test zones.
func TestAgainstOracle(t *testing.T) {
	if testing.Short() {
		t.Skip("slow oracle")
	}
	rng := rand.New(rand.NewPCG(3, 7))
	nights := map[string][]string{
		"ny-night": {"2026-03-08T00:00:00-05:00", "2026-11-01T00:00:00-04:00"}, "ny-0230": {"2026-03-08T00:00:00-05:00"},
		"berlin-0204": {"2026-03-29T00:00:00+01:00", "2026-10-25T00:00:00+02:00"}, "sh-night": {"1991-04-14T00:00:00+08:00", "1991-09-15T00:00:00+09:00"},
		"sp-0006": {"2018-11-03T20:00:00-03:00"}, "sp-22": {"2019-02-16T12:00:00-02:00"}, "sp-24x7": {"2018-11-03T12:00:00-03:00"},
		"tehran-0002": {"2021-03-21T12:00:00+03:30"}, "tehran-22": {"2021-09-21T12:00:00+04:30"},
		"lhi-night": {"2026-04-04T12:00:00+11:00", "2026-10-03T12:00:00+10:30"}, "lhi-0215": {"2026-10-03T12:00:00+10:30"},
		"cn": {"2026-12-30T12:00:00+08:00"}, "frac": {"2026-11-02T08:00:00+08:00"},
	}
	for name, list := range nights {
		c := cals[name]
		for _, n := range list {
			base := at(t, n)
			for range 3 {
				a := base.Add(time.Duration(rng.Int64N(12*3600)) * time.Second)
				b := a.Add(time.Duration(rng.Int64N(30*3600)) * time.Second)
				if got, want := c.Between(a, b), oracleBetween(c, a, b); got != want {
					t.Errorf("%s Between(%s, %s) = %v, oracle %v", name, a, b, got, want)
				}
				// NextOpen: the first open second at or after a.
				no := c.NextOpen(a)
				for s := a; s.Before(no); s = s.Add(time.Second) {
					if oracleOpen(c, s) {
						t.Errorf("%s NextOpen(%s) = %s but %s is open", name, a, no, s)
						break
					}
				}
				if !oracleOpen(c, no) {
					t.Errorf("%s NextOpen(%s) = %s is closed", name, a, no)
				}
			}
		}
	}
}

// TestAddChains: one long Add (which jumps whole weeks) equals a chain of
// short ones (which never do), and Between agrees with the sum.
func TestAddChains(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 13))
	for _, name := range fuzzCals {
		c := cals[name]
		for i := range 40 {
			// Half the starts anywhere in 1985-2035, half within 60 days
			// before a holiday or DST night.
			_, s, _ := fuzzArgs(0, rng.Int64(), uint32(rng.Int64N(1e9)), 0)
			if i%2 == 0 {
				s = at(t, seedStarts[rng.IntN(len(seedStarts))]).Add(-time.Duration(rng.Int64N(60*daySec)) * time.Second)
			}
			cur, total := s, time.Duration(0)
			for range 1 + rng.IntN(40) {
				step := time.Duration(1 + rng.Int64N(int64(30*time.Hour)))
				cur = c.Add(cur, step)
				total += step
			}
			if long := c.Add(s, total); !long.Equal(cur) {
				t.Fatalf("%s: Add(%s, %v) = %s, chain of short adds = %s", name, s, total, long, cur)
			}
			if got := c.Between(s, cur); got != total {
				t.Fatalf("%s: Between(%s, %s) = %v, want %v", name, s, cur, got, total)
			}
		}
	}
}
