package workflows

import (
	"fmt"
	"time"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/internal/calendar"
	"github.com/svcflow/svcflow/internal/policy"
)

// Deadlines whose clocks stop while the request waits on the customer.
var agentSide = map[string]bool{policy.Sheet: true, policy.Review: true, policy.Delivery: true, policy.DelayNotice: true, policy.Rework: true}

// Deadlines the customer keeps: their silence has its own consequence.
var customerSide = map[string]bool{policy.Confirmation: true, policy.Acceptance: true}

// startDeadline opens the next instance of a policy deadline at start;
// agent-side deadlines pause while the request waits on the customer.
func (w *serviceRequest) startDeadline(name string, start time.Time) *Deadline {
	clock, target, ok := w.s.Policy.Resolve(name, w.s.Priority, w.s.Request.Customer.Tier)
	if !ok {
		return nil
	}
	d := &Deadline{Name: name, Instance: w.nextInstance(name), Clock: calendar.Clock{Kind: clock, Start: start, Target: target}, Pausable: agentSide[name]}
	return w.openDeadline(d)
}

// startFixed opens a deadline due at a committed instant (delivery).
func (w *serviceRequest) startFixed(name string, start, due time.Time) *Deadline {
	d := &Deadline{Name: name, Instance: w.nextInstance(name), Clock: calendar.Clock{Kind: calendar.Business, Start: start}, Fixed: &due, Pausable: true}
	return w.openDeadline(d)
}

// startAnchored opens a deadline that falls lead before another's due time.
func (w *serviceRequest) startAnchored(name, anchor string, start time.Time) *Deadline {
	_, lead, ok := w.s.Policy.Resolve(name, w.s.Priority, w.s.Request.Customer.Tier)
	if !ok {
		return nil
	}
	d := &Deadline{Name: name, Instance: w.nextInstance(name), Clock: calendar.Clock{Kind: calendar.Wall, Start: start}, Anchor: anchor, Lead: lead, Pausable: true}
	return w.openDeadline(d)
}

func (w *serviceRequest) openDeadline(d *Deadline) *Deadline {
	d.Open, d.State = true, DeadlinePending
	if d.Pausable && w.s.PausedSince != nil {
		d.Clock.Pauses = append(d.Clock.Pauses, calendar.Pause{From: *w.s.PausedSince})
	}
	w.s.Deadlines = append(w.s.Deadlines, d)
	w.refreshState(d)
	due, _ := w.due(d)
	w.emit("deadline.started", "", map[string]any{"deadline": d.Name, "instance": d.Instance, "due_at": fmtTime(due, w.cal)})
	w.touch(d)
	return d
}

func (w *serviceRequest) nextInstance(name string) int {
	n := 1
	for _, d := range w.s.Deadlines {
		if d.Name == name {
			n++
		}
	}
	return n
}

// open returns the open instance of a deadline, or nil.
func (w *serviceRequest) open(name string) *Deadline {
	for _, d := range w.s.Deadlines {
		if d.Open && d.Name == name {
			return d
		}
	}
	return nil
}

// meet closes a deadline because its action happened; a breached one stays
// breached (closed late), the breach is never undone.
func (w *serviceRequest) meet(d *Deadline, actor string) { w.meetWith(d, actor, false) }

// meetWith is meet; withinLead marks a delay notice met by its commitment.
func (w *serviceRequest) meetWith(d *Deadline, actor string, withinLead bool) {
	if d == nil || !d.Open {
		return
	}
	now := w.now()
	w.settle(d)
	d.Open, d.MetAt, d.ClosedAt = false, &now, &now
	if d.Level == 0 {
		d.State = DeadlineMet
	} else {
		d.State = DeadlineBreached
	}
	payload := map[string]any{"deadline": d.Name, "instance": d.Instance, "late": d.Level > 0}
	if withinLead {
		payload["within_lead"] = true
	}
	w.emit("deadline.met", actor, payload)
	w.touch(d)
}

// startDelayNotice opens the delay notice of the committed delivery. A
// commitment made inside the notice's lead (delivery in 10 h, lead 24 h)
// cannot be announced late: the customer learns the date with it, so the
// notice is met at the commitment, never breached by the team.
func (w *serviceRequest) startDelayNotice(now time.Time) *Deadline {
	d := w.startAnchored(policy.DelayNotice, policy.Delivery, now)
	if d == nil || w.s.Policy.Semantics < 1 {
		return d
	}
	if due, ok := w.due(d); ok && !due.After(now) {
		w.meetWith(d, "", true)
	}
	return d
}

// cancelDeadline closes a deadline that no longer applies.
func (w *serviceRequest) cancelDeadline(d *Deadline) {
	if d == nil || !d.Open {
		return
	}
	now := w.now()
	w.settle(d)
	d.Open, d.ClosedAt = false, &now
	if d.Level == 0 {
		d.State = DeadlineCancelled
	}
	w.emit("deadline.cancelled", "", map[string]any{"deadline": d.Name, "instance": d.Instance})
	w.touch(d)
}

// settle freezes the due time of a deadline that is closing: recorded facts
// of a settled instance never change (a later delay moves only the open ones).
func (w *serviceRequest) settle(d *Deadline) {
	if t, ok := w.due(d); ok {
		d.SettledDue = &t
	}
}

// due is the deadline's due time; ok is false while it is paused. A
// settled deadline keeps the due time it had when it settled.
func (w *serviceRequest) due(d *Deadline) (time.Time, bool) {
	switch {
	case !d.Open && d.SettledDue != nil:
		return *d.SettledDue, true
	case d.Anchor != "":
		a := w.latest(d.Anchor)
		if a == nil {
			return time.Time{}, false
		}
		t, ok := w.due(a)
		return t.Add(-d.Lead), ok
	case d.Fixed != nil:
		shift, ok := w.pausedWork(d)
		if !ok {
			return time.Time{}, false
		}
		if shift == 0 {
			return *d.Fixed, true
		}
		return w.cal.Add(*d.Fixed, shift), true
	default:
		return w.cal.When(d.Clock, d.Clock.Target)
	}
}

// at is the instant at share of the deadline's time (warn_at, escalate_at).
func (w *serviceRequest) at(d *Deadline, share float64) (time.Time, bool) {
	if d.Fixed == nil && d.Anchor == "" {
		return w.cal.When(d.Clock, calendar.Scale(d.Clock.Target, share))
	}
	due, ok := w.due(d)
	if !ok {
		return time.Time{}, false
	}
	span := due.Sub(d.Clock.Start)
	if span < 0 {
		span = 0
	}
	return d.Clock.Start.Add(calendar.Scale(span, share)), true
}

// pausedWork is the time a fixed deadline moves by: working time of its
// closed pauses for business clocks, wall time otherwise.
func (w *serviceRequest) pausedWork(d *Deadline) (time.Duration, bool) {
	var total time.Duration
	for _, p := range d.Clock.Pauses {
		if p.To.IsZero() {
			return 0, false
		}
		if d.Clock.Kind == calendar.Business {
			total += w.cal.Between(p.From, p.To)
		} else {
			total += p.To.Sub(p.From)
		}
	}
	return total, true
}

// latest returns the newest instance of a deadline.
func (w *serviceRequest) latest(name string) *Deadline {
	for i := len(w.s.Deadlines) - 1; i >= 0; i-- {
		if w.s.Deadlines[i].Name == name {
			return w.s.Deadlines[i]
		}
	}
	return nil
}

// instant is one future moment of a deadline: warning, breach or escalation.
type instant struct {
	at    time.Time
	what  string
	d     *Deadline
	order int
}

// instants lists what is still to fire for an open deadline.
func (w *serviceRequest) instants(d *Deadline) []instant {
	var out []instant
	if !d.Open {
		return out
	}
	if !d.Warned && (d.Level < 1 || w.s.Policy.Semantics < 1) { // never a warning after the breach
		if t, ok := w.at(d, w.s.Policy.WarnAt); ok {
			out = append(out, instant{t, "warning", d, 0})
		}
	}
	if d.Level < 1 {
		if t, ok := w.due(d); ok {
			out = append(out, instant{t, "breach", d, 1})
		}
	}
	if d.Level < 2 && !(customerSide[d.Name] && w.s.Policy.AcceptanceSilence != policy.Escalate) {
		if t, ok := w.at(d, w.s.Policy.EscalateAt); ok {
			out = append(out, instant{t, "escalation", d, 2})
		}
	}
	return out
}

// nextWake is the earliest future instant of any open deadline or report.
func (w *serviceRequest) nextWake() (time.Time, string, bool) {
	var best *instant
	for _, d := range w.s.Deadlines {
		for _, in := range w.instants(d) {
			if best == nil || in.at.Before(best.at) {
				c := in
				best = &c
			}
		}
	}
	if !w.s.NextReportAt.IsZero() && (best == nil || w.s.NextReportAt.Before(best.at)) {
		return w.s.NextReportAt, "progress report due " + fmtTime(w.s.NextReportAt, w.cal), true
	}
	if best == nil {
		return time.Time{}, "", false
	}
	summary := fmt.Sprintf("%s #%d %s at %s", best.d.Name, best.d.Instance, best.what, fmtTime(best.at, w.cal))
	return best.at, summary, true
}

// anyDue reports whether some instant has come that fireDue would fire.
func (w *serviceRequest) anyDue() bool {
	now := w.now()
	for _, d := range w.s.Deadlines {
		for _, in := range w.instants(d) {
			if !in.at.After(now) {
				return true
			}
		}
	}
	return !w.s.NextReportAt.IsZero() && !w.s.NextReportAt.After(now)
}

// fireDue fires, in order, every instant that has come: warnings,
// breaches, escalations, silence consequences and progress reports.
func (w *serviceRequest) fireDue() {
	for {
		now := w.now()
		var next *instant
		for _, d := range w.s.Deadlines {
			for _, in := range w.instants(d) {
				if in.at.After(now) {
					continue
				}
				if next == nil || in.at.Before(next.at) || in.at.Equal(next.at) && in.order < next.order {
					c := in
					next = &c
				}
			}
		}
		if next == nil {
			break
		}
		w.fire(*next)
	}
	if !w.s.NextReportAt.IsZero() && !w.s.NextReportAt.After(w.now()) {
		w.progressReport()
	}
}

func (w *serviceRequest) fire(in instant) {
	d, now := in.d, w.now()
	switch in.what {
	case "warning":
		d.Warned, d.WarnedAt = true, &now
		w.emit("deadline.warning", "", map[string]any{"deadline": d.Name, "instance": d.Instance})
		party, kind := activities.PartyAssignee, activities.KindWarning
		if customerSide[d.Name] {
			party, kind = activities.PartyCustomer, activities.KindAcceptanceReminder
		}
		w.notify(party, kind, dkey("warning", d), w.deadlineData(d))
	case "breach":
		w.breach(d)
	case "escalation":
		d.Level = 2
		w.emit("deadline.escalation", "", map[string]any{"deadline": d.Name, "instance": d.Instance, "level": 2})
		w.notify(activities.PartyManager, activities.KindEscalation, dkey("escalation", d), w.deadlineData(d))
	}
	w.touch(d)
}

// breach records a missed deadline once. Customer silence has its own
// consequence: a void sheet, or the acceptance silence policy.
func (w *serviceRequest) breach(d *Deadline) {
	now := w.now()
	switch {
	case d.Name == policy.Confirmation:
		// The customer's silence voids the sheet; it is not the team's breach.
		w.settle(d)
		d.BreachedAt, d.State = &now, DeadlineBreached
		d.Open, d.ClosedAt = false, &now
		w.emit("deadline.breach", "", map[string]any{"deadline": d.Name, "instance": d.Instance, "customer": true})
		w.sheetFailed("sheet.void", "system", "not confirmed in time")
		return
	case d.Name == policy.Acceptance && w.s.Policy.AcceptanceSilence != policy.Escalate:
		w.emit("acceptance.auto_accepted", "system", map[string]any{"instance": d.Instance})
		w.accept("system")
		return
	}
	d.Level, d.BreachedAt, d.State = 1, &now, DeadlineBreached
	w.emit("deadline.breach", "", map[string]any{"deadline": d.Name, "instance": d.Instance, "level": 1})
	w.notify(activities.PartySupervisor, activities.KindBreach, dkey("breach", d), w.deadlineData(d))
}

// refreshState sets pending/paused for an open, unbreached deadline.
func (w *serviceRequest) refreshState(d *Deadline) {
	if !d.Open || d.Level > 0 {
		return
	}
	if _, ok := w.due(d); ok {
		d.State = DeadlinePending
	} else {
		d.State = DeadlinePaused
	}
}

// pause stops the agent-side clocks while the request waits on the customer.
func (w *serviceRequest) pause() {
	now := w.now()
	w.s.PausedSince = &now
	for _, d := range w.s.Deadlines {
		if d.Open && d.Pausable && d.Anchor == "" {
			d.Clock.Pauses = append(d.Clock.Pauses, calendar.Pause{From: now})
		}
	}
	w.refreshAll()
}

// resume restarts them; their due times move by the paused time.
func (w *serviceRequest) resume() {
	now := w.now()
	if w.s.PausedSince != nil {
		w.s.CustomerWaits = append(w.s.CustomerWaits, calendar.Pause{From: *w.s.PausedSince, To: now})
	}
	w.s.PausedSince = nil
	for _, d := range w.s.Deadlines {
		if n := len(d.Clock.Pauses); n > 0 && d.Clock.Pauses[n-1].To.IsZero() {
			d.Clock.Pauses[n-1].To = now
		}
	}
	w.refreshAll()
}

func (w *serviceRequest) refreshAll() {
	for _, d := range w.s.Deadlines {
		if d.Open {
			w.refreshState(d)
			w.touch(d)
		}
	}
}

// reprioritize recomputes every open policy deadline from its original
// start with the new target; a due time already past breaches at once.
func (w *serviceRequest) reprioritize(priority string) {
	w.s.Priority = priority
	for _, d := range w.s.Deadlines {
		if !d.Open || d.Fixed != nil || d.Anchor != "" {
			continue
		}
		if _, target, ok := w.s.Policy.Resolve(d.Name, priority, w.s.Request.Customer.Tier); ok {
			d.Clock.Target = target
			w.refreshState(d)
			w.touch(d)
		}
	}
}

func dkey(what string, d *Deadline) string {
	return fmt.Sprintf("%s/%s/%d", what, d.Name, d.Instance)
}

func (w *serviceRequest) deadlineData(d *Deadline) map[string]string {
	due, _ := w.due(d)
	return map[string]string{"deadline": d.Name, "instance": fmt.Sprint(d.Instance), "due_at": fmtTime(due, w.cal), "level": fmt.Sprint(d.Level)}
}

func fmtTime(t time.Time, cal *calendar.Calendar) string {
	if t.IsZero() {
		return ""
	}
	if cal != nil {
		t = t.In(cal.Location())
	}
	return t.Format(time.RFC3339)
}
