package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/calendar"
	"github.com/svcflow/svcflow/internal/cli"
	"github.com/svcflow/svcflow/workflows"
	"github.com/svcflow/svcflow/workflows/requests"
)

// statusTimeline is how many recent timeline entries the human view shows.
const statusTimeline = 10

func newStatusCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "status REQUEST",
		Short: "Show a request: stage, assignee, deadlines with time left, complaints, recent timeline",
		Long: `status runs the workflow's status query. Due times are shown in the
calendar's zone; time left (or overdue) counts working time for business
clocks and wall time for wall clocks.`,
		Args: requestArg,
		RunE: cli.RunE(func(cmd *cobra.Command, args []string) error {
			id, _ := requests.RequestIDArg(args[0])
			ctx, cancel := a.context(cmd)
			defer cancel()
			cfg, rq, err := a.dial(ctx, cmd)
			if err != nil {
				return err
			}
			defer rq.Client.Close()
			st, err := rq.Status(ctx, id)
			if err != nil {
				return err
			}
			if a.json {
				return cli.PrintJSON(cmd.OutOrStdout(), st)
			}
			cal, err := calendarOfRequest(st, cfg)
			if err != nil {
				return err
			}
			return printStatus(cmd.OutOrStdout(), st, cal, time.Now())
		}),
	}
}

// calendarOfRequest is the calendar the request's deadlines count in: the
// one in its own snapshot (a config change never alters a running
// request), else, for a request whose status carries none, the configured one.
func calendarOfRequest(st workflows.Status, cfg *config.Config) (*calendar.Calendar, error) {
	if st.CalendarSpec != nil {
		return calendar.New(*st.CalendarSpec)
	}
	return calendar.New(cfg.CalendarSpec())
}

// printStatus writes the human view of st as seen at now.
func printStatus(w io.Writer, st workflows.Status, cal *calendar.Calendar, now time.Time) error {
	loc := cal.Location()
	if st.TimeZone != "" {
		if l, err := time.LoadLocation(st.TimeZone); err == nil {
			loc = l
		}
	}
	fmt.Fprintf(w, "Request %s — %s (%s)\n", st.RequestID, st.Title, st.WorkflowID)
	fmt.Fprintf(w, "Customer    %s (%s, %s)\n", st.CustomerName, st.CustomerID, st.Tier)
	stage := st.Stage
	if st.Outcome != "" {
		stage += ", outcome " + st.Outcome
	}
	fmt.Fprintf(w, "Stage       %s\n", stage)
	fmt.Fprintf(w, "Priority    %s%s\n", st.Priority, map[bool]string{true: " (complex)"}[st.Complex])
	fmt.Fprintf(w, "Group       %s   assignee %s\n", orDash(st.Group), orDash(st.Assignee))
	fmt.Fprintf(w, "SLA policy  %s   calendar %s\n", orDash(st.Policy), orDash(st.Calendar))
	esc := fmt.Sprintf("%d", st.EscalationLevel)
	if st.SlaBreached {
		esc += " (SLA breached)"
	}
	fmt.Fprintf(w, "Escalation  %s\n", esc)
	fmt.Fprintf(w, "Rounds      sheet %d/%d, rework %d\n", st.RoundsUsed, st.RoundsAllowed, st.ReworkRounds)
	if st.ExpectedDelivery != nil {
		fmt.Fprintf(w, "Delivery    %s\n", fmtTime(st.ExpectedDelivery, loc))
	}
	if st.Paused {
		fmt.Fprintf(w, "Paused      waiting on the customer since %s (agent clocks stopped)\n", fmtTime(st.PausedSince, loc))
	}
	created := st.CreatedAt
	fmt.Fprintf(w, "Created     %s", fmtTime(&created, loc))
	if st.ClosedAt != nil {
		fmt.Fprintf(w, "   closed %s", fmtTime(st.ClosedAt, loc))
	}
	fmt.Fprintln(w)

	if len(st.Deadlines) > 0 {
		fmt.Fprintf(w, "\nDeadlines (times in %s)\n", loc)
		t := newTable(w, "DEADLINE", "#", "CLOCK", "DUE", "STATE", "ESC", "TIME LEFT")
		for _, d := range st.Deadlines {
			t.row(d.Name, fmt.Sprint(d.Instance), d.Clock, fmtTime(d.DueAt, loc), d.State, fmt.Sprint(d.EscalationLevel), timeLeft(d, cal, loc, now))
		}
		if err := t.flush(); err != nil {
			return err
		}
	}
	if len(st.Complaints) > 0 {
		fmt.Fprintln(w, "\nComplaints")
		t := newTable(w, "#", "OPENED", "RESOLVED", "REASON", "RESOLUTION")
		for _, c := range st.Complaints {
			opened := c.OpenedAt
			t.row(fmt.Sprint(c.ID), fmtTime(&opened, loc), fmtTime(c.ResolvedAt, loc), orDash(c.Reason), orDash(c.Resolution))
		}
		if err := t.flush(); err != nil {
			return err
		}
	}
	if n := len(st.Timeline); n > 0 {
		fmt.Fprintln(w, "\nRecent timeline")
		t := newTable(w, "SEQ", "AT", "KIND", "ACTOR", "DETAIL")
		for _, e := range st.Timeline[max(0, n-statusTimeline):] {
			at := e.At
			t.row(fmt.Sprint(e.Seq), fmtTime(&at, loc), e.Kind, orDash(e.Actor), detailWords(e.Kind, e.Detail))
		}
		return t.flush()
	}
	return nil
}

// timeLeft says how long until a deadline is due, or how long overdue it
// is: working time for business clocks, wall time for wall clocks.
func timeLeft(d workflows.DeadlineStatus, cal *calendar.Calendar, loc *time.Location, now time.Time) string {
	switch d.State {
	case workflows.DeadlineMet:
		return "met " + fmtTime(d.MetAt, loc)
	case workflows.DeadlinePaused:
		return "paused"
	case workflows.DeadlineCancelled:
		return "-"
	}
	if d.DueAt == nil {
		return "-"
	}
	business := d.Clock == string(calendar.Business)
	span := func(a, b time.Time) string {
		if business {
			return cal.FormatWorking(roundDuration(cal.Between(a, b))) + " working"
		}
		return roundDuration(b.Sub(a)).String()
	}
	if now.Before(*d.DueAt) {
		return span(now, *d.DueAt) + " left"
	}
	return "overdue " + span(*d.DueAt, now)
}
