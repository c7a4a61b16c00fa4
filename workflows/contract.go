// Package workflows holds svcflow's Temporal workflows: ServiceRequest, one
// per customer request, and CustomerCare, one per VIP customer.
package workflows

import (
	"encoding/json"
	"time"

	"github.com/svcflow/svcflow/internal/calendar"
)

// Names of CONTRACT §8. Scripts and integrations rely on them.
const (
	WorkflowType     = "ServiceRequest"
	DefaultTaskQueue = "svcflow"
	WorkflowIDPrefix = "sr-"
	StatusQuery      = "status"
)

// WorkflowID is the workflow ID of a request: sr-<request_id>.
func WorkflowID(requestID string) string { return WorkflowIDPrefix + requestID }

// Stages of CONTRACT §2.
const (
	StageReceived             = "received"
	StageAnalysis             = "analysis"
	StageAwaitingConfirmation = "awaiting_confirmation"
	StagePlanning             = "planning"
	StageInProgress           = "in_progress"
	StageAwaitingAcceptance   = "awaiting_acceptance"
	StageRework               = "rework"
	StageFollowUp             = "follow_up"
	StageClosed               = "closed"
)

// Stages lists the stages in process order.
var Stages = []string{StageReceived, StageAnalysis, StageAwaitingConfirmation, StagePlanning, StageInProgress, StageAwaitingAcceptance, StageRework, StageFollowUp, StageClosed}

// Outcomes of a closed request.
const (
	OutcomeCompleted   = "completed"
	OutcomeCancelled   = "cancelled"
	OutcomeUnconfirmed = "unconfirmed"
)

// Deadline states of CONTRACT §8.
const (
	DeadlinePending   = "pending"
	DeadlineMet       = "met"
	DeadlineBreached  = "breached"
	DeadlinePaused    = "paused"
	DeadlineCancelled = "cancelled"
)

// Customer is the requesting customer.
type Customer struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Email  string `json:"email,omitempty"`
	Phone  string `json:"phone,omitempty"`
	Tier   string `json:"tier"`             // vip | standard
	Locale string `json:"locale,omitempty"` // zh-CN | en
}

// Request is the start input of ServiceRequest (CONTRACT §8). Decode it with
// DecodeRequest: unknown fields and bad values are rejected, field named.
type Request struct {
	RequestID   string     `json:"request_id"`
	Customer    Customer   `json:"customer"`
	Channel     string     `json:"channel,omitempty"`
	Category    string     `json:"category,omitempty"`
	Priority    string     `json:"priority"` // urgent | normal
	Complex     bool       `json:"complex,omitempty"`
	Title       string     `json:"title"`
	Description string     `json:"description,omitempty"`
	SubmittedAt *time.Time `json:"submitted_at,omitempty"`
}

// DeadlineStatus is one deadline in the status query.
type DeadlineStatus struct {
	Name            string        `json:"name"`
	Instance        int           `json:"instance"` // 1, 2, ... for repeated deadlines (sheet rounds, rework, complaints)
	Clock           string        `json:"clock"`
	StartedAt       time.Time     `json:"started_at"`
	DueAt           *time.Time    `json:"due_at"` // nil while paused
	State           string        `json:"state"`
	WarnAt          *time.Time    `json:"warn_at,omitempty"`
	EscalateAt      *time.Time    `json:"escalate_at,omitempty"`
	Warned          bool          `json:"warned"`
	EscalationLevel int           `json:"escalation_level"` // 0 none, 1 breach (supervisor), 2 manager
	MetAt           *time.Time    `json:"met_at,omitempty"`
	BreachedAt      *time.Time    `json:"breached_at,omitempty"`
	Paused          time.Duration `json:"paused_ns"`
}

// TimelineEntry is one event of a request's timeline as the state keeps it
// (the detail as the payload's JSON text).
type TimelineEntry struct {
	Seq    int64     `json:"seq"`
	At     time.Time `json:"at"`
	Kind   string    `json:"kind"`
	Actor  string    `json:"actor,omitempty"`
	Detail string    `json:"detail,omitempty"`
}

// TimelineItem is one event of the status query's timeline; its detail is
// the event's payload as a JSON object.
type TimelineItem struct {
	Seq    int64           `json:"seq"`
	At     time.Time       `json:"at"`
	Kind   string          `json:"kind"`
	Actor  string          `json:"actor,omitempty"`
	Detail json.RawMessage `json:"detail,omitempty"`
}

// ComplaintStatus is one complaint in the status query.
type ComplaintStatus struct {
	ID         int        `json:"id"`
	Reason     string     `json:"reason"`
	OpenedAt   time.Time  `json:"opened_at"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
	Resolution string     `json:"resolution,omitempty"`
}

// Status is the answer of the status query (CONTRACT §8).
type Status struct {
	RequestID        string            `json:"request_id"`
	WorkflowID       string            `json:"workflow_id"`
	Title            string            `json:"title"`
	CustomerID       string            `json:"customer_id"`
	CustomerName     string            `json:"customer_name"`
	Stage            string            `json:"stage"`
	Outcome          string            `json:"outcome"`
	Priority         string            `json:"priority"`
	Tier             string            `json:"tier"`
	Complex          bool              `json:"complex"`
	Group            string            `json:"group"`
	Assignee         string            `json:"assignee"`
	EscalationLevel  int               `json:"escalation_level"`
	SlaBreached      bool              `json:"sla_breached"`
	Paused           bool              `json:"paused"`
	PausedSince      *time.Time        `json:"paused_since,omitempty"`
	RoundsUsed       int               `json:"rounds_used"`
	RoundsAllowed    int               `json:"rounds_allowed"`
	ReworkRounds     int               `json:"rework_rounds"`
	ExpectedDelivery *time.Time        `json:"expected_delivery,omitempty"`
	Deadlines        []DeadlineStatus  `json:"deadlines"`
	Complaints       []ComplaintStatus `json:"complaints"`
	Timeline         []TimelineItem    `json:"timeline"`
	CreatedAt        time.Time         `json:"created_at"`
	ClosedAt         *time.Time        `json:"closed_at,omitempty"`
	TimeZone         string            `json:"time_zone"`
	// Policy and Calendar name the SLA policy and calendar the request's
	// deadlines follow ("default": sla.deadlines, calendar); CalendarSpec is
	// that calendar, so a client computes working time left as the request
	// does, whatever its own config says now.
	Policy       string         `json:"policy,omitempty"`
	Calendar     string         `json:"calendar,omitempty"`
	CalendarSpec *calendar.Spec `json:"calendar_spec,omitempty"`
}
