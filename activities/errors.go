package activities

import (
	"errors"
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
