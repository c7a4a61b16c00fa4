package report

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// queries holds the parameters shared by the report's SQL. Only the
// conditions in force are written into the SQL, so every statement gets a
// plan for exactly its filter.
type queries struct {
	f    Filter
	now  time.Time
	zone string
}

func newQueries(f Filter, o Options) *queries {
	return &queries{f: f, now: o.Now, zone: o.Location.String()}
}

// args are $1 from, $2 to, then the group and tier conditions (on alias r)
// as " AND ..." text.
func (q *queries) args(extra ...any) (cond string, args []any) {
	args = []any{q.f.From, q.f.To}
	var b strings.Builder
	if q.f.Group != "" {
		args = append(args, q.f.Group)
		fmt.Fprintf(&b, " AND r.assigned_group = $%d", len(args))
	}
	if q.f.Tier != "" {
		args = append(args, q.f.Tier)
		fmt.Fprintf(&b, " AND r.tier = $%d", len(args))
	}
	return b.String(), append(args, extra...)
}

// filtered says whether a query must join service_requests for the filter.
func (q *queries) filtered() bool { return q.f.Group != "" || q.f.Tier != "" }

// in is the period condition on a column.
func in(col string) string { return fmt.Sprintf("(%s >= $1 AND %s < $2)", col, col) }

type requestFacts struct {
	received, closed, completed, cancelled, unconfirmed int64
	responded                                           int64
	responseMedian, responseP90                         *float64
	sheeted                                             int64
	roundsMean                                          *float64
	accepted, firstPass                                 int64
	workMedian, workP90                                 *float64
}

func (q *queries) requests(ctx context.Context, pool *pgxpool.Pool) (requestFacts, error) {
	cond, args := q.args()
	closed := in("r.closed_at")
	fr := in("r.first_response_at")
	acc := in("r.accepted_at")
	sql := `SELECT
  count(*) FILTER (WHERE ` + in("r.created_at") + `),
  count(*) FILTER (WHERE ` + closed + `),
  count(*) FILTER (WHERE ` + closed + ` AND r.outcome = 'completed'),
  count(*) FILTER (WHERE ` + closed + ` AND r.outcome = 'cancelled'),
  count(*) FILTER (WHERE ` + closed + ` AND r.outcome = 'unconfirmed'),
  count(*) FILTER (WHERE ` + fr + `),
  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.first_response_at - r.created_at)::float8) FILTER (WHERE ` + fr + `),
  percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM r.first_response_at - r.created_at)::float8) FILTER (WHERE ` + fr + `),
  count(*) FILTER (WHERE ` + closed + ` AND r.sheet_rounds > 0),
  avg(r.sheet_rounds::float8) FILTER (WHERE ` + closed + ` AND r.sheet_rounds > 0),
  count(*) FILTER (WHERE ` + acc + `),
  count(*) FILTER (WHERE ` + acc + ` AND r.rework_rounds = 0),
  percentile_cont(0.5) WITHIN GROUP (ORDER BY r.resolution_work_ns / 1e9::float8) FILTER (WHERE ` + acc + `),
  percentile_cont(0.9) WITHIN GROUP (ORDER BY r.resolution_work_ns / 1e9::float8) FILTER (WHERE ` + acc + `)
FROM service_requests r
WHERE (` + in("r.created_at") + ` OR ` + closed + ` OR ` + fr + ` OR ` + acc + `)` + cond
	var f requestFacts
	err := pool.QueryRow(ctx, sql, args...).Scan(&f.received, &f.closed, &f.completed, &f.cancelled, &f.unconfirmed,
		&f.responded, &f.responseMedian, &f.responseP90, &f.sheeted, &f.roundsMean,
		&f.accepted, &f.firstPass, &f.workMedian, &f.workP90)
	if err != nil {
		return f, fmt.Errorf("report: requests: %w", err)
	}
	return f, nil
}

// counts is met/breached of a set of settled deadlines.
type counts struct{ settled, met, breached, lateMet int64 }

type deadlineFacts struct {
	byName  map[string]counts
	byGroup map[string]counts // team side only
	byWeek  map[time.Time]counts
}

// settledAt is when a settled deadline counts: its breach, else its meeting.
const settledAt = "coalesce(d.breached_at, d.met_at)"

func (q *queries) deadlines(ctx context.Context, pool *pgxpool.Pool) (deadlineFacts, error) {
	customer := make([]string, 0, len(CustomerSide))
	for name := range CustomerSide {
		customer = append(customer, name)
	}
	cond, args := q.args(q.zone, customer)
	zone, cust := len(args)-1, len(args)
	sql := fmt.Sprintf(`SELECT grouping(d.name, r.assigned_group, w.wk), d.name, r.assigned_group, w.wk,
  count(*),
  count(*) FILTER (WHERE d.state = 'met'),
  count(*) FILTER (WHERE d.state = 'breached'),
  count(*) FILTER (WHERE d.state = 'breached' AND d.met_at IS NOT NULL),
  count(*) FILTER (WHERE w.team),
  count(*) FILTER (WHERE w.team AND d.state = 'met'),
  count(*) FILTER (WHERE w.team AND d.state = 'breached')
FROM sla_deadlines d
JOIN service_requests r ON r.request_id = d.request_id
CROSS JOIN LATERAL (SELECT date_trunc('week', %[1]s AT TIME ZONE $%[2]d) AS wk, d.name <> ALL($%[3]d::text[]) AS team) w
WHERE d.state IN ('met', 'breached') AND %[1]s >= $1 AND %[1]s < $2%[4]s
GROUP BY GROUPING SETS ((d.name), (r.assigned_group), (w.wk))`, settledAt, zone, cust, cond)
	f := deadlineFacts{byName: map[string]counts{}, byGroup: map[string]counts{}, byWeek: map[time.Time]counts{}}
	rows, err := pool.Query(ctx, sql, args...)
	if err != nil {
		return f, fmt.Errorf("report: deadlines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			g           int
			name, group *string
			wk          *time.Time
			all, team   counts
		)
		if err := rows.Scan(&g, &name, &group, &wk, &all.settled, &all.met, &all.breached, &all.lateMet,
			&team.settled, &team.met, &team.breached); err != nil {
			return f, fmt.Errorf("report: deadlines: %w", err)
		}
		switch {
		case g == 3 && name != nil:
			all.settled = all.met + all.breached
			f.byName[*name] = all
		case g == 5 && group != nil:
			f.byGroup[*group] = team
		case g == 6 && wk != nil:
			f.byWeek[*wk] = team
		}
	}
	if err := rows.Err(); err != nil {
		return f, fmt.Errorf("report: deadlines: %w", err)
	}
	return f, nil
}

type surveyFacts struct {
	n, satisfied                                          int64
	speed, resolution, attitude, professionalism, average *float64
	byWeek                                                map[time.Time][2]int64 // surveys, satisfied
}

func (q *queries) surveys(ctx context.Context, pool *pgxpool.Pool) (surveyFacts, error) {
	cond, args := q.args(q.zone)
	join := ""
	if q.filtered() {
		join = " JOIN service_requests r ON r.request_id = s.request_id"
	}
	sql := fmt.Sprintf(`SELECT grouping(w.wk), w.wk, count(*), count(*) FILTER (WHERE s.average >= 4),
  avg(s.response_speed::float8), avg(s.resolution::float8), avg(s.attitude::float8), avg(s.professionalism::float8), avg(s.average)
FROM surveys s%s
CROSS JOIN LATERAL (SELECT date_trunc('week', s.recorded_at AT TIME ZONE $%d) AS wk) w
WHERE %s%s
GROUP BY GROUPING SETS ((), (w.wk))`, join, len(args), in("s.recorded_at"), cond)
	f := surveyFacts{byWeek: map[time.Time][2]int64{}}
	rows, err := pool.Query(ctx, sql, args...)
	if err != nil {
		return f, fmt.Errorf("report: surveys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			g               int
			wk              *time.Time
			n, sat          int64
			a, b, c, d, avg *float64
		)
		if err := rows.Scan(&g, &wk, &n, &sat, &a, &b, &c, &d, &avg); err != nil {
			return f, fmt.Errorf("report: surveys: %w", err)
		}
		if g == 1 {
			f.n, f.satisfied, f.speed, f.resolution, f.attitude, f.professionalism, f.average = n, sat, a, b, c, d, avg
		} else if wk != nil {
			f.byWeek[*wk] = [2]int64{n, sat}
		}
	}
	if err := rows.Err(); err != nil {
		return f, fmt.Errorf("report: surveys: %w", err)
	}
	return f, nil
}

type complaintFacts struct {
	opened, resolved, inTime, undecided int64
	resolveMedian                       *float64
}

func (q *queries) complaints(ctx context.Context, pool *pgxpool.Pool) (complaintFacts, error) {
	cond, args := q.args(q.now)
	join := ""
	if q.filtered() {
		join = " JOIN service_requests r ON r.request_id = c.request_id"
	}
	sql := fmt.Sprintf(`SELECT count(*),
  count(*) FILTER (WHERE c.resolved_at IS NOT NULL),
  count(*) FILTER (WHERE c.resolved_at IS NOT NULL AND c.resolved_at <= c.due_at),
  count(*) FILTER (WHERE c.resolved_at IS NULL AND c.due_at > $%d),
  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.resolved_at - c.opened_at)::float8) FILTER (WHERE c.resolved_at IS NOT NULL)
FROM complaints c%s
WHERE %s%s`, len(args), join, in("c.opened_at"), cond)
	var f complaintFacts
	if err := pool.QueryRow(ctx, sql, args...).Scan(&f.opened, &f.resolved, &f.inTime, &f.undecided, &f.resolveMedian); err != nil {
		return f, fmt.Errorf("report: complaints: %w", err)
	}
	return f, nil
}
