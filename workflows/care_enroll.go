package workflows

import (
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/svcflow/svcflow/internal/policy"
)

// enrollCare starts the VIP customer's care workflow once: an abandoned
// child with ID care-<customer_id>; a customer already enrolled (or whose
// care was stopped) is left as is.
func (w *serviceRequest) enrollCare() {
	c := w.s.Request.Customer
	if c.Tier != policy.VIP {
		return
	}
	cctx := workflow.WithChildOptions(w.ctx, workflow.ChildWorkflowOptions{
		WorkflowID:            CareWorkflowID(c.ID),
		ParentClosePolicy:     enumspb.PARENT_CLOSE_POLICY_ABANDON,
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		StaticSummary:         "VIP care for customer " + c.ID,
		StaticDetails:         "Monthly care letter for **" + c.Name + "**, enrolled by request " + w.s.Request.RequestID,
	})
	f := workflow.ExecuteChildWorkflow(cctx, CareWorkflowType, CareInput{Customer: c, RequestID: w.s.Request.RequestID, Calendar: w.s.Policy.Calendar})
	w.inflight++
	workflow.Go(w.ctx, func(ctx workflow.Context) {
		defer func() { w.inflight-- }()
		if err := f.GetChildWorkflowExecution().Get(ctx, nil); err != nil && !temporal.IsWorkflowExecutionAlreadyStartedError(err) {
			w.logger.Error("VIP care not started", "customer_id", c.ID, "error", err)
		}
	})
}
