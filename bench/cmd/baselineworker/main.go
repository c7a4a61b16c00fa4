// Command baselineworker runs the benchmark's baseline workflow with the
// worker tuning of a svcflow config file (same SVCFLOW_* overrides as the
// real worker), so both sides of the comparison run as separate processes.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"

	"github.com/svcflow/svcflow/bench/baseline"
	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/tuning"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "baselineworker:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := config.Load("", nil)
	if err != nil {
		return err
	}
	c, err := client.Dial(client.Options{HostPort: cfg.Temporal.Address, Namespace: cfg.Temporal.Namespace, Logger: tlog.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))})
	if err != nil {
		return err
	}
	defer c.Close()
	tuning.CacheSize(cfg.Worker)
	w := worker.New(c, cfg.Temporal.TaskQueue, tuning.Options(cfg.Worker, 0, nil))
	baseline.Register(w)
	if err := w.Start(); err != nil {
		return err
	}
	defer w.Stop()
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	srv := &http.Server{Addr: cfg.Worker.MetricsListen, Handler: mux}
	go func() { _ = srv.ListenAndServe() }()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return srv.Close()
}
