package workflows

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/svcflow/svcflow/internal/records"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/svcflow/svcflow/activities"
)

// timelineKept is how many recent events the status query shows.
const timelineKept = 50

// recordTimeout bounds one try of the record local activity.
const recordTimeout = 10 * time.Second

// pendingWrites are the facts not yet written to PostgreSQL.
type pendingWrites struct {
	events     []records.Event
	deadlines  []*Deadline
	complaints []*Complaint
	survey     bool
}

func (w *serviceRequest) now() time.Time { return workflow.Now(w.ctx) }

// emit appends one event to the timeline and to the next write.
func (w *serviceRequest) emit(kind, actor string, payload map[string]any) {
	w.s.Seq++
	ev := records.Event{Seq: w.s.Seq, At: w.now(), Kind: kind, Actor: actor}
	if payload != nil {
		b, err := json.Marshal(payload)
		if err != nil {
			w.logger.Error("event payload not encodable", "kind", kind, "error", err)
		}
		ev.Payload = b
	}
	w.pending.events = append(w.pending.events, ev)
	w.s.Timeline = append(w.s.Timeline, TimelineEntry{Seq: ev.Seq, At: ev.At, Kind: kind, Actor: actor, Detail: string(ev.Payload)})
	if n := len(w.s.Timeline); n > timelineKept {
		w.s.Timeline = append([]TimelineEntry(nil), w.s.Timeline[n-timelineKept:]...)
	}
}

// touch marks a deadline row for the next write.
func (w *serviceRequest) touch(d *Deadline) {
	for _, p := range w.pending.deadlines {
		if p == d {
			return
		}
	}
	w.pending.deadlines = append(w.pending.deadlines, d)
}

func (w *serviceRequest) touchComplaint(c *Complaint) {
	for _, p := range w.pending.complaints {
		if p == c {
			return
		}
	}
	w.pending.complaints = append(w.pending.complaints, c)
}

// notify queues a notification; it is sent after the facts are written.
// The dedupe key derives from the request ID and the step, never a run ID.
func (w *serviceRequest) notify(party, kind, step string, data map[string]string) {
	req := w.s.Request
	if data == nil {
		data = map[string]string{}
	}
	base := [][2]string{{"request_id", req.RequestID}, {"title", req.Title}, {"customer", req.Customer.Name},
		{"stage", w.s.Stage}, {"group", w.s.Group}, {"assignee", w.s.Assignee}, {"priority", w.s.Priority}}
	for _, kv := range base { // the step's own data wins
		if _, set := data[kv[0]]; !set {
			data[kv[0]] = kv[1]
		}
	}
	n := activities.Notification{
		DedupeKey: fmt.Sprintf("%s/%s/%s", WorkflowID(req.RequestID), step, party),
		RequestID: req.RequestID,
		Party:     party,
		Kind:      kind,
		Data:      data,
	}
	contacts := w.s.Groups[w.s.Group]
	switch party {
	case activities.PartyCustomer:
		n.To, n.Locale = req.Customer.Email, req.Customer.Locale
	case activities.PartyAssignee:
		n.To = contacts.Email
	case activities.PartySupervisor:
		n.To = contacts.Supervisor
	case activities.PartyManager:
		n.To = contacts.Manager
	}
	if until, quiet := w.quietUntil(party); quiet {
		w.hold(n, until)
		return
	}
	w.notes = append(w.notes, n)
}

// flush writes the pending facts in one local activity (which, for requests
// begun with NotifyInline, also tries every queued notification), then
// starts a task for the queued notifications not sent, then brings search
// attributes and details up to date.
func (w *serviceRequest) flush() error {
	if len(w.pending.events) > 0 {
		batch := w.pending
		w.pending = pendingWrites{}
		tr := w.transition(batch)
		if w.s.NotifyInline {
			tr.Notifications, tr.Inline, w.notes = w.notes, true, nil
		} else {
			tr.Notifications, w.notes = w.splitLocal(w.notes)
		}
		lctx := workflow.WithLocalActivityOptions(w.ctx, workflow.LocalActivityOptions{
			StartToCloseTimeout:    recordTimeout,
			ScheduleToCloseTimeout: 24 * time.Hour,
			RetryPolicy:            &temporal.RetryPolicy{InitialInterval: 200 * time.Millisecond, BackoffCoefficient: 2, MaximumInterval: 30 * time.Second},
		})
		f := workflow.ExecuteLocalActivity(lctx, acts.RecordTransition, tr)
		if !tr.Inline {
			if err := f.Get(lctx, nil); err != nil {
				return err
			}
		} else {
			var res activities.TransitionResult
			if err := f.Get(lctx, &res); err != nil {
				return err
			}
			for _, i := range res.Unsent { // sent again by activity below
				w.notes = append(w.notes, tr.Notifications[i])
			}
			w.recorded = recordedAt{task: w.now(), done: res.Done}
		}
		w.flushedSeq = tr.Events[len(tr.Events)-1].Seq
	}
	w.sendNotes()
	return w.publish()
}

// splitLocal takes out the notifications of log-only parties: they ride on
// the record local activity instead of a Notify task each.
func (w *serviceRequest) splitLocal(notes []activities.Notification) (local, rest []activities.Notification) {
	for _, n := range notes {
		if slices.Contains(w.s.LocalParties, n.Party) {
			local = append(local, n)
		} else {
			rest = append(rest, n)
		}
	}
	return local, rest
}

func (w *serviceRequest) sendNotes() {
	notes := w.notes
	w.notes = nil
	actx := workflow.WithActivityOptions(w.ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    30 * time.Second,
		ScheduleToCloseTimeout: 24 * time.Hour,
		RetryPolicy:            &temporal.RetryPolicy{InitialInterval: time.Second, BackoffCoefficient: 2, MaximumInterval: 5 * time.Minute},
	})
	// The notifications of one transition go out in one NotifyAll task; a
	// single one keeps its Notify task (the command histories of the first
	// release hold), so only batches need the version marker.
	if len(notes) > 1 && workflow.GetVersion(w.ctx, "notify-batch", workflow.DefaultVersion, 1) >= 1 {
		keys := make([]string, len(notes))
		for i, n := range notes {
			keys[i] = n.DedupeKey
		}
		w.await(workflow.ExecuteActivity(actx, acts.NotifyAll, activities.NotifyBatch{Notifications: notes}), keys...)
		return
	}
	for _, n := range notes {
		w.await(workflow.ExecuteActivity(actx, acts.Notify, n), n.DedupeKey)
	}
}

// await counts a notification task in flight until it ends (the workflow
// closes only after its notifications) and logs a failure by dedupe key.
func (w *serviceRequest) await(f workflow.Future, keys ...string) {
	w.inflight++
	workflow.Go(w.ctx, func(ctx workflow.Context) {
		defer func() { w.inflight-- }()
		if err := f.Get(ctx, nil); err != nil {
			w.logger.Error("notification not delivered", "dedupe_keys", keys, "error", err)
		}
	})
}

// transition builds the write of one batch of facts.
func (w *serviceRequest) transition(b pendingWrites) activities.Transition {
	s, req := w.s, w.s.Request
	row := records.RequestRow{
		RequestID: req.RequestID, WorkflowID: WorkflowID(req.RequestID), Seq: s.Seq,
		CustomerID: req.Customer.ID, CustomerName: req.Customer.Name, Tier: req.Customer.Tier,
		Priority: s.Priority, Category: req.Category, Channel: req.Channel, Complex: req.Complex,
		Title: req.Title, Stage: s.Stage, Outcome: s.Outcome, Group: s.Group, Assignee: s.Assignee,
		EscalationLevel: w.escalationLevel(), SlaBreached: w.breached(),
		SheetRounds: s.SheetRounds, ReworkRounds: s.ReworkRounds,
		CreatedAt: s.CreatedAt, UpdatedAt: w.now(),
		FirstResponseAt: s.FirstResponseAt, AcceptedAt: s.AcceptedAt, ClosedAt: s.ClosedAt,
		ResolutionWork: s.ResolutionWork, CustomerWait: w.customerWait(),
		SlaPolicy: s.Policy.Name, SlaCalendar: s.Policy.CalendarName, SlaSemantics: s.Policy.Semantics,
	}
	tr := activities.Transition{Facts: records.Facts{Request: row, Events: b.events}}
	for _, d := range b.deadlines {
		tr.Deadlines = append(tr.Deadlines, w.deadlineRow(d))
	}
	for _, c := range b.complaints {
		tr.Complaints = append(tr.Complaints, w.complaintRow(c))
	}
	if b.survey && s.Survey != nil {
		sv := records.SurveyRow(*s.Survey)
		tr.Survey = &sv
	}
	return tr
}

func (w *serviceRequest) deadlineRow(d *Deadline) records.DeadlineRow {
	r := records.DeadlineRow{
		Name: d.Name, Instance: d.Instance, Clock: string(d.Clock.Kind), StartedAt: d.Started(),
		State: d.State, WarnedAt: d.WarnedAt, MetAt: d.MetAt, BreachedAt: d.BreachedAt,
		EscalationLevel: d.Level, Paused: d.PausedTotal(),
		Policy: w.s.Policy.Name, Calendar: w.s.Policy.CalendarName, Target: d.Clock.Target,
		FixedDue: d.Fixed, Lead: d.Lead, Carried: d.Carried, ClosedAt: d.ClosedAt,
	}
	if d.StartedAt != nil {
		start := d.Clock.Start
		r.RebasedAt = &start
	}
	for _, p := range d.Clock.Pauses {
		r.Pauses = append(r.Pauses, records.Span{From: p.From, To: p.To})
	}
	if due, ok := w.due(d); ok {
		r.DueAt = &due
	}
	return r
}

func (w *serviceRequest) complaintRow(c *Complaint) records.ComplaintRow {
	r := records.ComplaintRow{ComplaintID: c.ID, Source: c.Source, Reason: c.Reason, OpenedAt: c.OpenedAt, ResolvedAt: c.ResolvedAt, Resolution: c.Resolution}
	if d := w.complaintDeadline(c.ID); d != nil {
		r.DueAt, _ = w.due(d)
		r.Breached = d.Level > 0
	}
	return r
}

func (w *serviceRequest) customerWait() time.Duration {
	var t time.Duration
	for _, p := range w.s.CustomerWaits {
		t += p.To.Sub(p.From)
	}
	if w.s.PausedSince != nil {
		t += w.now().Sub(*w.s.PausedSince)
	}
	return t
}

func (w *serviceRequest) escalationLevel() int { return w.s.Level() }

func (w *serviceRequest) breached() bool { return w.escalationLevel() > 0 }
