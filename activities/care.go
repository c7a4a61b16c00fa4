package activities

import (
	"context"
	"errors"
)

// RecordCareLetterName is the registered name of RecordCareLetter.
const RecordCareLetterName = "RecordCareLetter"

// CareLetter is one monthly VIP care letter, unique per (customer, month).
type CareLetter struct {
	CustomerID string `json:"customer_id"`
	Month      string `json:"month"` // YYYY-MM in the calendar's zone
	RequestID  string `json:"request_id,omitempty"`
	DedupeKey  string `json:"dedupe_key"`
}

// CareRecorder writes care letters (implemented by internal/store).
type CareRecorder interface {
	RecordCareLetter(ctx context.Context, l CareLetter) error
}

// RecordCareLetter records a sent care letter; idempotent.
func (a *Activities) RecordCareLetter(ctx context.Context, l CareLetter) error {
	cr, ok := a.Records.(CareRecorder)
	if !ok {
		return errors.New("the records store cannot record care letters")
	}
	return cr.RecordCareLetter(ctx, l)
}
