// Package activities holds the side effects of svcflow's workflows: records
// in PostgreSQL and notifications. Activities are methods on Activities,
// which holds their dependencies; every one is idempotent.
package activities

import (
	"time"

	"github.com/svcflow/svcflow/internal/records"
)

// Activity names as registered on the worker (method names).
const (
	RecordTransitionName = "RecordTransition"
	NotifyName           = "Notify"
	NotifyAllName        = "NotifyAll"
)

// NotifyBatch is the notifications of one transition to parties with e-mail,
// webhook or chat channels, sent by one NotifyAll activity.
type NotifyBatch struct {
	Notifications []Notification `json:"notifications"`
}

// Transition is one workflow transition for RecordTransition: its facts,
// written in one transaction, and notifications the same activity sends
// once the facts are written (no activity task of their own). Without
// Inline they are those of log-only parties and a failed send fails the
// activity; with Inline they are all of the transition's, tried within
// InlineBudget, and those not sent come back in TransitionResult.Unsent for
// the workflow to send by activity.
type Transition struct {
	records.Facts
	Notifications []Notification `json:"notifications,omitempty"`
	Inline        bool           `json:"inline,omitempty"`
}

// TransitionResult is what RecordTransition answers: the indexes into
// Transition.Notifications of the inline notifications not sent.
type TransitionResult struct {
	Unsent []int `json:"unsent,omitempty"`
	// Done is the worker's clock when the activity ended: a timer armed in
	// the same workflow task counts from it, not from the task's start, so
	// the write and the sends do not make the next deadline fire late.
	Done time.Time `json:"done,omitempty"`
}

// InlineBudget bounds the inline sends of one transition: an agent's
// update waits for them, so a slow receiver costs at most this much before
// its notifications move to a retried NotifyAll activity.
const InlineBudget = 2 * time.Second

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
	// HeldUntil is set when quiet hours held the notification until then.
	HeldUntil *time.Time `json:"held_until,omitempty"`
}
