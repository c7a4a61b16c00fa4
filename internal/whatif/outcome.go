package whatif

import (
	"fmt"
	"time"

	"github.com/svcflow/svcflow/internal/records"
	"github.com/svcflow/svcflow/internal/sla"
)

// Outcomes of a deadline instance.
const (
	Met       = "met"       // its action came in time (an auto-acceptance included)
	Breached  = "breached"  // its due time passed first (met late, still open, or void)
	Cancelled = "cancelled" // it no longer applied, unbreached
	Open      = "open"      // still pending (or paused)
	None      = "none"      // no such instance: the policy sets no target for it, or it was not recorded
)

// Result is one instance's outcome and due time (in UTC; nil: unknown
// while paused, or none).
type Result struct {
	Outcome string     `json:"outcome"`
	Due     *time.Time `json:"due_at"`
}

// Instance is one deadline instance of a request, as recorded and as the
// replay under the policy tried gives it.
type Instance struct {
	Name     string `json:"deadline"`
	Instance int    `json:"instance"`
	Recorded Result `json:"recorded"`
	WhatIf   Result `json:"whatif"`
}

// DueTolerance is how far two due times may lie apart and be the same: the
// workflow computes in nanoseconds, PostgreSQL keeps microseconds, and a
// due time replayed from rounded instants may differ from the rounded
// record by a few microseconds. No policy change is that small.
const DueTolerance = time.Millisecond

// SameOutcome says whether the instance keeps its outcome.
func (i Instance) SameOutcome() bool { return i.Recorded.Outcome == i.WhatIf.Outcome }

// Same says whether the instance keeps its outcome and its due time.
func (i Instance) Same() bool { return i.SameOutcome() && sameDue(i.Recorded.Due, i.WhatIf.Due) }

// DueDelta is how far the due times lie apart (0 when either is unknown).
func (i Instance) DueDelta() time.Duration {
	if i.Recorded.Due == nil || i.WhatIf.Due == nil {
		return 0
	}
	d := i.WhatIf.Due.Sub(*i.Recorded.Due)
	return max(d, -d)
}

func sameDue(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	d := a.Sub(*b)
	return max(d, -d) < DueTolerance
}

// outcomeOf maps a deadline state (CONTRACT §8) to its outcome.
func outcomeOf(state string) (string, error) {
	switch state {
	case sla.Met:
		return Met, nil
	case sla.Breached:
		return Breached, nil
	case sla.Cancelled:
		return Cancelled, nil
	case sla.Pending, sla.Paused:
		return Open, nil
	}
	return "", fmt.Errorf("state %q: want %s, %s, %s, %s or %s", state, sla.Pending, sla.Met, sla.Breached, sla.Paused, sla.Cancelled)
}

// recorded is a deadline row's outcome and due time.
func recorded(row records.DeadlineRow) (Result, error) {
	o, err := outcomeOf(row.State)
	if err != nil {
		return Result{}, fmt.Errorf("deadline %s #%d: %w", row.Name, row.Instance, err)
	}
	r := Result{Outcome: o}
	if row.DueAt != nil {
		t := row.DueAt.UTC()
		r.Due = &t
	}
	return r, nil
}

// replayed is the outcome and due time the engine gives d (nil: the policy
// sets no target for it).
func replayed(b *sla.Book, d *sla.Deadline) Result {
	if d == nil {
		return Result{Outcome: None}
	}
	o, err := outcomeOf(d.State)
	if err != nil {
		panic("whatif: the engine gave " + err.Error()) // the engine's own states
	}
	r := Result{Outcome: o}
	if t, ok := b.Due(d); ok {
		t = t.UTC()
		r.Due = &t
	}
	return r
}
