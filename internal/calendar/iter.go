package calendar

import "time"

// cursor walks the working intervals of a calendar in time order, as UTC
// Unix seconds [a, b). It works zone segment by zone segment: inside a
// segment the UTC offset is constant, so local wall-clock seconds map
// linearly to instants. A window is intersected with the local range of the
// segment, which makes every rule of the package fall out by itself: an
// instant is working time exactly when the wall clock of the calendar's zone
// shows a time inside a window of that local date. A skipped local hour
// simply has no instants (a window opening inside it opens at the first
// valid instant after it); a repeated local hour has twice as many, each
// counted once as it really elapses.
//
// A cursor is a plain value: it never allocates.
type cursor struct {
	c                *Calendar
	segStart, segEnd int64 // current zone segment [segStart, segEnd), UTC seconds
	off              int64 // its UTC offset
	lo, hi           int64 // its local range: segStart+off, segEnd+off
	day              int64 // local day number being scanned
	wins             []Window
	i                int // next window of day
	x                int // exception index, see windowsFor
}

// cursorAt starts a walk at UTC second sec; the first interval returned is
// the one containing sec, or the first after it (it may begin before sec).
func (c *Calendar) cursorAt(sec int64) cursor {
	it := cursor{c: c}
	it.setSegment(sec)
	it.seek(sec + it.off)
	return it
}

// setSegment makes the zone segment containing UTC second sec current.
func (it *cursor) setSegment(sec int64) {
	t := time.Unix(sec, 0).In(it.c.loc)
	_, off := t.Zone()
	s, e := t.ZoneBounds()
	it.segStart, it.segEnd, it.off = minSec, maxSec, int64(off)
	if !s.IsZero() {
		it.segStart = s.Unix()
	}
	if !e.IsZero() {
		it.segEnd = e.Unix()
	}
	// Past the stored transitions Go derives bounds from the zone's rule
	// year by year, and may report a start before the previous segment's
	// end (e.g. 2038-01-01 for an instant in 2038-01-19): never rescan.
	it.segStart = max(it.segStart, sec)
	if it.segEnd <= sec {
		it.segEnd = sec + 1 // never seen; guarantees progress
	}
	it.lo, it.hi = it.segStart+it.off, it.segEnd+it.off
}

// seek positions the scan at local second l: its day and the first window
// of that day that has not closed by l.
func (it *cursor) seek(l int64) {
	it.day = floorDiv(l, daySec)
	it.x = it.c.searchExc(it.day)
	it.wins = it.c.windowsFor(it.day, &it.x)
	sod := int(l - it.day*daySec)
	it.i = 0
	for it.i < len(it.wins) && it.wins[it.i].End <= sod {
		it.i++
	}
}

// next returns the next working interval; ok is false when there is none
// (no working time left, or beyond the year 9999).
func (it *cursor) next() (a, b int64, ok bool) {
	for {
		if it.i >= len(it.wins) {
			if !it.nextDay() {
				return 0, 0, false
			}
			continue
		}
		base := it.day * daySec
		la, lb := base+int64(it.wins[it.i].Start), base+int64(it.wins[it.i].End)
		if la >= it.hi {
			if !it.nextSegment() {
				return 0, 0, false
			}
			continue
		}
		it.i++
		la, lb = max(la, it.lo), min(lb, it.hi)
		if la < lb {
			return la - it.off, lb - it.off, true
		}
	}
}

// nextDay moves to the next local day that may have windows.
func (it *cursor) nextDay() bool {
	it.day++
	if !it.c.hasWeek {
		// Only dated days have hours: jump straight to the next one.
		for it.x < len(it.c.exc) && (it.c.exc[it.x].day < it.day || len(it.c.exc[it.x].wins) == 0) {
			it.x++
		}
		if it.x >= len(it.c.exc) {
			return false
		}
		it.day = it.c.exc[it.x].day
	}
	if it.day > maxDay {
		return false
	}
	if it.day*daySec >= it.hi {
		return it.nextSegment()
	}
	it.wins = it.c.windowsFor(it.day, &it.x)
	it.i = 0
	return true
}

// nextSegment moves to the zone segment after the current one and rescans
// from its local start (which lies before the previous local end after a
// clock is set back).
func (it *cursor) nextSegment() bool {
	if it.segEnd >= maxSec || it.segEnd/daySec > maxDay {
		return false
	}
	it.setSegment(it.segEnd)
	it.seek(it.lo)
	return true
}

// skipWeeks jumps over at most max whole weeks of days when the current
// day is done, the weeks lie wholly inside the current zone segment (so no
// DST change) and hold no dated day: their working time is exactly
// weeks × c.weekSec. It returns the number of weeks skipped. This keeps
// long spans cheap without any cache.
func (it *cursor) skipWeeks(max int64) int64 {
	if max <= 0 || it.i < len(it.wins) || it.c.weekSec == 0 {
		return 0
	}
	first := it.day + 1
	k := min(max, (it.hi/daySec-first)/7)
	x := it.x
	for x < len(it.c.exc) && it.c.exc[x].day < first {
		x++
	}
	if x < len(it.c.exc) {
		k = min(k, (it.c.exc[x].day-first)/7)
	}
	if k <= 0 {
		return 0
	}
	it.day += 7 * k // the day before the next one to scan, already done
	it.wins, it.i = nil, 0
	return k
}
