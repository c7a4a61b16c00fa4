package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"

	"github.com/svcflow/svcflow/internal/proctest"
	"github.com/svcflow/svcflow/internal/testenv"
	"github.com/svcflow/svcflow/workflows"
)

// stack is one running svcflow: a Temporal dev server, a fresh database,
// the worker and the intake API, sharing one task queue.
type stack struct {
	env         []string // SVCFLOW_* for every program
	hostPort    string
	taskQueue   string
	intake      string // base URL of starter serve
	token       string // intake bearer token
	temporalBin string
	prefix      string // unique request ID prefix of this run
	c           client.Client
	db          *pgxpool.Pool
}

// Policy overrides on top of config/test.yaml: agent-driven steps get
// comfortable targets so a loaded machine does not breach them, while the
// VIP urgent response (2s, escalation at 4s) stays short for the breach
// scenario.
var policyEnv = []string{
	"SVCFLOW_SLA_DEADLINES_RESPONSE_NORMAL=60s",
	"SVCFLOW_SLA_DEADLINES_SHEET_NORMAL=60s",
	"SVCFLOW_SLA_DEADLINES_CONFIRMATION_NORMAL=60s",
	"SVCFLOW_SLA_DEADLINES_REVIEW_NORMAL=60s",
	"SVCFLOW_SLA_DEADLINES_ACCEPTANCE_NORMAL=60s",
	"SVCFLOW_SLA_DEADLINES_REWORK_NORMAL=60s",
	"SVCFLOW_SLA_DEADLINES_FOLLOW_UP_NORMAL=60s",
	"SVCFLOW_SLA_DEADLINES_COMPLAINT_NORMAL=60s",
	"SVCFLOW_SLA_DEADLINES_PROGRESS_REPORT_NORMAL=600s",
}

func newStack(t *testing.T) *stack {
	t.Helper()
	if binDir == "" {
		t.Fatal("binaries not built (TestMain)")
	}
	s := &stack{
		hostPort:  testenv.StartTemporal(t),
		taskQueue: "e2e-" + randomHex(t, 4),
		prefix:    "e2e" + randomHex(t, 3),
		token:     "e2e-token-" + randomHex(t, 8),
	}
	dsn := testenv.NewDatabase(t)
	bin, err := testenv.TemporalBin()
	if err != nil {
		t.Fatal(err)
	}
	s.temporalBin = bin
	metricsAddr := "127.0.0.1:" + freePort(t)
	intakeAddr := "127.0.0.1:" + freePort(t)
	s.intake = "http://" + intakeAddr
	s.env = append(cleanEnv(),
		"SVCFLOW_CONFIG="+filepath.Join(testenv.RepoRoot(), "config", "test.yaml"),
		"SVCFLOW_TEMPORAL_ADDRESS="+s.hostPort,
		"SVCFLOW_TEMPORAL_TASK_QUEUE="+s.taskQueue,
		"SVCFLOW_POSTGRES_DSN="+dsn,
		"SVCFLOW_WORKER_METRICS_LISTEN="+metricsAddr,
		"SVCFLOW_INTAKE_LISTEN="+intakeAddr,
		"SVCFLOW_INTAKE_TOKEN="+s.token,
		"SVCFLOW_ACTOR=e2e-agent", // svcctl's actor when --actor is not given
	)
	s.env = append(s.env, policyEnv...)

	c, err := client.Dial(client.Options{HostPort: s.hostPort, Namespace: "default"})
	if err != nil {
		t.Fatalf("dial Temporal %s: %v", s.hostPort, err)
	}
	t.Cleanup(c.Close)
	s.c = c

	s.startProcess(t, "worker", nil, "http://"+metricsAddr+"/healthz")
	s.startProcess(t, "starter", []string{"serve"}, s.intake+"/healthz")

	// The worker has applied the migrations once it is healthy.
	pool, err := pgxpool.New(context.Background(), dsn)
	if err != nil {
		t.Fatalf("connect %s: %v", dsn, err)
	}
	t.Cleanup(pool.Close)
	s.db = pool
	return s
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

// startProcess runs a built program until the test ends, waiting until
// health answers 200; its output goes to a log shown when the test fails.
func (s *stack) startProcess(t *testing.T, name string, args []string, health string) {
	t.Helper()
	logf, err := os.Create(filepath.Join(t.TempDir(), name+".log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(binDir, name), args...)
	cmd.Env = s.env
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-done
			t.Errorf("%s did not stop within 15s of SIGTERM", name)
		}
		if t.Failed() {
			t.Logf("%s log (tail):\n%s", name, tailFile(logf.Name(), 6000))
		}
		logf.Close()
	})
	deadline := time.Now().Add(90 * time.Second)
	for {
		select {
		case err := <-done:
			done <- err
			t.Fatalf("%s exited before it was healthy: %v\n%s", name, err, tailFile(logf.Name(), 4000))
		default:
		}
		resp, err := http.Get(health)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not healthy at %s within 90s (last: %v)\n%s", name, health, err, tailFile(logf.Name(), 4000))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func tailFile(path string, n int) string {
	b, _ := os.ReadFile(path)
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

func randomHex(t *testing.T, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

// id is a request ID unique to this run.
func (s *stack) id(name string) string { return s.prefix + "-" + name }

// result is a finished program run.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
}

// run runs a built program with the stack's environment.
func (s *stack) run(t *testing.T, stdin, name string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	path := name
	if !filepath.IsAbs(path) {
		path = filepath.Join(binDir, name)
	}
	pr, err := proctest.Run(ctx, path, s.env, stdin, args...)
	if err != nil {
		t.Fatalf("run %s %v: %v", name, args, err)
	}
	r := result{code: pr.Code, stdout: pr.Stdout, stderr: pr.Stderr}
	return r
}

// svcctl runs svcctl and fails the test unless it exits 0.
func (s *stack) svcctl(t *testing.T, args ...string) string {
	t.Helper()
	r := s.run(t, "", "svcctl", args...)
	if r.code != 0 {
		t.Fatalf("svcctl %s: %s", strings.Join(args, " "), r)
	}
	return r.stdout
}

// act sends an action with svcctl and checks it lands in stage.
func (s *stack) act(t *testing.T, stage string, args ...string) {
	t.Helper()
	out := s.svcctl(t, args...)
	if want := "accepted (stage " + stage + ")"; strings.TrimSpace(out) != want {
		t.Fatalf("svcctl %s: %q, want %q", strings.Join(args, " "), out, want)
	}
}

// http sends a JSON request to the intake API with the bearer token.
func (s *stack) http(t *testing.T, method, path, body string) (int, map[string]any) {
	t.Helper()
	return s.httpWith(t, method, path, body, nil)
}

// httpWith is http with more headers.
func (s *stack) httpWith(t *testing.T, method, path, body string, headers map[string]string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, s.intake+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s %s: %d %q is not a JSON object", method, path, resp.StatusCode, raw)
	}
	return resp.StatusCode, m
}

// requestJSON is a valid start input.
func requestJSON(id, tier, priority string, complex bool) string {
	b, _ := json.Marshal(map[string]any{
		"request_id": id,
		"customer":   map[string]any{"id": "cust-" + id, "name": "Customer " + id, "email": "c@example.com", "tier": tier, "locale": "en"},
		"channel":    "web", "category": "printer", "priority": priority, "complex": complex,
		"title": "Printer jams (" + id + ")", "description": "Paper jams on every second page.",
	})
	return string(b)
}

// status runs the status query.
func (s *stack) status(t *testing.T, id string) workflows.Status {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	v, err := s.c.QueryWorkflow(ctx, workflows.WorkflowID(id), "", workflows.StatusQuery)
	if err != nil {
		t.Fatalf("status query of %s: %v", id, err)
	}
	var st workflows.Status
	if err := v.Get(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

// waitStatus polls the status query until cond holds (bounded).
func (s *stack) waitStatus(t *testing.T, id, what string, limit time.Duration, cond func(workflows.Status) bool) workflows.Status {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		st := s.status(t, id)
		if cond(st) {
			return st
		}
		if time.Now().After(deadline) {
			b, _ := json.MarshalIndent(st, "", "  ")
			t.Fatalf("request %s: not %s within %s; last status:\n%s", id, what, limit, b)
		}
		time.Sleep(150 * time.Millisecond)
	}
}

// waitClosed waits for the workflow to complete and returns its final status.
func (s *stack) waitClosed(t *testing.T, id string) workflows.Status {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var st workflows.Status
	if err := s.c.GetWorkflow(ctx, workflows.WorkflowID(id), "").Get(ctx, &st); err != nil {
		t.Fatalf("workflow of %s: %v", id, err)
	}
	return st
}

// waitDB polls a database condition until it holds (bounded): records are
// written by activities shortly after each transition.
func (s *stack) waitDB(t *testing.T, what string, cond func(ctx context.Context) (bool, string, error)) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		ok, detail, err := cond(ctx)
		cancel()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not true within 30s: %s", what, detail)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// deadline finds one deadline instance in a status.
func deadline(st workflows.Status, name string, instance int) (workflows.DeadlineStatus, bool) {
	for _, d := range st.Deadlines {
		if d.Name == name && d.Instance == instance {
			return d, true
		}
	}
	return workflows.DeadlineStatus{}, false
}
