package e2e

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/svcflow/svcflow/internal/testenv"
	"github.com/svcflow/svcflow/workflows"
)

// historiesDir is where the replay test (workflows/replay_test.go) reads
// recorded histories.
var historiesDir = filepath.Join("workflows", "testdata", "histories")

// recordHistories writes each run's history to
// workflows/testdata/histories/e2e-<name>.json in the JSON of `temporal
// workflow show --output json`, for the replay test.
func recordHistories(t *testing.T, s *stack, ids map[string]string) {
	dir := filepath.Join(testenv.RepoRoot(), historiesDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(ids))
	for name := range ids {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		wid := workflows.WorkflowID(ids[name])
		h := &historypb.History{}
		iter := s.Client.GetWorkflowHistory(context.Background(), wid, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for iter.HasNext() {
			ev, err := iter.Next()
			if err != nil {
				t.Fatalf("history of %s: %v", wid, err)
			}
			h.Events = append(h.Events, ev)
		}
		b, err := protojson.MarshalOptions{Multiline: true, Indent: "  "}.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "e2e-"+name+".json")
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("recorded %s (%d events) to %s", wid, len(h.Events), path)
	}
}
