package config

import (
	"testing"
	"time"

	"github.com/svcflow/svcflow/internal/calendar"
	"github.com/svcflow/svcflow/internal/policy"
)

func TestPolicyFromDefaults(t *testing.T) {
	p := Default().Policy()
	if p.WarnAt != 0.8 || p.EscalateAt != 2 || p.SheetRounds != 3 || p.AcceptanceSilence != policy.AutoAccept {
		t.Fatalf("shares/rounds wrong: %+v", p)
	}
	if p.LowScore != (policy.LowScore{MaxScore: 2, MinAverage: 3}) {
		t.Fatalf("low score = %+v", p.LowScore)
	}
	if _, ok := p.Deadlines[policy.Delivery]; ok {
		t.Fatal("delivery must not be configured")
	}
	if len(p.Deadlines) != len(policy.ConfigurableNames) {
		t.Fatalf("want %d deadlines, got %d", len(policy.ConfigurableNames), len(p.Deadlines))
	}
	cases := []struct {
		name, prio, tier string
		clock            calendar.ClockKind
		target           time.Duration
	}{
		{"response", "urgent", "standard", calendar.Wall, 5 * time.Minute},
		{"response", "normal", "standard", calendar.Wall, 30 * time.Minute},
		{"response", "urgent", "vip", calendar.Wall, 3 * time.Minute},
		{"response", "normal", "vip", calendar.Wall, 15 * time.Minute},
		{"sheet", "urgent", "vip", calendar.Business, 16 * time.Hour},
		{"confirmation", "normal", "standard", calendar.Business, 8 * time.Hour},
		{"acceptance", "normal", "standard", calendar.Business, 24 * time.Hour},
		{"progress_report", "normal", "standard", calendar.Wall, 168 * time.Hour},
		{"complaint", "urgent", "standard", calendar.Wall, 24 * time.Hour},
	}
	for _, tc := range cases {
		clock, target, ok := p.Resolve(tc.name, tc.prio, tc.tier)
		if !ok || clock != tc.clock || target != tc.target {
			t.Errorf("Resolve(%s,%s,%s) = %s %v %v, want %s %v", tc.name, tc.prio, tc.tier, clock, target, ok, tc.clock, tc.target)
		}
	}
	if _, err := calendar.New(p.Calendar); err != nil {
		t.Fatalf("snapshot calendar does not build: %v", err)
	}
}

func TestCalendarSpecFromDefaults(t *testing.T) {
	s := Default().CalendarSpec()
	if s.Zone != "Asia/Shanghai" || s.StandardDay != 8*time.Hour {
		t.Fatalf("zone/day = %s %v", s.Zone, s.StandardDay)
	}
	want := []calendar.Window{{Start: 9 * 3600, End: 12 * 3600}, {Start: 13 * 3600, End: 18 * 3600}}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		if len(s.Week[wd]) != 2 || s.Week[wd][0] != want[0] || s.Week[wd][1] != want[1] {
			t.Errorf("%s windows = %v", wd, s.Week[wd])
		}
	}
	if len(s.Week[time.Saturday]) != 0 || len(s.Week[time.Sunday]) != 0 {
		t.Errorf("weekend must be closed: %v %v", s.Week[time.Saturday], s.Week[time.Sunday])
	}
	if len(s.Holidays) != 2 || s.Holidays[0].Date != "2026-10-01" || len(s.Holidays[0].Windows) != 0 ||
		len(s.Holidays[1].Windows) != 1 || s.Holidays[1].Windows[0] != want[0] {
		t.Errorf("holidays = %+v", s.Holidays)
	}
	if len(s.Workdays) != 1 || s.Workdays[0].Date != "2026-10-10" || len(s.Workdays[0].Windows) != 0 {
		t.Errorf("workdays = %+v", s.Workdays)
	}
}

func TestPolicyOfTestYAMLIsSeconds(t *testing.T) {
	clearEnv(t)
	c, err := Load("test.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	p := c.Policy()
	for _, name := range policy.ConfigurableNames {
		for _, prio := range []string{policy.Urgent, policy.Normal} {
			_, target, ok := p.Resolve(name, prio, policy.Standard)
			if !ok || target > 10*time.Second {
				t.Errorf("test.yaml %s/%s = %v %v, want a few seconds", name, prio, target, ok)
			}
		}
	}
	if _, target, _ := p.Resolve("response", "urgent", "standard"); target != 4*time.Second {
		t.Errorf("response urgent = %v, want 4s", target)
	}
}

// The parsed settings carry converted values once: sizes, durations.
func TestSettingsAreParsed(t *testing.T) {
	s := Default().Settings()
	if s.Intake.MaxBody != 64<<10 || s.Notify.HTTPTimeout != 5*time.Second || s.Intake.MaxClockSkew != 5*time.Minute || s.Intake.MaxBackdate != 720*time.Hour {
		t.Fatalf("defaults parsed as %+v / %+v", s.Intake, s.Notify)
	}
	c := Default()
	c.Intake.MaxBody, c.Notify.Webhook.Timeout = "1MiB", "250ms"
	if err := c.Parse(); err != nil {
		t.Fatal(err)
	}
	if s := c.Settings(); s.Intake.MaxBody != 1<<20 || s.Notify.HTTPTimeout != 250*time.Millisecond {
		t.Fatalf("parsed as %+v / %+v", s.Intake, s.Notify)
	}
	if s.Notify.DefaultLocale != "en" {
		t.Errorf("default locale %q, want en (the shipped default)", s.Notify.DefaultLocale)
	}
}

func TestParseSize(t *testing.T) {
	good := map[string]int64{"64KiB": 65536, "1MiB": 1 << 20, "512": 512, "10B": 10, "2KB": 2000, "3 MB": 3000000, "1G": 1 << 30, "1gib": 1 << 30}
	for in, want := range good {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "KiB", "64 parsecs", "-1KiB", "1.5MiB", "99999999999999999999", "9999999999GiB"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) accepted", in)
		}
	}
}
