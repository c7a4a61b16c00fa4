package store

import (
	"context"
	"testing"
)

// A workflow task that wrote events and then died never completed: the
// retried task gives the same sequence numbers to other events, which
// replace the stale rows (still one row per sequence number).
func TestRetriedTaskReplacesStaleEvents(t *testing.T) {
	s, _ := newStore(t, 4)
	ctx := context.Background()
	stale := transition("stale-1", 2, "analysis")
	stale.Events[1].Kind = "deadline.warning"
	if err := s.RecordTransition(ctx, stale); err != nil {
		t.Fatal(err)
	}
	retried := transition("stale-1", 2, "analysis")
	retried.Events[1].Kind = "action.respond"
	retried.Events[1].Actor = "alice"
	if err := s.RecordTransition(ctx, retried); err != nil {
		t.Fatal(err)
	}
	evs, err := s.Timeline(ctx, "stale-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[1].Kind != "action.respond" || evs[1].Actor != "alice" {
		t.Fatalf("timeline %+v", evs)
	}
	if err := s.RecordTransition(ctx, retried); err != nil { // and again: unchanged
		t.Fatal(err)
	}
	if n := counts(t, s, "stale-1")["request_events"]; n != 2 {
		t.Fatalf("%d event rows, want 2", n)
	}
}
