package recorded_test

import (
	"testing"

	"github.com/svcflow/svcflow/internal/whatif"
	"github.com/svcflow/svcflow/workflows"
)

// The event kinds what-if reads are the workflow's action names.
func TestKindsAreTheWorkflowsActions(t *testing.T) {
	for kind, action := range map[string]string{
		whatif.KindRequestInfo:   workflows.ActionRequestInfo,
		whatif.KindProvideInfo:   workflows.ActionProvideInfo,
		whatif.KindReprioritize:  workflows.ActionReprioritize,
		whatif.KindReassign:      workflows.ActionReassign,
		whatif.KindSubmitSheet:   workflows.ActionSubmitSheet,
		whatif.KindAnnounceDelay: workflows.ActionAnnounceDelay,
	} {
		if kind != "action."+action {
			t.Errorf("%s is not the event of action %s", kind, action)
		}
	}
}
