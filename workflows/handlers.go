package workflows

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.temporal.io/sdk/workflow"
)

// registerActions registers every action twice: as an Update with a
// validator, and as a Signal for fire-and-forget callers. One coroutine
// receives every signal channel, so a cached run stays small.
func (w *serviceRequest) registerActions() error {
	signals := workflow.NewSelector(w.ctx)
	for _, name := range ActionNames {
		err := workflow.SetUpdateHandlerWithOptions(w.ctx, name,
			func(ctx workflow.Context, raw json.RawMessage) (ActionResult, error) {
				return w.handleUpdate(ctx, name, raw)
			},
			workflow.UpdateHandlerOptions{Validator: func(raw json.RawMessage) error {
				_, err := w.check(name, raw)
				if err != nil {
					w.actionResult(name, "rejected")
				}
				return err
			}})
		if err != nil {
			return err
		}
		signals.AddReceive(workflow.GetSignalChannel(w.ctx, name), func(c workflow.ReceiveChannel, _ bool) {
			var raw json.RawMessage
			c.Receive(w.ctx, &raw)
			w.handleSignal(name, raw)
		})
	}
	workflow.Go(w.ctx, func(ctx workflow.Context) {
		if err := workflow.Await(ctx, func() bool { return w.ready }); err != nil {
			return
		}
		for {
			signals.Select(ctx)
		}
	})
	workflow.Go(w.ctx, w.rejectUnknownSignals)
	return nil
}

// rejectUnknownSignals records every signal whose name is no action as a
// rejected event (SDK signals without a handler would otherwise wait
// unread and vanish with the run).
func (w *serviceRequest) rejectUnknownSignals(ctx workflow.Context) {
	for {
		var names []string
		if err := workflow.Await(ctx, func() bool {
			names = unknownSignals(ctx)
			return w.ready && len(names) > 0
		}); err != nil {
			return
		}
		record := workflow.GetVersion(ctx, "reject-unknown-signals", workflow.DefaultVersion, 1) >= 1
		for _, name := range names {
			ch := workflow.GetSignalChannel(ctx, name)
			for {
				var raw json.RawMessage
				if !ch.ReceiveAsync(&raw) {
					break
				}
				if record {
					w.rejectSignal(name, raw, fmt.Sprintf("unknown action %q; actions: %s", clip(name), strings.Join(ActionNames, ", ")))
				}
			}
		}
	}
}

// unknownSignals lists, sorted, the names of waiting signals that are no action.
func unknownSignals(ctx workflow.Context) []string {
	var out []string
	for _, name := range workflow.GetUnhandledSignalNames(ctx) {
		if !ValidActionName(name) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// check decodes and validates an action against the current stage without
// changing anything. An action_id applied before answers as a duplicate (nil
// error) when it named the same action, else it is refused.
func (w *serviceRequest) check(name string, raw json.RawMessage) (Action, error) {
	a, err := DecodeAction(name, raw)
	if err != nil || !w.ready {
		return a, err // before intake only the payload is checked; the handler checks again
	}
	if prev, err := w.seen.lookup(name, a); prev != nil {
		return a, err
	}
	return a, w.allowed(name, a)
}

func (w *serviceRequest) handleUpdate(ctx workflow.Context, name string, raw json.RawMessage) (ActionResult, error) {
	// An update that arrives with the start waits for the intake.
	if err := workflow.Await(ctx, func() bool { return w.ready }); err != nil {
		return ActionResult{}, err
	}
	w.catchUp()
	a, err := w.check(name, raw) // state may have moved since validation
	if err != nil {
		return ActionResult{}, err
	}
	if prev, _ := w.seen.lookup(name, a); prev != nil {
		// A duplicate answers once the original's facts are written.
		if err := workflow.Await(ctx, func() bool { return w.flushedSeq >= prev.Seq }); err != nil {
			return ActionResult{}, err
		}
		w.actionResult(name, ResultDuplicate)
		return ActionResult{Result: ResultDuplicate, Stage: w.s.Stage}, nil
	}
	if name == ActionApplyPolicy {
		if err := w.fetchPolicy(ctx, name, a); err != nil {
			return ActionResult{}, err
		}
	}
	w.apply(name, a)
	seq := w.s.Seq
	// Answer once the facts are in PostgreSQL.
	if err := workflow.Await(ctx, func() bool { return w.flushedSeq >= seq }); err != nil {
		return ActionResult{}, err
	}
	w.actionResult(name, ResultAccepted)
	return ActionResult{Result: ResultAccepted, Stage: w.s.Stage}, nil
}

// handleSignal applies a valid signal; an invalid one becomes a rejected
// event in the timeline, a repeat a duplicate event.
func (w *serviceRequest) handleSignal(name string, raw json.RawMessage) {
	w.catchUp()
	a, err := w.check(name, raw)
	var conflict *idConflictError
	if errors.As(err, &conflict) && !w.ledgerVersioned() {
		return // older runs dropped a reused action_id silently
	}
	if err != nil {
		w.rejectSignal(name, raw, err.Error())
		return
	}
	if prev, _ := w.seen.lookup(name, a); prev != nil {
		if w.ledgerVersioned() {
			w.emit("action.duplicate", a.Actor, map[string]any{"action": name, "action_id": a.ActionID, "via": "signal"})
			w.actionResult(name, ResultDuplicate)
			w.changed()
		}
		return
	}
	if name == ActionApplyPolicy {
		if err := w.fetchPolicy(w.ctx, name, a); err != nil {
			w.rejectSignal(name, raw, err.Error())
			return
		}
	}
	w.apply(name, a)
	w.actionResult(name, ResultAccepted)
}

// fetchPolicy resolves the policy apply_policy applies, then checks the
// action again: the request may have moved while the worker answered.
func (w *serviceRequest) fetchPolicy(ctx workflow.Context, name string, a Action) error {
	snap, err := w.resolvePolicy(ctx)
	if err != nil {
		return err
	}
	if prev, err := w.seen.lookup(name, a); prev != nil || err != nil {
		if err == nil {
			err = fmt.Errorf("action_id %s was applied meanwhile", a.ActionID)
		}
		return err
	}
	if err := w.allowed(name, a); err != nil {
		return err
	}
	w.nextPolicy = &snap
	return nil
}

// ledgerVersioned says whether this run records reused and repeated action
// IDs of signals (versioned: older runs dropped them without an event).
func (w *serviceRequest) ledgerVersioned() bool {
	return workflow.GetVersion(w.ctx, "action-id-ledger", workflow.DefaultVersion, 1) >= 1
}

// rejectSignal records a signal that was not applied, naming why.
func (w *serviceRequest) rejectSignal(name string, raw json.RawMessage, reason string) {
	var probe struct {
		ActionID string `json:"action_id"`
		Actor    string `json:"actor"`
	}
	_ = json.Unmarshal(raw, &probe) // best effort: the rejection names whatever it can
	w.emit("action.rejected", clip(probe.Actor), map[string]any{"action": clip(name), "action_id": clip(probe.ActionID), "reason": reason, "via": "signal"})
	w.actionResult(clip(name), "rejected")
	w.changed()
}

// catchUp fires the deadline instants that have come but that the main
// loop has not handled yet (an action delivered in the same workflow task as
// its deadline's timer, e.g. after a worker outage), so a late action is
// recorded as late and a void sheet cannot be confirmed. Versioned: older
// histories applied such actions first.
func (w *serviceRequest) catchUp() {
	if !w.anyDue() {
		return
	}
	if workflow.GetVersion(w.ctx, "fire-due-before-action", workflow.DefaultVersion, 1) < 1 {
		return
	}
	w.fireDue()
	w.changed()
}

// apply records the action and performs it.
func (w *serviceRequest) apply(name string, a Action) {
	w.emit("action."+name, a.Actor, actionPayload(a))
	w.seen.add(w.s, name, a, w.s.Seq)
	perform[name](w, a)
	w.changed()
}

// actionPayload is the action as recorded: only the fields it carries.
func actionPayload(a Action) map[string]any {
	b, _ := json.Marshal(a) // Action always encodes
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	delete(m, "actor")
	return m
}

func joinOr(items []string) string {
	switch len(items) {
	case 0:
		return "no stage"
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

func inStage(stage string, stages []string) bool { return slices.Contains(stages, stage) }
