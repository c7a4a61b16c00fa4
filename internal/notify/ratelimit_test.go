package notify

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/internal/notify/notifytest"
)

var epoch = time.Unix(1_800_000_000, 0)

func TestLimiterSlidingWindow(t *testing.T) {
	l := newLimiter(window{n: 3, per: time.Minute})
	var got []time.Duration
	for i := range 7 {
		now := epoch.Add(time.Duration(i) * time.Second)
		at, ok := l.reserve(now, time.Time{})
		if !ok {
			t.Fatalf("send %d: not reserved without a bound", i)
		}
		got = append(got, at.Sub(epoch))
	}
	// A burst of 3 at once, then each slot a minute after the third before it.
	want := []time.Duration{0, time.Second, 2 * time.Second, time.Minute, 61 * time.Second, 62 * time.Second, 2 * time.Minute}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("slots %v, want %v", got, want)
	}
	// A slot past the bound is not taken.
	at, ok := l.reserve(epoch.Add(7*time.Second), epoch.Add(time.Minute))
	if ok || at != epoch.Add(2*time.Minute+time.Second) {
		t.Fatalf("bounded reserve = %v %v, want refused at 2m1s", at.Sub(epoch), ok)
	}
	if at, _ := l.reserve(epoch.Add(7*time.Second), time.Time{}); at != epoch.Add(2*time.Minute+time.Second) {
		t.Fatalf("the refused slot was kept: next is %v", at.Sub(epoch))
	}
}

func TestLimiterSeveralWindows(t *testing.T) {
	l := newLimiter(window{n: 2, per: time.Second}, window{n: 5, per: time.Minute})
	var slots []time.Time
	for range 8 {
		at, _ := l.reserve(epoch, time.Time{})
		slots = append(slots, at)
	}
	checkWindows(t, slots, window{n: 2, per: time.Second}, window{n: 5, per: time.Minute})
	if slots[5].Sub(epoch) != time.Minute {
		t.Fatalf("6th slot at %v, want 1m (5 a minute)", slots[5].Sub(epoch))
	}
}

// checkWindows fails unless every window holds at most n of the instants.
func checkWindows(t *testing.T, at []time.Time, ws ...window) {
	t.Helper()
	sorted := append([]time.Time(nil), at...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Before(sorted[j]) })
	for _, w := range ws {
		for i := w.n; i < len(sorted); i++ {
			if d := sorted[i].Sub(sorted[i-w.n]); d < w.per {
				t.Errorf("sends %d and %d only %v apart: more than %d in %v", i-w.n, i, d, w.n, w.per)
			}
		}
	}
}

// TestDingTalkBurstIsPacedNotDropped sends 25 notifications to one DingTalk
// robot at once, on a fake clock: the first 20 go out at once, the other 5
// wait for the minute (the clock moves only when every send is done or
// waiting), none is dropped, and the receiver — which counts 20 a minute
// itself and verifies every signature — refuses none.
func TestDingTalkBurstIsPacedNotDropped(t *testing.T) {
	clock := notifytest.NewFakeClock(epoch)
	rcv := notifytest.NewDingTalk(t, notifytest.WithSecret(dingSecret), notifytest.WithClock(clock.Now))
	d, err := New(settingsOf(robotConfig(ChannelDingTalk, rcv.URL, dingSecret)), newLedger(t), nil, WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	const total = 25
	ctx, cancel := context.WithCancel(context.Background()) // no deadline: the sends wait
	defer cancel()
	results := make(chan error, total)
	for i := range total {
		go func() {
			key := fmt.Sprintf("%s/%02d", t.Name(), i)
			results <- d.Send(ctx, escalation(key, key))
		}()
	}
	timeout := time.After(30 * time.Second)
	done := 0
	for done < total {
		changed := clock.Changed()
		if w := clock.Waiters(); w > 0 && done+w == total {
			clock.AdvanceToNext() // everyone still sending is waiting for the clock
			continue
		}
		select {
		case err := <-results:
			if err != nil {
				t.Errorf("send: %v", err)
			}
			done++
		case <-changed:
		case <-timeout:
			t.Fatalf("%d of %d sends done, %d waiting", done, total, clock.Waiters())
		}
	}
	msgs := rcv.Messages()
	if len(msgs) != total || rcv.Calls() != total {
		t.Fatalf("%d messages in %d calls, want %d", len(msgs), rcv.Calls(), total)
	}
	var at []time.Time
	atEpoch := 0
	for _, m := range msgs {
		at = append(at, m.At)
		if m.At.Equal(epoch) {
			atEpoch++
		}
	}
	checkWindows(t, at, window{n: 20, per: time.Minute})
	if atEpoch != 20 {
		t.Errorf("%d sent at once, want the first 20", atEpoch)
	}
	if el := clock.Now().Sub(epoch); el < time.Minute || el > time.Minute+2*time.Second {
		t.Errorf("the burst took %v of the fake clock, want just over a minute", el)
	}
}

// TestDingTalkBurstWithinActivityDeadline: with the Notify activity's
// deadline (30s) a send whose slot is a minute away is not waited for: it
// fails retryably, asking Temporal to retry when the slot comes, and the
// retry then delivers.
func TestDingTalkBurstWithinActivityDeadline(t *testing.T) {
	clock := notifytest.NewFakeClock(epoch)
	rcv := notifytest.NewDingTalk(t, notifytest.WithSecret(dingSecret), notifytest.WithClock(clock.Now))
	d, err := New(settingsOf(robotConfig(ChannelDingTalk, rcv.URL, dingSecret)), newLedger(t), nil, WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	var late []activities.Notification
	for i := range 25 {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		key := fmt.Sprintf("%s/%02d", t.Name(), i)
		n := escalation(key, key)
		err := d.Send(ctx, n)
		cancel()
		if i < 20 {
			if err != nil {
				t.Fatalf("send %d: %v", i, err)
			}
			continue
		}
		var rl *RateLimitedError
		if !errors.As(err, &rl) || rl.After < time.Minute || rl.After > time.Minute+2*time.Second {
			t.Fatalf("send %d: %v, want RateLimited with a next retry delay of about a minute", i, err)
		}
		late = append(late, n)
	}
	if rcv.Calls() != 20 {
		t.Fatalf("%d calls: a held-back send reached the robot", rcv.Calls())
	}
	clock.Advance(time.Minute + time.Second) // Temporal's retry comes
	for _, n := range late {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		if err := d.Send(ctx, n); err != nil {
			t.Fatalf("retry of %s: %v", n.DedupeKey, err)
		}
		cancel()
	}
	if got := len(rcv.Messages()); got != 25 {
		t.Fatalf("%d messages, want 25", got)
	}
}

// TestRobotLimitSharedInProcess: two dispatchers on one robot share its
// limit.
func TestRobotLimitSharedInProcess(t *testing.T) {
	clock := notifytest.NewFakeClock(epoch)
	rcv := notifytest.NewWeCom(t, notifytest.WithClock(clock.Now))
	var ds []*Dispatcher
	for range 2 {
		d, err := New(settingsOf(robotConfig(ChannelWeCom, rcv.URL, "")), newLedger(t), nil, WithClock(clock))
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	for i := range 21 {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		key := fmt.Sprintf("%s/%02d", t.Name(), i)
		err := ds[i%2].Send(ctx, escalation(key, key))
		cancel()
		if i < 20 && err != nil || i == 20 && !retryable(err) {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	if rcv.Calls() != 20 {
		t.Fatalf("%d calls, want 20", rcv.Calls())
	}
}

// TestLimiterWaitNearDeadline: a free slot is taken however close the
// deadline; a slot that must be waited for past the deadline is refused
// with its delay, and not taken.
func TestLimiterWaitNearDeadline(t *testing.T) {
	clock := notifytest.NewFakeClock(epoch)
	l := newLimiter(window{n: 1, per: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := l.wait(ctx, clock, 5*time.Second, "dingtalk", "robot.example"); err != nil {
		t.Fatalf("free slot: %v", err)
	}
	err := l.wait(ctx, clock, 5*time.Second, "dingtalk", "robot.example")
	var rl errRateLimited
	if !errors.As(err, &rl) || rl.after != time.Minute || retryHint(err) != time.Minute {
		t.Fatalf("busy slot: %v, want errRateLimited after 1m", err)
	}
	if clock.Waiters() != 0 {
		t.Fatal("a refused wait waits")
	}
	clock.Advance(time.Minute)
	if err := l.wait(ctx, clock, 5*time.Second, "dingtalk", "robot.example"); err != nil {
		t.Fatalf("after the minute: %v (the refused slot was kept?)", err)
	}
}
