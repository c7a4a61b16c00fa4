package store

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
)

// InvalidRecordError is a record that can never be written (bad input, a
// constraint or data error): retrying cannot help.
type InvalidRecordError struct{ Err error }

func (e *InvalidRecordError) Error() string { return e.Err.Error() }
func (e *InvalidRecordError) Unwrap() error { return e.Err }

// InvalidRecord marks the error as final for the activity's retry policy.
func (e *InvalidRecordError) InvalidRecord() bool { return true }

func nonRetryable(err error) error { return &InvalidRecordError{Err: err} }

// classify turns a database error into a transient (plain) error or, for
// errors that would never succeed, an *InvalidRecordError.
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
