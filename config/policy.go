package config

import (
	"fmt"
	"time"

	"github.com/svcflow/svcflow/internal/calendar"
	"github.com/svcflow/svcflow/internal/policy"
)

// CalendarSpec turns calendar.* into a calendar.Spec. An empty standard_day
// is the most common length of a regular working day (ties: the longer).
func (c *Config) CalendarSpec() (calendar.Spec, error) {
	cal := c.Calendar
	spec := calendar.Spec{Zone: cal.Timezone}
	if _, err := time.LoadLocation(cal.Timezone); err != nil || cal.Timezone == "" {
		return spec, fmt.Errorf("calendar.timezone: %q is not an IANA time zone", cal.Timezone)
	}
	for day, list := range cal.Hours {
		i := weekdayIndex(day)
		if i < 0 {
			return spec, fmt.Errorf("calendar.hours.%s: unknown weekday", day)
		}
		ws, err := parseWindows("calendar.hours."+day, list)
		if err != nil {
			return spec, err
		}
		spec.Week[i] = ws
	}
	var err error
	if spec.Holidays, err = parseDays("calendar.holidays", cal.Holidays); err != nil {
		return spec, err
	}
	if spec.Workdays, err = parseDays("calendar.workdays", cal.Workdays); err != nil {
		return spec, err
	}
	if cal.StandardDay != "" {
		d, err := time.ParseDuration(cal.StandardDay)
		if err != nil || d <= 0 || d > 24*time.Hour {
			return spec, fmt.Errorf("calendar.standard_day: %q is not a duration in (0, 24h]", cal.StandardDay)
		}
		spec.StandardDay = d
	} else {
		spec.StandardDay = regularDay(spec.Week)
		if spec.StandardDay == 0 {
			return spec, fmt.Errorf("calendar.standard_day: not set and no weekday has working hours to take it from")
		}
	}
	return spec, nil
}

// regularDay is the most common non-zero length of a weekday's windows.
func regularDay(week [7][]calendar.Window) time.Duration {
	count := map[time.Duration]int{}
	for _, ws := range week {
		var total time.Duration
		for _, w := range ws {
			total += time.Duration(w.End-w.Start) * time.Second
		}
		if total > 0 {
			count[total]++
		}
	}
	var best time.Duration
	for d, n := range count {
		if n > count[best] || (n == count[best] && d > best) {
			best = d
		}
	}
	return best
}

func parseWindows(key string, list []string) ([]calendar.Window, error) {
	var out []calendar.Window
	for i, s := range list {
		w, err := calendar.ParseWindow(s)
		if err != nil {
			return nil, fmt.Errorf("%s[%d]: %q: %w", key, i, s, err)
		}
		out = append(out, w)
	}
	return out, nil
}

func parseDays(key string, list []DateEntry) ([]calendar.Day, error) {
	var out []calendar.Day
	for i, d := range list {
		k := fmt.Sprintf("%s[%d]", key, i)
		if _, err := time.Parse(time.DateOnly, d.Date); err != nil {
			return nil, fmt.Errorf("%s.date: %q is not a date YYYY-MM-DD", k, d.Date)
		}
		ws, err := parseWindows(k+".hours", d.Hours)
		if err != nil {
			return nil, err
		}
		out = append(out, calendar.Day{Date: d.Date, Windows: ws})
	}
	return out, nil
}

// Policy builds the SLA policy snapshot copied into each workflow at start.
// Every configured deadline is included (progress_report too, as the report
// interval); "delivery" is not configured: it is the committed time.
func (c *Config) Policy() (policy.Snapshot, error) {
	spec, err := c.CalendarSpec()
	if err != nil {
		return policy.Snapshot{}, err
	}
	s := c.SLA
	low := s.LowScore // zeros switch a test off; Load's defaults are 2 and 3.0
	snap := policy.Snapshot{
		Calendar:          spec,
		WarnAt:            s.WarnAt,
		EscalateAt:        s.EscalateAt,
		SheetRounds:       s.SheetRounds,
		AcceptanceSilence: s.AcceptanceSilence,
		LowScore:          policy.LowScore{MaxScore: low.MaxScore, MinAverage: low.MinAverage},
		Deadlines:         map[string]policy.Deadline{},
		MaxDeliveryAhead:  durationOr(s.MaxDeliveryAhead, 8760*time.Hour),
		Semantics:         policy.CurrentSemantics,
	}
	for name, d := range s.Deadlines {
		key := "sla.deadlines." + name
		if name == policy.Delivery {
			continue
		}
		clock := calendar.ClockKind(d.Clock)
		if clock != calendar.Wall && clock != calendar.Business {
			return policy.Snapshot{}, fmt.Errorf("%s.clock: %q is not wall or business", key, d.Clock)
		}
		t, err := targets(key, d.Urgent, d.Normal, clock, spec.StandardDay)
		if err != nil {
			return policy.Snapshot{}, err
		}
		snap.Deadlines[name] = policy.Deadline{Clock: clock, Targets: t}
	}
	for name, byPrio := range s.VIP {
		d, ok := snap.Deadlines[name]
		if !ok {
			return policy.Snapshot{}, fmt.Errorf("sla.vip.%s: not a configured deadline", name)
		}
		t, err := targets("sla.vip."+name, byPrio[policy.Urgent], byPrio[policy.Normal], d.Clock, spec.StandardDay)
		if err != nil {
			return policy.Snapshot{}, err
		}
		if snap.VIP == nil {
			snap.VIP = map[string]policy.Targets{}
		}
		snap.VIP[name] = t
	}
	return snap, nil
}

// targets parses the urgent and normal targets of one deadline; an empty
// one stays zero (not set).
func targets(key, urgent, normal string, clock calendar.ClockKind, std time.Duration) (policy.Targets, error) {
	var t policy.Targets
	for _, f := range []struct {
		name, value string
		dst         *time.Duration
	}{{"urgent", urgent, &t.Urgent}, {"normal", normal, &t.Normal}} {
		if f.value == "" {
			continue
		}
		d, wd, err := calendar.ParseDuration(f.value, std)
		if err != nil {
			return t, fmt.Errorf("%s.%s: %q: %w", key, f.name, f.value, err)
		}
		if wd && clock != calendar.Business {
			return t, fmt.Errorf("%s.%s: %q: wd needs a business clock", key, f.name, f.value)
		}
		if d <= 0 {
			return t, fmt.Errorf("%s.%s: %q: must be more than 0", key, f.name, f.value)
		}
		*f.dst = d
	}
	return t, nil
}

// SubmittedBounds are intake.max_clock_skew and intake.max_backdate (5m and
// 720h when unset or invalid; Validate reports invalid values).
func (c *Config) SubmittedBounds() (skew, backdate time.Duration) {
	return durationOr(c.Intake.MaxClockSkew, 5*time.Minute), durationOr(c.Intake.MaxBackdate, 720*time.Hour)
}

func durationOr(s string, def time.Duration) time.Duration {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return def
	}
	return d
}

// MaxBodyBytes is intake.max_body in bytes (64 KiB when unset or invalid;
// Validate reports invalid values).
func (c *Config) MaxBodyBytes() int64 {
	n, err := ParseSize(c.Intake.MaxBody)
	if err != nil || n <= 0 {
		return 64 << 10
	}
	return n
}

// WebhookTimeout is notify.webhook.timeout (5s when unset or invalid;
// Validate reports invalid values).
func (c *Config) WebhookTimeout() time.Duration {
	d, err := time.ParseDuration(c.Notify.Webhook.Timeout)
	if err != nil || d <= 0 {
		return 5 * time.Second
	}
	return d
}
