package calendar

import (
	"math"
	"slices"
	"time"
)

// When returns the instant at which clk has counted x of active time: wall
// time for a Wall clock (any Kind other than Business), working time for a
// Business clock, never time inside a pause. ok is false when an open pause
// (zero To) begins before x is reached: the instant is unknown until the
// clock resumes. x <= 0 is reached at clk.Start.
func (c *Calendar) When(clk Clock, x time.Duration) (t time.Time, ok bool) {
	x = max(x, 0)
	cur := clk.Start
	for _, p := range activePauses(clk) {
		if avail := c.measure(clk.Kind, cur, p.From); x <= avail {
			return c.advance(clk.Kind, cur, x), true
		} else {
			x -= avail
		}
		if p.To.IsZero() {
			return time.Time{}, false
		}
		cur = p.To
	}
	return c.advance(clk.Kind, cur, x), true
}

// Due is When(clk, clk.Target): the instant the clock's target is reached.
func (c *Calendar) Due(clk Clock) (time.Time, bool) { return c.When(clk, clk.Target) }

// Elapsed returns the active time clk has counted by at (0 before Start).
func (c *Calendar) Elapsed(clk Clock, at time.Time) time.Duration {
	var sum time.Duration
	cur := clk.Start
	for _, p := range activePauses(clk) {
		if !p.From.Before(at) {
			break
		}
		sum = addSat(sum, c.measure(clk.Kind, cur, p.From))
		if p.To.IsZero() {
			return sum
		}
		cur = p.To
	}
	return addSat(sum, c.measure(clk.Kind, cur, at))
}

// Scale returns share × d rounded to the nearest nanosecond, e.g. the
// warning point Scale(target, warn_at) and the escalation point
// Scale(target, escalate_at). Exact where a float product would truncate.
func Scale(d time.Duration, share float64) time.Duration {
	f := math.Round(float64(d) * share)
	switch {
	case f >= math.MaxInt64:
		return math.MaxInt64
	case f <= 0 || math.IsNaN(f):
		return 0
	}
	return time.Duration(f)
}

// measure is the active time in [a, b) of a clock of the given kind.
func (c *Calendar) measure(kind ClockKind, a, b time.Time) time.Duration {
	if kind == Business {
		return c.Between(a, b)
	}
	if !b.After(a) {
		return 0
	}
	return b.Sub(a)
}

// advance is the instant x of active time after a.
func (c *Calendar) advance(kind ClockKind, a time.Time, x time.Duration) time.Time {
	if kind == Business {
		return c.Add(a, x)
	}
	return a.Add(x).In(c.loc)
}

// activePauses returns clk's pauses cleaned up: those ending before Start or
// with To not after From dropped, From clipped to Start, sorted and merged.
// An open pause (zero To) ends the list: nothing after it counts.
func activePauses(clk Clock) []Pause {
	if len(clk.Pauses) == 0 {
		return nil
	}
	ps := make([]Pause, 0, len(clk.Pauses))
	for _, p := range clk.Pauses {
		open := p.To.IsZero()
		if !open && (!p.To.After(p.From) || !p.To.After(clk.Start)) {
			continue
		}
		if p.From.Before(clk.Start) {
			p.From = clk.Start
		}
		ps = append(ps, p)
	}
	slices.SortStableFunc(ps, func(a, b Pause) int { return a.From.Compare(b.From) })
	out := ps[:0]
	for _, p := range ps {
		if n := len(out); n > 0 && !p.From.After(out[n-1].To) {
			if p.To.IsZero() || p.To.After(out[n-1].To) {
				out[n-1].To = p.To
			}
		} else {
			out = append(out, p)
		}
		if out[len(out)-1].To.IsZero() {
			break
		}
	}
	return out
}

func addSat(a, b time.Duration) time.Duration {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
