package cluster

// This file creates, sets up and drops the cluster's two PostgreSQL databases.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// ErrPostgresUnreachable is wrapped by Start's error when nothing answers
// at the admin DSN (tests skip on it).
var ErrPostgresUnreachable = errors.New("PostgreSQL unreachable")

// parseAdminDSN reads the admin DSN into pgx's config and the server's
// view of it (host, port, user, password over TCP).
func parseAdminDSN(dsn string) (*pgx.ConnConfig, pgTarget, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, pgTarget{}, fmt.Errorf("cluster: options: AdminDSN: %v", err)
	}
	if strings.HasPrefix(cfg.Host, "/") {
		return nil, pgTarget{}, fmt.Errorf("cluster: options: AdminDSN: host %s is a Unix socket; the Temporal server needs host:port over TCP", cfg.Host)
	}
	if cfg.TLSConfig != nil && !plainFallback(cfg) {
		// The postgres12 plugin would need its own TLS settings; not supported here.
		return nil, pgTarget{}, fmt.Errorf("cluster: options: AdminDSN: TLS to PostgreSQL is not supported (use sslmode=disable or prefer)")
	}
	return cfg, pgTarget{Host: cfg.Host, Port: int(cfg.Port), User: cfg.User, Password: cfg.Password}, nil
}

// plainFallback reports whether the DSN allows a connection without TLS
// (sslmode prefer or allow).
func plainFallback(cfg *pgx.ConnConfig) bool {
	for _, f := range cfg.Fallbacks {
		if f.TLSConfig == nil {
			return true
		}
	}
	return false
}

func connectAdmin(ctx context.Context, cfg *pgx.ConnConfig, db string) (*pgx.Conn, error) {
	c := cfg.Copy()
	if db != "" {
		c.Database = db
	}
	conn, err := pgx.ConnectConfig(ctx, c)
	if err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) {
			return nil, fmt.Errorf("cluster: PostgreSQL at %s:%d refused %s: %s", cfg.Host, cfg.Port, c.Database, pgErr.Message)
		}
		return nil, fmt.Errorf("cluster: %w at %s:%d: %v", ErrPostgresUnreachable, cfg.Host, cfg.Port, redact(err, cfg.Password))
	}
	return conn, nil
}

// freshDatabases names a new pair with a random suffix.
func freshDatabases() (Databases, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return Databases{}, fmt.Errorf("cluster: random database suffix: %w", err)
	}
	s := hex.EncodeToString(b[:])
	return Databases{Main: "temporal_" + s, Visibility: "temporal_visibility_" + s}, nil
}

// createDatabases creates the two databases; an existing one is an error
// unless reuse. On an error it drops those it created.
func createDatabases(ctx context.Context, admin *pgx.Conn, dbs Databases, reuse bool) error {
	var created []string
	for _, name := range []string{dbs.Main, dbs.Visibility} {
		_, err := admin.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
		var pgErr *pgconn.PgError
		if err != nil && reuse && errors.As(err, &pgErr) && pgErr.Code == "42P04" { // duplicate_database
			continue
		}
		if err != nil {
			errs := []error{fmt.Errorf("cluster: create database %s: %w", name, err)}
			for _, c := range created {
				if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{c}.Sanitize()+" WITH (FORCE)"); err != nil {
					errs = append(errs, fmt.Errorf("cluster: drop database %s: %w", c, err))
				}
			}
			return errors.Join(errs...)
		}
		created = append(created, name)
	}
	return nil
}

// dropDatabases drops both databases, cutting any connection left.
func dropDatabases(ctx context.Context, admin *pgx.Conn, dbs Databases) error {
	var errs []error
	for _, name := range []string{dbs.Main, dbs.Visibility} {
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			errs = append(errs, fmt.Errorf("cluster: drop database %s: %w", name, err))
		}
	}
	return errors.Join(errs...)
}

// setupSchema runs the sql tool on both databases: versioning tables
// (setup-schema -v 0.0), then every versioned schema step the server
// embeds (update-schema). Both steps are idempotent; its output goes to
// logPath.
func setupSchema(ctx context.Context, tool string, pg pgTarget, dbs Databases, logPath string) error {
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("cluster: schema log: %w", err)
	}
	defer logf.Close()
	steps := []struct {
		db, schema string
	}{{dbs.Main, "postgresql/v12/temporal"}, {dbs.Visibility, "postgresql/v12/visibility"}}
	for _, st := range steps {
		for _, args := range [][]string{
			{"setup-schema", "-v", "0.0"},
			{"update-schema", "--schema-name", st.schema},
		} {
			full := append([]string{"--plugin", "postgres12", "--endpoint", pg.Host, "--port", strconv.Itoa(pg.Port),
				"--user", pg.User, "--database", st.db}, args...)
			cmd := exec.CommandContext(ctx, tool, full...)
			cmd.Env = append(os.Environ(), "SQL_PASSWORD="+pg.Password) // not on the command line
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			err := cmd.Run()
			fmt.Fprintf(logf, "$ temporal-sql-tool %s\n%s", strings.Join(full, " "), out.String())
			if err != nil {
				return fmt.Errorf("cluster: schema: temporal-sql-tool %s on %s: %v: %s", args[0], st.db, err, lastLine(out.String()))
			}
		}
	}
	return nil
}

// connections counts the server connections to the cluster's databases.
func connections(ctx context.Context, admin *pgx.Conn, dbs Databases) (int, error) {
	var n int
	err := admin.QueryRow(ctx, "SELECT count(*) FROM pg_stat_activity WHERE datname = ANY($1) AND pid <> pg_backend_pid()",
		[]string{dbs.Main, dbs.Visibility}).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("cluster: count connections: %w", err)
	}
	return n, nil
}

func redact(err error, password string) string {
	msg := err.Error()
	if password != "" {
		msg = strings.ReplaceAll(msg, password, "xxxxx")
	}
	return msg
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
