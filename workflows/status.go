package workflows

import (
	"encoding/json"

	"github.com/svcflow/svcflow/internal/policy"
	"github.com/svcflow/svcflow/internal/sla"
)

// status answers the status query from the current state.
func (w *serviceRequest) status() Status {
	s, req := w.s, w.s.Request
	st := Status{
		RequestID: req.RequestID, WorkflowID: WorkflowID(req.RequestID), Title: req.Title,
		CustomerID: req.Customer.ID, CustomerName: req.Customer.Name,
		Stage: s.Stage, Outcome: s.Outcome, Priority: s.Priority, Tier: req.Customer.Tier,
		Complex: req.Complex, Group: s.Group, Assignee: s.Assignee,
		EscalationLevel: w.escalationLevel(), SlaBreached: w.breached(),
		Paused: s.PausedSince != nil, PausedSince: s.PausedSince,
		RoundsUsed: s.SheetRounds, RoundsAllowed: s.Policy.SheetRounds, ReworkRounds: s.ReworkRounds,
		CreatedAt: s.CreatedAt, ClosedAt: s.ClosedAt,
		Deadlines: []DeadlineStatus{}, Complaints: []ComplaintStatus{},
		Timeline: timelineItems(s.Timeline),
	}
	if w.cal != nil {
		st.TimeZone = w.cal.Location().String()
		spec := w.s.Policy.Calendar
		st.CalendarSpec = &spec
	}
	st.Policy, st.Calendar = w.s.Policy.Name, w.s.Policy.CalendarName
	if st.Policy == "" { // snapshots taken before policies existed
		st.Policy, st.Calendar = policy.DefaultPolicy, policy.DefaultCalendar
	}
	if s.Sheet != nil {
		ed := s.Sheet.ExpectedDelivery
		st.ExpectedDelivery = &ed
	}
	for _, d := range s.Deadlines {
		st.Deadlines = append(st.Deadlines, w.deadlineStatus(d))
	}
	for _, c := range s.Complaints {
		st.Complaints = append(st.Complaints, ComplaintStatus{ID: c.ID, Reason: c.Reason, OpenedAt: c.OpenedAt, ResolvedAt: c.ResolvedAt, Resolution: c.Resolution})
	}
	return st
}

func (w *serviceRequest) deadlineStatus(d *Deadline) DeadlineStatus {
	ds := DeadlineStatus{
		Name: d.Name, Instance: d.Instance, Clock: string(d.Clock.Kind), StartedAt: d.Started(),
		State: d.State, Warned: d.Warned, EscalationLevel: d.Level,
		MetAt: d.MetAt, BreachedAt: d.BreachedAt, Paused: d.PausedTotal(),
	}
	if w.cal == nil {
		return ds
	}
	if t, ok := w.due(d); ok {
		ds.DueAt = &t
	}
	if t, ok := w.s.FirstAt(d, sla.StepWarning); ok {
		ds.WarnAt = &t
	}
	if t, ok := w.s.FirstAt(d, sla.StepEscalation); ok {
		ds.EscalateAt = &t
	}
	return ds
}

func timelineItems(entries []TimelineEntry) []TimelineItem {
	out := make([]TimelineItem, 0, len(entries))
	for _, e := range entries {
		it := TimelineItem{Seq: e.Seq, At: e.At, Kind: e.Kind, Actor: e.Actor}
		if e.Detail != "" {
			it.Detail = json.RawMessage(e.Detail)
		}
		out = append(out, it)
	}
	return out
}
