package store

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/svcflow/svcflow/internal/records"
	"sync"
	"testing"
	"time"

	"errors"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/testenv"
)

// dsn is this package's database (one per test package); tests keep apart
// by request IDs.
var dsn string

func TestMain(m *testing.M) { testenv.Main(m, &dsn) }

var migrateOnce sync.Once

// newStore opens a store on the package's database, migrated once.
func newStore(t testing.TB, maxConns int32) (*Store, string) {
	t.Helper()
	testenv.Integration(t, "PostgreSQL")
	ctx := context.Background()
	s, err := Open(ctx, config.Postgres{DSN: dsn, MaxConns: maxConns})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(s.Close)
	var merr error
	migrateOnce.Do(func() { merr = s.Migrate(ctx) })
	if merr != nil {
		t.Fatalf("migrate: %v", merr)
	}
	return s, dsn
}

// newFreshStore opens a migrated store on a database of its own.
func newFreshStore(t testing.TB, maxConns int32) (*Store, string) {
	t.Helper()
	fresh := testenv.NewDatabase(t)
	ctx := context.Background()
	s, err := Open(ctx, config.Postgres{DSN: fresh, MaxConns: maxConns})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(s.Close)
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return s, fresh
}

var t0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func tp(t time.Time) *time.Time { return &t }

// transition builds a full transition of request id at sequence seq, with
// events seq-1 and seq, two deadlines, one complaint and a survey.
func transition(id string, seq int64, stage string) records.Facts {
	at := t0.Add(time.Duration(seq) * time.Minute)
	solved := true
	return records.Facts{
		Request: records.RequestRow{
			RequestID: id, WorkflowID: "sr-" + id, Seq: seq, CustomerID: "c-1", CustomerName: "张三",
			Tier: "vip", Priority: "urgent", Category: "network", Channel: "phone", Complex: true,
			Title: "光纤中断", Stage: stage, Group: "general", Assignee: "li", EscalationLevel: 1,
			SheetRounds: 1, CreatedAt: t0, UpdatedAt: at, FirstResponseAt: tp(t0.Add(time.Minute)),
			ResolutionWork: 90 * time.Minute, CustomerWait: 5 * time.Minute,
		},
		Events: []records.Event{
			{Seq: seq - 1, At: at.Add(-time.Second), Kind: "stage", Actor: "system", Payload: json.RawMessage(`{"stage":"` + stage + `"}`)},
			{Seq: seq, At: at, Kind: "action.respond", Actor: "li"},
		},
		Deadlines: []records.DeadlineRow{
			{Name: "response", Instance: 1, Clock: "wall", StartedAt: t0, DueAt: tp(t0.Add(3 * time.Minute)), State: stage, MetAt: tp(at)},
			{Name: "sheet", Instance: 1, Clock: "business", StartedAt: at, DueAt: tp(at.Add(16 * time.Hour)), State: "running", Paused: time.Hour},
		},
		Complaints: []records.ComplaintRow{
			{ComplaintID: 1, Source: "action", Reason: "slow " + stage, OpenedAt: at, DueAt: at.Add(24 * time.Hour)},
		},
		Survey: &records.SurveyRow{ResponseSpeed: 5, Resolution: 4, Attitude: 5, Professionalism: 4,
			Average: 4.5, Solved: &solved, Comment: stage, RecordedAt: at},
	}
}

// counts is the number of rows per table for request id.
func counts(t testing.TB, s *Store, id string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"service_requests", "request_events", "sla_deadlines", "complaints", "surveys"} {
		var n int
		if err := s.Pool().QueryRow(context.Background(),
			fmt.Sprintf("SELECT count(*) FROM %s WHERE request_id = $1", table), id).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

// isNonRetryable: the record can never be written (the activities turn this
// into a non-retryable Temporal error).
func isNonRetryable(err error) bool {
	var ie *InvalidRecordError
	return errors.As(err, &ie)
}

func newDSN(t testing.TB) string { return testenv.NewDatabase(t) }

// newPoolStore builds a store over cfg without checking the server answers.
func newPoolStore(ctx context.Context, cfg *pgxpool.Config) (*Store, error) {
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return &Store{pool: pool}, nil
}
