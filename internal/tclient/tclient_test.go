package tclient_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/tclient"
	"github.com/svcflow/svcflow/internal/testenv"
)

// deadAddr is a local port nothing listens on.
func deadAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestDialUnreachableOnce(t *testing.T) {
	addr := deadAddr(t)
	start := time.Now()
	_, err := tclient.Dial(context.Background(), config.Temporal{Address: addr, Namespace: "default"}, tclient.Options{})
	if err == nil {
		t.Fatal("dial of a dead address succeeded")
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "cannot reach Temporal at "+addr+": ") || strings.Contains(msg, "\n") {
		t.Fatalf("error %q is not one line naming %s", msg, addr)
	}
	var ue *tclient.UnreachableError
	if !errors.As(err, &ue) || ue.Addr != addr {
		t.Fatalf("error %T is not an *UnreachableError", err)
	}
	t.Log(msg)
	if d := time.Since(start); d > 15*time.Second {
		t.Fatalf("single attempt took %s", d)
	}
}

func TestDialWaitIsBounded(t *testing.T) {
	addr := deadAddr(t)
	start := time.Now()
	_, err := tclient.Dial(context.Background(), config.Temporal{Address: addr}, tclient.Options{Wait: 1500 * time.Millisecond})
	d := time.Since(start)
	if err == nil || !strings.HasPrefix(err.Error(), "cannot reach Temporal at "+addr) {
		t.Fatalf("got %v", err)
	}
	if d < time.Second || d > 10*time.Second {
		t.Fatalf("Wait 1.5s took %s", d)
	}
}

func TestDialRetriesUntilServerAnswers(t *testing.T) {
	addr := testenv.StartTemporal(t)
	c, err := tclient.Dial(context.Background(), config.Temporal{Address: addr, Namespace: "default"}, tclient.Options{Wait: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.CheckHealth(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
}

func TestBadConfigNamesField(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(notPEM, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		cfg  config.Temporal
		want string
	}{
		{config.Temporal{}, "temporal.address"},
		{config.Temporal{Address: "x:1", TLS: config.TLS{CertFile: "c.pem"}}, "temporal.tls.key_file"},
		{config.Temporal{Address: "x:1", TLS: config.TLS{KeyFile: "k.pem"}}, "temporal.tls.cert_file"},
		{config.Temporal{Address: "x:1", TLS: config.TLS{CAFile: filepath.Join(dir, "missing.pem")}}, "temporal.tls.ca_file"},
		{config.Temporal{Address: "x:1", TLS: config.TLS{CAFile: notPEM}}, "temporal.tls.ca_file"},
	}
	for _, c := range cases {
		_, err := tclient.Dial(context.Background(), c.cfg, tclient.Options{})
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want an error naming %s", c.cfg, err, c.want)
		}
	}
}

func TestUILink(t *testing.T) {
	cases := map[[3]string]string{
		{"http://localhost:8233", "default", "sr-42"}: "http://localhost:8233/namespaces/default/workflows/sr-42",
		{"http://localhost:8233/", "", "sr-42"}:       "http://localhost:8233/namespaces/default/workflows/sr-42",
		{"https://ui.example", "prod", "sr-a/b c"}:    "https://ui.example/namespaces/prod/workflows/sr-a%2Fb%20c",
	}
	for in, want := range cases {
		if got := tclient.UILink(in[0], in[1], in[2]); got != want {
			t.Errorf("UILink%q = %s, want %s", in, got, want)
		}
	}
}
