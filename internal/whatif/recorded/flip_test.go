package recorded_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/svcflow/svcflow/internal/policy"
	"github.com/svcflow/svcflow/internal/report"
	"github.com/svcflow/svcflow/internal/testenv"
	"github.com/svcflow/svcflow/internal/whatif"
	"github.com/svcflow/svcflow/internal/whatif/recorded"
	"github.com/svcflow/svcflow/workflows"
)

// answer is a request answered after a time.
type answer struct {
	id       string
	tier     string
	priority string
	after    time.Duration
}

// flipRequests are answered at either side of 20 and 30 min; the VIP
// (15 min) and urgent (5 min) targets do not change.
var flipRequests = []answer{
	{"s10m", policy.Standard, policy.Normal, 10 * time.Minute},
	{"s19m59", policy.Standard, policy.Normal, 19*time.Minute + 59*time.Second},
	{"s20m", policy.Standard, policy.Normal, 20 * time.Minute}, // at the new due instant: late
	{"s25m", policy.Standard, policy.Normal, 25 * time.Minute},
	{"s29m59", policy.Standard, policy.Normal, 29*time.Minute + 59*time.Second},
	{"s30m", policy.Standard, policy.Normal, 30 * time.Minute}, // late already
	{"s45m", policy.Standard, policy.Normal, 45 * time.Minute},
	{"v12m", policy.VIP, policy.Normal, 12 * time.Minute},
	{"v18m", policy.VIP, policy.Normal, 18 * time.Minute},
	{"u4m", policy.Standard, policy.Urgent, 4 * time.Minute},
	{"u25m", policy.Standard, policy.Urgent, 25 * time.Minute},
}

// A response target of 20 instead of 30 minutes for normal requests flips
// exactly the standard normal requests answered from 20 to before 30 min,
// and nothing else: hand-computed.
func TestFlipResponseTarget(t *testing.T) {
	testenv.Integration(t, "PostgreSQL")
	st := newStore(t)
	cfg := loadConfig(t, "testdata/ran.yaml")
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai) // a Monday
	for i, a := range flipRequests {
		p := plan{start: start.Add(time.Duration(i) * 2 * time.Hour), req: workflows.Request{
			RequestID: a.id, Customer: workflows.Customer{ID: "c-" + a.id, Name: "C", Tier: a.tier, Locale: "en"},
			Channel: "web", Category: "install", Priority: a.priority, Title: "flip",
		}, script: []scripted{
			{a.after, workflows.ActionRespond, workflows.Action{}},
			{a.after + time.Hour, workflows.ActionCancel, workflows.Action{Reason: "done"}},
		}}
		runPlan(t, st, cfg, p, 0, i)
	}
	ctx := context.Background()
	f := report.Filter{From: monthStart, To: monthEnd}
	s, err := recorded.Run(ctx, st.Pool(), f, recorded.PolicyOf(loadConfig(t, "testdata/faster.yaml")), recorded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range s.Changes {
		got = append(got, fmt.Sprintf("%s %s #%d %s→%s due %s→%s", c.RequestID, c.Name, c.Instance.Instance, c.Recorded.Outcome, c.WhatIf.Outcome,
			c.Recorded.Due.In(shanghai).Format("15:04"), c.WhatIf.Due.In(shanghai).Format("15:04")))
	}
	// s20m was received at 14:00, s25m at 16:00, s29m59 at 18:00.
	want := []string{
		"s20m response #1 met→breached due 14:30→14:20",
		"s25m response #1 met→breached due 16:30→16:20",
		"s29m59 response #1 met→breached due 18:30→18:20",
	}
	if !slices.Equal(got, want) {
		t.Errorf("changes\n%q\nwant\n%q", got, want)
	}
	// Only the standard normal responses move their due time: 7 of them,
	// three of which change outcome.
	if s.Moved != 4 || s.Differences != 7 {
		t.Errorf("moved %d, differences %d; want 4 and 7", s.Moved, s.Differences)
	}
	resp := s.Deadlines[0]
	// Breached as recorded: s30m, s45m, v18m, u25m; under 20 min also s20m, s25m, s29m59.
	if resp.Name != policy.Response || resp.Settled != 11 || resp.BreachedRecorded != 4 || resp.BreachedWhatIf != 7 {
		t.Errorf("response line %+v", resp)
	}
	wantShare := func(f report.Figure, v float64) {
		t.Helper()
		if f.Value == nil || *f.Value != v {
			t.Errorf("%s %s: %v, want %v", f.Key, f.Label, f.Value, v)
		}
	}
	wantShare(s.Figures.Recorded[0], 7.0/11)
	wantShare(s.Figures.WhatIf[0], 4.0/11)

	// Under the configuration they ran with: no change at all.
	same, err := recorded.SelfCheck(ctx, st.Pool(), cfg, monthStart, monthEnd)
	if err != nil {
		t.Fatal(err)
	}
	if same.Differences != 0 || same.Instances != len(flipRequests)*2 {
		t.Errorf("self-check: %d differences over %d instances; first %v", same.Differences, same.Instances, firstOf(same))
	}
}

func firstOf(s *whatif.Summary) []string {
	var out []string
	for _, d := range s.FirstDifferences {
		out = append(out, d.RequestID+" "+d.Name+": "+show(d.Recorded)+" / "+show(d.WhatIf))
	}
	return out
}
