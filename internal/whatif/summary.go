package whatif

import (
	"bytes"
	"encoding/json"
	"slices"
	"sort"
	"time"

	"github.com/svcflow/svcflow/internal/policy"
	"github.com/svcflow/svcflow/internal/report"
)

// Summary is what-if's answer (CONTRACT §10): per deadline name the
// instances settled as recorded and the breaches recorded and under the
// policy tried; the instances whose outcome changes; the report's headline
// SLA figures both ways. Its JSON is exactly {"deadlines", "changes",
// "figures"}; the other fields are for people and the self-check.
type Summary struct {
	Deadlines []DeadlineCount `json:"deadlines"`
	Changes   []Change        `json:"changes"`
	Figures   Figures         `json:"figures"`

	Requests  int `json:"-"` // requests replayed
	Instances int `json:"-"` // deadline instances replayed
	// Moved counts the instances that keep their outcome but not their due
	// time; Differences those whose outcome or due time differs (0 under the
	// policy the requests ran with: the self-check). FirstDifferences lists
	// the first MaxKept of them, MaxDueDelta is the largest due time
	// difference of any instance.
	Moved            int           `json:"-"`
	Differences      int           `json:"-"`
	FirstDifferences []Change      `json:"-"`
	MaxDueDelta      time.Duration `json:"-"`
}

// MaxKept bounds Summary.FirstDifferences.
const MaxKept = 100

// DeadlineCount is one deadline name's line.
type DeadlineCount struct {
	Name             string `json:"name"`
	Settled          int64  `json:"settled"` // met or breached, as recorded
	BreachedRecorded int64  `json:"breached_recorded"`
	BreachedWhatIf   int64  `json:"breached_whatif"`
}

// Side is "customer" for confirmation and acceptance, else "team".
func (d DeadlineCount) Side() string {
	if report.CustomerSide[d.Name] {
		return report.SideCustomer
	}
	return report.SideTeam
}

// Change is one instance whose outcome differs under the policy tried.
type Change struct {
	RequestID string `json:"request_id"`
	Instance
	pos int // the request's place in the stream, for a stable order
}

// Figures are the headline figures as recorded and under the policy tried.
type Figures struct {
	Recorded FigureSet `json:"recorded"`
	WhatIf   FigureSet `json:"whatif"`
}

// FigureSet is report.SLAFigures; its JSON is an object by figure key
// ("sla.response", "sla.team").
type FigureSet []report.Figure

// MarshalJSON writes the figures as an object by key, in order.
func (fs FigureSet) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range fs {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.Key)
		v, err := json.Marshal(f)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Tally adds replayed requests up; tallies of parts of a stream merge.
type Tally struct {
	requests, instances int
	byName              map[string]*count
	changes, diffs      []Change
	moved, differences  int
	maxDelta            time.Duration
}

type count struct {
	settled                   int64
	recMet, recBreached       int64
	whatIfMet, whatIfBreached int64
}

// NewTally is an empty tally.
func NewTally() *Tally { return &Tally{byName: map[string]*count{}} }

// Add counts request r, the pos-th of the stream.
func (t *Tally) Add(pos int, r Replayed) {
	t.requests++
	for _, in := range r.Instances {
		t.instances++
		c := t.byName[in.Name]
		if c == nil {
			c = &count{}
			t.byName[in.Name] = c
		}
		switch in.Recorded.Outcome {
		case Met:
			c.settled++
			c.recMet++
		case Breached:
			c.settled++
			c.recBreached++
		}
		switch in.WhatIf.Outcome {
		case Met:
			c.whatIfMet++
		case Breached:
			c.whatIfBreached++
		}
		t.maxDelta = max(t.maxDelta, in.DueDelta())
		if in.Same() {
			continue
		}
		ch := Change{RequestID: r.RequestID, Instance: in, pos: pos}
		t.differences++
		if len(t.diffs) < MaxKept {
			t.diffs = append(t.diffs, ch)
		}
		if in.SameOutcome() {
			t.moved++
		} else {
			t.changes = append(t.changes, ch)
		}
	}
}

// Merge adds o to t.
func (t *Tally) Merge(o *Tally) {
	t.requests += o.requests
	t.instances += o.instances
	for name, oc := range o.byName {
		c := t.byName[name]
		if c == nil {
			c = &count{}
			t.byName[name] = c
		}
		c.settled += oc.settled
		c.recMet += oc.recMet
		c.recBreached += oc.recBreached
		c.whatIfMet += oc.whatIfMet
		c.whatIfBreached += oc.whatIfBreached
	}
	t.changes = append(t.changes, o.changes...)
	t.diffs = append(t.diffs, o.diffs...)
	t.moved += o.moved
	t.differences += o.differences
	t.maxDelta = max(t.maxDelta, o.maxDelta)
}

// Summary is the answer: every deadline name of CONTRACT §8 in process
// order (then any other name recorded), the changes in stream order.
func (t *Tally) Summary() *Summary {
	s := &Summary{Requests: t.requests, Instances: t.instances, Moved: t.moved, Differences: t.differences, MaxDueDelta: t.maxDelta, Changes: []Change{}}
	names := slices.Clone(policy.DeadlineNames)
	var extra []string
	for name := range t.byName {
		if !slices.Contains(names, name) {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	var resp, team [2]report.Settled
	for _, name := range append(names, extra...) {
		c := t.byName[name]
		if c == nil {
			c = &count{}
		}
		s.Deadlines = append(s.Deadlines, DeadlineCount{Name: name, Settled: c.settled, BreachedRecorded: c.recBreached, BreachedWhatIf: c.whatIfBreached})
		if report.CustomerSide[name] {
			continue
		}
		both := [2]report.Settled{{Met: c.recMet, Breached: c.recBreached}, {Met: c.whatIfMet, Breached: c.whatIfBreached}}
		for i := range both {
			team[i].Met += both[i].Met
			team[i].Breached += both[i].Breached
			if name == policy.Response {
				resp[i] = both[i]
			}
		}
	}
	s.Figures = Figures{Recorded: report.SLAFigures(resp[0], team[0]), WhatIf: report.SLAFigures(resp[1], team[1])}
	order := func(list []Change) []Change {
		sort.SliceStable(list, func(i, j int) bool { return list[i].pos < list[j].pos })
		return list
	}
	s.Changes = append(s.Changes, order(t.changes)...)
	s.FirstDifferences = order(t.diffs)
	if len(s.FirstDifferences) > MaxKept {
		s.FirstDifferences = s.FirstDifferences[:MaxKept]
	}
	return s
}
