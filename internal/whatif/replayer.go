package whatif

import (
	"github.com/svcflow/svcflow/internal/calendar"
	"github.com/svcflow/svcflow/internal/policy"
)

// Replayer replays requests one after another under one policy, keeping
// the snapshots and calendars it selected; not for concurrent use.
type Replayer struct {
	p     Policy
	snaps map[snapKey]selected
	dec   decoder
}

type snapKey struct {
	attrs     policy.Attrs
	semantics int
}

// selected is a snapshot and its calendar, built once.
type selected struct {
	snap policy.Snapshot
	cal  *calendar.Calendar
	err  error
}

// NewReplayer replays under p.
func NewReplayer(p Policy) *Replayer { return &Replayer{p: p, snaps: map[snapKey]selected{}} }

// route is the group the policy's routing gives at intake.
func (rp *Replayer) route(a policy.Attrs) string {
	if rp.p.Route == nil {
		return a.Group
	}
	return rp.p.Route(a)
}

// selectFor is the snapshot a's attributes select, under the engine rules
// version sem, and its calendar.
func (rp *Replayer) selectFor(a policy.Attrs, sem int) selected {
	k := snapKey{a, sem}
	if s, ok := rp.snaps[k]; ok {
		return s
	}
	s := selected{snap: rp.p.Set.Select(a)}
	s.snap.Semantics = sem
	for _, o := range rp.snaps { // calendars are shared by name
		if o.cal != nil && o.snap.CalendarName == s.snap.CalendarName {
			s.cal = o.cal
			break
		}
	}
	if s.cal == nil {
		s.cal, s.err = calendar.New(s.snap.Calendar)
	}
	rp.snaps[k] = s
	return s
}
