// Command worker runs svcflow's workflows and activities (migrations, search attributes, metrics).
package main

import (
	"context"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/cli"
)

func main() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) }

// run executes the command line and returns the exit status: 0 success,
// 1 failure (reason on stderr; a bad configuration one problem a line),
// 2 usage error, 3 no PostgreSQL (localdev ensure-db).
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRoot()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetContext(ctx)
	return cli.Execute("worker", root, stderr)
}

// globalFlags are the flags every subcommand shares.
type globalFlags struct {
	config      string
	connectWait time.Duration
}

func newRoot() *cobra.Command {
	g := &globalFlags{}
	root := &cobra.Command{
		Use:   "worker",
		Short: "Run svcflow's workflows and activities",
		Long: "worker runs svcflow's workflows and activities on the configured task queue.\n" +
			"At start it applies the database migrations and registers the custom search\n" +
			"attributes; it serves /metrics and /healthz and stops gracefully on SIGTERM/SIGINT.",
		Args: noArgs,
		RunE: cli.RunE(func(cmd *cobra.Command, _ []string) error {
			return serve(cmd, g)
		}),
	}
	root.CompletionOptions.HiddenDefaultCmd = true
	pf := root.PersistentFlags()
	pf.StringVar(&g.config, "config", "", "configuration file (YAML; default $SVCFLOW_CONFIG, else "+config.DefaultPath+")")
	pf.DurationVar(&g.connectWait, "connect-wait", 30*time.Second, "how long to keep retrying an unreachable PostgreSQL or Temporal at start")
	config.BindFlags(pf)
	pf.String("metrics-listen", "", "/metrics and /healthz listen address host:port (overrides worker.metrics_listen)")
	pf.String("log-level", "", "log level: debug|info|warn|error (overrides worker.log_level)")
	pf.String("log-format", "", "log format: text|json (overrides worker.log_format)")
	root.AddCommand(newMigrateCmd(g), newLocalDevCmd(g))
	return root
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return cli.Usagef("unexpected argument %q for %q", args[0], cmd.CommandPath())
	}
	return nil
}

// loadConfig reads the configuration with the command's flags applied.
func loadConfig(cmd *cobra.Command, g *globalFlags) (*config.Config, error) {
	return config.Load(g.config, cmd.Flags())
}
