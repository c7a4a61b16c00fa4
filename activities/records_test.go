package activities_test

import (
	"context"
	"errors"
	"github.com/svcflow/svcflow/internal/records"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/notify"
	"github.com/svcflow/svcflow/internal/policy"
	"github.com/svcflow/svcflow/internal/store"
	"github.com/svcflow/svcflow/internal/testenv"
)

var dsn string

func TestMain(m *testing.M) { testenv.Main(m, &dsn) }

// env is a Temporal activity test environment over the real store and a
// dispatcher for cfg: errors go through Temporal's failure conversion as in
// a worker.
func env(t *testing.T, cfg config.NotifySettings) (*testsuite.TestActivityEnvironment, *store.Store) {
	t.Helper()
	testenv.Integration(t, "PostgreSQL")
	ctx := context.Background()
	s, err := store.Open(ctx, config.Postgres{DSN: dsn, MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	d, err := notify.New(cfg, s, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	var suite testsuite.WorkflowTestSuite
	e := suite.NewTestActivityEnvironment()
	e.RegisterActivity(activities.New(s, d, policy.SetOf(policy.Snapshot{}), config.Routing{}))
	return e, s
}

func logOnly() config.NotifySettings {
	return config.NotifySettings{Parties: map[string][]string{activities.PartyCustomer: {"log"}}}
}

func transition(id string, seq int64) activities.Transition {
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	return activities.Transition{Facts: records.Facts{
		Request: records.RequestRow{RequestID: id, WorkflowID: "sr-" + id, Seq: seq, Stage: "received",
			Priority: "urgent", Tier: "standard", CreatedAt: at, UpdatedAt: at},
		Events:    []records.Event{{Seq: seq, At: at, Kind: "received", Actor: "intake"}},
		Deadlines: []records.DeadlineRow{{Name: "response", Instance: 1, Clock: "wall", StartedAt: at, State: "running"}},
	}}
}

func TestRecordTransitionActivityTwiceWritesOnce(t *testing.T) {
	e, s := env(t, logOnly())
	tr := transition(t.Name(), 1)
	for range 2 {
		if _, err := e.ExecuteActivity(activities.RecordTransitionName, tr); err != nil {
			t.Fatal(err)
		}
	}
	tl, err := s.Timeline(context.Background(), t.Name())
	if err != nil || len(tl) != 1 {
		t.Fatalf("timeline = %v, %v; want one event", tl, err)
	}
	ds, err := s.Deadlines(context.Background(), t.Name())
	if err != nil || len(ds) != 1 {
		t.Fatalf("deadlines = %v, %v; want one", ds, err)
	}
}

func TestRecordTransitionActivityBadInputIsNonRetryable(t *testing.T) {
	e, _ := env(t, logOnly())
	_, err := e.ExecuteActivity(activities.RecordTransitionName, transition("", 1))
	var ae *temporal.ApplicationError
	if !errors.As(err, &ae) || !ae.NonRetryable() || ae.Type() != activities.ErrTypeInvalidRecord {
		t.Fatalf("error %v, want non-retryable %s", err, activities.ErrTypeInvalidRecord)
	}
}

func TestNotifyActivityRetryClasses(t *testing.T) {
	var calls atomic.Int32
	status := atomic.Int32{}
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.WriteHeader(int(status.Load()))
	}))
	defer hook.Close()
	cfg := config.NotifySettings{
		Parties:     map[string][]string{activities.PartyManager: {"webhook"}},
		Webhook:     config.Webhook{URL: hook.URL, Secret: "s"},
		HTTPTimeout: 2 * time.Second,
	}
	e, s := env(t, cfg)
	n := activities.Notification{DedupeKey: t.Name() + "/breach", RequestID: t.Name(), Party: activities.PartyManager,
		Kind: activities.KindBreach}

	status.Store(http.StatusServiceUnavailable)
	_, err := e.ExecuteActivity(activities.NotifyName, n)
	var ae *temporal.ApplicationError
	if err == nil || (errors.As(err, &ae) && ae.NonRetryable()) {
		t.Fatalf("503: %v, want a retryable error", err)
	}
	status.Store(http.StatusOK)
	for range 2 {
		if _, err := e.ExecuteActivity(activities.NotifyName, n); err != nil {
			t.Fatalf("retry: %v", err)
		}
	}
	if calls.Load() != 2 {
		t.Fatalf("webhook called %d times, want 2 (one refused, one sent)", calls.Load())
	}
	status.Store(http.StatusBadRequest)
	n.DedupeKey += "/2"
	_, err = e.ExecuteActivity(activities.NotifyName, n)
	if !errors.As(err, &ae) || !ae.NonRetryable() || ae.Type() != activities.ErrTypeUndeliverable {
		t.Fatalf("400: %v, want non-retryable %s", err, activities.ErrTypeUndeliverable)
	}
	recs, _ := s.Notifications(context.Background(), t.Name())
	if len(recs) != 2 {
		t.Fatalf("ledger rows %d, want 2", len(recs))
	}
}
