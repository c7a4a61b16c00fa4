package main

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"go.temporal.io/sdk/client"

	"github.com/svcflow/svcflow/internal/proc"
)

// percentile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted))+0.5) - 1
	i = max(0, min(i, len(sorted)-1))
	return sorted[i]
}

type latency struct{ p50, p99, max time.Duration }

func latencies(d []time.Duration) latency {
	s := slices.Clone(d)
	slices.Sort(s)
	if len(s) == 0 {
		return latency{}
	}
	return latency{percentile(s, 0.50), percentile(s, 0.99), s[len(s)-1]}
}

// historyStats averages history length and state transitions over the
// workflow IDs (DescribeWorkflowExecution).
func historyStats(ctx context.Context, c client.Client, ids []string) (events, transitions float64, err error) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	var sumE, sumT int64
	var firstErr error
	sem := make(chan struct{}, 8)
	for _, id := range ids {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			d, err := c.DescribeWorkflowExecution(ctx, id, "")
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				return
			}
			info := d.GetWorkflowExecutionInfo()
			sumE += info.GetHistoryLength()
			sumT += info.GetStateTransitionCount()
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return 0, 0, firstErr
	}
	n := float64(len(ids))
	return float64(sumE) / n, float64(sumT) / n, nil
}

var tables = []string{"service_requests", "request_events", "sla_deadlines", "notifications", "surveys", "complaints", "care_letters"}

// rowCounts counts the rows of svcflow's tables.
func rowCounts(ctx context.Context, db interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}) (map[string]int64, int64, error) {
	out := map[string]int64{}
	var total int64
	for _, t := range tables {
		var n int64
		if err := db.QueryRow(ctx, "SELECT count(*) FROM "+pgx.Identifier{t}.Sanitize()).Scan(&n); err != nil {
			return nil, 0, fmt.Errorf("count %s: %w", t, err)
		}
		out[t] = n
		total += n
	}
	return out, total, nil
}

func mb(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }

func rssOf(p *proc.Proc) int64 {
	r, err := p.RSS()
	if err != nil {
		return -1
	}
	return r
}

// peakRSS samples a process's RSS every 200 ms until stop is closed.
func peakRSS(p *proc.Proc, stop <-chan struct{}) <-chan int64 {
	out := make(chan int64, 1)
	go func() {
		var peak int64
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			if r := rssOf(p); r > peak {
				peak = r
			}
			select {
			case <-stop:
				out <- peak
				return
			case <-t.C:
			}
		}
	}()
	return out
}
