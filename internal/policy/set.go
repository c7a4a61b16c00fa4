package policy

import (
	"slices"
	"time"

	"github.com/svcflow/svcflow/internal/calendar"
)

// Amount is a target as configured: a duration, or WD standard working days
// (resolved with the standard day of the calendar the deadline counts in).
type Amount struct {
	D  time.Duration
	WD float64
}

// In resolves the amount with a standard working day.
func (a Amount) In(std time.Duration) time.Duration {
	if a.WD > 0 {
		return time.Duration(float64(std)*a.WD + 0.5)
	}
	return a.D
}

// Entry is one configured deadline: its clock and targets (nil: not set).
type Entry struct {
	Clock  calendar.ClockKind
	Urgent *Amount
	Normal *Amount
}

// Match is the condition of a policy or routing rule: a field left empty
// matches anything, a list matches any of its values.
type Match struct {
	Tier, Category, Channel, Priority, Group []string
}

// Matches reports whether the request's attributes meet m.
func (m Match) Matches(a Attrs) bool {
	in := func(list []string, v string) bool { return len(list) == 0 || slices.Contains(list, v) }
	return in(m.Tier, a.Tier) && in(m.Category, a.Category) && in(m.Channel, a.Channel) && in(m.Priority, a.Priority) && in(m.Group, a.Group)
}

// Attrs are the attributes of a request a policy is selected by.
type Attrs struct {
	Tier, Category, Channel, Priority, Group string
}

// Rule is one policy of sla.policies: its condition and what it overrides.
type Rule struct {
	Name       string
	Match      Match
	Calendar   string           // "" : the group's calendar, else the default
	Deadlines  map[string]Entry // overrides: a clock or target left unset keeps the default's
	Escalation []Step           // nil: the top-level chain
}

// QuietRule is notify.quiet_hours as configured.
type QuietRule struct {
	Parties  []string
	Calendar string // "" : the request's calendar
	Except   []string
}

// Set is every SLA policy of a configuration: the default (sla.deadlines +
// sla.vip), the ordered policies, the calendars and which group keeps
// which. Select picks the snapshot a request copies.
type Set struct {
	WarnAt, EscalateAt float64
	SheetRounds        int
	AcceptanceSilence  string
	LowScore           LowScore
	MaxDeliveryAhead   time.Duration
	Escalation         []Step // top-level chain (nil: the shorthand)
	Deadlines          map[string]Entry
	VIP                map[string]Entry // overrides of the default policy for VIP customers (clock unused)
	Policies           []Rule
	Calendars          map[string]calendar.Spec // by name; DefaultCalendar is calendar
	GroupCalendars     map[string]string        // routing.groups.<g>.calendar
	QuietHours         *QuietRule
	Semantics          int // of the snapshots it gives (config: CurrentSemantics)
}

// Select returns the snapshot for a request: the first policy whose match
// holds (none: the default), counting in the policy's calendar, else the
// group's, else the default calendar.
func (s *Set) Select(a Attrs) Snapshot {
	var rule *Rule
	for i := range s.Policies {
		if s.Policies[i].Match.Matches(a) {
			rule = &s.Policies[i]
			break
		}
	}
	calName := DefaultCalendar
	if g := s.GroupCalendars[a.Group]; g != "" {
		calName = g
	}
	if rule != nil && rule.Calendar != "" {
		calName = rule.Calendar
	}
	return s.build(rule, calName)
}

// Default is the default policy counting in the default calendar.
func (s *Set) Default() Snapshot { return s.build(nil, DefaultCalendar) }

// build is the snapshot of rule (nil: the default policy) in calendar calName.
func (s *Set) build(rule *Rule, calName string) Snapshot {
	cal := s.Calendars[calName]
	snap := Snapshot{
		Name: DefaultPolicy, CalendarName: calName, Calendar: cal,
		WarnAt: s.WarnAt, EscalateAt: s.EscalateAt, SheetRounds: s.SheetRounds,
		AcceptanceSilence: s.AcceptanceSilence, LowScore: s.LowScore,
		MaxDeliveryAhead: s.MaxDeliveryAhead, Semantics: s.Semantics,
		Escalation: s.Escalation, Deadlines: map[string]Deadline{},
	}
	for name, e := range s.Deadlines {
		snap.Deadlines[name] = resolve(e, cal.StandardDay)
	}
	if rule == nil {
		for name, e := range s.VIP {
			if snap.VIP == nil {
				snap.VIP = map[string]Targets{}
			}
			snap.VIP[name] = resolve(e, cal.StandardDay).Targets
		}
	} else {
		snap.Name = rule.Name
		for name, o := range rule.Deadlines {
			e := s.Deadlines[name]
			if o.Clock != "" {
				e.Clock = o.Clock
			}
			if o.Urgent != nil {
				e.Urgent = o.Urgent
			}
			if o.Normal != nil {
				e.Normal = o.Normal
			}
			snap.Deadlines[name] = resolve(e, cal.StandardDay)
		}
		if rule.Escalation != nil {
			snap.Escalation = rule.Escalation
		}
	}
	if q := s.QuietHours; q != nil {
		qh := &QuietHours{Parties: q.Parties, Except: q.Except}
		if q.Calendar != "" {
			spec := s.Calendars[q.Calendar]
			qh.Calendar = &spec
		}
		snap.QuietHours = qh
	}
	return snap
}

func resolve(e Entry, std time.Duration) Deadline {
	d := Deadline{Clock: e.Clock}
	if e.Urgent != nil {
		d.Urgent = e.Urgent.In(std)
	}
	if e.Normal != nil {
		d.Normal = e.Normal.In(std)
	}
	return d
}

// SetOf is the set with snap as its only (default) policy: tests and tools
// that hold one snapshot.
func SetOf(snap Snapshot) *Set {
	s := &Set{
		WarnAt: snap.WarnAt, EscalateAt: snap.EscalateAt, SheetRounds: snap.SheetRounds,
		AcceptanceSilence: snap.AcceptanceSilence, LowScore: snap.LowScore, MaxDeliveryAhead: snap.MaxDeliveryAhead,
		Escalation: snap.Escalation, Deadlines: map[string]Entry{}, Semantics: snap.Semantics,
		Calendars: map[string]calendar.Spec{DefaultCalendar: snap.Calendar},
	}
	amount := func(d time.Duration) *Amount {
		if d == 0 {
			return nil
		}
		return &Amount{D: d}
	}
	for name, d := range snap.Deadlines {
		s.Deadlines[name] = Entry{Clock: d.Clock, Urgent: amount(d.Urgent), Normal: amount(d.Normal)}
	}
	for name, t := range snap.VIP {
		if s.VIP == nil {
			s.VIP = map[string]Entry{}
		}
		s.VIP[name] = Entry{Urgent: amount(t.Urgent), Normal: amount(t.Normal)}
	}
	return s
}
