package recorded_test

import (
	"context"
	"testing"
	"time"

	"github.com/svcflow/svcflow/internal/report"
	"github.com/svcflow/svcflow/internal/testenv"
	"github.com/svcflow/svcflow/internal/whatif"
	"github.com/svcflow/svcflow/internal/whatif/recorded"
)

// selfCheckRequests is how many generated requests the self-check runs.
const selfCheckRequests = 400

// The self-check (CONTRACT §10): a month of requests run by the real
// workflow with seeded random timelines, recorded in PostgreSQL by the real
// store, replayed from PostgreSQL under the configuration they ran with,
// reproduces every recorded outcome and due time exactly.
func TestSelfCheckReproducesTheRealWorkflow(t *testing.T) {
	testenv.Integration(t, "PostgreSQL (a few hundred workflows in the time-skipping environment)")
	st := newStore(t)
	cfg := loadConfig(t, "testdata/ran.yaml")
	t0 := time.Now()
	accepted := runPlans(t, st, cfg, selfCheckRequests, 14)
	t.Logf("%d requests run by the workflow (%d actions accepted) in %v", selfCheckRequests, accepted, time.Since(t0).Round(time.Millisecond))
	ctx := context.Background()
	s, err := recorded.Run(ctx, st.Pool(), report.Filter{From: monthStart, To: monthEnd}, recorded.PolicyOf(cfg), recorded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("replayed %d requests, %d deadline instances: %d differences, largest due time difference %v", s.Requests, s.Instances, s.Differences, s.MaxDueDelta)
	if s.Requests != selfCheckRequests {
		t.Errorf("%d requests replayed, want %d", s.Requests, selfCheckRequests)
	}
	for _, d := range s.FirstDifferences {
		t.Errorf("%s %s #%d: recorded %s, replayed %s", d.RequestID, d.Name, d.Instance.Instance, show(d.Recorded), show(d.WhatIf))
	}
	if s.Differences != 0 || s.MaxDueDelta != 0 || len(s.Changes) != 0 {
		t.Errorf("%d differences (%d outcomes), largest due time difference %v", s.Differences, len(s.Changes), s.MaxDueDelta)
	}
	coverage(t, st.Pool())
}

func show(r whatif.Result) string {
	if r.Due == nil {
		return r.Outcome + " due -"
	}
	return r.Outcome + " due " + r.Due.In(shanghai).Format("2006-01-02 15:04:05.000000")
}
