package sla

import (
	"testing"
	"time"

	"github.com/svcflow/svcflow/internal/calendar"
	"github.com/svcflow/svcflow/internal/policy"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// officeHours is Mon-Fri 09:00-12:00, 13:00-18:00 in zone.
func officeHours(zone string) calendar.Spec {
	day := []calendar.Window{{Start: 9 * 3600, End: 12 * 3600}, {Start: 13 * 3600, End: 18 * 3600}}
	var week [7][]calendar.Window
	for d := time.Monday; d <= time.Friday; d++ {
		week[d] = day
	}
	return calendar.Spec{Zone: zone, StandardDay: 8 * time.Hour, Week: week}
}

func snapshot() policy.Snapshot {
	wall := func(u, n time.Duration) policy.Deadline {
		return policy.Deadline{Clock: calendar.Wall, Targets: policy.Targets{Urgent: u, Normal: n}}
	}
	biz := func(u, n time.Duration) policy.Deadline {
		return policy.Deadline{Clock: calendar.Business, Targets: policy.Targets{Urgent: u, Normal: n}}
	}
	return policy.Snapshot{
		Name: policy.DefaultPolicy, CalendarName: policy.DefaultCalendar, Calendar: officeHours("Asia/Shanghai"),
		WarnAt: 0.8, EscalateAt: 2.0, SheetRounds: 3, AcceptanceSilence: policy.AutoAccept, Semantics: policy.CurrentSemantics,
		Deadlines: map[string]policy.Deadline{
			policy.Response:     wall(5*time.Minute, 30*time.Minute),
			policy.Sheet:        biz(16*time.Hour, 16*time.Hour),
			policy.Confirmation: biz(8*time.Hour, 8*time.Hour),
			policy.DelayNotice:  wall(24*time.Hour, 24*time.Hour),
			policy.Acceptance:   biz(24*time.Hour, 24*time.Hour),
		},
	}
}

func book(t *testing.T, tweak func(*policy.Snapshot)) *Book {
	t.Helper()
	b := &Book{Policy: snapshot()}
	if tweak != nil {
		tweak(&b.Policy)
	}
	if err := b.Load(); err != nil {
		t.Fatal(err)
	}
	return b
}

// fired is one fact as a test names it.
type fired struct {
	kind    FactKind
	at      time.Time
	level   int
	parties string
}

// drain fires every step up to until, stepping through the wake instants.
func drain(b *Book, from, until time.Time) []fired {
	var out []fired
	now := from
	for {
		for {
			f, ok := b.FireNext(now)
			if !ok {
				break
			}
			p := ""
			for i, x := range f.Parties {
				if i > 0 {
					p += ","
				}
				p += x
			}
			out = append(out, fired{f.Kind, now, f.Level, p})
		}
		next, ok := b.NextWake(now)
		if !ok || next.At.After(until) {
			return out
		}
		now = next.At
	}
}

func check(t *testing.T, got, want []fired) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("fired %v, want %v", got, want)
	}
	for i := range want {
		if got[i].kind != want[i].kind || !got[i].at.Equal(want[i].at) || got[i].level != want[i].level || got[i].parties != want[i].parties {
			t.Errorf("fact %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestShorthandChain(t *testing.T) {
	b := book(t, nil)
	start := at("2026-11-23 10:00") // Monday
	d, facts := b.Start(policy.Response, policy.Normal, policy.Standard, start)
	if len(facts) != 1 || facts[0].Kind != FactStarted || !facts[0].Due.Equal(start.Add(30*time.Minute)) {
		t.Fatalf("start facts %+v", facts)
	}
	check(t, drain(b, start, start.Add(2*time.Hour)), []fired{
		{FactWarning, start.Add(24 * time.Minute), 0, "assignee"},
		{FactBreach, start.Add(30 * time.Minute), 1, "supervisor"},
		{FactEscalation, start.Add(60 * time.Minute), 2, "manager"},
	})
	if d.Level != 2 || d.State != Breached || !d.Warned {
		t.Errorf("deadline %+v", d)
	}
}

// A chain of four steps on a business clock, with a customer wait between
// the second and the third step: the later steps move by the paused
// working time.
func TestChainOfFourWithAPause(t *testing.T) {
	b := book(t, func(p *policy.Snapshot) {
		p.Escalation = []policy.Step{
			{At: 0.5, Notify: []string{"assignee"}},
			{At: 1.0, Notify: []string{"assignee", "supervisor"}},
			{At: 1.5, Notify: []string{"supervisor"}},
			{At: 2.0, Notify: []string{"manager"}},
		}
	})
	start := at("2026-11-23 09:00")                                      // Monday opening; sheet target 16 working hours
	d, _ := b.Start(policy.Sheet, policy.Normal, policy.Standard, start) // 0.5: Mon 18:00; 1.0: Tue 18:00
	got := drain(b, start, at("2026-11-24 18:00"))
	check(t, got, []fired{
		{FactWarning, at("2026-11-23 18:00"), 0, "assignee"},
		{FactBreach, at("2026-11-24 18:00"), 1, "assignee,supervisor"},
	})
	// The customer is asked Wed 09:00 and answers Thu 09:00: 8 working hours paused.
	b.Pause(at("2026-11-25 09:00"))
	if _, ok := b.NextWake(at("2026-11-25 09:00")); ok {
		t.Fatal("a wake instant while every clock is paused")
	}
	b.Resume(at("2026-11-26 09:00"))
	// 1.5 = 24 working hours → Wed 18:00 without the pause, Thu 18:00 with it;
	// 2.0 = 32 → Fri 18:00.
	check(t, drain(b, at("2026-11-26 09:00"), at("2026-11-30 00:00")), []fired{
		{FactEscalation, at("2026-11-26 18:00"), 2, "supervisor"},
		{FactEscalation, at("2026-11-27 18:00"), 3, "manager"},
	})
	if d.Level != 3 {
		t.Errorf("level %d, want 3", d.Level)
	}
}

func TestCustomerSide(t *testing.T) {
	b := book(t, nil)
	start := at("2026-11-23 10:00")
	b.Start(policy.Confirmation, policy.Normal, policy.Standard, start) // 8 working hours: Tue 10:00
	check(t, drain(b, start, at("2026-11-30 00:00")), []fired{
		{FactWarning, at("2026-11-23 17:24"), 0, "customer"},
		{FactVoid, at("2026-11-24 10:00"), 0, ""},
	})

	esc := book(t, func(p *policy.Snapshot) { p.AcceptanceSilence = policy.Escalate })
	esc.Start(policy.Acceptance, policy.Normal, policy.Standard, start) // 24 working hours: Thu 10:00
	check(t, drain(esc, start, at("2026-12-10 00:00")), []fired{
		{FactWarning, at("2026-11-25 14:12"), 0, "customer"},
		{FactBreach, at("2026-11-26 10:00"), 1, "supervisor"},
		{FactEscalation, at("2026-12-01 10:00"), 2, "manager"},
	})

	auto := book(t, nil)
	auto.Start(policy.Acceptance, policy.Normal, policy.Standard, start)
	got := drain(auto, start, at("2026-11-26 10:00"))
	if len(got) != 2 || got[1].kind != FactAutoAccept {
		t.Fatalf("auto_accept: %v", got)
	}
}

// Semantics 1: no warning after its breach, nor when the breach is due
// at the same time (a reprioritize into the past); before it, the warning
// still came.
func TestNoWarningAfterTheBreach(t *testing.T) {
	for _, c := range []struct {
		semantics int
		want      []fired
	}{
		{1, []fired{{FactBreach, at("2026-11-23 10:10"), 1, "supervisor"}, {FactEscalation, at("2026-11-23 10:10"), 2, "manager"}}},
		{0, []fired{{FactWarning, at("2026-11-23 10:10"), 0, "assignee"}, {FactBreach, at("2026-11-23 10:10"), 1, "supervisor"}, {FactEscalation, at("2026-11-23 10:10"), 2, "manager"}}},
	} {
		b := book(t, func(p *policy.Snapshot) { p.Semantics = c.semantics })
		start := at("2026-11-23 10:00")
		b.Start(policy.Response, policy.Normal, policy.Standard, start)
		b.Reprioritize(policy.Urgent, policy.Standard) // 5 minutes: long past at 10:10
		check(t, drain(b, at("2026-11-23 10:10"), at("2026-11-23 10:10")), c.want)
	}
}

func TestDelayNoticeWithinItsLead(t *testing.T) {
	b := book(t, nil)
	now := at("2026-11-23 10:00")
	b.StartFixed(policy.Delivery, now, now.Add(10*time.Hour))
	d, facts := b.StartDelayNotice(policy.Normal, policy.Standard, now)
	if d.State != Met || len(facts) != 2 || !facts[1].WithinLead {
		t.Fatalf("notice %+v facts %+v", d, facts)
	}
	b.StartFixed(policy.Delivery, now, now.Add(48*time.Hour))
	if d2, _ := b.StartDelayNotice(policy.Normal, policy.Standard, now); d2.State != Pending {
		t.Fatalf("notice with time to spare: %+v", d2)
	}
}

// A deadline carried from before chains (Warned set, no Done) does not warn
// again; a breached one never breaches again.
func TestLegacyDeadlinesDoNotRefire(t *testing.T) {
	b := book(t, nil)
	start := at("2026-11-23 10:00")
	d, _ := b.Start(policy.Response, policy.Normal, policy.Standard, start)
	d.Warned, d.Level, d.State = true, 1, Breached // as a release-1 state carries it
	check(t, drain(b, start.Add(31*time.Minute), start.Add(2*time.Hour)), []fired{{FactEscalation, start.Add(60 * time.Minute), 2, "manager"}})
}

// apply_policy onto another calendar: the working time counted so far is
// kept, the rest counts in the new calendar from now; a breach now past
// fires at once; passed warnings do not repeat.
func TestApplyMovesToAnotherCalendar(t *testing.T) {
	b := book(t, nil)
	start := at("2026-11-23 09:00") // Monday, Shanghai
	d, _ := b.Start(policy.Sheet, policy.Normal, policy.Standard, start)
	now := at("2026-11-23 18:00") // 8 working hours counted, the warning (12.8 h) not yet due
	next := snapshot()
	next.Name, next.CalendarName, next.Calendar = "berlin-team", "berlin", officeHours("Europe/Berlin")
	next.Deadlines[policy.Sheet] = policy.Deadline{Clock: calendar.Business, Targets: policy.Targets{Normal: 12 * time.Hour, Urgent: 12 * time.Hour}}
	if _, err := b.Apply(next, policy.Normal, policy.Standard, now); err != nil {
		t.Fatal(err)
	}
	// 4 working hours left in Berlin from Mon 18:00 Shanghai = 11:00 Berlin:
	// 11:00-12:00 and 13:00-16:00 → due Mon 16:00 Berlin = Mon 23:00 Shanghai.
	due, _ := b.Due(d)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	if want := time.Date(2026, 11, 23, 16, 0, 0, 0, berlin); !due.Equal(want) {
		t.Fatalf("due %s, want %s", due, want)
	}
	if !d.Started().Equal(start) || d.Carried != 8*time.Hour {
		t.Errorf("started %s carried %v", d.Started(), d.Carried)
	}
	// The warning at 0.8 × 12 h = 9.6 h: 1.6 h after 11:00 Berlin.
	check(t, drain(b, now, due)[:1], []fired{{FactWarning, time.Date(2026, 11, 23, 13, 36, 0, 0, berlin), 0, "assignee"}})

	// A shorter target, already past: the breach at once, no stale warning.
	c := book(t, nil)
	d2, _ := c.Start(policy.Sheet, policy.Normal, policy.Standard, start)
	short := snapshot()
	short.Deadlines[policy.Sheet] = policy.Deadline{Clock: calendar.Business, Targets: policy.Targets{Normal: 4 * time.Hour, Urgent: 4 * time.Hour}}
	c.Apply(short, policy.Normal, policy.Standard, now)
	check(t, drain(c, now, now)[:1], []fired{{FactBreach, now, 1, "supervisor"}})
	if d2.Warned {
		t.Error("a stale warning fired after apply_policy")
	}
}

// The engine's wake and fire steps allocate nothing per deadline step, like
// calendar.Add.
func BenchmarkNextWake(b *testing.B) {
	bk := &Book{Policy: snapshot()}
	if err := bk.Load(); err != nil {
		b.Fatal(err)
	}
	start := at("2026-11-23 10:00")
	for _, n := range []string{policy.Response, policy.Sheet, policy.Confirmation} {
		bk.Start(n, policy.Normal, policy.Standard, start)
	}
	b.ReportAllocs()
	for b.Loop() {
		bk.NextWake(start)
		bk.AnyDue(start)
	}
}

func TestNextWakeAllocatesNothing(t *testing.T) {
	bk := book(t, nil)
	start := at("2026-11-23 10:00")
	for _, n := range []string{policy.Response, policy.Sheet, policy.Confirmation} {
		bk.Start(n, policy.Normal, policy.Standard, start)
	}
	if a := testing.AllocsPerRun(100, func() { bk.NextWake(start); bk.AnyDue(start) }); a > 1 {
		t.Errorf("NextWake+AnyDue: %.1f allocations per call", a)
	}
}
