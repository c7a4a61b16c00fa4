package workflows

import (
	"fmt"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/internal/policy"
)

// Complaints (customer, agent or a low follow-up score), each with its own
// deadline; the request closes once none is open.

func (w *serviceRequest) openComplaint(source, reason string) {
	c := &Complaint{ID: len(w.s.Complaints) + 1, Source: source, Reason: reason, OpenedAt: w.now()}
	w.s.Complaints = append(w.s.Complaints, c)
	w.emit("complaint.opened", "", map[string]any{"complaint_id": c.ID, "source": source, "reason": reason})
	w.touchComplaint(c)
	w.startDeadline(policy.Complaint, c.OpenedAt)
	w.notify(activities.PartySupervisor, activities.KindComplaint, fmt.Sprintf("complaint/%d", c.ID), map[string]string{"reason": reason, "complaint_id": fmt.Sprint(c.ID)})
}

func (w *serviceRequest) resolveComplaint(a Action) {
	c := w.findComplaint(a.ComplaintID)
	now := w.now()
	c.ResolvedAt, c.Resolution = &now, a.ResolutionText
	w.emit("complaint.resolved", a.Actor, map[string]any{"complaint_id": c.ID})
	w.touchComplaint(c)
	w.meet(w.complaintDeadline(c.ID), a.Actor)
	w.closeIfDone()
}

// findComplaint returns the open complaint id, or the oldest open one for 0.
func (w *serviceRequest) findComplaint(id int) *Complaint {
	for _, c := range w.s.Complaints {
		if c.ResolvedAt == nil && (id == 0 || c.ID == id) {
			return c
		}
	}
	return nil
}

// complaintDeadline is the deadline of complaint id (instance = id).
func (w *serviceRequest) complaintDeadline(id int) *Deadline {
	return w.s.Instance(policy.Complaint, id)
}
