package workflows

import (
	"fmt"
	"time"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/internal/policy"
)

// openStages are the stages of a request that is not closed.
var openStages = []string{StageReceived, StageAnalysis, StageAwaitingConfirmation, StagePlanning, StageInProgress, StageAwaitingAcceptance, StageRework, StageFollowUp}

// allowed says whether action name may run now, and if not why, naming the
// stage and what the action needs.
func (w *serviceRequest) allowed(name string, a Action) error {
	stages := actionByName[name].Stages
	if !inStage(w.s.Stage, stages) {
		if w.s.Stage == StageClosed {
			return fmt.Errorf("request %s is closed (%s); %s is not possible", WorkflowID(w.s.Request.RequestID), w.s.Outcome, name)
		}
		return w.wrongStage(name, stages...)
	}
	id := WorkflowID(w.s.Request.RequestID)
	switch name {
	case ActionRespond:
		if a.Actor == "" && w.s.Assignee == "" && w.s.Policy.Semantics >= 1 {
			return fmt.Errorf("actor: required: respond makes the actor the request's assignee (svcctl: --actor or $SVCFLOW_ACTOR)")
		}
	case ActionSubmitSheet:
		if err := w.checkCommitment("expected_delivery", *a.ExpectedDelivery); err != nil {
			return err
		}
	case ActionApproveReview:
		if !w.s.Request.Complex {
			return fmt.Errorf("request %s is not complex; approve_review applies only to complex requests", id)
		}
		if w.s.ReviewApproved {
			return fmt.Errorf("request %s: the review is already approved", id)
		}
	case ActionAgreePlan:
		if w.s.Request.Complex && !w.s.ReviewApproved {
			return fmt.Errorf("request %s is complex; agree_plan needs approve_review first", id)
		}
	case ActionAnnounceDelay:
		d := w.open(policy.Delivery)
		if d == nil {
			return fmt.Errorf("request %s has no open delivery commitment to delay", id)
		}
		if due, ok := w.due(d); ok && !a.NewDelivery.After(due) {
			return fmt.Errorf("new_delivery: must be later than the committed delivery %s", fmtTime(due, w.cal))
		}
		if err := w.checkCommitment("new_delivery", *a.NewDelivery); err != nil {
			return err
		}
	case ActionRecordFollowUp:
		if w.s.FollowUpDone {
			return fmt.Errorf("request %s: the follow-up is already recorded", id)
		}
	case ActionResolveComplaint:
		if w.findComplaint(a.ComplaintID) == nil {
			if a.ComplaintID != 0 {
				return fmt.Errorf("request %s has no open complaint %d", id, a.ComplaintID)
			}
			return fmt.Errorf("request %s has no open complaint", id)
		}
	case ActionRequestInfo:
		if w.s.PausedSince != nil {
			return fmt.Errorf("request %s already waits on the customer since %s", id, fmtTime(*w.s.PausedSince, w.cal))
		}
	case ActionProvideInfo:
		if w.s.PausedSince == nil {
			return fmt.Errorf("request %s is not waiting on the customer; provide_info is valid only after request_info", id)
		}
	case ActionReassign:
		if a.Group != "" {
			if _, ok := w.s.Groups[a.Group]; !ok {
				return fmt.Errorf("group: unknown group %q", a.Group)
			}
		}
	case ActionReprioritize:
		if a.Priority == w.s.Priority {
			return fmt.Errorf("request %s is already %s", id, a.Priority)
		}
	}
	return nil
}

// checkCommitment requires a committed delivery time in the future and, for
// snapshots that carry the bound, within sla.max_delivery_ahead.
func (w *serviceRequest) checkCommitment(field string, t time.Time) error {
	now := w.now()
	if !t.After(now) {
		return fmt.Errorf("%s: %s is not in the future", field, fmtTime(t, w.cal))
	}
	if max := w.s.Policy.MaxDeliveryAhead; max > 0 && t.After(now.Add(max)) {
		return fmt.Errorf("%s: %s is more than sla.max_delivery_ahead %s ahead", field, fmtTime(t, w.cal), shortDuration(max))
	}
	return nil
}

// perform carries out each action; the stage checks have passed.
var perform = map[string]func(w *serviceRequest, a Action){
	ActionRespond: func(w *serviceRequest, a Action) {
		now := w.now()
		w.s.FirstResponseAt = &now
		if w.s.Assignee == "" {
			w.s.Assignee = a.Actor
		}
		w.meet(w.open(policy.Response), a.Actor)
		w.setStage(StageAnalysis)
		w.startDeadline(policy.Sheet, now)
	},
	ActionSubmitSheet: func(w *serviceRequest, a Action) {
		w.s.Sheet = &Sheet{Description: a.Description, Goal: a.Goal, ExpectedDelivery: *a.ExpectedDelivery, CustomerDuties: a.CustomerDuties}
		w.s.SheetRounds++
		w.meet(w.open(policy.Sheet), a.Actor)
		w.setStage(StageAwaitingConfirmation)
		w.startDeadline(policy.Confirmation, w.now())
		w.notify(activities.PartyCustomer, activities.KindSheet, fmt.Sprintf("sheet/%d", w.s.SheetRounds),
			map[string]string{"goal": a.Goal, "description": a.Description, "expected_delivery": fmtTime(*a.ExpectedDelivery, w.cal), "customer_duties": a.CustomerDuties})
	},
	ActionConfirmSheet: func(w *serviceRequest, a Action) {
		w.meet(w.open(policy.Confirmation), a.Actor)
		w.setStage(StagePlanning)
		if w.s.Request.Complex {
			w.startDeadline(policy.Review, w.now())
		}
	},
	ActionRejectSheet: func(w *serviceRequest, a Action) {
		w.meet(w.open(policy.Confirmation), a.Actor)
		w.sheetFailed("sheet.rejected", a.Actor, a.Reason)
	},
	ActionApproveReview: func(w *serviceRequest, a Action) {
		w.s.ReviewApproved = true
		w.meet(w.open(policy.Review), a.Actor)
	},
	ActionAgreePlan: func(w *serviceRequest, a Action) {
		now := w.now()
		w.setStage(StageInProgress)
		w.startFixed(policy.Delivery, now, w.s.Sheet.ExpectedDelivery)
		w.startDelayNotice(now)
		if _, every, ok := w.s.Policy.Resolve(policy.ProgressReport, w.s.Priority, w.s.Request.Customer.Tier); ok {
			w.s.NextReportAt = now.Add(every)
		}
	},
	ActionProgress: func(w *serviceRequest, a Action) {
		w.s.NotesSinceReport = append(w.s.NotesSinceReport, a.Note)
	},
	ActionAnnounceDelay: func(w *serviceRequest, a Action) {
		now := w.now()
		w.meet(w.open(policy.DelayNotice), a.Actor)
		nd := *a.NewDelivery
		w.record(w.s.Recommit(w.open(policy.Delivery), nd), "")
		w.startDelayNotice(now)
		w.notify(activities.PartyCustomer, activities.KindDelayNotice, fmt.Sprintf("delay/%d", w.latest(policy.DelayNotice).Instance),
			map[string]string{"new_delivery": fmtTime(nd, w.cal), "reason": a.Reason})
	},
	ActionDeliver: func(w *serviceRequest, a Action) {
		w.meet(w.open(policy.Delivery), a.Actor)
		w.meet(w.open(policy.Rework), a.Actor)
		w.cancelDeadline(w.open(policy.DelayNotice))
		w.s.NextReportAt = time.Time{} // reports run during execution only
		w.setStage(StageAwaitingAcceptance)
		w.startDeadline(policy.Acceptance, w.now())
		w.notify(activities.PartyCustomer, activities.KindDelivery, fmt.Sprintf("delivery/%d", w.s.ReworkRounds+1), nil)
	},
	ActionAcceptDelivery: func(w *serviceRequest, a Action) {
		w.meet(w.open(policy.Acceptance), a.Actor)
		w.accept(a.Actor)
	},
	ActionRejectDelivery: func(w *serviceRequest, a Action) {
		w.meet(w.open(policy.Acceptance), a.Actor)
		w.s.ReworkRounds++
		w.setStage(StageRework)
		w.startDeadline(policy.Rework, w.now())
	},
	ActionRecordFollowUp: func(w *serviceRequest, a Action) {
		w.recordFollowUp(a)
	},
	ActionComplain: func(w *serviceRequest, a Action) {
		w.openComplaint("action", a.Reason)
	},
	ActionResolveComplaint: func(w *serviceRequest, a Action) {
		w.resolveComplaint(a)
	},
	ActionRequestInfo: func(w *serviceRequest, a Action) { w.pause() },
	ActionProvideInfo: func(w *serviceRequest, a Action) { w.resume() },
	ActionReassign: func(w *serviceRequest, a Action) {
		if a.Group != "" {
			w.s.Group = a.Group
		}
		if a.Assignee != "" {
			w.s.Assignee = a.Assignee
		}
		w.notify(activities.PartyAssignee, activities.KindAssignment, fmt.Sprintf("assignment/%d", w.s.Seq), nil)
	},
	ActionReprioritize: func(w *serviceRequest, a Action) { w.reprioritize(a.Priority) },
	ActionCancel: func(w *serviceRequest, a Action) {
		w.record(w.s.CancelAll(w.now()), "")
		w.close(OutcomeCancelled)
	},
	ActionNote:        func(w *serviceRequest, a Action) {},
	ActionApplyPolicy: func(w *serviceRequest, a Action) { w.applyPolicy(a.Actor) },
}
