// Command svcflow-cluster runs the production shape on this machine (make
// cluster): the real Temporal server's four services on PostgreSQL (the
// persistent databases temporal and temporal_visibility, reused on the
// next run), the Temporal UI and svcflow workers, until SIGINT or SIGTERM;
// then it stops everything it started and exits 0.
//
//	svcflow-cluster [--config FILE] [--dir DIR] [--bin DIR] [--workers N]
//	                [--frontend-port P] [--ui-port P] [--pg-admin-dsn DSN] [--max-conns N]
//
// The admin DSN may come from $CLUSTER_PG_ADMIN_DSN (kept off the command line).
//
// Exit status 1 with a one-line reason when a step fails or a process
// dies; 2 on a usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/cluster"
)

type flags struct {
	config, dir, bin, adminDSN, logLevel string
	workers, frontendPort, uiPort        int
	maxConns                             int
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	var f flags
	fs := flag.NewFlagSet("svcflow-cluster", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.config, "config", "", "svcflow config file for the workers and postgres.dsn (default $SVCFLOW_CONFIG, else config/svcflow.yaml)")
	fs.StringVar(&f.dir, "dir", ".data/cluster", "directory for the server's config and every log")
	fs.StringVar(&f.bin, "bin", "bin", "directory of temporal-server, temporal-sql-tool, temporal-ui-server and worker")
	fs.IntVar(&f.workers, "workers", 2, "number of svcflow workers")
	fs.IntVar(&f.frontendPort, "frontend-port", 0, "frontend gRPC port, below 32768 (0: a free one)")
	fs.IntVar(&f.uiPort, "ui-port", 0, "Temporal UI port (0: a free one)")
	fs.StringVar(&f.adminDSN, "pg-admin-dsn", os.Getenv("CLUSTER_PG_ADMIN_DSN"), "PostgreSQL DSN allowed to create databases (default $CLUSTER_PG_ADMIN_DSN, else postgres.dsn with database postgres)")
	fs.IntVar(&f.maxConns, "max-conns", 4, "connection pool size of each server service per database")
	fs.StringVar(&f.logLevel, "log-level", "warn", "server log level: debug, info, warn, error")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "svcflow-cluster: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if f.workers < 0 {
		fmt.Fprintf(stderr, "svcflow-cluster: --workers %d: want 0 or more\n", f.workers)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, f, stdout); err != nil {
		fmt.Fprintf(stderr, "svcflow-cluster: %s\n", strings.ReplaceAll(err.Error(), "\n", "; "))
		return 1
	}
	return 0
}

func say(w io.Writer, format string, a ...any) { fmt.Fprintf(w, "==> "+format+"\n", a...) }

// serve starts the cluster, the UI and the workers, waits for a signal (or
// a process dying) and stops them all.
func serve(ctx context.Context, f flags, out io.Writer) (err error) {
	cfg, err := config.Load(f.config, nil)
	if err != nil {
		return err
	}
	adminDSN := f.adminDSN
	if adminDSN == "" {
		if adminDSN, err = withDatabase(cfg.Postgres.DSN, "postgres"); err != nil {
			return fmt.Errorf("postgres.dsn: %w", err)
		}
	}
	began := time.Now()
	say(out, "starting the Temporal server (frontend, history, matching, worker) on PostgreSQL, databases temporal and temporal_visibility; logs in %s", filepath.Join(f.dir, "logs"))
	c, err := cluster.Start(ctx, cluster.Options{
		AdminDSN:  adminDSN,
		Dir:       f.dir,
		Binaries:  cluster.BinariesIn(f.bin),
		Databases: cluster.Databases{Main: "temporal", Visibility: "temporal_visibility"},
		Ports:     cluster.Ports{Frontend: cluster.ServicePorts{GRPC: f.frontendPort}},
		MaxConns:  f.maxConns,
		Namespace: cfg.Temporal.Namespace,
		LogLevel:  f.logLevel,
	})
	if err != nil {
		return stopped(ctx, err)
	}
	var workers []*worker
	defer func() {
		stopWorkers(workers, out)
		say(out, "stopping the Temporal server and UI")
		err = errors.Join(err, c.Stop())
		if err == nil {
			say(out, "stopped everything this command started")
		}
	}()
	uiURL, err := c.StartUI(ctx, f.uiPort)
	if err != nil {
		return stopped(ctx, err)
	}
	for i := 1; i <= f.workers && ctx.Err() == nil; i++ {
		w, err := startWorker(ctx, i, f, c.HostPort(), uiURL)
		if err != nil {
			return stopped(ctx, err)
		}
		workers = append(workers, w)
		say(out, "svcflow worker %d: pid %d, metrics %s/metrics, log %s", i, w.proc.Pid(), w.metrics, w.proc.Log)
	}
	if ctx.Err() != nil {
		return nil
	}
	say(out, "frontend: %s", c.HostPort())
	say(out, "Temporal UI: %s/namespaces/%s/workflows", uiURL, c.Namespace())
	say(out, "for starter and svcctl: export SVCFLOW_TEMPORAL_ADDRESS=%s SVCFLOW_TEMPORAL_UI_URL=%s", c.HostPort(), uiURL)
	say(out, "up in %s; Ctrl-C stops everything", time.Since(began).Round(100*time.Millisecond))
	return watch(ctx, c, workers)
}

// stopped turns an error caused by a stop signal into a clean exit.
func stopped(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// watch blocks until ctx ends (nil) or a process dies (its error).
func watch(ctx context.Context, c *cluster.Cluster, workers []*worker) error {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		if err := c.Exited(); err != nil {
			return err
		}
		for _, w := range workers {
			if w.proc.Exited() {
				return fmt.Errorf("svcflow worker %d exited: %v (see %s)", w.n, w.proc.Wait(), w.proc.Log)
			}
		}
	}
}

// withDatabase is dsn (URL or keyword/value) naming database db instead.
func withDatabase(dsn, db string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", errors.New("not a valid URL") // url's error would repeat the password
		}
		u.Path = "/" + db
		return u.String(), nil
	}
	return dsn + " dbname=" + db, nil // the last dbname wins
}
