package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/svcflow/svcflow/bench/baseline"
	"github.com/svcflow/svcflow/internal/teststack"
	"github.com/svcflow/svcflow/workflows"
	"github.com/svcflow/svcflow/workflows/requests"
)

// lifecycleFunc runs lifecycle i and returns its update latencies; the
// start's and the wait for the result's latencies go to t.
type lifecycleFunc func(ctx context.Context, i int, t *timings) ([]time.Duration, error)

// timings collects start and result-wait latencies.
type timings struct {
	mu            sync.Mutex
	starts, waits []time.Duration
}

func (t *timings) add(start, wait time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.starts = append(t.starts, start)
	t.waits = append(t.waits, wait)
}

// phase is the outcome of n lifecycles at concurrency c.
type phase struct {
	n, c      int
	elapsed   time.Duration
	updates   []time.Duration
	tm        *timings
	failures  int
	firstErr  error
	perSecond float64
}

// drive runs n lifecycles with c at a time and measures the wall time.
func drive(ctx context.Context, n, c int, f lifecycleFunc) phase {
	p := phase{n: n, c: c, tm: &timings{}}
	var next atomic.Int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	t0 := time.Now()
	for w := 0; w < c; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				lat, err := f(ctx, i, p.tm)
				mu.Lock()
				p.updates = append(p.updates, lat...)
				if err != nil {
					p.failures++
					if p.firstErr == nil {
						p.firstErr = err
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	p.elapsed = time.Since(t0)
	p.perSecond = float64(n-p.failures) / p.elapsed.Seconds()
	return p
}

// happyPath is the svcflow side: start plus the 8 actions of a non-complex
// request's happy path, each an Update waited for until completed, then
// the workflow result.
func happyPath(req *requests.Requests, prefix string) lifecycleFunc {
	return func(ctx context.Context, i int, tm *timings) ([]time.Duration, error) {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
		defer cancel()
		id := fmt.Sprintf("%s-%05d", prefix, i)
		r := teststack.Request(id)
		t0 := time.Now()
		if _, err := req.Start(ctx, r); err != nil {
			return nil, err
		}
		started := time.Since(t0)
		var lat []time.Duration
		for _, step := range teststack.HappyPath(id) {
			t0 := time.Now()
			res, err := req.Update(ctx, id, step.Name, step.Action)
			if err != nil {
				return lat, fmt.Errorf("%s %s: %w", id, step.Name, err)
			}
			lat = append(lat, time.Since(t0))
			if res.Stage != step.Stage {
				return lat, fmt.Errorf("%s %s: stage %s, want %s", id, step.Name, res.Stage, step.Stage)
			}
		}
		var st workflows.Status
		t1 := time.Now()
		if err := req.Client.GetWorkflow(ctx, workflows.WorkflowID(id), "").Get(ctx, &st); err != nil {
			return lat, fmt.Errorf("%s result: %w", id, err)
		}
		tm.add(started, time.Since(t1))
		if st.Outcome != workflows.OutcomeCompleted {
			return lat, fmt.Errorf("%s: outcome %q", id, st.Outcome)
		}
		return lat, nil
	}
}

// baselineLifecycle starts the baseline workflow and sends its 7 updates.
func baselineLifecycle(c client.Client, queue, wfType, prefix string) lifecycleFunc {
	return func(ctx context.Context, i int, tm *timings) ([]time.Duration, error) {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
		defer cancel()
		id := fmt.Sprintf("%s-%05d", prefix, i)
		t0 := time.Now()
		run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: queue}, wfType, id)
		if err != nil {
			return nil, err
		}
		started := time.Since(t0)
		var lat []time.Duration
		for u := 1; u <= baseline.Updates; u++ {
			t0 := time.Now()
			h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
				WorkflowID: id, UpdateID: fmt.Sprintf("%s-u%d", id, u), UpdateName: baseline.UpdateName, Args: []any{u},
				WaitForStage: client.WorkflowUpdateStageCompleted,
			})
			var done int
			if err == nil {
				err = h.Get(ctx, &done)
			}
			if err != nil {
				return lat, fmt.Errorf("%s update %d: %w", id, u, err)
			}
			lat = append(lat, time.Since(t0))
		}
		t1 := time.Now()
		err = run.Get(ctx, nil)
		tm.add(started, time.Since(t1))
		return lat, err
	}
}
