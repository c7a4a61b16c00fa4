package report

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// queries holds the parameters shared by the report's SQL. Only the
// conditions in force are written into the SQL, so every statement gets a
// plan for exactly its filter.
type queries struct {
	f   Filter
	now time.Time
	// weeks are the Monday 00:00 instants (in the report's zone) from the
	// week of From to the first after To: width_bucket(t, weeks) - 1 is the
	// index of t's week, exact across DST changes.
	weeks []time.Time
}

func newQueries(f Filter, o Options) *queries {
	q := &queries{f: f, now: o.Now}
	for wk := weekStart(f.From.In(o.Location)); ; wk = time.Date(wk.Year(), wk.Month(), wk.Day()+7, 0, 0, 0, 0, wk.Location()) {
		q.weeks = append(q.weeks, wk)
		if !wk.Before(f.To) {
			break
		}
	}
	return q
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
  percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY extract(epoch FROM r.first_response_at - r.created_at)::float8) FILTER (WHERE ` + fr + `),
  count(*) FILTER (WHERE ` + closed + ` AND r.sheet_rounds > 0),
  avg(r.sheet_rounds::float8) FILTER (WHERE ` + closed + ` AND r.sheet_rounds > 0),
  count(*) FILTER (WHERE ` + acc + `),
  count(*) FILTER (WHERE ` + acc + ` AND r.rework_rounds = 0),
  percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY r.resolution_work_ns / 1e9::float8) FILTER (WHERE ` + acc + `)
FROM service_requests r
WHERE (` + in("r.created_at") + ` OR ` + closed + ` OR ` + fr + ` OR ` + acc + `)` + cond
	var f requestFacts
	var response, work []float64
	err := q.read(ctx, pool, sql, args, func(rows pgx.Rows) error {
		return rows.Scan(&f.received, &f.closed, &f.completed, &f.cancelled, &f.unconfirmed,
			&f.responded, &response, &f.sheeted, &f.roundsMean, &f.accepted, &f.firstPass, &work)
	})
	f.responseMedian, f.responseP90 = pair(response)
	f.workMedian, f.workP90 = pair(work)
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
	byWeek  map[int]counts    // by week index
}

// settledAt is when a settled deadline counts: its breach, else its meeting.
const settledAt = "coalesce(d.breached_at, d.met_at)"

// deadlines counts settled deadlines per (name, group, week) in one hash
// aggregate over the join, then rolls the small result up three ways.
func (q *queries) deadlines(ctx context.Context, pool *pgxpool.Pool) (deadlineFacts, error) {
	customer := make([]string, 0, len(CustomerSide))
	for name := range CustomerSide {
		customer = append(customer, name)
	}
	cond, args := q.args(q.weeks, customer)
	weeks, cust := len(args)-1, len(args)
	sql := fmt.Sprintf(`WITH a AS (
  SELECT d.name, r.assigned_group AS grp, width_bucket(%[1]s, $%[2]d::timestamptz[]) - 1 AS wk,
    d.state = 'met' AS met, d.met_at IS NOT NULL AS closed, count(*) AS n
  FROM sla_deadlines d
  JOIN service_requests r ON r.request_id = d.request_id
  WHERE d.state IN ('met', 'breached') AND %[1]s >= $1 AND %[1]s < $2%[4]s
  GROUP BY 1, 2, 3, 4, 5
)
SELECT grouping(a.name, a.grp, a.wk), a.name, a.grp, a.wk,
  coalesce(sum(a.n) FILTER (WHERE a.met), 0)::bigint,
  coalesce(sum(a.n) FILTER (WHERE NOT a.met), 0)::bigint,
  coalesce(sum(a.n) FILTER (WHERE NOT a.met AND a.closed), 0)::bigint,
  coalesce(sum(a.n) FILTER (WHERE a.met AND a.name <> ALL($%[3]d::text[])), 0)::bigint,
  coalesce(sum(a.n) FILTER (WHERE NOT a.met AND a.name <> ALL($%[3]d::text[])), 0)::bigint
FROM a
GROUP BY GROUPING SETS ((a.name), (a.grp), (a.wk))`, settledAt, weeks, cust, cond)
	f := deadlineFacts{byName: map[string]counts{}, byGroup: map[string]counts{}, byWeek: map[int]counts{}}
	err := q.read(ctx, pool, sql, args, func(rows pgx.Rows) error {
		var (
			g           int
			name, group *string
			wk          *int
			all, team   counts
		)
		if err := rows.Scan(&g, &name, &group, &wk, &all.met, &all.breached, &all.lateMet, &team.met, &team.breached); err != nil {
			return err
		}
		all.settled, team.settled = all.met+all.breached, team.met+team.breached
		switch {
		case g == 3 && name != nil:
			f.byName[*name] = all
		case g == 5 && group != nil:
			if team.settled > 0 {
				f.byGroup[*group] = team
			}
		case g == 6 && wk != nil:
			f.byWeek[*wk] = team
		}
		return nil
	})
	if err != nil {
		return f, fmt.Errorf("report: deadlines: %w", err)
	}
	return f, nil
}

// workMem is the sort and hash memory of the report's queries: their
// sorts (percentiles) and hash joins then stay in memory.
const workMem = "64MB"

// read runs one query in a read-only transaction with workMem, calling fn
// for every row.
func (q *queries) read(ctx context.Context, pool *pgxpool.Pool, sql string, args []any, fn func(pgx.Rows) error) error {
	return pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		// JIT compiling costs more than it saves on these one-pass aggregates.
		if _, err := tx.Exec(ctx, "SET LOCAL work_mem = '"+workMem+"'; SET LOCAL jit = off"); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := fn(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

type surveyFacts struct {
	n, satisfied                                          int64
	speed, resolution, attitude, professionalism, average *float64
	byWeek                                                map[int][2]int64 // week index: surveys, satisfied
}

func (q *queries) surveys(ctx context.Context, pool *pgxpool.Pool) (surveyFacts, error) {
	cond, args := q.args(q.weeks)
	join := ""
	if q.filtered() {
		join = " JOIN service_requests r ON r.request_id = s.request_id"
	}
	sql := fmt.Sprintf(`SELECT grouping(w.wk), w.wk, count(*), count(*) FILTER (WHERE s.average >= 4),
  avg(s.response_speed::float8), avg(s.resolution::float8), avg(s.attitude::float8), avg(s.professionalism::float8), avg(s.average)
FROM surveys s%s
CROSS JOIN LATERAL (SELECT width_bucket(s.recorded_at, $%d::timestamptz[]) - 1 AS wk) w
WHERE %s%s
GROUP BY GROUPING SETS ((), (w.wk))`, join, len(args), in("s.recorded_at"), cond)
	f := surveyFacts{byWeek: map[int][2]int64{}}
	err := q.read(ctx, pool, sql, args, func(rows pgx.Rows) error {
		var (
			g               int
			wk              *int
			n, sat          int64
			a, b, c, d, avg *float64
		)
		if err := rows.Scan(&g, &wk, &n, &sat, &a, &b, &c, &d, &avg); err != nil {
			return err
		}
		if g == 1 {
			f.n, f.satisfied, f.speed, f.resolution, f.attitude, f.professionalism, f.average = n, sat, a, b, c, d, avg
		} else if wk != nil {
			f.byWeek[*wk] = [2]int64{n, sat}
		}
		return nil
	})
	if err != nil {
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
	err := q.read(ctx, pool, sql, args, func(rows pgx.Rows) error {
		return rows.Scan(&f.opened, &f.resolved, &f.inTime, &f.undecided, &f.resolveMedian)
	})
	if err != nil {
		return f, fmt.Errorf("report: complaints: %w", err)
	}
	return f, nil
}

// pair splits percentile_cont(ARRAY[0.5, 0.9]) into median and p90; NULL
// (nothing measured) gives nils.
func pair(v []float64) (*float64, *float64) {
	if len(v) != 2 {
		return nil, nil
	}
	return &v[0], &v[1]
}
