package testenv

// This file is the one server abstraction: a Temporal server of either
// kind, started for one test or shared by a test binary.

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"
)

// Kind is a kind of Temporal server.
type Kind string

// The kinds of server.
const (
	Dev     Kind = "dev"     // temporal server start-dev: one process, state in memory or SQLite
	Cluster Kind = "cluster" // the real server: four service processes on PostgreSQL (internal/cluster)
)

// ServerEnv selects the kind of server of StartTemporal and SharedServer
// (and so of the whole stack): dev (default) or cluster.
const ServerEnv = "SVCFLOW_TEST_SERVER"

// ServerKind is the kind ServerEnv selects.
func ServerKind() (Kind, error) {
	switch v := os.Getenv(ServerEnv); v {
	case "", string(Dev):
		return Dev, nil
	case string(Cluster):
		return Cluster, nil
	default:
		return "", fmt.Errorf("%s=%q: want dev or cluster", ServerEnv, v)
	}
}

// Server is a running Temporal server with namespace Namespace and the
// CONTRACT §7 search attributes registered.
type Server interface {
	Kind() Kind
	HostPort() string
	Namespace() string
	// Restart stops the server and starts it again on the same address
	// and state: the dev server with SIGTERM (its state survives only with
	// ServerOptions.Persistent); the cluster one service at a time
	// (SIGKILL, start, wait until it serves).
	Restart(ctx context.Context) error
	// Usage is the CPU time and resident memory of its processes, summed.
	Usage() (cpu time.Duration, rss int64)
	// Logs are its log files.
	Logs() []string
	// Stop stops every process and removes what the server made
	// (temporary directory, fresh databases).
	Stop() error
}

// ServerOptions configure StartServer; the zero value is a server in a
// temporary directory.
type ServerOptions struct {
	Dir                string // logs and state; "" a temporary directory removed by Stop
	Persistent         bool   // dev: state in a database file, kept across Restart (a cluster's always is)
	NoSearchAttributes bool   // dev: leave the CONTRACT §7 search attributes unregistered
	AdminDSN           string // cluster: PostgreSQL for its two databases (default AdminDSN())
	MaxConns           int    // cluster: pool size per service and database (default 2)
}

// ReadyLimit bounds a server's start.
const ReadyLimit = 2 * time.Minute

// StartServer starts a server of kind.
func StartServer(ctx context.Context, kind Kind, o ServerOptions) (Server, error) {
	ctx, cancel := context.WithTimeout(ctx, ReadyLimit)
	defer cancel()
	switch kind {
	case Dev:
		return startDevServer(ctx, o)
	case Cluster:
		return startClusterServer(ctx, o)
	default:
		return nil, fmt.Errorf("testenv: unknown server kind %q", kind)
	}
}

// NewServer starts a server of kind for t alone (for tests that stop,
// restart or break it), stopped when t ends.
func NewServer(t testing.TB, kind Kind, o ServerOptions) Server {
	t.Helper()
	Integration(t, "a Temporal server")
	srv, err := StartServer(context.Background(), kind, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Stop(); err != nil {
			t.Error(err)
		}
	})
	return srv
}

var shared struct {
	once sync.Once
	srv  Server
	err  error
}

// SharedServer is this test binary's server of the kind ServerEnv selects,
// started on first use and stopped by StopTemporal (Main calls it).
func SharedServer(t testing.TB) Server {
	t.Helper()
	Integration(t, "a Temporal server")
	shared.once.Do(func() {
		kind, err := ServerKind()
		if err != nil {
			shared.err = err
			return
		}
		shared.srv, shared.err = StartServer(context.Background(), kind, ServerOptions{})
	})
	if shared.err != nil {
		t.Fatalf("testenv: shared server: %v", shared.err)
	}
	return shared.srv
}

// StartTemporal is the address of SharedServer.
func StartTemporal(t testing.TB) (hostPort string) {
	t.Helper()
	return SharedServer(t).HostPort()
}

// StopTemporal stops the shared server if one was started.
func StopTemporal() {
	if shared.srv != nil {
		if err := shared.srv.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "testenv:", err)
		}
	}
}

func init() {
	AtExit(func() error { StopTemporal(); return nil })
}

// serverDir is o.Dir, or a fresh temporary directory (temp true).
func serverDir(o ServerOptions, kind Kind) (dir string, temp bool, err error) {
	if o.Dir != "" {
		return o.Dir, false, os.MkdirAll(o.Dir, 0o755)
	}
	dir, err = os.MkdirTemp("", "svcflow-"+string(kind)+"-server-")
	return dir, true, err
}
