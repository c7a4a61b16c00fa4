package workflows

import (
	"strings"
	"testing"
	"time"

	sdkpb "go.temporal.io/api/sdk/v1"

	"github.com/svcflow/svcflow/activities"
)

// A signal whose name is no action is recorded as rejected, not lost.
func TestUnknownSignalIsRecordedAsRejected(t *testing.T) {
	h := newHarness(t, monday10, nil)
	h.signalAfter(time.Minute, "deliverr", Action{ActionID: "u1", Actor: "crm"})
	h.after(2*time.Minute, ActionCancel, Action{Actor: "alice"})
	h.run(sampleRequest("u1"))
	rej := eventsOf(h, "action.rejected")
	if len(rej) != 1 || rej[0]["action"] != "deliverr" || rej[0]["action_id"] != "u1" ||
		!strings.HasPrefix(rej[0]["reason"].(string), `unknown action "deliverr"; actions: respond, `) {
		t.Fatalf("unknown signal recorded as %v", rej)
	}
}

// A delivery committed inside the delay notice's lead (10 h ahead, lead
// 24 h) cannot be announced late: the notice is met at the commitment;
// nothing breaches, warns or escalates.
func TestDelayNoticeWithinLeadIsMetAtCommitment(t *testing.T) {
	h := newHarness(t, monday10, nil)
	toInProgress(h, monday10.Add(10*time.Hour))
	h.after(9*time.Hour, ActionDeliver, Action{Actor: "alice"})
	h.after(9*time.Hour+time.Minute, ActionCancel, Action{Actor: "alice"})
	st := h.run(sampleRequest("dn1"))
	d := deadline(st, "delay_notice", 1)
	if d.State != DeadlineMet || d.EscalationLevel != 0 || d.Warned {
		t.Fatalf("delay notice %+v, want met without warning or breach", d)
	}
	met := eventsOf(h, "deadline.met")
	found := false
	for _, m := range met {
		if m["deadline"] == "delay_notice" && m["within_lead"] == true {
			found = true
		}
	}
	if !found || st.SlaBreached {
		t.Errorf("delay notice met events %v, breached %v", met, st.SlaBreached)
	}
	h.notSent("delay_notice")
}

// A rejected sheet tells the assignee with its own template and words.
func TestRejectedSheetHasItsOwnNotification(t *testing.T) {
	h := newHarness(t, monday10, nil)
	h.after(time.Minute, ActionRespond, Action{Actor: "alice"})
	h.after(time.Hour, ActionSubmitSheet, Action{Actor: "alice", Description: "d", Goal: "g", ExpectedDelivery: ptime(at("2026-12-04 18:00:00"))})
	h.after(2*time.Hour, ActionRejectSheet, Action{Actor: "customer", Reason: "wrong goal"})
	h.after(3*time.Hour, ActionCancel, Action{Actor: "alice"})
	h.run(sampleRequest("sr1"))
	h.sentAt(activities.KindSheetRejected, activities.PartyAssignee, "sheet.rejected/1")
	for _, n := range h.f.notes {
		if strings.Contains(n.DedupeKey, "sheet.rejected") && (n.Kind == activities.KindWarning || n.Data["reason"] != "wrong goal" || n.Data["due_at"] == "") {
			t.Errorf("rejection notification %+v", n.Notification)
		}
	}
}

// announce_delay moves the open delivery; the settled first delay notice
// keeps the due time it had.
func TestAnnounceDelayKeepsTheSettledNotice(t *testing.T) {
	h := newHarness(t, monday10, nil)
	toInProgress(h, at("2026-11-27 18:00:00"))
	h.after(48*time.Hour, ActionAnnounceDelay, Action{Actor: "alice", NewDelivery: ptime(at("2026-12-01 18:00:00")), Reason: "parts late"})
	h.after(7*24*time.Hour, ActionCancel, Action{Actor: "alice"})
	st := h.run(sampleRequest("ad1"))
	eqTime(t, "settled delay notice #1", *deadline(st, "delay_notice", 1).DueAt, at("2026-11-26 18:00:00"))
	eqTime(t, "delay notice #2", *deadline(st, "delay_notice", 2).DueAt, at("2026-11-30 18:00:00"))
	for _, tr := range h.f.trs {
		for _, r := range tr.Deadlines {
			if r.Name == "delay_notice" && r.Instance == 1 && r.State == DeadlineMet && !r.DueAt.Equal(at("2026-11-26 18:00:00")) {
				t.Errorf("row of the settled notice rewritten: due %s", r.DueAt)
			}
		}
	}
}

// A low-score complaint names what triggered it.
func TestLowScoreComplaintNamesTheTrigger(t *testing.T) {
	h := newHarness(t, monday10, nil)
	toInProgress(h, at("2026-11-27 18:00:00"))
	h.after(time.Hour, ActionDeliver, Action{Actor: "alice"})
	h.after(2*time.Hour, ActionAcceptDelivery, Action{Actor: "customer"})
	h.after(3*time.Hour, ActionRecordFollowUp, Action{Actor: "bob", ResponseSpeed: 5, Resolution: 2, Attitude: 5, Professionalism: 5})
	h.after(4*time.Hour, ActionResolveComplaint, Action{Actor: "lead", Note: "fixed for free"})
	st := h.run(sampleRequest("ls1"))
	if len(st.Complaints) != 1 || st.Complaints[0].Reason != "low follow-up score: resolution 2 (2 or less opens a complaint)" {
		t.Fatalf("complaints %+v", st.Complaints)
	}
	if st.Complaints[0].Resolution != "fixed for free" {
		t.Errorf("the note did not fill the resolution: %+v", st.Complaints[0])
	}
	if r := lowScoreReason(Action{ResponseSpeed: 3, Resolution: 3, Attitude: 3, Professionalism: 2}, 2.75, h.pol.LowScore); r !=
		"low follow-up score: professionalism 2 (2 or less opens a complaint); low follow-up average 2.75 (below 3.00 opens a complaint)" {
		t.Errorf("both triggers: %q", r)
	}
}

// What the UI shows as current details follows reassign and reprioritize.
func TestCurrentDetailsStayCurrent(t *testing.T) {
	h := newHarness(t, monday10, nil)
	h.after(time.Minute, ActionRespond, Action{Actor: "alice"})
	h.after(2*time.Minute, ActionReassign, Action{Actor: "lead", Assignee: "bob", Group: "field"})
	h.after(3*time.Minute, ActionReprioritize, Action{Actor: "lead", Priority: "urgent"})
	var details string
	h.env.RegisterDelayedCallback(func() {
		v, err := h.env.QueryWorkflow("__temporal_workflow_metadata")
		if err != nil {
			t.Errorf("metadata query: %v", err)
			return
		}
		var md sdkpb.WorkflowMetadata
		if err := v.Get(&md); err != nil {
			t.Errorf("decode metadata: %v", err)
			return
		}
		details = md.GetCurrentDetails()
	}, 4*time.Minute)
	h.after(5*time.Minute, ActionCancel, Action{Actor: "alice"})
	h.run(sampleRequest("cd1"))
	for _, want := range []string{"**Assignee:** bob", "**Group:** field", "**Priority:** urgent"} {
		if !strings.Contains(details, want) {
			t.Errorf("current details lack %q: %q", want, details)
		}
	}
}

// A committed delivery further ahead than sla.max_delivery_ahead is refused
// by name.
func TestCommitmentBeyondTheBoundIsRefused(t *testing.T) {
	h := newHarness(t, monday10, nil)
	h.after(time.Minute, ActionRespond, Action{Actor: "alice"})
	far := h.after(time.Hour, ActionSubmitSheet, Action{Actor: "alice", Description: "d", Goal: "g", ExpectedDelivery: ptime(time.Date(8999, 1, 1, 0, 0, 0, 0, time.UTC))})
	h.after(2*time.Hour, ActionCancel, Action{Actor: "alice"})
	h.run(sampleRequest("md1"))
	if *far == nil || !strings.Contains((*far).Error(), "expected_delivery: ") || !strings.Contains((*far).Error(), "sla.max_delivery_ahead 8760h") {
		t.Fatalf("far commitment: %v", *far)
	}
}

// A raw start (not through the starter) with submitted_at out of bounds or
// the sr- prefix fails the workflow naming the field, before anything is
// recorded.
func TestIntakeRulesInTheWorkflow(t *testing.T) {
	for name, tweak := range map[string]func(*Request){
		"submitted_at": func(r *Request) { r.SubmittedAt = ptime(time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)) },
		"request_id":   func(r *Request) { r.RequestID = "sr-900" },
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, monday10, nil)
			req := sampleRequest("ir1")
			tweak(&req)
			h.env.ExecuteWorkflow(WorkflowType, req)
			err := h.env.GetWorkflowError()
			if err == nil || !strings.Contains(err.Error(), "invalid request: "+name+": ") {
				t.Fatalf("workflow error %v, want one naming %s", err, name)
			}
			if len(h.f.trs) != 0 {
				t.Fatalf("%d transitions recorded for a refused start", len(h.f.trs))
			}
		})
	}
}

// respond makes its actor the assignee: without one it is refused (not
// "root" or nobody as the assignee).
func TestRespondNeedsAnActor(t *testing.T) {
	h := newHarness(t, monday10, nil)
	anon := h.after(time.Minute, ActionRespond, Action{})
	h.after(2*time.Minute, ActionRespond, Action{Actor: "alice"})
	h.after(3*time.Minute, ActionCancel, Action{Actor: "alice"})
	st := h.run(sampleRequest("actor1"))
	if *anon == nil || !strings.HasPrefix((*anon).Error(), "actor: required") {
		t.Fatalf("respond without an actor: %v", *anon)
	}
	if st.Assignee != "alice" {
		t.Errorf("assignee %q", st.Assignee)
	}
}
