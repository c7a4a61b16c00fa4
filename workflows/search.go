package workflows

import (
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/svcflow/svcflow/internal/searchattr"
)

// publish keeps the search attributes of CONTRACT §7 and the current details
// shown in the UI up to date; it writes history only when they change.
func (w *serviceRequest) publish() error {
	req := w.s.Request
	next, hasNext := w.nextDue()
	updates := []temporal.SearchAttributeUpdate{
		searchattr.RequestID.ValueSet(req.RequestID),
		searchattr.CustomerID.ValueSet(req.Customer.ID),
		searchattr.CustomerTier.ValueSet(req.Customer.Tier),
		searchattr.Priority.ValueSet(w.s.Priority),
		searchattr.Stage.ValueSet(w.s.Stage),
		searchattr.AssignedGroup.ValueSet(w.s.Group),
		searchattr.SlaBreached.ValueSet(w.breached()),
		searchattr.EscalationLevel.ValueSet(int64(w.escalationLevel())),
	}
	if hasNext {
		updates = append(updates, searchattr.NextDeadline.ValueSet(next.UTC()))
	} else {
		updates = append(updates, searchattr.NextDeadline.ValueUnset())
	}
	if name := w.s.Policy.Name; name != "" { // snapshots before policies had none
		updates = append(updates, searchattr.SlaPolicy.ValueSet(name))
	}
	// What the UI shows is kept current on every pass (no history); the
	// attributes are upserted only when they change.
	workflow.SetCurrentDetails(w.ctx, w.details(next, hasNext))
	sig := fmt.Sprint(req.RequestID, req.Customer.ID, w.s.Priority, w.s.Stage, w.s.Group, w.breached(), w.escalationLevel(), hasNext, next.UnixNano(), w.s.Policy.Name)
	if sig == w.lastAttrs {
		return nil
	}
	w.lastAttrs = sig
	return workflow.UpsertTypedSearchAttributes(w.ctx, updates...)
}

// nextDue is the earliest due time of an open, unbreached deadline.
func (w *serviceRequest) nextDue() (time.Time, bool) { return w.s.NextDue() }

// details is the Markdown the UI shows as the run's current details.
func (w *serviceRequest) details(next time.Time, hasNext bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**Stage:** %s", w.s.Stage)
	if w.s.Outcome != "" {
		fmt.Fprintf(&b, " (%s)", w.s.Outcome)
	}
	fmt.Fprintf(&b, "  \n**Priority:** %s  \n**Group:** %s  \n**Assignee:** %s  \n", w.s.Priority, w.s.Group, orDash(w.s.Assignee))
	if p := w.s.Policy; p.Name != "" {
		fmt.Fprintf(&b, "**SLA policy:** %s (calendar %s)  \n", p.Name, p.CalendarName)
	}
	if hasNext {
		fmt.Fprintf(&b, "**Next deadline:** %s  \n", fmtTime(next, w.cal))
	}
	if w.s.PausedSince != nil {
		fmt.Fprintf(&b, "**Waiting on the customer since** %s  \n", fmtTime(*w.s.PausedSince, w.cal))
	}
	if lvl := w.escalationLevel(); lvl > 0 {
		fmt.Fprintf(&b, "**SLA breached**, escalation level %d  \n", lvl)
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
