package activities

import (
	"errors"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
)

// Temporal application error types of failures retrying cannot fix, and of
// retries a channel asked to delay.
const (
	ErrTypeInvalidRecord = "InvalidRecord"
	ErrTypeUndeliverable = "Undeliverable"
	ErrTypeRateLimited   = "RateLimited"
)

// The behaviours the records and notifications give their errors
// (internal/store.InvalidRecordError, internal/notify.UndeliverableError,
// internal/notify.RateLimitedError): the dependencies stay free of Temporal.
type (
	invalidRecord interface{ InvalidRecord() bool }
	undeliverable interface{ Undeliverable() bool }
	retryAfter    interface{ RetryAfter() time.Duration }
)

// RetryClass gives an error of the records or the notifications its
// Temporal retry class: non-retryable for what can never succeed, a delayed
// retry where a channel said when, a plain (retried) error otherwise.
func RetryClass(err error) error {
	var ir invalidRecord
	var ud undeliverable
	var ra retryAfter
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ir) && ir.InvalidRecord():
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeInvalidRecord, err)
	case errors.As(err, &ud) && ud.Undeliverable():
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeUndeliverable, err)
	case errors.As(err, &ra) && ra.RetryAfter() > 0:
		return temporal.NewApplicationErrorWithOptions(err.Error(), ErrTypeRateLimited,
			temporal.ApplicationErrorOptions{NextRetryDelay: ra.RetryAfter(), Cause: err})
	}
	return err
}

// sendsError is the failure of some sends of a batch, classed as RetryClass
// reads it: undeliverable only when every failure is; a delayed retry only
// when every retryable failure names a delay (the longest of them).
type sendsError struct {
	msg   string
	final bool
	after time.Duration
}

func (e *sendsError) Error() string             { return e.msg }
func (e *sendsError) Undeliverable() bool       { return e.final }
func (e *sendsError) RetryAfter() time.Duration { return e.after }

// joinSends folds the errors of a batch's sends into one (nil for none).
func joinSends(errs []error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	e := &sendsError{final: true}
	msgs := make([]string, len(errs))
	hinted := true
	for i, err := range errs {
		msgs[i] = err.Error()
		var ud undeliverable
		if errors.As(err, &ud) && ud.Undeliverable() {
			continue
		}
		e.final = false
		var ra retryAfter
		if errors.As(err, &ra) && ra.RetryAfter() > 0 {
			e.after = max(e.after, ra.RetryAfter())
		} else {
			hinted = false
		}
	}
	if e.final || !hinted {
		e.after = 0
	}
	e.msg = strings.Join(msgs, "; ")
	return e
}
