package report

import (
	"context"
	"github.com/svcflow/svcflow/internal/records"
	"testing"
	"time"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/store"
	"github.com/svcflow/svcflow/internal/testenv"
)

// TestReportReadsRecordedTransitions writes a request's life the way the
// workflow does (store.RecordTransition, row by row as it changes) and
// checks the report reads those rows: a response met, a sheet breached then
// met late, acceptance after one rework, a low-score survey whose complaint
// is resolved in time.
func TestReportReadsRecordedTransitions(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, config.Postgres{DSN: testenv.NewDatabase(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	t0 := day(2, 9) // Monday
	at := func(h float64) *time.Time { return tp(t0.Add(time.Duration(h * float64(time.Hour)))) }
	row := records.RequestRow{RequestID: "42", WorkflowID: "sr-42", CustomerID: "c1", Tier: "vip", Priority: "urgent",
		Stage: "received", Group: "printers", CreatedAt: t0}
	seq := int64(0)
	record := func(kind string, d []records.DeadlineRow, c []records.ComplaintRow, s *records.SurveyRow) {
		t.Helper()
		seq++
		row.Seq, row.UpdatedAt = seq, t0
		tr := records.Facts{Request: row, Events: []records.Event{{Seq: seq, At: t0, Kind: kind}}, Deadlines: d, Complaints: c, Survey: s}
		if err := st.RecordTransition(ctx, tr); err != nil {
			t.Fatal(err)
		}
	}
	record("received", []records.DeadlineRow{{Name: "response", Instance: 1, StartedAt: t0, DueAt: at(5.0 / 60), State: "pending"}}, nil, nil)
	row.FirstResponseAt, row.Stage = at(3.0/60), "analysis"
	record("action.respond", []records.DeadlineRow{
		{Name: "response", Instance: 1, StartedAt: t0, DueAt: at(5.0 / 60), State: "met", MetAt: at(3.0 / 60), Policy: "gold"},
		{Name: "sheet", Instance: 1, StartedAt: *at(0.05), DueAt: at(16), State: "pending"},
	}, nil, nil)
	record("deadline.breach", []records.DeadlineRow{{Name: "sheet", Instance: 1, StartedAt: *at(0.05), DueAt: at(16), State: "breached", BreachedAt: at(16), EscalationLevel: 1}}, nil, nil)
	row.SheetRounds = 1
	record("action.submit_sheet", []records.DeadlineRow{{Name: "sheet", Instance: 1, StartedAt: *at(0.05), DueAt: at(16), State: "breached", BreachedAt: at(16), MetAt: at(20), EscalationLevel: 1}}, nil, nil)
	row.ReworkRounds, row.AcceptedAt, row.ResolutionWork, row.Stage = 1, at(50), 30*time.Hour, "follow_up"
	record("action.accept", nil, nil, nil)
	survey := &records.SurveyRow{ResponseSpeed: 2, Resolution: 3, Attitude: 4, Professionalism: 3, Average: 3, RecordedAt: *at(52)}
	complaint := records.ComplaintRow{ComplaintID: 1, Source: "low_score", OpenedAt: *at(52), DueAt: *at(76)}
	record("action.record_follow_up", nil, []records.ComplaintRow{complaint}, survey)
	complaint.ResolvedAt, complaint.Resolution = at(60), "called back"
	row.ClosedAt, row.Outcome, row.Stage = at(60), "completed", "closed"
	record("complaint.resolved", []records.DeadlineRow{{Name: "complaint", Instance: 1, StartedAt: *at(52), DueAt: at(76), State: "met", MetAt: at(60)}}, []records.ComplaintRow{complaint}, nil)

	r, err := Build(ctx, st.Pool(), Filter{From: fixFrom, To: fixTo, Group: "printers", Tier: "vip"}, Options{Now: fixNow})
	if err != nil {
		t.Fatal(err)
	}
	want(t, r, "requests.received", 1, 1, NoTarget)
	want(t, r, "requests.completed", 1, 1, NoTarget)
	want(t, r, "sla.response", 1, 1, Pass)
	want(t, r, "sla.sheet.met_share", 0, 1, Fail)
	want(t, r, "sla.team", 2.0/3, 3, Fail)
	want(t, r, "first_response.median", 180, 1, Pass)
	want(t, r, "confirmation_rounds.mean", 1, 1, Pass)
	want(t, r, "first_pass_rate", 0, 1, Fail)
	want(t, r, "resolution_work.p90", 30*h, 1, Pass)
	want(t, r, "csat.response_speed", 2, 1, Fail)
	want(t, r, "satisfaction_rate", 0, 1, Fail)
	want(t, r, "complaints.in_time", 1, 1, Pass)
	if r.Deadlines[1].LateMet != 1 {
		t.Errorf("sheet late met = %d, want 1", r.Deadlines[1].LateMet)
	}
	// By policy: the response under gold; the sheet (breached) and the
	// complaint under the default (rows from before policies count there).
	if len(r.ByPolicy) != 2 || r.ByPolicy[0].Policy != "default" || r.ByPolicy[0].Settled != 2 || r.ByPolicy[0].Breached != 1 ||
		r.ByPolicy[1].Policy != "gold" || r.ByPolicy[1].Met != 1 {
		t.Errorf("by policy %+v", r.ByPolicy)
	}
}
