package store

import (
	"context"
	"fmt"
	"regexp"

	"github.com/jackc/pgx/v5"

	"github.com/svcflow/svcflow/activities"
)

var monthRE = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])$`)

// RecordCareLetter records a sent care letter, once per (customer, month):
// a second call for the same pair changes nothing.
func (s *Store) RecordCareLetter(ctx context.Context, l activities.CareLetter) error {
	if l.CustomerID == "" || !monthRE.MatchString(l.Month) {
		return nonRetryable(fmt.Errorf("invalid care letter: customer_id %q, month %q (want YYYY-MM)", l.CustomerID, l.Month))
	}
	_, err := s.pool.Exec(ctx, `
INSERT INTO care_letters (customer_id, month, request_id, dedupe_key)
VALUES ($1, $2, $3, $4)
ON CONFLICT (customer_id, month) DO NOTHING`, l.CustomerID, l.Month, l.RequestID, l.DedupeKey)
	if err != nil {
		return classify(fmt.Sprintf("record care letter %s/%s", l.CustomerID, l.Month), err)
	}
	return nil
}

// CareLetters returns a customer's recorded care letters by month.
func (s *Store) CareLetters(ctx context.Context, customerID string) ([]activities.CareLetter, error) {
	rows, err := s.pool.Query(ctx, `
SELECT customer_id, month, request_id, dedupe_key FROM care_letters
WHERE customer_id = $1 ORDER BY month`, customerID)
	if err != nil {
		return nil, fmt.Errorf("read care letters of %q: %w", customerID, err)
	}
	ls, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (activities.CareLetter, error) {
		var l activities.CareLetter
		err := row.Scan(&l.CustomerID, &l.Month, &l.RequestID, &l.DedupeKey)
		return l, err
	})
	if err != nil {
		return nil, fmt.Errorf("read care letters of %q: %w", customerID, err)
	}
	return ls, nil
}

var _ activities.CareRecorder = (*Store)(nil)
