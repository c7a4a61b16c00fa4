package main

import (
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/svcflow/svcflow/internal/cli"
	"github.com/svcflow/svcflow/workflows"
)

// newStopCareCmd is `svcctl stop-care <customer_id>`: ends a VIP customer's
// monthly care (the CustomerCare workflow's stop_care action).
func newStopCareCmd(a *app) *cobra.Command {
	var actor, note string
	cmd := &cobra.Command{
		Use:     "stop-care <customer_id>",
		Short:   "Stop a VIP customer's monthly care letters",
		Example: "  svcctl stop-care c-7 --note \"customer asked to stop\"",
		Args:    cobra.ExactArgs(1),
		RunE: cli.RunE(func(cmd *cobra.Command, args []string) error {
			customer := strings.TrimPrefix(args[0], workflows.CareIDPrefix)
			act := workflows.Action{ActionID: uuid.NewString(), Actor: actor, Note: note}
			if err := act.Validate(workflows.ActionStopCare); err != nil {
				return err
			}
			ctx, cancel := a.context(cmd)
			defer cancel()
			_, rq, err := a.dial(ctx, cmd)
			if err != nil {
				return err
			}
			defer rq.Client.Close()
			res, err := rq.StopCare(ctx, customer, act)
			if err != nil {
				return err
			}
			if a.json {
				return cli.PrintJSON(cmd.OutOrStdout(), res)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "stopped VIP care of customer %s\n", customer)
			return nil
		}),
	}
	cmd.Flags().StringVar(&actor, "actor", defaultActor(), "who stops it, for the record")
	cmd.Flags().StringVar(&note, "note", "", "why")
	return cmd
}
