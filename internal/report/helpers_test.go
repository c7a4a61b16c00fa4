package report

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/store"
	"github.com/svcflow/svcflow/internal/testenv"
)

// newDB is a fresh migrated database's pool.
func newDB(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, config.Postgres{DSN: testenv.NewDatabase(tb), MaxConns: 8})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(st.Close)
	if err := st.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	return st.Pool()
}

// tableCounts shows the row counts of the report's tables.
func tableCounts(tb testing.TB, pool *pgxpool.Pool) string {
	tb.Helper()
	out := ""
	for _, t := range []string{"service_requests", "request_events", "sla_deadlines", "surveys", "complaints"} {
		var n int64
		if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM "+t).Scan(&n); err != nil {
			tb.Fatal(err)
		}
		out += fmt.Sprintf("%s=%d ", t, n)
	}
	return out
}
