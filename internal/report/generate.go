package report

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// GenSpec describes a synthetic data set for benchmarks and demos.
type GenSpec struct {
	Requests         int           // service_requests rows
	EventsPerRequest int           // request_events rows per request
	Start            time.Time     // first request's intake
	Span             time.Duration // requests are spread evenly over Start..Start+Span
	Groups           int           // groups group-1 .. group-N
	Seed             float64       // setseed value, -1..1: same seed, same data
}

// DefaultGenSpec is the benchmark's data set: 100 000 requests over a year,
// 1 000 000 events, about 560 000 deadlines, 56 000 surveys and 3 500
// complaints.
func DefaultGenSpec(end time.Time) GenSpec {
	span := 364 * 24 * time.Hour
	return GenSpec{Requests: 100_000, EventsPerRequest: 10, Start: end.Add(-span), Span: span, Groups: 8, Seed: 0.42}
}

// Generate fills an empty, migrated database with synthetic records in a
// few INSERT ... SELECT generate_series statements, then VACUUMs and
// ANALYZEs. Request
// IDs are gen-1 .. gen-N. The last 5 % of the span are still open.
func Generate(ctx context.Context, pool *pgxpool.Pool, s GenSpec) error {
	if s.Requests <= 0 || s.EventsPerRequest < 0 || s.Span <= 0 || s.Groups <= 0 {
		return fmt.Errorf("generate: bad spec %+v", s)
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	defer conn.Release()
	steps := []struct {
		what string
		sql  string
		args []any
	}{
		{"seed", `SELECT setseed($1)`, []any{s.Seed}},
		{"requests", genRequests, []any{s.Requests, s.Start, s.Span.Seconds(), s.Groups, s.EventsPerRequest}},
		{"events", genEvents, []any{s.EventsPerRequest}},
		{"deadlines", genDeadlines, nil},
		{"surveys", genSurveys, nil},
		{"complaints", genComplaints, nil},
		{"complaint deadlines", genComplaintDeadlines, nil},
		// The steady state of a live database, where autovacuum has run:
		// statistics, and pages marked all-visible.
		{"vacuum", `VACUUM (ANALYZE) service_requests, request_events, sla_deadlines, surveys, complaints`, nil},
	}
	for _, st := range steps {
		if _, err := conn.Exec(ctx, st.sql, st.args...); err != nil {
			return fmt.Errorf("generate %s: %w", st.what, err)
		}
	}
	return nil
}

// genRequests: $1 count, $2 start, $3 span seconds, $4 groups, $5 events.
const genRequests = `
WITH b AS (
  SELECT g, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6, random() r7, random() r8,
         $2::timestamptz + make_interval(secs => $3::float8 * (g - 1) / $1::int) AS created,
         (g - 1)::float8 / $1::int > 0.95 AS recent
  FROM generate_series(1, $1::int) g
), o AS (
  SELECT b.*,
         CASE WHEN recent THEN '' WHEN r3 < 0.80 THEN 'completed' WHEN r3 < 0.90 THEN 'cancelled' ELSE 'unconfirmed' END AS outcome,
         CASE WHEN r2 < 0.25 THEN 'urgent' ELSE 'normal' END AS priority
  FROM b
), t AS (
  SELECT o.*,
         created + make_interval(secs => r4 ^ 4 * CASE WHEN priority = 'urgent' THEN 480 ELSE 2400 END) AS responded,
         CASE WHEN outcome = 'completed' THEN created + make_interval(secs => 86400 * (1 + r5 * 14)) END AS accepted
  FROM o
)
INSERT INTO service_requests (request_id, workflow_id, seq, customer_id, customer_name, tier, priority, category, channel,
  complex, title, stage, outcome, assigned_group, assignee, escalation_level, sla_breached, sheet_rounds, rework_rounds,
  created_at, updated_at, first_response_at, accepted_at, closed_at, resolution_work_ns, customer_wait_ns)
SELECT 'gen-' || g, 'sr-gen-' || g, $5, 'cust-' || (g % 20000), 'Customer ' || (g % 20000),
  CASE WHEN r1 < 0.2 THEN 'vip' ELSE 'standard' END, priority, 'printer', 'web',
  r6 < 0.3, 'generated request ' || g,
  CASE WHEN outcome = '' THEN 'in_progress' ELSE 'closed' END, outcome,
  'group-' || (1 + (g * 7) % $4), 'agent-' || (g % 50), 0, false,
  CASE WHEN outcome = 'unconfirmed' THEN 3 WHEN outcome = 'cancelled' AND r7 < 0.5 THEN 0
       ELSE 1 + (r7 < 0.2)::int + (r7 < 0.05)::int END,
  CASE WHEN outcome <> 'completed' OR r8 < 0.84 THEN 0 WHEN r8 < 0.97 THEN 1 ELSE 2 END,
  created, coalesce(accepted, created), responded, accepted,
  CASE outcome WHEN 'completed' THEN accepted + make_interval(secs => 86400 * 3 * r6)
               WHEN 'cancelled' THEN created + make_interval(secs => 86400 * 5 * r5)
               WHEN 'unconfirmed' THEN created + make_interval(secs => 86400 * (3 + 4 * r5)) END,
  CASE WHEN outcome = 'completed' THEN ((4 + 60 * r6 * r6) * 3600e9)::bigint ELSE 0 END,
  CASE WHEN outcome = 'completed' THEN (r5 * 86400e9)::bigint ELSE 0 END
FROM t`

// genEvents: $1 events per request.
const genEvents = `
INSERT INTO request_events (request_id, seq, kind, actor, payload, at, recorded_at)
SELECT r.request_id, s,
  (ARRAY['received', 'deadline.started', 'action.respond', 'deadline.met', 'stage', 'action.submit_sheet',
         'action.confirm_sheet', 'action.note', 'action.deliver', 'action.accept'])[1 + (s - 1) % 10],
  CASE WHEN s = 1 THEN '' ELSE 'agent-' || (s % 7) END,
  jsonb_build_object('n', s),
  r.created_at + make_interval(mins => 37 * s), r.created_at + make_interval(mins => 37 * s)
FROM service_requests r CROSS JOIN generate_series(1, $1::int) s`

// genDeadlines writes each request's deadlines: a kind applies by outcome,
// is breached with its probability, and a breach is met late 60 % of times.
const genDeadlines = `
WITH k(name, p, hrs, applies) AS (VALUES
  ('response', 0.0, 0.0, 'all'), ('sheet', 0.06, 16.0, 'sheet'), ('confirmation', 0.12, 8.0, 'sheet'),
  ('review', 0.10, 16.0, 'complex'), ('delay_notice', 0.15, 24.0, 'delay'), ('delivery', 0.08, 80.0, 'done'),
  ('acceptance', 0.20, 24.0, 'done'), ('rework', 0.10, 16.0, 'rework'), ('follow_up', 0.05, 24.0, 'done')
), c AS (
  SELECT r.request_id, r.priority, r.created_at, r.first_response_at, r.accepted_at, r.outcome, k.name, k.p, k.hrs,
         random() AS x, random() AS y,
         CASE k.name WHEN 'response' THEN r.created_at WHEN 'sheet' THEN r.first_response_at
              WHEN 'confirmation' THEN r.first_response_at + interval '1 day'
              WHEN 'follow_up' THEN r.accepted_at ELSE coalesce(r.accepted_at, r.created_at + interval '5 days') - interval '2 days' END AS started
  FROM service_requests r JOIN k ON
    k.applies = 'all'
    OR (k.applies = 'sheet' AND r.sheet_rounds > 0)
    OR (k.applies = 'complex' AND r.complex AND r.outcome IN ('completed', ''))
    OR (k.applies = 'delay' AND r.outcome IN ('completed', '') AND hashtext(r.request_id) % 10 = 0)
    OR (k.applies = 'done' AND r.outcome = 'completed')
    OR (k.applies = 'rework' AND r.rework_rounds > 0)
)
INSERT INTO sla_deadlines (request_id, name, instance, seq, clock, started_at, due_at, state, met_at, breached_at, escalation_level)
SELECT request_id, name, 1, 1, 'business', started, due,
  CASE WHEN outcome = '' AND name = 'delivery' THEN 'pending'
       WHEN breached THEN 'breached' ELSE 'met' END,
  CASE WHEN outcome = '' AND name = 'delivery' THEN NULL
       WHEN name = 'response' THEN first_response_at
       WHEN NOT breached THEN started + (due - started) * y * 0.95
       WHEN y < 0.6 THEN due + (due - started) * y END,
  CASE WHEN breached AND NOT (outcome = '' AND name = 'delivery') THEN due END,
  CASE WHEN breached THEN 1 ELSE 0 END
FROM (
  SELECT c.*,
    CASE WHEN name = 'response' THEN started + make_interval(mins => CASE priority WHEN 'urgent' THEN 5 ELSE 30 END)
         ELSE started + make_interval(secs => hrs * 3600) END AS due,
    CASE WHEN name = 'response' THEN first_response_at > started + make_interval(mins => CASE priority WHEN 'urgent' THEN 5 ELSE 30 END)
         ELSE x < p END AS breached
  FROM c
) d`

const genSurveys = `
INSERT INTO surveys (request_id, seq, response_speed, resolution, attitude, professionalism, average, solved, comment, recorded_at)
SELECT request_id, 1, a, b, c, d, (a + b + c + d) / 4.0, true, '', recorded
FROM (
  SELECT request_id, accepted_at + make_interval(secs => 86400 * 2 * random()) AS recorded,
    5 - floor(random() ^ 3 * 4)::int AS a, 5 - floor(random() ^ 4 * 4)::int AS b,
    5 - floor(random() ^ 5 * 4)::int AS c, 5 - floor(random() ^ 4 * 4)::int AS d
  FROM service_requests WHERE outcome = 'completed' AND random() < 0.7
) s`

const genComplaints = `
INSERT INTO complaints (request_id, complaint_id, seq, source, reason, opened_at, due_at, resolved_at, resolution, breached)
SELECT request_id, 1, 1, CASE WHEN x < 0.5 THEN 'action' ELSE 'low_score' END, 'generated', opened, opened + interval '24 hours',
  CASE WHEN y < 0.97 THEN opened + make_interval(secs => 3600 * 30 * y) END, 'handled', y * 30 > 24
FROM (
  SELECT request_id, accepted_at + interval '1 day' AS opened, random() AS x, random() AS y
  FROM service_requests WHERE outcome = 'completed' AND random() < 0.045
) c`

// genComplaintDeadlines gives every complaint its 24 h deadline row.
const genComplaintDeadlines = `
INSERT INTO sla_deadlines (request_id, name, instance, seq, clock, started_at, due_at, state, met_at, breached_at, escalation_level)
SELECT request_id, 'complaint', complaint_id, 1, 'wall', opened_at, due_at,
  CASE WHEN breached OR resolved_at IS NULL THEN 'breached' ELSE 'met' END,
  resolved_at, CASE WHEN breached OR resolved_at IS NULL THEN due_at END, CASE WHEN breached OR resolved_at IS NULL THEN 1 ELSE 0 END
FROM complaints`
