package sla

import (
	"time"

	"github.com/svcflow/svcflow/internal/calendar"
	"github.com/svcflow/svcflow/internal/policy"
)

// Deadline states (CONTRACT §8).
const (
	Pending   = "pending"
	Met       = "met"
	Breached  = "breached"
	Paused    = "paused"
	Cancelled = "cancelled"
)

// AgentSide are the deadlines whose clocks stop while the request waits on
// the customer.
var AgentSide = map[string]bool{policy.Sheet: true, policy.Review: true, policy.Delivery: true, policy.DelayNotice: true, policy.Rework: true}

// CustomerSide are the deadlines the customer keeps: their silence has its
// own consequence, never the team's breach.
var CustomerSide = map[string]bool{policy.Confirmation: true, policy.Acceptance: true}

// Deadline is one deadline instance. Its due time comes from Clock (a
// target of wall or working time, pauses excluded) or, for the committed
// delivery, from Fixed moved by the paused time; delay_notice falls Lead
// before the due time of its Anchor. It is carried in workflow state, so
// every field stays JSON-stable.
type Deadline struct {
	Name       string         `json:"name"`
	Instance   int            `json:"instance"`
	Clock      calendar.Clock `json:"clock"`
	Fixed      *time.Time     `json:"fixed,omitempty"`
	Anchor     string         `json:"anchor,omitempty"` // name of the deadline this one is relative to
	Lead       time.Duration  `json:"lead,omitempty"`
	Pausable   bool           `json:"pausable,omitempty"`
	Open       bool           `json:"open"`
	State      string         `json:"state"`
	Warned     bool           `json:"warned,omitempty"`
	Level      int            `json:"level,omitempty"` // 1 breached, 2 and up escalated
	WarnedAt   *time.Time     `json:"warned_at,omitempty"`
	BreachedAt *time.Time     `json:"breached_at,omitempty"`
	MetAt      *time.Time     `json:"met_at,omitempty"`
	ClosedAt   *time.Time     `json:"closed_at,omitempty"`
	SettledDue *time.Time     `json:"settled_due,omitempty"` // due time when it closed
	// Done counts the chain steps fired or passed (0 in states carried from
	// before chains: see done).
	Done int `json:"done,omitempty"`
	// Carried is the active time counted before the clock was rebased onto
	// another calendar (apply_policy); StartedAt is then the original start.
	Carried   time.Duration `json:"carried_ns,omitempty"`
	StartedAt *time.Time    `json:"started_at,omitempty"`
}

// Started is when the deadline started (before any rebase).
func (d *Deadline) Started() time.Time {
	if d.StartedAt != nil {
		return *d.StartedAt
	}
	return d.Clock.Start
}

// PausedTotal is the wall time the deadline spent paused so far.
func (d *Deadline) PausedTotal() time.Duration {
	var t time.Duration
	for _, p := range d.Clock.Pauses {
		if !p.To.IsZero() {
			t += p.To.Sub(p.From)
		}
	}
	return t
}

// done is the number of chain steps behind d: Done, or for a deadline
// carried from before chains, its warning (levels reached are never
// repeated anyway: see applies).
func (d *Deadline) done() int {
	if d.Warned {
		return max(d.Done, 1)
	}
	return d.Done
}
