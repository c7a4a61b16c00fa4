package testenv

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/svcflow/svcflow/internal/searchattr"
)

func TestRepoRoot(t *testing.T) {
	root := RepoRoot()
	if root == "" {
		t.Fatal("RepoRoot found nothing")
	}
	if _, err := os.Stat(filepath.Join(root, "internal", "testenv", "temporal.go")); err != nil {
		t.Fatalf("RepoRoot %s is not the repository: %v", root, err)
	}
}

func TestStartTemporalSharedWithSearchAttributes(t *testing.T) {
	addr := StartTemporal(t)
	if again := StartTemporal(t); again != addr {
		t.Fatalf("second call started another server: %s vs %s", again, addr)
	}
	c, err := client.Dial(client.Options{HostPort: addr})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	resp, err := c.OperatorService().ListSearchAttributes(context.Background(),
		&operatorservice.ListSearchAttributesRequest{Namespace: "default"})
	if err != nil {
		t.Fatal(err)
	}
	for name, typ := range searchattr.Types() {
		if got := resp.GetCustomAttributes()[name]; got != typ {
			t.Errorf("search attribute %s: got %s, want %s", name, got, typ)
		}
	}
}

func TestOwnServerStops(t *testing.T) {
	srv := StartOwnTemporal(t, false)
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if c, err := client.DialContext(ctx, client.Options{HostPort: srv.HostPort}); err == nil {
		c.Close()
		t.Fatal("server still answers after Stop")
	}
}

func TestServerThatExitsEarlyIsReported(t *testing.T) {
	t.Setenv(TemporalBinEnv, "/bin/false")
	start := time.Now()
	_, err := startTemporal(false)
	if err == nil || !strings.Contains(err.Error(), "exited early") {
		t.Fatalf("got %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("noticing the exit took %s", d)
	}
}
