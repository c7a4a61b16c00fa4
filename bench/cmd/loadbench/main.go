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
	"time"

	"github.com/svcflow/svcflow/internal/testenv"
)

type options struct {
	n, c, park, warmup int
	fire, fireRate     int
	fireLead           time.Duration
	growth             []int
	config             string
	profile            profile
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
	prof := flag.String("profile", "shipped", "config both workers run with: shipped (config/svcflow.yaml, webhook parties) or tuned (bench/bench.yaml, log parties)")
	flag.IntVar(&o.fire, "fire", 0, "timer precision: park this many requests whose warnings and breaches fall in 60 s windows while lifecycles run, and report how late each was recorded (0 = off)")
	flag.IntVar(&o.fireRate, "fire-rate", 20, "lifecycles per second during the -fire windows (0: none, the fires alone)")
	flag.DurationVar(&o.fireLead, "fire-lead", 0, "time from the start of -fire to its first warning (0 = a minute plus N/60 s)")
	growthFlag := flag.String("growth", "", "growth: park requests up to each of these counts (e.g. 1000,10000,50000) and run -n lifecycles at each")
	flag.StringVar(&o.config, "config", "", "svcflow config file both workers run with, instead of the profile's (its SVCFLOW_* settings still apply)")
	flag.StringVar(&o.workDir, "workdir", "", "directory for binaries and logs (default: a temporary one, removed unless --keep)")
	flag.BoolVar(&o.keep, "keep", false, "keep the work directory (logs) after the run")
	flag.BoolVar(&o.skipBaseline, "skip-baseline", false, "run only the svcflow side")
	flag.BoolVar(&o.skipSvcflow, "skip-svcflow", false, "run only the baseline side")
	flag.BoolVar(&o.baselineSA, "baseline-sa", false, "also run the baseline with one search attribute upsert per update (what keeping CONTRACT §7 attributes current costs)")
	server := flag.String("server", "dev", "Temporal server: dev (temporal server start-dev, in memory) or cluster (the real server on PostgreSQL, make cluster-bins)")
	flag.Var(&o.env, "set", "extra SVCFLOW_KEY=value for both workers (repeatable), e.g. --set SVCFLOW_WORKER_CACHE_SIZE=500")
	flag.Parse()
	o.server = testenv.Kind(*server)
	p, err := profileNamed(*prof)
	if err == nil {
		o.growth, err = levels(*growthFlag)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadbench:", err)
		os.Exit(2)
	}
	o.profile = p
	if o.config == "" {
		o.config = p.config
	}
	o.env = append(append(multiFlag{}, p.env...), o.env...)
	if o.fire > 0 {
		o.env = append(append(multiFlag{}, fireEnv...), o.env...)
	}
	if len(o.growth) > 0 {
		o.env = append(append(multiFlag{}, growthEnv...), o.env...)
	}
	if flag.NArg() > 0 || o.n <= 0 || o.c <= 0 || o.park < 0 || o.fire < 0 || o.fireRate < 0 || modes(o) > 1 || o.warmup < 0 || (o.server != testenv.Dev && o.server != testenv.Cluster) {
		fmt.Fprintln(os.Stderr, "loadbench: bad arguments (want -n>0 -c>0 -park>=0 -fire>=0 -fire-rate>=0, at most one of -park, -fire, -growth, -warmup>=0 -server dev|cluster, no positional arguments)")
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
	fmt.Printf("profile %s: %s; config %s\n", o.profile.name, o.profile.what, o.config)
	fmt.Printf("machine: %d CPUs, load average at start %s\n", numCPU(), loadAvg())
	if o.park > 0 {
		return park(ctx, env, o)
	}
	if o.fire > 0 {
		return fire(ctx, env, o)
	}
	if len(o.growth) > 0 {
		return growth(ctx, env, o)
	}
	return compare(ctx, env, o)
}

// modes counts the modes asked for besides the lifecycle comparison.
func modes(o options) int {
	n := 0
	for _, on := range []bool{o.park > 0, o.fire > 0, len(o.growth) > 0} {
		if on {
			n++
		}
	}
	return n
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
