// Command starter starts service requests from JSON or flags and serves the
// HTTP intake API for upstream systems (CONTRACT §6, §8).
package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/svcflow/svcflow/internal/cli"
)

func main() {
	os.Exit(cli.Execute("starter", newRootCmd(), os.Stderr))
}

func newRootCmd() *cobra.Command {
	var o startOptions
	root := &cobra.Command{
		Use:   "starter [--file FILE|-] [request flags]",
		Short: "Start a service request workflow, or serve the HTTP intake API",
		Long: `starter starts the ServiceRequest workflow of one request, given as JSON
(--file FILE, or --file - for stdin) or by flags, and prints the workflow ID,
whether it was created or already existed, and the Temporal UI link.
Starting the same request ID again never creates a second run.`,
		Example: `  starter --file request.json
  echo '{...}' | starter --file - --json
  starter --request-id 42 --customer-id c-7 --customer-name "Acme Ltd" --tier vip --priority urgent --title "Printer jams"
  starter serve --listen :8088`,
		Args: cobra.NoArgs,
		RunE: cli.RunE(func(cmd *cobra.Command, _ []string) error { return runStart(cmd, &o) }),
	}
	cli.AddConfigFlags(root)
	o.bind(root)
	root.AddCommand(newServeCmd())
	return root
}
