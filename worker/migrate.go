package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/svcflow/svcflow/internal/cli"
)

func newMigrateCmd(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply the database migrations and exit",
		Args:  noArgs,
		RunE: cli.RunE(func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(cmd, g)
			if err != nil {
				return err
			}
			logger, err := newLogger(cfg.Worker, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			st, err := openStore(cmd.Context(), cfg.Postgres, g.connectWait, logger)
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.Migrate(cmd.Context()); err != nil {
				return fmt.Errorf("migrate database: %w", err)
			}
			logger.Info("database migrated")
			return nil
		}),
	}
}
