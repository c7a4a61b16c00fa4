package teststack

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/svcflow/svcflow/internal/testenv"
	"github.com/svcflow/svcflow/workflows"
)

// Status is the request's status query.
func (s *Stack) Status(t testing.TB, id string) workflows.Status {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	st, err := s.Requests.Status(ctx, id)
	if err != nil {
		t.Fatalf("status query of %s: %v", id, err)
	}
	return st
}

// WaitStatus polls the status query until cond holds, for at most limit.
func (s *Stack) WaitStatus(t testing.TB, id, what string, limit time.Duration, cond func(workflows.Status) bool) workflows.Status {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	var st workflows.Status
	err := testenv.Poll(ctx, "request "+id+" "+what, func(ctx context.Context) (bool, string, error) {
		st = s.Status(t, id)
		b, _ := json.MarshalIndent(st, "", "  ")
		return cond(st), "last status:\n" + string(b), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// WaitClosed waits for the request's workflow to complete and returns its
// final status.
func (s *Stack) WaitClosed(t testing.TB, id string) workflows.Status {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var st workflows.Status
	if err := s.Client.GetWorkflow(ctx, workflows.WorkflowID(id), "").Get(ctx, &st); err != nil {
		t.Fatalf("workflow of %s: %v", id, err)
	}
	return st
}

// WaitDB polls a database condition for at most 30 s: records are written
// by activities shortly after each transition.
func (s *Stack) WaitDB(t testing.TB, what string, cond func(ctx context.Context) (bool, string, error)) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := testenv.Poll(ctx, what, cond); err != nil {
		t.Fatal(err)
	}
}
