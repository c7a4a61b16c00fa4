package testenv

// This file starts Temporal dev servers for integration tests.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"

	"github.com/svcflow/svcflow/internal/searchattr"
)

// TemporalBinEnv names the environment variable that points at a temporal
// CLI binary; unset, tests use (and if needed build) <repo>/bin/temporal.
const TemporalBinEnv = "SVCFLOW_TEMPORAL_BIN"

// TemporalServer is a dev server process started for tests.
type TemporalServer struct {
	HostPort  string
	Namespace string
	cmd       *exec.Cmd
	done      chan struct{}
	log       *os.File
}

var shared struct {
	once sync.Once
	srv  *TemporalServer
	err  error
}

// StartTemporal returns the address of this test binary's shared Temporal
// dev server (namespace "default", CONTRACT §7 search attributes registered),
// starting it on first use. The server lives until StopTemporal (call it
// from TestMain) or the test binary exits (it is killed with its parent).
func StartTemporal(t testing.TB) (hostPort string) {
	t.Helper()
	shared.once.Do(func() { shared.srv, shared.err = startTemporal(true) })
	if shared.err != nil {
		t.Fatalf("testenv: %v", shared.err)
	}
	return shared.srv.HostPort
}

// StopTemporal stops the shared server if one was started.
func StopTemporal() {
	if shared.srv != nil {
		_ = shared.srv.Stop()
	}
}

// StartOwnTemporal starts a dev server for t alone, stopped in t.Cleanup;
// for tests that stop or restart the server. searchAttributes false leaves
// the CONTRACT §7 attributes unregistered (to test their registration).
func StartOwnTemporal(t testing.TB, searchAttributes bool) *TemporalServer {
	t.Helper()
	srv, err := startTemporal(searchAttributes)
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	t.Cleanup(func() { _ = srv.Stop() })
	return srv
}

// Stop terminates the server and waits for it (killing it after 10s).
func (s *TemporalServer) Stop() error {
	select {
	case <-s.done:
		return nil
	default:
	}
	// SIGTERM, not SIGINT: a child of a background job inherits SIGINT ignored.
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
	_ = s.log.Close()
	return nil
}

func startTemporal(searchAttributes bool) (*TemporalServer, error) {
	bin, err := TemporalBin()
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	logf, err := os.CreateTemp("", "svcflow-temporal-*.log")
	if err != nil {
		return nil, err
	}
	args := []string{
		"server", "start-dev", "--headless",
		"--ip", "127.0.0.1", "--port", port,
		"--namespace", "default",
		"--log-level", "warn",
		"--dynamic-config-value", "frontend.enableServerVersionCheck=false",
	}
	if searchAttributes {
		args = append(args, searchattr.CLIFlags()...)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	setDieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		_ = logf.Close()
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	s := &TemporalServer{HostPort: "127.0.0.1:" + port, Namespace: "default", cmd: cmd, done: make(chan struct{}), log: logf}
	// Unlinked at once: the log is only read back (through the open file) to
	// explain a failed start, and nothing is left behind in any case.
	_ = os.Remove(logf.Name())
	go func() { _ = cmd.Wait(); close(s.done) }()
	if err := s.waitReady(60*time.Second, searchAttributes); err != nil {
		_ = s.Stop()
		return nil, err
	}
	return s, nil
}

// waitReady dials until the frontend answers and, if asked, the search
// attributes show.
func (s *TemporalServer) waitReady(limit time.Duration, searchAttributes bool) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	var last error
	for {
		select {
		case <-s.done:
			return fmt.Errorf("temporal dev server exited early: %s", tail(s.log))
		default:
		}
		c, err := client.DialContext(ctx, client.Options{HostPort: s.HostPort, Namespace: s.Namespace, Logger: tlog.NewStructuredLogger(slog.New(slog.DiscardHandler))})
		if err == nil {
			if searchAttributes {
				err = searchattr.EnsureRegistered(ctx, c, s.Namespace)
			}
			c.Close()
			if err == nil {
				return nil
			}
		}
		last = err
		select {
		case <-ctx.Done():
			return fmt.Errorf("temporal dev server at %s not ready after %s: %v; log: %s", s.HostPort, limit, last, tail(s.log))
		case <-s.done:
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	_, port, err := net.SplitHostPort(l.Addr().String())
	return port, err
}

// tail is the end of the server's log.
func tail(f *os.File) string {
	fi, err := f.Stat()
	if err != nil {
		return err.Error()
	}
	off := max(fi.Size()-2000, 0)
	b := make([]byte, fi.Size()-off)
	n, _ := f.ReadAt(b, off)
	return strings.TrimSpace(string(b[:n]))
}

// TemporalBin is the temporal CLI used by tests: $SVCFLOW_TEMPORAL_BIN, else
// <repo>/bin/temporal, built from tools/go.mod when missing.
func TemporalBin() (string, error) {
	if p := os.Getenv(TemporalBinEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%s=%s: %w", TemporalBinEnv, p, err)
		}
		return p, nil
	}
	root := RepoRoot()
	if root == "" {
		return "", errors.New("cannot find the svcflow repository root (go.mod) above the working directory")
	}
	bin := filepath.Join(root, "bin", "temporal")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if err := buildTemporal(root, bin); err != nil {
		return "", err
	}
	return bin, nil
}

// buildTemporal builds the pinned CLI once even when several test binaries
// ask at the same time (a file lock serialises them).
func buildTemporal(root, bin string) error {
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		return err
	}
	lock, err := os.OpenFile(bin+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return fmt.Errorf("lock %s: %w", lock.Name(), err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	if _, err := os.Stat(bin); err == nil {
		return nil // another test binary built it meanwhile
	}
	tmp := bin + ".tmp"
	cmd := exec.Command("go", "build", "-modfile=tools/go.mod", "-o", tmp, "github.com/temporalio/cli/cmd/temporal")
	cmd.Dir = root
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build temporal CLI (make temporal): %v: %s", err, strings.TrimSpace(out.String()))
	}
	return os.Rename(tmp, bin)
}

var root struct {
	once sync.Once
	dir  string
}

// RepoRoot is the directory of svcflow's go.mod, found upwards from the
// working directory ("" when not inside the repository).
func RepoRoot() string {
	root.once.Do(func() {
		dir, err := os.Getwd()
		if err != nil {
			return
		}
		for {
			b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
			if err == nil && strings.HasPrefix(strings.TrimSpace(string(b)), "module github.com/svcflow/svcflow\n") {
				root.dir = dir
				return
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				return
			}
			dir = parent
		}
	})
	return root.dir
}
