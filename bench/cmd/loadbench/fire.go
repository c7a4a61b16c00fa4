package main

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/svcflow/svcflow/internal/teststack"
	"github.com/svcflow/svcflow/workflows/requests"
)

// Timer precision (-fire N): N parked requests whose response warnings fall
// in one 60 s window and whose breaches fall in the 60 s window two minutes
// later, while happy-path lifecycles run at -fire-rate a second. A
// request's submitted_at places its instants: with a 10 min wall-clock
// response target and warn_at 0.8, request i is submitted at
// W - 8 min + (i mod 60) s, so its warning is due at W + (i mod 60) s and its
// breach at W + 2 min + (i mod 60) s. The delay of a step is the instant its
// event row was written to PostgreSQL (request_events.recorded_at, what a
// reader of the records sees) minus the instant it was due
// (sla_deadlines: started_at + 0.8 × target, due_at).
const (
	fireTarget = 10 * time.Minute
	fireWarnAt = 0.8
	fireSpread = 60 // seconds over which the due instants of each step spread
)

// fireEnv is what the fire mode adds to the profile: the response target
// and warn share it computes the due instants with.
var fireEnv = []string{
	"SVCFLOW_SLA_DEADLINES_RESPONSE_CLOCK=wall",
	"SVCFLOW_SLA_DEADLINES_RESPONSE_NORMAL=10m",
	"SVCFLOW_SLA_WARN_AT=0.8",
}

func fire(ctx context.Context, e *benchEnv, o options) error {
	wk, req, err := e.svcflowWorker(ctx, "bench-fire")
	if err != nil {
		return err
	}
	defer stopWorker(wk)
	lead := o.fireLead
	if lead == 0 { // time to start and record N requests at ~60/s, and a minute more
		lead = time.Minute + time.Duration(o.fire)*time.Second/60
	}
	window := time.Now().Add(lead).Truncate(time.Second)
	fmt.Printf("fire: %d requests, warnings due %s..+%ds, breaches due +2m..+%ds; %d lifecycles/s from 20 s before the warnings until the last breach\n",
		o.fire, window.Format(time.TimeOnly), fireSpread, 120+fireSpread, o.fireRate)
	t0 := time.Now()
	ph := drive(ctx, o.fire, o.c, func(ctx context.Context, i int, _ *timings) ([]time.Duration, error) {
		r := teststack.Request(fmt.Sprintf("fire-%06d", i))
		at := window.Add(-time.Duration(fireWarnAt*float64(fireTarget)) + time.Duration(i%fireSpread)*time.Second)
		r.SubmittedAt = &at
		_, err := req.Start(ctx, r)
		return nil, err
	})
	if ph.failures > 0 {
		return fmt.Errorf("fire: %d of %d starts failed, first: %v", ph.failures, o.fire, ph.firstErr)
	}
	if err := waitCount(ctx, e, "SELECT count(*) FROM service_requests WHERE request_id LIKE 'fire-%'", o.fire, time.Until(window)); err != nil {
		return fmt.Errorf("fire: the requests were not all recorded before their warnings were due (raise -fire-lead): %w", err)
	}
	fmt.Printf("fire: %d started and recorded in %s, %s before the first warning\n", o.fire, time.Since(t0).Round(time.Millisecond), time.Until(window).Round(time.Second))

	// Lifecycles at a fixed rate (at most 4×c at once) around both windows.
	loadStart, loadEnd := window.Add(-20*time.Second), window.Add(time.Duration(120+fireSpread)*time.Second)
	sleepUntil(ctx, loadStart)
	load := rateLoad(ctx, req, o.fireRate, 4*o.c, loadEnd)

	// CPU of each step: from its window's start until every fire of it is
	// recorded (the warnings' until the breaches' window at the latest).
	cpu := func() [2]time.Duration { return [2]time.Duration{e.serverCPU(), wk.Proc().CPU()} }
	sleepUntil(ctx, window)
	w0 := cpu()
	warnDone := waitCount(ctx, e, fireCount("deadline.warning"), o.fire, time.Until(window.Add(120*time.Second)))
	w1 := cpu()
	sleepUntil(ctx, window.Add(120*time.Second))
	b0 := cpu()
	if err := waitCount(ctx, e, fireCount("deadline.breach"), o.fire, 8*time.Minute); err != nil {
		return fmt.Errorf("fire: breaches: %w", err)
	}
	b1 := cpu()
	lc := <-load
	warn, breach, err := fireDelays(ctx, e)
	if err != nil {
		return err
	}
	if o.fireRate > 0 {
		fmt.Printf("fire: lifecycles during the windows: %d done in %s (%.1f/s, asked %d/s), %d failed; update p50 %s p99 %s\n",
			lc.n-lc.failures, lc.elapsed.Round(time.Second), float64(lc.n-lc.failures)/lc.elapsed.Seconds(), o.fireRate, lc.failures, ms(lc.lat.p50), ms(lc.lat.p99))
	}
	if lc.firstErr != nil {
		fmt.Println("fire: first lifecycle failure:", lc.firstErr)
	}
	for _, s := range []struct {
		name string
		d    []time.Duration
	}{{"warning", warn}, {"breach", breach}} {
		l := latencies(s.d)
		fmt.Printf("fire delay %-8s p50 %s  p99 %s  max %s  over %d (recorded - due)\n", s.name, ms(l.p50), ms(l.p99), ms(l.max), len(s.d))
	}
	all := latencies(append(slices.Clone(warn), breach...))
	skipped, met, countErr := fireOutcome(o.fire, len(warn), len(breach), all.p99)
	if skipped > 0 {
		fmt.Printf("fire: %d warnings not sent: they fired only when their breach was due too (over 2 min late)\n", skipped)
	}
	for _, st := range []struct {
		name   string
		n      int
		c0, c1 [2]time.Duration
	}{{"warning", len(warn), w0, w1}, {"breach", len(breach), b0, b1}} {
		fmt.Printf("fire cost  %-8s %.1f ms server + %.1f ms worker CPU per fire (the lifecycles beside included)\n",
			st.name, perLC(st.c1[0]-st.c0[0], st.n), perLC(st.c1[1]-st.c0[1], st.n))
	}
	if warnDone != nil {
		fmt.Println("fire: warnings still unrecorded when the breaches fell due:", warnDone)
	}
	fmt.Printf("fire delay p99 %s with %d parked (target <= 1 s: %s)\n", ms(all.p99), o.fire, verdict(met))
	return countErr
}

// fireOutcome judges a fire run of n requests: a warning that fires when its
// breach is due as well is not sent (the engine never warns of what is
// already breached, so it was over 2 min late) and counts as skipped; the
// goal is met when none was skipped and the p99 is within a second; every
// breach must be recorded, and no more warnings than requests.
func fireOutcome(n, warnings, breaches int, p99 time.Duration) (skipped int, met bool, err error) {
	skipped = n - warnings
	if skipped < 0 || breaches != n {
		err = fmt.Errorf("fire: %d warnings and %d breaches recorded, want %d breaches and at most %d warnings", warnings, breaches, n, n)
	}
	return skipped, err == nil && skipped == 0 && p99 <= time.Second, err
}

// fireCount counts the fire requests' events of a kind.
func fireCount(kind string) string {
	return "SELECT count(*) FROM request_events WHERE request_id LIKE 'fire-%' AND kind = '" + kind + "'"
}

// fireDelays reads each fire request's warning and breach delay.
func fireDelays(ctx context.Context, e *benchEnv) (warn, breach []time.Duration, err error) {
	rows, err := e.DB.Query(ctx, `
SELECT ev.kind, extract(epoch FROM ev.recorded_at - CASE ev.kind
         WHEN 'deadline.warning' THEN d.started_at + (d.due_at - d.started_at) * $1::float8
         ELSE d.due_at END)::float8
FROM request_events ev
JOIN sla_deadlines d ON d.request_id = ev.request_id AND d.name = 'response' AND d.instance = 1
WHERE ev.request_id LIKE 'fire-%' AND ev.kind IN ('deadline.warning', 'deadline.breach')
  AND ev.payload->>'deadline' = 'response'`, fireWarnAt)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var sec float64
		if err := rows.Scan(&kind, &sec); err != nil {
			return nil, nil, err
		}
		d := time.Duration(sec * float64(time.Second))
		if kind == "deadline.warning" {
			warn = append(warn, d)
		} else {
			breach = append(breach, d)
		}
	}
	return warn, breach, rows.Err()
}

// loadResult is the outcome of a fixed-rate load.
type loadResult struct {
	n, failures int
	firstErr    error
	elapsed     time.Duration
	lat         latency
}

// rateLoad starts happy-path lifecycles at rate a second (waiting when cap
// are running) until end, and reports once all have finished.
func rateLoad(ctx context.Context, req *requests.Requests, rate, cap int, end time.Time) <-chan loadResult {
	out := make(chan loadResult, 1)
	go func() {
		if rate <= 0 { // -fire-rate 0: the fires alone
			out <- loadResult{}
			return
		}
		var mu sync.Mutex
		var wg sync.WaitGroup
		var res loadResult
		var updates []time.Duration
		sem := make(chan struct{}, cap)
		f := happyPath(req, "fireload")
		tick := time.NewTicker(time.Second / time.Duration(rate))
		defer tick.Stop()
		t0 := time.Now()
		for i := 0; time.Now().Before(end) && ctx.Err() == nil; i++ {
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				lat, err := f(ctx, i, &timings{})
				mu.Lock()
				defer mu.Unlock()
				res.n++
				updates = append(updates, lat...)
				if err != nil {
					res.failures++
					if res.firstErr == nil {
						res.firstErr = err
					}
				}
			}()
			<-tick.C
		}
		wg.Wait()
		res.elapsed = time.Since(t0)
		res.lat = latencies(updates)
		out <- res
	}()
	return out
}

// waitCount polls query until it counts want rows, for at most limit.
func waitCount(ctx context.Context, e *benchEnv, query string, want int, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		var n int
		if err := e.DB.QueryRow(ctx, query).Scan(&n); err != nil {
			return err
		}
		if n >= want {
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("%d of %d after %s", n, want, limit.Round(time.Second))
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func sleepUntil(ctx context.Context, t time.Time) {
	select {
	case <-ctx.Done():
	case <-time.After(time.Until(t)):
	}
}
