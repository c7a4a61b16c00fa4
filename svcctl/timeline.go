package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/svcflow/svcflow/internal/records"
	"github.com/svcflow/svcflow/workflows/requests"

	"github.com/spf13/cobra"

	"github.com/svcflow/svcflow/internal/cli"
	"github.com/svcflow/svcflow/internal/store"
)

func newTimelineCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "timeline REQUEST",
		Short: "Print a request's full timeline from PostgreSQL",
		Args:  requestArg,
		RunE: cli.RunE(func(cmd *cobra.Command, args []string) error {
			id, _ := requests.RequestIDArg(args[0])
			cfg, err := cli.LoadConfig(cmd)
			if err != nil {
				return err
			}
			ctx, cancel := a.context(cmd)
			defer cancel()
			st, err := store.Open(ctx, cfg.Postgres)
			if err != nil {
				return err
			}
			defer st.Close()
			events, err := st.Timeline(ctx, id)
			if errors.Is(err, store.ErrNotFound) {
				return &requests.NotFoundError{RequestID: id}
			}
			if err != nil {
				return fmt.Errorf("timeline of request %s: %w", id, err)
			}
			out := cmd.OutOrStdout()
			if a.json {
				if events == nil {
					events = []records.Event{}
				}
				return cli.PrintJSON(out, events)
			}
			loc := time.Local
			if l, err := time.LoadLocation(cfg.Calendar.Timezone); err == nil {
				loc = l
			}
			t := newTable(out, "SEQ", "AT", "KIND", "ACTOR", "DETAIL")
			for _, e := range events {
				at := e.At
				t.row(fmt.Sprint(e.Seq), fmtTime(&at, loc), e.Kind, orDash(e.Actor), detailWords(e.Kind, e.Payload))
			}
			return t.flush()
		}),
	}
}
