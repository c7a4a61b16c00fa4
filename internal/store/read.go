package store

import (
	"context"
	"errors"
	"fmt"
	"github.com/svcflow/svcflow/internal/records"
	"time"

	"github.com/jackc/pgx/v5"
)

// Request returns the current row of a request, or ErrNotFound.
func (s *Store) Request(ctx context.Context, id string) (records.RequestRow, error) {
	var r records.RequestRow
	var work, wait int64
	err := s.pool.QueryRow(ctx, `
SELECT request_id, workflow_id, seq, customer_id, customer_name, tier, priority, category,
       channel, complex, title, stage, outcome, assigned_group, assignee, escalation_level,
       sla_breached, sheet_rounds, rework_rounds, created_at, updated_at, first_response_at,
       accepted_at, closed_at, resolution_work_ns, customer_wait_ns
FROM service_requests WHERE request_id = $1`, id).Scan(
		&r.RequestID, &r.WorkflowID, &r.Seq, &r.CustomerID, &r.CustomerName, &r.Tier, &r.Priority,
		&r.Category, &r.Channel, &r.Complex, &r.Title, &r.Stage, &r.Outcome, &r.Group, &r.Assignee,
		&r.EscalationLevel, &r.SlaBreached, &r.SheetRounds, &r.ReworkRounds, &r.CreatedAt,
		&r.UpdatedAt, &r.FirstResponseAt, &r.AcceptedAt, &r.ClosedAt, &work, &wait)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, fmt.Errorf("request %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("read request %q: %w", id, err)
	}
	r.ResolutionWork, r.CustomerWait = time.Duration(work), time.Duration(wait)
	return r, nil
}

// Timeline returns a request's events ordered by seq, or ErrNotFound when no
// such request exists.
func (s *Store) Timeline(ctx context.Context, requestID string) ([]records.Event, error) {
	rows, err := s.pool.Query(ctx, `
SELECT seq, at, kind, actor, payload FROM request_events
WHERE request_id = $1 ORDER BY seq`, requestID)
	if err != nil {
		return nil, fmt.Errorf("read timeline of %q: %w", requestID, err)
	}
	events, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (records.Event, error) {
		var e records.Event
		var payload []byte
		err := row.Scan(&e.Seq, &e.At, &e.Kind, &e.Actor, &payload)
		if payload != nil {
			e.Payload = payload
		}
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("read timeline of %q: %w", requestID, err)
	}
	if len(events) == 0 {
		if err := s.requireRequest(ctx, requestID); err != nil {
			return nil, err
		}
	}
	return events, nil
}

// Deadlines returns a request's deadline instances ordered by start, or
// ErrNotFound when no such request exists.
func (s *Store) Deadlines(ctx context.Context, requestID string) ([]records.DeadlineRow, error) {
	rows, err := s.pool.Query(ctx, `
SELECT name, instance, clock, started_at, due_at, state, warned_at, met_at, breached_at,
       escalation_level, paused_ns
FROM sla_deadlines WHERE request_id = $1 ORDER BY started_at, name, instance`, requestID)
	if err != nil {
		return nil, fmt.Errorf("read deadlines of %q: %w", requestID, err)
	}
	ds, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (records.DeadlineRow, error) {
		var d records.DeadlineRow
		var paused int64
		err := row.Scan(&d.Name, &d.Instance, &d.Clock, &d.StartedAt, &d.DueAt, &d.State,
			&d.WarnedAt, &d.MetAt, &d.BreachedAt, &d.EscalationLevel, &paused)
		d.Paused = time.Duration(paused)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("read deadlines of %q: %w", requestID, err)
	}
	if len(ds) == 0 {
		if err := s.requireRequest(ctx, requestID); err != nil {
			return nil, err
		}
	}
	return ds, nil
}

// Complaints returns a request's complaints ordered by ID.
func (s *Store) Complaints(ctx context.Context, requestID string) ([]records.ComplaintRow, error) {
	rows, err := s.pool.Query(ctx, `
SELECT complaint_id, source, reason, opened_at, due_at, resolved_at, resolution, breached
FROM complaints WHERE request_id = $1 ORDER BY complaint_id`, requestID)
	if err != nil {
		return nil, fmt.Errorf("read complaints of %q: %w", requestID, err)
	}
	cs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (records.ComplaintRow, error) {
		var c records.ComplaintRow
		err := row.Scan(&c.ComplaintID, &c.Source, &c.Reason, &c.OpenedAt, &c.DueAt,
			&c.ResolvedAt, &c.Resolution, &c.Breached)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("read complaints of %q: %w", requestID, err)
	}
	return cs, nil
}

// Survey returns a request's survey, or ErrNotFound.
func (s *Store) Survey(ctx context.Context, requestID string) (records.SurveyRow, error) {
	var v records.SurveyRow
	err := s.pool.QueryRow(ctx, `
SELECT response_speed, resolution, attitude, professionalism, average, solved, comment, recorded_at
FROM surveys WHERE request_id = $1`, requestID).Scan(&v.ResponseSpeed, &v.Resolution,
		&v.Attitude, &v.Professionalism, &v.Average, &v.Solved, &v.Comment, &v.RecordedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return v, fmt.Errorf("survey of %q: %w", requestID, ErrNotFound)
	}
	if err != nil {
		return v, fmt.Errorf("read survey of %q: %w", requestID, err)
	}
	return v, nil
}

func (s *Store) requireRequest(ctx context.Context, id string) error {
	var exists bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM service_requests WHERE request_id = $1)`, id).Scan(&exists); err != nil {
		return fmt.Errorf("read request %q: %w", id, err)
	}
	if !exists {
		return fmt.Errorf("request %q: %w", id, ErrNotFound)
	}
	return nil
}
