package teststack

import (
	"time"

	"github.com/svcflow/svcflow/workflows"
)

// Request is a valid start input of a standard, normal, non-complex
// request: the one every drill and benchmark lifecycle starts.
func Request(id string) workflows.Request {
	return workflows.Request{
		RequestID: id,
		Customer:  workflows.Customer{ID: "cust-" + id, Name: "Test Customer", Email: "customer@example.com", Tier: "standard", Locale: "en"},
		Channel:   "web", Category: "printer", Priority: "normal",
		Title: "Printer jams", Description: "Paper jams on every second page.",
	}
}

// Step is one action of a lifecycle and the stage it leads to.
type Step struct {
	Name   string // action (update or signal) name
	Action workflows.Action
	Stage  string // the stage after it
}

// HappyPath is the lifecycle of a Request from start to close: the actions
// of a non-complex request's happy path, each with an action ID so that a
// retried delivery is applied once.
func HappyPath(id string) []Step {
	due := time.Now().Add(72 * time.Hour).UTC().Truncate(time.Second)
	solved := true
	aid := func(s string) string { return id + "-" + s }
	return []Step{
		{workflows.ActionRespond, workflows.Action{ActionID: aid("respond"), Actor: "agent", Note: "received"}, workflows.StageAnalysis},
		{workflows.ActionSubmitSheet, workflows.Action{ActionID: aid("sheet"), Actor: "agent", Description: "replace the feed roller", Goal: "no jams",
			ExpectedDelivery: &due, CustomerDuties: "site access"}, workflows.StageAwaitingConfirmation},
		{workflows.ActionConfirmSheet, workflows.Action{ActionID: aid("confirm"), Actor: "customer"}, workflows.StagePlanning},
		{workflows.ActionAgreePlan, workflows.Action{ActionID: aid("agree"), Actor: "customer"}, workflows.StageInProgress},
		{workflows.ActionProgress, workflows.Action{ActionID: aid("progress"), Actor: "agent", Note: "parts ordered"}, workflows.StageInProgress},
		{workflows.ActionDeliver, workflows.Action{ActionID: aid("deliver"), Actor: "agent"}, workflows.StageAwaitingAcceptance},
		{workflows.ActionAcceptDelivery, workflows.Action{ActionID: aid("accept"), Actor: "customer"}, workflows.StageFollowUp},
		{workflows.ActionRecordFollowUp, workflows.Action{ActionID: aid("followup"), Actor: "agent",
			ResponseSpeed: 5, Resolution: 5, Attitude: 4, Professionalism: 5, Solved: &solved, Comment: "fine"}, workflows.StageClosed},
	}
}

// HappyEvents are the event kinds a completed HappyPath records once each.
func HappyEvents() []string {
	var out []string
	for _, s := range HappyPath("x") {
		out = append(out, "action."+s.Name)
	}
	return out
}

// HappyNotifications are the notifications (kind/party) a completed
// HappyPath sends once each.
var HappyNotifications = []string{"receipt/customer", "assignment/assignee", "sheet/customer", "delivery/customer", "survey_request/customer"}
