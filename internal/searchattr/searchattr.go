// Package searchattr defines the CONTRACT §7 custom search attributes and registers missing ones.
package searchattr

import (
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
)

// The custom search attributes of CONTRACT §7, kept current by the workflow.
var (
	RequestID       = temporal.NewSearchAttributeKeyKeyword("RequestId")
	CustomerID      = temporal.NewSearchAttributeKeyKeyword("CustomerId")
	CustomerTier    = temporal.NewSearchAttributeKeyKeyword("CustomerTier")
	Priority        = temporal.NewSearchAttributeKeyKeyword("Priority")
	Stage           = temporal.NewSearchAttributeKeyKeyword("Stage")
	AssignedGroup   = temporal.NewSearchAttributeKeyKeyword("AssignedGroup")
	SlaBreached     = temporal.NewSearchAttributeKeyBool("SlaBreached")
	NextDeadline    = temporal.NewSearchAttributeKeyTime("NextDeadline")
	EscalationLevel = temporal.NewSearchAttributeKeyInt64("EscalationLevel")
	SlaPolicy       = temporal.NewSearchAttributeKeyKeyword("SlaPolicy")
)

// All lists every custom search attribute in CONTRACT §7 order.
func All() []temporal.SearchAttributeKey {
	return []temporal.SearchAttributeKey{
		RequestID, CustomerID, CustomerTier, Priority, Stage, AssignedGroup,
		SlaBreached, NextDeadline, EscalationLevel, SlaPolicy,
	}
}

// Types maps each attribute name to its indexed type.
func Types() map[string]enumspb.IndexedValueType {
	m := make(map[string]enumspb.IndexedValueType, len(All()))
	for _, k := range All() {
		m[k.GetName()] = k.GetValueType()
	}
	return m
}

// TypeName is the type as the temporal CLI writes it (Keyword, Bool,
// Datetime, Int), e.g. for `--search-attribute Name=Type`.
func TypeName(k temporal.SearchAttributeKey) string { return k.GetValueType().String() }

// CLIFlags are the `temporal server start-dev` flags registering every
// attribute: --search-attribute RequestId=Keyword ...
func CLIFlags() []string {
	var out []string
	for _, k := range All() {
		out = append(out, "--search-attribute", k.GetName()+"="+TypeName(k))
	}
	return out
}
