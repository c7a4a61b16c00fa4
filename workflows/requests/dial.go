package requests

import (
	"context"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/tclient"
)

// DialWait is how long programs retry an unreachable Temporal server.
const DialWait = 10 * time.Second

// Dial connects to Temporal as cfg says and returns the request operations.
// Close the client when done.
func Dial(ctx context.Context, cfg *config.Config) (*Requests, error) {
	c, err := tclient.Dial(ctx, cfg.Temporal, tclient.Options{Wait: DialWait})
	if err != nil {
		return nil, err
	}
	return NewRequests(c, cfg), nil
}

// NewRequests binds c to the namespace, task queue and UI of cfg.
func NewRequests(c client.Client, cfg *config.Config) *Requests {
	return &Requests{Client: c, Namespace: cfg.Temporal.Namespace, TaskQueue: cfg.Temporal.TaskQueue, UIURL: cfg.Temporal.UIURL}
}
