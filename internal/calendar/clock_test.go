package calendar

import (
	"testing"
	"time"
)

// Monday 2026-11-02 10:00 in Shanghai, office hours: a 2wd (16h) business
// clock is due Wednesday 10:00, warns (80 %) Tuesday 15:48 and escalates
// (200 %) Friday 10:00.
const mon10 = "2026-11-02T10:00:00+08:00"

func p(t *testing.T, from, to string) Pause {
	t.Helper()
	ps := Pause{From: at(t, from)}
	if to != "" {
		ps.To = at(t, to)
	}
	return ps
}

type clockCase struct {
	name   string
	kind   ClockKind
	target time.Duration
	pauses [][2]string // From, To ("" = still paused)
	x      time.Duration
	want   string // "" = not reached yet (paused)
}

var clockCases = []clockCase{
	{"due", Business, 16 * time.Hour, nil, 16 * time.Hour, "2026-11-04T10:00:00+08:00"},
	{"warning at 80%", Business, 16 * time.Hour, nil, Scale(16*time.Hour, 0.8), "2026-11-03T15:48:00+08:00"},
	{"escalation at 200%", Business, 16 * time.Hour, nil, Scale(16*time.Hour, 2.0), "2026-11-06T10:00:00+08:00"},
	{"pause crossing midnight", Business, 16 * time.Hour,
		[][2]string{{"2026-11-02T17:00:00+08:00", "2026-11-03T10:00:00+08:00"}}, 16 * time.Hour, "2026-11-04T12:00:00+08:00"},
	{"several pauses a day", Business, 16 * time.Hour,
		[][2]string{{"2026-11-02T10:30:00+08:00", "2026-11-02T11:00:00+08:00"}, {"2026-11-02T14:00:00+08:00", "2026-11-02T15:30:00+08:00"}},
		16 * time.Hour, "2026-11-04T12:00:00+08:00"},
	{"pauses given out of order and overlapping", Business, 16 * time.Hour,
		[][2]string{{"2026-11-02T14:00:00+08:00", "2026-11-02T15:30:00+08:00"}, {"2026-11-02T10:30:00+08:00", "2026-11-02T11:00:00+08:00"}, {"2026-11-02T14:30:00+08:00", "2026-11-02T15:00:00+08:00"}},
		16 * time.Hour, "2026-11-04T12:00:00+08:00"},
	{"pause wholly outside hours", Business, 16 * time.Hour,
		[][2]string{{"2026-11-02T19:00:00+08:00", "2026-11-03T08:00:00+08:00"}}, 16 * time.Hour, "2026-11-04T10:00:00+08:00"},
	{"pause over a weekend", Business, 40 * time.Hour,
		[][2]string{{"2026-11-06T18:30:00+08:00", "2026-11-09T08:30:00+08:00"}}, 40 * time.Hour, "2026-11-09T10:00:00+08:00"},
	{"pause straddling closing", Business, 16 * time.Hour,
		[][2]string{{"2026-11-02T17:30:00+08:00", "2026-11-02T20:00:00+08:00"}}, 16 * time.Hour, "2026-11-04T10:30:00+08:00"},
	{"created already paused", Business, 16 * time.Hour,
		[][2]string{{mon10, ""}}, 16 * time.Hour, ""},
	{"created paused, resumed", Business, 16 * time.Hour,
		[][2]string{{mon10, "2026-11-03T10:00:00+08:00"}}, 16 * time.Hour, "2026-11-05T10:00:00+08:00"},
	{"open pause after the warning", Business, 16 * time.Hour,
		[][2]string{{"2026-11-02T15:00:00+08:00", ""}}, 4 * time.Hour, "2026-11-02T15:00:00+08:00"},
	{"open pause before the due time", Business, 16 * time.Hour,
		[][2]string{{"2026-11-02T15:00:00+08:00", ""}}, 16 * time.Hour, ""},
	{"resumed after the original due time", Business, 16 * time.Hour,
		[][2]string{{"2026-11-03T17:00:00+08:00", "2026-11-05T12:00:00+08:00"}}, 16 * time.Hour, "2026-11-05T15:00:00+08:00"},
	// Breached Wednesday 10:00, then paused: the breach stays where it was...
	{"breach kept when paused after it", Business, 16 * time.Hour,
		[][2]string{{"2026-11-04T11:00:00+08:00", "2026-11-05T11:00:00+08:00"}}, 16 * time.Hour, "2026-11-04T10:00:00+08:00"},
	// ...and the escalation still ahead moves by the 8 working hours paused.
	{"escalation moves by the pause", Business, 16 * time.Hour,
		[][2]string{{"2026-11-04T11:00:00+08:00", "2026-11-05T11:00:00+08:00"}}, 32 * time.Hour, "2026-11-09T10:00:00+08:00"},
	{"pause before start is ignored", Business, 16 * time.Hour,
		[][2]string{{"2026-11-01T10:00:00+08:00", "2026-11-01T12:00:00+08:00"}}, 16 * time.Hour, "2026-11-04T10:00:00+08:00"},
	{"zero share is the start", Business, 16 * time.Hour, nil, 0, mon10},
	// Wall clocks count every second that is not paused.
	{"wall due", Wall, 24 * time.Hour, nil, 24 * time.Hour, "2026-11-03T10:00:00+08:00"},
	{"wall pause", Wall, 24 * time.Hour,
		[][2]string{{"2026-11-02T12:00:00+08:00", "2026-11-02T14:00:00+08:00"}}, 24 * time.Hour, "2026-11-03T12:00:00+08:00"},
	{"wall pause crossing midnight", Wall, 24 * time.Hour,
		[][2]string{{"2026-11-02T23:00:00+08:00", "2026-11-03T01:30:00+08:00"}}, 24 * time.Hour, "2026-11-03T12:30:00+08:00"},
	{"wall created already paused", Wall, 5 * time.Minute, [][2]string{{mon10, ""}}, 5 * time.Minute, ""},
	{"wall warning", Wall, 30 * time.Minute, nil, Scale(30*time.Minute, 0.8), "2026-11-02T10:24:00+08:00"},
}

func (tc clockCase) clock(t *testing.T) Clock {
	clk := Clock{Kind: tc.kind, Start: at(t, mon10), Target: tc.target}
	for _, ps := range tc.pauses {
		clk.Pauses = append(clk.Pauses, p(t, ps[0], ps[1]))
	}
	return clk
}

func TestWhen(t *testing.T) {
	c := cals["office"]
	for _, tc := range clockCases {
		t.Run(tc.name, func(t *testing.T) {
			clk := tc.clock(t)
			got, ok := c.When(clk, tc.x)
			if tc.want == "" {
				if ok {
					t.Fatalf("When(%v) = %s, want not reached (paused)", tc.x, got.Format(time.RFC3339))
				}
				return
			}
			if !ok || got.Format(time.RFC3339Nano) != tc.want {
				t.Fatalf("When(%v) = %s, %v; want %s", tc.x, got.Format(time.RFC3339Nano), ok, tc.want)
			}
			if e := c.Elapsed(clk, got); e != tc.x {
				t.Errorf("Elapsed at %s = %v, want %v", tc.want, e, tc.x)
			}
		})
	}
}

func TestElapsed(t *testing.T) {
	c := cals["office"]
	start := at(t, mon10)
	biz := Clock{Kind: Business, Start: start, Target: 16 * time.Hour, Pauses: []Pause{
		p(t, "2026-11-02T17:00:00+08:00", "2026-11-03T10:00:00+08:00"),
		p(t, "2026-11-03T15:00:00+08:00", ""),
	}}
	wall := Clock{Kind: Wall, Start: start, Target: 24 * time.Hour, Pauses: biz.Pauses}
	cases := []struct {
		clk  Clock
		at   string
		want time.Duration
	}{
		{biz, "2026-11-02T09:00:00+08:00", 0}, // before start
		{biz, mon10, 0},
		{biz, "2026-11-02T12:30:00+08:00", 2 * time.Hour},
		{biz, "2026-11-02T17:30:00+08:00", 6 * time.Hour},              // inside the first pause
		{biz, "2026-11-03T12:00:00+08:00", 8 * time.Hour},              // 6h + Tue 10-12
		{biz, "2026-11-03T15:00:00+08:00", 10 * time.Hour},             // open pause begins
		{biz, "2026-11-06T15:00:00+08:00", 10 * time.Hour},             // still paused
		{wall, "2026-11-03T12:00:00+08:00", 7*time.Hour + 2*time.Hour}, // Mon 10-17, Tue 10-12
		{wall, "2026-11-04T12:00:00+08:00", 12 * time.Hour},
	}
	for i, tc := range cases {
		if got := c.Elapsed(tc.clk, at(t, tc.at)); got != tc.want {
			t.Errorf("case %d: Elapsed(%s %s) = %v, want %v", i, tc.clk.Kind, tc.at, got, tc.want)
		}
	}
}

// TestReprioritize recomputes from the original start with the new target,
// keeping elapsed and paused time; a due time already past breaches at once.
func TestReprioritize(t *testing.T) {
	c := cals["office"]
	start := at(t, mon10)
	pause := []Pause{p(t, "2026-11-02T14:00:00+08:00", "2026-11-02T16:00:00+08:00")}
	cases := []struct {
		name          string
		from, to      time.Duration
		pauses        []Pause
		now           string
		wantBefore    string
		wantAfter     string
		wantBreachNow bool
	}{
		{"up, new due still ahead", 16 * time.Hour, 12 * time.Hour, nil, "2026-11-03T11:00:00+08:00",
			"2026-11-04T10:00:00+08:00", "2026-11-03T15:00:00+08:00", false},
		{"up, new due already past", 16 * time.Hour, 8 * time.Hour, nil, "2026-11-03T11:00:00+08:00",
			"2026-11-04T10:00:00+08:00", "2026-11-03T10:00:00+08:00", true},
		{"down, pause kept", 8 * time.Hour, 16 * time.Hour, pause, "2026-11-03T10:00:00+08:00",
			"2026-11-03T12:00:00+08:00", "2026-11-04T12:00:00+08:00", false},
		{"down after a breach", 4 * time.Hour, 16 * time.Hour, nil, "2026-11-03T10:00:00+08:00",
			"2026-11-02T15:00:00+08:00", "2026-11-04T10:00:00+08:00", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clk := Clock{Kind: Business, Start: start, Target: tc.from, Pauses: tc.pauses}
			before, _ := c.Due(clk)
			if s := before.Format(time.RFC3339); s != tc.wantBefore {
				t.Fatalf("due before = %s, want %s", s, tc.wantBefore)
			}
			now := at(t, tc.now)
			elapsed := c.Elapsed(clk, now)
			clk.Target = tc.to // the whole rule: same Start and Pauses, new Target
			after, ok := c.Due(clk)
			if s := after.Format(time.RFC3339); !ok || s != tc.wantAfter {
				t.Fatalf("due after = %s, %v, want %s", s, ok, tc.wantAfter)
			}
			if got := c.Elapsed(clk, now); got != elapsed {
				t.Errorf("elapsed changed by reprioritizing: %v -> %v", elapsed, got)
			}
			if breach := !after.After(now); breach != tc.wantBreachNow {
				t.Errorf("breach at once = %v, want %v", breach, tc.wantBreachNow)
			}
		})
	}
}

func TestScale(t *testing.T) {
	cases := []struct {
		d     time.Duration
		share float64
		want  time.Duration
	}{
		{16 * time.Hour, 0.8, 12*time.Hour + 48*time.Minute},
		{16 * time.Hour, 2, 32 * time.Hour},
		{30 * time.Minute, 0.8, 24 * time.Minute},
		{3 * time.Minute, 0.1, 18 * time.Second},
		{time.Hour, 0, 0},
		{time.Hour, -1, 0},
		{1 << 62, 4, 1<<63 - 1},
	}
	for _, tc := range cases {
		if got := Scale(tc.d, tc.share); got != tc.want {
			t.Errorf("Scale(%v, %v) = %v, want %v", tc.d, tc.share, got, tc.want)
		}
	}
}
