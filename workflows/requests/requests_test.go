package requests

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/mocks"
	"go.temporal.io/sdk/temporal"

	"github.com/svcflow/svcflow/internal/searchattr"
	"github.com/svcflow/svcflow/workflows"
)

func TestRequestIDArg(t *testing.T) {
	for in, want := range map[string]string{"42": "42", "sr-42": "42", " sr-a.b_c-1 ": "a.b_c-1"} {
		if got, err := RequestIDArg(in); err != nil || got != want {
			t.Errorf("RequestIDArg(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "sr-", "4 2", "a/b", string(make([]byte, 65))} {
		if _, err := RequestIDArg(in); err == nil {
			t.Errorf("RequestIDArg(%q) accepted", in)
		}
	}
}

func TestRejectionStripsSDKDecorations(t *testing.T) {
	reason := "request sr-42 is in stage analysis; deliver is valid only in in_progress or rework"
	err := fmt.Errorf("update failed: %w", temporal.NewNonRetryableApplicationError(reason, "Rejected", nil))
	if got, ok := Rejection(err); !ok || got != reason {
		t.Fatalf("Rejection = %q, %v; want %q (error text %q)", got, ok, reason, err)
	}
	if _, ok := Rejection(errors.New("connection refused")); ok {
		t.Fatal("a transport error counted as a rejection")
	}
}

func TestStartOptions(t *testing.T) {
	r := &Requests{TaskQueue: "tq", Namespace: "default", UIURL: "http://ui:8233"}
	req := workflows.Request{RequestID: "42", Title: "Printer jams", Priority: "urgent", Customer: workflows.Customer{ID: "c-7", Name: "Acme Ltd", Tier: "vip"}}
	o := r.StartOptions(req)
	if o.ID != "sr-42" || o.TaskQueue != "tq" || o.StaticSummary != "Request 42 — Printer jams" || !strings.Contains(o.StaticDetails, "Acme Ltd") {
		t.Fatalf("options %+v", o)
	}
	if o.WorkflowIDReusePolicy != enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE || !o.WorkflowExecutionErrorWhenAlreadyStarted {
		t.Fatalf("a closed request could be restarted: %+v", o)
	}
	sa := o.TypedSearchAttributes
	for key, want := range map[temporal.SearchAttributeKeyKeyword]string{
		searchattr.RequestID: "42", searchattr.CustomerID: "c-7", searchattr.CustomerTier: "vip",
		searchattr.Priority: "urgent", searchattr.Stage: workflows.StageReceived,
	} {
		if got, ok := sa.GetKeyword(key); !ok || got != want {
			t.Errorf("%s = %q, want %q", key.GetName(), got, want)
		}
	}
	if got := r.UILink("sr-42"); got != "http://ui:8233/namespaces/default/workflows/sr-42" {
		t.Errorf("UILink = %q", got)
	}
}

// While the server answers WorkflowNotReady (the run's workflow task keeps
// failing under load; the update was not admitted), Update asks again and
// returns the answer of the call that got through.
func TestUpdateAsksAgainWhileNotReady(t *testing.T) {
	notReadyFirst, notReadyMax = time.Millisecond, 2*time.Millisecond
	t.Cleanup(func() { notReadyFirst, notReadyMax = 200*time.Millisecond, 5*time.Second })
	c := mocks.NewClient(t)
	h := mocks.NewWorkflowUpdateHandle(t)
	h.On("Get", mock.Anything, mock.Anything).Run(func(args mock.Arguments) {
		*args.Get(1).(*workflows.ActionResult) = workflows.ActionResult{Result: "accepted"}
	}).Return(nil).Once()
	notReady := serviceerror.NewWorkflowNotReady("Unable to perform workflow execution update due to Workflow Task in failed state.")
	c.On("UpdateWorkflow", mock.Anything, mock.Anything).Return(nil, notReady).Twice()
	c.On("UpdateWorkflow", mock.Anything, mock.Anything).Return(h, nil).Once()
	r := &Requests{Client: c}
	res, err := r.Update(context.Background(), "r1", workflows.ActionRespond, workflows.Action{ActionID: "a1", Actor: "alice"})
	if err != nil || res.Result != "accepted" {
		t.Fatalf("got %+v, %v; want accepted after two refusals", res, err)
	}
}
