// Command loadbench is svcflow's load driver (make bench): against one
// Temporal server (-server dev: the in-memory dev server; -server cluster:
// the real server's four services on PostgreSQL) and a fresh PostgreSQL
// database it drives N
// happy-path ServiceRequest lifecycles through the real worker binary, then
// the same number of baseline lifecycles (8 activities, 7 updates) through a
// baseline worker with the same tuning, and prints throughput, update
// latency, history size, state transitions, worker RSS and rows per
// lifecycle. With --park N it instead starts N requests that wait on their
// timers and reports the start time and the worker's RSS.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/svcflow/svcflow/internal/testenv"
)

type options struct {
	n, c, park, warmup int
	config             string
	workDir            string
	keep               bool
	skipBaseline       bool
	skipSvcflow        bool
	baselineSA         bool
	env                multiFlag
	server             testenv.Kind
}

type multiFlag []string

func (m *multiFlag) String() string     { return fmt.Sprint(*m) }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func main() {
	var o options
	flag.IntVar(&o.n, "n", 500, "lifecycles per side")
	flag.IntVar(&o.c, "c", 50, "concurrent lifecycles")
	flag.IntVar(&o.warmup, "warmup", 50, "untimed lifecycles per side before measuring")
	flag.IntVar(&o.park, "park", 0, "park mode: start this many requests that wait on their timers and report RSS (0 = lifecycle benchmark)")
	flag.StringVar(&o.config, "config", "bench/bench.yaml", "svcflow config both workers run with (policy and worker: tuning)")
	flag.StringVar(&o.workDir, "workdir", "", "directory for binaries and logs (default: a temporary one, removed unless --keep)")
	flag.BoolVar(&o.keep, "keep", false, "keep the work directory (logs) after the run")
	flag.BoolVar(&o.skipBaseline, "skip-baseline", false, "run only the svcflow side")
	flag.BoolVar(&o.skipSvcflow, "skip-svcflow", false, "run only the baseline side")
	flag.BoolVar(&o.baselineSA, "baseline-sa", false, "also run the baseline with one search attribute upsert per update (what keeping CONTRACT §7 attributes current costs)")
	server := flag.String("server", "dev", "Temporal server: dev (temporal server start-dev, in memory) or cluster (the real server on PostgreSQL, make cluster-bins)")
	flag.Var(&o.env, "set", "extra SVCFLOW_KEY=value for both workers (repeatable), e.g. --set SVCFLOW_WORKER_CACHE_SIZE=500")
	flag.Parse()
	o.server = testenv.Kind(*server)
	if flag.NArg() > 0 || o.n <= 0 || o.c <= 0 || o.park < 0 || o.warmup < 0 || (o.server != testenv.Dev && o.server != testenv.Cluster) {
		fmt.Fprintln(os.Stderr, "loadbench: bad arguments (want -n>0 -c>0 -park>=0 -warmup>=0 -server dev|cluster, no positional arguments)")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	if !filepath.IsAbs(o.config) {
		abs, err := filepath.Abs(o.config)
		if err != nil {
			return err
		}
		o.config = abs
	}
	if _, err := os.Stat(o.config); err != nil {
		return fmt.Errorf("--config: %w", err)
	}
	env, err := setup(ctx, o)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := env.close(); cerr != nil {
			fmt.Fprintln(os.Stderr, "loadbench:", cerr)
		}
	}()
	fmt.Printf("loadbench: %s server %s, database %s, work dir %s\n", o.server, env.HostPort, env.DSN, env.dir)
	fmt.Printf("machine: %d CPUs, load average at start %s\n", numCPU(), loadAvg())
	if o.park > 0 {
		return park(ctx, env, o)
	}
	return compare(ctx, env, o)
}

func numCPU() int { return runtimeNumCPU() }

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := string(b)
	if len(f) > 14 {
		f = f[:14]
	}
	return f
}
