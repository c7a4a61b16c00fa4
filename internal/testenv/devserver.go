package testenv

// This file runs the Temporal dev server (temporal server start-dev).

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"

	"github.com/svcflow/svcflow/internal/proc"
	"github.com/svcflow/svcflow/internal/searchattr"
)

// DevServer is a dev server process on a fixed port; with a database file
// it can be stopped and started again on the same state.
type DevServer struct {
	bin, dir, dbFile string
	temp             bool
	port             int
	searchAttributes bool
	proc             *proc.Proc
}

func startDevServer(ctx context.Context, o ServerOptions) (*DevServer, error) {
	bin, err := TemporalBin()
	if err != nil {
		return nil, err
	}
	port, err := proc.FreePort()
	if err != nil {
		return nil, err
	}
	dir, temp, err := serverDir(o, Dev)
	if err != nil {
		return nil, fmt.Errorf("dev server: %w", err)
	}
	s := &DevServer{bin: bin, dir: dir, temp: temp, port: port, searchAttributes: !o.NoSearchAttributes}
	if o.Persistent {
		s.dbFile = filepath.Join(dir, "temporal.db")
	}
	if err := s.start(ctx); err != nil {
		return nil, errors.Join(err, s.Stop())
	}
	return s, nil
}

func (s *DevServer) start(ctx context.Context) error {
	args := []string{"server", "start-dev", "--headless", "--ip", "127.0.0.1", "--port", strconv.Itoa(s.port),
		"--namespace", "default", "--log-level", "warn",
		"--dynamic-config-value", "frontend.enableServerVersionCheck=false"}
	if s.dbFile != "" {
		args = append(args, "--db-filename", s.dbFile)
	}
	if s.searchAttributes {
		args = append(args, searchattr.CLIFlags()...)
	}
	p, err := proc.Start("temporal dev server", s.bin, args, os.Environ(), s.Logs()[0])
	if err != nil {
		return err
	}
	s.proc = p
	err = Poll(ctx, "temporal dev server at "+s.HostPort()+" ready", func(ctx context.Context) (bool, string, error) {
		if p.Exited() {
			return false, "", fmt.Errorf("exited early (%v): %s", p.Wait(), proc.LastLine(p.Log))
		}
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		c, err := client.DialContext(cctx, client.Options{HostPort: s.HostPort(), Namespace: "default", Logger: QuietLogger()})
		if err != nil {
			return false, err.Error(), nil
		}
		defer c.Close()
		if s.searchAttributes {
			if err := searchattr.EnsureRegistered(cctx, c, "default"); err != nil {
				return false, err.Error(), nil
			}
		}
		return true, "", nil
	})
	if err != nil {
		p.Kill()
	}
	return err
}

// Kind is Dev.
func (s *DevServer) Kind() Kind { return Dev }

// HostPort is the frontend's address.
func (s *DevServer) HostPort() string { return "127.0.0.1:" + strconv.Itoa(s.port) }

// Namespace is "default".
func (s *DevServer) Namespace() string { return "default" }

// Logs is the server's log file.
func (s *DevServer) Logs() []string { return []string{filepath.Join(s.dir, "temporal.log")} }

// Restart stops the server (SIGTERM) and starts it again on the same port
// and database file.
func (s *DevServer) Restart(ctx context.Context) error {
	s.proc.Stop(10 * time.Second)
	ctx, cancel := context.WithTimeout(ctx, ReadyLimit)
	defer cancel()
	return s.start(ctx)
}

// Usage is the server process's CPU time and RSS.
func (s *DevServer) Usage() (time.Duration, int64) {
	rss, _ := s.proc.RSS()
	return s.proc.CPU(), rss
}

// Stop terminates the server (SIGTERM, SIGKILL after 10s) and removes its
// temporary directory.
func (s *DevServer) Stop() error {
	if s.proc != nil {
		s.proc.Stop(10 * time.Second)
	}
	if s.temp {
		if err := os.RemoveAll(s.dir); err != nil {
			return fmt.Errorf("dev server: remove %s: %w", s.dir, err)
		}
	}
	return nil
}

// QuietLogger discards the SDK client's log.
func QuietLogger() tlog.Logger {
	return tlog.NewStructuredLogger(slog.New(slog.DiscardHandler))
}
