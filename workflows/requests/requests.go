// Package requests is the Temporal client for service requests: start,
// actions as updates and signals, the status query, and the UI summaries a
// start carries. starter, svcctl, the tests and the benchmarks all use it.
package requests

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/svcflow/svcflow/internal/searchattr"
	"github.com/svcflow/svcflow/internal/tclient"
	"github.com/svcflow/svcflow/workflows"
)

// Requests makes the Temporal calls on service requests.
type Requests struct {
	Client    client.Client
	Namespace string
	TaskQueue string
	UIURL     string
}

// Memo fields a start carries, for lists (visibility returns the memo).
const (
	MemoTitle    = "title"
	MemoCustomer = "customer"
)

// StartResult is what starting a request answers (starter --json and
// POST /requests).
type StartResult struct {
	WorkflowID string `json:"workflow_id"`
	RunID      string `json:"run_id"`
	UIURL      string `json:"ui_url"`
	Created    bool   `json:"created"`
}

// NotFoundError says no workflow exists for a request.
type NotFoundError struct{ RequestID string }

func (e *NotFoundError) Error() string { return "request " + e.RequestID + " not found" }

// RejectedError is an action the workflow refused; Reason is its one-line
// answer, e.g. "request sr-42 is in stage analysis; deliver is valid only in
// in_progress or rework".
type RejectedError struct{ Reason string }

func (e *RejectedError) Error() string { return e.Reason }

// NoAnswerError says the workflow did not answer in time (no worker
// polling, or an overloaded one).
type NoAnswerError struct {
	Msg string
	Err error
}

func (e *NoAnswerError) Error() string { return e.Msg + " (" + e.Err.Error() + ")" }
func (e *NoAnswerError) Unwrap() error { return e.Err }

// UILink is the Temporal UI page of a request's workflow.
func (r *Requests) UILink(workflowID string) string {
	return tclient.UILink(r.UIURL, r.Namespace, workflowID)
}

// StartOptions are the start options of a request's workflow. The ID is
// sr-<request_id>; a running workflow with that ID is never started twice
// (conflict policy FAIL, answered as "already existed" with the existing
// run), and a closed one is never restarted (reuse policy
// REJECT_DUPLICATE), so one request has exactly one run.
func (r *Requests) StartOptions(req workflows.Request) client.StartWorkflowOptions {
	return client.StartWorkflowOptions{
		ID:                                       workflows.WorkflowID(req.RequestID),
		TaskQueue:                                r.TaskQueue,
		WorkflowIDConflictPolicy:                 enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		WorkflowIDReusePolicy:                    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowExecutionErrorWhenAlreadyStarted: true,
		StaticSummary:                            fmt.Sprintf("Request %s — %s", req.RequestID, req.Title),
		Memo:                                     map[string]any{MemoTitle: req.Title, MemoCustomer: req.Customer.Name},
		StaticDetails:                            staticDetails(req),
		TypedSearchAttributes:                    startSearchAttributes(req),
	}
}

func staticDetails(req workflows.Request) string {
	// Only what never changes: priority, group and assignee are in the
	// current details, which the workflow keeps up to date.
	var more []string
	if req.Category != "" {
		more = append(more, "category "+req.Category)
	}
	if req.Channel != "" {
		more = append(more, "via "+req.Channel)
	}
	if req.Complex {
		more = append(more, "complex")
	}
	s := fmt.Sprintf("Customer **%s** (%s, %s)", req.Customer.Name, req.Customer.ID, req.Customer.Tier)
	if len(more) > 0 {
		s += "  \n" + strings.Join(more, ", ")
	}
	return s
}

// startSearchAttributes are the CONTRACT §7 attributes known at start; the
// workflow sets the rest and keeps them all current.
func startSearchAttributes(req workflows.Request) temporal.SearchAttributes {
	return temporal.NewSearchAttributes(
		searchattr.RequestID.ValueSet(req.RequestID),
		searchattr.CustomerID.ValueSet(req.Customer.ID),
		searchattr.CustomerTier.ValueSet(req.Customer.Tier),
		searchattr.Priority.ValueSet(req.Priority),
		searchattr.Stage.ValueSet(workflows.StageReceived),
	)
}

// Start starts the workflow of req, or answers with the run that already
// exists for its request ID (Created false). req must be valid.
func (r *Requests) Start(ctx context.Context, req workflows.Request) (StartResult, error) {
	wid := workflows.WorkflowID(req.RequestID)
	res := StartResult{WorkflowID: wid, UIURL: r.UILink(wid)}
	run, err := r.Client.ExecuteWorkflow(ctx, r.StartOptions(req), workflows.WorkflowType, req)
	var already *serviceerror.WorkflowExecutionAlreadyStarted
	switch {
	case err == nil:
		res.RunID, res.Created = run.GetRunID(), true
		return res, nil
	case errors.As(err, &already):
		res.RunID = already.RunId
		if res.RunID == "" {
			d, derr := r.Client.DescribeWorkflowExecution(ctx, wid, "")
			if derr != nil {
				return res, fmt.Errorf("request %s exists but cannot be described: %w", req.RequestID, derr)
			}
			res.RunID = d.GetWorkflowExecutionInfo().GetExecution().GetRunId()
		}
		return res, nil
	default:
		return res, fmt.Errorf("start request %s: %w", req.RequestID, err)
	}
}

// Status runs the status query of a request.
func (r *Requests) Status(ctx context.Context, requestID string) (workflows.Status, error) {
	var st workflows.Status
	v, err := r.Client.QueryWorkflow(ctx, workflows.WorkflowID(requestID), "", workflows.StatusQuery)
	if err != nil {
		return st, r.callError(requestID, "status query", err)
	}
	if err := v.Get(&st); err != nil {
		return st, fmt.Errorf("request %s: decode status: %w", requestID, err)
	}
	return st, nil
}

// Update sends an action as an Update and waits for the workflow's answer.
// A refusal is a *RejectedError carrying the workflow's reason; an unknown
// request a *NotFoundError. The workflow alone keeps the action IDs: a
// repeat is answered ResultDuplicate (the update ID is the SDK's own, so
// Temporal's update dedupe never hands a repeat the first answer).
func (r *Requests) Update(ctx context.Context, requestID, name string, a workflows.Action) (workflows.ActionResult, error) {
	var res workflows.ActionResult
	opts := client.UpdateWorkflowOptions{
		WorkflowID:   workflows.WorkflowID(requestID),
		UpdateName:   name,
		Args:         []any{a},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	}
	h, err := r.Client.UpdateWorkflow(ctx, opts)
	// The server refuses an update before admitting it while the run's
	// workflow task keeps failing or timing out (an overloaded worker):
	// nothing was applied, so asking again is safe; wait a little.
	var notReady *serviceerror.WorkflowNotReady
	for wait, waited := notReadyFirst, time.Duration(0); errors.As(err, &notReady) && waited < notReadyWait; wait = min(2*wait, notReadyMax) {
		select {
		case <-ctx.Done():
			return res, r.callError(requestID, name, ctx.Err())
		case <-time.After(wait):
		}
		waited += wait
		h, err = r.Client.UpdateWorkflow(ctx, opts)
	}
	if err == nil {
		err = h.Get(ctx, &res)
	}
	if err != nil {
		return res, r.callError(requestID, name, err)
	}
	return res, nil
}

// How long Update asks again while the server answers WorkflowNotReady.
var (
	notReadyFirst = 200 * time.Millisecond
	notReadyMax   = 5 * time.Second
	notReadyWait  = 30 * time.Second
)

// Signal sends an action as a Signal (fire and forget: the workflow records
// an invalid one as a rejected event).
func (r *Requests) Signal(ctx context.Context, requestID, name string, a workflows.Action) error {
	if err := r.Client.SignalWorkflow(ctx, workflows.WorkflowID(requestID), "", name, a); err != nil {
		return r.callError(requestID, name, err)
	}
	return nil
}

// callError turns an SDK error into NotFoundError, RejectedError or a
// one-line error naming the request.
func (r *Requests) callError(requestID, what string, err error) error {
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		// A closed workflow answers updates and signals with NotFound too.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		d, derr := r.Client.DescribeWorkflowExecution(ctx, workflows.WorkflowID(requestID), "")
		if derr == nil && d.GetWorkflowExecutionInfo().GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
			return &RejectedError{Reason: fmt.Sprintf("request %s is closed; %s is not accepted", workflows.WorkflowID(requestID), what)}
		}
		return &NotFoundError{RequestID: requestID}
	}
	if reason, ok := Rejection(err); ok {
		return &RejectedError{Reason: reason}
	}
	var timedOut *client.WorkflowUpdateServiceTimeoutOrCanceledError
	var deadline *serviceerror.DeadlineExceeded
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &timedOut) || errors.As(err, &deadline) {
		return &NoAnswerError{Msg: fmt.Sprintf("request %s: %s: no answer in time; is a worker polling task queue %q?", requestID, what, r.TaskQueue), Err: err}
	}
	return fmt.Errorf("request %s: %s: %w", requestID, what, err)
}

// Rejection extracts the workflow's own reason from an update or query
// failure, without the SDK's "(type: ..., retryable: ...)" decorations.
func Rejection(err error) (string, bool) {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return oneLine(appErr.Message()), true
	}
	var qf *serviceerror.QueryFailed
	if errors.As(err, &qf) {
		return oneLine(qf.Message), true
	}
	return "", false
}

// Health checks that the Temporal server answers.
func (r *Requests) Health(ctx context.Context) error {
	_, err := r.Client.CheckHealth(ctx, &client.CheckHealthRequest{})
	return err
}

// oneLine folds a message onto one line.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	s = strings.ReplaceAll(s, "\r\n", "; ")
	return strings.ReplaceAll(s, "\n", "; ")
}

// StopCare ends a VIP customer's monthly care (CustomerCare's stop_care
// update). A customer with no care running is a *RejectedError.
func (r *Requests) StopCare(ctx context.Context, customerID string, a workflows.Action) (workflows.ActionResult, error) {
	var res workflows.ActionResult
	h, err := r.Client.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID:   workflows.CareWorkflowID(customerID),
		UpdateName:   workflows.ActionStopCare,
		Args:         []any{a},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = h.Get(ctx, &res)
	}
	var nf *serviceerror.NotFound
	switch {
	case errors.As(err, &nf):
		return res, &RejectedError{Reason: fmt.Sprintf("customer %s has no VIP care running", customerID)}
	case err != nil:
		if reason, ok := Rejection(err); ok {
			return res, &RejectedError{Reason: reason}
		}
		return res, fmt.Errorf("stop care of customer %s: %w", customerID, err)
	}
	return res, nil
}
