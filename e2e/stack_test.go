package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/svcflow/svcflow/internal/testenv"
	"github.com/svcflow/svcflow/internal/teststack"
	"github.com/svcflow/svcflow/workflows"
)

// stack is the suite's teststack (worker, intake, the test binary's
// server) with the scenarios' own helpers.
type stack struct {
	*teststack.Stack
	temporalBin string // the temporal CLI, as engineers query and signal
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
	env := append([]string{"SVCFLOW_ACTOR=e2e-agent"}, policyEnv...) // svcctl's actor when --actor is not given
	ts := teststack.New(t, teststack.Options{Env: env, Workers: 1, Intake: true, Prefix: "e2e"})
	bin, err := testenv.TemporalBin()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("e2e on the %s server at %s", ts.Server.Kind(), ts.HostPort)
	return &stack{Stack: ts, temporalBin: bin}
}

// id is a request ID unique to this run.
func (s *stack) id(name string) string { return s.ID(name) }

// result is a finished program run.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
}

// run runs a built program (or the temporal CLI by its path).
func (s *stack) run(t *testing.T, stdin, name string, args ...string) result {
	t.Helper()
	r := s.Run(t, stdin, nil, name, args...)
	return result{code: r.Code, stdout: r.Stdout, stderr: r.Stderr}
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

// httpWith is http with more headers; the answer must be a JSON object.
func (s *stack) httpWith(t *testing.T, method, path, body string, headers map[string]string) (int, map[string]any) {
	t.Helper()
	h := map[string]string{"Content-Type": "application/json"}
	for k, v := range headers {
		h[k] = v
	}
	code, raw := s.HTTP(t, method, path, s.Token, []byte(body), h)
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s %s: %d %q is not a JSON object", method, path, code, raw)
	}
	return code, m
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

func (s *stack) status(t *testing.T, id string) workflows.Status { t.Helper(); return s.Status(t, id) }

func (s *stack) waitStatus(t *testing.T, id, what string, limit time.Duration, cond func(workflows.Status) bool) workflows.Status {
	t.Helper()
	return s.WaitStatus(t, id, what, limit, cond)
}

func (s *stack) waitClosed(t *testing.T, id string) workflows.Status {
	t.Helper()
	return s.WaitClosed(t, id)
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

// waitDB polls a database condition (records trail transitions a little).
func (s *stack) waitDB(t *testing.T, what string, cond func(ctx context.Context) (bool, string, error)) {
	t.Helper()
	s.WaitDB(t, what, cond)
}
