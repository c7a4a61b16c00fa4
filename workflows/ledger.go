package workflows

import "fmt"

// AppliedAction is one action_id the request has applied: the action it
// named, the fingerprint of its payload and the sequence of its event.
type AppliedAction struct {
	ID     string `json:"id"`
	Action string `json:"action,omitempty"` // "" for IDs carried from runs that kept no more than the ID
	Print  string `json:"print,omitempty"`
	Seq    int64  `json:"seq,omitempty"`
}

// idConflictError refuses an action_id reused for another action or payload.
type idConflictError struct {
	id, action string
	sameName   bool
}

func (e *idConflictError) Error() string {
	if e.sameName {
		return fmt.Sprintf("action_id %s was already used for %s with other fields", e.id, e.action)
	}
	return fmt.Sprintf("action_id %s was already used for %s", e.id, e.action)
}

// ledger is the set of applied action IDs of a run (carried in State).
type ledger map[string]AppliedAction

// restoreLedger rebuilds the ledger from the carried state; IDs of an older
// state shape (IDs only) become entries without a fingerprint, which every
// repeat matches, as before.
func restoreLedger(s *State) ledger {
	l := ledger{}
	for _, id := range s.SeenActions {
		s.Applied = append(s.Applied, AppliedAction{ID: id})
	}
	s.SeenActions = nil
	for _, e := range s.Applied {
		l[e.ID] = e
	}
	return l
}

// lookup returns the earlier application of a's action_id, if any, and an
// *idConflictError when it named another action or payload.
func (l ledger) lookup(name string, a Action) (*AppliedAction, error) {
	if a.ActionID == "" {
		return nil, nil
	}
	prev, ok := l[a.ActionID]
	if !ok {
		return nil, nil
	}
	if prev.Print == "" || prev.Print == a.Fingerprint(name) {
		return &prev, nil
	}
	return &prev, &idConflictError{id: a.ActionID, action: prev.Action, sameName: prev.Action == name}
}

// add records a's action_id as applied by the event seq.
func (l ledger) add(s *State, name string, a Action, seq int64) {
	if a.ActionID == "" {
		return
	}
	e := AppliedAction{ID: a.ActionID, Action: name, Print: a.Fingerprint(name), Seq: seq}
	s.Applied = append(s.Applied, e)
	l[e.ID] = e
}
