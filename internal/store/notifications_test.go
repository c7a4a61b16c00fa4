package store

import (
	"context"
	"testing"
	"time"
)

func TestNotificationLedger(t *testing.T) {
	s, _ := newStore(t, 2)
	ctx := context.Background()
	if st, err := s.NotificationStatus(ctx, "sr-1/breach/response/1", "email"); err != nil || st != "" {
		t.Fatalf("status before any record = %q, %v", st, err)
	}
	rec := NotificationRecord{DedupeKey: "sr-1/breach/response/1", Channel: "email", RequestID: "1",
		Party: "manager", Kind: "breach", Template: "breach.en", Locale: "en", Recipient: "head@example.com",
		Status: StatusFailed, LastError: "451 try later"}
	if err := s.RecordNotification(ctx, rec); err != nil {
		t.Fatal(err)
	}
	sent := time.Now()
	rec.Status, rec.LastError, rec.SentAt = StatusSent, "", &sent
	if err := s.RecordNotification(ctx, rec); err != nil {
		t.Fatal(err)
	}
	// A late failure record never turns a sent row back to failed.
	rec.Status, rec.LastError, rec.SentAt = StatusFailed, "late", nil
	if err := s.RecordNotification(ctx, rec); err != nil {
		t.Fatal(err)
	}
	recs, err := s.Notifications(ctx, "1")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 {
		t.Fatalf("records = %d, want 1 per (dedupe key, channel)", len(recs))
	}
	r := recs[0]
	if r.Status != StatusSent || r.Attempts != 3 || r.SentAt == nil || r.LastError != "" || r.Template != "breach.en" {
		t.Fatalf("record = %+v", r)
	}
	if st, _ := s.NotificationStatus(ctx, rec.DedupeKey, "email"); st != StatusSent {
		t.Fatalf("status = %q, want sent", st)
	}
	// Another channel of the same key is its own row.
	rec.Channel, rec.Status = "log", StatusSent
	if err := s.RecordNotification(ctx, rec); err != nil {
		t.Fatal(err)
	}
	if recs, _ := s.Notifications(ctx, "1"); len(recs) != 2 {
		t.Fatalf("records = %d, want 2", len(recs))
	}
	rec.Status = "bogus"
	if err := s.RecordNotification(ctx, rec); !isNonRetryable(err) {
		t.Fatalf("bad status: %v, want non-retryable", err)
	}
}
