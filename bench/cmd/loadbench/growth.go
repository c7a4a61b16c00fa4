package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/svcflow/svcflow/internal/teststack"
)

// growthEnv keeps the parked requests' response deadline beyond a growth
// run (the shipped 30 min would start firing warnings at 24 min).
var growthEnv = []string{"SVCFLOW_SLA_DEADLINES_RESPONSE_NORMAL=24h"}

// growth (-growth 1000,10000,50000) parks requests up to each level in
// turn on one worker and, at each, runs -n happy-path lifecycles at -c
// beside them: how lifecycles/s, update latency, worker RSS and the
// server's RSS and CPU grow with the number of open requests.
func growth(ctx context.Context, e *benchEnv, o options) error {
	wk, req, err := e.svcflowWorker(ctx, "bench-growth")
	if err != nil {
		return err
	}
	defer stopWorker(wk)
	w := wk.Proc()
	type row struct {
		parked               int
		startRate, perSecond float64
		lat                  latency
		rss, peak, srvRSS    int64
		srvCPU, wkCPU        float64 // ms per lifecycle
	}
	var rows []row
	parked := 0
	for _, level := range o.growth {
		add := level - parked
		t0 := time.Now()
		base := parked
		ph := drive(ctx, add, o.c, func(ctx context.Context, i int, _ *timings) ([]time.Duration, error) {
			_, err := req.Start(ctx, teststack.Request(fmt.Sprintf("grow-%06d", base+i)))
			return nil, err
		})
		if ph.failures > 0 {
			return fmt.Errorf("growth: %d of %d starts failed, first: %v", ph.failures, add, ph.firstErr)
		}
		if err := waitCount(ctx, e, "SELECT count(*) FROM service_requests WHERE request_id LIKE 'grow-%'", level, 30*time.Minute); err != nil {
			return fmt.Errorf("growth: recording %d parked: %w", level, err)
		}
		startRate := float64(add) / time.Since(t0).Seconds()
		parked = level
		fmt.Printf("growth: %d parked (%.0f starts/s to record the last %d); %d lifecycles at concurrency %d ...\n", level, startRate, add, o.n, o.c)
		stop := make(chan struct{})
		peak := peakRSS(w, stop)
		srv0, wk0 := e.serverCPU(), w.CPU()
		lc := drive(ctx, o.n, o.c, happyPath(req, fmt.Sprintf("grow%d", level)))
		srvCPU, wkCPU := e.serverCPU()-srv0, w.CPU()-wk0
		close(stop)
		_, srvRSS := e.srv.Usage()
		if lc.failures > 0 {
			return fmt.Errorf("growth at %d parked: %d lifecycles failed, first: %v", level, lc.failures, lc.firstErr)
		}
		rows = append(rows, row{level, startRate, lc.perSecond, latencies(lc.updates), rssOf(w), <-peak, srvRSS, perLC(srvCPU, o.n), perLC(wkCPU, o.n)})
	}
	fmt.Printf("\n== growth (%s server, %d lifecycles at concurrency %d per level)\n", o.server, o.n, o.c)
	fmt.Printf("%8s %10s %12s %22s %16s %12s %22s\n", "parked", "starts/s", "lifecycles/s", "update p50 / p99", "worker RSS/peak", "server RSS", "CPU ms/lc srv + wk")
	for _, r := range rows {
		fmt.Printf("%8d %10.0f %12.2f %22s %16s %12s %22s\n", r.parked, r.startRate, r.perSecond,
			ms(r.lat.p50)+" / "+ms(r.lat.p99), fmt.Sprintf("%.0f/%.0f MB", float64(r.rss)/(1<<20), float64(r.peak)/(1<<20)),
			mb(r.srvRSS), fmt.Sprintf("%.1f + %.1f", r.srvCPU, r.wkCPU))
	}
	return nil
}

// levels parses -growth's comma-separated, increasing counts.
func levels(s string) ([]int, error) {
	if s == "" {
		return nil, nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 || (len(out) > 0 && n <= out[len(out)-1]) {
			return nil, fmt.Errorf("-growth %q: want increasing positive counts such as 1000,10000,50000", s)
		}
		out = append(out, n)
	}
	return out, nil
}
