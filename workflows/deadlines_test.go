package workflows

import (
	"testing"
	"time"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/internal/policy"
)

// Every deadline warns the assignee at 80 %, breaches at 100 % (supervisor)
// and escalates at 200 % (manager), each exactly once at the exact instant,
// and the breach never ends the wait.
func TestResponseWarningBreachEscalation(t *testing.T) {
	h := newHarness(t, monday10, nil)
	h.after(3*time.Hour, ActionRespond, Action{Actor: "alice"})
	h.after(4*time.Hour, ActionCancel, Action{Actor: "alice", Reason: "test over"})
	st := h.run(sampleRequest("r1"))

	eqTime(t, "warning", h.sentAt(activities.KindWarning, activities.PartyAssignee, "warning/response/1"), at("2026-11-23 10:24:00"))
	eqTime(t, "breach", h.sentAt(activities.KindBreach, activities.PartySupervisor, "breach/response/1"), at("2026-11-23 10:30:00"))
	eqTime(t, "escalation", h.sentAt(activities.KindEscalation, activities.PartyManager, "escalation/response/1"), at("2026-11-23 11:00:00"))
	for _, n := range h.f.notes {
		if n.Kind == activities.KindEscalation && n.Data["level"] != "2" || n.Kind == activities.KindBreach && n.Data["level"] != "1" {
			t.Errorf("%s carries level %q", n.DedupeKey, n.Data["level"])
		}
	}
	d := deadline(st, "response", 1)
	if d.State != DeadlineBreached || d.EscalationLevel != 2 || d.MetAt == nil {
		t.Errorf("response deadline %+v", d)
	}
	eqTime(t, "met (late)", *d.MetAt, at("2026-11-23 13:00:00"))
	if !st.SlaBreached || st.EscalationLevel != 2 || st.Outcome != OutcomeCancelled {
		t.Errorf("status breached=%v level=%d outcome=%s", st.SlaBreached, st.EscalationLevel, st.Outcome)
	}
}

func TestSheetDeadlineInWorkingTime(t *testing.T) {
	h := newHarness(t, monday10.Add(-time.Minute), nil)
	h.after(time.Minute, ActionRespond, Action{Actor: "alice"})
	h.after(6*24*time.Hour, ActionCancel, Action{Actor: "alice"})
	h.run(sampleRequest("r2"))
	// 2wd = 16h of working time from Mon 10:00 (09-12, 13-18).
	eqTime(t, "warning", h.sentAt(activities.KindWarning, activities.PartyAssignee, "warning/sheet/1"), at("2026-11-24 15:48:00"))
	eqTime(t, "breach", h.sentAt(activities.KindBreach, activities.PartySupervisor, "breach/sheet/1"), at("2026-11-25 10:00:00"))
	eqTime(t, "escalation", h.sentAt(activities.KindEscalation, activities.PartyManager, "escalation/sheet/1"), at("2026-11-27 10:00:00"))
}

// toInProgress drives a normal request to execution with delivery at due.
func toInProgress(h *harness, due time.Time) {
	h.after(time.Second, ActionRespond, Action{Actor: "alice"})
	h.after(time.Minute, ActionSubmitSheet, Action{Actor: "alice", Description: "d", Goal: "g", ExpectedDelivery: &due})
	h.after(2*time.Minute, ActionConfirmSheet, Action{Actor: "customer"})
	h.after(3*time.Minute, ActionAgreePlan, Action{Actor: "customer"})
}

func TestDelayNoticeInTime(t *testing.T) {
	h := newHarness(t, monday10, nil)
	toInProgress(h, at("2026-11-27 18:00:00"))
	h.after(48*time.Hour, ActionAnnounceDelay, Action{Actor: "alice", NewDelivery: ptime(at("2026-12-01 18:00:00")), Reason: "parts late"})
	h.after(7*24*time.Hour, ActionDeliver, Action{Actor: "alice"})
	h.after(7*24*time.Hour+time.Minute, ActionCancel, Action{Actor: "alice"})
	st := h.run(sampleRequest("r3"))
	if d := deadline(st, "delay_notice", 1); d.State != DeadlineMet {
		t.Errorf("first delay notice %+v, want met", d)
	}
	h.sentAt(activities.KindDelayNotice, activities.PartyCustomer, "delay/2")
	d := deadline(st, "delivery", 1)
	eqTime(t, "delivery moved", *d.DueAt, at("2026-12-01 18:00:00"))
	if d.State != DeadlineMet {
		t.Errorf("delivery %+v, want met", d)
	}
	h.notSent("breach/")
}

func TestDelayNoticeLate(t *testing.T) {
	h := newHarness(t, monday10, nil)
	toInProgress(h, at("2026-11-27 18:00:00"))
	// Announced 12 h before delivery: the 24 h notice was due Thu 18:00.
	h.after(4*24*time.Hour-2*time.Hour, ActionAnnounceDelay, Action{Actor: "alice", NewDelivery: ptime(at("2026-12-01 18:00:00"))})
	h.after(5*24*time.Hour, ActionDeliver, Action{Actor: "alice"})
	h.after(5*24*time.Hour+time.Minute, ActionCancel, Action{Actor: "alice"})
	st := h.run(sampleRequest("r4"))
	eqTime(t, "delay notice breach", h.sentAt(activities.KindBreach, activities.PartySupervisor, "breach/delay_notice/1"), at("2026-11-26 18:00:00"))
	if d := deadline(st, "delay_notice", 1); d.State != DeadlineBreached {
		t.Errorf("delay notice %+v, want breached", d)
	}
	if d := deadline(st, "delivery", 1); d.State != DeadlineMet {
		t.Errorf("delivery %+v, want met after the announced delay", d)
	}
}

func TestReworkLoopWithBreach(t *testing.T) {
	h := newHarness(t, monday10, nil)
	toInProgress(h, at("2026-11-27 18:00:00"))
	h.after(time.Hour, ActionDeliver, Action{Actor: "alice"})                                   // Mon 11:00
	h.after(2*time.Hour, ActionRejectDelivery, Action{Actor: "customer", Reason: "paper jams"}) // Mon 12:00
	h.after(4*24*time.Hour, ActionDeliver, Action{Actor: "alice"})                              // Fri 10:00, late
	h.after(4*24*time.Hour+time.Hour, ActionAcceptDelivery, Action{Actor: "customer"})          // Fri 11:00
	h.after(4*24*time.Hour+2*time.Hour, ActionRecordFollowUp, Action{Actor: "bob", ResponseSpeed: 4, Resolution: 4, Attitude: 4, Professionalism: 4})
	st := h.run(sampleRequest("r5"))
	// Rejected Mon 12:00 (lunch): 16 working hours from 13:00 end exactly at
	// closing time Wed 12:00, which stays there.
	eqTime(t, "rework breach", h.sentAt(activities.KindBreach, activities.PartySupervisor, "breach/rework/1"), at("2026-11-25 12:00:00"))
	if st.ReworkRounds != 1 || st.Outcome != OutcomeCompleted {
		t.Errorf("rework rounds %d outcome %s", st.ReworkRounds, st.Outcome)
	}
	if d := deadline(st, "acceptance", 2); d.State != DeadlineMet {
		t.Errorf("second acceptance %+v", d)
	}
	h.sentAt(activities.KindDelivery, activities.PartyCustomer, "delivery/2")
}

func TestAcceptanceSilenceAutoAccept(t *testing.T) {
	h := newHarness(t, monday10, nil)
	toInProgress(h, at("2026-11-27 18:00:00"))
	h.after(time.Hour, ActionDeliver, Action{Actor: "alice"}) // Mon 11:00
	h.after(3*24*time.Hour+2*time.Hour, ActionRecordFollowUp, Action{Actor: "bob", ResponseSpeed: 5, Resolution: 5, Attitude: 5, Professionalism: 5})
	st := h.run(sampleRequest("r6"))
	// 3wd = 24 working hours from Mon 11:00 → Thu 11:00; reminder at 80 %.
	eqTime(t, "reminder", h.sentAt(activities.KindAcceptanceReminder, activities.PartyCustomer, "warning/acceptance/1"), at("2026-11-25 15:12:00"))
	if !h.hasEvent("acceptance.auto_accepted") {
		t.Fatal("no auto-accept event")
	}
	eqTime(t, "survey after auto-accept", h.sentAt(activities.KindSurveyRequest, activities.PartyCustomer, "survey"), at("2026-11-26 11:00:00"))
	h.notSent("breach/acceptance")
	if st.SlaBreached {
		t.Error("customer silence must not flag an SLA breach under auto_accept")
	}
}

func TestAcceptanceSilenceEscalate(t *testing.T) {
	h := newHarness(t, monday10, func(p *policy.Snapshot) { p.AcceptanceSilence = policy.Escalate })
	toInProgress(h, at("2026-11-27 18:00:00"))
	h.after(time.Hour, ActionDeliver, Action{Actor: "alice"})
	h.after(10*24*time.Hour, ActionAcceptDelivery, Action{Actor: "customer"})
	h.after(10*24*time.Hour+time.Minute, ActionRecordFollowUp, Action{Actor: "bob", ResponseSpeed: 5, Resolution: 5, Attitude: 5, Professionalism: 5})
	st := h.run(sampleRequest("r7"))
	eqTime(t, "breach", h.sentAt(activities.KindBreach, activities.PartySupervisor, "breach/acceptance/1"), at("2026-11-26 11:00:00"))
	eqTime(t, "escalation", h.sentAt(activities.KindEscalation, activities.PartyManager, "escalation/acceptance/1"), at("2026-12-01 11:00:00"))
	if st.Outcome != OutcomeCompleted || deadline(st, "acceptance", 1).State != DeadlineBreached {
		t.Errorf("outcome %s acceptance %+v", st.Outcome, deadline(st, "acceptance", 1))
	}
}

func TestReviewForComplexRequests(t *testing.T) {
	h := newHarness(t, monday10, nil)
	h.after(time.Second, ActionRespond, Action{Actor: "alice"})
	h.after(time.Minute, ActionSubmitSheet, Action{Actor: "alice", Description: "d", Goal: "g", ExpectedDelivery: ptime(at("2026-12-18 18:00:00"))})
	h.after(2*time.Minute, ActionConfirmSheet, Action{Actor: "customer"})
	early := h.after(3*time.Minute, ActionAgreePlan, Action{Actor: "customer"})
	h.after(3*24*time.Hour, ActionApproveReview, Action{Actor: "lead"})
	h.after(3*24*time.Hour+time.Minute, ActionAgreePlan, Action{Actor: "customer"})
	h.after(3*24*time.Hour+2*time.Minute, ActionCancel, Action{Actor: "alice"})
	req := sampleRequest("r8")
	req.Complex = true
	st := h.run(req)
	if *early == nil || !contains((*early).Error(), "approve_review first") {
		t.Errorf("agree_plan before review: %v", *early)
	}
	// Review from Mon 10:02 for 16 working hours → Wed 10:02.
	eqTime(t, "review breach", h.sentAt(activities.KindBreach, activities.PartySupervisor, "breach/review/1"), at("2026-11-25 10:02:00"))
	if deadline(st, "delivery", 1).Name == "" {
		t.Error("no delivery deadline after the plan was agreed")
	}
}

func TestComplaintDeadlines(t *testing.T) {
	h := newHarness(t, monday10, nil)
	h.after(time.Minute, ActionRespond, Action{Actor: "alice"})
	h.after(time.Hour, ActionComplain, Action{Actor: "customer", Reason: "rude"})
	h.after(2*time.Hour, ActionComplain, Action{Actor: "customer", Reason: "slow"})
	h.after(3*time.Hour, ActionResolveComplaint, Action{Actor: "lead", ComplaintID: 2, ResolutionText: "apologised"})
	h.after(30*time.Hour, ActionResolveComplaint, Action{Actor: "lead", ResolutionText: "retrained"})
	h.after(31*time.Hour, ActionCancel, Action{Actor: "alice"})
	st := h.run(sampleRequest("r9"))
	eqTime(t, "complaint 1 breach", h.sentAt(activities.KindBreach, activities.PartySupervisor, "breach/complaint/1"), at("2026-11-24 11:00:00"))
	h.notSent("breach/complaint/2")
	if deadline(st, "complaint", 2).State != DeadlineMet || deadline(st, "complaint", 1).State != DeadlineBreached {
		t.Errorf("complaints %+v / %+v", deadline(st, "complaint", 1), deadline(st, "complaint", 2))
	}
	if len(st.Complaints) != 2 || st.Complaints[0].Resolution != "retrained" || st.Complaints[1].Resolution != "apologised" {
		t.Errorf("complaints %+v", st.Complaints)
	}
}

func TestLowFollowUpScoreOpensComplaint(t *testing.T) {
	h := newHarness(t, monday10, nil)
	toInProgress(h, at("2026-11-27 18:00:00"))
	h.after(time.Hour, ActionDeliver, Action{Actor: "alice"})
	h.after(2*time.Hour, ActionAcceptDelivery, Action{Actor: "customer"})
	h.after(3*time.Hour, ActionRecordFollowUp, Action{Actor: "bob", ResponseSpeed: 5, Resolution: 2, Attitude: 5, Professionalism: 5})
	h.after(5*time.Hour, ActionResolveComplaint, Action{Actor: "lead", ResolutionText: "fixed for free"})
	st := h.run(sampleRequest("r10"))
	if len(st.Complaints) != 1 || st.Outcome != OutcomeCompleted {
		t.Fatalf("complaints %+v outcome %s", st.Complaints, st.Outcome)
	}
	eqTime(t, "closed after the complaint", *st.ClosedAt, monday10.Add(5*time.Hour))
	h.sentAt(activities.KindComplaint, activities.PartySupervisor, "complaint/1")
	if deadline(st, "complaint", 1).State != DeadlineMet {
		t.Errorf("complaint deadline %+v", deadline(st, "complaint", 1))
	}
}

// An action delivered at the instant its deadline falls due is recorded
// late: the breach comes first. (The test environment handles the timer
// before the update; the opposite order within one workflow task, after a
// worker outage, is exercised by the chaos kill drill.)
func TestActionAtDueInstantIsLate(t *testing.T) {
	h := newHarness(t, monday10, nil)
	h.after(30*time.Minute, ActionRespond, Action{Actor: "alice"})
	h.after(31*time.Minute, ActionCancel, Action{Actor: "alice"})
	st := h.run(sampleRequest("late1"))
	if d := deadline(st, "response", 1); d.State != DeadlineBreached || d.BreachedAt == nil {
		t.Errorf("response answered at its due instant: %+v", d)
	}
	h.sentAt(activities.KindBreach, activities.PartySupervisor, "breach/response/1")
}

// A confirmation arriving in the same task as the confirmation timer finds
// the sheet void and is rejected naming the stage.
func TestConfirmationAtDueInstantFindsSheetVoid(t *testing.T) {
	h := newHarness(t, monday10, nil)
	h.after(time.Minute, ActionRespond, Action{Actor: "alice"})
	h.after(time.Hour, ActionSubmitSheet, Action{Actor: "alice", Description: "d", Goal: "g", ExpectedDelivery: ptime(at("2026-12-24 18:00:00"))})
	late := h.after(24*time.Hour+time.Hour, ActionConfirmSheet, Action{Actor: "customer"}) // Tue 11:00 = due
	h.after(25*time.Hour+time.Minute, ActionCancel, Action{Actor: "alice"})
	st := h.run(sampleRequest("late2"))
	if *late == nil || !contains((*late).Error(), "stage analysis") {
		t.Errorf("late confirmation: %v", *late)
	}
	if d := deadline(st, "confirmation", 1); d.State != DeadlineBreached {
		t.Errorf("confirmation %+v", d)
	}
}
