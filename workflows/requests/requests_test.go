package requests

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
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
