// Package recorded feeds what-if (internal/whatif) from PostgreSQL: it
// streams the recorded histories of a period's requests in one ordered
// query, replays them on every core and sums them up; SelfCheck replays
// them under the configuration they ran with, which must reproduce every
// recorded outcome and due time.
package recorded

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/svcflow/svcflow/internal/policy"
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
	var dec rowDecoder
	return eachRow(ctx, pool, f, func(r row) error {
		h, err := dec.decode(r)
		if err != nil {
			return err
		}
		return fn(h)
	})
}

// row is one request's row of historiesSQL as PostgreSQL sent it (binary
// column values, copied), so that decoding it can happen on another
// goroutine than reading: the one reader then only waits on the server.
type row struct {
	fields []pgconn.FieldDescription
	cols   [][]byte // nil: NULL
}

// eachRow streams the rows of historiesSQL, calling fn for each.
func eachRow(ctx context.Context, pool *pgxpool.Pool, f report.Filter, fn func(row) error) error {
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
		fields := rows.FieldDescriptions()
		for rows.Next() {
			raw := rows.RawValues() // valid until Next: copied into one block
			n := 0
			for _, v := range raw {
				n += len(v)
			}
			block := make([]byte, 0, n)
			cols := make([][]byte, len(raw))
			for i, v := range raw {
				if v != nil {
					at := len(block)
					block = append(block, v...)
					cols[i] = block[at:len(block):len(block)]
				}
			}
			if err := fn(row{fields: fields, cols: cols}); err != nil {
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

// rowDecoder decodes rows: the request's columns with pgx plans made once
// (the rows of one query share their columns), the event and deadline
// arrays with arrays.go; not for concurrent use.
type rowDecoder struct {
	m     *pgtype.Map
	plans []pgtype.ScanPlan
	elems [9][][]byte // per array column, reused
}

// The columns of historiesSQL: the request's, then the arrays.
const (
	colSeqs = 9 + iota
	colAts
	colKinds
	colPayloads
	colNames
	colInstances
	colStarts
	colDues
	colStates
	columns
)

// states are the deadline states of CONTRACT §8.
var states = []string{"pending", "met", "breached", "paused", "cancelled"}

// decode reads one request's history from its row.
func (dec *rowDecoder) decode(rw row) (*whatif.History, error) {
	h := &whatif.History{}
	r := &h.Request
	scalars := []any{&r.RequestID, &r.CreatedAt, &r.Tier, &r.Priority, &r.Category, &r.Channel, &r.Group, &r.SlaPolicy, &h.Semantics}
	if len(rw.cols) != columns {
		return nil, fmt.Errorf("whatif: %d columns, want %d", len(rw.cols), columns)
	}
	if dec.plans == nil {
		dec.m = pgtype.NewMap()
		for i, t := range scalars {
			fd := rw.fields[i]
			dec.plans = append(dec.plans, dec.m.PlanScan(fd.DataTypeOID, fd.Format, t))
		}
	}
	for i, t := range scalars {
		if err := dec.plans[i].Scan(rw.cols[i], t); err != nil {
			return nil, fmt.Errorf("whatif: column %s: %w", rw.fields[i].Name, err)
		}
	}
	var a [9][][]byte
	for i := range a {
		fd := rw.fields[colSeqs+i]
		if fd.Format != pgtype.BinaryFormatCode {
			return nil, fmt.Errorf("whatif: column %s: not in binary format", fd.Name)
		}
		var err error
		if a[i], err = arrayElems(rw.cols[colSeqs+i], dec.elems[i]); err != nil {
			return nil, fmt.Errorf("request %s: column %s: %w", r.RequestID, fd.Name, err)
		}
		dec.elems[i] = a[i]
	}
	seqs, ats, kinds, payloads := a[0], a[colAts-colSeqs], a[colKinds-colSeqs], a[colPayloads-colSeqs]
	names, instances, starts, dues, sts := a[colNames-colSeqs], a[colInstances-colSeqs], a[colStarts-colSeqs], a[colDues-colSeqs], a[colStates-colSeqs]
	for i, arr := range a {
		want := len(names)
		if i < colNames-colSeqs {
			want = len(seqs)
		}
		if len(arr) != want {
			return nil, fmt.Errorf("request %s: arrays of unequal length", r.RequestID)
		}
	}
	bad := func(col int, err error) error {
		return fmt.Errorf("request %s: column %s: %w", r.RequestID, rw.fields[col].Name, err)
	}
	h.Events = make([]records.Event, len(seqs))
	ordered := true
	for i := range h.Events {
		e := &h.Events[i]
		var err error
		if e.Seq, err = int8(seqs[i]); err != nil {
			return nil, bad(colSeqs, err)
		}
		var ok bool
		if e.At, ok, err = timestamptz(ats[i]); err != nil || !ok {
			return nil, bad(colAts, cmp.Or(err, errors.New("NULL")))
		}
		e.Kind = intern(kinds[i], whatif.Kinds)
		if e.Payload, err = jsonb(payloads[i]); err != nil {
			return nil, bad(colPayloads, err)
		}
		ordered = ordered && (i == 0 || h.Events[i-1].Seq < e.Seq)
	}
	if !ordered {
		slices.SortFunc(h.Events, func(a, b records.Event) int { return cmp.Compare(a.Seq, b.Seq) })
	}
	h.Deadlines = make([]records.DeadlineRow, len(names))
	for i := range h.Deadlines {
		d := &h.Deadlines[i]
		d.Name, d.State = intern(names[i], policy.DeadlineNames), intern(sts[i], states)
		n, err := int4(instances[i])
		if err != nil {
			return nil, bad(colInstances, err)
		}
		d.Instance = int(n)
		var ok bool
		if d.StartedAt, ok, err = timestamptz(starts[i]); err != nil || !ok {
			return nil, bad(colStarts, cmp.Or(err, errors.New("NULL")))
		}
		due, ok, err := timestamptz(dues[i])
		if err != nil {
			return nil, bad(colDues, err)
		}
		if ok {
			d.DueAt = &due
		}
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
