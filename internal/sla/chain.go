package sla

import (
	"github.com/svcflow/svcflow/internal/policy"
)

// Parties of the shorthand chain.
const (
	partyAssignee   = "assignee"
	partySupervisor = "supervisor"
	partyManager    = "manager"
	partyCustomer   = "customer"
)

// StepKind is what a chain step is.
type StepKind int

// Step kinds, in the order they fire at one instant.
const (
	StepWarning StepKind = iota
	StepBreach
	StepEscalation
)

// step is one step of a deadline's chain, resolved.
type step struct {
	share   float64
	kind    StepKind
	level   int // breach 1, escalations 2, 3, ...
	warning int // warnings 1, 2, ... (their order)
	parties []string
}

// chain is the escalation chain of a snapshot, resolved once.
type chain []step

// newChain resolves the snapshot's chain: its steps, or the shorthand.
func newChain(p *policy.Snapshot) chain {
	if len(p.Escalation) == 0 {
		return chain{
			{share: p.WarnAt, kind: StepWarning, warning: 1, parties: []string{partyAssignee}},
			{share: 1, kind: StepBreach, level: 1, parties: []string{partySupervisor}},
			{share: p.EscalateAt, kind: StepEscalation, level: 2, parties: []string{partyManager}},
		}
	}
	c := make(chain, 0, len(p.Escalation))
	level, warnings := 1, 0
	for _, s := range p.Escalation {
		st := step{share: s.At, parties: s.Notify}
		switch {
		case s.At < 1:
			warnings++
			st.kind, st.warning = StepWarning, warnings
		case s.At == 1:
			st.kind, st.level = StepBreach, 1
		default:
			level++
			st.kind, st.level = StepEscalation, level
		}
		c = append(c, st)
	}
	return c
}
