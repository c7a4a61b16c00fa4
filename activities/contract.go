// Package activities holds the side effects of svcflow's workflows: records
// in PostgreSQL and notifications. Activities are methods on Activities,
// which holds their dependencies; every one is idempotent.
package activities

import (
	"encoding/json"
	"time"
)

// Activity names as registered on the worker (method names).
const (
	RecordTransitionName = "RecordTransition"
	NotifyName           = "Notify"
)

// Event is one append-only timeline row; (RequestID, Seq) is unique, so a
// retried write leaves one row.
type Event struct {
	Seq     int64           `json:"seq"`
	At      time.Time       `json:"at"`
	Kind    string          `json:"kind"` // e.g. received, action.respond, action.rejected, deadline.warning, deadline.breach, deadline.escalation, stage
	Actor   string          `json:"actor,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// RequestRow is the current state of a request (service_requests). Seq is
// the last event's sequence: an older write never overwrites a newer one.
type RequestRow struct {
	RequestID       string        `json:"request_id"`
	WorkflowID      string        `json:"workflow_id"`
	Seq             int64         `json:"seq"`
	CustomerID      string        `json:"customer_id"`
	CustomerName    string        `json:"customer_name"`
	Tier            string        `json:"tier"`
	Priority        string        `json:"priority"`
	Category        string        `json:"category"`
	Channel         string        `json:"channel"`
	Complex         bool          `json:"complex"`
	Title           string        `json:"title"`
	Stage           string        `json:"stage"`
	Outcome         string        `json:"outcome"`
	Group           string        `json:"group"`
	Assignee        string        `json:"assignee"`
	EscalationLevel int           `json:"escalation_level"`
	SlaBreached     bool          `json:"sla_breached"`
	SheetRounds     int           `json:"sheet_rounds"`  // confirmation sheets issued
	ReworkRounds    int           `json:"rework_rounds"` // deliveries rejected
	CreatedAt       time.Time     `json:"created_at"`
	UpdatedAt       time.Time     `json:"updated_at"`
	FirstResponseAt *time.Time    `json:"first_response_at,omitempty"`
	AcceptedAt      *time.Time    `json:"accepted_at,omitempty"`
	ClosedAt        *time.Time    `json:"closed_at,omitempty"`
	ResolutionWork  time.Duration `json:"resolution_work_ns"` // working time intake→acceptance minus customer wait
	CustomerWait    time.Duration `json:"customer_wait_ns"`   // wall time paused on the customer
}

// DeadlineRow is one deadline instance (sla_deadlines), keyed by
// (RequestID, Name, Instance).
type DeadlineRow struct {
	Name            string        `json:"name"`
	Instance        int           `json:"instance"`
	Clock           string        `json:"clock"`
	StartedAt       time.Time     `json:"started_at"`
	DueAt           *time.Time    `json:"due_at,omitempty"`
	State           string        `json:"state"`
	WarnedAt        *time.Time    `json:"warned_at,omitempty"`
	MetAt           *time.Time    `json:"met_at,omitempty"`
	BreachedAt      *time.Time    `json:"breached_at,omitempty"`
	EscalationLevel int           `json:"escalation_level"`
	Paused          time.Duration `json:"paused_ns"`
}

// ComplaintRow is one complaint, keyed by (RequestID, ComplaintID).
type ComplaintRow struct {
	ComplaintID int        `json:"complaint_id"`
	Source      string     `json:"source"` // action | low_score
	Reason      string     `json:"reason"`
	OpenedAt    time.Time  `json:"opened_at"`
	DueAt       time.Time  `json:"due_at"`
	ResolvedAt  *time.Time `json:"resolved_at,omitempty"`
	Resolution  string     `json:"resolution,omitempty"`
	Breached    bool       `json:"breached"`
}

// SurveyRow is the follow-up survey, one per request.
type SurveyRow struct {
	ResponseSpeed   int       `json:"response_speed"`
	Resolution      int       `json:"resolution"`
	Attitude        int       `json:"attitude"`
	Professionalism int       `json:"professionalism"`
	Average         float64   `json:"average"`
	Solved          *bool     `json:"solved,omitempty"`
	Comment         string    `json:"comment,omitempty"`
	RecordedAt      time.Time `json:"recorded_at"`
}

// Transition is every fact of one workflow transition, written in one
// transaction: the new events, the request's current row, and the deadline,
// complaint and survey rows that changed.
type Transition struct {
	Request    RequestRow     `json:"request"`
	Events     []Event        `json:"events"`
	Deadlines  []DeadlineRow  `json:"deadlines,omitempty"`
	Complaints []ComplaintRow `json:"complaints,omitempty"`
	Survey     *SurveyRow     `json:"survey,omitempty"`
	// Notifications to parties reached by the log channel only: sent by the
	// same activity once the facts are written (no activity task of their own).
	Notifications []Notification `json:"notifications,omitempty"`
}

// Notification kinds (templates).
const (
	KindReceipt            = "receipt"
	KindAssignment         = "assignment"
	KindSheet              = "sheet"
	KindProgressReport     = "progress_report"
	KindDelayNotice        = "delay_notice"
	KindDelivery           = "delivery"
	KindAcceptanceReminder = "acceptance_reminder"
	KindSurveyRequest      = "survey_request"
	KindCareLetter         = "care_letter"
	KindWarning            = "warning"
	KindBreach             = "breach"
	KindEscalation         = "escalation"
	KindComplaint          = "complaint"
	KindSheetRejected      = "sheet_rejected" // the customer rejected the sheet: issue a new one
	KindSheetVoid          = "sheet_void"     // the sheet was not confirmed in time: issue a new one
)

// Parties of notify.parties.
const (
	PartyCustomer   = "customer"
	PartyAssignee   = "assignee"
	PartySupervisor = "supervisor"
	PartyManager    = "manager"
)

// Notification is one message to one party; it goes out on every channel
// configured for that party, each (DedupeKey, channel) at most once.
type Notification struct {
	DedupeKey string            `json:"dedupe_key"` // derived from request ID and step, e.g. sr-42/breach/response/1
	RequestID string            `json:"request_id"`
	Party     string            `json:"party"`
	Kind      string            `json:"kind"`
	Locale    string            `json:"locale,omitempty"` // customer's locale; empty = agents' default
	To        string            `json:"to,omitempty"`     // e-mail address, if any
	Data      map[string]string `json:"data,omitempty"`   // template fields: title, customer, deadline, due_at, stage, ...
}
