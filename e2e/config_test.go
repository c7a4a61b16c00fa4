package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/svcflow/svcflow/internal/testenv"
)

// yamlMap is a config section as YAML decodes it.
type yamlMap = map[string]any

// writeConfig writes config/test.yaml changed by edit to a file of its own
// (the keys a scenario needs that environment variables cannot carry:
// lists of policies, calendars, chains) and returns its path.
func writeConfig(t *testing.T, edit func(cfg yamlMap)) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(testenv.RepoRoot(), "config", "test.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := yamlMap{}
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		t.Fatal(err)
	}
	edit(cfg)
	out, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "svcflow.yaml")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// section returns cfg[key] as a map, creating it.
func section(cfg yamlMap, key string) yamlMap {
	m, ok := cfg[key].(yamlMap)
	if !ok {
		m = yamlMap{}
		cfg[key] = m
	}
	return m
}

// allWeek is a calendar open around the clock in zone.
func allWeek(zone string) yamlMap {
	hours := yamlMap{}
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"} {
		hours[d] = []string{"00:00-24:00"}
	}
	return yamlMap{"timezone": zone, "standard_day": "24h", "hours": hours, "holidays": []string{}, "workdays": []string{}}
}
