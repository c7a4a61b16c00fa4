package main

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/calendar"
	"github.com/svcflow/svcflow/internal/calendar/ics"
	"github.com/svcflow/svcflow/internal/cli"
	"github.com/svcflow/svcflow/internal/policy"
)

// dayRow is one dated exception of a calendar as `calendar show` lists it.
type dayRow struct {
	Date    string   `json:"date"`
	Weekday string   `json:"weekday"`
	Kind    string   `json:"kind"`            // closed | half_day | workday
	Hours   []string `json:"hours,omitempty"` // the day's windows (half days, make-up days)
	Source  string   `json:"source"`          // yaml, or the .ics file
	Summary string   `json:"summary,omitempty"`
}

func newCalendarCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{Use: "calendar", Short: "Inspect the business calendars"}
	var year int
	var name string
	show := &cobra.Command{
		Use:   "show [--calendar NAME] [--year Y]",
		Short: "List a calendar's effective closed days, half days and make-up working days",
		Long: `show lists the dated exceptions of a calendar as svcflow counts them: the
holidays of the YAML and of its holidays_ics files (closed dates), half days
with their hours, and make-up working days, for one year (default this year),
so an operator can check what an imported .ics file closes.`,
		Example: `  svcctl calendar show --year 2026
  svcctl calendar show --calendar berlin --json`,
		Args: cobra.NoArgs,
		RunE: cli.RunE(func(cmd *cobra.Command, _ []string) error {
			cfg, err := cli.LoadConfig(cmd)
			if err != nil {
				return err
			}
			spec, ok := cfg.Settings().Calendars[name]
			if !ok {
				return cli.Failf("--calendar %q: no such calendar", name)
			}
			if year < 1 || year > 9999 {
				return cli.Failf("--year %d: not a year", year)
			}
			raw := cfg.Calendar
			if name != policy.DefaultCalendar {
				raw = cfg.Calendars[name]
			}
			rows := calendarDays(cfg, spec, raw, year)
			if a.json {
				if rows == nil {
					rows = []dayRow{}
				}
				return cli.PrintJSON(cmd.OutOrStdout(), rows)
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "Calendar %s (%s), %d: %d dated days; weekly hours apply otherwise\n", name, spec.Zone, year, len(rows))
			t := newTable(out, "DATE", "DAY", "KIND", "HOURS", "SOURCE", "SUMMARY")
			for _, r := range rows {
				t.row(r.Date, r.Weekday, r.Kind, orDash(strings.Join(r.Hours, " ")), r.Source, orDash(r.Summary))
			}
			return t.flush()
		}),
	}
	show.Flags().IntVar(&year, "year", time.Now().Year(), "the year to list")
	show.Flags().StringVar(&name, "calendar", policy.DefaultCalendar, "default (calendar) or a name of calendars")
	cmd.AddCommand(show)
	return cmd
}

// calendarDays lists spec's dated days of year, each with where it comes
// from: the YAML, or the .ics file that closes it (with its SUMMARY).
func calendarDays(cfg *config.Config, spec calendar.Spec, raw config.Calendar, year int) []dayRow {
	fromICS := map[string][2]string{} // date → file, summary
	for _, f := range raw.HolidaysICS {
		dates, err := ics.LoadFile(cfg.ICSPath(f))
		if err != nil {
			continue // the config loaded: the same file read then
		}
		for _, d := range dates {
			if _, seen := fromICS[d.Date]; !seen {
				fromICS[d.Date] = [2]string{f, d.Summary}
			}
		}
	}
	yaml := map[string]bool{}
	for _, d := range raw.Holidays {
		yaml[d.Date] = true
	}
	prefix := fmt.Sprintf("%04d-", year)
	var rows []dayRow
	add := func(d calendar.Day, kind string) {
		if !strings.HasPrefix(d.Date, prefix) {
			return
		}
		r := dayRow{Date: d.Date, Kind: kind, Source: "yaml"}
		if t, err := time.Parse(time.DateOnly, d.Date); err == nil {
			r.Weekday = t.Weekday().String()[:3]
		}
		for _, w := range d.Windows {
			r.Hours = append(r.Hours, w.String())
		}
		if src, ok := fromICS[d.Date]; ok && !yaml[d.Date] {
			r.Source, r.Summary = src[0], src[1]
		}
		rows = append(rows, r)
	}
	for _, d := range spec.Holidays {
		kind := "closed"
		if len(d.Windows) > 0 {
			kind = "half_day"
		}
		add(d, kind)
	}
	for _, d := range spec.Workdays {
		add(d, "workday")
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Date < rows[j].Date })
	return rows
}
