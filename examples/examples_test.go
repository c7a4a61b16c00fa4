package examples

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/svcflow/svcflow/workflows"
)

func TestRequestsDecode(t *testing.T) {
	files, err := filepath.Glob("requests/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no requests/*.json (%v)", err)
	}
	ids := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		req, err := workflows.DecodeRequest(bytes.NewReader(data))
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if prev, dup := ids[req.RequestID]; dup {
			t.Errorf("%s and %s share request_id %s", prev, f, req.RequestID)
		}
		ids[req.RequestID] = f
	}
}

// Every request action has exactly one example, named after it, that the
// strict decoder accepts; action IDs are unique across the set.
func TestActionsDecode(t *testing.T) {
	files, err := filepath.Glob("actions/*.json")
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	ids := map[string]string{}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		have[name] = true
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a, err := workflows.DecodeAction(name, data)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if a.ActionID == "" || a.Actor == "" {
			t.Errorf("%s: an example carries action_id and actor", f)
		}
		if prev, dup := ids[a.ActionID]; dup {
			t.Errorf("%s and %s share action_id %s", prev, f, a.ActionID)
		}
		ids[a.ActionID] = f
	}
	var missing []string
	for _, spec := range workflows.Actions() {
		if spec.Care {
			continue // stop_care goes to the care workflow through svcctl stop-care
		}
		if !have[spec.Name] {
			missing = append(missing, spec.Name)
		}
		delete(have, spec.Name)
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("no example for %s", strings.Join(missing, ", "))
	}
	for name := range have {
		t.Errorf("actions/%s.json names no action", name)
	}
}

// The README's commands name files that exist.
func TestReadmeNamesExistingFiles(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range strings.Fields(string(data)) {
		field = strings.Trim(field, "`(),;:")
		field = strings.TrimPrefix(field, "@")
		if !strings.HasPrefix(field, "examples/") || !strings.HasSuffix(field, ".json") {
			continue
		}
		if _, err := os.Stat(strings.TrimPrefix(field, "examples/")); err != nil {
			t.Errorf("README names %s, which does not exist", field)
		}
	}
}
