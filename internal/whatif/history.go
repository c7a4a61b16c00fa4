package whatif

import (
	"github.com/svcflow/svcflow/internal/policy"
	"github.com/svcflow/svcflow/internal/records"
)

// History is one request as PostgreSQL recorded it: its row, its events in
// sequence order (those of Kinds suffice) and its deadline rows.
type History struct {
	Request records.RequestRow
	// Semantics is the engine rules version the request ran under
	// (service_requests.sla_semantics); nil for requests recorded before it
	// was (see RecordedSemantics).
	Semantics *int
	Events    []records.Event
	Deadlines []records.DeadlineRow
}

// RecordedSemantics is the engine rules version h ran under. Requests
// recorded before migration 00004 do not say: those that recorded a policy
// name (migration 00003) all ran rules 1; older ones are taken to have run
// rules 0.
func (h *History) RecordedSemantics() int {
	switch {
	case h.Semantics != nil:
		return *h.Semantics
	case h.Request.SlaPolicy != "":
		return 1
	default:
		return 0
	}
}

// Policy is what requests are replayed under: the SLA policies of a
// configuration (calendars, groups' calendars, sla) and its routing.
type Policy struct {
	Set *policy.Set
	// Route decides the group at intake from tier, category, channel and
	// priority (the configuration's routing rules); nil keeps the recorded
	// group.
	Route func(policy.Attrs) string
}

// Event kinds a replay reads (CONTRACT §8 action names after "action.").
// Others do not change a deadline and may be left out of a History.
const (
	KindReceived          = "received"
	KindDeadlineStarted   = "deadline.started"
	KindDeadlineMet       = "deadline.met"
	KindDeadlineCancelled = "deadline.cancelled"
	KindDeadlineBreach    = "deadline.breach"
	KindPolicyApplied     = "policy.applied"
	KindClosed            = "closed"
	KindRequestInfo       = "action.request_info"
	KindProvideInfo       = "action.provide_info"
	KindReprioritize      = "action.reprioritize"
	KindReassign          = "action.reassign"
	KindSubmitSheet       = "action.submit_sheet"
	KindAnnounceDelay     = "action.announce_delay"
)

// Kinds lists the event kinds a replay reads.
var Kinds = []string{KindReceived, KindDeadlineStarted, KindDeadlineMet, KindDeadlineCancelled, KindDeadlineBreach,
	KindPolicyApplied, KindClosed, KindRequestInfo, KindProvideInfo, KindReprioritize, KindReassign, KindSubmitSheet, KindAnnounceDelay}
