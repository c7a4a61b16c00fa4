package whatif_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/svcflow/svcflow/internal/policy"
	"github.com/svcflow/svcflow/internal/whatif"
)

const (
	pending   = "pending"
	met       = "met"
	breached  = "breached"
	cancelled = "cancelled"
)

// Each case is a request's history as the workflow records it under the
// test policy (rows hand-computed in the policy's working time), replayed
// twice: under that policy every instance must keep its recorded outcome
// and due time; under the tweaked one the listed instances get the results
// given (hand-computed), the others keep theirs.
func TestReplay(t *testing.T) {
	cases := []struct {
		name  string
		build func(t *testing.T) *hist
		until time.Time
		tweak func(*policy.Set)
		want  map[string]string // "deadline#instance" → what-if result under tweak
	}{
		{
			name: "response answered at 25 min: breached under a 20 min target",
			build: func(t *testing.T) *hist {
				t0 := at("2026-11-23 10:00") // Monday
				return newHist(t, "a", t0, policy.Normal).
					action(t0.Add(25*time.Minute), "action.respond", nil).met(t0.Add(25*time.Minute), policy.Response, 1).
					started(t0.Add(25*time.Minute), policy.Sheet, 1).
					action(t0.Add(time.Hour), "action.cancel", nil).cancelled(t0.Add(time.Hour), policy.Sheet, 1).ev(t0.Add(time.Hour), whatif.KindClosed, nil).
					row(policy.Response, 1, met, t0, tp(t0.Add(30*time.Minute))).
					row(policy.Sheet, 1, cancelled, t0.Add(25*time.Minute), tp(at("2026-11-25 10:25"))) // 16 working hours
			},
			tweak: func(s *policy.Set) { s.Deadlines[policy.Response] = entry(s, policy.Response, 0, 20*time.Minute) },
			want:  map[string]string{"response#1": "breached due 2026-11-23 10:20:00"},
		},
		{
			name: "answered at the due instant: late",
			build: func(t *testing.T) *hist {
				t0 := at("2026-11-23 10:00")
				return newHist(t, "b", t0, policy.Normal).
					met(t0.Add(20*time.Minute), policy.Response, 1).
					row(policy.Response, 1, met, t0, tp(t0.Add(30*time.Minute)))
			},
			tweak: func(s *policy.Set) { s.Deadlines[policy.Response] = entry(s, policy.Response, 0, 20*time.Minute) },
			want:  map[string]string{"response#1": "breached due 2026-11-23 10:20:00"},
		},
		{
			name: "a customer wait moves the sheet by its working time",
			build: func(t *testing.T) *hist {
				t0 := at("2026-11-23 09:00")
				r := at("2026-11-23 09:10")
				return newHist(t, "c", t0, policy.Normal).
					met(r, policy.Response, 1).started(r, policy.Sheet, 1).
					action(at("2026-11-23 10:10"), whatif.KindRequestInfo, nil).
					action(at("2026-11-24 10:10"), whatif.KindProvideInfo, nil). // 8 working hours paused
					action(at("2026-11-25 17:00"), whatif.KindSubmitSheet, map[string]any{"expected_delivery": at("2026-12-04 18:00")}).
					met(at("2026-11-25 17:00"), policy.Sheet, 1).started(at("2026-11-25 17:00"), policy.Confirmation, 1).
					met(at("2026-11-26 16:00"), policy.Confirmation, 1).
					row(policy.Response, 1, met, t0, tp(t0.Add(30*time.Minute))).
					row(policy.Sheet, 1, met, r, tp(at("2026-11-26 09:10"))).
					row(policy.Confirmation, 1, met, at("2026-11-25 17:00"), tp(at("2026-11-26 17:00")))
			},
			// A sheet of 1 working day: Mon 09:10-10:10, the wait, then Tue
			// 10:10-18:00 less lunch (6h50): due Wed 09:10.
			tweak: func(s *policy.Set) { s.Deadlines[policy.Sheet] = entry(s, policy.Sheet, 0, 8*time.Hour) },
			want:  map[string]string{"sheet#1": "breached due 2026-11-25 09:10:00"},
		},
		{
			name: "a shorter confirmation time voids the sheet",
			build: func(t *testing.T) *hist {
				t0 := at("2026-11-23 09:00")
				return newHist(t, "d", t0, policy.Normal).
					met(t0.Add(time.Minute), policy.Response, 1).started(t0.Add(time.Minute), policy.Sheet, 1).
					action(at("2026-11-23 11:00"), whatif.KindSubmitSheet, map[string]any{"expected_delivery": at("2026-12-04 18:00")}).
					met(at("2026-11-23 11:00"), policy.Sheet, 1).started(at("2026-11-23 11:00"), policy.Confirmation, 1).
					met(at("2026-11-23 17:00"), policy.Confirmation, 1). // 5 working hours later
					row(policy.Response, 1, met, t0, tp(t0.Add(30*time.Minute))).
					row(policy.Sheet, 1, met, t0.Add(time.Minute), tp(at("2026-11-25 09:01"))).
					row(policy.Confirmation, 1, met, at("2026-11-23 11:00"), tp(at("2026-11-24 11:00")))
			},
			// Half a working day from Mon 11:00: 12:00 and 13:00-16:00.
			tweak: func(s *policy.Set) { s.Deadlines[policy.Confirmation] = entry(s, policy.Confirmation, 0, 4*time.Hour) },
			want:  map[string]string{"confirmation#1": "breached due 2026-11-23 16:00:00"},
		},
		{
			name:  "delivery moved by a delay, reworked, accepted, followed up",
			build: deliveryLife,
			// A 72 h notice: the first was due Tue 12-01 18:00 (announced Wed),
			// the second Sat 12-05 18:00 (delivered Mon): both breached.
			tweak: func(s *policy.Set) {
				s.Deadlines[policy.DelayNotice] = entry(s, policy.DelayNotice, 72*time.Hour, 72*time.Hour)
			},
			want: map[string]string{
				"delay_notice#1": "breached due 2026-12-01 18:00:00",
				"delay_notice#2": "breached due 2026-12-05 18:00:00",
			},
		},
		{
			name: "reprioritized to urgent: a 5 min target from intake",
			build: func(t *testing.T) *hist {
				t0 := at("2026-11-23 10:00")
				return newHist(t, "e", t0, policy.Normal).
					action(t0.Add(3*time.Minute), whatif.KindReprioritize, map[string]any{"priority": policy.Urgent}).
					met(t0.Add(6*time.Minute), policy.Response, 1).
					row(policy.Response, 1, breached, t0, tp(t0.Add(5*time.Minute)))
			},
			tweak: func(s *policy.Set) { s.Deadlines[policy.Response] = entry(s, policy.Response, 10*time.Minute, 0) },
			want:  map[string]string{"response#1": "met due 2026-11-23 10:10:00"},
		},
		{
			name: "apply_policy after a reprioritize: the fast policy's 8 h sheet",
			build: func(t *testing.T) *hist {
				t0 := at("2026-11-23 09:00")
				r := at("2026-11-23 09:10")
				return newHist(t, "f", t0, policy.Normal).
					met(r, policy.Response, 1).started(r, policy.Sheet, 1).
					action(at("2026-11-23 10:10"), whatif.KindReprioritize, map[string]any{"priority": policy.Urgent}).
					ev(at("2026-11-23 11:10"), whatif.KindPolicyApplied, map[string]any{"from": "default", "to": "fast"}).
					action(at("2026-11-24 10:00"), whatif.KindSubmitSheet, map[string]any{"expected_delivery": at("2026-12-04 18:00")}).
					met(at("2026-11-24 10:00"), policy.Sheet, 1).
					row(policy.Response, 1, met, t0, tp(t0.Add(30*time.Minute))).
					row(policy.Sheet, 1, breached, r, tp(at("2026-11-24 09:10")))
			},
			tweak: func(s *policy.Set) { s.Policies = nil }, // no fast policy: the 2wd sheet
			want:  map[string]string{"sheet#1": "met due 2026-11-25 09:10:00"},
		},
		{
			name: "unanswered: breached by now",
			build: func(t *testing.T) *hist {
				t0 := at("2026-11-23 10:00")
				return newHist(t, "g", t0, policy.Normal).row(policy.Response, 1, breached, t0, tp(t0.Add(30*time.Minute)))
			},
			until: at("2026-11-23 11:00"),
			tweak: func(s *policy.Set) { s.Deadlines[policy.Response] = entry(s, policy.Response, 0, 2*time.Hour) },
			want:  map[string]string{"response#1": "open due 2026-11-23 12:00:00"},
		},
		{
			name: "cancelled while waiting on the customer: due moved by the wait so far",
			build: func(t *testing.T) *hist {
				t0 := at("2026-11-23 09:00")
				r := at("2026-11-23 09:10")
				c := at("2026-11-23 11:10")
				return newHist(t, "h", t0, policy.Normal).
					met(r, policy.Response, 1).started(r, policy.Sheet, 1).
					action(at("2026-11-23 10:10"), whatif.KindRequestInfo, nil).
					action(c, "action.cancel", nil).cancelled(c, policy.Sheet, 1).ev(c, whatif.KindClosed, nil).
					row(policy.Response, 1, met, t0, tp(t0.Add(30*time.Minute))).
					row(policy.Sheet, 1, cancelled, r, tp(at("2026-11-25 10:10")))
			},
			tweak: func(s *policy.Set) { s.Deadlines[policy.Sheet] = entry(s, policy.Sheet, 0, 24*time.Hour) },
			want:  map[string]string{"sheet#1": "cancelled due 2026-11-26 10:10:00"},
		},
		{
			name:  "delivered while waiting on the customer: no due time then",
			build: deliveredWhilePaused,
			tweak: func(s *policy.Set) { delete(s.Deadlines, policy.DelayNotice) },
			want:  map[string]string{"delay_notice#1": "none due -"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := c.build(t)
			same := h.replay(set(fastPolicy), c.until)
			if len(same.Instances) != len(h.h.Deadlines) {
				t.Errorf("%d instances, %d rows", len(same.Instances), len(h.h.Deadlines))
			}
			for _, in := range same.Instances {
				if !in.Same() {
					t.Errorf("under the policy it ran with, %s #%d: recorded %s, replayed %s", in.Name, in.Instance, show(in.Recorded), show(in.WhatIf))
				}
			}
			tried := h.replay(set(func(s *policy.Set) { fastPolicy(s); c.tweak(s) }), c.until)
			for _, in := range tried.Instances {
				k := in.Name + "#" + strconv.Itoa(in.Instance)
				want, changed := c.want[k]
				if !changed {
					if !in.Same() {
						t.Errorf("%s changed: recorded %s, what-if %s", k, show(in.Recorded), show(in.WhatIf))
					}
					continue
				}
				if got := show(in.WhatIf); got != want {
					t.Errorf("%s under the policy tried: %s, want %s", k, got, want)
				}
				delete(c.want, k)
			}
			for k := range c.want {
				t.Errorf("no instance %s", k)
			}
		})
	}
}

// fastPolicy is the set's policy "fast": urgent requests get an 8 h sheet.
func fastPolicy(s *policy.Set) {
	eight := &policy.Amount{D: 8 * time.Hour}
	s.Policies = []policy.Rule{{Name: "fast", Match: policy.Match{Priority: []string{policy.Urgent}},
		Deadlines: map[string]policy.Entry{policy.Sheet: {Urgent: eight, Normal: eight}}}}
}

// entry is deadline name of s with the given targets (0 keeps one).
func entry(s *policy.Set, name string, urgent, normal time.Duration) policy.Entry {
	e := s.Deadlines[name]
	if urgent > 0 {
		e.Urgent = &policy.Amount{D: urgent}
	}
	if normal > 0 {
		e.Normal = &policy.Amount{D: normal}
	}
	return e
}

// deliveryLife: planned Mon 11-30, delivery committed Fri 12-04 18:00, moved
// on Wed to Tue 12-08 18:00, delivered Mon 12-07, rejected, reworked,
// accepted Thu 12-10, followed up Fri 12-11.
func deliveryLife(t *testing.T) *hist {
	t0 := at("2026-11-23 09:00")
	plan := at("2026-11-30 10:00")
	delay := at("2026-12-02 10:00")
	deliver := at("2026-12-07 12:00")
	reject := at("2026-12-08 10:00")
	again := at("2026-12-09 15:00")
	accept := at("2026-12-10 10:00")
	follow := at("2026-12-11 10:00")
	return newHist(t, "dl", t0, policy.Normal).
		met(t0.Add(time.Minute), policy.Response, 1).started(t0.Add(time.Minute), policy.Sheet, 1).
		action(at("2026-11-24 09:00"), whatif.KindSubmitSheet, map[string]any{"expected_delivery": at("2026-12-04 18:00")}).
		met(at("2026-11-24 09:00"), policy.Sheet, 1).started(at("2026-11-24 09:00"), policy.Confirmation, 1).
		met(at("2026-11-24 10:00"), policy.Confirmation, 1).
		action(plan, "action.agree_plan", nil).started(plan, policy.Delivery, 1).started(plan, policy.DelayNotice, 1).
		action(delay, whatif.KindAnnounceDelay, map[string]any{"new_delivery": at("2026-12-08 18:00")}).
		met(delay, policy.DelayNotice, 1).started(delay, policy.DelayNotice, 2).
		action(deliver, "action.deliver", nil).met(deliver, policy.Delivery, 1).cancelled(deliver, policy.DelayNotice, 2).
		started(deliver, policy.Acceptance, 1).
		met(reject, policy.Acceptance, 1).started(reject, policy.Rework, 1).
		met(again, policy.Rework, 1).started(again, policy.Acceptance, 2).
		met(accept, policy.Acceptance, 2).started(accept, policy.FollowUp, 1).
		met(follow, policy.FollowUp, 1).ev(follow, whatif.KindClosed, nil).
		row(policy.Response, 1, met, t0, tp(t0.Add(30*time.Minute))).
		row(policy.Sheet, 1, met, t0.Add(time.Minute), tp(at("2026-11-25 09:01"))).
		row(policy.Confirmation, 1, met, at("2026-11-24 09:00"), tp(at("2026-11-24 18:00"))).
		row(policy.Delivery, 1, met, plan, tp(at("2026-12-08 18:00"))).
		row(policy.DelayNotice, 1, met, plan, tp(at("2026-12-03 18:00"))).
		row(policy.DelayNotice, 2, cancelled, delay, tp(at("2026-12-07 18:00"))).
		row(policy.Acceptance, 1, met, deliver, tp(at("2026-12-10 12:00"))).
		row(policy.Rework, 1, met, reject, tp(at("2026-12-10 10:00"))).
		row(policy.Acceptance, 2, met, again, tp(at("2026-12-14 15:00"))).
		row(policy.FollowUp, 1, met, accept, tp(at("2026-12-15 10:00")))
}

// deliveredWhilePaused: the delivery is met while the request waits on the
// customer, so the workflow writes its row (and the cancelled notice's)
// without a due time, and a later provide_info does not write them again.
func deliveredWhilePaused(t *testing.T) *hist {
	t0 := at("2026-11-23 09:00")
	plan := at("2026-11-30 10:00")
	wait := at("2026-12-01 10:00")
	deliver := at("2026-12-02 10:00")
	back := at("2026-12-02 11:00")
	return newHist(t, "dp", t0, policy.Normal).
		met(t0.Add(time.Minute), policy.Response, 1).
		action(at("2026-11-24 09:00"), whatif.KindSubmitSheet, map[string]any{"expected_delivery": at("2026-12-04 18:00")}).
		action(plan, "action.agree_plan", nil).started(plan, policy.Delivery, 1).started(plan, policy.DelayNotice, 1).
		action(wait, whatif.KindRequestInfo, nil).
		action(deliver, "action.deliver", nil).met(deliver, policy.Delivery, 1).cancelled(deliver, policy.DelayNotice, 1).
		started(deliver, policy.Acceptance, 1).
		action(back, whatif.KindProvideInfo, nil).
		met(at("2026-12-02 12:00"), policy.Acceptance, 1).
		row(policy.Response, 1, met, t0, tp(t0.Add(30*time.Minute))).
		row(policy.Delivery, 1, met, plan, nil).
		row(policy.DelayNotice, 1, cancelled, plan, nil).
		row(policy.Acceptance, 1, met, deliver, tp(at("2026-12-07 10:00")))
}
