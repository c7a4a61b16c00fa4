package main

import (
	"bytes"
	"context"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svcflow/svcflow/internal/testenv"
)

// runWorker runs the command line in-process with a clean environment.
func runWorker(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func clearEnv(t *testing.T) {
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "SVCFLOW_") && k != testenv.TemporalBinEnv && k != testenv.AdminDSNEnv {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
}

func deadAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func TestUsageErrorsExit2(t *testing.T) {
	clearEnv(t)
	for _, args := range [][]string{{"--no-such-flag"}, {"extra"}, {"migrate", "extra"}} {
		code, _, stderr := runWorker(t, args...)
		if code != 2 || !strings.HasPrefix(stderr, "worker: ") {
			t.Errorf("%q: exit %d, stderr %q; want 2 and a reason", args, code, stderr)
		}
	}
	// A bad value for a known flag is bad input, named: exit 1.
	code, _, stderr := runWorker(t, "--connect-wait", "soon")
	if code != 1 || strings.TrimSpace(stderr) != `worker: --connect-wait: "soon" is not a duration (e.g. 30s, 5m, 2h)` {
		t.Errorf("--connect-wait soon: exit %d, stderr %q", code, stderr)
	}
}

func TestBadConfigListsEveryProblem(t *testing.T) {
	clearEnv(t)
	path := filepath.Join(t.TempDir(), "bad.yaml")
	bad := "calendar:\n  timezone: Mars/Olympus\nsla:\n  warn_at: 7\nworker:\n  log_format: xml\n"
	if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runWorker(t, "--config", path)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", code, stderr)
	}
	for _, want := range []string{"invalid configuration", "calendar.timezone", "sla.warn_at"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if code, _, stderr := runWorker(t, "--config", filepath.Join(t.TempDir(), "missing.yaml")); code != 1 || strings.Count(stderr, "\n") != 1 {
		t.Errorf("missing file: exit %d, stderr %q; want 1 and one line", code, stderr)
	}
}

func TestLocalDevGet(t *testing.T) {
	clearEnv(t)
	t.Setenv("SVCFLOW_TEMPORAL_ADDRESS", "10.1.2.3:7233")
	code, stdout, stderr := runWorker(t, "localdev", "get", "temporal.address", "temporal.task_queue", "postgres.max_conns", "--namespace", "ops")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := "10.1.2.3:7233\nsvcflow\n8\n"; stdout != want {
		t.Fatalf("got %q, want %q", stdout, want)
	}
	code, stdout, _ = runWorker(t, "localdev", "get", "temporal.namespace", "--namespace", "ops")
	if code != 0 || stdout != "ops\n" {
		t.Fatalf("flag override: exit %d, %q", code, stdout)
	}
	if code, _, stderr := runWorker(t, "localdev", "get", "temporal.nope"); code != 1 || !strings.Contains(stderr, "temporal.nope: no such configuration key") {
		t.Fatalf("unknown key: exit %d, %q", code, stderr)
	}
}

func TestLocalDevEnsureDB(t *testing.T) {
	clearEnv(t)
	dsn := testenv.NewDatabase(t) // exists; we use a sibling name that does not
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Path += "_made"
	t.Cleanup(func() { dropDatabase(t, strings.TrimPrefix(u.Path, "/")) })
	t.Setenv("SVCFLOW_POSTGRES_DSN", u.String())
	if code, stdout, stderr := runWorker(t, "localdev", "ensure-db"); code != 0 || stdout != "created\n" {
		t.Fatalf("first: exit %d, %q %q", code, stdout, stderr)
	}
	if code, stdout, stderr := runWorker(t, "localdev", "ensure-db"); code != 0 || stdout != "exists\n" {
		t.Fatalf("second: exit %d, %q %q", code, stdout, stderr)
	}
	t.Setenv("SVCFLOW_POSTGRES_DSN", "postgres://postgres@"+deadAddr(t)+"/x?sslmode=disable")
	code, _, stderr := runWorker(t, "localdev", "ensure-db")
	if code != exitNoPostgres || !strings.HasPrefix(stderr, "worker: PostgreSQL does not answer at 127.0.0.1:") {
		t.Fatalf("dead server: exit %d, %q", code, stderr)
	}
}
