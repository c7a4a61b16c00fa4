package main

import (
	"context"
	"fmt"
	"time"

	"github.com/svcflow/svcflow/internal/teststack"
)

// park starts o.park requests that wait on their (far) timers and reports
// the time to start them and the worker's RSS once all are recorded.
func park(ctx context.Context, e *benchEnv, o options) error {
	wk, req, err := e.svcflowWorker(ctx, "bench-park")
	if err != nil {
		return err
	}
	defer stopWorker(wk)
	w := wk.Proc()
	fmt.Printf("park: starting %d requests at concurrency %d (worker RSS before %s) ...\n", o.park, o.c, mb(rssOf(w)))
	stop := make(chan struct{})
	peak := peakRSS(w, stop)
	t0 := time.Now()
	ph := drive(ctx, o.park, o.c, func(ctx context.Context, i int, _ *timings) ([]time.Duration, error) {
		_, err := req.Start(ctx, teststack.Request(fmt.Sprintf("park-%06d", i)))
		return nil, err
	})
	started := time.Since(t0)
	fmt.Printf("park: %d started in %s (%.0f starts/s), %d failed\n", o.park-ph.failures, started.Round(time.Millisecond), float64(o.park-ph.failures)/started.Seconds(), ph.failures)
	if ph.firstErr != nil {
		fmt.Println("park: first failure:", ph.firstErr)
	}
	// Each request is recorded by the workflow's first task; wait for all.
	const count = "SELECT count(*) FROM service_requests WHERE request_id LIKE 'park-%'"
	waitErr := waitCount(ctx, e, count, o.park-ph.failures, 30*time.Minute)
	var n int64
	if err := e.DB.QueryRow(ctx, count).Scan(&n); err != nil {
		return err
	}
	recorded := time.Since(t0)
	fmt.Printf("park: %d recorded in PostgreSQL after %s\n", n, recorded.Round(time.Millisecond))
	rssNow := rssOf(w)
	time.Sleep(10 * time.Second) // let in-flight notification activities finish
	close(stop)
	p := <-peak
	rssSettled := rssOf(w)
	_, srvRSS := e.srv.Usage()
	fmt.Printf("park: worker RSS when all recorded %s, 10 s later %s, peak %s (target <= 300 MB: %s); %s server RSS %s\n",
		mb(rssNow), mb(rssSettled), mb(p), verdict(p <= 300<<20), o.server, mb(srvRSS))
	fmt.Printf("park: load average now %s\n", loadAvg())
	if ph.failures > 0 || n < int64(o.park) {
		return fmt.Errorf("park: %d failed starts, %d of %d recorded (%v)", ph.failures, n, o.park, waitErr)
	}
	return nil
}
