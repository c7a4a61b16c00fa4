package store

import (
	"context"

	"github.com/svcflow/svcflow/activities"
)

// RecordCareLetter records one monthly care letter; (customer, month) is
// unique, so a retried activity leaves one row.
func (s *Store) RecordCareLetter(ctx context.Context, l activities.CareLetter) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO care_letters (customer_id, month, request_id, dedupe_key)
		VALUES ($1, $2, $3, $4) ON CONFLICT (customer_id, month) DO NOTHING`,
		l.CustomerID, l.Month, l.RequestID, l.DedupeKey)
	if err != nil {
		return classify("record care letter", err)
	}
	return nil
}

// CareLetters lists the months a customer was sent a care letter.
func (s *Store) CareLetters(ctx context.Context, customerID string) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT month FROM care_letters WHERE customer_id = $1 ORDER BY month`, customerID)
	if err != nil {
		return nil, classify("read care letters", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
