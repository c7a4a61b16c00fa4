package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/svcflow/svcflow/internal/testenv"
	"github.com/svcflow/svcflow/workflows"
)

// exampleWalk is the order examples/actions/ payloads are sent in: every
// action that needs no date (the dates in submit_sheet and announce_delay
// are placeholders a reader changes), from intake to a cancellation.
var exampleWalk = []struct{ action, stage string }{
	{"respond", workflows.StageAnalysis},
	{"request_info", workflows.StageAnalysis},
	{"provide_info", workflows.StageAnalysis},
	{"note", workflows.StageAnalysis},
	{"reassign", workflows.StageAnalysis},
	{"complain", workflows.StageAnalysis},
	{"resolve_complaint", workflows.StageAnalysis},
	{"apply_policy", workflows.StageAnalysis},
	{"cancel", workflows.StageClosed},
}

// testExamples starts examples/requests/printer-down.json with the starter
// (under this run's request ID) and sends the examples' action payloads
// unchanged over HTTP, as the examples README shows.
func testExamples(t *testing.T, s *stack) string {
	root := filepath.Join(testenv.RepoRoot(), "examples")
	raw, err := os.ReadFile(filepath.Join(root, "requests", "printer-down.json"))
	if err != nil {
		t.Fatal(err)
	}
	var req map[string]any
	if err := json.Unmarshal(raw, &req); err != nil {
		t.Fatal(err)
	}
	id := s.id("example")
	req["request_id"] = id
	raw, _ = json.Marshal(req)
	if r := s.run(t, string(raw), "starter", "--file", "-"); r.code != 0 {
		t.Fatalf("starter --file printer-down.json: %s", r)
	}
	for _, step := range exampleWalk {
		body, err := os.ReadFile(filepath.Join(root, "actions", step.action+".json"))
		if err != nil {
			t.Fatal(err)
		}
		code, m := s.http(t, "POST", "/requests/"+id+"/actions/"+step.action, string(body))
		if code != 200 || m["result"] != "accepted" || m["stage"] != step.stage {
			t.Fatalf("examples/actions/%s.json: %d %v, want accepted in %s", step.action, code, m, step.stage)
		}
	}
	if st := s.waitClosed(t, id); st.Outcome != workflows.OutcomeCancelled || st.Assignee != "kim" {
		t.Errorf("outcome %q assignee %q, want cancelled, kim (from reassign.json)", st.Outcome, st.Assignee)
	}
	return id
}
