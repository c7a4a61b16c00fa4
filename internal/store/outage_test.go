package store

import (
	"context"
	"net/url"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/testenv"
)

// TestOutageMidTransactionIsRetryableAndLeavesNothing kills the store's
// PostgreSQL backend while a transition is half written (request and events
// inserted, the deadline insert waiting on a lock) and checks the error is
// retryable, nothing was kept, and the retry writes everything once.
func TestOutageMidTransactionIsRetryableAndLeavesNothing(t *testing.T) {
	dsn := testenv.NewDatabase(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("application_name", "svcflow-outage-test")
	u.RawQuery = q.Encode()
	ctx := context.Background()
	s, err := Open(ctx, config.Postgres{DSN: u.String(), MaxConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	// Warm the connection's prepared statements, so the victim blocks at
	// execution (after writing), not while preparing.
	if err := s.RecordTransition(ctx, transition("warm", 2, "x")); err != nil {
		t.Fatal(err)
	}

	locker, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Close(ctx)
	ltx, err := locker.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ltx.Exec(ctx, "LOCK TABLE sla_deadlines IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}

	victim := transition("victim", 2, "responded")
	done := make(chan error, 1)
	go func() { done <- s.RecordTransition(ctx, victim) }()

	// Wait until the store's backend has written the request and events and
	// waits for the deadline table.
	var pid int32
	deadline := time.Now().Add(15 * time.Second)
	for {
		err := locker.QueryRow(ctx, `
SELECT a.pid FROM pg_stat_activity a
WHERE a.application_name = 'svcflow-outage-test' AND a.wait_event_type = 'Lock'
  AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.relation = 'request_events'::regclass AND l.granted)`).Scan(&pid)
		if err == nil {
			break
		}
		if err != pgx.ErrNoRows {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatal("store backend never blocked half-way through the transition")
		}
		time.Sleep(10 * time.Millisecond) // polling pg_stat_activity; no event to await
	}
	var killed bool
	if err := locker.QueryRow(ctx, "SELECT pg_terminate_backend($1)", pid).Scan(&killed); err != nil || !killed {
		t.Fatalf("terminate backend %d: %v %v", pid, killed, err)
	}
	err = <-done
	if err == nil {
		t.Fatal("transition succeeded although its backend was terminated")
	}
	if isNonRetryable(err) {
		t.Fatalf("outage error is non-retryable: %v", err)
	}
	t.Logf("outage error (retryable): %v", err)
	if err := ltx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	zero := map[string]int{"service_requests": 0, "request_events": 0, "sla_deadlines": 0, "complaints": 0, "surveys": 0}
	if got := counts(t, s, "victim"); !reflect.DeepEqual(got, zero) {
		t.Fatalf("partial transition kept: %v", got)
	}
	// The activity retry succeeds and writes everything once.
	if err := s.RecordTransition(ctx, victim); err != nil {
		t.Fatalf("retry after outage: %v", err)
	}
	want := map[string]int{"service_requests": 1, "request_events": 2, "sla_deadlines": 2, "complaints": 1, "surveys": 1}
	if got := counts(t, s, "victim"); !reflect.DeepEqual(got, want) {
		t.Fatalf("after retry rows = %v, want %v", got, want)
	}
}

// TestClosedPortIsRetryable: a store whose database has gone away returns
// retryable errors from writes and ledger reads.
func TestClosedPortIsRetryable(t *testing.T) {
	s, _ := newStore(t, 2)
	ctx := context.Background()
	// Point a copy of the pool at a closed port: same store code, dead server.
	cfg := s.Pool().Config()
	cfg.ConnConfig.Port = 1
	cfg.ConnConfig.ConnectTimeout = 2 * time.Second
	dead, err := newPoolStore(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer dead.Close()
	err = dead.RecordTransition(ctx, transition("gone", 2, "x"))
	if err == nil || isNonRetryable(err) {
		t.Fatalf("record on closed port: %v, want retryable error", err)
	}
	if _, err := dead.NotificationStatus(ctx, "k", "email"); err == nil || isNonRetryable(err) {
		t.Fatalf("ledger read on closed port: %v, want retryable error", err)
	}
	if err := dead.Ping(ctx); err == nil {
		t.Fatal("ping on closed port succeeded")
	}
}
