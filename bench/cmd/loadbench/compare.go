package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/svcflow/svcflow/bench/baseline"
	"github.com/svcflow/svcflow/internal/teststack"
	"github.com/svcflow/svcflow/workflows"
)

// side is the measurement of one worker.
type side struct {
	name        string
	ph          phase
	lat         latency
	events      float64
	transitions float64
	rss, peak   int64
	rows        map[string]int64
	rowsTotal   int64
	metrics     string        // worker SDK latencies (svcflow side; includes warm-up)
	serverCPU   time.Duration // server CPU time during the measured phase (all its processes)
	workerCPU   time.Duration // worker CPU time during the measured phase
}

func compare(ctx context.Context, e *benchEnv, o options) error {
	var svc, base *side
	if !o.skipSvcflow {
		s, err := runSvcflow(ctx, e, o)
		if err != nil {
			return err
		}
		svc = s
		report(s, o)
	}
	if !o.skipBaseline {
		b, err := runBaseline(ctx, e, o, baseline.WorkflowType)
		if err != nil {
			return err
		}
		base = b
		report(b, o)
	}
	if o.baselineSA {
		b, err := runBaseline(ctx, e, o, baseline.WorkflowTypeSA)
		if err != nil {
			return err
		}
		report(b, o)
		if svc != nil {
			fmt.Printf("\nlifecycles/s svcflow / (baseline + upserts) %.2f\n", svc.ph.perSecond/b.ph.perSecond)
		}
	}
	if svc != nil && base != nil {
		summary(svc, base, o)
	}
	if (svc != nil && svc.ph.failures > 0) || (base != nil && base.ph.failures > 0) {
		return fmt.Errorf("some lifecycles failed (see above)")
	}
	return nil
}

// summary prints the comparison against issue 16's goals, the ratio last.
func summary(svc, base *side, o options) {
	fmt.Println()
	fmt.Printf("== summary (%s server, profile %s, N=%d, C=%d, load average now %s)\n", o.server, o.profile.name, o.n, o.c, loadAvg())
	fmt.Printf("update p50     svcflow %s  baseline %s  (target svcflow <= 2x baseline: %s)\n", ms(svc.lat.p50), ms(base.lat.p50), verdict(svc.lat.p50 <= 2*base.lat.p50))
	fmt.Printf("update p99     svcflow %s  baseline %s  (target svcflow <= 1 s and <= baseline: %s)\n", ms(svc.lat.p99), ms(base.lat.p99), verdict(svc.lat.p99 <= time.Second && svc.lat.p99 <= base.lat.p99))
	fmt.Printf("history events/lifecycle  svcflow %.1f  baseline %.1f  (target svcflow <= 70: %s)\n", svc.events, base.events, verdict(svc.events <= 70))
	fmt.Printf("state transitions/lifecycle  svcflow %.1f  baseline %.1f\n", svc.transitions, base.transitions)
	fmt.Printf("CPU ms/lifecycle (server + worker)  svcflow %.1f + %.1f  baseline %.1f + %.1f\n",
		perLC(svc.serverCPU, o.n), perLC(svc.workerCPU, o.n), perLC(base.serverCPU, o.n), perLC(base.workerCPU, o.n))
	fmt.Printf("worker RSS (after / peak)  svcflow %s / %s  baseline %s / %s\n", mb(svc.rss), mb(svc.peak), mb(base.rss), mb(base.peak))
	ratio := svc.ph.perSecond / base.ph.perSecond
	fmt.Printf("lifecycles/s   svcflow %.2f  baseline %.2f  ratio %.2f  (target >= 1.30: %s)\n", svc.ph.perSecond, base.ph.perSecond, ratio, verdict(ratio >= 1.3))
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func report(s *side, o options) {
	fmt.Println()
	fmt.Printf("== %s: %d lifecycles at concurrency %d\n", s.name, s.ph.n, s.ph.c)
	fmt.Printf("elapsed %s, %.2f lifecycles/s, %d failed", s.ph.elapsed.Round(time.Millisecond), s.ph.perSecond, s.ph.failures)
	if s.ph.firstErr != nil {
		fmt.Printf(" (first: %v)", s.ph.firstErr)
	}
	fmt.Println()
	fmt.Printf("update latency p50 %s, p99 %s, max %s over %d updates\n", ms(s.lat.p50), ms(s.lat.p99), ms(s.lat.max), len(s.ph.updates))
	st, wt := latencies(s.ph.tm.starts), latencies(s.ph.tm.waits)
	fmt.Printf("start latency p50 %s p99 %s; wait for the result after the last update p50 %s p99 %s\n", ms(st.p50), ms(st.p99), ms(wt.p50), ms(wt.p99))
	fmt.Printf("history events per lifecycle %.1f, state transitions per lifecycle %.1f\n", s.events, s.transitions)
	fmt.Printf("worker RSS after %s, peak %s\n", mb(s.rss), mb(s.peak))
	fmt.Printf("CPU per lifecycle: server %.1f ms, worker %.1f ms (phase total %s / %s)\n",
		float64(s.serverCPU.Microseconds())/1000/float64(s.ph.n), float64(s.workerCPU.Microseconds())/1000/float64(s.ph.n), s.serverCPU.Round(time.Millisecond), s.workerCPU.Round(time.Millisecond))
	if s.metrics != "" {
		fmt.Printf("worker SDK latencies (incl. warm-up):\n%s", s.metrics)
	}
	if s.rows != nil {
		var parts []string
		for _, t := range tables {
			parts = append(parts, fmt.Sprintf("%s %.2f", t, float64(s.rows[t])/float64(o.n)))
		}
		fmt.Printf("PostgreSQL rows per lifecycle %.2f (%s)\n", float64(s.rowsTotal)/float64(o.n), strings.Join(parts, ", "))
	}
}

func runSvcflow(ctx context.Context, e *benchEnv, o options) (*side, error) {
	w, req, err := e.svcflowWorker(ctx, "bench-svcflow")
	if err != nil {
		return nil, err
	}
	defer stopWorker(w)
	if o.warmup > 0 {
		fmt.Printf("svcflow: warm-up, %d lifecycles ...\n", o.warmup)
		if p := drive(ctx, o.warmup, min(o.c, o.warmup), happyPath(req, "warm")); p.failures > 0 {
			return nil, fmt.Errorf("svcflow warm-up: %d failed, first: %v", p.failures, p.firstErr)
		}
	}
	before, beforeTotal, err := rowCounts(ctx, e.DB)
	if err != nil {
		return nil, err
	}
	fmt.Printf("svcflow: %d lifecycles at concurrency %d ...\n", o.n, o.c)
	stop := make(chan struct{})
	peak := peakRSS(w.Proc(), stop)
	srv0, wk0 := e.serverCPU(), w.Proc().CPU()
	ph := drive(ctx, o.n, o.c, happyPath(req, "run"))
	srvCPU, wkCPU := e.serverCPU()-srv0, w.Proc().CPU()-wk0
	close(stop)
	s := &side{name: "svcflow ServiceRequest", ph: ph, lat: latencies(ph.updates), peak: <-peak, rss: rssOf(w.Proc()), serverCPU: srvCPU, workerCPU: wkCPU}
	if m, err := workerLatencies(w.Metrics()); err == nil {
		s.metrics = m
	} else {
		s.metrics = "  (metrics: " + err.Error() + ")\n"
	}
	ids := make([]string, o.n)
	for i := range ids {
		ids[i] = workflows.WorkflowID(fmt.Sprintf("run-%05d", i))
	}
	if s.events, s.transitions, err = historyStats(ctx, e.Client, ids); err != nil {
		return nil, fmt.Errorf("describe: %w", err)
	}
	// Notifications are sent by regular activities after the update
	// answered; count rows once they have settled.
	after, total, err := settledRows(ctx, e)
	if err != nil {
		return nil, err
	}
	s.rows = map[string]int64{}
	for k, v := range after {
		s.rows[k] = v - before[k]
	}
	s.rowsTotal = total - beforeTotal
	return s, nil
}

// settledRows counts rows until two counts a second apart agree.
func settledRows(ctx context.Context, e *benchEnv) (map[string]int64, int64, error) {
	_, last, err := rowCounts(ctx, e.DB)
	if err != nil {
		return nil, 0, err
	}
	for i := 0; i < 30; i++ {
		time.Sleep(time.Second)
		rows, total, err := rowCounts(ctx, e.DB)
		if err != nil {
			return nil, 0, err
		}
		if total == last {
			return rows, total, nil
		}
		last = total
	}
	return rowCounts(ctx, e.DB)
}

func runBaseline(ctx context.Context, e *benchEnv, o options, wfType string) (*side, error) {
	queue := "bench-" + strings.ToLower(wfType)
	w, err := e.worker(ctx, "baselineworker", queue, 60*time.Second)
	if err != nil {
		return nil, err
	}
	defer stopWorker(w)
	if o.warmup > 0 {
		fmt.Printf("baseline: warm-up, %d lifecycles ...\n", o.warmup)
		if p := drive(ctx, o.warmup, min(o.c, o.warmup), baselineLifecycle(e.Client, queue, wfType, "bwarm"+wfType)); p.failures > 0 {
			return nil, fmt.Errorf("baseline warm-up: %d failed, first: %v", p.failures, p.firstErr)
		}
	}
	fmt.Printf("baseline: %d lifecycles at concurrency %d ...\n", o.n, o.c)
	stop := make(chan struct{})
	peak := peakRSS(w.Proc(), stop)
	srv0, wk0 := e.serverCPU(), w.Proc().CPU()
	ph := drive(ctx, o.n, o.c, baselineLifecycle(e.Client, queue, wfType, "brun"+wfType))
	srvCPU, wkCPU := e.serverCPU()-srv0, w.Proc().CPU()-wk0
	close(stop)
	name := "baseline (8 activities, 7 updates)"
	if wfType == baseline.WorkflowTypeSA {
		name = "baseline + a search attribute upsert per update"
	}
	s := &side{name: name, ph: ph, lat: latencies(ph.updates), peak: <-peak, rss: rssOf(w.Proc()), serverCPU: srvCPU, workerCPU: wkCPU}
	ids := make([]string, o.n)
	for i := range ids {
		ids[i] = fmt.Sprintf("brun%s-%05d", wfType, i)
	}
	if s.events, s.transitions, err = historyStats(ctx, e.Client, ids); err != nil {
		return nil, fmt.Errorf("describe: %w", err)
	}
	return s, nil
}

// stopWorker stops a measured worker, saying so when it had to be killed.
func stopWorker(w *teststack.Worker) {
	if err := w.Stop(); err != nil {
		fmt.Println("loadbench:", err)
	}
}

func perLC(d time.Duration, n int) float64 { return float64(d.Microseconds()) / 1000 / float64(n) }
