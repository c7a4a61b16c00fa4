package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/testenv"
	"github.com/svcflow/svcflow/internal/whatif/recorded"
)

// testWhatIfSelfCheck replays every request the scenarios recorded under
// the very policy the worker ran with: what-if must reproduce each recorded
// outcome and due time (CONTRACT §10), through the package and through
// svcctl whatif. A request still open may have a deadline due a few
// milliseconds before its workflow records the breach, so both are awaited
// rather than read once; a real divergence never settles.
func testWhatIfSelfCheck(t *testing.T, s *stack, since time.Time) {
	policyFile := filepath.Join(testenv.RepoRoot(), "config", "test.yaml")
	for _, kv := range policyEnv { // the worker's overrides, as config.Load reads them
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	cfg, err := config.Load(policyFile, nil)
	if err != nil {
		t.Fatal(err)
	}
	until := time.Now().Add(time.Minute)
	pollFor(t, "what-if reproduces every recorded due time and outcome", 30*time.Second, func(ctx context.Context) (bool, string, error) {
		sum, err := recorded.SelfCheck(ctx, s.DB, cfg, since, until)
		if err != nil {
			return false, "", err
		}
		if sum.Requests == 0 || sum.Instances == 0 {
			return false, "nothing replayed", nil
		}
		return sum.Differences == 0, fmt.Sprintf("%d of %d instances differ, first %+v", sum.Differences, sum.Instances, sum.FirstDifferences), nil
	})
	pollFor(t, "svcctl whatif under the running policy changes nothing", 30*time.Second, func(ctx context.Context) (bool, string, error) {
		r := s.run(t, "", "svcctl", "whatif", "--policy", policyFile, "--json")
		if r.code != 0 {
			return false, "", fmt.Errorf("svcctl whatif: %s", r)
		}
		var out struct {
			Deadlines []struct {
				Name             string `json:"name"`
				BreachedRecorded int64  `json:"breached_recorded"`
				BreachedWhatIf   int64  `json:"breached_whatif"`
			} `json:"deadlines"`
			Changes []json.RawMessage `json:"changes"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			return false, "", fmt.Errorf("svcctl whatif --json: %v in %q", err, r.stdout)
		}
		breached := int64(0)
		for _, d := range out.Deadlines {
			if d.BreachedRecorded != d.BreachedWhatIf {
				return false, fmt.Sprintf("%s: %d breached recorded, %d in what-if", d.Name, d.BreachedRecorded, d.BreachedWhatIf), nil
			}
			breached += d.BreachedRecorded
		}
		if breached == 0 {
			return false, "", fmt.Errorf("no breach recorded: the check would prove nothing (%s)", r.stdout)
		}
		return len(out.Changes) == 0, fmt.Sprintf("%d changes", len(out.Changes)), nil
	})
}
