// Package notify renders notifications from templates and sends them on the
// configured channels (log, email, webhook), each at most once.
package notify

import (
	"context"
	"log/slog"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/config"
)

// Ledger records sends so that a retried activity never sends twice
// (implemented by internal/store).
type Ledger interface{}

// Dispatcher sends notifications. STUB: the records helper implements it.
type Dispatcher struct{}

// New builds a dispatcher for cfg.
func New(cfg config.Notify, ledger Ledger, logger *slog.Logger) (*Dispatcher, error) { panic("todo") }

// Send delivers n on every channel of n.Party.
func (d *Dispatcher) Send(ctx context.Context, n activities.Notification) error { panic("todo") }
