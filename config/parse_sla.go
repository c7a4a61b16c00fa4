package config

import (
	"fmt"
	"strings"
	"time"

	"github.com/svcflow/svcflow/internal/calendar"
	"github.com/svcflow/svcflow/internal/policy"
)

// parseSLA checks sla.* and builds the policy set requests select from:
// the default policy (sla.deadlines + sla.vip), the ordered policies, the
// chain, the calendars and the groups' calendars. "delivery" is not
// configured: it is the committed time.
func parseSLA(ps *problems, c *Config, cals map[string]calendar.Spec) *policy.Set {
	s := c.SLA
	if !(s.WarnAt > 0 && s.WarnAt < 1) {
		ps.add("sla.warn_at", s.WarnAt, "must be a share between 0 and 1 (exclusive), e.g. 0.8")
	}
	if !(s.EscalateAt > 1) {
		ps.add("sla.escalate_at", s.EscalateAt, "must be a share above 1, e.g. 2.0")
	}
	if s.SheetRounds < 1 {
		ps.add("sla.sheet_rounds", s.SheetRounds, "must be at least 1")
	}
	if s.AcceptanceSilence != policy.AutoAccept && s.AcceptanceSilence != policy.Escalate {
		ps.add("sla.acceptance_silence", s.AcceptanceSilence, "must be auto_accept or escalate")
	}
	if s.LowScore.MaxScore < 0 || s.LowScore.MaxScore > 4 {
		ps.add("sla.low_score.max_score", s.LowScore.MaxScore, "must be between 0 (off) and 4: scores run 1-5")
	}
	if s.LowScore.MinAverage < 0 || s.LowScore.MinAverage > 5 {
		ps.add("sla.low_score.min_average", s.LowScore.MinAverage, "must be between 0 (off) and 5: scores run 1-5")
	}
	set := &policy.Set{
		WarnAt: s.WarnAt, EscalateAt: s.EscalateAt, SheetRounds: s.SheetRounds, AcceptanceSilence: s.AcceptanceSilence,
		LowScore:         policy.LowScore{MaxScore: s.LowScore.MaxScore, MinAverage: s.LowScore.MinAverage},
		MaxDeliveryAhead: parsePositiveDuration(ps, "sla.max_delivery_ahead", s.MaxDeliveryAhead),
		Escalation:       parseChain(ps, "sla.escalation", s.Escalation),
		Deadlines:        map[string]policy.Entry{},
		Calendars:        cals,
		GroupCalendars:   map[string]string{},
		Semantics:        policy.CurrentSemantics,
	}
	for _, name := range orderedKeys(s.Deadlines, policy.ConfigurableNames) {
		d := s.Deadlines[name]
		key := "sla.deadlines." + name
		if !contains(policy.ConfigurableNames, name) {
			ps.add(key, name, "unknown deadline: use one of %s", strings.Join(policy.ConfigurableNames, ", "))
			continue
		}
		clock := calendar.ClockKind(d.Clock)
		if clock != calendar.Wall && clock != calendar.Business {
			ps.add(key+".clock", d.Clock, "must be wall or business")
		}
		set.Deadlines[name] = policy.Entry{Clock: clock,
			Urgent: parseAmount(ps, key+".urgent", d.Urgent, d.Clock, true),
			Normal: parseAmount(ps, key+".normal", d.Normal, d.Clock, true)}
	}
	for _, name := range policy.ConfigurableNames {
		if _, ok := s.Deadlines[name]; !ok {
			ps.add("sla.deadlines."+name, "", "missing: every deadline needs a clock and targets")
		}
	}
	for _, name := range orderedKeys(s.VIP, policy.ConfigurableNames) {
		key := "sla.vip." + name
		if !contains(policy.ConfigurableNames, name) || name == policy.ProgressReport {
			ps.add(key, name, "unknown deadline for a VIP override")
			continue
		}
		var e policy.Entry
		for _, prio := range orderedKeys(s.VIP[name], []string{policy.Urgent, policy.Normal}) {
			pkey := key + "." + prio
			if prio != policy.Urgent && prio != policy.Normal {
				ps.add(pkey, s.VIP[name][prio], "unknown priority: use urgent or normal")
				continue
			}
			a := parseAmount(ps, pkey, s.VIP[name][prio], s.Deadlines[name].Clock, true)
			if prio == policy.Urgent {
				e.Urgent = a
			} else {
				e.Normal = a
			}
		}
		if set.VIP == nil {
			set.VIP = map[string]policy.Entry{}
		}
		set.VIP[name] = e
	}
	for _, g := range sortedKeys(c.Routing.Groups) {
		if cal := c.Routing.Groups[g].Calendar; cal != "" {
			set.GroupCalendars[g] = cal
			if _, ok := cals[cal]; !ok {
				ps.add("routing.groups."+g+".calendar", cal, "no such calendar in calendars%s", calendarNames(cals))
			}
		}
	}
	set.Policies = parsePolicies(ps, s, cals, c.Routing.Groups)
	set.QuietHours = parseQuietHours(ps, c.Notify.QuietHours, cals)
	return set
}

// parsePolicies checks sla.policies: names, conditions, calendars,
// overrides and chains.
func parsePolicies(ps *problems, s SLA, cals map[string]calendar.Spec, groups map[string]Group) []policy.Rule {
	var out []policy.Rule
	names := map[string]string{}
	for i, p := range s.Policies {
		key := fmt.Sprintf("sla.policies[%d]", i)
		switch {
		case strings.TrimSpace(p.Name) == "":
			ps.add(key+".name", p.Name, "required: a policy is named in status, search and reports")
		case p.Name == policy.DefaultPolicy:
			ps.add(key+".name", p.Name, "the name %q is the default policy's (sla.deadlines): choose another", p.Name)
		case names[p.Name] != "":
			ps.add(key+".name", p.Name, "already used by %s", names[p.Name])
		default:
			names[p.Name] = key
		}
		m := p.Match
		checkValues(ps, key+".match.tier", m.Tier, []string{policy.VIP, policy.Standard})
		checkValues(ps, key+".match.priority", m.Priority, []string{policy.Urgent, policy.Normal})
		checkValues(ps, key+".match.group", m.Group, sortedKeys(groups))
		if p.Calendar != "" {
			if _, ok := cals[p.Calendar]; !ok {
				ps.add(key+".calendar", p.Calendar, "no such calendar in calendars%s", calendarNames(cals))
			}
		}
		rule := policy.Rule{Name: p.Name, Calendar: p.Calendar, Deadlines: map[string]policy.Entry{},
			Match: policy.Match{Tier: m.Tier, Category: m.Category, Channel: m.Channel, Priority: m.Priority, Group: m.Group}}
		for _, name := range orderedKeys(p.Deadlines, policy.ConfigurableNames) {
			o := p.Deadlines[name]
			dkey := key + ".deadlines." + name
			if !contains(policy.ConfigurableNames, name) {
				ps.add(dkey, name, "unknown deadline: use one of %s", strings.Join(policy.ConfigurableNames, ", "))
				continue
			}
			clock := o.Clock
			if clock == "" {
				clock = s.Deadlines[name].Clock
			} else if clock != string(calendar.Wall) && clock != string(calendar.Business) {
				ps.add(dkey+".clock", o.Clock, "must be wall or business")
			}
			rule.Deadlines[name] = policy.Entry{Clock: calendar.ClockKind(o.Clock),
				Urgent: parseAmount(ps, dkey+".urgent", o.Urgent, clock, false),
				Normal: parseAmount(ps, dkey+".normal", o.Normal, clock, false)}
		}
		if p.Escalation != nil {
			rule.Escalation = parseChain(ps, key+".escalation", p.Escalation)
		}
		out = append(out, rule)
	}
	return out
}

// parseChain checks an escalation chain: shares rising, exactly one step at
// 1.0 (the breach), each naming parties to notify.
func parseChain(ps *problems, key string, steps []EscalationStep) []policy.Step {
	if len(steps) == 0 {
		return nil
	}
	var out []policy.Step
	breaches := 0
	for i, st := range steps {
		skey := fmt.Sprintf("%s[%d]", key, i)
		switch {
		case st.At <= 0:
			ps.add(skey+".at", st.At, "must be a share above 0 (0.5 = half the target)")
		case i > 0 && st.At <= steps[i-1].At:
			ps.add(skey+".at", st.At, "must be above the step before (%v): steps fire in order", steps[i-1].At)
		}
		if st.At == 1 {
			breaches++
		}
		if len(st.Notify) == 0 {
			ps.add(skey+".notify", "", "name at least one party (%s)", strings.Join(partyNames, ", "))
		}
		checkValues(ps, skey+".notify", st.Notify, partyNames)
		out = append(out, policy.Step{At: st.At, Notify: st.Notify})
	}
	if breaches != 1 {
		ps.add(key, fmt.Sprintf("%d steps at 1.0", breaches), "a chain needs exactly one step at 1.0: the breach")
	}
	return out
}

// parseQuietHours checks notify.quiet_hours.
func parseQuietHours(ps *problems, q QuietHours, cals map[string]calendar.Spec) *policy.QuietRule {
	checkValues(ps, "notify.quiet_hours.parties", q.Parties, partyNames)
	checkValues(ps, "notify.quiet_hours.except.priority", q.Except.Priority, []string{policy.Urgent, policy.Normal})
	if q.Calendar != "" {
		if _, ok := cals[q.Calendar]; !ok {
			ps.add("notify.quiet_hours.calendar", q.Calendar, "no such calendar (\"\" = the request's)%s", calendarNames(cals))
		}
	}
	if len(q.Parties) == 0 {
		return nil
	}
	return &policy.QuietRule{Parties: q.Parties, Calendar: q.Calendar, Except: q.Except.Priority}
}

// checkValues requires every item of list to be one of allowed.
func checkValues(ps *problems, key string, list, allowed []string) {
	for i, v := range list {
		if !contains(allowed, v) {
			ps.add(fmt.Sprintf("%s[%d]", key, i), v, "must be one of %s", strings.Join(allowed, ", "))
		}
	}
}

func calendarNames(cals map[string]calendar.Spec) string {
	return " (known: " + strings.Join(sortedKeys(cals), ", ") + ")"
}

// parseAmount parses one deadline target: a positive duration, or Nwd on a
// business clock. required false lets it be empty (nil: not set).
func parseAmount(ps *problems, key, value, clock string, required bool) *policy.Amount {
	if strings.TrimSpace(value) == "" {
		if required {
			ps.add(key, value, "missing: give a duration such as 30m or 2wd")
		}
		return nil
	}
	d, wd, err := calendar.ParseDuration(value, time.Hour)
	switch {
	case err != nil:
		ps.add(key, value, "not a duration: use Go syntax (90s, 30m, 24h) or Nwd")
	case d <= 0:
		ps.add(key, value, "must be more than 0")
	case wd && clock != string(calendar.Business):
		ps.add(key, value, "wd (working days) needs a business clock; this deadline's clock is %s", clockWord(clock))
	case wd:
		return &policy.Amount{WD: float64(d) / float64(time.Hour)}
	default:
		return &policy.Amount{D: d}
	}
	return nil
}

func clockWord(c string) string {
	if c == "" {
		return "not set"
	}
	return c
}

// parsePositiveDuration parses a Go duration above zero.
func parsePositiveDuration(ps *problems, key, value string) time.Duration {
	d, err := time.ParseDuration(value)
	switch {
	case err != nil:
		ps.add(key, value, "not a duration (e.g. 5m, 720h)")
	case d <= 0:
		ps.add(key, value, "must be more than 0")
	default:
		return d
	}
	return 0
}
