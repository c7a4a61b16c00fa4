package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Notification statuses.
const (
	StatusSent    = "sent"
	StatusFailed  = "failed"
	StatusSkipped = "skipped"
)

// NotificationRecord is one notification on one channel (notifications).
type NotificationRecord struct {
	DedupeKey string     `json:"dedupe_key"`
	Channel   string     `json:"channel"`
	RequestID string     `json:"request_id"`
	Party     string     `json:"party"`
	Kind      string     `json:"kind"`
	Template  string     `json:"template"` // kind.locale, e.g. breach.zh-CN
	Locale    string     `json:"locale"`
	Recipient string     `json:"recipient,omitempty"` // address, webhook host, or "log"
	Status    string     `json:"status"`              // sent | failed | skipped
	Attempts  int        `json:"attempts"`
	LastError string     `json:"last_error,omitempty"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
	HeldUntil *time.Time `json:"held_until,omitempty"` // quiet hours held it until then
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// NotificationStatus is the recorded status of (dedupeKey, channel), or ""
// when nothing is recorded.
func (s *Store) NotificationStatus(ctx context.Context, dedupeKey, channel string) (string, error) {
	var status string
	err := s.pool.QueryRow(ctx, `SELECT status FROM notifications WHERE dedupe_key = $1 AND channel = $2`,
		dedupeKey, channel).Scan(&status)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", classify(fmt.Sprintf("read notification %q on %s", dedupeKey, channel), err)
	}
	return status, nil
}

// RecordNotification records one attempt of (rec.DedupeKey, rec.Channel):
// the first creates the row with attempts 1, later ones add an attempt and
// take the new status, error and sent time; a row once sent stays sent.
func (s *Store) RecordNotification(ctx context.Context, rec NotificationRecord) error {
	if rec.DedupeKey == "" || rec.Channel == "" {
		return nonRetryable(fmt.Errorf("record notification: dedupe_key %q and channel %q must be set", rec.DedupeKey, rec.Channel))
	}
	switch rec.Status {
	case StatusSent, StatusFailed, StatusSkipped:
	default:
		return nonRetryable(fmt.Errorf("record notification %q: status %q: want sent, failed or skipped", rec.DedupeKey, rec.Status))
	}
	_, err := s.pool.Exec(ctx, `
INSERT INTO notifications (dedupe_key, channel, request_id, party, kind, template, locale,
                           recipient, status, attempts, last_error, sent_at, held_until)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $12)
ON CONFLICT (dedupe_key, channel) DO UPDATE SET
    attempts   = notifications.attempts + 1,
    status     = CASE WHEN notifications.status = 'sent' THEN 'sent' ELSE EXCLUDED.status END,
    last_error = CASE WHEN notifications.status = 'sent' THEN notifications.last_error ELSE EXCLUDED.last_error END,
    sent_at    = COALESCE(notifications.sent_at, EXCLUDED.sent_at),
    held_until = COALESCE(notifications.held_until, EXCLUDED.held_until),
    recipient  = EXCLUDED.recipient,
    template   = EXCLUDED.template,
    locale     = EXCLUDED.locale,
    updated_at = now()`,
		rec.DedupeKey, rec.Channel, rec.RequestID, rec.Party, rec.Kind, rec.Template, rec.Locale,
		rec.Recipient, rec.Status, rec.LastError, rec.SentAt, rec.HeldUntil)
	if err != nil {
		return classify(fmt.Sprintf("record notification %q on %s", rec.DedupeKey, rec.Channel), err)
	}
	return nil
}

// Notifications returns a request's notification records, oldest first.
func (s *Store) Notifications(ctx context.Context, requestID string) ([]NotificationRecord, error) {
	rows, err := s.pool.Query(ctx, `
SELECT dedupe_key, channel, request_id, party, kind, template, locale, recipient, status,
       attempts, last_error, sent_at, held_until, created_at, updated_at
FROM notifications WHERE request_id = $1 ORDER BY created_at, id`, requestID)
	if err != nil {
		return nil, fmt.Errorf("read notifications of %q: %w", requestID, err)
	}
	recs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (NotificationRecord, error) {
		var r NotificationRecord
		err := row.Scan(&r.DedupeKey, &r.Channel, &r.RequestID, &r.Party, &r.Kind, &r.Template,
			&r.Locale, &r.Recipient, &r.Status, &r.Attempts, &r.LastError, &r.SentAt,
			&r.HeldUntil, &r.CreatedAt, &r.UpdatedAt)
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("read notifications of %q: %w", requestID, err)
	}
	return recs, nil
}
