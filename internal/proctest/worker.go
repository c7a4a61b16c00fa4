package proctest

import (
	"fmt"
	"strconv"
	"time"
)

// Worker describes how to run svcflow's worker binary (or any program that
// takes the same SVCFLOW_* environment and serves /healthz).
type Worker struct {
	Bin       string   // path of the built worker
	Config    string   // config file (SVCFLOW_CONFIG)
	HostPort  string   // Temporal frontend
	TaskQueue string   // task queue
	DSN       string   // PostgreSQL
	Env       []string // extra SVCFLOW_* overrides
	Args      []string
	LogPath   string
}

// Environ is the full environment of the worker (caller's SVCFLOW_* dropped)
// with metrics/healthz on metricsAddr.
func (w Worker) Environ(metricsAddr string) []string {
	env := append(CleanEnv(),
		"SVCFLOW_CONFIG="+w.Config,
		"SVCFLOW_TEMPORAL_ADDRESS="+w.HostPort,
		"SVCFLOW_TEMPORAL_TASK_QUEUE="+w.TaskQueue,
		"SVCFLOW_POSTGRES_DSN="+w.DSN,
		"SVCFLOW_WORKER_METRICS_LISTEN="+metricsAddr,
	)
	return append(env, w.Env...)
}

// Start runs the worker on a fresh metrics port and waits for /healthz.
// It returns the process and the base URL of its metrics server.
func (w Worker) Start(limit time.Duration) (*Proc, string, error) {
	port, err := FreePort()
	if err != nil {
		return nil, "", err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	p, err := Start("worker", w.Bin, w.Args, w.Environ(addr), w.LogPath)
	if err != nil {
		return nil, "", err
	}
	base := "http://" + addr
	if err := p.WaitHTTP(base+"/healthz", limit); err != nil {
		p.Kill()
		return nil, "", fmt.Errorf("worker: %w", err)
	}
	return p, base, nil
}
