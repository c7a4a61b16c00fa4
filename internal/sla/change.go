package sla

import (
	"reflect"
	"time"

	"github.com/svcflow/svcflow/internal/calendar"
	"github.com/svcflow/svcflow/internal/policy"
)

// Pause stops the agent-side clocks at now: the request waits on the customer.
func (b *Book) Pause(now time.Time) []Fact {
	b.PausedSince = &now
	for _, d := range b.Deadlines {
		if d.Open && d.Pausable && d.Anchor == "" {
			d.Clock.Pauses = append(d.Clock.Pauses, calendar.Pause{From: now})
		}
	}
	return b.refreshAll()
}

// Resume restarts them at now; their due times move by the paused time.
// It returns the wait that ended (zero when none was open).
func (b *Book) Resume(now time.Time) (calendar.Pause, []Fact) {
	var wait calendar.Pause
	if b.PausedSince != nil {
		wait = calendar.Pause{From: *b.PausedSince, To: now}
	}
	b.PausedSince = nil
	for _, d := range b.Deadlines {
		if n := len(d.Clock.Pauses); n > 0 && d.Clock.Pauses[n-1].To.IsZero() {
			d.Clock.Pauses[n-1].To = now
		}
	}
	return wait, b.refreshAll()
}

func (b *Book) refreshAll() []Fact {
	var out []Fact
	for _, d := range b.Deadlines {
		if d.Open {
			b.refresh(d)
			out = append(out, Fact{Kind: FactUpdated, D: d})
		}
	}
	return out
}

// Reprioritize recomputes every open policy deadline from its original
// start with the new priority's target, keeping elapsed and paused time; a
// due time already past breaches at the next FireNext.
func (b *Book) Reprioritize(priority, tier string) []Fact {
	var out []Fact
	for _, d := range b.Deadlines {
		if !d.Open || d.Fixed != nil || d.Anchor != "" {
			continue
		}
		if _, target, ok := b.Policy.Resolve(d.Name, priority, tier); ok {
			d.Clock.Target = target
			b.refresh(d)
			out = append(out, Fact{Kind: FactUpdated, D: d})
		}
	}
	return out
}

// Recommit moves the committed delivery d to due (announce_delay): closed
// pauses are in the new date; its steps start over, but a warning never
// comes after its breach.
func (b *Book) Recommit(d *Deadline, due time.Time) []Fact {
	d.Fixed = &due
	var open []calendar.Pause
	for _, p := range d.Clock.Pauses {
		if p.To.IsZero() {
			open = append(open, p)
		}
	}
	d.Clock.Pauses = open
	d.Warned, d.Done = false, 0
	b.refresh(d)
	return []Fact{{Kind: FactUpdated, D: d}}
}

// StartDelayNotice opens the delay notice of the committed delivery. Under
// semantics 1 a commitment made inside the notice's lead (delivery in 10 h,
// lead 24 h) cannot be announced late: the customer learns the date with it,
// so the notice is met at the commitment, never the team's breach.
func (b *Book) StartDelayNotice(priority, tier string, now time.Time) (*Deadline, []Fact) {
	d, facts := b.StartAnchored(policy.DelayNotice, policy.Delivery, priority, tier, now)
	if d == nil || b.Policy.Semantics < 1 {
		return d, facts
	}
	if due, ok := b.Due(d); ok && !due.After(now) {
		facts = append(facts, b.meet(d, now, true)...)
	}
	return d, facts
}

// Apply replaces the snapshot by next (apply_policy) at now and recomputes
// every open deadline from its original start, keeping the time already
// elapsed and every pause: with the same calendar a deadline takes the new
// target as reprioritize does; moved to another calendar, the active time
// counted so far is carried and the rest counts in the new calendar from
// now. Steps of the new chain already passed (a warning due before now, a
// level reached) do not fire again; one now past fires at the next FireNext.
func (b *Book) Apply(next policy.Snapshot, priority, tier string, now time.Time) ([]Fact, error) {
	old, oldCal := b.Policy, b.cal
	b.Policy = next
	if err := b.Load(); err != nil {
		b.Policy = old
		b.cal, b.steps = oldCal, newChain(&old)
		return nil, err
	}
	moved := !reflect.DeepEqual(old.Calendar, next.Calendar)
	var out []Fact
	for _, d := range b.Deadlines {
		if !d.Open {
			continue
		}
		switch {
		case d.Anchor != "":
			if _, lead, ok := next.Resolve(d.Name, priority, tier); ok {
				d.Lead = lead
			}
		case d.Fixed != nil:
			if due, ok := b.dueIn(oldCal, d); moved && ok {
				b.Recommit(d, due)
			}
		default:
			clock, target, ok := next.Resolve(d.Name, priority, tier)
			if !ok {
				continue
			}
			if moved || clock != d.Clock.Kind {
				b.rebase(d, oldCal, clock, now)
			}
			d.Clock.Target = target
		}
		d.Done = b.passed(d, now)
		b.refresh(d)
		out = append(out, Fact{Kind: FactUpdated, D: d})
	}
	return out, nil
}

// rebase restarts d's clock at now in kind, carrying the active time its
// clock counted so far (measured in the old calendar) and an open pause.
func (b *Book) rebase(d *Deadline, oldCal *calendar.Calendar, kind calendar.ClockKind, now time.Time) {
	elapsed := d.Carried + oldCal.Elapsed(d.Clock, now)
	started := d.Started()
	var open []calendar.Pause
	if n := len(d.Clock.Pauses); n > 0 && d.Clock.Pauses[n-1].To.IsZero() {
		open = append(open, calendar.Pause{From: now})
	}
	d.StartedAt, d.Carried = &started, elapsed
	d.Clock = calendar.Clock{Kind: kind, Start: now, Target: d.Clock.Target, Pauses: open}
}

// passed counts the leading steps of d's chain that must not fire again
// after a change of policy: warnings due by now (or after the breach),
// levels already reached.
func (b *Book) passed(d *Deadline, now time.Time) int {
	n := 0
	for _, st := range b.steps {
		switch st.kind {
		case StepWarning:
			t, ok := b.instant(d, st)
			if !(d.Level >= 1 || ok && !t.After(now)) {
				return n
			}
		default:
			if d.Level < st.level {
				return n
			}
		}
		n++
	}
	return n
}
