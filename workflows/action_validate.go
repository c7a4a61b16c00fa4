package workflows

import (
	"bytes"
	"fmt"
	"slices"
)

// actionFields lists, per action, the action's own fields (beyond action_id,
// actor, note); a field of another action is rejected by name.
var actionFields = map[string][]string{
	ActionRespond:          {},
	ActionSubmitSheet:      {"description", "goal", "expected_delivery", "customer_duties"},
	ActionConfirmSheet:     {},
	ActionRejectSheet:      {"reason"},
	ActionApproveReview:    {},
	ActionAgreePlan:        {},
	ActionProgress:         {},
	ActionAnnounceDelay:    {"new_delivery", "reason"},
	ActionDeliver:          {},
	ActionAcceptDelivery:   {},
	ActionRejectDelivery:   {"reason"},
	ActionRecordFollowUp:   {"response_speed", "resolution", "attitude", "professionalism", "solved", "comment"},
	ActionComplain:         {"reason"},
	ActionResolveComplaint: {"complaint_id", "resolution_text"},
	ActionRequestInfo:      {"reason"},
	ActionProvideInfo:      {},
	ActionReassign:         {"group", "assignee"},
	ActionReprioritize:     {"priority"},
	ActionCancel:           {"reason"},
	ActionNote:             {},
	ActionStopCare:         {}, // CustomerCare's only action
}

// ValidActionName reports whether name is one of SPEC §3's actions.
func ValidActionName(name string) bool { return slices.Contains(ActionNames, name) }

// DecodeAction reads an action payload strictly (unknown fields rejected)
// and checks its fields for the named action.
func DecodeAction(name string, data []byte) (Action, error) {
	if _, ok := actionFields[name]; !ok {
		return Action{}, fmt.Errorf("unknown action %q", name)
	}
	var a Action
	if len(bytes.TrimSpace(data)) == 0 || string(bytes.TrimSpace(data)) == "null" {
		data = []byte("{}")
	}
	if err := decodeStrict(bytes.NewReader(data), &a); err != nil {
		return Action{}, err
	}
	return a, a.Validate(name)
}

// Validate checks the payload for action name: common fields, the action's
// required fields, and no field belonging to another action.
func (a Action) Validate(name string) error {
	own, ok := actionFields[name]
	if !ok {
		return fmt.Errorf("unknown action %q", name)
	}
	var p Problems
	checkLine(&p, "action_id", a.ActionID, false, 128)
	checkLine(&p, "actor", a.Actor, false, maxLineLen)
	checkText(&p, "note", a.Note, name == ActionNote || name == ActionProgress)
	for _, f := range a.setFields() {
		if !slices.Contains(own, f) {
			p.add(f, "not a field of %s", name)
		}
	}
	switch name {
	case ActionSubmitSheet:
		checkText(&p, "description", a.Description, true)
		checkText(&p, "goal", a.Goal, true)
		checkText(&p, "customer_duties", a.CustomerDuties, false)
		if a.ExpectedDelivery == nil || a.ExpectedDelivery.IsZero() {
			p.add("expected_delivery", "required (RFC 3339)")
		}
	case ActionAnnounceDelay:
		if a.NewDelivery == nil || a.NewDelivery.IsZero() {
			p.add("new_delivery", "required (RFC 3339)")
		}
		checkText(&p, "reason", a.Reason, false)
	case ActionRejectSheet, ActionRejectDelivery, ActionComplain, ActionRequestInfo:
		checkText(&p, "reason", a.Reason, true)
	case ActionCancel:
		checkText(&p, "reason", a.Reason, false)
	case ActionRecordFollowUp:
		for _, s := range []struct {
			field string
			v     int
		}{{"response_speed", a.ResponseSpeed}, {"resolution", a.Resolution}, {"attitude", a.Attitude}, {"professionalism", a.Professionalism}} {
			if s.v < 1 || s.v > 5 {
				p.add(s.field, "must be a score from 1 to 5 (got %d)", s.v)
			}
		}
		checkText(&p, "comment", a.Comment, false)
	case ActionResolveComplaint:
		checkText(&p, "resolution_text", a.ResolutionText, true)
		if a.ComplaintID < 0 {
			p.add("complaint_id", "must be positive")
		}
	case ActionReassign:
		if a.Group == "" && a.Assignee == "" {
			p.add("group", "give a group, an assignee or both")
		}
		checkLine(&p, "group", a.Group, false, maxIDLen)
		checkLine(&p, "assignee", a.Assignee, false, maxLineLen)
	case ActionReprioritize:
		if !validPriority(a.Priority) {
			p.add("priority", "must be urgent or normal (got %q)", clip(a.Priority))
		}
	}
	return p.Err()
}

// setFields names the action-specific fields that carry a value.
func (a Action) setFields() []string {
	var f []string
	add := func(set bool, name string) {
		if set {
			f = append(f, name)
		}
	}
	add(a.Description != "", "description")
	add(a.Goal != "", "goal")
	add(a.ExpectedDelivery != nil, "expected_delivery")
	add(a.CustomerDuties != "", "customer_duties")
	add(a.NewDelivery != nil, "new_delivery")
	add(a.Reason != "", "reason")
	add(a.ResponseSpeed != 0, "response_speed")
	add(a.Resolution != 0, "resolution")
	add(a.Attitude != 0, "attitude")
	add(a.Professionalism != 0, "professionalism")
	add(a.Solved != nil, "solved")
	add(a.Comment != "", "comment")
	add(a.ComplaintID != 0, "complaint_id")
	add(a.ResolutionText != "", "resolution_text")
	add(a.Group != "", "group")
	add(a.Assignee != "", "assignee")
	add(a.Priority != "", "priority")
	return f
}
