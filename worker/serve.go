package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/metrics"
	"github.com/svcflow/svcflow/internal/notify"
	"github.com/svcflow/svcflow/internal/searchattr"
	"github.com/svcflow/svcflow/internal/store"
	"github.com/svcflow/svcflow/internal/tclient"
	"github.com/svcflow/svcflow/internal/tuning"
	"github.com/svcflow/svcflow/workflows"
)

// stopTimeout is how long in-flight activities get to finish at shutdown
// before they are handed back to the server (retried elsewhere).
const stopTimeout = 10 * time.Second

// serve runs the worker until SIGTERM/SIGINT or a fatal worker error.
func serve(cmd *cobra.Command, g *globalFlags) error {
	cfg, err := loadConfig(cmd, g)
	if err != nil {
		return err
	}
	logger, err := newLogger(cfg.Worker, cmd.ErrOrStderr())
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = work(ctx, cfg, g, logger)
	if err != nil && ctx.Err() != nil && cmd.Context().Err() == nil {
		// A signal during startup is a stop request, not a failure.
		logger.Info("stopped by signal during startup", "step_error", err)
		return nil
	}
	return err
}

// work starts every part and blocks until ctx ends or the worker fails.
func work(ctx context.Context, cfg *config.Config, g *globalFlags, logger *slog.Logger) error {
	st, err := openStore(ctx, cfg.Postgres, g.connectWait, logger)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate database: %w", err)
	}
	logger.Info("database migrated")

	mx, err := metrics.New(logger)
	if err != nil {
		return err
	}
	defer func() { _ = mx.Shutdown(context.Background()) }()

	c, err := tclient.Dial(ctx, cfg.Temporal, tclient.Options{
		MetricsHandler: mx.TemporalHandler(),
		Logger:         logger.With("component", "temporal"),
		Wait:           g.connectWait,
	})
	if err != nil {
		return err
	}
	defer c.Close()
	logger.Info("connected to Temporal", "address", cfg.Temporal.Address, "namespace", cfg.Temporal.Namespace)

	regCtx, cancel := context.WithTimeout(ctx, max(g.connectWait, 10*time.Second))
	err = searchattr.EnsureRegistered(regCtx, c, cfg.Temporal.Namespace)
	cancel()
	if err != nil {
		return err
	}

	set := cfg.Settings()
	notifier, err := notify.New(set.Notify, st, logger.With("component", "notify"), notify.WithMeter(mx.Meter("svcflow")))
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	acts := activities.New(st, notifier, set.Policies, cfg.Routing)
	acts.LocalParties = activities.LogOnlyParties(set.Notify.Parties)
	acts.Intake.MaxClockSkew, acts.Intake.MaxBackdate = set.Intake.MaxClockSkew, set.Intake.MaxBackdate

	srv, err := metrics.Serve(cfg.Worker.MetricsListen, mx.Handler(
		metrics.Check{Name: "postgres", Func: st.Ping},
		metrics.Check{Name: "temporal", Func: func(ctx context.Context) error {
			_, err := c.CheckHealth(ctx, &client.CheckHealthRequest{})
			return err
		}},
	))
	if err != nil {
		return fmt.Errorf("worker.metrics_listen: %w", err)
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	logger.Info("serving /metrics and /healthz", "address", srv.Addr())

	fatal := make(chan error, 1)
	w := newWorker(c, cfg, func(err error) {
		select {
		case fatal <- err:
		default:
		}
	})
	workflows.Register(w)
	w.RegisterActivity(acts)
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker on task queue %q: %w", cfg.Temporal.TaskQueue, err)
	}
	logger.Info("worker polling", "task_queue", cfg.Temporal.TaskQueue, "ui", cfg.Temporal.UIURL)

	select {
	case <-ctx.Done():
		logger.Info("stopping: waiting for in-flight activities", "timeout", stopTimeout)
		w.Stop()
		logger.Info("worker stopped")
		return nil
	case err := <-fatal:
		w.Stop()
		return fmt.Errorf("worker failed: %w", err)
	}
}

// newWorker builds the Temporal worker tuned by cfg.Worker.
func newWorker(c client.Client, cfg *config.Config, onFatal func(error)) worker.Worker {
	tuning.CacheSize(cfg.Worker)
	return worker.New(c, cfg.Temporal.TaskQueue, tuning.Options(cfg.Worker, stopTimeout, onFatal))
}

// openStore connects to PostgreSQL, retrying for wait while the server does
// not answer (an answer such as a refused login is final).
func openStore(ctx context.Context, cfg config.Postgres, wait time.Duration, logger *slog.Logger) (*store.Store, error) {
	if wait <= 0 {
		return store.Open(ctx, cfg)
	}
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	backoff := 200 * time.Millisecond
	for {
		st, err := store.Open(ctx, cfg)
		if err == nil {
			return st, nil
		}
		if answered(err) || ctx.Err() != nil {
			return nil, err
		}
		logger.Warn("PostgreSQL not reachable yet; retrying", "err", err)
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 2*time.Second)
	}
}

// answered tells whether PostgreSQL itself rejected the connection (no
// point retrying) rather than not answering.
func answered(err error) bool {
	var pgErr interface{ SQLState() string }
	return errors.As(err, &pgErr) || strings.Contains(err.Error(), "(SQLSTATE ")
}
