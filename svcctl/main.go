// Command svcctl is the agents' command-line tool: one command per action,
// plus status, list, timeline, due, report, whatif and config show
// (CONTRACT §6, §8, §10).
package main

import (
	"context"
	"os"
	"time"

	"github.com/svcflow/svcflow/workflows/requests"

	"github.com/spf13/cobra"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/cli"
)

func main() {
	os.Exit(cli.Execute("svcctl", newRootCmd(), os.Stderr))
}

// app holds the persistent flags every command shares.
type app struct {
	json    bool
	timeout time.Duration
}

func newRootCmd() *cobra.Command {
	a := &app{}
	root := &cobra.Command{
		Use:   "svcctl",
		Short: "Act on and inspect svcflow service requests",
		Long: `svcctl is the agents' tool for svcflow service requests.

Each action of the service process is a command (kebab-case), sent to the
request's workflow as an update: it prints "accepted (stage X)" or exits 1
with the workflow's reason. A request is named "42" or "sr-42".`,
		Example: `  svcctl respond 42 --note "received, a specialist will call you"
  svcctl submit-sheet sr-42 --goal "printer prints" --expected-delivery 2026-12-01T18:00:00+08:00 --customer-duties "site access"
  svcctl status 42
  svcctl list --stage in_progress --breached
  svcctl due --from 2026-11-20T17:30:00+08:00 --add 2wd`,
	}
	cli.AddConfigFlags(root)
	root.PersistentFlags().BoolVar(&a.json, "json", false, "print JSON for scripts")
	root.PersistentFlags().DurationVar(&a.timeout, "timeout", 30*time.Second, "give up on Temporal or PostgreSQL after this long")

	root.AddGroup(&cobra.Group{ID: "actions", Title: "Actions on a request:"},
		&cobra.Group{ID: "inspect", Title: "Inspecting requests:"},
		&cobra.Group{ID: "care", Title: "VIP care:"})
	for _, c := range actionCommands(a) {
		c.GroupID = "actions"
		root.AddCommand(c)
	}
	for _, c := range []*cobra.Command{newStatusCmd(a), newListCmd(a), newTimelineCmd(a), newDueCmd(a), newReportCmd(a), newWhatIfCmd(a)} {
		c.GroupID = "inspect"
		root.AddCommand(c)
	}
	care := newStopCareCmd(a)
	care.GroupID = "care"
	root.AddCommand(care, newConfigCmd(a), newCalendarCmd(a))
	return root
}

// context bounds one command's calls by --timeout.
func (a *app) context(cmd *cobra.Command) (context.Context, context.CancelFunc) {
	return context.WithTimeout(cmd.Context(), a.timeout)
}

// dial loads the config and connects to Temporal.
func (a *app) dial(ctx context.Context, cmd *cobra.Command) (*config.Config, *requests.Requests, error) {
	cfg, err := cli.LoadConfig(cmd)
	if err != nil {
		return nil, nil, err
	}
	rq, err := requests.Dial(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	return cfg, rq, nil
}

// requestArg is the cobra argument check of commands taking one request.
func requestArg(cmd *cobra.Command, args []string) error {
	if len(args) != 1 {
		return cli.Usagef("%s needs exactly one request ID (e.g. 42 or sr-42), got %d arguments", cmd.Name(), len(args))
	}
	if _, err := requests.RequestIDArg(args[0]); err != nil {
		return cli.Fail(err)
	}
	return nil
}
