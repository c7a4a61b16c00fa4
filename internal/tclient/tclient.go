// Package tclient dials Temporal from config: TLS, API key, structured logs,
// retry with a clear error when the server is unreachable.
package tclient

import (
	"context"

	"go.temporal.io/sdk/client"

	"github.com/svcflow/svcflow/config"
)

// Options adds optional parts to a dial.
type Options struct {
	MetricsHandler client.MetricsHandler // nil = none
}

// Dial connects to Temporal as cfg says, retrying until ctx ends.
// STUB: the foundation helper implements it.
func Dial(ctx context.Context, cfg config.Temporal, opts Options) (client.Client, error) {
	panic("todo")
}
