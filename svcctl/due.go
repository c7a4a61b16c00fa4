package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/calendar"
	"github.com/svcflow/svcflow/internal/cli"
	"github.com/svcflow/svcflow/internal/policy"
)

func newDueCmd(a *app) *cobra.Command {
	var from, add, clock, calName string
	cmd := &cobra.Command{
		Use:   "due --from TIME --add DURATION [--clock business|wall] [--calendar NAME]",
		Short: "Print the due time the configured calendar gives (RFC 3339)",
		Long: `due adds a duration to a start time as an SLA clock would and prints the
due time in RFC 3339, in the calendar's zone. Business durations count
working time only ("90m", "16h", "2wd" = 2 standard working days); a start
outside working hours counts from the next opening.`,
		Example: `  svcctl due --from 2026-11-20T17:30:00+08:00 --add 2wd
  svcctl due --from 2026-11-20T17:30:00+08:00 --add 30m --clock wall`,
		Args: cobra.NoArgs,
		RunE: cli.RunE(func(cmd *cobra.Command, _ []string) error {
			cfg, err := cli.LoadConfig(cmd)
			if err != nil {
				return err
			}
			cal, err := namedCalendar(cfg, calName)
			if err != nil {
				return err
			}
			due, err := dueTime(cal, from, add, clock, time.Now())
			if err != nil {
				return err
			}
			if a.json {
				return cli.PrintJSON(cmd.OutOrStdout(), map[string]string{"from": from, "add": add, "clock": clock, "due": due.Format(time.RFC3339)})
			}
			fmt.Fprintln(cmd.OutOrStdout(), due.Format(time.RFC3339))
			return nil
		}),
	}
	f := cmd.Flags()
	f.StringVar(&from, "from", "", "start time (RFC 3339; default now)")
	f.StringVar(&add, "add", "", "duration: Go syntax (90m, 16h) or Nwd (working days)")
	f.StringVar(&clock, "clock", string(calendar.Business), "clock: business|wall")
	f.StringVar(&calName, "calendar", policy.DefaultCalendar, "calendar: default (calendar) or a name of calendars")
	_ = cmd.MarkFlagRequired("add")
	return cmd
}

// namedCalendar builds a configured calendar by name ("default": calendar).
func namedCalendar(cfg *config.Config, name string) (*calendar.Calendar, error) {
	spec, ok := cfg.Settings().Calendars[name]
	if !ok {
		return nil, cli.Failf("--calendar %q: no such calendar (configured: %s)", name, strings.Join(slices.Sorted(maps.Keys(cfg.Settings().Calendars)), ", "))
	}
	return calendar.New(spec)
}

// dueTime is from + add on the given clock, in the calendar's zone.
func dueTime(cal *calendar.Calendar, from, add, clock string, now time.Time) (time.Time, error) {
	start := now
	if from != "" {
		t, err := time.Parse(time.RFC3339, from)
		if err != nil {
			return time.Time{}, cli.Failf("--from %q: not an RFC 3339 time (e.g. 2026-11-20T17:30:00+08:00)", from)
		}
		start = t
	}
	d, workdays, err := calendar.ParseDuration(add, cal.StandardDay())
	if err != nil {
		return time.Time{}, cli.Failf("--add: %v", err)
	}
	switch calendar.ClockKind(clock) {
	case calendar.Business:
		return cal.Add(start, d).In(cal.Location()), nil
	case calendar.Wall:
		if workdays {
			return time.Time{}, cli.Failf("--add %q: working days (wd) need --clock business", add)
		}
		return start.Add(d).In(cal.Location()), nil
	default:
		return time.Time{}, cli.Failf("--clock %q: must be business or wall", clock)
	}
}
