package main

import (
	"github.com/spf13/cobra"

	"github.com/svcflow/svcflow/internal/cli"
)

func newConfigCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Inspect the configuration",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "show",
		Short: "Print the effective configuration (file, environment, flags), secrets redacted",
		Args:  cobra.NoArgs,
		RunE: cli.RunE(func(cmd *cobra.Command, _ []string) error {
			cfg, err := cli.LoadConfig(cmd)
			if err != nil {
				return err
			}
			render := cfg.YAML
			if a.json {
				render = cfg.JSON
			}
			out, err := render() // both redact every secret
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(out)
			return err
		}),
	})
	return cmd
}
