package workflows

import (
	"path/filepath"
	"testing"
	"time"

	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// Every recorded history must replay on today's code: a change that breaks
// running workflows fails here. testdata/histories holds those recorded by
// the live tests with SVCFLOW_RECORD_HISTORIES=1 on the current code; each
// release's recordings stay beside them in a folder of their own (r1: the
// first release), so older paths keep being proven.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "histories", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	older, err := filepath.Glob(filepath.Join("testdata", "histories", "*", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, older...)
	if len(files) < 2 {
		t.Fatalf("want recorded histories in testdata/histories, found %d", len(files))
	}
	for _, f := range files {
		name, _ := filepath.Rel(filepath.Join("testdata", "histories"), f)
		t.Run(name, func(t *testing.T) {
			r := worker.NewWorkflowReplayer()
			Register(r)
			if err := r.ReplayWorkflowHistoryFromJSONFile(quietLogger(), f); err != nil {
				t.Fatalf("replay: %v", err)
			}
		})
	}
}

// The replayer catches a deliberate non-deterministic change: a workflow
// that sleeps before intake no longer matches the recorded commands.
func TestReplayCatchesNonDeterminism(t *testing.T) {
	changed := func(ctx workflow.Context, in startInput, carried *State) (Status, error) {
		if err := workflow.Sleep(ctx, time.Minute); err != nil {
			return Status{}, err
		}
		return ServiceRequest(ctx, in, carried)
	}
	r := worker.NewWorkflowReplayer()
	r.RegisterWorkflowWithOptions(changed, workflow.RegisterOptions{Name: WorkflowType})
	err := r.ReplayWorkflowHistoryFromJSONFile(quietLogger(), filepath.Join("testdata", "histories", "r1", "happy-path.json"))
	if err == nil {
		t.Fatal("the replayer accepted a non-deterministic change")
	}
	t.Logf("caught: %v", err)
}
