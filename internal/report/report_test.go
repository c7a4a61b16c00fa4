package report

import (
	"context"
	"math"
	"testing"
	"time"
)

func build(t *testing.T, f Filter) *Report {
	t.Helper()
	pool := fixture(t)
	r, err := Build(context.Background(), pool, f, Options{Now: fixNow})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func fig(t *testing.T, r *Report, key string) Figure {
	t.Helper()
	for _, f := range r.AllFigures() {
		if f.Key == key {
			return f
		}
	}
	t.Fatalf("no figure %s", key)
	return Figure{}
}

// want checks a figure's value (NaN: nothing measured), n and status.
func want(t *testing.T, r *Report, key string, value float64, n int64, status string) {
	t.Helper()
	f := fig(t, r, key)
	switch {
	case math.IsNaN(value) && f.Value != nil:
		t.Errorf("%s = %v, want nothing measured", key, *f.Value)
	case !math.IsNaN(value) && f.Value == nil:
		t.Errorf("%s = nothing, want %v", key, value)
	case !math.IsNaN(value) && math.Abs(*f.Value-value) > 1e-9:
		t.Errorf("%s = %v, want %v", key, *f.Value, value)
	}
	if f.N != n {
		t.Errorf("%s: n = %d, want %d", key, f.N, n)
	}
	if f.Status != status {
		t.Errorf("%s: status %s, want %s", key, f.Status, status)
	}
}

const h = 3600.0

func TestFiguresOnHandMadeData(t *testing.T) {
	r := build(t, Filter{From: fixFrom, To: fixTo})
	nan := math.NaN()
	// r1..r6 received in the period (r7 before, r8 after).
	want(t, r, "requests.received", 6, 6, NoTarget)
	// closed in the period: r1, r2, r3, r7 completed, r4 cancelled, r5 unconfirmed.
	want(t, r, "requests.closed", 6, 6, NoTarget)
	want(t, r, "requests.completed", 4, 4, NoTarget)
	want(t, r, "requests.cancelled", 1, 1, NoTarget)
	want(t, r, "requests.unconfirmed", 1, 1, NoTarget)
	// response: r1 r2 r4 r5 r6 met, r3 breached (met late); r7, r8 settled outside.
	want(t, r, "sla.response", 5.0/6, 6, Fail)
	// team: response 5/1, sheet 3/1, delivery 1/1, follow_up 1/0, complaint 1/2.
	want(t, r, "sla.team", 11.0/16, 16, Fail)
	// first responses 2, 10, 40, 20, 5, 30 min: sorted 120 300 600 1200 1800 2400 s.
	want(t, r, "first_response.median", 900, 6, Pass) // (600+1200)/2 = 15 min: at the target
	want(t, r, "first_response.p90", 2100, 6, Fail)   // 1800 + 0.5*600
	// closed with a sheet: r1 1, r2 2, r3 1, r5 3, r7 1 (r4 none).
	want(t, r, "confirmation_rounds.mean", 8.0/5, 5, Fail)
	// accepted: r1, r2 (one rework), r3, r7.
	want(t, r, "first_pass_rate", 0.75, 4, Fail)
	// work 10, 20, 30, 50 h: median 25 h, p90 30 + 0.7*20 = 44 h.
	want(t, r, "resolution_work.median", 25*h, 4, Pass)
	want(t, r, "resolution_work.p90", 44*h, 4, Pass)
	// surveys r1 5555, r2 4344, r3 4444, r7 5454.
	want(t, r, "csat.response_speed", 4.5, 4, Pass)
	want(t, r, "csat.resolution", 4.0, 4, Pass)
	want(t, r, "csat.attitude", 4.5, 4, Pass)
	want(t, r, "csat.professionalism", 4.25, 4, Pass)
	want(t, r, "csat.overall", 17.25/4, 4, Pass)
	want(t, r, "satisfaction_rate", 0.75, 4, Fail) // r2 averages 3.75
	// complaints: in time, late, open overdue, open undecided (not counted).
	want(t, r, "complaints.opened", 4, 4, NoTarget)
	want(t, r, "complaints.in_time", 1.0/3, 3, Fail)
	want(t, r, "complaints.resolution.median", 17.5*h, 2, Pass) // resolved after 10 h and 25 h
	// per deadline kind.
	want(t, r, "sla.sheet.met_share", 0.75, 4, Fail)
	want(t, r, "sla.sheet.breaches", 1, 4, NoTarget)
	want(t, r, "sla.delivery.met_share", 0.5, 2, Fail)
	want(t, r, "sla.follow_up.met_share", 1, 1, Pass)
	want(t, r, "sla.complaint.breaches", 2, 3, NoTarget)
	want(t, r, "sla.review.met_share", nan, 0, NoData)
	want(t, r, "sla.confirmation.met_share", 0.5, 2, NoTarget) // customer side: no target
	want(t, r, "sla.acceptance.breaches", 1, 1, NoTarget)

	for _, d := range r.Deadlines {
		switch d.Name {
		case "response", "delivery":
			if d.LateMet != 1 {
				t.Errorf("%s late met = %d, want 1", d.Name, d.LateMet)
			}
		case "confirmation", "acceptance":
			if d.Side != SideCustomer {
				t.Errorf("%s side = %s", d.Name, d.Side)
			}
		}
	}
	wantGroups(t, r, map[string]int64{"alpha": 2, "beta": 3})
	if len(r.BreachesByGroup) == 2 && r.BreachesByGroup[0].Group != "beta" {
		t.Errorf("groups not ordered by breaches: %+v", r.BreachesByGroup)
	}
	// weeks: 11-02 team 8 met / 2 breached, surveys r1 r7 both satisfied;
	// 11-09 team 3/3, surveys r2 (not satisfied), r3.
	wantWeeks(t, r, []Week{
		{Start: day(2, 0), SLASettled: 10, SLAMet: 8, Surveys: 2, Satisfied: 2},
		{Start: day(9, 0), SLASettled: 6, SLAMet: 3, Surveys: 2, Satisfied: 1},
	})
	if *r.Weekly[0].SLAShare != 0.8 || *r.Weekly[1].Satisfaction != 0.5 {
		t.Errorf("weekly shares %v %v", *r.Weekly[0].SLAShare, *r.Weekly[1].Satisfaction)
	}
}

// wantGroups checks team breaches per group and their shares.
func wantGroups(t *testing.T, r *Report, want map[string]int64) {
	t.Helper()
	if len(r.BreachesByGroup) != len(want) {
		t.Errorf("groups %+v, want %v", r.BreachesByGroup, want)
	}
	var total int64
	for _, n := range want {
		total += n
	}
	for _, g := range r.BreachesByGroup {
		if n, ok := want[g.Group]; !ok || g.Breached != n || g.Share != float64(n)/float64(total) {
			t.Errorf("group %s = %d breaches, share %v; want %d of %d", g.Group, g.Breached, g.Share, n, total)
		}
	}
}

func wantWeeks(t *testing.T, r *Report, want []Week) {
	t.Helper()
	if len(r.Weekly) != len(want) {
		t.Fatalf("%d weeks, want %d: %+v", len(r.Weekly), len(want), r.Weekly)
	}
	for i, w := range want {
		g := r.Weekly[i]
		if !g.Start.Equal(w.Start) || g.SLASettled != w.SLASettled || g.SLAMet != w.SLAMet || g.Surveys != w.Surveys || g.Satisfied != w.Satisfied {
			t.Errorf("week %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestFilterGroup(t *testing.T) {
	r := build(t, Filter{From: fixFrom, To: fixTo, Group: "alpha"})
	want(t, r, "requests.received", 3, 3, NoTarget) // r1 r2 r5
	want(t, r, "requests.closed", 4, 4, NoTarget)   // r1 r2 r5 r7
	want(t, r, "requests.completed", 3, 3, NoTarget)
	want(t, r, "requests.cancelled", 0, 0, NoTarget)
	want(t, r, "requests.unconfirmed", 1, 1, NoTarget)
	want(t, r, "first_response.median", 300, 3, Pass) // 120 300 600
	want(t, r, "first_response.p90", 540, 3, Pass)    // 300 + 0.8*300
	want(t, r, "first_pass_rate", 2.0/3, 3, Fail)
	want(t, r, "satisfaction_rate", 2.0/3, 3, Fail)
	want(t, r, "complaints.opened", 2, 2, NoTarget)
	want(t, r, "complaints.in_time", 0.5, 2, Fail)
	want(t, r, "sla.response", 1, 3, Pass)
	want(t, r, "sla.team", 0.8, 10, Fail)
	wantGroups(t, r, map[string]int64{"alpha": 2})
}

func TestFilterTier(t *testing.T) {
	r := build(t, Filter{From: fixFrom, To: fixTo, Tier: "vip"})
	want(t, r, "requests.received", 2, 2, NoTarget) // r1 r4 (r8 after the period)
	want(t, r, "requests.completed", 1, 1, NoTarget)
	want(t, r, "requests.cancelled", 1, 1, NoTarget)
	want(t, r, "sla.response", 1, 2, Pass)
	want(t, r, "satisfaction_rate", 1, 1, Pass)
	want(t, r, "complaints.opened", 0, 0, NoTarget)
	want(t, r, "complaints.in_time", math.NaN(), 0, NoData)
	want(t, r, "resolution_work.median", 10*h, 1, Pass)
	wantGroups(t, r, map[string]int64{}) // r1 and r4 met every deadline
}

func TestFilterPeriod(t *testing.T) {
	r := build(t, Filter{From: day(9, 0), To: fixTo})
	want(t, r, "requests.received", 2, 2, NoTarget) // r5 r6
	want(t, r, "requests.closed", 3, 3, NoTarget)   // r2 r3 r5
	want(t, r, "sla.response", 1, 2, Pass)
	want(t, r, "sla.team", 0.5, 6, Fail)
	wantWeeks(t, r, []Week{{Start: day(9, 0), SLASettled: 6, SLAMet: 3, Surveys: 2, Satisfied: 1}})
	wantGroups(t, r, map[string]int64{"alpha": 1, "beta": 2}) // r2's late complaint; r3's delivery and complaint

	// A period that does not start on Monday still lists its whole weeks.
	r2, err := Build(context.Background(), fixture(t), Filter{From: day(4, 0), To: day(11, 0)}, Options{Now: fixNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(r2.Weekly) != 2 || !r2.Weekly[0].Start.Equal(day(2, 0)) || !r2.Weekly[1].Start.Equal(day(9, 0)) {
		t.Errorf("weeks of 11-04..11-11: %+v", r2.Weekly)
	}
}

func TestWeeksInZone(t *testing.T) {
	// In Shanghai (UTC+8) r3's delivery breach at 11-09 18:00 UTC is
	// Tuesday 02:00 and r1's response at 11-02 09:06 UTC is Monday evening.
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skip(err)
	}
	pool := fixture(t)
	from := time.Date(2026, 11, 2, 0, 0, 0, 0, sh)
	r, err := Build(context.Background(), pool, Filter{From: from, To: from.AddDate(0, 0, 14)}, Options{Now: fixNow, Location: sh})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Weekly) != 2 || !r.Weekly[0].Start.Equal(from) || r.TimeZone != "Asia/Shanghai" {
		t.Fatalf("weeks %+v zone %s", r.Weekly, r.TimeZone)
	}
	var total int64
	for _, w := range r.Weekly {
		total += w.SLASettled
	}
	if total != 16 { // the same 16 team deadlines: none within 8 h of the ends
		t.Errorf("team deadlines over the weeks = %d, want 16", total)
	}
}

func TestFilterValidate(t *testing.T) {
	cases := map[string]Filter{
		"from: missing": {To: fixTo},
		"to: missing":   {From: fixFrom},
		"from: 2026-11-16T00:00:00Z is not before to 2026-11-02T00:00:00Z": {From: fixTo, To: fixFrom},
		`tier: "gold": want vip or standard`:                               {From: fixFrom, To: fixTo, Tier: "gold"},
	}
	for msg, f := range cases {
		err := f.Validate()
		if err == nil || err.Error() != msg {
			t.Errorf("Validate(%+v) = %v, want %q", f, err, msg)
		}
	}
	if _, err := Build(context.Background(), nil, Filter{From: fixFrom, To: fixTo, Tier: "gold"}, Options{}); err == nil {
		t.Error("Build accepted a bad tier")
	}
}

func TestParsePeriod(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	cases := []struct {
		from, to  string
		wantFrom  time.Time
		wantTo    time.Time
		wantError string
	}{
		{"", "", now.Add(-DefaultPeriod), now, ""},
		{"2026-11-01", "2026-11-30", time.Date(2026, 11, 1, 0, 0, 0, 0, sh), time.Date(2026, 12, 1, 0, 0, 0, 0, sh), ""},
		{"2026-11-01T00:00:00Z", "2026-11-08T00:00:00+08:00", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 8, 0, 0, 0, 0, sh), ""},
		{"", "2026-11-10", time.Date(2026, 11, 11, 0, 0, 0, 0, sh).Add(-DefaultPeriod), time.Date(2026, 11, 11, 0, 0, 0, 0, sh), ""},
		{"2026-11-01", "", time.Date(2026, 11, 1, 0, 0, 0, 0, sh), now, ""},
		{"yesterday", "", time.Time{}, time.Time{}, `from: "yesterday": want RFC 3339 (2026-11-01T00:00:00+08:00) or a day (2026-11-01)`},
		{"", "2026-13-01", time.Time{}, time.Time{}, `to: "2026-13-01": want RFC 3339 (2026-11-01T00:00:00+08:00) or a day (2026-11-01)`},
		{"2026-11-10", "2026-11-09", time.Time{}, time.Time{}, "from: 2026-11-10T00:00:00+08:00 is not before to 2026-11-10T00:00:00+08:00"},
	}
	for _, c := range cases {
		from, to, err := ParsePeriod(c.from, c.to, now, sh)
		if c.wantError != "" {
			if err == nil || err.Error() != c.wantError {
				t.Errorf("ParsePeriod(%q, %q) error %v, want %q", c.from, c.to, err, c.wantError)
			}
			continue
		}
		if err != nil || !from.Equal(c.wantFrom) || !to.Equal(c.wantTo) {
			t.Errorf("ParsePeriod(%q, %q) = %v, %v, %v; want %v, %v", c.from, c.to, from, to, err, c.wantFrom, c.wantTo)
		}
	}
}

func TestEmptyDatabase(t *testing.T) {
	r, err := Build(context.Background(), newDB(t), Filter{From: fixFrom, To: fixTo}, Options{Now: fixNow})
	if err != nil {
		t.Fatal(err)
	}
	want(t, r, "requests.received", 0, 0, NoTarget)
	want(t, r, "satisfaction_rate", math.NaN(), 0, NoData)
	want(t, r, "first_response.median", math.NaN(), 0, NoData)
	want(t, r, "sla.team", math.NaN(), 0, NoData)
	if len(r.Weekly) != 2 || r.Weekly[0].SLAShare != nil || len(r.BreachesByGroup) != 0 {
		t.Errorf("empty weeks/groups: %+v %+v", r.Weekly, r.BreachesByGroup)
	}
}
