package workflows

import (
	"encoding/json"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/internal/calendar"
)

// CustomerCare sends a VIP customer the monthly care letter on the first
// working day of each month at 10:00 in the calendar's zone, continuing as
// new after each letter, until stop_care.
func CustomerCare(ctx workflow.Context, in CareInput) (CareResult, error) {
	cal, err := calendar.New(in.Calendar)
	if err != nil {
		return CareResult{}, temporal.NewNonRetryableApplicationError("invalid calendar: "+err.Error(), "InvalidPolicy", nil)
	}
	var stopped *Action
	stop := func(a Action) {
		if stopped == nil {
			stopped = &a
		}
	}
	if err := workflow.SetUpdateHandler(ctx, ActionStopCare, func(ctx workflow.Context, raw json.RawMessage) (ActionResult, error) {
		a, err := decodeStop(raw)
		if err != nil {
			return ActionResult{}, err
		}
		stop(a)
		return ActionResult{Result: "accepted", Stage: "stopped"}, nil
	}); err != nil {
		return CareResult{}, err
	}
	sig := workflow.GetSignalChannel(ctx, ActionStopCare)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var raw json.RawMessage
			sig.Receive(ctx, &raw)
			if a, err := decodeStop(raw); err == nil {
				stop(a)
			} else {
				workflow.GetLogger(ctx).Warn("invalid stop_care signal", "error", err)
			}
		}
	})

	month, sendAt := nextCareLetter(cal, workflow.Now(ctx), in.LastMonth)
	summary := fmt.Sprintf("care letter %s at %s", month, fmtTime(sendAt, cal))
	if _, err := workflow.AwaitWithOptions(ctx, workflow.AwaitOptions{Timeout: sendAt.Sub(workflow.Now(ctx)), TimerOptions: workflow.TimerOptions{Summary: summary}},
		func() bool { return stopped != nil }); err != nil {
		return CareResult{}, err
	}
	if stopped != nil {
		return CareResult{Letters: in.Letters, Stopped: true, By: stopped.Actor}, workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
	}
	if err := sendCareLetter(ctx, in, month); err != nil {
		return CareResult{}, err
	}
	in.LastMonth, in.Letters = month, in.Letters+1
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return CareResult{}, err
	}
	if stopped != nil {
		return CareResult{Letters: in.Letters, Stopped: true, By: stopped.Actor}, nil
	}
	return CareResult{}, workflow.NewContinueAsNewError(ctx, CareWorkflowType, in)
}

// decodeStop reads a stop_care payload: only the common fields.
func decodeStop(raw json.RawMessage) (Action, error) { return DecodeAction(ActionStopCare, raw) }

// sendCareLetter notifies the customer and records the letter, both keyed
// by customer and month.
func sendCareLetter(ctx workflow.Context, in CareInput, month string) error {
	key := fmt.Sprintf("%s/%s", CareWorkflowID(in.Customer.ID), month)
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    30 * time.Second,
		ScheduleToCloseTimeout: 24 * time.Hour,
		RetryPolicy:            &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 5 * time.Minute},
	})
	n := activities.Notification{
		DedupeKey: key + "/customer", RequestID: in.RequestID, Party: activities.PartyCustomer,
		Kind: activities.KindCareLetter, Locale: in.Customer.Locale, To: in.Customer.Email,
		Data: map[string]string{"customer": in.Customer.Name, "month": month},
	}
	if err := workflow.ExecuteActivity(actx, acts.Notify, n).Get(ctx, nil); err != nil {
		return err
	}
	l := activities.CareLetter{CustomerID: in.Customer.ID, Month: month, RequestID: in.RequestID, DedupeKey: n.DedupeKey}
	return workflow.ExecuteActivity(actx, acts.RecordCareLetter, l).Get(ctx, nil)
}

// nextCareLetter is the month of the next letter and when it goes out: the
// first working day of the month at 10:00 local, this month if that is still
// ahead and not yet sent, else the next month.
func nextCareLetter(cal *calendar.Calendar, now time.Time, lastMonth string) (string, time.Time) {
	loc := cal.Location()
	local := now.In(loc)
	first := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, loc)
	for i := 0; i < 24; i++ {
		m := first.AddDate(0, i, 0)
		month := m.Format("2006-01")
		if lastMonth != "" && month <= lastMonth {
			continue
		}
		at, ok := firstWorkingDay(cal, m)
		if ok && at.After(now) {
			return month, at
		}
	}
	// No working day in two years: a degenerate calendar; try again in a month.
	m := first.AddDate(0, 1, 0)
	return m.Format("2006-01"), time.Date(m.Year(), m.Month(), 1, CareHour, 0, 0, 0, loc)
}

// firstWorkingDay is 10:00 local on the month's first day with working time.
func firstWorkingDay(cal *calendar.Calendar, month time.Time) (time.Time, bool) {
	loc := cal.Location()
	for d := 1; d <= 31; d++ {
		day := time.Date(month.Year(), month.Month(), d, 12, 0, 0, 0, loc)
		if day.Month() != month.Month() {
			break
		}
		if len(cal.WindowsOn(day)) > 0 {
			return time.Date(day.Year(), day.Month(), day.Day(), CareHour, 0, 0, 0, loc), true
		}
	}
	return time.Time{}, false
}
