package sla

import "time"

// FactKind is what happened to a deadline.
type FactKind int

// The facts the engine reports for the workflow to record.
const (
	FactStarted    FactKind = iota // a deadline instance opened (Due: its due time, when known)
	FactMet                        // its action happened (Late: after the breach; WithinLead: a delay notice met by its commitment)
	FactCancelled                  // it no longer applies
	FactWarning                    // a warning step fired (Warning: its number; Parties; Customer: a reminder to the customer)
	FactBreach                     // the breach step fired: level 1 (Parties)
	FactEscalation                 // an escalation step fired (Level; Parties)
	FactVoid                       // the customer's confirmation time ran out: the sheet is void (the deadline is closed)
	FactAutoAccept                 // the customer's acceptance time ran out under auto_accept
	FactUpdated                    // its due time or state changed (pause, resume, reprioritize, policy)
)

// Fact is one thing the workflow records: an event, a deadline row, and for
// warnings, breaches and escalations the parties to notify.
type Fact struct {
	Kind       FactKind
	D          *Deadline
	Due        time.Time // FactStarted: the due time (zero while paused)
	Level      int
	Warning    int
	Parties    []string
	Customer   bool
	Late       bool
	WithinLead bool
	// At is when a fired step fell due (warning, breach, escalation, void,
	// auto-accept): the fire delay is the instant recorded minus At.
	At time.Time
}
