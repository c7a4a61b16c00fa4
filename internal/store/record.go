package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/svcflow/svcflow/internal/records"
)

// RecordTransition writes every fact of t in one transaction: the request
// row (only when t.Request.Seq is not older than the stored one), the events
// (each (request, seq) once), and the deadline, complaint and survey rows
// (each only over a row written by an older or the same transition). Called
// again with the same t it changes nothing, so a retried activity leaves
// exactly one row of each.
//
// Errors: bad input and constraint or data errors are non-retryable
// (temporal application errors); connection and other transient errors are
// returned plain, for the activity retry policy.
func (s *Store) RecordTransition(ctx context.Context, t records.Facts) error {
	if err := validateTransition(t); err != nil {
		return nonRetryable(err)
	}
	r := t.Request
	b := &pgx.Batch{}
	b.Queue(upsertRequestSQL,
		r.RequestID, r.WorkflowID, r.Seq, r.CustomerID, r.CustomerName, r.Tier, r.Priority,
		r.Category, r.Channel, r.Complex, r.Title, r.Stage, r.Outcome, r.Group, r.Assignee,
		r.EscalationLevel, r.SlaBreached, r.SheetRounds, r.ReworkRounds, r.CreatedAt, r.UpdatedAt,
		r.FirstResponseAt, r.AcceptedAt, r.ClosedAt, int64(r.ResolutionWork), int64(r.CustomerWait),
		r.SlaPolicy, r.SlaCalendar, r.SlaSemantics)
	for _, e := range t.Events {
		var payload any
		if len(e.Payload) > 0 {
			payload = string(e.Payload)
		}
		b.Queue(insertEventSQL, r.RequestID, e.Seq, e.Kind, e.Actor, payload, e.At)
	}
	for _, d := range t.Deadlines {
		pauses, err := json.Marshal(orEmpty(d.Pauses))
		if err != nil {
			return nonRetryable(fmt.Errorf("deadline %s/%d pauses: %w", d.Name, d.Instance, err))
		}
		b.Queue(upsertDeadlineSQL, r.RequestID, d.Name, d.Instance, r.Seq, d.Clock, d.StartedAt,
			d.DueAt, d.State, d.WarnedAt, d.MetAt, d.BreachedAt, d.EscalationLevel, int64(d.Paused),
			d.Policy, d.Calendar, int64(d.Target), d.FixedDue, int64(d.Lead), string(pauses), int64(d.Carried), d.RebasedAt, d.ClosedAt)
	}
	for _, c := range t.Complaints {
		b.Queue(upsertComplaintSQL, r.RequestID, c.ComplaintID, r.Seq, c.Source, c.Reason,
			c.OpenedAt, c.DueAt, c.ResolvedAt, c.Resolution, c.Breached)
	}
	if v := t.Survey; v != nil {
		b.Queue(upsertSurveySQL, r.RequestID, r.Seq, v.ResponseSpeed, v.Resolution, v.Attitude,
			v.Professionalism, v.Average, v.Solved, v.Comment, v.RecordedAt)
	}

	// One batch, no explicit BEGIN: PostgreSQL runs the pipelined statements
	// up to the batch's single Sync as one implicit transaction, so a failure
	// anywhere (or a lost connection) keeps nothing, in one round trip.
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return classify(fmt.Sprintf("record transition of request %q seq %d", r.RequestID, r.Seq), err)
	}
	return nil
}

// validateTransition rejects input that could never be written.
func validateTransition(t records.Facts) error {
	r := t.Request
	var bad []string
	if r.RequestID == "" {
		bad = append(bad, "request.request_id: empty")
	}
	if r.Seq < 0 {
		bad = append(bad, fmt.Sprintf("request.seq: %d: negative", r.Seq))
	}
	seen := make(map[int64]bool, len(t.Events))
	for i, e := range t.Events {
		if e.Kind == "" {
			bad = append(bad, fmt.Sprintf("events[%d].kind: empty", i))
		}
		if seen[e.Seq] {
			bad = append(bad, fmt.Sprintf("events[%d].seq: %d: repeated in one transition", i, e.Seq))
		}
		seen[e.Seq] = true
	}
	for i, d := range t.Deadlines {
		if d.Name == "" {
			bad = append(bad, fmt.Sprintf("deadlines[%d].name: empty", i))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("invalid transition: %s", strings.Join(bad, "; "))
	}
	return nil
}

const upsertRequestSQL = `
INSERT INTO service_requests (
    request_id, workflow_id, seq, customer_id, customer_name, tier, priority,
    category, channel, complex, title, stage, outcome, assigned_group, assignee,
    escalation_level, sla_breached, sheet_rounds, rework_rounds, created_at, updated_at,
    first_response_at, accepted_at, closed_at, resolution_work_ns, customer_wait_ns,
    sla_policy, sla_calendar, sla_semantics)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
        $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29)
ON CONFLICT (request_id) DO UPDATE SET
    workflow_id = EXCLUDED.workflow_id, seq = EXCLUDED.seq,
    customer_id = EXCLUDED.customer_id, customer_name = EXCLUDED.customer_name,
    tier = EXCLUDED.tier, priority = EXCLUDED.priority, category = EXCLUDED.category,
    channel = EXCLUDED.channel, complex = EXCLUDED.complex, title = EXCLUDED.title,
    stage = EXCLUDED.stage, outcome = EXCLUDED.outcome,
    assigned_group = EXCLUDED.assigned_group, assignee = EXCLUDED.assignee,
    escalation_level = EXCLUDED.escalation_level, sla_breached = EXCLUDED.sla_breached,
    sheet_rounds = EXCLUDED.sheet_rounds, rework_rounds = EXCLUDED.rework_rounds,
    created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
    first_response_at = EXCLUDED.first_response_at, accepted_at = EXCLUDED.accepted_at,
    closed_at = EXCLUDED.closed_at, resolution_work_ns = EXCLUDED.resolution_work_ns,
    customer_wait_ns = EXCLUDED.customer_wait_ns,
    sla_policy = EXCLUDED.sla_policy, sla_calendar = EXCLUDED.sla_calendar,
    sla_semantics = EXCLUDED.sla_semantics
WHERE service_requests.seq <= EXCLUDED.seq`

// insertEventSQL writes an event once. A row already there with other
// content came from a workflow task that never completed (a worker killed
// after its local activity wrote): the workflow's durable history gave that
// sequence number to this event, so this one replaces it.
const insertEventSQL = `
INSERT INTO request_events (request_id, seq, kind, actor, payload, at)
VALUES ($1, $2, $3, $4, $5::jsonb, $6)
ON CONFLICT (request_id, seq) DO UPDATE
SET kind = EXCLUDED.kind, actor = EXCLUDED.actor, payload = EXCLUDED.payload, at = EXCLUDED.at
WHERE (request_events.kind, request_events.actor, request_events.payload, request_events.at)
      IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.actor, EXCLUDED.payload, EXCLUDED.at)`

const upsertDeadlineSQL = `
INSERT INTO sla_deadlines (
    request_id, name, instance, seq, clock, started_at, due_at, state, warned_at,
    met_at, breached_at, escalation_level, paused_ns,
    policy, calendar, target_ns, fixed_due, lead_ns, pauses, carried_ns, rebased_at, closed_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
        $14, $15, $16, $17, $18, $19::jsonb, $20, $21, $22)
ON CONFLICT (request_id, name, instance) DO UPDATE SET
    seq = EXCLUDED.seq, clock = EXCLUDED.clock, started_at = EXCLUDED.started_at,
    due_at = EXCLUDED.due_at, state = EXCLUDED.state, warned_at = EXCLUDED.warned_at,
    met_at = EXCLUDED.met_at, breached_at = EXCLUDED.breached_at,
    escalation_level = EXCLUDED.escalation_level, paused_ns = EXCLUDED.paused_ns,
    policy = EXCLUDED.policy, calendar = EXCLUDED.calendar, target_ns = EXCLUDED.target_ns,
    fixed_due = EXCLUDED.fixed_due, lead_ns = EXCLUDED.lead_ns, pauses = EXCLUDED.pauses,
    carried_ns = EXCLUDED.carried_ns, rebased_at = EXCLUDED.rebased_at, closed_at = EXCLUDED.closed_at
WHERE sla_deadlines.seq <= EXCLUDED.seq`

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

const upsertComplaintSQL = `
INSERT INTO complaints (
    request_id, complaint_id, seq, source, reason, opened_at, due_at, resolved_at,
    resolution, breached)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (request_id, complaint_id) DO UPDATE SET
    seq = EXCLUDED.seq, source = EXCLUDED.source, reason = EXCLUDED.reason,
    opened_at = EXCLUDED.opened_at, due_at = EXCLUDED.due_at,
    resolved_at = EXCLUDED.resolved_at, resolution = EXCLUDED.resolution,
    breached = EXCLUDED.breached
WHERE complaints.seq <= EXCLUDED.seq`

const upsertSurveySQL = `
INSERT INTO surveys (
    request_id, seq, response_speed, resolution, attitude, professionalism, average,
    solved, comment, recorded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (request_id) DO UPDATE SET
    seq = EXCLUDED.seq, response_speed = EXCLUDED.response_speed,
    resolution = EXCLUDED.resolution, attitude = EXCLUDED.attitude,
    professionalism = EXCLUDED.professionalism, average = EXCLUDED.average,
    solved = EXCLUDED.solved, comment = EXCLUDED.comment, recorded_at = EXCLUDED.recorded_at
WHERE surveys.seq <= EXCLUDED.seq`
