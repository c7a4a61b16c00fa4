package whatif_test

import (
	"strings"
	"testing"
	"time"

	"github.com/svcflow/svcflow/internal/policy"
	"github.com/svcflow/svcflow/internal/records"
	"github.com/svcflow/svcflow/internal/whatif"
)

// A history the replay cannot read is an error naming the request, the
// event and the field.
func TestReplayErrors(t *testing.T) {
	t0 := at("2026-11-23 10:00")
	cases := []struct {
		name  string
		build func(t *testing.T) *hist
		want  string
	}{
		{"met never started", func(t *testing.T) *hist { return newHist(t, "x1", t0, policy.Normal).met(t0, policy.Sheet, 1) },
			"request x1: event 3 (deadline.met): deadline sheet #1 was never started"},
		{"reprioritize without priority", func(t *testing.T) *hist {
			return newHist(t, "x2", t0, policy.Normal).action(t0, whatif.KindReprioritize, map[string]any{})
		}, "request x2: event 3 (action.reprioritize): payload: priority: missing"},
		{"payload not JSON", func(t *testing.T) *hist {
			h := newHist(t, "x3", t0, policy.Normal)
			h.h.Events[1].Payload = []byte(`{"deadline": 7}`)
			return h
		}, "request x3: event 2 (deadline.started): payload: deadline: value doesn't contain string; it contains number"},
		{"payload not an object", func(t *testing.T) *hist {
			h := newHist(t, "x8", t0, policy.Normal)
			h.h.Events[1].Payload = []byte(`"sheet"`)
			return h
		}, "request x8: event 2 (deadline.started): payload: value doesn't contain object; it contains string"},
		{"bad time", func(t *testing.T) *hist {
			return newHist(t, "x9", t0, policy.Normal).action(t0, whatif.KindSubmitSheet, map[string]any{"expected_delivery": "tomorrow"})
		}, `request x9: event 3 (action.submit_sheet): payload: expected_delivery: "tomorrow": want RFC 3339`},
		{"delivery without a sheet", func(t *testing.T) *hist { return newHist(t, "x4", t0, policy.Normal).started(t0, policy.Delivery, 1) },
			"request x4: event 3 (deadline.started): delivery started without a committed time (no submit_sheet before it)"},
		{"started twice", func(t *testing.T) *hist { return newHist(t, "x5", t0, policy.Normal).started(t0, policy.Response, 1) },
			"request x5: event 3 (deadline.started): deadline response #1 started twice"},
		{"no received event", func(t *testing.T) *hist {
			h := newHist(t, "x6", t0, policy.Normal)
			h.h.Events = nil
			return h
		}, "request x6: no received event: the history is incomplete"},
		{"unknown state", func(t *testing.T) *hist {
			return newHist(t, "x7", t0, policy.Normal).row(policy.Response, 1, "late", t0, nil)
		}, `request x7: deadline response #1: state "late": want pending, met, breached, paused or cancelled`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := c.build(t)
			_, err := whatif.Replay(set(nil), &h.h, time.Time{})
			if err == nil || err.Error() != c.want {
				t.Fatalf("error %v\nwant  %s", err, c.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Error("error spans lines")
			}
		})
	}
}

// Requests recorded before the engine rules version was: those with a
// policy name ran rules 1, older ones rules 0.
func TestRecordedSemantics(t *testing.T) {
	one := 1
	for _, c := range []struct {
		h    whatif.History
		want int
	}{
		{whatif.History{Semantics: &one}, 1},
		{whatif.History{Request: records.RequestRow{SlaPolicy: "gold"}}, 1},
		{whatif.History{}, 0},
	} {
		if got := c.h.RecordedSemantics(); got != c.want {
			t.Errorf("%+v: %d, want %d", c.h, got, c.want)
		}
	}
}
