package whatif_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/svcflow/svcflow/internal/calendar"
	"github.com/svcflow/svcflow/internal/policy"
	"github.com/svcflow/svcflow/internal/records"
	"github.com/svcflow/svcflow/internal/whatif"
)

var shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at is a wall time in Shanghai.
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func tp(t time.Time) *time.Time { return &t }

// testSnapshot is CONTRACT §4's default policy: Mon-Fri 09:00-12:00,
// 13:00-18:00 in Shanghai, 1wd = 8h.
func testSnapshot() policy.Snapshot {
	day := []calendar.Window{{Start: 9 * 3600, End: 12 * 3600}, {Start: 13 * 3600, End: 18 * 3600}}
	var week [7][]calendar.Window
	for d := time.Monday; d <= time.Friday; d++ {
		week[d] = day
	}
	wd := 8 * time.Hour
	wall := func(u, n time.Duration) policy.Deadline {
		return policy.Deadline{Clock: calendar.Wall, Targets: policy.Targets{Urgent: u, Normal: n}}
	}
	biz := func(u, n time.Duration) policy.Deadline {
		return policy.Deadline{Clock: calendar.Business, Targets: policy.Targets{Urgent: u, Normal: n}}
	}
	return policy.Snapshot{
		Name: policy.DefaultPolicy, CalendarName: policy.DefaultCalendar,
		Calendar: calendar.Spec{Zone: "Asia/Shanghai", StandardDay: wd, Week: week},
		WarnAt:   0.8, EscalateAt: 2.0, SheetRounds: 3, AcceptanceSilence: policy.AutoAccept,
		Deadlines: map[string]policy.Deadline{
			policy.Response:     wall(5*time.Minute, 30*time.Minute),
			policy.Sheet:        biz(2*wd, 2*wd),
			policy.Confirmation: biz(wd, wd),
			policy.Review:       biz(2*wd, 2*wd),
			policy.DelayNotice:  wall(24*time.Hour, 24*time.Hour),
			policy.Acceptance:   biz(3*wd, 3*wd),
			policy.Rework:       biz(2*wd, 2*wd),
			policy.FollowUp:     biz(3*wd, 3*wd),
			policy.Complaint:    wall(24*time.Hour, 24*time.Hour),
		},
		VIP:       map[string]policy.Targets{policy.Response: {Urgent: 3 * time.Minute, Normal: 15 * time.Minute}},
		Semantics: policy.CurrentSemantics,
	}
}

// set is the test snapshot as a set, changed by tweak.
func set(tweak func(*policy.Set)) whatif.Policy {
	s := policy.SetOf(testSnapshot())
	if tweak != nil {
		tweak(s)
	}
	return whatif.Policy{Set: s}
}

// hist builds a request's recorded history by hand.
type hist struct {
	t *testing.T
	h whatif.History
}

// newHist is a request received at t0 whose response deadline started.
func newHist(t *testing.T, id string, t0 time.Time, priority string) *hist {
	sem := policy.CurrentSemantics
	b := &hist{t: t, h: whatif.History{Request: records.RequestRow{RequestID: id, Tier: policy.Standard, Priority: priority, Group: "general", CreatedAt: t0, SlaPolicy: policy.DefaultPolicy}, Semantics: &sem}}
	b.ev(t0, whatif.KindReceived, map[string]any{"priority": priority, "tier": policy.Standard, "group": "general", "channel": "web", "category": "install"})
	b.started(t0, policy.Response, 1)
	return b
}

func (b *hist) ev(at time.Time, kind string, payload map[string]any) *hist {
	raw, err := json.Marshal(payload)
	if err != nil {
		b.t.Fatal(err)
	}
	b.h.Events = append(b.h.Events, records.Event{Seq: int64(len(b.h.Events) + 1), At: at, Kind: kind, Payload: raw})
	return b
}

func (b *hist) started(at time.Time, name string, instance int) *hist {
	return b.ev(at, whatif.KindDeadlineStarted, map[string]any{"deadline": name, "instance": instance})
}

func (b *hist) met(at time.Time, name string, instance int) *hist {
	return b.ev(at, whatif.KindDeadlineMet, map[string]any{"deadline": name, "instance": instance})
}

func (b *hist) cancelled(at time.Time, name string, instance int) *hist {
	return b.ev(at, whatif.KindDeadlineCancelled, map[string]any{"deadline": name, "instance": instance})
}

func (b *hist) action(at time.Time, kind string, payload map[string]any) *hist {
	return b.ev(at, kind, payload)
}

// row records a deadline row as the workflow wrote it.
func (b *hist) row(name string, instance int, state string, started time.Time, due *time.Time) *hist {
	b.h.Deadlines = append(b.h.Deadlines, records.DeadlineRow{Name: name, Instance: instance, State: state, StartedAt: started, DueAt: due})
	return b
}

// replay replays the history under p, failing on an error.
func (b *hist) replay(p whatif.Policy, until time.Time) whatif.Replayed {
	b.t.Helper()
	r, err := whatif.Replay(p, &b.h, until)
	if err != nil {
		b.t.Fatal(err)
	}
	return r
}

func show(r whatif.Result) string {
	if r.Due == nil {
		return r.Outcome + " due -"
	}
	return r.Outcome + " due " + r.Due.In(shanghai).Format("2006-01-02 15:04:05")
}
