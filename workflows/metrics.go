package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/svcflow/svcflow/internal/metrics"
	"github.com/svcflow/svcflow/internal/policy"
	"github.com/svcflow/svcflow/internal/sla"
)

// The SLA and action metrics of CONTRACT §12, recorded through the SDK's
// metrics handler: never while a history replays.

// deadlineEvent counts one deadline event (started, warned, met, breached,
// escalated) and, for fired steps, how late it was recorded.
func (w *serviceRequest) deadlineEvent(f sla.Fact, event string) {
	name := w.s.Policy.Name
	if name == "" {
		name = policy.DefaultPolicy
	}
	h := workflow.GetMetricsHandler(w.ctx)
	h.WithTags(map[string]string{"deadline": f.D.Name, "event": event, "policy": name}).Counter(metrics.DeadlineEventsInstrument).Inc(1)
	if f.At.IsZero() {
		return
	}
	step := map[string]string{"warned": "warning", "breached": "breach", "escalated": "escalation"}[event]
	if step == "" {
		return
	}
	delay := max(w.now().Sub(f.At), 0)
	h.WithTags(map[string]string{"deadline": f.D.Name, "step": step}).Timer(metrics.FireDelayInstrument).Record(delay)
}

// actionResult counts one action by its result (accepted, duplicate, rejected).
func (w *serviceRequest) actionResult(action, result string) {
	if !ValidActionName(action) {
		action = "unknown" // a signal's name is anybody's: keep the label set bounded
	}
	workflow.GetMetricsHandler(w.ctx).WithTags(map[string]string{"action": action, "result": result}).Counter(metrics.ActionsInstrument).Inc(1)
}
