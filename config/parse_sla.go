package config

import (
	"strings"
	"time"

	"github.com/svcflow/svcflow/internal/calendar"
	"github.com/svcflow/svcflow/internal/policy"
)

// parseSLA checks sla.* and builds the policy snapshot a new request copies:
// every configured deadline (progress_report too, as the report interval);
// "delivery" is not configured, it is the committed time. cal is the
// calendar the snapshot carries (its standard day reads "wd").
func parseSLA(ps *problems, s SLA, cal calendar.Spec) policy.Snapshot {
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
	ahead := parsePositiveDuration(ps, "sla.max_delivery_ahead", s.MaxDeliveryAhead)

	snap := policy.Snapshot{
		Calendar:          cal,
		WarnAt:            s.WarnAt,
		EscalateAt:        s.EscalateAt,
		SheetRounds:       s.SheetRounds,
		AcceptanceSilence: s.AcceptanceSilence,
		LowScore:          policy.LowScore{MaxScore: s.LowScore.MaxScore, MinAverage: s.LowScore.MinAverage},
		Deadlines:         map[string]policy.Deadline{},
		MaxDeliveryAhead:  ahead,
		Semantics:         policy.CurrentSemantics,
	}
	std := cal.StandardDay
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
		t := policy.Targets{
			Urgent: parseTarget(ps, key+".urgent", d.Urgent, d.Clock, std, true),
			Normal: parseTarget(ps, key+".normal", d.Normal, d.Clock, std, true),
		}
		snap.Deadlines[name] = policy.Deadline{Clock: clock, Targets: t}
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
		var t policy.Targets
		for _, prio := range orderedKeys(s.VIP[name], []string{policy.Urgent, policy.Normal}) {
			pkey := key + "." + prio
			if prio != policy.Urgent && prio != policy.Normal {
				ps.add(pkey, s.VIP[name][prio], "unknown priority: use urgent or normal")
				continue
			}
			v := parseTarget(ps, pkey, s.VIP[name][prio], s.Deadlines[name].Clock, std, true)
			if prio == policy.Urgent {
				t.Urgent = v
			} else {
				t.Normal = v
			}
		}
		if snap.VIP == nil {
			snap.VIP = map[string]policy.Targets{}
		}
		snap.VIP[name] = t
	}
	return snap
}

// parseTarget parses one deadline target: a positive duration, "wd" only on
// a business clock. required false lets it be empty (zero: not set).
func parseTarget(ps *problems, key, value, clock string, std time.Duration, required bool) time.Duration {
	if strings.TrimSpace(value) == "" {
		if required {
			ps.add(key, value, "missing: give a duration such as 30m or 2wd")
		}
		return 0
	}
	d, wd, err := calendar.ParseDuration(value, std)
	switch {
	case err != nil:
		ps.add(key, value, "not a duration: use Go syntax (90s, 30m, 24h) or Nwd")
	case d <= 0:
		ps.add(key, value, "must be more than 0")
	case wd && clock != string(calendar.Business):
		ps.add(key, value, "wd (working days) needs a business clock; this deadline's clock is %s", clockWord(clock))
	default:
		return d
	}
	return 0
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
