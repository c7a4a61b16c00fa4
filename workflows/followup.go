package workflows

import (
	"fmt"
	"strings"

	"github.com/svcflow/svcflow/internal/policy"
)

// The follow-up visit: the survey, and the complaint a low score opens.

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
