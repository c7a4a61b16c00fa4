package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/cli"
	"github.com/svcflow/svcflow/internal/store"
	"github.com/svcflow/svcflow/internal/whatif"
	"github.com/svcflow/svcflow/internal/whatif/recorded"
)

// progressAbove is how many requests a period must hold for whatif to
// show its progress on stderr.
const progressAbove = 10_000

// newWhatIfCmd is `svcctl whatif`: an SLA policy tried on the past
// (CONTRACT §10).
func newWhatIfCmd(a *app) *cobra.Command {
	var policyFile, htmlFile string
	var period periodFlags
	var csvOut bool
	cmd := &cobra.Command{
		Use:   "whatif --policy FILE",
		Short: "Replay the period's requests under another SLA policy: which deadlines would breach",
		Long: `whatif takes the requests created in the period as PostgreSQL recorded them
(their actions, times, pauses, priorities) and replays each through the
SLA engine the workflow runs, under the calendars, sla and routing of FILE
(a whole configuration file; its other sections are not used, and the
database is the one of --config). It prints per deadline the instances
settled, breached as recorded and breached under FILE; the instances whose
outcome would change, with both due times; and the report's headline
figures both ways. Nothing is written.

The replay applies the recorded actions at their recorded times and never
invents one. Under the configuration the requests ran with it reproduces
every recorded outcome and due time.

--from/--to take RFC 3339 instants or days (YYYY-MM-DD, in the calendar's
zone; a --to day is included). Default: the last 30 days. --html FILE also
writes one self-contained page with a chart ("-" writes it to stdout alone).`,
		Example: `  svcctl whatif --policy faster.yaml --from 2026-11-01 --to 2026-11-30
  svcctl whatif --policy berlin.yaml --group field --json
  svcctl whatif --policy faster.yaml --csv > flips.csv
  svcctl whatif --policy faster.yaml --html whatif.html`,
		Args: cobra.NoArgs,
		RunE: cli.RunE(func(cmd *cobra.Command, _ []string) error {
			if csvOut && a.json {
				return cli.Usagef("--csv and --json exclude each other")
			}
			if policyFile == "" {
				return cli.Failf("--policy: missing: name the configuration file whose calendars, sla and routing to try")
			}
			cfg, err := cli.LoadConfig(cmd)
			if err != nil {
				return err
			}
			tried, err := config.Load(policyFile, nil)
			if err != nil {
				var ve *config.ValidationError
				if errors.As(err, &ve) {
					return err // every problem of FILE, one a line, under its name
				}
				return fmt.Errorf("--policy: %w", err)
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
			stderr := cmd.ErrOrStderr()
			s, err := recorded.Run(ctx, st.Pool(), f, recorded.PolicyOf(tried), recorded.Options{Until: now, Progress: func(done, total int) {
				if total >= progressAbove {
					fmt.Fprintf(stderr, "whatif: replayed %d of %d requests\n", done, total)
				}
			}})
			if err != nil {
				return err
			}
			sc := whatif.Scope{PolicyFile: policyFile, Filter: f, Location: loc}
			out := cmd.OutOrStdout()
			if htmlFile != "" {
				var page bytes.Buffer
				if err := s.WriteHTML(&page, sc); err != nil {
					return fmt.Errorf("html: %w", err)
				}
				if htmlFile == "-" {
					_, err := out.Write(page.Bytes())
					return err
				}
				if err := os.WriteFile(htmlFile, page.Bytes(), 0o644); err != nil {
					return fmt.Errorf("html: %w", err)
				}
				fmt.Fprintf(stderr, "whatif: wrote %s\n", htmlFile)
			}
			switch {
			case a.json:
				return s.WriteJSON(out)
			case csvOut:
				return s.WriteCSV(out)
			default:
				return s.WriteText(out, sc)
			}
		}),
	}
	fl := cmd.Flags()
	fl.StringVar(&policyFile, "policy", "", "configuration file whose calendar, calendars, sla and routing to try (required)")
	period.add(fl, "requests created from", "requests created before")
	fl.BoolVar(&csvOut, "csv", false, "print CSV: a row per deadline, per figure, per change (column section)")
	fl.StringVar(&htmlFile, "html", "", `also write an HTML page with the breaches recorded and what-if to FILE ("-": stdout only)`)
	return cmd
}
