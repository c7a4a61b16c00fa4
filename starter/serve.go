package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/svcflow/svcflow/workflows/requests"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/cli"
)

// shutdownGrace is how long in-flight requests may finish after SIGINT/SIGTERM.
const shutdownGrace = 15 * time.Second

func newServeCmd() *cobra.Command {
	var listen string
	cmd := &cobra.Command{
		Use:   "serve [--listen ADDR]",
		Short: "Serve the HTTP intake API (POST /requests, GET /requests/{id}, actions)",
		Long: `serve answers upstream systems over HTTP:
  POST /requests                          start a request (JSON of CONTRACT §8): 201 created, 200 existed
  GET  /requests/{id}                     the status query of a request
  POST /requests/{id}/actions/{action}    an action as an update (200/409), ?async=1 as a signal (202)
  GET  /healthz                           liveness and Temporal reachability
Every route but /healthz needs "Authorization: Bearer <intake.token>" when a
token is configured. Bodies over intake.max_body are refused with 413.`,
		Args: cobra.NoArgs,
		RunE: cli.RunE(func(cmd *cobra.Command, _ []string) error {
			cfg, err := cli.LoadConfig(cmd)
			if err != nil {
				return err
			}
			if !cmd.Flags().Changed("listen") {
				listen = cfg.Intake.Listen
			}
			in := cfg.Settings().Intake
			if err := checkAnonymous(listen, in); err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			rq, err := requests.Dial(ctx, cfg)
			if err != nil {
				return err
			}
			defer rq.Client.Close()
			logger := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
			if in.Token == "" {
				logger.Warn("serving without a token: anyone who reaches the address can create requests and act on them (set intake.token)", "addr", listen)
			}
			srv := &server{b: rq, token: in.Token, maxBody: in.MaxBody, log: logger, skew: in.MaxClockSkew, backdate: in.MaxBackdate, now: time.Now}
			return serve(ctx, listen, srv.routes(), logger)
		}),
	}
	cmd.Flags().StringVar(&listen, "listen", "", "address to listen on (default intake.listen)")
	return cmd
}

// checkAnonymous refuses to serve without a token on an address other
// parties can reach, unless intake.allow_anonymous says so.
func checkAnonymous(listen string, in config.IntakeSettings) error {
	if in.Token != "" || in.AllowAnonymous || loopback(listen) {
		return nil
	}
	return fmt.Errorf("intake.token: empty, and %s is reachable from other hosts: set intake.token, listen on 127.0.0.1, or set intake.allow_anonymous: true", listen)
}

// loopback reports whether addr listens on a loopback address only.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// serve runs h on addr until ctx ends, then shuts down gracefully.
func serve(ctx context.Context, addr string, h http.Handler, logger *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      90 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	logger.Info("intake API listening", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down", "grace", shutdownGrace)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
