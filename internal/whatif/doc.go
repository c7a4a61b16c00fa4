// Package whatif replays recorded service requests through the SLA engine
// (internal/sla) under another policy (CONTRACT §10): "if the response
// target were 20 minutes, or the Berlin calendar applied, which of last
// month's deadlines would have breached?" It is free of Temporal and of
// PostgreSQL: it takes each request's recorded facts (its row, its events
// in order, its deadline rows) and answers, per deadline instance, the
// outcome and due time as recorded and under the policy tried.
//
// A replay selects the snapshot from the policy set with the attributes
// the request had at intake (its group decided by the policy's routing),
// then walks the recorded events as the workflow fed them to the engine:
// before each instant it fires every step due at or before it (an action
// at its deadline's due instant is late, as in the workflow); a
// deadline.started opens the instance (the delivery at the committed time
// of the sheet, the delay notice its lead before it, the others on the
// policy's clocks from their recorded start); request_info and
// provide_info pause and resume the agent-side clocks; reprioritize
// recomputes the targets; reassign changes the group (not the policy);
// policy.applied re-selects the policy for the attributes of the moment;
// announce_delay meets the open notice and moves the delivery; a met or
// cancelled deadline, a recorded void or auto-acceptance closes the
// instance at its instant. At the end it fires what is due by the time
// given (now). Customer-side deadlines (confirmation, acceptance) are
// replayed too and counted apart, as the report does.
//
// What a replay can tell: for the actions that happened, at the instants
// they happened, every due time, breach and escalation the policy tried
// gives — targets, calendars (per policy, per group), escalation chains,
// pauses in working time, reprioritizations, apply_policy, delays.
//
// What it cannot tell: what people would have done otherwise. It never
// invents an action: a sheet that the tried policy voids earlier is not
// followed by the new sheet that did not happen (the recorded confirmation
// still closes that instance, already breached); a confirmation the
// recorded run voided but the tried policy would still wait for is closed
// as cancelled at the void; an earlier auto-acceptance does not move the
// follow-up visit. A deadline the tried policy sets no target for has no
// outcome ("none"); a deadline the recorded policy set none for was never
// started, so the replay has no instance of it either. The rules of the
// engine (the snapshot's semantics) stay those the request ran under:
// a policy is tried, not a newer engine.
package whatif
