package workflows

import (
	"fmt"
	"time"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/internal/policy"
)

// setStage moves the request to stage and records it.
func (w *serviceRequest) setStage(stage string) {
	if w.s.Stage == stage {
		return
	}
	from := w.s.Stage
	w.s.Stage = stage
	w.emit("stage", "", map[string]any{"from": from, "to": stage})
}

// sheetFailed ends a sheet round (rejected or void): back to analysis for a
// new sheet, or closed unconfirmed when the rounds are used up.
func (w *serviceRequest) sheetFailed(kind, actor, reason string) {
	w.s.FailedRounds++
	w.emit(kind, actor, map[string]any{"round": w.s.SheetRounds, "reason": reason, "rounds_allowed": w.s.Policy.SheetRounds})
	if w.s.FailedRounds >= w.s.Policy.SheetRounds {
		w.close(OutcomeUnconfirmed)
		return
	}
	w.setStage(StageAnalysis)
	sheet := w.startDeadline(policy.Sheet, w.now())
	data := map[string]string{"deadline": policy.Confirmation, "reason": reason, "round": fmt.Sprint(w.s.SheetRounds)}
	if sheet != nil {
		due, _ := w.due(sheet)
		data["due_at"] = fmtTime(due, w.cal)
	}
	template := activities.KindSheetRejected
	if kind == "sheet.void" {
		template = activities.KindSheetVoid
	}
	w.notify(activities.PartyAssignee, template, fmt.Sprintf("%s/%d", kind, w.s.SheetRounds), data)
}

// accept closes delivery: the follow-up visit is next.
func (w *serviceRequest) accept(actor string) {
	now := w.now()
	w.s.AcceptedAt = &now
	if a := w.open(policy.Acceptance); a != nil {
		w.meet(a, actor)
	}
	w.s.ResolutionWork = w.cal.Between(w.s.CreatedAt, now) - w.waitWork(now)
	w.setStage(StageFollowUp)
	w.startDeadline(policy.FollowUp, now)
	w.notify(activities.PartyCustomer, activities.KindSurveyRequest, "survey", nil)
}

// waitWork is the working time the request waited on the customer.
func (w *serviceRequest) waitWork(now time.Time) (total time.Duration) {
	for _, p := range w.s.CustomerWaits {
		total += w.cal.Between(p.From, p.To)
	}
	if w.s.PausedSince != nil {
		total += w.cal.Between(*w.s.PausedSince, now)
	}
	return total
}

// closeIfDone closes a completed request once the follow-up is recorded and
// no complaint is open.
func (w *serviceRequest) closeIfDone() {
	if w.s.Stage == StageFollowUp && w.s.FollowUpDone && w.findComplaint(0) == nil {
		w.close(OutcomeCompleted)
	}
}

// close ends the request with an outcome.
func (w *serviceRequest) close(outcome string) {
	now := w.now()
	if w.s.PausedSince != nil {
		w.resume()
	}
	w.record(w.s.CancelAll(now), "")
	w.s.Outcome, w.s.ClosedAt = outcome, &now
	w.s.NextReportAt = time.Time{}
	w.setStage(StageClosed)
	w.emit("closed", "", map[string]any{"outcome": outcome})
}
