package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"

	"github.com/svcflow/svcflow/internal/proctest"
	"github.com/svcflow/svcflow/internal/testenv"
)

func runtimeNumCPU() int { return runtime.NumCPU() }

// benchEnv is one run's dev server, database and built programs.
type benchEnv struct {
	dir     string
	keep    bool
	dev     *proctest.DevServer
	dbName  string
	dsn     string
	drop    func() error
	db      *pgxpool.Pool
	c       client.Client
	o       options
	cleanup []func()
}

func setup(ctx context.Context, o options) (*benchEnv, error) {
	e := &benchEnv{o: o, keep: o.keep}
	ok := false
	defer func() {
		if !ok {
			e.close()
		}
	}()
	e.dir = o.workDir
	if e.dir == "" {
		d, err := os.MkdirTemp("", "svcflow-bench-")
		if err != nil {
			return nil, err
		}
		e.dir = d
	} else if err := os.MkdirAll(e.dir, 0o755); err != nil {
		return nil, err
	}
	fmt.Println("loadbench: building worker and baselineworker ...")
	if err := proctest.Build(ctx, e.dir, "./worker", "./bench/cmd/baselineworker"); err != nil {
		return nil, err
	}
	dev, err := proctest.NewDevServer("", filepath.Join(e.dir, "temporal.log"))
	if err != nil {
		return nil, err
	}
	if err := dev.Start(90 * time.Second); err != nil {
		return nil, err
	}
	e.dev = dev
	dsn, drop, err := testenv.CreateDatabase(ctx)
	if err != nil {
		return nil, err
	}
	e.dsn, e.drop = dsn, drop
	e.dbName = dsn[strings.LastIndex(dsn, "/")+1:]
	if i := strings.Index(e.dbName, "?"); i >= 0 {
		e.dbName = e.dbName[:i]
	}
	e.db, err = pgxpool.New(ctx, dsn)
	if err != nil {
		return nil, err
	}
	e.c, err = client.Dial(client.Options{HostPort: dev.HostPort, Namespace: "default", Logger: proctest.QuietLogger()})
	if err != nil {
		return nil, err
	}
	ok = true
	return e, nil
}

// worker describes svcflow's worker (or the baseline worker) on queue.
func (e *benchEnv) worker(bin, queue string) proctest.Worker {
	return proctest.Worker{
		Bin: filepath.Join(e.dir, bin), Config: e.o.config, HostPort: e.dev.HostPort,
		TaskQueue: queue, DSN: e.dsn, Env: e.o.env, LogPath: filepath.Join(e.dir, bin+"-"+queue+".log"),
	}
}

func (e *benchEnv) close() {
	for i := len(e.cleanup) - 1; i >= 0; i-- {
		e.cleanup[i]()
	}
	if e.c != nil {
		e.c.Close()
	}
	if e.db != nil {
		e.db.Close()
	}
	if e.drop != nil {
		if err := e.drop(); err != nil {
			fmt.Fprintln(os.Stderr, "loadbench:", err)
		}
	}
	if e.dev != nil {
		e.dev.Stop()
	}
	if e.dir != "" && !e.keep && e.o.workDir == "" {
		_ = os.RemoveAll(e.dir)
	} else if e.dir != "" {
		fmt.Println("loadbench: logs kept in", e.dir)
	}
}
