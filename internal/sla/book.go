package sla

import (
	"time"

	"github.com/svcflow/svcflow/internal/calendar"
	"github.com/svcflow/svcflow/internal/policy"
)

// Book is the SLA state of one request: its policy snapshot, every deadline
// instance and the open customer wait. It is embedded in the workflow's
// state, so its fields keep the JSON names the state has always had.
type Book struct {
	Policy      policy.Snapshot `json:"policy"`
	Deadlines   []*Deadline     `json:"deadlines"`
	PausedSince *time.Time      `json:"paused_since,omitempty"`

	cal   *calendar.Calendar // of Policy.Calendar; rebuilt by Load
	steps chain              // of Policy; rebuilt by Load
}

// Load builds what the book computes with from its snapshot (the calendar,
// the chain); call it after the snapshot is set or restored.
func (b *Book) Load() error {
	cal, err := calendar.New(b.Policy.Calendar)
	if err != nil {
		return err
	}
	b.cal, b.steps = cal, newChain(&b.Policy)
	return nil
}

// LoadWith is Load with the calendar of the snapshot already built from
// b.Policy.Calendar (a calendar is immutable): what-if replays thousands of
// requests under a few snapshots.
func (b *Book) LoadWith(cal *calendar.Calendar) { b.cal, b.steps = cal, newChain(&b.Policy) }

// Calendar is the calendar the deadlines count in.
func (b *Book) Calendar() *calendar.Calendar { return b.cal }

// Start opens the next instance of policy deadline name at start, for a
// request of priority and tier; agent-side deadlines pause while the
// request waits on the customer. nil when the policy sets no target.
func (b *Book) Start(name, priority, tier string, start time.Time) (*Deadline, []Fact) {
	clock, target, ok := b.Policy.Resolve(name, priority, tier)
	if !ok {
		return nil, nil
	}
	d := &Deadline{Name: name, Instance: b.nextInstance(name), Clock: calendar.Clock{Kind: clock, Start: start, Target: target}, Pausable: AgentSide[name]}
	return d, b.open(d)
}

// StartFixed opens a deadline due at a committed instant (the delivery).
func (b *Book) StartFixed(name string, start, due time.Time) (*Deadline, []Fact) {
	d := &Deadline{Name: name, Instance: b.nextInstance(name), Clock: calendar.Clock{Kind: calendar.Business, Start: start}, Fixed: &due, Pausable: true}
	return d, b.open(d)
}

// StartAnchored opens a deadline that falls its lead before another's due
// time (the delay notice before the delivery).
func (b *Book) StartAnchored(name, anchor, priority, tier string, start time.Time) (*Deadline, []Fact) {
	_, lead, ok := b.Policy.Resolve(name, priority, tier)
	if !ok {
		return nil, nil
	}
	d := &Deadline{Name: name, Instance: b.nextInstance(name), Clock: calendar.Clock{Kind: calendar.Wall, Start: start}, Anchor: anchor, Lead: lead, Pausable: true}
	return d, b.open(d)
}

func (b *Book) open(d *Deadline) []Fact {
	d.Open, d.State = true, Pending
	if d.Pausable && b.PausedSince != nil {
		d.Clock.Pauses = append(d.Clock.Pauses, calendar.Pause{From: *b.PausedSince})
	}
	b.Deadlines = append(b.Deadlines, d)
	b.refresh(d)
	due, _ := b.Due(d)
	return []Fact{{Kind: FactStarted, D: d, Due: due}}
}

func (b *Book) nextInstance(name string) int {
	n := 1
	for _, d := range b.Deadlines {
		if d.Name == name {
			n++
		}
	}
	return n
}

// Open returns the open instance of deadline name, or nil.
func (b *Book) Open(name string) *Deadline {
	for _, d := range b.Deadlines {
		if d.Open && d.Name == name {
			return d
		}
	}
	return nil
}

// Latest returns the newest instance of deadline name, or nil.
func (b *Book) Latest(name string) *Deadline {
	for i := len(b.Deadlines) - 1; i >= 0; i-- {
		if b.Deadlines[i].Name == name {
			return b.Deadlines[i]
		}
	}
	return nil
}

// Instance returns instance i of deadline name, or nil.
func (b *Book) Instance(name string, i int) *Deadline {
	for _, d := range b.Deadlines {
		if d.Name == name && d.Instance == i {
			return d
		}
	}
	return nil
}

// Meet closes d because its action happened at now; a breached deadline
// stays breached (met late): a breach is never undone.
func (b *Book) Meet(d *Deadline, now time.Time) []Fact { return b.meet(d, now, false) }

func (b *Book) meet(d *Deadline, now time.Time, withinLead bool) []Fact {
	if d == nil || !d.Open {
		return nil
	}
	b.settle(d)
	d.Open, d.MetAt, d.ClosedAt = false, &now, &now
	if d.Level == 0 {
		d.State = Met
	} else {
		d.State = Breached
	}
	return []Fact{{Kind: FactMet, D: d, Late: d.Level > 0, WithinLead: withinLead}}
}

// Cancel closes d because it no longer applies.
func (b *Book) Cancel(d *Deadline, now time.Time) []Fact {
	if d == nil || !d.Open {
		return nil
	}
	b.settle(d)
	d.Open, d.ClosedAt = false, &now
	if d.Level == 0 {
		d.State = Cancelled
	}
	return []Fact{{Kind: FactCancelled, D: d}}
}

// CancelAll closes every open deadline.
func (b *Book) CancelAll(now time.Time) []Fact {
	var out []Fact
	for _, d := range b.Deadlines {
		out = append(out, b.Cancel(d, now)...)
	}
	return out
}

// settle freezes the due time of a closing deadline: recorded facts of a
// settled instance never change (a later delay moves only open ones).
func (b *Book) settle(d *Deadline) {
	if t, ok := b.Due(d); ok {
		d.SettledDue = &t
	}
}

// Due is d's due time; ok is false while it is paused. A settled deadline
// keeps the due time it settled with.
func (b *Book) Due(d *Deadline) (time.Time, bool) { return b.dueIn(b.cal, d) }

// dueIn is Due with the working time of cal.
func (b *Book) dueIn(cal *calendar.Calendar, d *Deadline) (time.Time, bool) {
	switch {
	case !d.Open && d.SettledDue != nil:
		return *d.SettledDue, true
	case d.Anchor != "":
		a := b.Latest(d.Anchor)
		if a == nil {
			return time.Time{}, false
		}
		t, ok := b.dueIn(cal, a)
		return t.Add(-d.Lead), ok
	case d.Fixed != nil:
		shift, ok := pausedWork(cal, d)
		if !ok {
			return time.Time{}, false
		}
		if shift == 0 {
			return *d.Fixed, true
		}
		return cal.Add(*d.Fixed, shift), true
	default:
		return cal.When(d.Clock, d.Clock.Target-d.Carried)
	}
}

// At is the instant at share of d's time (a warning or escalation step).
func (b *Book) At(d *Deadline, share float64) (time.Time, bool) {
	if d.Fixed == nil && d.Anchor == "" {
		return b.cal.When(d.Clock, calendar.Scale(d.Clock.Target, share)-d.Carried)
	}
	due, ok := b.Due(d)
	if !ok {
		return time.Time{}, false
	}
	span := max(due.Sub(d.Clock.Start), 0)
	return d.Clock.Start.Add(calendar.Scale(span, share)), true
}

// pausedWork is the time a fixed deadline moves by: working time of its
// closed pauses for business clocks, wall time otherwise.
func pausedWork(cal *calendar.Calendar, d *Deadline) (time.Duration, bool) {
	var total time.Duration
	for _, p := range d.Clock.Pauses {
		if p.To.IsZero() {
			return 0, false
		}
		if d.Clock.Kind == calendar.Business {
			total += cal.Between(p.From, p.To)
		} else {
			total += p.To.Sub(p.From)
		}
	}
	return total, true
}

// refresh sets pending or paused for an open, unbreached deadline.
func (b *Book) refresh(d *Deadline) {
	if !d.Open || d.Level > 0 {
		return
	}
	if _, ok := b.Due(d); ok {
		d.State = Pending
	} else {
		d.State = Paused
	}
}

// Level is the highest escalation level of any deadline (0 none).
func (b *Book) Level() int {
	lvl := 0
	for _, d := range b.Deadlines {
		lvl = max(lvl, d.Level)
	}
	return lvl
}

// NextDue is the earliest due time of an open, unbreached deadline.
func (b *Book) NextDue() (time.Time, bool) {
	var best time.Time
	for _, d := range b.Deadlines {
		if !d.Open || d.Level > 0 {
			continue
		}
		if t, ok := b.Due(d); ok && (best.IsZero() || t.Before(best)) {
			best = t
		}
	}
	return best, !best.IsZero()
}
