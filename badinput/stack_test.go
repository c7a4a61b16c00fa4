package badinput

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/svcflow/svcflow/internal/proc"
	"github.com/svcflow/svcflow/internal/testenv"
	"github.com/svcflow/svcflow/internal/teststack"
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

// stack is the package's teststack, run with the secrets above (the
// assignee's notifications go to its sink, signed with the webhook
// secret); everything the programs print is kept for the secrets check.
type stack struct {
	*teststack.Stack
	mu      sync.Mutex
	runs    int
	outputs []string // files holding everything programs printed
}

var (
	stackOnce sync.Once
	theStack  *stack
	stackErr  error
)

// TestMain stops the shared stack, its database and server after the run.
func TestMain(m *testing.M) { testenv.Main(m, nil) }

// getStack starts the shared stack on first use.
func getStack(t *testing.T) *stack {
	t.Helper()
	testenv.Integration(t, "PostgreSQL, a Temporal server and the built programs")
	srv := testenv.SharedServer(t)
	stackOnce.Do(func() { theStack, stackErr = newStack(srv) })
	if stackErr != nil {
		t.Fatalf("stack: %v", stackErr)
	}
	return theStack
}

func newStack(srv testenv.Server) (*stack, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dsn, drop, err := testenv.CreateDatabase(ctx)
	if err != nil {
		return nil, err
	}
	testenv.AtExit(drop)
	closedPort, err := proc.FreePort() // nothing listens: e-mail sends fail and are logged
	if err != nil {
		return nil, err
	}
	ts, err := teststack.Start(ctx, teststack.Options{
		Server: srv,
		// Trust authentication ignores the password, so it can ride along.
		DSN:    strings.Replace(dsn, "postgres@", "postgres:"+secretDBPassword+"@", 1),
		Token:  secretToken,
		Secret: secretWebhook,
		Prefix: "bi",
		Env: []string{
			"SVCFLOW_NOTIFY_PARTIES_ASSIGNEE=log,webhook",
			"SVCFLOW_NOTIFY_PARTIES_SUPERVISOR=log,email",
			"SVCFLOW_NOTIFY_EMAIL_HOST=127.0.0.1",
			"SVCFLOW_NOTIFY_EMAIL_PORT=" + strconv.Itoa(closedPort),
			"SVCFLOW_NOTIFY_EMAIL_USERNAME=svcflow",
			"SVCFLOW_NOTIFY_EMAIL_PASSWORD=" + secretSMTPPassword,
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
		},
		Workers: 1,
		Intake:  true,
	})
	if err != nil {
		return nil, err
	}
	testenv.AtExit(ts.Close)
	s := &stack{Stack: ts}
	s.outputs = append(s.outputs, ts.Worker().Log(), filepath.Join(ts.Dir, "starter.log"))
	return s, nil
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
	r := s.Run(t, stdin, extra, name, args...)
	s.keep(t, name, r.Stdout+r.Stderr)
	return result{code: r.Code, stdout: r.Stdout, stderr: r.Stderr}
}

// keep stores program output for the secrets check.
func (s *stack) keep(t *testing.T, name, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.runs++
	p := filepath.Join(s.Dir, fmt.Sprintf("out-%04d-%s.txt", s.runs, name))
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
	code, raw := s.HTTP(t, method, path, token, body, headers)
	s.keep(t, "http", string(raw))
	return code, string(raw)
}
