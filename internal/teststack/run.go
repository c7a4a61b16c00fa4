package teststack

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/svcflow/svcflow/internal/proc"
)

// RunLimit bounds one program run.
const RunLimit = 90 * time.Second

// Run runs a program to completion with the stack's environment plus
// extra and stdin as its input: name is a built program (worker, starter,
// svcctl) or an absolute path (e.g. the temporal CLI). A non-zero exit is
// a Result; a program that cannot run fails t.
func (s *Stack) Run(t testing.TB, stdin string, extra []string, name string, args ...string) proc.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), RunLimit)
	defer cancel()
	path := name
	if !filepath.IsAbs(path) {
		path = s.Program(name)
	}
	r, err := proc.Run(ctx, path, append(append([]string{}, s.Env...), extra...), stdin, args...)
	if err != nil {
		t.Fatalf("run %s %v: %v", name, args, err)
	}
	return r
}

// HTTP sends body to the intake API with exactly the given headers and,
// unless token is "", the bearer token; it returns the status and body.
func (s *Stack) HTTP(t testing.TB, method, path, token string, body []byte, headers map[string]string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, s.Intake+path, bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	client := http.Client{Timeout: RunLimit}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read the answer: %v", method, path, err)
	}
	return resp.StatusCode, raw
}
