package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/svcflow/svcflow/internal/cli"
)

// runStarter runs the starter command line and returns its exit code and stderr.
func runStarter(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	root := newRootCmd()
	root.SetArgs(args)
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetIn(strings.NewReader(stdin))
	code := cli.Execute("starter", root, &errb)
	return code, out.String(), errb.String()
}

func TestStartInputErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"request_id":"42","customer":{"id":"c","name":"n","tier":"gold"},"priority":"urgent","title":"t"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"nothing given", "", nil, cli.ExitUsage, "--file"},
		{"file and flags", "", []string{"--file", bad, "--request-id", "1"}, cli.ExitUsage, "not both"},
		{"unknown flag", "", []string{"--colour", "red"}, cli.ExitUsage, "unknown flag"},
		{"bad file", "", []string{"--file", bad}, cli.ExitRejected, "customer.tier"},
		{"missing file", "", []string{"--file", filepath.Join(dir, "none.json")}, cli.ExitRejected, "none.json"},
		{"bad stdin", `{"request_id":"42","extra":1}`, []string{"--file", "-"}, cli.ExitRejected, "extra"},
		{"bad flags", "", []string{"--request-id", "4 2", "--priority", "soon"}, cli.ExitRejected, "priority"},
		{"bad submitted-at", "", []string{"--request-id", "42", "--submitted-at", "yesterday"}, cli.ExitRejected, "--submitted-at"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runStarter(t, c.stdin, c.args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d (stderr %q)", code, c.code, stderr)
			}
			if !strings.HasPrefix(stderr, "starter: ") || !strings.Contains(stderr, c.want) {
				t.Fatalf("stderr %q lacks %q", stderr, c.want)
			}
			if first := strings.SplitN(stderr, "\n", 2)[0]; strings.Count(first, "starter:") != 1 {
				t.Fatalf("reason is not one line: %q", stderr)
			}
		})
	}
}

func TestRequestFromFlags(t *testing.T) {
	cmd := &cobra.Command{Use: "x"}
	var o startOptions
	o.bind(cmd)
	if err := cmd.ParseFlags([]string{"--request-id", "42", "--customer-id", "c-7", "--customer-name", "Acme", "--tier", "vip", "--priority", "urgent", "--title", "Printer jams", "--complex", "--submitted-at", "2026-11-20T09:00:00+08:00"}); err != nil {
		t.Fatal(err)
	}
	req, err := o.request(cmd.Flags(), strings.NewReader(""), 5*time.Minute, 100*365*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if req.RequestID != "42" || req.Customer.ID != "c-7" || req.Customer.Tier != "vip" || req.Priority != "urgent" || !req.Complex || req.SubmittedAt == nil || req.SubmittedAt.Hour() != 9 {
		t.Fatalf("request %+v", req)
	}
}

func TestRequestFromStdin(t *testing.T) {
	cmd := &cobra.Command{Use: "x"}
	var o startOptions
	o.bind(cmd)
	if err := cmd.ParseFlags([]string{"--file", "-"}); err != nil {
		t.Fatal(err)
	}
	req, err := o.request(cmd.Flags(), strings.NewReader(`{"request_id":"42","customer":{"id":"c-7","name":"Acme","tier":"standard"},"priority":"normal","title":"t"}`), 5*time.Minute, 720*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if req.RequestID != "42" || req.Customer.Name != "Acme" {
		t.Fatalf("request %+v", req)
	}
}
