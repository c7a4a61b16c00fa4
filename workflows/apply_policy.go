package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/internal/policy"
)

// resolvePolicy asks the worker's current configuration which policy and
// calendar the request's current attributes select (apply_policy).
func (w *serviceRequest) resolvePolicy(ctx workflow.Context) (policy.Snapshot, error) {
	lctx := workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout: 10 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: 10 * time.Second},
	})
	req := w.s.Request
	in := activities.PolicyInput{Tier: req.Customer.Tier, Category: req.Category, Channel: req.Channel, Priority: w.s.Priority, Group: w.s.Group}
	var snap policy.Snapshot
	err := workflow.ExecuteLocalActivity(lctx, acts.ResolvePolicy, in).Get(lctx, &snap)
	return snap, err
}

// applyPolicy replaces the snapshot by the one resolvePolicy fetched and
// recomputes every running deadline from its original start; the event
// names the policies and calendars before and after.
func (w *serviceRequest) applyPolicy(actor string) {
	next := w.nextPolicy
	w.nextPolicy = nil
	if next == nil {
		return
	}
	from, fromCal := w.s.Policy.Name, w.s.Policy.CalendarName
	if from == "" {
		from, fromCal = policy.DefaultPolicy, policy.DefaultCalendar
	}
	facts, err := w.s.Apply(*next, w.s.Priority, w.s.Request.Customer.Tier, w.now())
	if err != nil {
		w.logger.Error("policy not applied", "error", err)
		w.emit("policy.rejected", actor, map[string]any{"to": next.Name, "reason": err.Error()})
		return
	}
	w.cal = w.s.Calendar()
	w.emit("policy.applied", actor, map[string]any{"from": from, "to": next.Name, "calendar_from": fromCal, "calendar_to": next.CalendarName})
	w.record(facts, actor)
}
