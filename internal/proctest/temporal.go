package proctest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"time"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"

	"github.com/svcflow/svcflow/internal/searchattr"
	"github.com/svcflow/svcflow/internal/testenv"
)

// DevServer is a Temporal dev server ("temporal server start-dev") that can
// be stopped and started again on the same port and database file.
type DevServer struct {
	Bin      string // temporal CLI
	Port     int
	DBFile   string // "" = in memory
	LogPath  string
	HostPort string
	proc     *Proc
}

// TemporalBin is the temporal CLI the tests use: $SVCFLOW_TEMPORAL_BIN, else
// <repo>/bin/temporal (built when missing; see testenv.TemporalBin).
func TemporalBin() (string, error) { return testenv.TemporalBin() }

// NewDevServer prepares a dev server on a free port; dbFile "" keeps its
// state in memory. Call Start.
func NewDevServer(dbFile, logPath string) (*DevServer, error) {
	bin, err := TemporalBin()
	if err != nil {
		return nil, err
	}
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	return &DevServer{Bin: bin, Port: port, DBFile: dbFile, LogPath: logPath, HostPort: "127.0.0.1:" + strconv.Itoa(port)}, nil
}

// Start runs the server and waits until it answers with the CONTRACT §7 search
// attributes registered.
func (s *DevServer) Start(limit time.Duration) error {
	args := []string{"server", "start-dev", "--headless", "--ip", "127.0.0.1", "--port", strconv.Itoa(s.Port),
		"--namespace", "default", "--log-level", "warn",
		"--dynamic-config-value", "frontend.enableServerVersionCheck=false"}
	if s.DBFile != "" {
		args = append(args, "--db-filename", s.DBFile)
	}
	args = append(args, searchattr.CLIFlags()...)
	p, err := Start("temporal", s.Bin, args, os.Environ(), s.LogPath)
	if err != nil {
		return err
	}
	s.proc = p
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	var last error
	for {
		if p.Exited() {
			return fmt.Errorf("temporal dev server exited early: %s", Tail(s.LogPath, 2000))
		}
		c, err := client.DialContext(ctx, client.Options{HostPort: s.HostPort, Namespace: "default", Logger: QuietLogger()})
		if err == nil {
			err = searchattr.EnsureRegistered(ctx, c, "default")
			c.Close()
			if err == nil {
				return nil
			}
		}
		last = err
		select {
		case <-ctx.Done():
			p.Kill()
			return fmt.Errorf("temporal dev server at %s not ready within %s: %v", s.HostPort, limit, last)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// Stop interrupts the server (SIGTERM, then SIGKILL after 10 s).
func (s *DevServer) Stop() {
	if s.proc != nil {
		s.proc.Stop(10 * time.Second)
	}
}

// Kill kills the server at once.
func (s *DevServer) Kill() {
	if s.proc != nil {
		s.proc.Kill()
	}
}

// CPU is the server process's CPU time so far.
func (s *DevServer) CPU() time.Duration { return s.proc.CPU() }

// RSS of the server process.
func (s *DevServer) RSS() (int64, error) { return s.proc.RSS() }

// QuietLogger discards the SDK client's log.
func QuietLogger() tlog.Logger {
	return tlog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
}
