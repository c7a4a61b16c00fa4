package notify

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Clock is the time source of the robot rate limits and of the timestamps
// the channels sign; tests inject a fake one (WithClock). It must be
// comparable (a pointer is): the limiters are kept per robot and clock.
type Clock interface {
	Now() time.Time
	// After is time.After on this clock.
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// window is one vendor limit: at most n sends in any span of per.
type window struct {
	n   int
	per time.Duration
}

// limiter keeps one robot within its vendor's limits in this process: a
// sliding window log of send slots. Unlike a token bucket (x/time/rate),
// it lets a burst of n go at once and still never puts more than n sends
// in any window — a bucket with burst n allows up to 2n in one window, and
// DingTalk answers a 21st message in a minute by muting the robot for ten.
type limiter struct {
	windows []window
	mu      sync.Mutex
	slots   []time.Time // reserved send instants, ascending; the latest max(n) only
}

func newLimiter(ws ...window) *limiter { return &limiter{windows: ws} }

// reserve takes the earliest slot at or after now that keeps every window,
// unless that slot is after latest (zero: no bound); it returns the slot and
// whether it was taken.
func (l *limiter) reserve(now, latest time.Time) (time.Time, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	at, keep := now, 0
	for _, w := range l.windows {
		keep = max(keep, w.n)
		if len(l.slots) >= w.n {
			// The n-th latest slot must have left the window.
			if t := l.slots[len(l.slots)-w.n].Add(w.per); t.After(at) {
				at = t
			}
		}
	}
	if len(l.slots) > 0 && l.slots[len(l.slots)-1].After(at) {
		at = l.slots[len(l.slots)-1] // slots stay ascending
	}
	if !latest.IsZero() && at.After(latest) {
		return at, false
	}
	l.slots = append(l.slots, at)
	if len(l.slots) > keep {
		l.slots = append(l.slots[:0], l.slots[len(l.slots)-keep:]...)
	}
	return at, true
}

// errRateLimited is a send held back (not made) to keep a vendor limit;
// retryable, after the given delay.
type errRateLimited struct {
	channel, recipient string
	after              time.Duration
}

func (e errRateLimited) Error() string {
	return fmt.Sprintf("%s robot at %s: rate limit reached in this process, next slot in %v", e.channel, e.recipient, e.after.Round(time.Second))
}

func (e errRateLimited) retryAfter() time.Duration { return e.after }

// wait blocks until the robot may send. A wait that would outlast ctx's
// deadline, less budget (what the send itself may take), is not begun: the
// send is retried later (errRateLimited), never dropped. A wait cut short
// by ctx keeps its slot, which only makes later sends more careful.
func (l *limiter) wait(ctx context.Context, clock Clock, budget time.Duration, channel, recipient string) error {
	now := clock.Now()
	var latest time.Time
	if dl, ok := ctx.Deadline(); ok {
		latest = now.Add(max(time.Until(dl)-budget, 0)) // the deadline is on the real clock
	}
	at, ok := l.reserve(now, latest)
	if !ok {
		return errRateLimited{channel: channel, recipient: recipient, after: at.Sub(now)}
	}
	d := at.Sub(now)
	if d <= 0 {
		return nil
	}
	select {
	case <-clock.After(d):
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%s robot at %s: waiting %v for the rate limit: %w", channel, recipient, d.Round(time.Second), ctx.Err())
	}
}

// limiters holds one limiter per robot (channel and URL) and clock in the
// process, so every Dispatcher sending to a robot shares its limit.
var limiters sync.Map // limiterKey → *limiter

type limiterKey struct {
	channel, url string
	clock        Clock
}

func limiterFor(channel, url string, clock Clock, ws ...window) *limiter {
	l, _ := limiters.LoadOrStore(limiterKey{channel, url, clock}, newLimiter(ws...))
	return l.(*limiter)
}
