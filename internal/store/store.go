// Package store keeps svcflow's records in PostgreSQL (pgx/v5): embedded
// versioned migrations and idempotent writes.
package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/svcflow/svcflow/config"
)

// DefaultMaxConns is the pool size when postgres.max_conns is 0.
const DefaultMaxConns = 8

// ApplicationName is reported to PostgreSQL (pg_stat_activity) unless the DSN
// sets application_name.
const ApplicationName = "svcflow"

// ErrNotFound is returned by the read APIs when no such request exists.
var ErrNotFound = errors.New("not found")

// Store is the records database.
type Store struct {
	pool *pgxpool.Pool
}

// Open connects a pgx pool sized by cfg.MaxConns and checks that PostgreSQL
// answers, with a clear error naming the host when it does not. The DSN's
// password never appears in an error.
func Open(ctx context.Context, cfg config.Postgres) (*Store, error) {
	if strings.TrimSpace(cfg.DSN) == "" {
		return nil, errors.New("postgres.dsn: empty")
	}
	if cfg.MaxConns < 0 {
		return nil, fmt.Errorf("postgres.max_conns: %d: must not be negative", cfg.MaxConns)
	}
	pc, err := pgxpool.ParseConfig(cfg.DSN)
	if err != nil {
		return nil, fmt.Errorf("postgres.dsn: %s", redact(err.Error(), cfg.DSN))
	}
	pc.MaxConns = cfg.MaxConns
	if pc.MaxConns == 0 {
		pc.MaxConns = DefaultMaxConns
	}
	if _, ok := pc.ConnConfig.RuntimeParams["application_name"]; !ok {
		pc.ConnConfig.RuntimeParams["application_name"] = ApplicationName
	}
	if pc.ConnConfig.ConnectTimeout == 0 {
		pc.ConnConfig.ConnectTimeout = 10 * time.Second
	}
	where := fmt.Sprintf("%s:%d (database %q, user %q)", pc.ConnConfig.Host, pc.ConnConfig.Port, pc.ConnConfig.Database, pc.ConnConfig.User)
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %s", where, redact(err.Error(), cfg.DSN))
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: cannot reach %s: %s", where, redact(err.Error(), cfg.DSN))
	}
	return &Store{pool: pool}, nil
}

// Ping checks the database (for /healthz).
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("postgres ping: %w", err)
	}
	return nil
}

// Close releases the pool.
func (s *Store) Close() {
	if s != nil && s.pool != nil {
		s.pool.Close()
	}
}

// Pool is the underlying pgx pool (for reports and svcctl).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

var kvPassword = regexp.MustCompile(`(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)`)

// redact removes the DSN's password from msg.
func redact(msg, dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if p, ok := u.User.Password(); ok && p != "" {
			msg = strings.ReplaceAll(msg, p, "xxxxx")
			if esc := url.QueryEscape(p); esc != p {
				msg = strings.ReplaceAll(msg, esc, "xxxxx")
			}
			if esc := url.PathEscape(p); esc != p {
				msg = strings.ReplaceAll(msg, esc, "xxxxx")
			}
		}
	}
	for _, m := range kvPassword.FindAllStringSubmatch(dsn, -1) {
		p := strings.Trim(m[2], "'")
		if p != "" {
			msg = strings.ReplaceAll(msg, p, "xxxxx")
		}
	}
	msg = kvPassword.ReplaceAllString(msg, "${1}xxxxx")
	return msg
}
