// Command worker runs svcflow's workflows and activities (migrations, search attributes, metrics).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/svcflow/svcflow/config"
)

func main() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) }

// usageError is a bad command line (exit status 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }

// run executes the command line and returns the exit status: 0 success,
// 1 failure (reason on stderr), 2 usage error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "worker: internal error: %v\n", p)
			code = 1
		}
	}()
	root := newRoot()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "worker: %v\nRun 'worker --help' for usage.\n", err)
		return 2
	}
	var ve *config.ValidationError
	if errors.As(err, &ve) {
		// Every problem, one per line.
		fmt.Fprintf(stderr, "worker: invalid configuration (%d problems):\n", len(ve.Problems))
		for _, p := range ve.Problems {
			fmt.Fprintf(stderr, "  %s\n", p)
		}
		return 1
	}
	fmt.Fprintf(stderr, "worker: %s\n", strings.Join(strings.Fields(err.Error()), " "))
	var ee exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
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
		Args:          noArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return serve(cmd, g)
		},
	}
	root.CompletionOptions.HiddenDefaultCmd = true
	pf := root.PersistentFlags()
	pf.StringVar(&g.config, "config", "", "configuration file (YAML; default $SVCFLOW_CONFIG, else "+config.DefaultPath+")")
	pf.DurationVar(&g.connectWait, "connect-wait", 30*time.Second, "how long to keep retrying an unreachable PostgreSQL or Temporal at start")
	config.BindFlags(pf)
	pf.String("metrics-listen", "", "/metrics and /healthz listen address host:port (overrides worker.metrics_listen)")
	pf.String("log-level", "", "log level: debug|info|warn|error (overrides worker.log_level)")
	pf.String("log-format", "", "log format: text|json (overrides worker.log_format)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newMigrateCmd(g), newLocalDevCmd(g))
	return root
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Errorf("unexpected argument %q for %q", args[0], cmd.CommandPath())}
	}
	return nil
}

// loadConfig reads the configuration with the command's flags applied.
func loadConfig(cmd *cobra.Command, g *globalFlags) (*config.Config, error) {
	return config.Load(g.config, cmd.Flags())
}
