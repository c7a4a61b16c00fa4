package workflows

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/internal/policy"
	"github.com/svcflow/svcflow/internal/sla"
)

func countEvents(h *harness, kind string) int {
	n := 0
	for _, e := range h.events() {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

func TestSheetRejectedThenConfirmed(t *testing.T) {
	h := newHarness(t, monday10, nil)
	h.after(time.Minute, ActionRespond, Action{Actor: "alice"})
	h.after(time.Hour, ActionSubmitSheet, Action{Actor: "alice", Description: "d", Goal: "g", ExpectedDelivery: ptime(at("2026-12-04 18:00:00"))})
	h.after(2*time.Hour, ActionRejectSheet, Action{Actor: "customer", Reason: "wrong goal"})
	h.after(3*time.Hour, ActionSubmitSheet, Action{Actor: "alice", Description: "d2", Goal: "g2", ExpectedDelivery: ptime(at("2026-12-04 18:00:00"))})
	h.after(4*time.Hour, ActionConfirmSheet, Action{Actor: "customer"})
	h.after(5*time.Hour, ActionCancel, Action{Actor: "alice"})
	st := h.run(sampleRequest("s1"))
	if st.RoundsUsed != 2 || deadline(st, "sheet", 2).State != DeadlineMet || deadline(st, "confirmation", 2).State != DeadlineMet {
		t.Errorf("rounds %d sheet#2 %+v confirmation#2 %+v", st.RoundsUsed, deadline(st, "sheet", 2), deadline(st, "confirmation", 2))
	}
	h.sentAt(activities.KindSheet, activities.PartyCustomer, "sheet/2")
}

func TestSheetSilenceVoidsUntilUnconfirmed(t *testing.T) {
	h := newHarness(t, monday10, nil)
	h.after(time.Minute, ActionRespond, Action{Actor: "alice"})
	due := ptime(at("2026-12-24 18:00:00"))
	h.after(time.Hour, ActionSubmitSheet, Action{Actor: "alice", Description: "d", Goal: "g", ExpectedDelivery: due})      // Mon 11:00 → void Tue 11:00
	h.after(2*24*time.Hour, ActionSubmitSheet, Action{Actor: "alice", Description: "d", Goal: "g", ExpectedDelivery: due}) // Wed 10:00 → void Thu 10:00
	h.after(4*24*time.Hour, ActionSubmitSheet, Action{Actor: "alice", Description: "d", Goal: "g", ExpectedDelivery: due}) // Fri 10:00 → void Mon 10:00
	st := h.run(sampleRequest("s2"))
	if st.Outcome != OutcomeUnconfirmed || st.RoundsUsed != 3 {
		t.Fatalf("outcome %s rounds %d", st.Outcome, st.RoundsUsed)
	}
	eqTime(t, "closed", *st.ClosedAt, at("2026-11-30 10:00:00"))
	if countEvents(h, "sheet.void") != 3 {
		t.Errorf("%d voids, want 3", countEvents(h, "sheet.void"))
	}
	if st.SlaBreached {
		t.Error("customer silence flagged as the team's breach")
	}
}

func TestCancelInEveryStage(t *testing.T) {
	steps := []struct {
		name string
		a    Action
	}{
		{ActionRespond, Action{Actor: "alice"}},
		{ActionSubmitSheet, Action{Actor: "alice", Description: "d", Goal: "g", ExpectedDelivery: ptime(at("2026-12-04 18:00:00"))}},
		{ActionConfirmSheet, Action{}},
		{ActionAgreePlan, Action{}},
		{ActionDeliver, Action{}},
		{ActionRejectDelivery, Action{Reason: "no"}},
		{ActionDeliver, Action{}},
		{ActionAcceptDelivery, Action{}},
	}
	wantStage := []string{StageReceived, StageAnalysis, StageAwaitingConfirmation, StagePlanning, StageInProgress, StageAwaitingAcceptance, StageRework, StageAwaitingAcceptance, StageFollowUp}
	for n := 0; n <= len(steps); n++ {
		t.Run(wantStage[n], func(t *testing.T) {
			h := newHarness(t, monday10, nil)
			for i := 0; i < n; i++ {
				h.after(time.Duration(i+1)*time.Minute, steps[i].name, steps[i].a)
			}
			var stageAtCancel string
			h.env.RegisterDelayedCallback(func() {
				v, err := h.env.QueryWorkflow(StatusQuery)
				if err == nil {
					var st Status
					_ = v.Get(&st)
					stageAtCancel = st.Stage
				}
			}, time.Duration(n+1)*time.Minute-time.Second)
			h.after(time.Duration(n+1)*time.Minute, ActionCancel, Action{Actor: "customer", Reason: "changed mind"})
			st := h.run(sampleRequest("c1"))
			if stageAtCancel != wantStage[n] {
				t.Errorf("stage before cancel %s, want %s", stageAtCancel, wantStage[n])
			}
			if st.Outcome != OutcomeCancelled || st.Stage != StageClosed {
				t.Errorf("outcome %s stage %s", st.Outcome, st.Stage)
			}
			for _, d := range st.Deadlines {
				if d.State == DeadlinePending || d.State == DeadlinePaused {
					t.Errorf("deadline %s#%d still %s", d.Name, d.Instance, d.State)
				}
			}
		})
	}
}

func TestReprioritizeDuringResponseWait(t *testing.T) {
	h := newHarness(t, monday10, nil)
	h.after(2*time.Minute, ActionReprioritize, Action{Actor: "lead", Priority: policy.Urgent})
	h.after(time.Hour, ActionRespond, Action{Actor: "alice"})
	h.after(2*time.Hour, ActionCancel, Action{Actor: "alice"})
	st := h.run(sampleRequest("p1"))
	d := deadline(st, "response", 1)
	eqTime(t, "recomputed due", *d.DueAt, monday10.Add(5*time.Minute))
	eqTime(t, "warning", h.sentAt(activities.KindWarning, activities.PartyAssignee, "warning/response/1"), monday10.Add(4*time.Minute))
	eqTime(t, "breach", h.sentAt(activities.KindBreach, activities.PartySupervisor, "breach/response/1"), monday10.Add(5*time.Minute))
	if st.Priority != policy.Urgent {
		t.Errorf("priority %s", st.Priority)
	}
}

func TestReprioritizePastDueBreachesAtOnce(t *testing.T) {
	h := newHarness(t, monday10, nil)
	h.after(10*time.Minute, ActionReprioritize, Action{Actor: "lead", Priority: policy.Urgent})
	h.after(time.Hour, ActionCancel, Action{Actor: "alice"})
	h.run(sampleRequest("p2"))
	eqTime(t, "breach", h.sentAt(activities.KindBreach, activities.PartySupervisor, "breach/response/1"), monday10.Add(10*time.Minute))
	// No "due soon" warning when the breach is due as well (semantics 1).
	h.notSent("warning/response/1")

	old := newHarness(t, monday10, func(p *policy.Snapshot) { p.Semantics = 0 })
	old.after(10*time.Minute, ActionReprioritize, Action{Actor: "lead", Priority: policy.Urgent})
	old.after(time.Hour, ActionCancel, Action{Actor: "alice"})
	old.run(sampleRequest("p2"))
	eqTime(t, "warning first, before semantics 1", old.sentAt(activities.KindWarning, activities.PartyAssignee, "warning/response/1"), monday10.Add(10*time.Minute))
}

func TestVIPOverride(t *testing.T) {
	h := newHarness(t, monday10, nil)
	h.after(time.Hour, ActionCancel, Action{Actor: "alice"})
	req := sampleRequest("v1")
	req.Customer.Tier = policy.VIP
	h.run(req)
	h.env.AssertWorkflowNumberOfCalls(t, CareWorkflowType, 1)
	eqTime(t, "VIP normal breach", h.sentAt(activities.KindBreach, activities.PartySupervisor, "breach/response/1"), monday10.Add(15*time.Minute))
}

func TestRequestInfoMovesDeliveryByPausedWorkingTime(t *testing.T) {
	h := newHarness(t, monday10, nil)
	toInProgress(h, at("2026-11-27 18:00:00"))
	h.after(24*time.Hour, ActionRequestInfo, Action{Actor: "alice", Reason: "need the model number"}) // Tue 10:00
	var paused Status
	h.env.RegisterDelayedCallback(func() {
		v, _ := h.env.QueryWorkflow(StatusQuery)
		_ = v.Get(&paused)
	}, 30*time.Hour)
	h.after(48*time.Hour, ActionProvideInfo, Action{Actor: "customer"}) // Wed 10:00: 8 working hours paused
	h.after(48*time.Hour+time.Minute, ActionCancel, Action{Actor: "alice"})
	st := h.run(sampleRequest("i1"))
	if d := deadline(paused, "delivery", 1); d.State != DeadlinePaused || d.DueAt != nil || !paused.Paused {
		t.Errorf("while paused: %+v paused=%v", d, paused.Paused)
	}
	if d := deadline(paused, "delay_notice", 1); d.State != DeadlinePaused {
		t.Errorf("delay notice while paused: %+v", d)
	}
	if d := deadline(paused, "response", 1); d.State != DeadlineMet {
		t.Errorf("response while paused: %+v", d)
	}
	// Fri 18:00 + 8 working hours = Mon 18:00.
	eqTime(t, "delivery after pause", *deadline(st, "delivery", 1).DueAt, at("2026-11-30 18:00:00"))
}

func TestWrongStageRejectedByValidator(t *testing.T) {
	validInReceived := map[string]bool{ActionRespond: true, ActionComplain: true, ActionReassign: true, ActionReprioritize: true, ActionCancel: true, ActionNote: true, ActionApplyPolicy: true}
	h := newHarness(t, monday10, nil)
	rejections := map[string]*error{}
	for i, name := range ActionNames {
		if validInReceived[name] {
			continue
		}
		rejections[name] = h.after(time.Duration(i+1)*time.Second, name, validPayload(name))
	}
	h.after(time.Minute, ActionCancel, Action{Actor: "alice"})
	h.run(sampleRequest("w1"))
	for name, errp := range rejections {
		if *errp == nil {
			t.Errorf("%s accepted in stage received", name)
			continue
		}
		msg := (*errp).Error()
		if !strings.Contains(msg, "received") && !strings.Contains(msg, "request sr-w1") {
			t.Errorf("%s rejection does not name the stage: %s", name, msg)
		}
	}
	if msg := (*rejections[ActionDeliver]).Error(); !strings.Contains(msg, "request sr-w1 is in stage received; deliver is valid only in in_progress or rework") {
		t.Errorf("deliver rejection: %s", msg)
	}
	for _, e := range h.events() {
		if strings.HasPrefix(e.Kind, "action.") && e.Kind != "action.cancel" {
			t.Errorf("rejected update wrote %s", e.Kind)
		}
	}
}

// validPayload is a payload whose fields are valid for the action.
func validPayload(name string) Action {
	a := Action{Actor: "x"}
	switch name {
	case ActionSubmitSheet:
		a.Description, a.Goal, a.ExpectedDelivery = "d", "g", ptime(at("2027-01-04 18:00:00"))
	case ActionAnnounceDelay:
		a.NewDelivery = ptime(at("2027-01-04 18:00:00"))
	case ActionRejectSheet, ActionRejectDelivery, ActionComplain, ActionRequestInfo:
		a.Reason = "r"
	case ActionRecordFollowUp:
		a.ResponseSpeed, a.Resolution, a.Attitude, a.Professionalism = 5, 5, 5, 5
	case ActionResolveComplaint:
		a.ResolutionText = "done"
	case ActionReassign:
		a.Assignee = "bob"
	case ActionReprioritize:
		a.Priority = policy.Urgent
	case ActionNote, ActionProgress:
		a.Note = "n"
	}
	return a
}

func TestBadPayloadRejectedNamingField(t *testing.T) {
	h := newHarness(t, monday10, nil)
	unknown := h.after(time.Second, ActionRespond, Action{Actor: "a", Goal: "not mine"})
	h.after(time.Minute, ActionCancel, Action{Actor: "alice"})
	h.run(sampleRequest("b1"))
	if *unknown == nil || !strings.Contains((*unknown).Error(), "goal: not a field of respond") {
		t.Errorf("got %v", *unknown)
	}
}

func TestInvalidSignalRecorded(t *testing.T) {
	h := newHarness(t, monday10, nil)
	h.signalAfter(time.Minute, ActionDeliver, Action{ActionID: "x1", Actor: "crm"})
	h.signalAfter(2*time.Minute, ActionRespond, map[string]any{"actor": "crm", "bogus": 1})
	h.signalAfter(3*time.Minute, ActionRespond, Action{ActionID: "ok", Actor: "crm"})
	h.after(4*time.Minute, ActionCancel, Action{Actor: "alice"})
	st := h.run(sampleRequest("g1"))
	if countEvents(h, "action.rejected") != 2 || countEvents(h, "action.respond") != 1 {
		t.Errorf("rejected %d, respond %d", countEvents(h, "action.rejected"), countEvents(h, "action.respond"))
	}
	if deadline(st, "response", 1).State != DeadlineMet {
		t.Error("valid signal after invalid ones not applied")
	}
}

func TestContinueAsNewKeepsEverything(t *testing.T) {
	hourly := func(p *policy.Snapshot) {
		p.Deadlines[policy.ProgressReport] = policy.Deadline{Clock: "wall", Targets: policy.Targets{Urgent: time.Hour, Normal: time.Hour}}
	}
	h := newHarness(t, monday10, hourly)
	toInProgress(h, at("2026-12-04 18:00:00"))
	h.after(5*time.Minute, ActionProgress, Action{ActionID: "p1", Actor: "alice", Note: "first"})
	h.after(10*time.Minute, ActionComplain, Action{ActionID: "c1", Actor: "customer", Reason: "slow"})
	h.env.ExecuteWorkflow(WorkflowType, sampleRequest("can1"))
	var can *workflow.ContinueAsNewError
	if !errors.As(h.env.GetWorkflowError(), &can) {
		t.Fatalf("want continue-as-new, got %v", h.env.GetWorkflowError())
	}
	var next Request
	var carried *State
	if err := converter.GetDefaultDataConverter().FromPayloads(can.Input, &next, &carried); err != nil {
		t.Fatal(err)
	}
	if carried == nil || carried.ReportsSent != ReportsPerRun || carried.RunReports != ReportsPerRun {
		t.Fatalf("carried state %+v", carried)
	}
	before := h.events()
	h.sentAt(activities.KindProgressReport, activities.PartyCustomer, "progress/1")

	h2 := newHarness(t, h.env.Now(), hourly)
	h2.env.SetContinuedExecutionRunID("run-1")
	h2.after(time.Minute, ActionProgress, Action{ActionID: "p1", Actor: "alice", Note: "first"}) // duplicate across runs
	h2.after(2*time.Minute, ActionResolveComplaint, Action{Actor: "lead", ResolutionText: "sorry"})
	h2.after(3*time.Minute, ActionCancel, Action{Actor: "alice"})
	st := h2.runWith(next, carried)
	if st.Stage != StageClosed || len(st.Complaints) != 1 || st.Complaints[0].ResolvedAt == nil {
		t.Errorf("after continue-as-new: stage %s complaints %+v", st.Stage, st.Complaints)
	}
	first := h2.f.trs[0].Events[0]
	if first.Seq != before[len(before)-1].Seq+1 {
		t.Errorf("sequence restarted: %d after %d", first.Seq, before[len(before)-1].Seq)
	}
	for _, tr := range h2.f.trs {
		for _, e := range tr.Events {
			if e.Kind == "action.progress" {
				t.Error("duplicate action applied after continue-as-new")
			}
		}
	}
	if deadline(st, "complaint", 1).State != DeadlineMet {
		t.Errorf("complaint deadline kept across runs: %+v", deadline(st, "complaint", 1))
	}
}

// A run the first release continued as new carries its state inside the
// start input ("resume"): it still resumes where it was.
func TestLegacyContinuationResumes(t *testing.T) {
	carried := State{Request: sampleRequest("lc1"), Stage: StageAnalysis, Priority: "normal", Seq: 7, Book: sla.Book{Policy: testPolicy()}, Group: "general",
		Groups: map[string]Contact{"general": {Email: "service@example.com"}}, SeenActions: []string{"r1"}, CreatedAt: monday10}
	legacy := map[string]any{}
	b, _ := json.Marshal(sampleRequest("lc1"))
	_ = json.Unmarshal(b, &legacy)
	legacy["resume"] = carried
	h2 := newHarness(t, monday10.Add(time.Hour), nil)
	h2.env.SetContinuedExecutionRunID("run-1")
	h2.after(time.Minute, ActionRespond, Action{ActionID: "r1", Actor: "alice"}) // applied in the first run
	h2.after(2*time.Minute, ActionCancel, Action{ActionID: "c9", Actor: "alice"})
	h2.env.ExecuteWorkflow(WorkflowType, legacy)
	if err := h2.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if first := h2.f.trs[0].Events[0]; first.Seq != 8 || first.Kind == "received" {
		t.Fatalf("legacy continuation restarted: first event %+v", first)
	}
	for _, tr := range h2.f.trs {
		for _, e := range tr.Events {
			if e.Kind == "action.respond" {
				t.Error("an action applied before the continuation was applied again")
			}
		}
	}
}

// State carried into a run that was not continued as new (a raw start
// with a second argument, or the first release's "resume" field) is
// refused, not trusted.
func TestCarriedStateOnlyFromContinueAsNew(t *testing.T) {
	forged := &State{Request: sampleRequest("f1"), Stage: StageClosed, Priority: "normal"}
	h := newHarness(t, monday10, nil)
	h.env.ExecuteWorkflow(WorkflowType, sampleRequest("f1"), forged)
	if err := h.env.GetWorkflowError(); err == nil || !strings.Contains(err.Error(), "resume: only a run continued as new carries state") {
		t.Fatalf("forged state: %v", err)
	}
	h = newHarness(t, monday10, nil)
	h.env.ExecuteWorkflow(WorkflowType, map[string]any{"request_id": "f2", "resume": forged})
	if err := h.env.GetWorkflowError(); err == nil || !strings.Contains(err.Error(), "resume: only a run continued as new carries state") {
		t.Fatalf("forged legacy resume: %v", err)
	}
	if len(h.f.trs) != 0 {
		t.Fatal("a forged start recorded something")
	}
}

// Actions delivered with the start (before the intake's local activity has
// answered) wait for the intake and then apply in order.
func TestActionsWithTheStartWaitForIntake(t *testing.T) {
	h := newHarness(t, monday10, nil)
	h.after(0, ActionRespond, Action{ActionID: "early", Actor: "alice"})
	h.signalAfter(0, ActionNote, Action{ActionID: "early-note", Actor: "crm", Note: "sent with the start"})
	h.after(time.Minute, ActionCancel, Action{Actor: "alice"})
	st := h.run(sampleRequest("early1"))
	if d := deadline(st, "response", 1); d.State != DeadlineMet {
		t.Errorf("response %+v, want met by the early respond", d)
	}
	evs := h.events()
	if evs[0].Kind != "received" || countEvents(h, "action.respond") != 1 || countEvents(h, "action.note") != 1 {
		t.Errorf("events start with %s; respond %d, note %d", evs[0].Kind, countEvents(h, "action.respond"), countEvents(h, "action.note"))
	}
}
