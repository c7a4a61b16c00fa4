package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/spf13/cobra"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/cli"
)

// exitNoPostgres is the status of `localdev ensure-db` when nothing answers.
const exitNoPostgres = 3

// newLocalDevCmd holds helpers for scripts/run.sh; hidden from --help.
func newLocalDevCmd(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:    "localdev",
		Short:  "Helpers for scripts/run.sh",
		Hidden: true,
		Args:   noArgs,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "get KEY...",
		Short: "Print effective configuration values (one per line, unredacted)",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cli.Usagef("localdev get: name at least one key, e.g. temporal.address")
			}
			return nil
		},
		RunE: cli.RunE(func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(cmd, g)
			if err != nil {
				return err
			}
			for _, key := range args {
				v, err := configValue(cfg, key)
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), v)
			}
			return nil
		}),
	}, &cobra.Command{
		Use:   "ensure-db",
		Short: "Create the database of postgres.dsn if missing (exit 3 when PostgreSQL does not answer)",
		Args:  noArgs,
		RunE: cli.RunE(func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(cmd, g)
			if err != nil {
				return err
			}
			created, err := ensureDatabase(cmd.Context(), cfg.Postgres.DSN)
			if err != nil {
				return err
			}
			if created {
				fmt.Fprintln(cmd.OutOrStdout(), "created")
			} else {
				fmt.Fprintln(cmd.OutOrStdout(), "exists")
			}
			return nil
		}),
	})
	return cmd
}

// configValue reads one dotted key (as in the YAML) of the effective config.
func configValue(cfg *config.Config, key string) (string, error) {
	b, err := json.Marshal(cfg)
	if err != nil {
		return "", err
	}
	var cur any
	if err := json.Unmarshal(b, &cur); err != nil {
		return "", err
	}
	for _, part := range strings.Split(key, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return "", fmt.Errorf("%s: no such configuration key", key)
		}
		if cur, ok = m[part]; !ok {
			return "", fmt.Errorf("%s: no such configuration key", key)
		}
	}
	if s, ok := cur.(string); ok {
		return s, nil
	}
	out, err := json.Marshal(cur)
	return string(out), err
}

// ensureDatabase connects to dsn and creates its database when PostgreSQL
// says it does not exist.
func ensureDatabase(ctx context.Context, dsn string) (created bool, err error) {
	pc, err := pgx.ParseConfig(dsn)
	if err != nil {
		return false, fmt.Errorf("postgres.dsn: %v", err)
	}
	where := net.JoinHostPort(pc.Host, strconv.Itoa(int(pc.Port)))
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, pc)
	if err == nil {
		return false, conn.Close(ctx)
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false, &cli.ExitError{Code: exitNoPostgres, Err: fmt.Errorf("PostgreSQL does not answer at %s: %v", where, err)}
	}
	if pgErr.Code != "3D000" { // invalid_catalog_name
		return false, fmt.Errorf("PostgreSQL at %s refused the connection: %s", where, pgErr.Message)
	}
	name := pc.Database
	admin := pc.Copy()
	admin.Database = "postgres"
	conn, err = pgx.ConnectConfig(ctx, admin)
	if err != nil {
		return false, fmt.Errorf("connect to database postgres at %s to create %q: %v", where, name, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // duplicate_database: created meanwhile
			return false, nil
		}
		return false, fmt.Errorf("create database %q at %s: %v", name, where, err)
	}
	return true, nil
}
