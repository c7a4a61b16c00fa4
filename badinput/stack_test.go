package badinput

import (
	"bytes"
	"context"
	"fmt"
	"github.com/svcflow/svcflow/workflows/requests"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"

	"github.com/svcflow/svcflow/internal/proctest"
	"github.com/svcflow/svcflow/internal/testenv"
)

// Distinctive secrets every program of the stack runs with; none may ever
// appear in anything the programs print (TestSecretsNeverPrinted).
const (
	secretDBPassword   = "pgPW-7f3c9d21e8"
	secretWebhook      = "whSECRET-5a1b2c3d4e"
	secretSMTPPassword = "smtpPW-9e8d7c6b5a"
	secretToken        = "intakeTOKEN-1q2w3e4r5t"
	secretAPIKey       = "apiKEY-0p9o8i7u6y"
)

var allSecrets = []string{secretDBPassword, secretWebhook, secretSMTPPassword, secretToken, secretAPIKey}

// stack is a dev server, a database, the worker and starter serve, all
// run with the secrets above; every program's output is kept in dir.
type stack struct {
	dir, bin  string
	dev       *proctest.DevServer
	dsn       string // with the password
	env       []string
	intake    string
	queue     string
	c         client.Client
	req       *requests.Requests
	db        *pgxpool.Pool
	hook      *httptest.Server
	procs     []*proctest.Proc
	drop      func() error
	runs      int
	mu        sync.Mutex
	outputs   []string // files holding everything programs printed
	hookCalls int
}

var (
	stackOnce sync.Once
	theStack  *stack
	stackErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if theStack != nil {
		theStack.close()
	}
	os.Exit(code)
}

// getStack starts the shared stack on first use.
func getStack(t *testing.T) *stack {
	t.Helper()
	stackOnce.Do(func() { theStack, stackErr = newStack() })
	if stackErr != nil {
		t.Fatalf("stack: %v", stackErr)
	}
	return theStack
}

func newStack() (s *stack, err error) {
	s = &stack{queue: "badinput"}
	defer func() {
		if err != nil {
			s.close()
		}
	}()
	if s.dir, err = os.MkdirTemp("", "svcflow-badinput-"); err != nil {
		return nil, err
	}
	s.bin = filepath.Join(s.dir, "bin")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := proctest.Build(ctx, s.bin, "./worker", "./starter", "./svcctl"); err != nil {
		return nil, err
	}
	if s.dev, err = proctest.NewDevServer("", filepath.Join(s.dir, "temporal.log")); err != nil {
		return nil, err
	}
	if err := s.dev.Start(90 * time.Second); err != nil {
		return nil, err
	}
	dsn, drop, err := testenv.CreateDatabase(ctx)
	if err != nil {
		return nil, err
	}
	s.drop = drop
	// Trust authentication ignores the password, so it can ride along.
	s.dsn = strings.Replace(dsn, "postgres@", "postgres:"+secretDBPassword+"@", 1)
	if s.db, err = pgxpool.New(ctx, dsn); err != nil {
		return nil, err
	}
	s.hook = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hookCalls++
		s.mu.Unlock()
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusOK)
	}))
	closedPort, err := proctest.FreePort() // nothing listens: e-mail sends fail and are logged
	if err != nil {
		return nil, err
	}
	intakePort, err := proctest.FreePort()
	if err != nil {
		return nil, err
	}
	s.intake = "http://127.0.0.1:" + strconv.Itoa(intakePort)
	s.env = append(proctest.CleanEnv(),
		"SVCFLOW_CONFIG="+filepath.Join(testenv.RepoRoot(), "config", "test.yaml"),
		"SVCFLOW_TEMPORAL_ADDRESS="+s.dev.HostPort,
		"SVCFLOW_TEMPORAL_TASK_QUEUE="+s.queue,
		"SVCFLOW_POSTGRES_DSN="+s.dsn,
		"SVCFLOW_INTAKE_LISTEN=127.0.0.1:"+strconv.Itoa(intakePort),
		"SVCFLOW_INTAKE_TOKEN="+secretToken,
		"SVCFLOW_NOTIFY_PARTIES_ASSIGNEE=log,webhook",
		"SVCFLOW_NOTIFY_PARTIES_SUPERVISOR=log,email",
		"SVCFLOW_NOTIFY_WEBHOOK_URL="+s.hook.URL,
		"SVCFLOW_NOTIFY_WEBHOOK_SECRET="+secretWebhook,
		"SVCFLOW_NOTIFY_EMAIL_HOST=127.0.0.1",
		"SVCFLOW_NOTIFY_EMAIL_PORT="+strconv.Itoa(closedPort),
		"SVCFLOW_NOTIFY_EMAIL_USERNAME=svcflow",
		"SVCFLOW_NOTIFY_EMAIL_PASSWORD="+secretSMTPPassword,
		"SVCFLOW_NOTIFY_EMAIL_FROM=svcflow@example.com",
		"SVCFLOW_NOTIFY_EMAIL_TLS=none",
		"SVCFLOW_WORKER_LOG_LEVEL=debug",
		// Comfortable agent-side targets so the fixtures do not breach while
		// the corpus runs (the response deadline stays short on purpose: its
		// breach mails the supervisor through the unreachable SMTP server).
		"SVCFLOW_SLA_DEADLINES_SHEET_NORMAL=1h",
		"SVCFLOW_SLA_DEADLINES_CONFIRMATION_NORMAL=1h",
		"SVCFLOW_SLA_DEADLINES_ACCEPTANCE_NORMAL=1h",
		"SVCFLOW_SLA_DEADLINES_FOLLOW_UP_NORMAL=1h",
		"SVCFLOW_SLA_DEADLINES_PROGRESS_REPORT_NORMAL=1h",
		"SVCFLOW_SLA_DEADLINES_DELAY_NOTICE_NORMAL=1m",
	)
	w := proctest.Worker{Bin: filepath.Join(s.bin, "worker"), LogPath: filepath.Join(s.dir, "worker.log")}
	metricsPort, err := proctest.FreePort()
	if err != nil {
		return nil, err
	}
	metrics := "127.0.0.1:" + strconv.Itoa(metricsPort)
	wp, err := proctest.Start("worker", w.Bin, nil, append(s.env, "SVCFLOW_WORKER_METRICS_LISTEN="+metrics), w.LogPath)
	if err != nil {
		return nil, err
	}
	s.procs = append(s.procs, wp)
	s.outputs = append(s.outputs, w.LogPath)
	if err := wp.WaitHTTP("http://"+metrics+"/healthz", 90*time.Second); err != nil {
		return nil, err
	}
	sp, err := proctest.Start("starter", filepath.Join(s.bin, "starter"), []string{"serve"}, s.env, filepath.Join(s.dir, "starter.log"))
	if err != nil {
		return nil, err
	}
	s.procs = append(s.procs, sp)
	s.outputs = append(s.outputs, filepath.Join(s.dir, "starter.log"))
	if err := sp.WaitHTTP(s.intake+"/healthz", 60*time.Second); err != nil {
		return nil, err
	}
	if s.c, err = client.Dial(client.Options{HostPort: s.dev.HostPort, Namespace: "default", Logger: proctest.QuietLogger()}); err != nil {
		return nil, err
	}
	s.req = &requests.Requests{Client: s.c, Namespace: "default", TaskQueue: s.queue}
	return s, nil
}

func (s *stack) close() {
	for _, p := range s.procs {
		p.Stop(15 * time.Second)
	}
	if s.hook != nil {
		s.hook.Close()
	}
	if s.c != nil {
		s.c.Close()
	}
	if s.db != nil {
		s.db.Close()
	}
	if s.drop != nil {
		if err := s.drop(); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}
	if s.dev != nil {
		s.dev.Stop()
	}
	if s.dir != "" {
		_ = os.RemoveAll(s.dir)
	}
}

// result is a finished program run.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d, stdout %q, stderr %q", r.code, clip(r.stdout), clip(r.stderr))
}

// run runs a built program with the stack's environment plus extra, and
// keeps its output for the secrets check.
func (s *stack) run(t *testing.T, stdin string, extra []string, name string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	pr, err := proctest.Run(ctx, filepath.Join(s.bin, name), append(append([]string{}, s.env...), extra...), stdin, args...)
	if err != nil {
		t.Fatalf("run %s %v: %v", name, args, err)
	}
	r := result{code: pr.Code, stdout: pr.Stdout, stderr: pr.Stderr}
	s.keep(t, name, r.stdout+r.stderr)
	return r
}

// keep stores program output for the secrets check.
func (s *stack) keep(t *testing.T, name, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.runs++
	p := filepath.Join(s.dir, fmt.Sprintf("out-%04d-%s.txt", s.runs, name))
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	s.outputs = append(s.outputs, p)
}

// http sends a JSON request to the intake API; token "" sends no Authorization.
func (s *stack) http(t *testing.T, method, path, token string, body []byte) (int, string) {
	t.Helper()
	return s.httpWith(t, method, path, token, body, map[string]string{"Content-Type": "application/json"})
}

// httpWith sends a request with exactly the given headers (and the token).
func (s *stack) httpWith(t *testing.T, method, path, token string, body []byte, headers map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.intake+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	s.keep(t, "http", string(raw))
	return resp.StatusCode, string(raw)
}
