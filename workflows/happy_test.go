package workflows

import (
	"context"
	"slices"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"

	"github.com/svcflow/svcflow/activities"
)

var monday10 = at("2026-11-23 10:00:00") // a Monday in Shanghai

func ptime(t time.Time) *time.Time { return &t }

// happyPath schedules every action of a request that keeps every deadline.
func happyPath(h *harness) {
	h.after(2*time.Minute, ActionRespond, Action{ActionID: "a1", Actor: "alice"})
	h.after(time.Hour, ActionSubmitSheet, Action{ActionID: "a2", Actor: "alice", Description: "Install the printer", Goal: "Printing works", ExpectedDelivery: ptime(at("2026-12-04 18:00:00"))})
	h.after(2*time.Hour, ActionConfirmSheet, Action{ActionID: "a3", Actor: "customer"})
	h.after(3*time.Hour, ActionAgreePlan, Action{ActionID: "a4", Actor: "customer"})
	h.after(4*time.Hour, ActionProgress, Action{ActionID: "a5", Actor: "alice", Note: "driver installed"})
	h.after(30*time.Hour, ActionDeliver, Action{ActionID: "a6", Actor: "alice"})
	h.after(31*time.Hour, ActionAcceptDelivery, Action{ActionID: "a7", Actor: "customer"})
	h.after(32*time.Hour, ActionRecordFollowUp, Action{ActionID: "a8", Actor: "bob", ResponseSpeed: 5, Resolution: 5, Attitude: 4, Professionalism: 5})
}

func TestHappyPath(t *testing.T) {
	h := newHarness(t, monday10, nil)
	happyPath(h)
	st := h.run(sampleRequest("42"))

	if st.Stage != StageClosed || st.Outcome != OutcomeCompleted {
		t.Fatalf("stage %s outcome %s, want closed completed", st.Stage, st.Outcome)
	}
	if st.Assignee != "alice" || st.Group != "general" || st.SlaBreached || st.EscalationLevel != 0 {
		t.Errorf("status %+v", st)
	}
	for _, d := range st.Deadlines {
		want := DeadlineMet
		if d.Name == "delay_notice" {
			want = DeadlineCancelled
		}
		if d.State != want {
			t.Errorf("deadline %s#%d state %s, want %s", d.Name, d.Instance, d.State, want)
		}
	}
	eqTime(t, "sheet due", *deadline(st, "sheet", 1).DueAt, at("2026-11-25 10:02:00"))
	eqTime(t, "confirmation due", *deadline(st, "confirmation", 1).DueAt, at("2026-11-24 11:00:00"))
	eqTime(t, "delivery due", *deadline(st, "delivery", 1).DueAt, at("2026-12-04 18:00:00"))
	eqTime(t, "receipt", h.sentAt(activities.KindReceipt, activities.PartyCustomer, "receipt"), monday10)
	h.sentAt(activities.KindAssignment, activities.PartyAssignee, "assignment/1")
	h.sentAt(activities.KindSheet, activities.PartyCustomer, "sheet/1")
	h.sentAt(activities.KindDelivery, activities.PartyCustomer, "delivery/1")
	h.sentAt(activities.KindSurveyRequest, activities.PartyCustomer, "survey")
	h.notSent("warning/")
	h.notSent("breach/")
	evs := h.events()
	if evs[0].Kind != "received" || evs[len(evs)-1].Kind != "closed" {
		t.Errorf("events from %s to %s", evs[0].Kind, evs[len(evs)-1].Kind)
	}
	last := h.f.trs[len(h.f.trs)-1].Request
	if last.Stage != StageClosed || last.Outcome != OutcomeCompleted || last.AcceptedAt == nil {
		t.Errorf("last request row %+v", last)
	}
	// Working time from intake to acceptance: Mon 10:00-18:00 less lunch (7h)
	// plus Tue 09:00-17:00 less lunch (7h).
	if last.ResolutionWork != 14*time.Hour {
		t.Errorf("resolution work %s, want 14h", last.ResolutionWork)
	}
}

// With parties on e-mail or webhook, the notifications of one transition go
// out in one NotifyAll task (receipt and assignment at intake); a transition
// with one keeps its Notify task. Each is still sent once.
func TestNotificationsOfOneTransitionShareOneTask(t *testing.T) {
	h := newHarness(t, monday10, nil) // no log-only parties
	h.acts.NotifyInline = false       // the shape of requests taken in before inline sends
	batches := map[string][]string{}  // activity ID -> dedupe keys
	var notifyTasks int
	h.env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, args converter.EncodedValues) {
		switch info.ActivityType.Name {
		case activities.NotifyAllName:
			var b activities.NotifyBatch
			if err := args.Get(&b); err != nil {
				t.Errorf("NotifyAll input: %v", err)
			}
			for _, n := range b.Notifications {
				batches[info.ActivityID] = append(batches[info.ActivityID], n.DedupeKey)
			}
		case activities.NotifyName:
			notifyTasks++
		}
	})
	happyPath(h)
	if st := h.run(sampleRequest("batch1")); st.Outcome != OutcomeCompleted {
		t.Fatalf("outcome %s", st.Outcome)
	}
	intake := false
	for _, keys := range batches {
		if len(keys) < 2 {
			t.Errorf("a NotifyAll task of %d notification(s): %v", len(keys), keys)
		}
		if slices.Contains(keys, "sr-batch1/receipt/customer") && slices.Contains(keys, "sr-batch1/assignment/1/assignee") {
			intake = true
		}
	}
	if !intake {
		t.Errorf("receipt and assignment not in one task: %v", batches)
	}
	if notifyTasks == 0 {
		t.Error("no single-notification transition kept its Notify task")
	}
	seen := map[string]int{}
	for _, n := range h.f.notes {
		seen[n.DedupeKey]++
	}
	for k, c := range seen {
		if c != 1 {
			t.Errorf("%s sent %d times", k, c)
		}
	}
}

// With log-only parties every notification rides on the record local
// activity: each still sent exactly once, after its facts, and no Notify
// activity task is scheduled.
func TestHappyPathLogOnlyPartiesNeedNoNotifyTasks(t *testing.T) {
	h := newHarness(t, monday10, nil)
	h.acts.NotifyInline = false // the shape of requests taken in before inline sends
	h.acts.LocalParties = activities.LogOnlyParties(map[string][]string{
		"customer": {"log"}, "assignee": {"log"}, "supervisor": {"log", "email"}, "manager": {"log"}})
	var notifyTasks int
	h.env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
		if info.ActivityType.Name == activities.NotifyName {
			notifyTasks++
		}
	})
	var riding []activities.Notification // notifications carried by the record local activity
	h.env.SetOnLocalActivityStartedListener(func(info *activity.Info, _ context.Context, args []any) {
		if info.ActivityType.Name == activities.RecordTransitionName && len(args) == 1 {
			if tr, ok := args[0].(activities.Transition); ok {
				riding = append(riding, tr.Notifications...)
			}
		}
	})
	happyPath(h)
	h.after(10*time.Minute, ActionComplain, Action{Actor: "customer", Reason: "slow"}) // supervisor: email too
	h.after(11*time.Minute, ActionResolveComplaint, Action{Actor: "lead", ResolutionText: "sorry"})
	st := h.run(sampleRequest("local1"))
	if st.Outcome != OutcomeCompleted {
		t.Fatalf("outcome %s", st.Outcome)
	}
	eqTime(t, "receipt", h.sentAt(activities.KindReceipt, activities.PartyCustomer, "receipt"), monday10)
	h.sentAt(activities.KindSheet, activities.PartyCustomer, "sheet/1")
	h.sentAt(activities.KindSurveyRequest, activities.PartyCustomer, "survey")
	h.sentAt(activities.KindComplaint, activities.PartySupervisor, "complaint/1")
	if notifyTasks != 1 {
		t.Errorf("%d Notify activity tasks, want 1 (the supervisor's, who has e-mail)", notifyTasks)
	}
	if len(riding) == 0 {
		t.Error("no notification rode on the record activity")
	}
	for _, n := range riding {
		if n.Party == activities.PartySupervisor {
			t.Errorf("supervisor notification %s rode on the record activity", n.DedupeKey)
		}
	}
}
