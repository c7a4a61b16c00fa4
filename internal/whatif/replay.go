package whatif

import (
	"errors"
	"fmt"
	"time"

	"github.com/svcflow/svcflow/internal/policy"
	"github.com/svcflow/svcflow/internal/records"
	"github.com/svcflow/svcflow/internal/sla"
)

// Replayed is one request's deadline instances, recorded and replayed, in
// the order they started.
type Replayed struct {
	RequestID string
	Instances []Instance
}

// key names one deadline instance.
type key struct {
	name     string
	instance int
}

// slot is one recorded instance in the replay: the engine's deadline (nil
// when the policy tried sets no target for it) and, once it closed, its
// result as of the end of that instant.
type slot struct {
	k    key
	d    *sla.Deadline
	res  Result
	kept bool // res is set
}

// replay is the walk over one request's events.
type replay struct {
	rp       *Replayer
	p        Policy
	h        *History
	sem      int // the engine rules version the request ran under
	book     sla.Book
	attrs    policy.Attrs // current: tier, category, channel, priority, group
	loaded   bool         // the received event set the policy
	slots    []slot       // in the order they started
	delivery *time.Time   // committed by the latest sheet
	cur      time.Time    // the instant the engine has been fed up to
}

// Replay walks h's events through the SLA engine under p and fires what is
// due by until (now; nothing when until is zero or before the last event).
// An error names the request, the event and the field that make the history
// unreadable.
func Replay(p Policy, h *History, until time.Time) (Replayed, error) {
	return NewReplayer(p).Replay(h, until)
}

// Replay is Replay under the replayer's policy.
func (rp *Replayer) Replay(h *History, until time.Time) (Replayed, error) {
	r := &replay{rp: rp, p: rp.p, h: h, sem: h.RecordedSemantics()}
	out := Replayed{RequestID: h.Request.RequestID}
	if err := r.walk(until); err != nil {
		return out, fmt.Errorf("request %s: %w", h.Request.RequestID, err)
	}
	out.Instances = make([]Instance, 0, max(len(r.slots), len(h.Deadlines)))
	for i := range r.slots {
		s := &r.slots[i]
		in := Instance{Name: s.k.name, Instance: s.k.instance, Recorded: Result{Outcome: None}, WhatIf: s.res}
		if row := r.row(s.k); row != nil {
			res, err := recorded(*row)
			if err != nil {
				return out, fmt.Errorf("request %s: %w", h.Request.RequestID, err)
			}
			in.Recorded = res
		}
		out.Instances = append(out.Instances, in)
	}
	for _, row := range h.Deadlines { // rows without a deadline.started: none under any policy
		if r.slot(key{row.Name, row.Instance}) == nil {
			res, err := recorded(row)
			if err != nil {
				return out, fmt.Errorf("request %s: %w", h.Request.RequestID, err)
			}
			out.Instances = append(out.Instances, Instance{Name: row.Name, Instance: row.Instance, Recorded: res, WhatIf: Result{Outcome: None}})
		}
	}
	return out, nil
}

// row is the recorded row of instance k, or nil.
func (r *replay) row(k key) *records.DeadlineRow {
	for i := range r.h.Deadlines {
		if d := &r.h.Deadlines[i]; d.Name == k.name && d.Instance == k.instance {
			return d
		}
	}
	return nil
}

// slot is the replay's instance k, or nil (requests hold a handful).
func (r *replay) slot(k key) *slot {
	for i := range r.slots {
		if r.slots[i].k == k {
			return &r.slots[i]
		}
	}
	return nil
}

// walk feeds the events to the engine an instant at a time: first every
// step due by the instant, then the instant's events, then what they made
// due at once; the instances closed by then keep the result they closed
// with (the workflow writes a row with the facts of its instant).
func (r *replay) walk(until time.Time) error {
	evs := r.h.Events
	for i := 0; i < len(evs); {
		t := evs[i].At
		j := i
		for j < len(evs) && evs[j].At.Equal(t) {
			j++
		}
		r.fireUntil(t)
		for _, e := range evs[i:j] {
			if err := r.apply(e); err != nil {
				return fmt.Errorf("event %d (%s): %w", e.Seq, e.Kind, err)
			}
		}
		r.fireUntil(t)
		r.settle(false)
		i = j
	}
	if !r.loaded {
		return errors.New("no received event: the history is incomplete")
	}
	if until.After(r.cur) {
		r.fireUntil(until)
	}
	r.settle(true)
	return nil
}

// fireUntil fires, in order and each at its own instant, every step due by
// t, as the workflow's timers do.
func (r *replay) fireUntil(t time.Time) {
	if !r.loaded {
		return
	}
	for {
		w, ok := r.book.NextWake(r.cur)
		if !ok || w.At.After(t) {
			break
		}
		at := w.At
		if at.Before(r.cur) {
			at = r.cur
		}
		f, fired := r.book.FireNext(at)
		if !fired { // a step that no longer applies at its own instant: what t gives
			if f, fired = r.book.FireNext(t); !fired {
				break
			}
			at = t
		}
		r.cur = at
		if f.Kind == sla.FactAutoAccept { // the workflow accepts the delivery
			r.book.Meet(f.D, at)
		}
	}
	if t.After(r.cur) {
		r.cur = t
	}
}

// settle keeps the result of every instance closed by now (all of them at
// the end).
func (r *replay) settle(end bool) {
	for i := range r.slots {
		s := &r.slots[i]
		if !s.kept && (end || s.d == nil || !s.d.Open) {
			s.res, s.kept = replayed(&r.book, s.d), true
		}
	}
}

// apply feeds one event to the engine.
func (r *replay) apply(e records.Event) error {
	if !r.loaded && e.Kind != KindReceived {
		if e.Kind == KindDeadlineStarted {
			return errors.New("before the received event")
		}
		return nil
	}
	var p payload
	switch e.Kind {
	case KindReceived, KindDeadlineStarted, KindDeadlineMet, KindDeadlineCancelled, KindDeadlineBreach,
		KindReprioritize, KindReassign, KindSubmitSheet, KindAnnounceDelay:
		var err error
		if p, err = r.rp.dec.decode(e.Payload); err != nil {
			return err
		}
	}
	switch e.Kind {
	case KindReceived:
		return r.received(p)
	case KindDeadlineStarted:
		return r.started(p, e.At)
	case KindDeadlineMet:
		if p.WithinLead {
			return nil // the engine's own consequence: a commitment inside the notice's lead
		}
		s, err := r.named(p)
		if err == nil {
			r.book.Meet(s.d, e.At)
		}
		return err
	case KindDeadlineCancelled:
		s, err := r.named(p)
		if err == nil {
			r.book.Cancel(s.d, e.At)
		}
		return err
	case KindDeadlineBreach:
		if !p.Customer {
			return nil // the replay fires its own
		}
		// The recorded run voided the sheet here; under the policy tried the
		// customer may still have had time, but the round ended.
		s, err := r.named(p)
		if err == nil {
			r.book.Cancel(s.d, e.At)
		}
		return err
	case KindRequestInfo:
		if r.book.PausedSince == nil {
			r.book.Pause(e.At)
		}
	case KindProvideInfo:
		r.book.Resume(e.At)
	case KindClosed:
		if r.book.PausedSince != nil { // closing ends the customer wait
			r.book.Resume(e.At)
		}
	case KindReprioritize:
		if p.Priority == "" {
			return errors.New("payload: priority: missing")
		}
		r.attrs.Priority = p.Priority
		r.book.Reprioritize(p.Priority, r.attrs.Tier)
	case KindReassign:
		if p.Group != "" {
			r.attrs.Group = p.Group
		}
	case KindSubmitSheet:
		if p.ExpectedDelivery == nil {
			return errors.New("payload: expected_delivery: missing")
		}
		r.delivery = p.ExpectedDelivery
	case KindAnnounceDelay:
		if p.NewDelivery == nil {
			return errors.New("payload: new_delivery: missing")
		}
		r.book.Meet(r.book.Open(policy.DelayNotice), e.At)
		if d := r.book.Open(policy.Delivery); d != nil {
			r.book.Recommit(d, *p.NewDelivery)
		}
	case KindPolicyApplied:
		if _, err := r.book.Apply(r.rp.selectFor(r.attrs, r.sem).snap, r.attrs.Priority, r.attrs.Tier, e.At); err != nil {
			return fmt.Errorf("apply the policy: %w", err)
		}
	}
	return nil
}

// received selects the policy for the attributes at intake: the group is
// the one the policy's routing gives.
func (r *replay) received(p payload) error {
	row := r.h.Request
	or := func(v, fallback string) string {
		if v != "" {
			return v
		}
		return fallback
	}
	r.attrs = policy.Attrs{Tier: or(p.Tier, row.Tier), Category: or(p.Category, row.Category), Channel: or(p.Channel, row.Channel),
		Priority: or(p.Priority, row.Priority), Group: or(p.Group, row.Group)}
	if r.attrs.Priority == "" {
		return errors.New("payload: priority: missing")
	}
	r.attrs.Group = r.rp.route(r.attrs)
	sel := r.rp.selectFor(r.attrs, r.sem)
	if sel.err != nil {
		return fmt.Errorf("policy %s: calendar %s: %w", sel.snap.Name, sel.snap.CalendarName, sel.err)
	}
	r.book.Policy = sel.snap
	r.book.LoadWith(sel.cal)
	r.loaded = true
	return nil
}

// started opens a recorded instance from its recorded start.
func (r *replay) started(p payload, at time.Time) error {
	if p.Deadline == "" || p.Instance <= 0 {
		return fmt.Errorf("payload: deadline %q instance %d: want a deadline name and an instance from 1", p.Deadline, p.Instance)
	}
	k := key{p.Deadline, p.Instance}
	if r.slot(k) != nil {
		return fmt.Errorf("deadline %s #%d started twice", k.name, k.instance)
	}
	start := at
	if row := r.row(k); row != nil {
		start = row.StartedAt // the response counts from submitted_at
	}
	var d *sla.Deadline
	switch k.name {
	case policy.Delivery:
		if r.delivery == nil {
			return errors.New("delivery started without a committed time (no submit_sheet before it)")
		}
		d, _ = r.book.StartFixed(k.name, start, *r.delivery)
	case policy.DelayNotice:
		d, _ = r.book.StartDelayNotice(r.attrs.Priority, r.attrs.Tier, at)
	default:
		d, _ = r.book.Start(k.name, r.attrs.Priority, r.attrs.Tier, start)
	}
	r.slots = append(r.slots, slot{k: k, d: d})
	return nil
}

// named is the recorded instance an event names.
func (r *replay) named(p payload) (*slot, error) {
	s := r.slot(key{p.Deadline, p.Instance})
	if s == nil {
		return nil, fmt.Errorf("deadline %s #%d was never started", p.Deadline, p.Instance)
	}
	return s, nil
}
