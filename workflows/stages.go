package workflows

import (
	"fmt"
	"strings"
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

// recordFollowUp stores the survey; a low score opens a complaint. The
// request closes once no complaint is open.
func (w *serviceRequest) recordFollowUp(a Action) {
	now := w.now()
	avg := float64(a.ResponseSpeed+a.Resolution+a.Attitude+a.Professionalism) / 4
	w.s.Survey = &Survey{ResponseSpeed: a.ResponseSpeed, Resolution: a.Resolution, Attitude: a.Attitude,
		Professionalism: a.Professionalism, Average: avg, Solved: a.Solved, Comment: a.Comment, RecordedAt: now}
	w.pending.survey = true
	w.s.FollowUpDone = true
	w.meet(w.open(policy.FollowUp), a.Actor)
	if reason := lowScoreReason(a, avg, w.s.Policy.LowScore); reason != "" {
		w.openComplaint("low_score", reason)
	}
	w.closeIfDone()
}

// lowScoreReason names what makes a follow-up open a complaint ("" when
// nothing does): each score at or below the limit, an average below it.
func lowScoreReason(a Action, avg float64, low policy.LowScore) string {
	var low1 []string
	for _, s := range []struct {
		name  string
		score int
	}{{"response speed", a.ResponseSpeed}, {"resolution", a.Resolution}, {"attitude", a.Attitude}, {"professionalism", a.Professionalism}} {
		if s.score <= low.MaxScore {
			low1 = append(low1, fmt.Sprintf("%s %d", s.name, s.score))
		}
	}
	var parts []string
	if len(low1) > 0 {
		parts = append(parts, fmt.Sprintf("low follow-up score: %s (%d or less opens a complaint)", strings.Join(low1, ", "), low.MaxScore))
	}
	if avg < low.MinAverage {
		parts = append(parts, fmt.Sprintf("low follow-up average %.2f (below %.2f opens a complaint)", avg, low.MinAverage))
	}
	return strings.Join(parts, "; ")
}

func (w *serviceRequest) openComplaint(source, reason string) {
	c := &Complaint{ID: len(w.s.Complaints) + 1, Source: source, Reason: reason, OpenedAt: w.now()}
	w.s.Complaints = append(w.s.Complaints, c)
	w.emit("complaint.opened", "", map[string]any{"complaint_id": c.ID, "source": source, "reason": reason})
	w.touchComplaint(c)
	w.startDeadline(policy.Complaint, c.OpenedAt)
	w.notify(activities.PartySupervisor, activities.KindComplaint, fmt.Sprintf("complaint/%d", c.ID), map[string]string{"reason": reason, "complaint_id": fmt.Sprint(c.ID)})
}

func (w *serviceRequest) resolveComplaint(a Action) {
	c := w.findComplaint(a.ComplaintID)
	now := w.now()
	c.ResolvedAt, c.Resolution = &now, a.ResolutionText
	w.emit("complaint.resolved", a.Actor, map[string]any{"complaint_id": c.ID})
	w.touchComplaint(c)
	w.meet(w.complaintDeadline(c.ID), a.Actor)
	w.closeIfDone()
}

// findComplaint returns the open complaint id, or the oldest open one for 0.
func (w *serviceRequest) findComplaint(id int) *Complaint {
	for _, c := range w.s.Complaints {
		if c.ResolvedAt == nil && (id == 0 || c.ID == id) {
			return c
		}
	}
	return nil
}

// complaintDeadline is the deadline of complaint id (instance = id).
func (w *serviceRequest) complaintDeadline(id int) *Deadline {
	return w.s.Instance(policy.Complaint, id)
}

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

// progressReport sends the weekly report with the notes since the last one.
func (w *serviceRequest) progressReport() {
	w.s.ReportsSent++
	w.s.RunReports++
	notes := w.s.NotesSinceReport
	w.s.NotesSinceReport = nil
	w.emit("progress_report", "system", map[string]any{"report": w.s.ReportsSent, "notes": len(notes)})
	w.notify(activities.PartyCustomer, activities.KindProgressReport, fmt.Sprintf("progress/%d", w.s.ReportsSent),
		map[string]string{"report": fmt.Sprint(w.s.ReportsSent), "notes": strings.Join(notes, "\n")})
	if _, every, ok := w.s.Policy.Resolve(policy.ProgressReport, w.s.Priority, w.s.Request.Customer.Tier); ok {
		for !w.s.NextReportAt.After(w.now()) {
			w.s.NextReportAt = w.s.NextReportAt.Add(every)
		}
	} else {
		w.s.NextReportAt = time.Time{}
	}
}
