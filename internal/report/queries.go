package report

import (
	"context"
	"fmt"
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
	cond, more := q.f.Where(3)
	args = append([]any{q.f.From, q.f.To}, more...)
	return cond, append(args, extra...)
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
	byName map[string]counts
	byWeek map[int]counts // team side only, by week index
}

// settledAt is when a settled deadline counts: its breach, else its meeting.
const settledAt = "coalesce(d.breached_at, d.met_at)"

// customerNames lists CustomerSide for SQL.
func customerNames() []string {
	out := make([]string, 0, len(CustomerSide))
	for name := range CustomerSide {
		out = append(out, name)
	}
	return out
}

// requestFilter is the group/tier condition on a deadline's request as a
// semi-join, or "" without a filter: the deadline counts need no join.
func (q *queries) requestFilter(cond string) string {
	if !q.filtered() {
		return ""
	}
	return " AND d.request_id IN (SELECT r.request_id FROM service_requests r WHERE true" + cond + ")"
}

// deadlines counts settled deadlines per (name, week, met, met late) in one
// pass over sla_deadlines; the small result is rolled up here.
func (q *queries) deadlines(ctx context.Context, pool *pgxpool.Pool) (deadlineFacts, error) {
	cond, args := q.args(q.weeks)
	sql := fmt.Sprintf(`SELECT d.name, width_bucket(%[1]s, $%[2]d::timestamptz[]) - 1, d.state = 'met', d.met_at IS NOT NULL, count(*)
FROM sla_deadlines d
WHERE d.state IN ('met', 'breached') AND %[1]s >= $1 AND %[1]s < $2%[3]s
GROUP BY 1, 2, 3, 4`, settledAt, len(args), q.requestFilter(cond))
	f := deadlineFacts{byName: map[string]counts{}, byWeek: map[int]counts{}}
	err := q.read(ctx, pool, sql, args, func(rows pgx.Rows) error {
		var (
			name          string
			wk            int
			met, metAtSet bool
			n             int64
		)
		if err := rows.Scan(&name, &wk, &met, &metAtSet, &n); err != nil {
			return err
		}
		c, w := f.byName[name], f.byWeek[wk]
		c.settled += n
		if met {
			c.met += n
		} else {
			c.breached += n
			if metAtSet {
				c.lateMet += n
			}
		}
		f.byName[name] = c
		if !CustomerSide[name] {
			w.settled += n
			if met {
				w.met += n
			} else {
				w.breached += n
			}
			f.byWeek[wk] = w
		}
		return nil
	})
	if err != nil {
		return f, fmt.Errorf("report: deadlines: %w", err)
	}
	return f, nil
}

// groupBreaches counts team-side breaches in the period per current group:
// a join over the breached deadlines only.
func (q *queries) groupBreaches(ctx context.Context, pool *pgxpool.Pool) (map[string]int64, error) {
	cond, args := q.args(customerNames())
	sql := fmt.Sprintf(`SELECT r.assigned_group, count(*)
FROM sla_deadlines d
JOIN service_requests r ON r.request_id = d.request_id
WHERE d.state = 'breached' AND d.name <> ALL($%[2]d::text[]) AND %[1]s >= $1 AND %[1]s < $2%[3]s
GROUP BY 1`, settledAt, len(args), cond)
	out := map[string]int64{}
	err := q.read(ctx, pool, sql, args, func(rows pgx.Rows) error {
		var (
			g string
			n int64
		)
		if err := rows.Scan(&g, &n); err != nil {
			return err
		}
		out[g] = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("report: breaches by group: %w", err)
	}
	return out, nil
}

// policies counts team-side settled deadlines per SLA policy.
func (q *queries) policies(ctx context.Context, pool *pgxpool.Pool) (map[string]counts, error) {
	cond, args := q.args(customerNames())
	sql := fmt.Sprintf(`SELECT coalesce(nullif(d.policy, ''), 'default'), d.state = 'met', count(*)
FROM sla_deadlines d
WHERE d.state IN ('met', 'breached') AND d.name <> ALL($%[2]d::text[]) AND %[1]s >= $1 AND %[1]s < $2%[3]s
GROUP BY 1, 2`, settledAt, len(args), q.requestFilter(cond))
	out := map[string]counts{}
	err := q.read(ctx, pool, sql, args, func(rows pgx.Rows) error {
		var (
			p   string
			met bool
			n   int64
		)
		if err := rows.Scan(&p, &met, &n); err != nil {
			return err
		}
		c := out[p]
		c.settled += n
		if met {
			c.met += n
		} else {
			c.breached += n
		}
		out[p] = c
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("report: by policy: %w", err)
	}
	return out, nil
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
