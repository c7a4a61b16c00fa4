package metrics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Check is one named part of /healthz, e.g. {"postgres", store.Ping}.
type Check struct {
	Name string
	Func func(ctx context.Context) error
}

// CheckTimeout bounds each health check.
const CheckTimeout = 3 * time.Second

// Handler serves /metrics (the registry) and /healthz (checks).
func (m *Metrics) Handler(checks ...Check) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{}))
	mux.Handle("GET /healthz", HealthHandler(checks...))
	return mux
}

// HealthHandler answers 200 "ok" when every check passes within
// CheckTimeout, else 503 with one line per failing part ("postgres: ...").
func HealthHandler(checks ...Check) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		failures := RunChecks(r.Context(), checks)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if len(failures) == 0 {
			_, _ = fmt.Fprintln(w, "ok")
			return
		}
		w.WriteHeader(http.StatusServiceUnavailable)
		for _, f := range failures {
			_, _ = fmt.Fprintln(w, f)
		}
	})
}

// RunChecks runs the checks concurrently and returns "name: reason" for each
// failing one, in the checks' order.
func RunChecks(ctx context.Context, checks []Check) []string {
	results := make([]error, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Go(func() {
			cctx, cancel := context.WithTimeout(ctx, CheckTimeout)
			defer cancel()
			results[i] = runOne(cctx, c)
		})
	}
	wg.Wait()
	var failures []string
	for i, err := range results {
		if err != nil {
			failures = append(failures, checks[i].Name+": "+strings.Join(strings.Fields(err.Error()), " "))
		}
	}
	return failures
}

// runOne turns a panicking or slow check into an error.
func runOne(ctx context.Context, c Check) (err error) {
	done := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- fmt.Errorf("check panicked: %v", p)
			}
		}()
		done <- c.Func(ctx)
	}()
	select {
	case err = <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("no answer within %s", CheckTimeout)
	}
}

// Server is a running metrics/health HTTP server.
type Server struct {
	srv  *http.Server
	addr string
	errc chan error
}

// Serve listens on addr at once (so a bad address fails at start) and
// serves h in the background. addr ":0" picks a free port; see Addr.
func Serve(addr string, h http.Handler) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics: listen on %q: %w", addr, err)
	}
	s := &Server{
		srv:  &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second},
		addr: ln.Addr().String(),
		errc: make(chan error, 1),
	}
	go func() {
		err := s.srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		s.errc <- err
	}()
	return s, nil
}

// Addr is the address actually listened on.
func (s *Server) Addr() string { return s.addr }

// Shutdown stops accepting and waits for running requests until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	if err := s.srv.Shutdown(ctx); err != nil {
		return err
	}
	return <-s.errc
}
