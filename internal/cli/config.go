package cli

import (
	"github.com/spf13/cobra"

	"github.com/svcflow/svcflow/config"
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
