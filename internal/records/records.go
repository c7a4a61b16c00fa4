// Package records holds the rows svcflow writes to PostgreSQL for each
// request (docs/CONTRACT.md, "Records"): plain data shared by the workflow
// that produces them, the activity that writes them and the store.
package records

import (
	"encoding/json"
	"time"
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
	SlaPolicy       string        `json:"sla_policy,omitempty"`
	SlaCalendar     string        `json:"sla_calendar,omitempty"`
	// SlaSemantics is the engine rules version of the request's policy
	// snapshot (policy.Snapshot.Semantics), for what-if replays.
	SlaSemantics int `json:"sla_semantics"`
}

// Span is a closed or open interval (a pause; zero To: still open).
type Span struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to,omitempty"`
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
	// What the SLA engine needs to replay the instance (what-if).
	Policy    string        `json:"policy,omitempty"`
	Calendar  string        `json:"calendar,omitempty"`
	Target    time.Duration `json:"target_ns,omitempty"`
	FixedDue  *time.Time    `json:"fixed_due,omitempty"`
	Lead      time.Duration `json:"lead_ns,omitempty"`
	Pauses    []Span        `json:"pauses,omitempty"`
	Carried   time.Duration `json:"carried_ns,omitempty"`
	RebasedAt *time.Time    `json:"rebased_at,omitempty"`
	ClosedAt  *time.Time    `json:"closed_at,omitempty"`
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

// Facts is every fact of one workflow transition, written in one
// transaction: the new events, the request's current row, and the deadline,
// complaint and survey rows that changed.
type Facts struct {
	Request    RequestRow     `json:"request"`
	Events     []Event        `json:"events"`
	Deadlines  []DeadlineRow  `json:"deadlines,omitempty"`
	Complaints []ComplaintRow `json:"complaints,omitempty"`
	Survey     *SurveyRow     `json:"survey,omitempty"`
}
