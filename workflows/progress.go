package workflows

import (
	"fmt"
	"strings"
	"time"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/internal/policy"
)

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
