package calendar

import (
	"math"
	"time"
)

// Between returns the working time in [a, b); 0 when b is not after a.
func (c *Calendar) Between(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	as, ans := a.Unix(), int64(a.Nanosecond())
	bs, bns := b.Unix(), int64(b.Nanosecond())
	var sum int64
	it := c.cursorAt(as)
	weekNs := c.weekSec * nsPerSec
	for {
		if weekNs > 0 {
			// Whole weeks that end (locally) no later than b.
			n := it.skipWeeks((bs + it.off - (it.day+1)*daySec) / (7 * daySec))
			if n > 0 && n > (math.MaxInt64-sum)/weekNs {
				return math.MaxInt64
			}
			sum += n * weekNs
		}
		x, y, ok := it.next()
		if !ok || x > bs || (x == bs && bns == 0) {
			break // the interval opens at or after b
		}
		// Clip [x, y) to [a, b), as (seconds, nanoseconds) pairs.
		ls, lns := x, int64(0)
		if x < as || (x == as && ans > 0) {
			ls, lns = as, ans
		}
		hs, hns := y, int64(0)
		if bs < y {
			hs, hns = bs, bns
		}
		if part := (hs-ls)*nsPerSec + hns - lns; part > 0 {
			if sum > math.MaxInt64-part {
				return math.MaxInt64
			}
			sum += part
		}
	}
	return time.Duration(sum)
}
