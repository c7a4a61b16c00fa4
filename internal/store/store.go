// Package store keeps svcflow's records in PostgreSQL (pgx/v5): embedded
// versioned migrations and idempotent writes.
package store

import (
	"context"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/config"
)

// Store is the records database. STUB: the records helper implements it.
type Store struct{}

// Open connects a pgx pool sized by cfg.MaxConns, with a clear error when
// PostgreSQL is unreachable.
func Open(ctx context.Context, cfg config.Postgres) (*Store, error) { panic("todo") }

// Migrate applies the embedded migrations (idempotent).
func (s *Store) Migrate(ctx context.Context) error { panic("todo") }

// Ping checks the database (for /healthz).
func (s *Store) Ping(ctx context.Context) error { panic("todo") }

// Close releases the pool.
func (s *Store) Close() {}

// RecordTransition writes t in one transaction.
func (s *Store) RecordTransition(ctx context.Context, t activities.Transition) error { panic("todo") }
