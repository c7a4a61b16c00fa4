package workflows

import (
	"time"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/internal/calendar"
	"github.com/svcflow/svcflow/internal/sla"
)

// State is everything a ServiceRequest run knows; it is carried whole across
// continue-as-new, so every field must stay JSON-stable.
type State struct {
	Request Request `json:"request"`
	// Book is the SLA engine's state: the policy snapshot, the deadlines and
	// the open customer wait (JSON fields policy, deadlines, paused_since).
	sla.Book
	Group    string             `json:"group"`
	Groups   map[string]Contact `json:"groups"` // looked up, never iterated
	Stage    string             `json:"stage"`
	Outcome  string             `json:"outcome,omitempty"`
	Priority string             `json:"priority"`
	Assignee string             `json:"assignee,omitempty"`
	Seq      int64              `json:"seq"` // last event sequence allocated
	// LocalParties are notified from the record local activity (log only).
	LocalParties []string `json:"local_parties,omitempty"`
	// NotifyInline: every notification is first tried from the record local
	// activity, only those not sent get a NotifyAll task (snapshotted at
	// intake; runs that began before keep the shape they began with).
	NotifyInline bool `json:"notify_inline,omitempty"`

	Complaints []*Complaint `json:"complaints,omitempty"`
	// Held are notifications quiet hours hold until their HeldUntil.
	Held        []activities.Notification `json:"held,omitempty"`
	SeenActions []string                  `json:"seen_actions,omitempty"` // older state shape: IDs only (see restoreLedger)
	Applied     []AppliedAction           `json:"applied,omitempty"`

	SheetRounds    int              `json:"sheet_rounds"`  // sheets issued
	FailedRounds   int              `json:"failed_rounds"` // sheets rejected or void
	ReworkRounds   int              `json:"rework_rounds"`
	Sheet          *Sheet           `json:"sheet,omitempty"`
	ReviewApproved bool             `json:"review_approved,omitempty"`
	FollowUpDone   bool             `json:"follow_up_done,omitempty"`
	CustomerWaits  []calendar.Pause `json:"customer_waits,omitempty"`

	NotesSinceReport []string  `json:"notes_since_report,omitempty"`
	NextReportAt     time.Time `json:"next_report_at,omitempty"`
	ReportsSent      int       `json:"reports_sent"`
	RunReports       int       `json:"run_reports"` // reports in this run, for continue-as-new

	Timeline        []TimelineEntry `json:"timeline"`
	CreatedAt       time.Time       `json:"created_at"`
	FirstResponseAt *time.Time      `json:"first_response_at,omitempty"`
	AcceptedAt      *time.Time      `json:"accepted_at,omitempty"`
	ClosedAt        *time.Time      `json:"closed_at,omitempty"`
	ResolutionWork  time.Duration   `json:"resolution_work_ns"`
	Survey          *Survey         `json:"survey,omitempty"`
	Runs            int             `json:"runs"` // continue-as-new count
}

// Contact is who is told what in one service group.
type Contact struct {
	Email      string `json:"email"`
	Supervisor string `json:"supervisor"`
	Manager    string `json:"manager"`
}

// Survey is the follow-up visit's scores.
type Survey struct {
	ResponseSpeed   int       `json:"response_speed"`
	Resolution      int       `json:"resolution"`
	Attitude        int       `json:"attitude"`
	Professionalism int       `json:"professionalism"`
	Average         float64   `json:"average"`
	Solved          *bool     `json:"solved,omitempty"`
	Comment         string    `json:"comment,omitempty"`
	RecordedAt      time.Time `json:"recorded_at"`
}

// Sheet is the requirement confirmation sheet.
type Sheet struct {
	Description      string    `json:"description"`
	Goal             string    `json:"goal"`
	ExpectedDelivery time.Time `json:"expected_delivery"`
	CustomerDuties   string    `json:"customer_duties,omitempty"`
}

// Complaint is one complaint beside the process.
type Complaint struct {
	ID         int        `json:"id"`
	Source     string     `json:"source"` // action | low_score
	Reason     string     `json:"reason"`
	OpenedAt   time.Time  `json:"opened_at"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
	Resolution string     `json:"resolution,omitempty"`
}
