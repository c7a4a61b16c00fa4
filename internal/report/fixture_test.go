package report

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// The hand-made data set: two weeks, 2026-11-02 (Mon) to 2026-11-16, UTC.
var (
	fixFrom = day(2, 0)
	fixTo   = day(16, 0)
	fixNow  = time.Date(2026, 11, 16, 12, 0, 0, 0, time.UTC)
)

// day is 2026-11-<d> at hour h, UTC.
func day(d int, h float64) time.Time {
	return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC).Add(time.Duration(h * float64(time.Hour)))
}

func tp(t time.Time) *time.Time { return &t }

type fixRequest struct {
	id, group, tier, outcome    string
	created                     time.Time
	responded, accepted, closed *time.Time
	sheetRounds, reworkRounds   int
	workHours                   float64
}

type fixDeadline struct {
	id, name      string
	instance      int
	state         string
	met, breached *time.Time
}

type fixSurvey struct {
	id         string
	scores     [4]int
	recordedAt time.Time
}

type fixComplaint struct {
	id       int
	request  string
	opened   time.Time
	resolved *time.Time
}

// fixture loads the data set; the expected figures are worked out in
// report_test.go beside each assertion.
func fixture(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool := newDB(t)
	ctx := context.Background()
	reqs := []fixRequest{
		{"r1", "alpha", "vip", "completed", day(2, 9), tp(day(2, 9).Add(2 * time.Minute)), tp(day(5, 10)), tp(day(6, 10)), 1, 0, 10},
		{"r2", "alpha", "standard", "completed", day(3, 9), tp(day(3, 9).Add(10 * time.Minute)), tp(day(9, 10)), tp(day(10, 10)), 2, 1, 20},
		{"r3", "beta", "standard", "completed", day(4, 9), tp(day(4, 9).Add(40 * time.Minute)), tp(day(10, 10)), tp(day(11, 10)), 1, 0, 30},
		{"r4", "beta", "vip", "cancelled", day(5, 9), tp(day(5, 9).Add(20 * time.Minute)), nil, tp(day(6, 10)), 0, 0, 0},
		{"r5", "alpha", "standard", "unconfirmed", day(9, 9), tp(day(9, 9).Add(5 * time.Minute)), nil, tp(day(13, 10)), 3, 0, 0},
		{"r6", "beta", "standard", "", day(10, 9), tp(day(10, 9).Add(30 * time.Minute)), nil, nil, 1, 0, 0},
		{"r7", "alpha", "standard", "completed", time.Date(2026, 10, 20, 9, 0, 0, 0, time.UTC), tp(time.Date(2026, 10, 20, 9, 3, 0, 0, time.UTC)), tp(day(3, 10)), tp(day(4, 10)), 1, 0, 50},
		{"r8", "beta", "vip", "", day(17, 9), tp(day(17, 9).Add(1 * time.Minute)), nil, nil, 0, 0, 0},
	}
	for _, r := range reqs {
		stage := "closed"
		if r.outcome == "" {
			stage = "in_progress"
		}
		_, err := pool.Exec(ctx, `INSERT INTO service_requests (request_id, workflow_id, seq, tier, priority, stage, outcome,
			assigned_group, sheet_rounds, rework_rounds, created_at, updated_at, first_response_at, accepted_at, closed_at, resolution_work_ns)
			VALUES ($1, 'sr-' || $1, 1, $2, 'normal', $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, $12)`,
			r.id, r.tier, stage, r.outcome, r.group, r.sheetRounds, r.reworkRounds, r.created, r.responded, r.accepted, r.closed,
			int64(r.workHours*float64(time.Hour)))
		if err != nil {
			t.Fatalf("request %s: %v", r.id, err)
		}
	}
	dls := []fixDeadline{
		{"r1", "response", 1, "met", tp(day(2, 9.1)), nil},
		{"r2", "response", 1, "met", tp(day(3, 9.1)), nil},
		{"r3", "response", 1, "breached", tp(day(4, 9.67)), tp(day(4, 9.5))},
		{"r4", "response", 1, "met", tp(day(5, 9.3)), nil},
		{"r5", "response", 1, "met", tp(day(9, 9.1)), nil},
		{"r6", "response", 1, "met", tp(day(10, 9.5)), nil},
		{"r7", "response", 1, "met", tp(time.Date(2026, 10, 20, 9, 3, 0, 0, time.UTC)), nil},
		{"r8", "response", 1, "met", tp(day(17, 9.1)), nil},
		{"r1", "sheet", 1, "met", tp(day(3, 12)), nil},
		{"r2", "sheet", 1, "breached", nil, tp(day(5, 9))},
		{"r2", "sheet", 2, "met", tp(day(6, 12)), nil},
		{"r3", "sheet", 1, "met", tp(day(6, 14)), nil},
		{"r6", "sheet", 1, "pending", nil, nil},
		{"r4", "sheet", 1, "cancelled", nil, nil},
		{"r1", "confirmation", 1, "met", tp(day(4, 10)), nil},
		{"r2", "confirmation", 1, "breached", nil, tp(day(6, 9))},
		{"r1", "delivery", 1, "met", tp(day(5, 9)), nil},
		{"r3", "delivery", 1, "breached", tp(day(10, 9)), tp(day(9, 18))},
		{"r2", "acceptance", 1, "breached", nil, tp(day(8, 12))},
		{"r1", "follow_up", 1, "met", tp(day(6, 10)), nil},
		{"r2", "complaint", 1, "met", tp(day(10, 20)), nil},
		{"r2", "complaint", 2, "breached", tp(day(11, 13)), tp(day(11, 12))},
		{"r3", "complaint", 1, "breached", nil, tp(day(12, 10))},
	}
	for _, d := range dls {
		_, err := pool.Exec(ctx, `INSERT INTO sla_deadlines (request_id, name, instance, seq, clock, started_at, due_at, state, met_at, breached_at)
			VALUES ($1, $2, $3, 1, 'business', $4, $4, $5, $6, $7)`, d.id, d.name, d.instance, day(1, 0), d.state, d.met, d.breached)
		if err != nil {
			t.Fatalf("deadline %s/%s: %v", d.id, d.name, err)
		}
	}
	svs := []fixSurvey{
		{"r1", [4]int{5, 5, 5, 5}, day(6, 11)},
		{"r2", [4]int{4, 3, 4, 4}, day(10, 11)},
		{"r3", [4]int{4, 4, 4, 4}, day(11, 11)},
		{"r7", [4]int{5, 4, 5, 4}, day(4, 11)},
	}
	for _, s := range svs {
		a := s.scores
		_, err := pool.Exec(ctx, `INSERT INTO surveys (request_id, seq, response_speed, resolution, attitude, professionalism, average, recorded_at)
			VALUES ($1, 1, $2, $3, $4, $5, $6, $7)`, s.id, a[0], a[1], a[2], a[3], float64(a[0]+a[1]+a[2]+a[3])/4, s.recordedAt)
		if err != nil {
			t.Fatalf("survey %s: %v", s.id, err)
		}
	}
	cps := []fixComplaint{
		{1, "r2", day(10, 10), tp(day(10, 20))}, // in time
		{2, "r2", day(10, 12), tp(day(11, 13))}, // an hour late
		{1, "r3", day(11, 10), nil},             // open and overdue at fixNow
		{1, "r6", day(15, 20), nil},             // open, due 11-16 20:00: undecided at fixNow
	}
	for _, c := range cps {
		_, err := pool.Exec(ctx, `INSERT INTO complaints (request_id, complaint_id, seq, source, opened_at, due_at, resolved_at)
			VALUES ($1, $2, 1, 'action', $3, $4, $5)`, c.request, c.id, c.opened, c.opened.Add(24*time.Hour), c.resolved)
		if err != nil {
			t.Fatalf("complaint %s/%d: %v", c.request, c.id, err)
		}
	}
	return pool
}
