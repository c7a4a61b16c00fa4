package teststack

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/svcflow/svcflow/internal/proc"
)

// HealthLimit bounds the wait for a program's /healthz.
const HealthLimit = 90 * time.Second

// StopLimit is how long a program gets after SIGTERM before it is killed.
const StopLimit = 15 * time.Second

// WorkerSpec says which worker to run; the zero value is svcflow's worker
// on the stack's task queue.
type WorkerSpec struct {
	Bin   string   // default: the stack's worker
	Queue string   // default: the stack's task queue
	Env   []string // more SVCFLOW_* settings, after the stack's
	Name  string   // names its log (default worker-<n>)
}

// Worker is a worker process with its own metrics port; it can be killed
// and started again.
type Worker struct {
	Spec WorkerSpec
	env  []string
	log  string
	mu   sync.Mutex
	p    *proc.Proc
	base string // http://127.0.0.1:<metrics port>
}

// StartWorker starts a worker and waits until its /healthz answers.
func (s *Stack) StartWorker(ctx context.Context, spec WorkerSpec) (*Worker, error) {
	s.mu.Lock()
	n := len(s.workers) + 1
	s.mu.Unlock()
	if spec.Bin == "" {
		spec.Bin = s.Program("worker")
	}
	if spec.Queue == "" {
		spec.Queue = s.TaskQueue
	}
	if spec.Name == "" {
		spec.Name = "worker-" + strconv.Itoa(n)
	}
	w := &Worker{Spec: spec, log: filepath.Join(s.Dir, spec.Name+".log")}
	w.env = append(append(append([]string{}, s.Env...), "SVCFLOW_TEMPORAL_TASK_QUEUE="+spec.Queue), spec.Env...)
	s.mu.Lock()
	s.workers = append(s.workers, w)
	s.logs = append(s.logs, w.log)
	s.mu.Unlock()
	return w, w.Restart(ctx)
}

// Restart starts the worker (again, after Kill or Stop) on a fresh metrics
// port and waits for /healthz.
func (w *Worker) Restart(ctx context.Context) error {
	port, err := proc.FreePort()
	if err != nil {
		return fmt.Errorf("%s: %w", w.Spec.Name, err)
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	p, err := proc.Start(w.Spec.Name, w.Spec.Bin, nil, append(w.env, "SVCFLOW_WORKER_METRICS_LISTEN="+addr), w.log)
	if err != nil {
		return err
	}
	w.mu.Lock()
	w.p, w.base = p, "http://"+addr
	w.mu.Unlock()
	limit := HealthLimit
	if d, ok := ctx.Deadline(); ok {
		limit = min(limit, time.Until(d))
	}
	if err := p.WaitHTTP(w.base+"/healthz", limit); err != nil {
		p.Kill()
		return err
	}
	return nil
}

// Proc is the current process.
func (w *Worker) Proc() *proc.Proc {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.p
}

// Metrics is the base URL of its /metrics and /healthz.
func (w *Worker) Metrics() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.base
}

// Log is its log file (appended to across restarts).
func (w *Worker) Log() string { return w.log }

// Kill kills the worker with SIGKILL.
func (w *Worker) Kill() {
	if p := w.Proc(); p != nil {
		p.Kill()
	}
}

// Stop stops the worker with SIGTERM (SIGKILL after StopLimit); the error
// says it had to be killed.
func (w *Worker) Stop() error {
	if p := w.Proc(); p != nil && !p.Stop(StopLimit) {
		return fmt.Errorf("%s did not stop within %s of SIGTERM", w.Spec.Name, StopLimit)
	}
	return nil
}
