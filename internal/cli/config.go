package cli

import (
	"context"
	"time"

	"github.com/spf13/cobra"
	"go.temporal.io/sdk/client"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/tclient"
)

// AddConfigFlags adds --config and the config override flags to root as
// persistent flags, so every subcommand takes them.
func AddConfigFlags(root *cobra.Command) {
	root.PersistentFlags().String("config", "", "configuration file (YAML; default $SVCFLOW_CONFIG, else "+config.DefaultPath+")")
	config.BindFlags(root.PersistentFlags())
}

// LoadConfig loads the configuration cmd was given (--config, environment,
// flags). A bad config is a bad-input error listing every problem.
func LoadConfig(cmd *cobra.Command) (*config.Config, error) {
	path, err := cmd.Flags().GetString("config")
	if err != nil {
		return nil, Usage(err)
	}
	cfg, err := config.Load(path, cmd.Flags())
	if err != nil {
		return nil, Fail(err)
	}
	return cfg, nil
}

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
