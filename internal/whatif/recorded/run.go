package recorded

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/policy"
	"github.com/svcflow/svcflow/internal/report"
	"github.com/svcflow/svcflow/internal/whatif"
)

// Options are the inputs of Run beyond the requests and the policy.
type Options struct {
	// Until is the instant the replay fires what is due by (zero: now).
	Until time.Time
	// Workers replay in parallel while the query streams (0: GOMAXPROCS).
	Workers int
	// Progress, when set, is told how many requests are replayed of how
	// many, every ProgressEvery requests and at the end.
	Progress func(done, total int)
}

// ProgressEvery is how often Run reports progress, in requests.
const ProgressEvery = 5000

// PolicyOf is what a configuration tries: its SLA policies (calendars,
// groups' calendars, sla) and its routing rules.
func PolicyOf(cfg *config.Config) whatif.Policy {
	routing := cfg.Routing
	return whatif.Policy{
		Set: cfg.Settings().Policies,
		Route: func(a policy.Attrs) string {
			return activities.Route(routing, activities.IntakeInput{Category: a.Category, Tier: a.Tier, Priority: a.Priority, Channel: a.Channel})
		},
	}
}

// batch is a run of consecutive requests' rows, the first the pos-th.
type batch struct {
	pos  int
	rows []row
}

const batchSize = 64

// Run replays the requests the filter selects under p and sums them up:
// one goroutine reads the query's rows, o.Workers decode and replay them.
// Nothing is written.
func Run(ctx context.Context, pool *pgxpool.Pool, f report.Filter, p whatif.Policy, o Options) (*whatif.Summary, error) {
	if o.Until.IsZero() {
		o.Until = time.Now()
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	total := 0
	if o.Progress != nil {
		n, err := Count(ctx, pool, f)
		if err != nil {
			return nil, err
		}
		total = n
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	work := make(chan batch, 2*o.Workers)
	tallies := make([]*whatif.Tally, o.Workers)
	var done, reported int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range tallies {
		t := whatif.NewTally()
		tallies[w] = t
		wg.Add(1)
		go func() {
			defer wg.Done()
			rp, dec := whatif.NewReplayer(p), &rowDecoder{}
			for b := range work {
				for i, rw := range b.rows {
					h, err := dec.decode(rw)
					if err != nil {
						cancel(err)
						return
					}
					r, err := rp.Replay(h, o.Until)
					if err != nil {
						cancel(err)
						return
					}
					t.Add(b.pos+i, r)
				}
				if o.Progress != nil {
					mu.Lock()
					before := done
					done += int64(len(b.rows))
					if before/ProgressEvery != done/ProgressEvery {
						o.Progress(int(done), total)
						reported = done
					}
					mu.Unlock()
				}
			}
		}()
	}
	pos := 0
	cur := batch{}
	send := func() bool {
		select {
		case work <- cur:
		case <-ctx.Done():
			return false
		}
		pos += len(cur.rows)
		cur = batch{pos: pos}
		return true
	}
	err := eachRow(ctx, pool, f, func(r row) error {
		cur.rows = append(cur.rows, r)
		if len(cur.rows) == batchSize && !send() {
			return context.Cause(ctx)
		}
		return nil
	})
	if err == nil && len(cur.rows) > 0 {
		send()
	}
	close(work)
	wg.Wait()
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
		return nil, cause // a replay failed: its error, not the read it cancelled
	}
	if err != nil {
		return nil, err
	}
	sum := whatif.NewTally()
	for _, t := range tallies {
		sum.Merge(t)
	}
	s := sum.Summary()
	if o.Progress != nil && reported != int64(s.Requests) {
		o.Progress(s.Requests, total)
	}
	return s, nil
}

// SelfCheck replays the requests created in [from, to) under cfg, the
// configuration they ran with, and returns the summary: Differences is 0
// when what-if reproduces every recorded outcome and due time (see
// FirstDifferences otherwise). For the end-to-end suite, over the records
// of its stack.
func SelfCheck(ctx context.Context, pool *pgxpool.Pool, cfg *config.Config, from, to time.Time) (*whatif.Summary, error) {
	return Run(ctx, pool, report.Filter{From: from, To: to}, PolicyOf(cfg), Options{})
}
