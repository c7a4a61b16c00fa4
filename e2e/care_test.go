package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/svcflow/svcflow/workflows"
)

// testStopCare: a VIP request enrols its customer in CustomerCare
// (care-<customer_id>); `svcctl stop-care` ends it, and a second stop says
// there is no care running (exit 1).
func testStopCare(t *testing.T, s *stack) string {
	id := s.id("vip")
	customer := "cust-" + id
	if r := s.run(t, requestJSON(id, "vip", "normal", false), "starter", "--file", "-"); r.code != 0 {
		t.Fatalf("starter: %s", r)
	}
	careID := workflows.CareWorkflowID(customer)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		if _, err := s.Client.DescribeWorkflowExecution(ctx, careID, ""); err == nil {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("care workflow %s never started", careID)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if out := s.svcctl(t, "stop-care", customer, "--note", "customer asked"); !strings.Contains(out, "stopped VIP care of customer "+customer) {
		t.Fatalf("stop-care printed %q", out)
	}
	var res workflows.CareResult
	if err := s.Client.GetWorkflow(ctx, careID, "").Get(ctx, &res); err != nil || !res.Stopped {
		t.Fatalf("care result %+v, %v", res, err)
	}
	r := s.run(t, "", "svcctl", "stop-care", customer)
	if r.code != 1 || !strings.Contains(r.stderr, "has no VIP care running") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Fatalf("second stop-care: %s", r)
	}
	s.svcctl(t, "cancel", id, "--reason", "test over")
	return id
}
