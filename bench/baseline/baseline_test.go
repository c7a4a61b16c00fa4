package baseline

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"
)

// The baseline runs exactly 8 activities and completes after 7 updates.
func TestBaselineShape(t *testing.T) {
	for _, wf := range []struct {
		name string
		fn   func(workflow.Context, string) (int, error)
	}{{WorkflowType, Workflow}, {WorkflowTypeSA, WorkflowSA}} {
		t.Run(wf.name, func(t *testing.T) {
			var s testsuite.WorkflowTestSuite
			env := s.NewTestWorkflowEnvironment()
			var calls atomic.Int32
			env.RegisterActivityWithOptions(func(ctx context.Context, n int) (int, error) {
				calls.Add(1)
				return n, nil
			}, activity.RegisterOptions{Name: ActivityName})
			if wf.name == WorkflowTypeSA {
				env.SetTypedSearchAttributesOnStart(temporal.NewSearchAttributes(stage.ValueSet("start")))
			}
			for u := 1; u <= Updates; u++ {
				env.RegisterDelayedCallback(func() {
					env.UpdateWorkflow(UpdateName, "", &testsuite.TestUpdateCallback{
						OnReject: func(err error) { t.Errorf("update %d rejected: %v", u, err) },
						OnAccept: func() {},
						OnComplete: func(v any, err error) {
							if err != nil || v.(int) != u {
								t.Errorf("update %d: %v, %v", u, v, err)
							}
						},
					}, u)
				}, time.Duration(u)*time.Second)
			}
			env.ExecuteWorkflow(wf.fn, "x")
			if err := env.GetWorkflowError(); err != nil {
				t.Fatal(err)
			}
			var done int
			if err := env.GetWorkflowResult(&done); err != nil || done != Updates {
				t.Fatalf("result %d, %v; want %d", done, err, Updates)
			}
			if n := calls.Load(); n != Updates+1 {
				t.Errorf("%d activities ran, want %d", n, Updates+1)
			}
		})
	}
}
