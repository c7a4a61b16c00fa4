package policy

import (
	"time"

	"github.com/svcflow/svcflow/internal/calendar"
)

// Resolve returns the clock and target of deadline name for a request of the
// given priority and tier. A VIP override, where set for that priority, wins
// over the regular target. ok is false when the deadline has no target.
func (s Snapshot) Resolve(name, priority, tier string) (clock calendar.ClockKind, target time.Duration, ok bool) {
	d, found := s.Deadlines[name]
	if !found {
		return "", 0, false
	}
	target = d.Targets.For(priority)
	if tier == VIP {
		if o, has := s.VIP[name]; has {
			if v := o.For(priority); v > 0 {
				target = v
			}
		}
	}
	if target <= 0 {
		return d.Clock, 0, false
	}
	return d.Clock, target, true
}

// For returns the target for a priority (urgent or normal).
func (t Targets) For(priority string) time.Duration {
	if priority == Urgent {
		return t.Urgent
	}
	return t.Normal
}
