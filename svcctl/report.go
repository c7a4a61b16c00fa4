package main

import (
	"bytes"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/svcflow/svcflow/internal/cli"
	"github.com/svcflow/svcflow/internal/report"
	"github.com/svcflow/svcflow/internal/store"
)

// newReportCmd is `svcctl report`: the managers' KPI report from PostgreSQL.
func newReportCmd(a *app) *cobra.Command {
	var htmlFile string
	var period periodFlags
	var csvOut bool
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Print the KPI report (figures against targets) from PostgreSQL",
		Long: `report measures the service commitments over a period: requests received
and closed, deadlines within SLA and breaches per deadline, first-response
and resolution times, confirmation rounds, first-pass acceptance, CSAT and
satisfaction, complaints closed within 24 h, each beside its target.

--from/--to take RFC 3339 instants or days (YYYY-MM-DD, in the calendar's
zone; a --to day is included). Default: the last 30 days. --html FILE writes
one self-contained page with charts instead of the text ("-": to stdout);
with --json or --csv as well, those are printed beside it.`,
		Example: `  svcctl report
  svcctl report --from 2026-11-01 --to 2026-11-30 --group printers --tier vip
  svcctl report --json
  svcctl report --csv > kpi.csv
  svcctl report --html kpi.html`,
		Args: cobra.NoArgs,
		RunE: cli.RunE(func(cmd *cobra.Command, _ []string) error {
			if csvOut && a.json {
				return cli.Usagef("--csv and --json exclude each other")
			}
			cfg, err := cli.LoadConfig(cmd)
			if err != nil {
				return err
			}
			now := time.Now()
			f, loc, err := period.filter(cmd, cfg, now)
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
			r, err := report.Build(ctx, st.Pool(), f, report.Options{Now: now, Location: loc})
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if htmlFile != "" {
				var page bytes.Buffer
				if err := r.WriteHTML(&page); err != nil {
					return fmt.Errorf("html: %w", err)
				}
				if htmlFile == "-" {
					_, err := out.Write(page.Bytes())
					return err
				}
				if err := os.WriteFile(htmlFile, page.Bytes(), 0o644); err != nil {
					return fmt.Errorf("html: %w", err)
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "report: wrote %s\n", htmlFile)
			}
			switch {
			case a.json:
				return r.WriteJSON(out)
			case csvOut:
				return r.WriteCSV(out)
			case htmlFile != "":
				return nil // the page is the report
			default:
				return r.WriteText(out)
			}
		}),
	}
	fl := cmd.Flags()
	period.add(fl, "start of the period", "end of the period")
	fl.BoolVar(&csvOut, "csv", false, "print CSV: one row per figure")
	fl.StringVar(&htmlFile, "html", "", `write the report as one self-contained HTML page to FILE ("-": stdout)`)
	return cmd
}
