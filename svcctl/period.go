package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/cli"
	"github.com/svcflow/svcflow/internal/report"
)

// periodFlags are the --from, --to, --group and --tier that report and
// whatif share: which requests they read.
type periodFlags struct{ from, to, group, tier string }

// add declares the flags; fromUsage and toUsage say what the period bounds.
func (p *periodFlags) add(fl *pflag.FlagSet, fromUsage, toUsage string) {
	fl.StringVar(&p.from, "from", "", fromUsage+": RFC 3339 or YYYY-MM-DD (default 30 days before --to)")
	fl.StringVar(&p.to, "to", "", toUsage+" (exclusive; a YYYY-MM-DD day is included) (default now)")
	fl.StringVar(&p.group, "group", "", "only requests currently assigned to this group")
	fl.StringVar(&p.tier, "tier", "", "only requests of this customer tier: vip or standard")
}

// filter reads the flags at now in the zone of cfg's calendar, which it
// returns for showing times; a bad flag is refused by name.
func (p *periodFlags) filter(cmd *cobra.Command, cfg *config.Config, now time.Time) (report.Filter, *time.Location, error) {
	loc, err := calendarZone(cfg)
	if err != nil {
		return report.Filter{}, nil, err
	}
	f := report.Filter{Group: p.group, Tier: p.tier}
	if cmd.Flags().Changed("group") && p.group == "" {
		return f, nil, cli.Failf("group: empty")
	}
	if f.From, f.To, err = report.ParsePeriod(p.from, p.to, now, loc); err != nil {
		return f, nil, err
	}
	return f, loc, f.Validate()
}

// calendarZone is the zone of the configured calendar: periods and times
// are shown in it.
func calendarZone(cfg *config.Config) (*time.Location, error) {
	if cfg.Calendar.Timezone == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(cfg.Calendar.Timezone)
	if err != nil {
		return nil, fmt.Errorf("calendar.timezone: %q: %v", cfg.Calendar.Timezone, err)
	}
	return loc, nil
}
