package main

import (
	"slices"
	"strings"
	"testing"
)

// -growth takes increasing positive counts and refuses anything else by
// the flag's name; -profile names one of the profiles.
func TestGrowthLevelsAndProfiles(t *testing.T) {
	if got, err := levels("1000, 10000,50000"); err != nil || !slices.Equal(got, []int{1000, 10000, 50000}) {
		t.Errorf("levels: %v, %v", got, err)
	}
	if got, err := levels(""); err != nil || got != nil {
		t.Errorf("empty: %v, %v", got, err)
	}
	for _, bad := range []string{"10,5", "0", "1k", "10,10", "5,"} {
		if _, err := levels(bad); err == nil || !strings.HasPrefix(err.Error(), "-growth ") {
			t.Errorf("levels(%q): %v, want an error naming -growth", bad, err)
		}
	}
	if p, err := profileNamed("shipped"); err != nil || p.config != "config/svcflow.yaml" || len(p.env) == 0 {
		t.Errorf("shipped: %+v, %v", p, err)
	}
	if _, err := profileNamed("fast"); err == nil || !strings.Contains(err.Error(), "shipped, tuned") {
		t.Errorf("unknown profile: %v", err)
	}
}
