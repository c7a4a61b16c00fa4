package workflows

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// eventsOf returns the payloads of the recorded events of kind.
func eventsOf(h *harness, kind string) []map[string]any {
	var out []map[string]any
	for _, e := range h.events() {
		if e.Kind != kind {
			continue
		}
		var m map[string]any
		_ = json.Unmarshal(e.Payload, &m)
		out = append(out, m)
	}
	return out
}

// A repeated action_id with the same action is applied once and answered as
// a duplicate, by update and by signal (CONTRACT §3).
func TestRepeatedActionIDIsADuplicate(t *testing.T) {
	h := newHarness(t, monday10, nil)
	h.after(time.Minute, ActionRespond, Action{ActionID: "same", Actor: "alice"})
	var second ActionResult
	h.env.RegisterDelayedCallback(func() {
		h.env.UpdateWorkflow(ActionRespond, "", &updateCollector{result: &second}, Action{ActionID: "same", Actor: "alice"})
	}, 2*time.Minute)
	h.signalAfter(3*time.Minute, ActionRespond, Action{ActionID: "same", Actor: "alice"})
	h.after(4*time.Minute, ActionNote, Action{ActionID: "n1", Actor: "alice", Note: "hello"})
	h.signalAfter(5*time.Minute, ActionNote, Action{ActionID: "n1", Actor: "alice", Note: "hello"})
	h.after(6*time.Minute, ActionCancel, Action{Actor: "alice"})
	h.run(sampleRequest("d1"))
	if second.Result != ResultDuplicate {
		t.Errorf("second update result %+v, want duplicate", second)
	}
	if countEvents(h, "action.respond") != 1 || countEvents(h, "action.note") != 1 {
		t.Errorf("respond applied %d times, note %d times", countEvents(h, "action.respond"), countEvents(h, "action.note"))
	}
	dups := eventsOf(h, "action.duplicate")
	if len(dups) != 2 || dups[0]["action_id"] != "same" || dups[1]["action_id"] != "n1" || dups[0]["via"] != "signal" {
		t.Errorf("duplicate signals recorded as %v, want two action.duplicate events", dups)
	}
}

// The same action_id reused for another action is refused by update and
// recorded as rejected by signal, never applied nor dropped silently.
func TestActionIDReusedForAnotherActionIsRefused(t *testing.T) {
	h := newHarness(t, monday10, nil)
	h.after(time.Minute, ActionNote, Action{ActionID: "k", Actor: "alice", Note: "called"})
	other := h.after(2*time.Minute, ActionRespond, Action{ActionID: "k", Actor: "alice"})
	changed := h.after(3*time.Minute, ActionNote, Action{ActionID: "k", Actor: "alice", Note: "called again"})
	h.signalAfter(4*time.Minute, ActionCancel, Action{ActionID: "k", Actor: "alice"})
	h.after(5*time.Minute, ActionCancel, Action{Actor: "alice", Reason: "test over"})
	st := h.run(sampleRequest("d2"))
	if *other == nil || (*other).Error() != "action_id k was already used for note" {
		t.Errorf("respond with a note's action_id: %v", *other)
	}
	if *changed == nil || !strings.Contains((*changed).Error(), "action_id k was already used for note with other fields") {
		t.Errorf("note with other fields under the same action_id: %v", *changed)
	}
	rej := eventsOf(h, "action.rejected")
	if len(rej) != 1 || rej[0]["action"] != ActionCancel || rej[0]["reason"] != "action_id k was already used for note" {
		t.Errorf("reused action_id by signal recorded as %v", rej)
	}
	if countEvents(h, "action.cancel") != 1 || deadline(st, "response", 1).State != DeadlineCancelled {
		t.Errorf("cancel applied %d times; response %+v", countEvents(h, "action.cancel"), deadline(st, "response", 1))
	}
}

// "The same action": key order and the zone a time is written in do not
// matter; any other field does.
func TestFingerprint(t *testing.T) {
	d1 := time.Date(2026, 12, 1, 18, 0, 0, 0, shanghai)
	d2 := d1.UTC()
	a := Action{ActionID: "x", Actor: "ann", Goal: "g", Description: "d", ExpectedDelivery: &d1}
	b := Action{ActionID: "y", Actor: "ann", Goal: "g", Description: "d", ExpectedDelivery: &d2}
	if a.Fingerprint(ActionSubmitSheet) != b.Fingerprint(ActionSubmitSheet) {
		t.Error("the same instant in another zone counts as another action")
	}
	if a.Fingerprint(ActionSubmitSheet) == a.Fingerprint(ActionNote) {
		t.Error("another action name gives the same fingerprint")
	}
	c := a
	c.Note = "n"
	if a.Fingerprint(ActionSubmitSheet) == c.Fingerprint(ActionSubmitSheet) {
		t.Error("a different note gives the same fingerprint")
	}
	x, _ := DecodeAction(ActionNote, []byte(`{"note":"n","actor":"a"}`))
	y, _ := DecodeAction(ActionNote, []byte(`{"actor":"a","note":"n"}`))
	if x.Fingerprint(ActionNote) != y.Fingerprint(ActionNote) {
		t.Error("key order changes the fingerprint")
	}
}
