package requests

import (
	"fmt"
	"strings"

	"github.com/svcflow/svcflow/workflows"
)

// RequestIDArg turns a command-line request argument into a request ID:
// both "42" and the workflow ID "sr-42" name request 42.
func RequestIDArg(arg string) (string, error) {
	id := strings.TrimPrefix(strings.TrimSpace(arg), workflows.WorkflowIDPrefix)
	if !workflows.ValidRequestID(id) {
		return "", fmt.Errorf("request %q: must be 1-64 of A-Za-z0-9._- (optionally prefixed %q)", arg, workflows.WorkflowIDPrefix)
	}
	return id, nil
}
