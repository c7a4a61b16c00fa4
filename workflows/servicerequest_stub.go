package workflows

import "go.temporal.io/sdk/workflow"

// ServiceRequest is the workflow of one request. STUB.
func ServiceRequest(ctx workflow.Context, in Request) (Status, error) { panic("todo") }
