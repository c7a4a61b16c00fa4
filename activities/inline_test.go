package activities_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/internal/records"
)

type nopRecorder struct{ wrote int }

func (r *nopRecorder) RecordTransition(context.Context, records.Facts) error { r.wrote++; return nil }

// slowSender answers "slow" only when its context ends.
type slowSender struct{ fakeSender }

func (s *slowSender) Send(ctx context.Context, n activities.Notification) error {
	if n.DedupeKey == "slow" {
		<-ctx.Done()
		return ctx.Err()
	}
	return s.fakeSender.Send(ctx, n)
}

// Inline sends never fail the write: what fails, and what the budget
// leaves no time for, comes back by index for a NotifyAll task; without
// Inline a failed send fails the activity (it is retried whole).
func TestRecordTransitionInlineSends(t *testing.T) {
	notes := []activities.Notification{{DedupeKey: "a"}, {DedupeKey: "b"}, {DedupeKey: "slow"}, {DedupeKey: "c"}}
	rec := &nopRecorder{}
	s := &slowSender{fakeSender{answers: map[string]error{"b": errors.New("connection refused")}}}
	a := &activities.Activities{Records: rec, Notifier: s}
	t0 := time.Now()
	res, err := a.RecordTransition(context.Background(), activities.Transition{Notifications: notes, Inline: true})
	if err != nil || rec.wrote != 1 {
		t.Fatalf("inline: err %v, %d writes", err, rec.wrote)
	}
	if took := time.Since(t0); took > activities.InlineBudget+time.Second {
		t.Errorf("took %s, budget %s", took, activities.InlineBudget)
	}
	if want := []int{1, 2, 3}; !slices.Equal(res.Unsent, want) {
		t.Errorf("unsent %v, want %v (failed, timed out, no time left)", res.Unsent, want)
	}

	s2 := &fakeSender{answers: map[string]error{"b": errors.New("connection refused")}}
	a2 := &activities.Activities{Records: rec, Notifier: s2}
	if _, err := a2.RecordTransition(context.Background(), activities.Transition{Notifications: notes[:2]}); err == nil {
		t.Error("log-only shape: a failed send did not fail the activity")
	}
}
