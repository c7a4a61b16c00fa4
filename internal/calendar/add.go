package calendar

import "time"

const nsPerSec = int64(time.Second)

// Add returns the instant at which d of working time has elapsed after
// start. A start outside working hours counts from the next opening; d <= 0
// returns start unchanged. A target landing exactly on a closing time stays
// at that closing time; one nanosecond more rolls to the next opening. The
// result is in the calendar's location; Never when working time runs out.
func (c *Calendar) Add(start time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return start
	}
	sec, ns := start.Unix(), int64(start.Nanosecond())
	rem := int64(d)
	it := c.cursorAt(sec)
	weekNs := c.weekSec * nsPerSec
	for {
		if weekNs > 0 && rem > weekNs {
			rem -= it.skipWeeks((rem-1)/weekNs) * weekNs // rem stays > 0
		}
		a, b, ok := it.next()
		if !ok {
			return Never
		}
		if b <= sec {
			continue
		}
		if a > sec {
			sec, ns = a, 0
		}
		avail := (b-sec)*nsPerSec - ns
		if rem <= avail {
			t := time.Unix(sec, ns+rem).In(c.loc)
			if t.After(Never) {
				return Never
			}
			return t
		}
		rem -= avail
		sec, ns = b, 0
	}
}

// NextOpen returns t itself when it lies inside a working window, else the
// next opening instant (in the calendar's location); Never when there is none.
func (c *Calendar) NextOpen(t time.Time) time.Time {
	sec := t.Unix()
	it := c.cursorAt(sec)
	for {
		a, b, ok := it.next()
		if !ok {
			return Never
		}
		if b <= sec {
			continue
		}
		if a <= sec {
			return t
		}
		return time.Unix(a, 0).In(c.loc)
	}
}

// IsOpen reports whether t lies inside a working window: whether the wall
// clock of the calendar's zone at t shows a time inside a window of that
// local date.
func (c *Calendar) IsOpen(t time.Time) bool {
	sec := t.Unix()
	it := c.cursorAt(sec)
	for {
		a, b, ok := it.next()
		if !ok {
			return false
		}
		if b <= sec {
			continue
		}
		return a <= sec
	}
}
