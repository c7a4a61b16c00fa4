package teststack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"

	"github.com/svcflow/svcflow/internal/proc"
	"github.com/svcflow/svcflow/internal/testenv"
	"github.com/svcflow/svcflow/workflows/requests"
)

// Options configure a stack; the zero value is a fresh database and the
// built programs on the test binary's shared server, with no worker.
type Options struct {
	Server   testenv.Server // nil: testenv.SharedServer (New only; Start needs one)
	DSN      string         // "": a fresh database at testenv.AdminDSN, dropped by Close
	AdminDSN string         // with DSN "": where the fresh database goes (default testenv.AdminDSN)
	Config   string         // config file (default config/test.yaml)
	Env      []string       // SVCFLOW_* settings for every program, after the stack's own
	Workers  int            // worker processes started at once (more with StartWorker)
	Intake   bool           // start the intake API (starter serve)
	Prefix   string         // of the task queue and request IDs (default "t"), a random part follows
	Token    string         // intake bearer token (default random)
	Secret   string         // webhook secret of the sink (default random)
	Bin      string         // directory of the programs (default Programs: built once per binary)
	Dir      string         // logs; "" a temporary directory removed by Close
}

// Stack is one running svcflow.
type Stack struct {
	Server    testenv.Server
	HostPort  string
	Namespace string
	TaskQueue string
	DSN       string
	DB        *pgxpool.Pool // the database (small pool)
	Client    client.Client
	Requests  *requests.Requests
	Sink      *Sink
	Intake    string   // base URL of starter serve ("" without Intake)
	Token     string   // intake bearer token
	Env       []string // the full environment every program runs with
	Bin       string   // directory of the programs
	Dir       string   // logs

	prefix  string
	tempDir bool
	drop    func() error
	mu      sync.Mutex
	workers []*Worker
	intake  *proc.Proc
	logs    []string
}

// New starts a stack for t: stopped when t ends, with the tails of its
// logs shown when t failed. It skips under -short.
func New(t testing.TB, o Options) *Stack {
	t.Helper()
	testenv.Integration(t, "PostgreSQL, a Temporal server and the built programs")
	if o.Server == nil {
		o.Server = testenv.SharedServer(t)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	s, err := Start(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			s.LogTails(t)
		}
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// Start starts a stack on o.Server; Close stops it.
func Start(ctx context.Context, o Options) (_ *Stack, err error) {
	if o.Server == nil {
		return nil, errors.New("teststack: Options.Server is nil")
	}
	s := &Stack{Server: o.Server, HostPort: o.Server.HostPort(), Namespace: o.Server.Namespace(), Dir: o.Dir, Bin: o.Bin, DSN: o.DSN}
	defer func() {
		if err != nil {
			// The logs go with a temporary directory: keep their last lines.
			err = errors.Join(fmt.Errorf("%w%s", err, s.lastLines()), s.Close())
		}
	}()
	prefix := o.Prefix
	if prefix == "" {
		prefix = "t"
	}
	s.prefix = prefix + randomHex(3)
	s.TaskQueue = s.prefix
	if s.Token = o.Token; s.Token == "" {
		s.Token = "token-" + randomHex(8)
	}
	if s.Dir == "" {
		if s.Dir, err = os.MkdirTemp("", "svcflow-stack-"); err != nil {
			return nil, fmt.Errorf("teststack: %w", err)
		}
		s.tempDir = true
	}
	s.logs = append(s.logs, o.Server.Logs()...)
	if s.Bin == "" {
		if s.Bin, err = Programs(ctx); err != nil {
			return nil, err
		}
	}
	if s.DSN == "" {
		admin := o.AdminDSN
		if admin == "" {
			admin = testenv.AdminDSN()
		}
		if s.DSN, s.drop, err = testenv.CreateDatabaseOn(ctx, admin); err != nil {
			return nil, err
		}
	}
	cfg, err := poolConfig(s.DSN)
	if err != nil {
		return nil, err
	}
	if s.DB, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return nil, fmt.Errorf("teststack: database: %w", err)
	}
	s.Sink = NewSink(o.Secret)
	config := o.Config
	if config == "" {
		config = filepath.Join(testenv.RepoRoot(), "config", "test.yaml")
	}
	s.Env = append(cleanEnv(),
		"SVCFLOW_CONFIG="+config,
		"SVCFLOW_TEMPORAL_ADDRESS="+s.HostPort,
		"SVCFLOW_TEMPORAL_NAMESPACE="+s.Namespace,
		"SVCFLOW_TEMPORAL_TASK_QUEUE="+s.TaskQueue,
		"SVCFLOW_POSTGRES_DSN="+s.DSN,
		"SVCFLOW_INTAKE_TOKEN="+s.Token,
		"SVCFLOW_NOTIFY_WEBHOOK_URL="+s.Sink.URL,
		"SVCFLOW_NOTIFY_WEBHOOK_SECRET="+s.Sink.Secret,
	)
	s.Env = append(s.Env, o.Env...)
	if s.Client, err = client.DialContext(ctx, client.Options{HostPort: s.HostPort, Namespace: s.Namespace, Logger: testenv.QuietLogger()}); err != nil {
		return nil, fmt.Errorf("teststack: dial Temporal at %s: %w", s.HostPort, err)
	}
	s.Requests = &requests.Requests{Client: s.Client, Namespace: s.Namespace, TaskQueue: s.TaskQueue}
	for range o.Workers {
		if _, err := s.StartWorker(ctx, WorkerSpec{}); err != nil {
			return nil, err
		}
	}
	if o.Intake {
		if err := s.startIntake(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// poolConfig is a small pool: several stacks and servers share
// PostgreSQL's 100 connections.
func poolConfig(dsn string) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("teststack: database DSN: %w", err)
	}
	cfg.MaxConns = 4
	return cfg, nil
}

// startIntake runs starter serve on a free port and waits for /healthz.
func (s *Stack) startIntake() error {
	port, err := proc.FreePort()
	if err != nil {
		return err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	log := filepath.Join(s.Dir, "starter.log")
	s.logs = append(s.logs, log)
	p, err := proc.Start("starter serve", s.Program("starter"), []string{"serve"}, append(append([]string{}, s.Env...), "SVCFLOW_INTAKE_LISTEN="+addr), log)
	if err != nil {
		return err
	}
	s.intake, s.Intake = p, "http://"+addr
	return p.WaitHTTP(s.Intake+"/healthz", HealthLimit)
}

// ID is a request ID unique to this stack.
func (s *Stack) ID(name string) string { return s.prefix + "-" + name }

// Program is the path of a built program (worker, starter, svcctl).
func (s *Stack) Program(name string) string { return filepath.Join(s.Bin, name) }

// Workers are the worker processes started so far.
func (s *Stack) Workers() []*Worker {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Worker{}, s.workers...)
}

// Worker is the first worker.
func (s *Stack) Worker() *Worker { return s.Workers()[0] }

// LogTails logs the end of every log of the stack (programs and server).
func (s *Stack) LogTails(t testing.TB) {
	s.mu.Lock()
	logs := append([]string{}, s.logs...)
	s.mu.Unlock()
	for _, l := range logs {
		t.Logf("%s (tail):\n%s", l, proc.Tail(l, 4000))
	}
}

// lastLines is the last line of each log, on one line.
func (s *Stack) lastLines() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	for _, l := range s.logs {
		if last := proc.LastLine(l); last != "" {
			fmt.Fprintf(&b, "; %s: %s", filepath.Base(l), last)
		}
	}
	return b.String()
}

// Close stops the intake and the workers (SIGTERM), closes the clients,
// drops a fresh database and removes a temporary directory. It does not
// stop the server, which may be shared.
func (s *Stack) Close() error {
	var errs []error
	if s.intake != nil && !s.intake.Stop(StopLimit) {
		errs = append(errs, fmt.Errorf("starter serve did not stop within %s of SIGTERM", StopLimit))
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, w := range s.Workers() {
		wg.Go(func() {
			if err := w.Stop(); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if s.Client != nil {
		s.Client.Close()
	}
	if s.Sink != nil {
		s.Sink.Close()
	}
	if s.DB != nil {
		s.DB.Close()
	}
	if s.drop != nil {
		errs = append(errs, s.drop())
	}
	if s.tempDir {
		if err := os.RemoveAll(s.Dir); err != nil {
			errs = append(errs, fmt.Errorf("teststack: remove %s: %w", s.Dir, err))
		}
	}
	return errors.Join(errs...)
}

// cleanEnv is the environment without any SVCFLOW_ setting of the caller.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SVCFLOW_") {
			out = append(out, kv)
		}
	}
	return out
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}
