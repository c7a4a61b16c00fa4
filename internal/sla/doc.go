// Package sla is svcflow's SLA engine, free of Temporal: given a request's
// policy snapshot and its calendar, it keeps every deadline instance of the
// request (the Book) and answers, for the facts the workflow feeds it
// (started, met, cancelled, paused, resumed, reprioritized, policy applied,
// now), which instants to wake at and which facts to record: warnings,
// breaches and escalations with their levels and the parties each notifies.
// The workflow records what it returns; what-if replays requests through the
// same engine.
//
// A deadline's escalation chain is the snapshot's (policy.Step: at a share of
// the target, notify parties) or the shorthand: a warning at warn_at to the
// assignee, the breach at 1.0 to the supervisor (level 1), an escalation at
// escalate_at to the manager (level 2). Steps fire once each, in order, in
// the deadline's clock, and move with its pauses. Customer-side deadlines
// (confirmation, acceptance) remind the customer instead of warning the
// team, and their breach is the customer's silence: a void sheet, or the
// acceptance silence policy.
package sla
