package workflows

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"

	"github.com/svcflow/svcflow/activities"
)

// notifyTasks counts the Notify and NotifyAll tasks of a run and the dedupe
// keys they carry.
func notifyTasks(h *harness) (tasks *int, keys map[string]int) {
	tasks, keys = new(int), map[string]int{}
	h.env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, args converter.EncodedValues) {
		switch info.ActivityType.Name {
		case activities.NotifyAllName:
			*tasks++
			var b activities.NotifyBatch
			if err := args.Get(&b); err != nil {
				h.t.Errorf("NotifyAll input: %v", err)
			}
			for _, n := range b.Notifications {
				keys[n.DedupeKey]++
			}
		case activities.NotifyName:
			*tasks++
			var n activities.Notification
			if err := args.Get(&n); err != nil {
				h.t.Errorf("Notify input: %v", err)
			}
			keys[n.DedupeKey]++
		}
	})
	return tasks, keys
}

// sentOnce fails unless every notification went out exactly once.
func sentOnce(h *harness) {
	h.t.Helper()
	seen := map[string]int{}
	for _, n := range h.f.notes {
		seen[n.DedupeKey]++
	}
	for k, c := range seen {
		if c != 1 {
			h.t.Errorf("%s sent %d times", k, c)
		}
	}
	if len(seen) == 0 {
		h.t.Error("nothing sent")
	}
}

// Requests taken in now send every notification from the record local
// activity, whatever the channels: a happy path with e-mail and webhook
// parties schedules no notification task at all.
func TestInlineSendsNeedNoNotifyTasks(t *testing.T) {
	h := newHarness(t, monday10, nil) // no log-only parties
	tasks, _ := notifyTasks(h)
	happyPath(h)
	if st := h.run(sampleRequest("inline1")); st.Outcome != OutcomeCompleted {
		t.Fatalf("outcome %s", st.Outcome)
	}
	if *tasks != 0 {
		t.Errorf("%d notification tasks, want 0 (all sent inline)", *tasks)
	}
	sentOnce(h)
}

// A notification whose inline send fails goes to a NotifyAll/Notify task
// (with the retries of an activity) and is sent once; the others of its
// transition are not sent again.
func TestInlineFailedSendIsRetriedByActivity(t *testing.T) {
	h := newHarness(t, monday10, nil)
	h.f.failOnce = map[string]bool{"sr-inline2/receipt/customer": true}
	tasks, keys := notifyTasks(h)
	happyPath(h)
	if st := h.run(sampleRequest("inline2")); st.Outcome != OutcomeCompleted {
		t.Fatalf("outcome %s", st.Outcome)
	}
	if *tasks != 1 || keys["sr-inline2/receipt/customer"] != 1 || len(keys) != 1 {
		t.Errorf("%d notification tasks carrying %v, want one with the receipt only", *tasks, keys)
	}
	h.sentAt(activities.KindReceipt, activities.PartyCustomer, "receipt")
	sentOnce(h)
}

// A timer armed in the task of a record activity counts from the
// activity's end, not from the task's start: the response warning (24 min
// after intake) is armed for 24 min less the 300 ms the write and the
// sends took, so it does not fire that much late.
func TestTimerCountsFromTheRecordActivitysEnd(t *testing.T) {
	h := newHarness(t, monday10, nil)
	h.acts.Now = func() time.Time { return h.env.Now().Add(300 * time.Millisecond) }
	var durations []time.Duration
	h.env.SetOnTimerScheduledListener(func(_ string, d time.Duration) { durations = append(durations, d) })
	h.after(time.Minute, ActionCancel, Action{ActionID: "c", Actor: "alice", Reason: "test"})
	h.run(sampleRequest("timer1"))
	want := 24*time.Minute - 300*time.Millisecond
	if len(durations) == 0 || durations[0] != want {
		t.Errorf("timers %v, want the first %s", durations, want)
	}
}
