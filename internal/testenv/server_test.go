package testenv

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/svcflow/svcflow/internal/searchattr"
)

func TestMain(m *testing.M) { Main(m, nil) }

func TestRepoRoot(t *testing.T) {
	root := RepoRoot()
	if root == "" {
		t.Fatal("RepoRoot found nothing")
	}
	if _, err := os.Stat(filepath.Join(root, "internal", "testenv", "server.go")); err != nil {
		t.Fatalf("RepoRoot %s is not the repository: %v", root, err)
	}
}

func TestServerKind(t *testing.T) {
	for v, want := range map[string]Kind{"": Dev, "dev": Dev, "cluster": Cluster} {
		t.Setenv(ServerEnv, v)
		if got, err := ServerKind(); err != nil || got != want {
			t.Errorf("%s=%q: %q, %v; want %q", ServerEnv, v, got, err, want)
		}
	}
	t.Setenv(ServerEnv, "prod")
	if _, err := ServerKind(); err == nil || !strings.Contains(err.Error(), ServerEnv) {
		t.Errorf("%s=prod: %v; want an error naming the variable", ServerEnv, err)
	}
}

func TestPollReturnsOnceTrueAndNamesTheLastStateOnTimeout(t *testing.T) {
	n := 0
	if err := Poll(context.Background(), "third call", func(context.Context) (bool, string, error) { n++; return n == 3, "", nil }); err != nil || n != 3 {
		t.Fatalf("Poll: %v after %d calls", err, n)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	err := Poll(ctx, "never", func(context.Context) (bool, string, error) { return false, "still 7", nil })
	if err == nil || !strings.Contains(err.Error(), "never") || !strings.Contains(err.Error(), "still 7") {
		t.Fatalf("Poll timeout: %v", err)
	}
	boom := errors.New("boom")
	if err := Poll(context.Background(), "failing", func(context.Context) (bool, string, error) { return false, "", boom }); !errors.Is(err, boom) {
		t.Fatalf("Poll error: %v", err)
	}
}

func TestSharedServerHasSearchAttributes(t *testing.T) {
	srv := SharedServer(t)
	if again := SharedServer(t); again != srv {
		t.Fatal("second call started another server")
	}
	c, err := client.Dial(client.Options{HostPort: srv.HostPort(), Logger: QuietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	resp, err := c.OperatorService().ListSearchAttributes(context.Background(),
		&operatorservice.ListSearchAttributesRequest{Namespace: srv.Namespace()})
	if err != nil {
		t.Fatal(err)
	}
	for name, typ := range searchattr.Types() {
		if got := resp.GetCustomAttributes()[name]; got != typ {
			t.Errorf("search attribute %s: got %s, want %s", name, got, typ)
		}
	}
}

func TestDevServerStops(t *testing.T) {
	srv := NewServer(t, Dev, ServerOptions{NoSearchAttributes: true})
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if c, err := client.DialContext(ctx, client.Options{HostPort: srv.HostPort(), Logger: QuietLogger()}); err == nil {
		c.Close()
		t.Fatal("server still answers after Stop")
	}
}

func TestDevServerThatExitsEarlyIsReported(t *testing.T) {
	t.Setenv(TemporalBinEnv, "/bin/false")
	start := time.Now()
	_, err := StartServer(context.Background(), Dev, ServerOptions{})
	if err == nil || !strings.Contains(err.Error(), "exited early") {
		t.Fatalf("got %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("noticing the exit took %s", d)
	}
}

func TestMissingTemporalBinIsNamed(t *testing.T) {
	t.Setenv(TemporalBinEnv, filepath.Join(t.TempDir(), "no-temporal"))
	if _, err := TemporalBin(); err == nil || !strings.Contains(err.Error(), TemporalBinEnv) {
		t.Fatalf("TemporalBin with a missing file: %v", err)
	}
}
