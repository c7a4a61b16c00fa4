package workflows

import (
	"testing"
	"time"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/calendar"
	"github.com/svcflow/svcflow/internal/policy"
)

var berlin = mustZone("Europe/Berlin")

// berlinHours is Mon-Fri 08:00-17:00 Berlin time (9 working hours).
func berlinHours() calendar.Spec {
	var week [7][]calendar.Window
	for d := time.Monday; d <= time.Friday; d++ {
		week[d] = []calendar.Window{{Start: 8 * 3600, End: 17 * 3600}}
	}
	return calendar.Spec{Zone: "Europe/Berlin", StandardDay: 9 * time.Hour, Week: week}
}

// setWith is the harness's policy as a set, changed by tweak.
func setWith(h *harness, tweak func(*policy.Set)) {
	s := policy.SetOf(h.pol)
	tweak(s)
	h.acts.Policies = s
}

// A request taken in Shanghai for a group that works Berlin hours counts
// its deadlines in Berlin's working time, across Berlin's change from
// summer to winter time (2026-10-25).
func TestGroupCalendarAcrossDST(t *testing.T) {
	friday := at("2026-10-23 16:00:00") // 10:00 in Berlin (CEST)
	h := newHarness(t, friday, nil)
	setWith(h, func(s *policy.Set) {
		s.Calendars["berlin"] = berlinHours()
		s.GroupCalendars = map[string]string{"field": "berlin"}
		two := &policy.Amount{WD: 2} // in the calendar the deadline counts in
		s.Deadlines[policy.Sheet] = policy.Entry{Clock: calendar.Business, Urgent: two, Normal: two}
	})
	h.acts.Routing.Rules = append(h.acts.Routing.Rules, testRouteOnsite())
	h.after(0, ActionRespond, Action{Actor: "hans"})
	h.after(time.Hour, ActionCancel, Action{Actor: "hans"})
	req := sampleRequest("berlin1")
	req.Category = "onsite"
	st := h.run(req)
	if st.Group != "field" || st.Policy != policy.DefaultPolicy || st.Calendar != "berlin" {
		t.Fatalf("group %s policy %s calendar %s", st.Group, st.Policy, st.Calendar)
	}
	// Sheet 2wd = 18 working hours in Berlin: Fri 10:00-17:00 (7), Mon 08:00-17:00
	// (9, now CET), Tue 08:00-10:00 (2): Tue 10:00 CET = 17:00 in Shanghai.
	eqTime(t, "sheet due", *deadline(st, "sheet", 1).DueAt, time.Date(2026, 10, 27, 10, 0, 0, 0, berlin))
}

// A chain of four steps, with a customer wait between the second and the
// third: each step notifies its parties once; the later ones move by the
// paused working time; each step above the breach raises the level.
func TestChainOfFourStepsWithAPause(t *testing.T) {
	h := newHarness(t, at("2026-11-23 09:00:00"), func(p *policy.Snapshot) {
		p.Escalation = []policy.Step{
			{At: 0.5, Notify: []string{"assignee"}},
			{At: 1.0, Notify: []string{"assignee", "supervisor"}},
			{At: 1.5, Notify: []string{"supervisor"}},
			{At: 2.0, Notify: []string{"manager"}},
		}
	})
	h.after(0, ActionRespond, Action{Actor: "alice"})                                   // sheet: 16 working hours from Mon 09:00
	h.after(48*time.Hour, ActionRequestInfo, Action{Actor: "alice", Reason: "serial?"}) // Wed 09:00
	h.after(72*time.Hour, ActionProvideInfo, Action{Actor: "customer"})                 // Thu 09:00: 8 working hours paused
	h.after(7*24*time.Hour, ActionCancel, Action{Actor: "alice"})
	st := h.run(sampleRequest("chain1"))
	eqTime(t, "step 1 (warning)", h.sentAt(activities.KindWarning, activities.PartyAssignee, "/warning/sheet/1/"), at("2026-11-23 18:00:00"))
	eqTime(t, "step 2 (breach) to the assignee", h.sentAt(activities.KindBreach, activities.PartyAssignee, "/breach/sheet/1/"), at("2026-11-24 18:00:00"))
	eqTime(t, "step 2 (breach) to the supervisor", h.sentAt(activities.KindBreach, activities.PartySupervisor, "/breach/sheet/1/"), at("2026-11-24 18:00:00"))
	eqTime(t, "step 3 (level 2)", h.sentAt(activities.KindEscalation, activities.PartySupervisor, "/escalation/sheet/1/"), at("2026-11-26 18:00:00"))
	eqTime(t, "step 4 (level 3)", h.sentAt(activities.KindEscalation, activities.PartyManager, "/escalation/sheet/1/2/"), at("2026-11-27 18:00:00"))
	if d := deadline(st, "sheet", 1); d.EscalationLevel != 3 {
		t.Errorf("sheet level %d, want 3", d.EscalationLevel)
	}
	levels := []any{}
	for _, e := range eventsOf(h, "deadline.escalation") {
		levels = append(levels, e["level"])
	}
	if len(levels) != 2 || levels[0] != float64(2) || levels[1] != float64(3) {
		t.Errorf("escalation events levels %v", levels)
	}
}

// Quiet hours: a breach at 02:00 on a Saturday is recorded then, but the
// supervisor hears of it at Monday's opening; an urgent request's breach
// pages at once.
func TestQuietHoursHoldUntilMonday(t *testing.T) {
	saturday := at("2026-11-28 01:30:00")
	quiet := func(s *policy.Set) {
		s.QuietHours = &policy.QuietRule{Parties: []string{"supervisor", "manager"}, Except: []string{policy.Urgent}}
	}
	h := newHarness(t, saturday, nil)
	setWith(h, quiet)
	h.after(72*time.Hour, ActionCancel, Action{Actor: "alice"})
	h.run(sampleRequest("quiet1")) // normal: 30 min → breach Sat 02:00
	var breachAt time.Time
	for _, e := range h.events() {
		if e.Kind == "deadline.breach" {
			breachAt = e.At
		}
	}
	eqTime(t, "breach recorded", breachAt, at("2026-11-28 02:00:00"))
	eqTime(t, "supervisor told", h.sentAt(activities.KindBreach, activities.PartySupervisor, "breach/response/1"), at("2026-11-30 09:00:00"))
	for _, n := range h.f.notes {
		if n.Kind == activities.KindBreach && (n.HeldUntil == nil || !n.HeldUntil.Equal(at("2026-11-30 09:00:00"))) {
			t.Errorf("held notification carries held_until %v", n.HeldUntil)
		}
	}
	if len(eventsOf(h, "notification.held")) < 1 {
		t.Error("the hold is not in the timeline")
	}

	u := newHarness(t, at("2026-11-28 01:55:00"), nil)
	setWith(u, quiet)
	u.after(time.Hour, ActionCancel, Action{Actor: "alice"})
	req := sampleRequest("quiet2")
	req.Priority = policy.Urgent // 5 min → breach Sat 02:00
	u.run(req)
	eqTime(t, "urgent pages at once", u.sentAt(activities.KindBreach, activities.PartySupervisor, "breach/response/1"), at("2026-11-28 02:00:00"))
}

// apply_policy after a reprioritize and a customer wait: the running sheet
// takes the new policy's target from its original start, keeping the
// elapsed and the paused time.
func TestApplyPolicyAfterReprioritizeAndPause(t *testing.T) {
	h := newHarness(t, at("2026-11-23 09:00:00"), nil)
	setWith(h, func(s *policy.Set) {
		eight := &policy.Amount{D: 8 * time.Hour}
		s.Policies = []policy.Rule{{Name: "fast", Match: policy.Match{Priority: []string{policy.Urgent}},
			Deadlines: map[string]policy.Entry{policy.Sheet: {Urgent: eight, Normal: eight}}}}
	})
	h.after(0, ActionRespond, Action{Actor: "alice"})
	h.after(time.Hour, ActionReprioritize, Action{Actor: "lead", Priority: policy.Urgent}) // still the default policy
	h.after(2*time.Hour, ActionRequestInfo, Action{Actor: "alice", Reason: "photos"})      // 11:00
	h.after(5*time.Hour, ActionProvideInfo, Action{Actor: "customer"})                     // 14:00
	applied := h.after(6*time.Hour, ActionApplyPolicy, Action{Actor: "lead"})              // 15:00
	var mid Status
	h.env.RegisterDelayedCallback(func() {
		v, _ := h.env.QueryWorkflow(StatusQuery)
		_ = v.Get(&mid)
	}, 6*time.Hour+time.Minute)
	h.after(7*time.Hour, ActionCancel, Action{Actor: "alice"})
	h.run(sampleRequest("apply1"))
	if *applied != nil {
		t.Fatalf("apply_policy refused: %v", *applied)
	}
	// 8 working hours: 09:00-11:00 (2) and 14:00-15:00 (1) elapsed, 5 left
	// from 15:00: 15:00-18:00 (3), Tue 09:00-11:00 (2).
	if mid.Policy != "fast" {
		t.Fatalf("policy after apply_policy %q", mid.Policy)
	}
	eqTime(t, "sheet due after apply_policy", *deadline(mid, "sheet", 1).DueAt, at("2026-11-24 11:00:00"))
	ev := eventsOf(h, "policy.applied")
	if len(ev) != 1 || ev[0]["from"] != "default" || ev[0]["to"] != "fast" || ev[0]["calendar_to"] != "default" {
		t.Fatalf("policy.applied events %v", ev)
	}
}

// testRouteOnsite routes category onsite to the field group.
func testRouteOnsite() config.Rule {
	return config.Rule{Match: config.RuleMatch{Category: []string{"onsite"}}, Group: "field"}
}
