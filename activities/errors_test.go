package activities_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/internal/notify"
	"github.com/svcflow/svcflow/internal/store"
)

// The store and the notifications say what failed; the activities give it
// Temporal's retry class.
func TestRetryClass(t *testing.T) {
	plain := errors.New("connection refused")
	cases := []struct {
		name         string
		err          error
		nonRetryable bool
		errType      string
		delay        time.Duration
	}{
		{"invalid record", fmt.Errorf("write: %w", &store.InvalidRecordError{Err: plain}), true, activities.ErrTypeInvalidRecord, 0},
		{"undeliverable", &notify.UndeliverableError{Msg: "webhook: HTTP 400"}, true, activities.ErrTypeUndeliverable, 0},
		{"rate limited", &notify.RateLimitedError{Msg: "dingtalk: 130101", After: 42 * time.Second}, false, activities.ErrTypeRateLimited, 42 * time.Second},
	}
	for _, c := range cases {
		var ae *temporal.ApplicationError
		if err := activities.RetryClass(c.err); !errors.As(err, &ae) || ae.NonRetryable() != c.nonRetryable || ae.Type() != c.errType || ae.NextRetryDelay() != c.delay {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if err := activities.RetryClass(plain); err != plain {
		t.Errorf("a transient error changed: %v", err)
	}
	if activities.RetryClass(nil) != nil {
		t.Error("nil became an error")
	}
}

// fakeSender answers each notification by dedupe key.
type fakeSender struct {
	answers map[string]error
	sent    []string
}

func (f *fakeSender) Send(_ context.Context, n activities.Notification) error {
	f.sent = append(f.sent, n.DedupeKey)
	return f.answers[n.DedupeKey]
}

// NotifyAll sends every notification of the batch whatever the others did,
// and classes the batch: retried while any send can still succeed, delayed
// only when every retryable failure says when, final when all failures are.
func TestNotifyAllClassesTheBatch(t *testing.T) {
	undeliverable := &notify.UndeliverableError{Msg: "webhook: HTTP 400"}
	limited := func(d time.Duration) error { return &notify.RateLimitedError{Msg: "dingtalk: 130101", After: d} }
	cases := []struct {
		name         string
		answers      map[string]error
		ok           bool
		nonRetryable bool
		delay        time.Duration
	}{
		{"all sent", nil, true, false, 0},
		{"one final", map[string]error{"b": undeliverable}, false, true, 0},
		{"all final", map[string]error{"a": undeliverable, "c": undeliverable}, false, true, 0},
		{"final and transient", map[string]error{"a": undeliverable, "b": errors.New("connection refused")}, false, false, 0},
		{"two rate limits", map[string]error{"a": limited(10 * time.Second), "c": limited(40 * time.Second)}, false, false, 40 * time.Second},
		{"rate limit and transient", map[string]error{"a": limited(10 * time.Second), "c": errors.New("timeout")}, false, false, 0},
	}
	for _, c := range cases {
		f := &fakeSender{answers: c.answers}
		a := &activities.Activities{Notifier: f}
		batch := activities.NotifyBatch{Notifications: []activities.Notification{{DedupeKey: "a"}, {DedupeKey: "b"}, {DedupeKey: "c"}}}
		err := a.NotifyAll(context.Background(), batch)
		if len(f.sent) != 3 {
			t.Errorf("%s: sent %v, want all three", c.name, f.sent)
		}
		if c.ok {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		var ae *temporal.ApplicationError
		switch {
		case err == nil:
			t.Errorf("%s: no error", c.name)
		case errors.As(err, &ae):
			if ae.NonRetryable() != c.nonRetryable || ae.NextRetryDelay() != c.delay {
				t.Errorf("%s: non-retryable %v delay %s, want %v %s (%v)", c.name, ae.NonRetryable(), ae.NextRetryDelay(), c.nonRetryable, c.delay, err)
			}
		case c.nonRetryable || c.delay > 0:
			t.Errorf("%s: plain error %v", c.name, err)
		}
	}
}
