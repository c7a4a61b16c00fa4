package store

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"go.temporal.io/sdk/temporal"
)

// ErrTypeInvalidRecord is the temporal application error type of records
// that can never be written (bad input, constraint or data errors).
const ErrTypeInvalidRecord = "InvalidRecord"

// nonRetryable wraps err so that Temporal does not retry the activity.
func nonRetryable(err error) error {
	return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeInvalidRecord, err)
}

// classify turns a database error into a retryable (plain) error or, for
// errors that would never succeed, a non-retryable application error.
func classify(what string, err error) error {
	wrapped := fmt.Errorf("%s: %w", what, err)
	if Permanent(err) {
		return nonRetryable(wrapped)
	}
	return wrapped
}

// Permanent reports whether err is a PostgreSQL error that retrying cannot
// fix: data exceptions (SQLSTATE class 22) and integrity constraint
// violations (class 23). Connection, lock, serialization and resource errors
// are transient.
func Permanent(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || len(pe.Code) < 2 {
		return false
	}
	switch pe.Code[:2] {
	case "22", "23":
		return true
	}
	return false
}
