package workflows

import (
	"slices"
	"time"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/internal/calendar"
)

// Quiet hours (notify.quiet_hours): a notification to a listed party
// outside working hours is held until the next working instant of the quiet
// calendar (the request's when none is named) and then sent once; the fact
// it tells of is recorded at its true instant. Held notifications are part
// of the state, so a held one survives a worker restart.

// quietUntil says whether a notification to party now must wait, and until when.
func (w *serviceRequest) quietUntil(party string) (time.Time, bool) {
	q := w.s.Policy.QuietHours
	if q == nil || !slices.Contains(q.Parties, party) || slices.Contains(q.Except, w.s.Priority) {
		return time.Time{}, false
	}
	cal := w.quietCalendar()
	now := w.now()
	if cal == nil || cal.IsOpen(now) {
		return time.Time{}, false
	}
	until := cal.NextOpen(now)
	return until, until.After(now)
}

// quietCalendar is the calendar quiet hours follow.
func (w *serviceRequest) quietCalendar() *calendar.Calendar {
	q := w.s.Policy.QuietHours
	if q.Calendar == nil {
		return w.cal
	}
	if w.quietCal == nil {
		cal, err := calendar.New(*q.Calendar)
		if err != nil {
			w.logger.Error("quiet hours calendar invalid: notifications are not held", "error", err)
			return nil
		}
		w.quietCal = cal
	}
	return w.quietCal
}

// hold keeps n until until, recording the hold in the timeline.
func (w *serviceRequest) hold(n activities.Notification, until time.Time) {
	n.HeldUntil = &until
	w.s.Held = append(w.s.Held, n)
	w.emit("notification.held", "", map[string]any{"dedupe_key": n.DedupeKey, "party": n.Party, "kind": n.Kind, "until": fmtTime(until, w.cal)})
}

// releaseHeld queues, in order, every held notification whose time has come.
func (w *serviceRequest) releaseHeld() {
	if len(w.s.Held) == 0 {
		return
	}
	now := w.now()
	kept := w.s.Held[:0]
	for _, n := range w.s.Held {
		if n.HeldUntil.After(now) {
			kept = append(kept, n)
			continue
		}
		w.notes = append(w.notes, n)
	}
	w.s.Held = kept
}

// nextRelease is the earliest instant a held notification goes out.
func (w *serviceRequest) nextRelease() (time.Time, bool) {
	var best time.Time
	for _, n := range w.s.Held {
		if best.IsZero() || n.HeldUntil.Before(best) {
			best = *n.HeldUntil
		}
	}
	return best, !best.IsZero()
}
