package workflows

import (
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// Register registers every svcflow workflow on w under its contract name.
func Register(w worker.WorkflowRegistry) {
	w.RegisterWorkflowWithOptions(ServiceRequest, workflow.RegisterOptions{Name: WorkflowType})
	w.RegisterWorkflowWithOptions(CustomerCare, workflow.RegisterOptions{Name: CareWorkflowType})
}
