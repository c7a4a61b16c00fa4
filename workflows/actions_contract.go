package workflows

import "time"

// Action names of CONTRACT §3: each is both an Update and a Signal of that name.
const (
	ActionRespond          = "respond"
	ActionSubmitSheet      = "submit_sheet"
	ActionConfirmSheet     = "confirm_sheet"
	ActionRejectSheet      = "reject_sheet"
	ActionApproveReview    = "approve_review"
	ActionAgreePlan        = "agree_plan"
	ActionProgress         = "progress"
	ActionAnnounceDelay    = "announce_delay"
	ActionDeliver          = "deliver"
	ActionAcceptDelivery   = "accept_delivery"
	ActionRejectDelivery   = "reject_delivery"
	ActionRecordFollowUp   = "record_follow_up"
	ActionComplain         = "complain"
	ActionResolveComplaint = "resolve_complaint"
	ActionRequestInfo      = "request_info"
	ActionProvideInfo      = "provide_info"
	ActionReassign         = "reassign"
	ActionReprioritize     = "reprioritize"
	ActionCancel           = "cancel"
	ActionNote             = "note"
	ActionApplyPolicy      = "apply_policy"
)

// Action is the one payload shape of every action (CONTRACT §8): the common
// fields plus each action's own. Fields an action does not use must be empty;
// DecodeAction rejects unknown fields.
type Action struct {
	ActionID string `json:"action_id,omitempty"` // names one action: a repeat is answered as a duplicate, a reuse for another action refused
	Actor    string `json:"actor,omitempty"`
	Note     string `json:"note,omitempty"`

	// submit_sheet
	Description      string     `json:"description,omitempty"`
	Goal             string     `json:"goal,omitempty"`
	ExpectedDelivery *time.Time `json:"expected_delivery,omitempty"`
	CustomerDuties   string     `json:"customer_duties,omitempty"`
	// announce_delay
	NewDelivery *time.Time `json:"new_delivery,omitempty"`
	// reject_sheet, reject_delivery, complain, request_info, cancel
	Reason string `json:"reason,omitempty"`
	// record_follow_up: scores 1-5
	ResponseSpeed   int    `json:"response_speed,omitempty"`
	Resolution      int    `json:"resolution,omitempty"`
	Attitude        int    `json:"attitude,omitempty"`
	Professionalism int    `json:"professionalism,omitempty"`
	Solved          *bool  `json:"solved,omitempty"`
	Comment         string `json:"comment,omitempty"`
	// resolve_complaint
	ComplaintID    int    `json:"complaint_id,omitempty"` // 0 = the oldest open complaint
	ResolutionText string `json:"resolution_text,omitempty"`
	// reassign
	Group    string `json:"group,omitempty"`
	Assignee string `json:"assignee,omitempty"`
	// reprioritize
	Priority string `json:"priority,omitempty"`
}

// Results of an action sent as an Update.
const (
	ResultAccepted  = "accepted"
	ResultDuplicate = "duplicate" // the action_id was applied before, with the same action
)

// ActionResult is what an accepted Update returns.
type ActionResult struct {
	Result string `json:"result"` // ResultAccepted or ResultDuplicate
	Stage  string `json:"stage"`
}
