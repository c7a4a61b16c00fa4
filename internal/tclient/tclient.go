// Package tclient dials Temporal from config (TLS, API key, logs) with retry and a clear error.
package tclient

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/svcflow/svcflow/config"
)

// DefaultWait is how long programs keep retrying an unreachable server.
const DefaultWait = 30 * time.Second

// Options adds optional parts to a dial.
type Options struct {
	MetricsHandler client.MetricsHandler // nil = none
	// Logger receives the SDK's logs; nil = slog.Default().
	Logger *slog.Logger
	// Wait bounds how long Dial keeps retrying an unreachable server
	// (besides ctx). 0 = try once.
	Wait time.Duration
	// Identity names this client in the server (worker identity); "" = SDK default.
	Identity string
}

// Dial connects to Temporal as cfg says. It retries with backoff until
// opts.Wait has passed or ctx ends, then fails with
// "cannot reach Temporal at ADDR: <last error>".
func Dial(ctx context.Context, cfg config.Temporal, opts Options) (client.Client, error) {
	co, err := clientOptions(cfg, opts)
	if err != nil {
		return nil, err
	}
	dialCtx := ctx
	if opts.Wait > 0 {
		var cancel context.CancelFunc
		dialCtx, cancel = context.WithTimeout(ctx, opts.Wait)
		defer cancel()
	}
	backoff := 200 * time.Millisecond
	for {
		c, err := client.DialContext(dialCtx, co)
		if err == nil {
			return c, nil
		}
		if refused(err) {
			return nil, fmt.Errorf("connection refused by Temporal at %s: %s", co.HostPort, oneLine(err))
		}
		if opts.Wait <= 0 || dialCtx.Err() != nil {
			return nil, unreachable(co.HostPort, err)
		}
		t := time.NewTimer(backoff)
		select {
		case <-dialCtx.Done():
			t.Stop()
			return nil, unreachable(co.HostPort, err)
		case <-t.C:
		}
		backoff = min(backoff*2, 2*time.Second)
	}
}

// UnreachableError says the server did not answer in time; Err is the last
// dial error.
type UnreachableError struct {
	Addr string
	Err  error
}

func (e *UnreachableError) Error() string {
	// gRPC errors can span lines; keep the reason on one line.
	return "cannot reach Temporal at " + e.Addr + ": " + oneLine(e.Err)
}

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

// refused tells an answer that retrying cannot change (bad credentials,
// unknown namespace) from a server that does not answer.
func refused(err error) bool {
	var pd *serviceerror.PermissionDenied
	var nf *serviceerror.NamespaceNotFound
	var ia *serviceerror.InvalidArgument
	if errors.As(err, &pd) || errors.As(err, &nf) || errors.As(err, &ia) {
		return true
	}
	switch status.Code(err) {
	case codes.Unauthenticated, codes.PermissionDenied:
		return true
	}
	return false
}

func (e *UnreachableError) Unwrap() error { return e.Err }

func unreachable(addr string, err error) error { return &UnreachableError{Addr: addr, Err: err} }

// clientOptions turns the config into SDK client options.
func clientOptions(cfg config.Temporal, opts Options) (client.Options, error) {
	if strings.TrimSpace(cfg.Address) == "" {
		return client.Options{}, errors.New("temporal.address: must not be empty")
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	co := client.Options{
		HostPort:       cfg.Address,
		Namespace:      cfg.Namespace,
		Logger:         tlog.NewStructuredLogger(logger),
		MetricsHandler: opts.MetricsHandler,
		Identity:       opts.Identity,
	}
	tlsCfg, err := tlsConfig(cfg.TLS, cfg.APIKey != "")
	if err != nil {
		return client.Options{}, err
	}
	co.ConnectionOptions.TLS = tlsCfg
	if cfg.APIKey != "" {
		co.Credentials = client.NewAPIKeyStaticCredentials(cfg.APIKey)
	}
	return co, nil
}

// UILink is the Temporal UI page of one workflow, e.g.
// http://localhost:8233/namespaces/default/workflows/sr-42.
func UILink(uiURL, namespace, workflowID string) string {
	if namespace == "" {
		namespace = "default"
	}
	return strings.TrimRight(uiURL, "/") + "/namespaces/" + url.PathEscape(namespace) + "/workflows/" + url.PathEscape(workflowID)
}
