package sla

import (
	"fmt"
	"time"

	"github.com/svcflow/svcflow/internal/calendar"
	"github.com/svcflow/svcflow/internal/policy"
)

// applies says whether step st of d's chain is still to fire at now. A
// warning never comes after its deadline's breach (rules of semantics 1:
// also not when the breach is due as well, as after a reprioritize); a
// breach or escalation never repeats a level reached; a customer-side
// deadline escalates only under acceptance_silence escalate.
func (b *Book) applies(d *Deadline, st step, now time.Time) bool {
	switch st.kind {
	case StepWarning:
		if b.Policy.Semantics < 1 {
			return true
		}
		if d.Level >= 1 {
			return false
		}
		due, ok := b.Due(d)
		return !ok || due.After(now)
	case StepBreach:
		return d.Level < 1
	default:
		if CustomerSide[d.Name] && b.Policy.AcceptanceSilence != policy.Escalate {
			return false
		}
		return d.Level < st.level
	}
}

// instant is when step st of d falls: the due time for the breach, the
// share of the target otherwise; ok false while a pause hides it.
func (b *Book) instant(d *Deadline, st step) (time.Time, bool) {
	if st.kind == StepBreach {
		return b.Due(d)
	}
	return b.At(d, st.share)
}

// pending is d's next step to fire and its instant; ok false when none is
// left or the next one is hidden by a pause.
func (b *Book) pending(d *Deadline, now time.Time) (int, time.Time, bool) {
	if !d.Open {
		return 0, time.Time{}, false
	}
	for i := d.done(); i < len(b.steps); i++ {
		if !b.applies(d, b.steps[i], now) {
			continue
		}
		t, ok := b.instant(d, b.steps[i])
		return i, t, ok
	}
	return 0, time.Time{}, false
}

// Wake is the next instant a step of a deadline falls.
type Wake struct {
	At   time.Time
	D    *Deadline
	Kind StepKind
}

// Summary names the deadline, the step and the instant (a timer's summary).
func (w Wake) Summary(cal *calendar.Calendar) string {
	return fmt.Sprintf("%s #%d %s at %s", w.D.Name, w.D.Instance, w.Kind, Format(w.At, cal))
}

// NextWake is the earliest instant a step of an open deadline falls.
func (b *Book) NextWake(now time.Time) (Wake, bool) {
	var w Wake
	for _, d := range b.Deadlines {
		if i, t, ok := b.pending(d, now); ok && (w.D == nil || t.Before(w.At)) {
			w = Wake{At: t, D: d, Kind: b.steps[i].kind}
		}
	}
	return w, w.D != nil
}

// AnyDue reports whether some step has come by now.
func (b *Book) AnyDue(now time.Time) bool {
	for _, d := range b.Deadlines {
		if _, t, ok := b.pending(d, now); ok && !t.After(now) {
			return true
		}
	}
	return false
}

// FireNext fires the earliest step that has come by now (ties: warnings
// first, then the deadline listed first) and returns its fact; false when
// none has come. Call it until false: a fact may open or close deadlines.
func (b *Book) FireNext(now time.Time) (Fact, bool) {
	var bd *Deadline
	var bi int
	var best time.Time
	for _, d := range b.Deadlines {
		i, t, ok := b.pending(d, now)
		if !ok || t.After(now) {
			continue
		}
		if bd == nil || t.Before(best) || t.Equal(best) && b.steps[i].kind < b.steps[bi].kind {
			bd, bi, best = d, i, t
		}
	}
	if bd == nil {
		return Fact{}, false
	}
	f := b.fire(bd, bi, now)
	f.At = best
	return f, true
}

func (b *Book) fire(d *Deadline, i int, now time.Time) Fact {
	st := b.steps[i]
	d.Done = i + 1
	switch st.kind {
	case StepWarning:
		d.Warned, d.WarnedAt = true, &now
		if CustomerSide[d.Name] {
			return Fact{Kind: FactWarning, D: d, Warning: st.warning, Parties: []string{partyCustomer}, Customer: true}
		}
		return Fact{Kind: FactWarning, D: d, Warning: st.warning, Parties: st.parties}
	case StepBreach:
		switch {
		case d.Name == policy.Confirmation:
			b.settle(d)
			d.BreachedAt, d.State = &now, Breached
			d.Open, d.ClosedAt = false, &now
			return Fact{Kind: FactVoid, D: d, Customer: true}
		case d.Name == policy.Acceptance && b.Policy.AcceptanceSilence != policy.Escalate:
			return Fact{Kind: FactAutoAccept, D: d, Customer: true}
		}
		d.Level, d.BreachedAt, d.State = 1, &now, Breached
		return Fact{Kind: FactBreach, D: d, Level: 1, Parties: st.parties}
	default:
		d.Level = st.level
		return Fact{Kind: FactEscalation, D: d, Level: st.level, Parties: st.parties}
	}
}

func (k StepKind) String() string {
	switch k {
	case StepWarning:
		return "warning"
	case StepBreach:
		return "breach"
	}
	return "escalation"
}

// FirstAt is the instant of d's first step of kind (the warning, the first
// escalation) whatever has fired; ok false when the chain has none or a pause
// hides it.
func (b *Book) FirstAt(d *Deadline, kind StepKind) (time.Time, bool) {
	for _, st := range b.steps {
		if st.kind == kind {
			return b.instant(d, st)
		}
	}
	return time.Time{}, false
}
