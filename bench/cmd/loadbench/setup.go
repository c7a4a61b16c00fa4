package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/svcflow/svcflow/internal/testenv"
	"github.com/svcflow/svcflow/internal/teststack"
	"github.com/svcflow/svcflow/workflows/requests"
)

func runtimeNumCPU() int { return runtime.NumCPU() }

// clusterConns is the real server's pool per service and database under
// load (make cluster's size; tests use 2).
const clusterConns = 4

// benchEnv is one run's server, database and built programs: a teststack
// with the two workers it measures built beside the stack's logs.
type benchEnv struct {
	*teststack.Stack
	srv testenv.Server
	dir string
	o   options
}

func setup(ctx context.Context, o options) (_ *benchEnv, err error) {
	e := &benchEnv{o: o, dir: o.workDir}
	defer func() {
		if err != nil {
			err = errors.Join(err, e.close())
		}
	}()
	if e.dir == "" {
		if e.dir, err = os.MkdirTemp("", "svcflow-bench-"); err != nil {
			return nil, err
		}
	} else if err := os.MkdirAll(e.dir, 0o755); err != nil {
		return nil, err
	}
	fmt.Println("loadbench: building worker and baselineworker ...")
	if err := teststack.Build(ctx, e.dir, "./worker", "./bench/cmd/baselineworker"); err != nil {
		return nil, err
	}
	fmt.Printf("loadbench: starting the %s server ...\n", o.server)
	if e.srv, err = testenv.StartServer(ctx, o.server, testenv.ServerOptions{Dir: filepath.Join(e.dir, "server"), MaxConns: clusterConns}); err != nil {
		return nil, err
	}
	e.Stack, err = teststack.Start(ctx, teststack.Options{Server: e.srv, Bin: e.dir, Dir: e.dir, Config: o.config, Env: o.env, Prefix: "bench"})
	return e, err
}

// worker starts svcflow's worker (or the baseline worker) on queue.
func (e *benchEnv) worker(ctx context.Context, bin, queue string, limit time.Duration) (*teststack.Worker, error) {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	return e.StartWorker(ctx, teststack.WorkerSpec{Bin: filepath.Join(e.dir, bin), Queue: queue, Name: bin + "-" + queue})
}

// svcflowWorker starts svcflow's worker on queue and a client of requests
// on it.
func (e *benchEnv) svcflowWorker(ctx context.Context, queue string) (*teststack.Worker, *requests.Requests, error) {
	w, err := e.worker(ctx, "worker", queue, 90*time.Second)
	if err != nil {
		return nil, nil, err
	}
	return w, &requests.Requests{Client: e.Client, Namespace: e.Namespace, TaskQueue: queue}, nil
}

// serverCPU is the server's CPU time so far (all its processes).
func (e *benchEnv) serverCPU() time.Duration {
	cpu, _ := e.srv.Usage()
	return cpu
}

func (e *benchEnv) close() error {
	var errs []error
	if e.Stack != nil {
		errs = append(errs, e.Stack.Close())
	}
	if e.srv != nil {
		errs = append(errs, e.srv.Stop())
	}
	if e.dir != "" && !e.o.keep && e.o.workDir == "" {
		errs = append(errs, os.RemoveAll(e.dir))
	} else if e.dir != "" {
		fmt.Println("loadbench: logs kept in", e.dir)
	}
	return errors.Join(errs...)
}
