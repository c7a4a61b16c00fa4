// Package recorded feeds what-if (internal/whatif) from PostgreSQL: it
// streams the recorded histories of a period's requests in one ordered
// query, replays them on every core and sums them up; SelfCheck replays
// them under the configuration they ran with, which must reproduce every
// recorded outcome and due time.
package recorded

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/svcflow/svcflow/internal/records"
	"github.com/svcflow/svcflow/internal/report"
	"github.com/svcflow/svcflow/internal/whatif"
)

// historiesSQL reads one row per request created in [$1, $2) (and of the
// filter's group and tier), oldest first, with its events of the kinds
// what-if reads ($3) and its deadline rows as arrays: one query, streamed.
// The events come in the order of their primary key (request, seq), read
// by the index; scan checks that order (sorting four arrays alike per
// request on the server would cost more than the rest of the query).
const historiesSQL = `SELECT r.request_id, r.created_at, r.tier, r.priority, r.category, r.channel,
       r.assigned_group, r.sla_policy, r.sla_semantics,
       e.seqs, e.ats, e.kinds, e.payloads,
       d.names, d.instances, d.starts, d.dues, d.states
FROM service_requests r
CROSS JOIN LATERAL (
    SELECT array_agg(x.seq) AS seqs, array_agg(x.at) AS ats, array_agg(x.kind) AS kinds, array_agg(x.payload) AS payloads
    FROM request_events x WHERE x.request_id = r.request_id AND x.kind = ANY($3::text[])) e
CROSS JOIN LATERAL (
    SELECT array_agg(y.name) AS names, array_agg(y.instance) AS instances, array_agg(y.started_at) AS starts,
           array_agg(y.due_at) AS dues, array_agg(y.state) AS states
    FROM sla_deadlines y WHERE y.request_id = r.request_id) d
WHERE r.created_at >= $1 AND r.created_at < $2%s
ORDER BY r.created_at, r.request_id`

// Each streams the histories of the requests created in the filter's
// period (of its group and tier), oldest first, calling fn for each; fn
// may keep the history. It reads in one read-only transaction, so every
// history comes from the same snapshot of the records.
func Each(ctx context.Context, pool *pgxpool.Pool, f report.Filter, fn func(*whatif.History) error) error {
	if err := f.Validate(); err != nil {
		return err
	}
	cond, more := f.Where(4)
	args := append([]any{f.From, f.To, whatif.Kinds}, more...)
	err := pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		// JIT compiling costs more than it saves on this one pass.
		if _, err := tx.Exec(ctx, "SET LOCAL jit = off"); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, fmt.Sprintf(historiesSQL, cond), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			h, err := scan(rows)
			if err != nil {
				return err
			}
			if err := fn(h); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if err != nil {
		return fmt.Errorf("whatif: read the recorded requests: %w", err)
	}
	return nil
}

// scan reads one request's row.
func scan(rows pgx.Rows) (*whatif.History, error) {
	h := &whatif.History{}
	r := &h.Request
	var (
		seqs      []int64
		ats       []time.Time
		kinds     []string
		payloads  [][]byte
		names     []string
		instances []int32
		starts    []time.Time
		dues      []*time.Time
		states    []string
	)
	if err := rows.Scan(&r.RequestID, &r.CreatedAt, &r.Tier, &r.Priority, &r.Category, &r.Channel, &r.Group, &r.SlaPolicy, &h.Semantics,
		&seqs, &ats, &kinds, &payloads, &names, &instances, &starts, &dues, &states); err != nil {
		return nil, err
	}
	if len(ats) != len(seqs) || len(kinds) != len(seqs) || len(payloads) != len(seqs) ||
		len(instances) != len(names) || len(starts) != len(names) || len(dues) != len(names) || len(states) != len(names) {
		return nil, fmt.Errorf("request %s: arrays of unequal length", r.RequestID)
	}
	h.Events = make([]records.Event, len(seqs))
	ordered := true
	for i := range seqs {
		h.Events[i] = records.Event{Seq: seqs[i], At: ats[i], Kind: kinds[i], Payload: payloads[i]}
		ordered = ordered && (i == 0 || seqs[i-1] < seqs[i])
	}
	if !ordered {
		slices.SortFunc(h.Events, func(a, b records.Event) int { return cmp.Compare(a.Seq, b.Seq) })
	}
	h.Deadlines = make([]records.DeadlineRow, len(names))
	for i := range names {
		h.Deadlines[i] = records.DeadlineRow{Name: names[i], Instance: int(instances[i]), StartedAt: starts[i], DueAt: dues[i], State: states[i]}
	}
	return h, nil
}

// Count is how many requests Each would stream.
func Count(ctx context.Context, pool *pgxpool.Pool, f report.Filter) (int, error) {
	if err := f.Validate(); err != nil {
		return 0, err
	}
	cond, more := f.Where(3)
	var n int
	err := pool.QueryRow(ctx, `SELECT count(*) FROM service_requests r WHERE r.created_at >= $1 AND r.created_at < $2`+cond,
		append([]any{f.From, f.To}, more...)...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("whatif: count the requests: %w", err)
	}
	return n, nil
}
