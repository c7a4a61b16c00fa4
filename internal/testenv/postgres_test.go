package testenv

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestNewDatabaseIsFreshAndDropped(t *testing.T) {
	Integration(t, "PostgreSQL")
	var dsn string
	t.Run("inner", func(t *testing.T) {
		dsn = NewDatabase(t)
		ctx := context.Background()
		c, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatalf("connect to fresh database: %v", err)
		}
		defer c.Close(ctx)
		var n int
		if err := c.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("fresh database has %d tables", n)
		}
	})
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, AdminDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	var exists bool
	if err := admin.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", cfg.Database).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if exists {
		t.Fatalf("database %s still exists after cleanup", cfg.Database)
	}
}

func TestUnreachableNamesStartCommand(t *testing.T) {
	t.Setenv(AdminDSNEnv, "postgres://postgres:hunter2secret@127.0.0.1:1/postgres?sslmode=disable&connect_timeout=2")
	_, _, err := CreateDatabase(context.Background())
	if err == nil {
		t.Fatal("CreateDatabase on a closed port succeeded")
	}
	if !strings.Contains(err.Error(), StartCommand) || strings.Contains(err.Error(), "hunter2secret") {
		t.Fatalf("error = %v; want the start command and no password", err)
	}
}
