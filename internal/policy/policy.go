// Package policy holds the SLA policy snapshot copied into every workflow and
// resolves a deadline's clock and target by deadline, priority and tier.
package policy

import (
	"time"

	"github.com/svcflow/svcflow/internal/calendar"
)

// Deadline names of CONTRACT §8.
const (
	Response     = "response"
	Sheet        = "sheet"
	Confirmation = "confirmation"
	Review       = "review"
	DelayNotice  = "delay_notice"
	Delivery     = "delivery"
	Acceptance   = "acceptance"
	Rework       = "rework"
	FollowUp     = "follow_up"
	Complaint    = "complaint"
	// ProgressReport is the interval of progress reports, not a deadline.
	ProgressReport = "progress_report"
)

// DeadlineNames lists the deadline names in process order.
var DeadlineNames = []string{Response, Sheet, Confirmation, Review, DelayNotice, Delivery, Acceptance, Rework, FollowUp, Complaint}

// ConfigurableNames lists the keys allowed under sla.deadlines.
var ConfigurableNames = []string{Response, Sheet, Confirmation, Review, DelayNotice, ProgressReport, Acceptance, Rework, FollowUp, Complaint}

// Priorities and tiers.
const (
	Urgent   = "urgent"
	Normal   = "normal"
	VIP      = "vip"
	Standard = "standard"
)

// Silence policies for acceptance.
const (
	AutoAccept = "auto_accept"
	Escalate   = "escalate"
)

// Targets holds one target per priority; zero means "not set".
type Targets struct {
	Urgent time.Duration `json:"urgent,omitempty"`
	Normal time.Duration `json:"normal,omitempty"`
}

// Deadline is one configured deadline: its clock and targets.
type Deadline struct {
	Clock calendar.ClockKind `json:"clock"`
	Targets
}

// LowScore says when a follow-up score opens a complaint: any dimension at or
// below MaxScore, or an average below MinAverage.
type LowScore struct {
	MaxScore   int     `json:"max_score"`
	MinAverage float64 `json:"min_average"`
}

// Names of the policy and calendar that are not named in the config.
const (
	DefaultPolicy   = "default" // sla.deadlines + sla.vip
	DefaultCalendar = "default" // calendar
)

// Step is one step of an escalation chain: at a share of the target it
// notifies its parties. Below 1.0 a warning, 1.0 the breach, above it an
// escalation raising the level by one.
type Step struct {
	At     float64  `json:"at"`
	Notify []string `json:"notify"`
}

// QuietHours hold the notifications of Parties outside the working time of
// Calendar (the request's calendar when nil) until its next opening; the
// priorities in Except are sent at once.
type QuietHours struct {
	Parties  []string       `json:"parties"`
	Calendar *calendar.Spec `json:"calendar,omitempty"`
	Except   []string       `json:"except_priority,omitempty"`
}

// Snapshot is the SLA policy in force for one request, copied into workflow
// state at start so that a config change never alters a running request.
type Snapshot struct {
	// Name is the policy selected (DefaultPolicy for sla.deadlines), and
	// CalendarName the calendar its deadlines count in (DefaultCalendar for
	// calendar); both empty in snapshots taken before policies existed.
	Name              string              `json:"name,omitempty"`
	CalendarName      string              `json:"calendar_name,omitempty"`
	Calendar          calendar.Spec       `json:"calendar"`
	WarnAt            float64             `json:"warn_at"`
	EscalateAt        float64             `json:"escalate_at"`
	SheetRounds       int                 `json:"sheet_rounds"`
	AcceptanceSilence string              `json:"acceptance_silence"`
	LowScore          LowScore            `json:"low_score"`
	Deadlines         map[string]Deadline `json:"deadlines"` // looked up by name, never iterated for decisions
	VIP               map[string]Targets  `json:"vip,omitempty"`
	// Escalation is the chain of steps; nil: warning at WarnAt, breach,
	// escalation at EscalateAt (the shorthand).
	Escalation []Step `json:"escalation,omitempty"`
	// QuietHours, when set, hold some parties' notifications at night.
	QuietHours *QuietHours `json:"quiet_hours,omitempty"`
	// MaxDeliveryAhead bounds a committed delivery time (0: no bound, as in
	// snapshots taken before the bound existed).
	MaxDeliveryAhead time.Duration `json:"max_delivery_ahead,omitempty"`
	// Semantics is the version of the deadline rules the request started
	// under; later rules apply only to requests whose snapshot carries them,
	// so recorded histories replay unchanged (0: before this field).
	Semantics int `json:"semantics,omitempty"`
}

// CurrentSemantics is the version of the deadline rules new requests get:
//
//	1: no warning after its deadline's breach; a delay notice that cannot
//	   be met when the commitment is made is met at the commitment.
const CurrentSemantics = 1
