package badinput

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/testenv"
)

// baseConfig is config/test.yaml; config cases change one line of it.
func baseConfig(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "config", "test.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// configCases are configuration files config.Load must refuse, naming the key.
var configCases = []struct {
	name, old, new, want string
}{
	{"unknown key", "  sheet_rounds: 3", "  sheet_rounds: 3\n  sheet_roundz: 4", "sla.sheet_roundz"},
	{"bad duration", "response:        {clock: wall, urgent: 4s", "response:        {clock: wall, urgent: 4 parsecs", "sla.deadlines.response.urgent"},
	{"bad clock", "response:        {clock: wall,", "response:        {clock: sundial,", "sla.deadlines.response.clock"},
	{"bad time zone", "timezone: UTC", "timezone: Mars/Olympus_Mons", "calendar.timezone"},
	{"bad working hours", `mon: ["00:00-24:00"]`, `mon: ["18:00-09:00"]`, "calendar.hours.mon"},
	{"bad silence policy", "acceptance_silence: auto_accept", "acceptance_silence: shrug", "sla.acceptance_silence"},
	{"negative rounds", "sheet_rounds: 3", "sheet_rounds: -1", "sla.sheet_rounds"},
	{"bad notify channel", "customer: [log]", "customer: [pigeon]", "notify.parties.customer"},
	{"bad max_body", "max_body: 64KiB", "max_body: lots", "intake.max_body"},
	{"malformed YAML", "sla:\n", "sla:\n  - [unclosed\n", "yaml"},
}

func TestConfigLoadRefuses(t *testing.T) {
	// Keep the caller's SVCFLOW_* overrides out of these loads.
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "SVCFLOW_") {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
	base := baseConfig(t)
	if _, err := config.Load(writeFile(t, "good.yaml", base), nil); err != nil {
		t.Fatalf("config/test.yaml itself refused: %v", err)
	}
	for _, tc := range configCases {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(base, tc.old) {
				t.Fatalf("corpus: %q not in config/test.yaml", tc.old)
			}
			path := writeFile(t, "svcflow.yaml", strings.Replace(base, tc.old, tc.new, 1))
			_, err := config.Load(path, nil)
			if err == nil {
				t.Fatalf("accepted; want an error naming %q", tc.want)
			}
			if !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(tc.want)) {
				t.Errorf("error %q does not name %q", clip(err.Error()), tc.want)
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		_, err := config.Load(filepath.Join(t.TempDir(), "nope.yaml"), nil)
		checkLine(t, errString(err), "nope.yaml")
	})
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// checkLine asserts msg is one non-empty line mentioning want.
func checkLine(t *testing.T, msg, want string) {
	t.Helper()
	msg = strings.TrimSpace(msg)
	if msg == "" {
		t.Fatalf("no error; want one mentioning %q", want)
	}
	if strings.Contains(msg, "\n") {
		t.Errorf("error is not one line: %q", clip(msg))
	}
	if !strings.Contains(msg, want) {
		t.Errorf("error %q does not mention %q", clip(msg), want)
	}
	noGoInternals(t, msg)
}
