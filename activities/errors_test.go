package activities_test

import (
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
