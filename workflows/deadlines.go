package workflows

import (
	"fmt"
	"time"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/internal/calendar"
	"github.com/svcflow/svcflow/internal/sla"
)

// The deadlines of a request are kept by the SLA engine (internal/sla): this
// file feeds it the request's facts and records what it answers — an event
// and a row for every fact, the notifications of warnings, breaches and
// escalations, and the consequences of the customer's silence.

// Deadline is one deadline instance (internal/sla).
type Deadline = sla.Deadline

// startDeadline opens the next instance of a policy deadline at start.
func (w *serviceRequest) startDeadline(name string, start time.Time) *Deadline {
	d, facts := w.s.Start(name, w.s.Priority, w.s.Request.Customer.Tier, start)
	w.record(facts, "")
	return d
}

// startFixed opens a deadline due at a committed instant (delivery).
func (w *serviceRequest) startFixed(name string, start, due time.Time) *Deadline {
	d, facts := w.s.StartFixed(name, start, due)
	w.record(facts, "")
	return d
}

// startDelayNotice opens the delay notice of the committed delivery.
func (w *serviceRequest) startDelayNotice(now time.Time) *Deadline {
	d, facts := w.s.StartDelayNotice(w.s.Priority, w.s.Request.Customer.Tier, now)
	w.record(facts, "")
	return d
}

// open returns the open instance of a deadline, or nil.
func (w *serviceRequest) open(name string) *Deadline { return w.s.Open(name) }

// latest returns the newest instance of a deadline, or nil.
func (w *serviceRequest) latest(name string) *Deadline { return w.s.Latest(name) }

// meet closes a deadline because its action happened; a breached one stays
// breached (closed late), the breach is never undone.
func (w *serviceRequest) meet(d *Deadline, actor string) { w.record(w.s.Meet(d, w.now()), actor) }

// cancelDeadline closes a deadline that no longer applies.
func (w *serviceRequest) cancelDeadline(d *Deadline) { w.record(w.s.Cancel(d, w.now()), "") }

// due is the deadline's due time; ok is false while it is paused.
func (w *serviceRequest) due(d *Deadline) (time.Time, bool) { return w.s.Due(d) }

// nextWake is the earliest future instant of any open deadline or report.
func (w *serviceRequest) nextWake() (time.Time, string, bool) {
	wake, ok := w.s.NextWake(w.now())
	if t, held := w.nextRelease(); held && (!ok || t.Before(wake.At)) && (w.s.NextReportAt.IsZero() || t.Before(w.s.NextReportAt)) {
		return t, "held notifications go out at " + fmtTime(t, w.cal), true
	}
	if !w.s.NextReportAt.IsZero() && (!ok || w.s.NextReportAt.Before(wake.At)) {
		return w.s.NextReportAt, "progress report due " + fmtTime(w.s.NextReportAt, w.cal), true
	}
	if !ok {
		return time.Time{}, "", false
	}
	return wake.At, wake.Summary(w.cal), true
}

// anyDue reports whether some instant has come that fireDue would fire.
func (w *serviceRequest) anyDue() bool {
	now := w.now()
	if t, held := w.nextRelease(); held && !t.After(now) {
		return true
	}
	return w.s.AnyDue(now) || !w.s.NextReportAt.IsZero() && !w.s.NextReportAt.After(now)
}

// fireDue fires, in order, every step that has come: warnings, breaches,
// escalations, silence consequences; then a progress report that is due.
func (w *serviceRequest) fireDue() {
	for {
		f, ok := w.s.FireNext(w.now())
		if !ok {
			break
		}
		w.record([]sla.Fact{f}, "")
	}
	if !w.s.NextReportAt.IsZero() && !w.s.NextReportAt.After(w.now()) {
		w.progressReport()
	}
	w.releaseHeld()
}

// pause stops the agent-side clocks while the request waits on the customer.
func (w *serviceRequest) pause() { w.record(w.s.Pause(w.now()), "") }

// resume restarts them; their due times move by the paused time.
func (w *serviceRequest) resume() {
	wait, facts := w.s.Resume(w.now())
	if !wait.From.IsZero() {
		w.s.CustomerWaits = append(w.s.CustomerWaits, wait)
	}
	w.record(facts, "")
}

// reprioritize recomputes every open policy deadline with the new priority.
func (w *serviceRequest) reprioritize(priority string) {
	w.s.Priority = priority
	w.record(w.s.Reprioritize(priority, w.s.Request.Customer.Tier), "")
}

// record writes what the engine answered: an event per fact (actor for
// the facts an action caused), the deadline's row, and notifications.
func (w *serviceRequest) record(facts []sla.Fact, actor string) {
	for _, f := range facts {
		d := f.D
		switch f.Kind {
		case sla.FactStarted:
			w.emit("deadline.started", "", map[string]any{"deadline": d.Name, "instance": d.Instance, "due_at": fmtTime(f.Due, w.cal)})
			w.deadlineEvent(f, "started")
		case sla.FactMet:
			payload := map[string]any{"deadline": d.Name, "instance": d.Instance, "late": f.Late}
			if f.WithinLead {
				payload["within_lead"] = true
			}
			w.emit("deadline.met", actor, payload)
			w.deadlineEvent(f, "met")
		case sla.FactCancelled:
			w.emit("deadline.cancelled", "", map[string]any{"deadline": d.Name, "instance": d.Instance})
		case sla.FactWarning:
			w.emit("deadline.warning", "", map[string]any{"deadline": d.Name, "instance": d.Instance})
			w.deadlineEvent(f, "warned")
			kind := activities.KindWarning
			if f.Customer {
				kind = activities.KindAcceptanceReminder
			}
			w.notifyStep(f, kind, stepKey("warning", d, f.Warning))
		case sla.FactBreach:
			w.emit("deadline.breach", "", map[string]any{"deadline": d.Name, "instance": d.Instance, "level": 1})
			w.deadlineEvent(f, "breached")
			w.notifyStep(f, activities.KindBreach, stepKey("breach", d, 1))
		case sla.FactEscalation:
			w.emit("deadline.escalation", "", map[string]any{"deadline": d.Name, "instance": d.Instance, "level": f.Level})
			w.deadlineEvent(f, "escalated")
			w.notifyStep(f, activities.KindEscalation, stepKey("escalation", d, f.Level-1))
		case sla.FactVoid:
			// The customer's silence voids the sheet; it is not the team's breach.
			w.emit("deadline.breach", "", map[string]any{"deadline": d.Name, "instance": d.Instance, "customer": true})
			w.sheetFailed("sheet.void", "system", "not confirmed in time")
		case sla.FactAutoAccept:
			w.emit("acceptance.auto_accepted", "system", map[string]any{"instance": d.Instance})
			w.accept("system")
		}
		w.touch(d)
	}
}

// notifyStep tells each party of a fired step.
func (w *serviceRequest) notifyStep(f sla.Fact, kind, key string) {
	for _, party := range f.Parties {
		w.notify(party, kind, key, w.deadlineData(f.D))
	}
}

// stepKey is a step's dedupe key: "warning/sheet/1", and for the second and
// later warnings or escalation levels of a chain "escalation/sheet/1/3".
func stepKey(what string, d *Deadline, n int) string {
	if n <= 1 {
		return fmt.Sprintf("%s/%s/%d", what, d.Name, d.Instance)
	}
	return fmt.Sprintf("%s/%s/%d/%d", what, d.Name, d.Instance, n)
}

func (w *serviceRequest) deadlineData(d *Deadline) map[string]string {
	due, _ := w.due(d)
	return map[string]string{"deadline": d.Name, "instance": fmt.Sprint(d.Instance), "due_at": fmtTime(due, w.cal), "level": fmt.Sprint(d.Level)}
}

func fmtTime(t time.Time, cal *calendar.Calendar) string { return sla.Format(t, cal) }
