package policy

import (
	"testing"
	"time"

	"github.com/svcflow/svcflow/internal/calendar"
)

// snapshot is CONTRACT §4's sla: block, plus a sheet override for VIP urgent only.
func snapshot() Snapshot {
	return Snapshot{
		WarnAt: 0.8, EscalateAt: 2.0, SheetRounds: 3, AcceptanceSilence: AutoAccept,
		Deadlines: map[string]Deadline{
			Response:       {Clock: calendar.Wall, Targets: Targets{Urgent: 5 * time.Minute, Normal: 30 * time.Minute}},
			Sheet:          {Clock: calendar.Business, Targets: Targets{Urgent: 16 * time.Hour, Normal: 16 * time.Hour}},
			Confirmation:   {Clock: calendar.Business, Targets: Targets{Urgent: 8 * time.Hour, Normal: 8 * time.Hour}},
			DelayNotice:    {Clock: calendar.Wall, Targets: Targets{Urgent: 24 * time.Hour, Normal: 24 * time.Hour}},
			ProgressReport: {Clock: calendar.Wall, Targets: Targets{Urgent: 168 * time.Hour, Normal: 168 * time.Hour}},
			Complaint:      {Clock: calendar.Wall, Targets: Targets{Urgent: 24 * time.Hour}}, // normal not set
		},
		VIP: map[string]Targets{
			Response: {Urgent: 3 * time.Minute, Normal: 15 * time.Minute},
			Sheet:    {Urgent: 8 * time.Hour},
		},
	}
}

func TestResolve(t *testing.T) {
	s := snapshot()
	cases := []struct {
		name, deadline, priority, tier string
		clock                          calendar.ClockKind
		target                         time.Duration
		ok                             bool
	}{
		{"standard urgent", Response, Urgent, Standard, calendar.Wall, 5 * time.Minute, true},
		{"standard normal", Response, Normal, Standard, calendar.Wall, 30 * time.Minute, true},
		{"vip urgent overrides", Response, Urgent, VIP, calendar.Wall, 3 * time.Minute, true},
		{"vip normal overrides", Response, Normal, VIP, calendar.Wall, 15 * time.Minute, true},
		{"vip override for one priority only", Sheet, Urgent, VIP, calendar.Business, 8 * time.Hour, true},
		{"vip without override for that priority", Sheet, Normal, VIP, calendar.Business, 16 * time.Hour, true},
		{"vip deadline without any override", Confirmation, Urgent, VIP, calendar.Business, 8 * time.Hour, true},
		{"business clock kept", Sheet, Normal, Standard, calendar.Business, 16 * time.Hour, true},
		{"unknown priority counts as normal", Response, "", Standard, calendar.Wall, 30 * time.Minute, true},
		{"progress report interval", ProgressReport, Normal, Standard, calendar.Wall, 168 * time.Hour, true},
		{"target not set", Complaint, Normal, Standard, calendar.Wall, 0, false},
		{"target not set, vip", Complaint, Normal, VIP, calendar.Wall, 0, false},
		{"unknown deadline", "nonsense", Urgent, Standard, "", 0, false},
		{"deadline not configured", Delivery, Urgent, Standard, "", 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clock, target, ok := s.Resolve(tc.deadline, tc.priority, tc.tier)
			if clock != tc.clock || target != tc.target || ok != tc.ok {
				t.Fatalf("Resolve(%q, %q, %q) = %q, %v, %v; want %q, %v, %v",
					tc.deadline, tc.priority, tc.tier, clock, target, ok, tc.clock, tc.target, tc.ok)
			}
		})
	}
}

// A VIP override of zero (not set) never shortens a target to nothing.
func TestResolveZeroOverrideIgnored(t *testing.T) {
	s := snapshot()
	s.VIP[Confirmation] = Targets{}
	if _, target, ok := s.Resolve(Confirmation, Normal, VIP); !ok || target != 8*time.Hour {
		t.Fatalf("zero VIP override changed the target: %v, %v", target, ok)
	}
}

func TestTargetsFor(t *testing.T) {
	tg := Targets{Urgent: time.Minute, Normal: time.Hour}
	if tg.For(Urgent) != time.Minute || tg.For(Normal) != time.Hour || tg.For("other") != time.Hour {
		t.Fatalf("For: %v %v %v", tg.For(Urgent), tg.For(Normal), tg.For("other"))
	}
}

// The snapshot names every deadline of CONTRACT §8 and only configurable keys.
func TestNames(t *testing.T) {
	want := []string{"response", "sheet", "confirmation", "review", "delay_notice", "delivery", "acceptance", "rework", "follow_up", "complaint"}
	if len(DeadlineNames) != len(want) {
		t.Fatalf("DeadlineNames = %v", DeadlineNames)
	}
	for i, n := range want {
		if DeadlineNames[i] != n {
			t.Errorf("DeadlineNames[%d] = %q, want %q", i, DeadlineNames[i], n)
		}
	}
	for _, n := range ConfigurableNames {
		if n == Delivery {
			t.Error("delivery comes from the confirmation sheet, it is not configurable")
		}
	}
}
