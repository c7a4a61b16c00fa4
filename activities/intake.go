package activities

import (
	"context"
	"time"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/policy"
)

// ResolveIntakeName is the registered name of ResolveIntake.
const (
	ResolveIntakeName = "ResolveIntake"
	ResolvePolicyName = "ResolvePolicy"
)

// IntakeInput is what routing and the policies match on.
type IntakeInput struct {
	Category string `json:"category"`
	Tier     string `json:"tier"`
	Priority string `json:"priority"`
	Channel  string `json:"channel,omitempty"`
}

// IntakeResult is the policy snapshot and routing decision a workflow keeps.
type IntakeResult struct {
	Policy policy.Snapshot `json:"policy"`
	Group  string          `json:"group"`
	// Groups is every configured group with who is told what, so reassign
	// can be checked in the workflow without reading config.
	Groups map[string]Contacts `json:"groups"`
	// LocalParties: parties reached by the log channel only.
	LocalParties []string `json:"local_parties,omitempty"`
	// NotifyInline: the request's notifications ride on the record local
	// activity (Transition.Inline); false in results recorded before it.
	NotifyInline bool `json:"notify_inline,omitempty"`
	// Rules are the intake's bounds on the start input (nil in results
	// recorded before they existed: such runs are not checked again).
	Rules *IntakeRules `json:"rules,omitempty"`
}

// Contacts are who is told what in one service group (the assignee's
// group address, the supervisor, the manager).
type Contacts struct {
	Email      string `json:"email"`
	Supervisor string `json:"supervisor"`
	Manager    string `json:"manager"`
}

// IntakeRules bound a start input beyond its shape: submitted_at at most
// MaxClockSkew in the future and MaxBackdate in the past.
type IntakeRules struct {
	MaxClockSkew time.Duration `json:"max_clock_skew"`
	MaxBackdate  time.Duration `json:"max_backdate"`
}

// ResolveIntake routes the request (the first rule that matches wins, else
// the default group) and snapshots the SLA policy it selects.
func (a *Activities) ResolveIntake(_ context.Context, in IntakeInput) (IntakeResult, error) {
	group := Route(a.Routing, in)
	pol := a.Policies.Select(policy.Attrs{Tier: in.Tier, Category: in.Category, Channel: in.Channel, Priority: in.Priority, Group: group})
	groups := make(map[string]Contacts, len(a.Routing.Groups))
	for name, g := range a.Routing.Groups {
		groups[name] = Contacts{Email: g.Email, Supervisor: g.Supervisor, Manager: g.Manager}
	}
	res := IntakeResult{Policy: pol, Group: group, Groups: groups, LocalParties: a.LocalParties, NotifyInline: a.NotifyInline}
	if a.Intake != (IntakeRules{}) {
		rules := a.Intake
		res.Rules = &rules
	}
	return res, nil
}

// Route applies the routing rules of CONTRACT §4 in order.
func Route(r config.Routing, in IntakeInput) string {
	for _, rule := range r.Rules {
		m := policy.Match{Category: rule.Match.Category, Tier: rule.Match.Tier, Priority: rule.Match.Priority}
		if m.Matches(policy.Attrs{Category: in.Category, Tier: in.Tier, Priority: in.Priority}) {
			return rule.Group
		}
	}
	return r.DefaultGroup
}

// PolicyInput is what apply_policy selects by: the request's current
// attributes.
type PolicyInput struct {
	Tier     string `json:"tier"`
	Category string `json:"category"`
	Channel  string `json:"channel"`
	Priority string `json:"priority"`
	Group    string `json:"group"`
}

// ResolvePolicy selects the policy of the worker's current configuration
// for a running request's attributes (apply_policy).
func (a *Activities) ResolvePolicy(_ context.Context, in PolicyInput) (policy.Snapshot, error) {
	return a.Policies.Select(policy.Attrs{Tier: in.Tier, Category: in.Category, Channel: in.Channel, Priority: in.Priority, Group: in.Group}), nil
}
