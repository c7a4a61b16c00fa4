package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/svcflow/svcflow/internal/proc"
)

// workerStop is how long a worker gets after SIGTERM (it lets in-flight
// activities finish for 10s).
const workerStop = 15 * time.Second

// worker is one running svcflow worker.
type worker struct {
	n       int
	proc    *proc.Proc
	metrics string // base URL of /metrics and /healthz
}

// startWorker runs bin/worker against the cluster with its own metrics
// port and waits for its /healthz. The caller's SVCFLOW_* settings apply
// as they do for make run; the address, UI URL and metrics port are the
// cluster's.
func startWorker(ctx context.Context, n int, f flags, hostPort, uiURL string) (*worker, error) {
	port, err := proc.FreePort()
	if err != nil {
		return nil, err
	}
	listen := "127.0.0.1:" + strconv.Itoa(port)
	env := append(os.Environ(),
		"SVCFLOW_TEMPORAL_ADDRESS="+hostPort,
		"SVCFLOW_TEMPORAL_UI_URL="+uiURL,
		"SVCFLOW_WORKER_METRICS_LISTEN="+listen,
	)
	var args []string
	if f.config != "" {
		args = append(args, "--config", f.config)
	}
	logPath := filepath.Join(f.dir, "logs", fmt.Sprintf("svcflow-worker-%d.log", n))
	p, err := proc.Start(fmt.Sprintf("svcflow worker %d", n), filepath.Join(f.bin, "worker"), args, env, logPath)
	if err != nil {
		return nil, err
	}
	w := &worker{n: n, proc: p, metrics: "http://" + listen}
	limit := 2 * time.Minute
	if d, ok := ctx.Deadline(); ok {
		limit = min(limit, time.Until(d))
	}
	if err := p.WaitHTTP(w.metrics+"/healthz", limit); err != nil {
		p.Kill()
		return nil, err
	}
	return w, nil
}

// stopWorkers stops the workers together (SIGTERM, then SIGKILL).
func stopWorkers(workers []*worker, out io.Writer) {
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Go(func() {
			if !w.proc.Stop(workerStop) {
				fmt.Fprintf(out, "==> svcflow worker %d did not stop within %s: killed\n", w.n, workerStop)
			}
		})
	}
	wg.Wait()
}
