package config

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // zones work on machines without a zoneinfo database

	"github.com/jackc/pgx/v5"

	"github.com/svcflow/svcflow/internal/calendar"
	"github.com/svcflow/svcflow/internal/policy"
)

// Problem is one thing wrong with a configuration: the key (dotted path as
// written in the file, list items as [i]), its value (secrets redacted) and
// why it is wrong.
type Problem struct {
	Key   string `json:"key"`
	Value string `json:"value"`
	Why   string `json:"why"`
}

// String renders the problem as "key: value: why".
func (p Problem) String() string {
	v := p.Value
	if v == "" {
		v = `""`
	}
	return p.Key + ": " + v + ": " + p.Why
}

// ValidationError lists every problem of a configuration at once.
type ValidationError struct {
	File     string // the file read ("" when only defaults applied)
	Problems []Problem
}

// Error lists the problems one per line, each "key: value: why".
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Channels and parties of notify.parties.
var (
	partyNames   = []string{"customer", "assignee", "supervisor", "manager"}
	channelNames = append([]string{"log", "email", "webhook"}, RobotChannels...)
)

// weekdayKeys are the keys of calendar.hours, indexed by time.Weekday.
var weekdayKeys = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// problems collects problems with their values redacted.
type problems []Problem

func (ps *problems) add(key string, value any, format string, args ...any) {
	*ps = append(*ps, Problem{Key: key, Value: redactValue(key, fmt.Sprint(value)), Why: fmt.Sprintf(format, args...)})
}

// Validate checks the whole configuration and returns a *ValidationError
// listing every problem, or nil.
func (c *Config) Validate() error {
	var ps problems
	c.validateTemporal(&ps)
	c.validatePostgres(&ps)
	std := c.validateCalendar(&ps)
	c.validateSLA(&ps, std)
	c.validateRouting(&ps)
	c.validateIntake(&ps)
	c.validateNotify(&ps)
	c.validateWorker(&ps)
	if len(ps) == 0 {
		return nil
	}
	return &ValidationError{Problems: ps}
}

func (c *Config) validateTemporal(ps *problems) {
	t := c.Temporal
	checkHostPort(ps, "temporal.address", t.Address, true)
	if strings.TrimSpace(t.Namespace) == "" {
		ps.add("temporal.namespace", t.Namespace, "must not be empty")
	}
	if strings.TrimSpace(t.TaskQueue) == "" {
		ps.add("temporal.task_queue", t.TaskQueue, "must not be empty")
	}
	if t.UIURL != "" {
		checkURL(ps, "temporal.ui_url", t.UIURL)
	}
	if (t.TLS.CertFile == "") != (t.TLS.KeyFile == "") {
		ps.add("temporal.tls", fmt.Sprintf("cert_file=%s key_file=%s", t.TLS.CertFile, t.TLS.KeyFile), "cert_file and key_file go together: set both or neither")
	}
	for _, f := range []struct{ key, path string }{
		{"temporal.tls.ca_file", t.TLS.CAFile},
		{"temporal.tls.cert_file", t.TLS.CertFile},
		{"temporal.tls.key_file", t.TLS.KeyFile},
	} {
		if f.path == "" {
			continue
		}
		if _, err := os.Stat(f.path); err != nil {
			ps.add(f.key, f.path, "cannot read file: %v", errors.Unwrap(err))
		}
	}
}

func (c *Config) validatePostgres(ps *problems) {
	p := c.Postgres
	if strings.TrimSpace(p.DSN) == "" {
		ps.add("postgres.dsn", p.DSN, "must not be empty")
	} else if _, err := pgx.ParseConfig(p.DSN); err != nil {
		ps.add("postgres.dsn", p.DSN, "not a valid PostgreSQL connection string: %s", dsnWhy(err, p.DSN))
	}
	if p.MaxConns < 1 {
		ps.add("postgres.max_conns", p.MaxConns, "must be at least 1")
	}
}

// dsnWhy words a DSN parse error without echoing the DSN (which may carry a
// password).
func dsnWhy(err error, dsn string) string {
	msg := err.Error()
	for e := err; e != nil; e = errors.Unwrap(e) {
		msg = e.Error()
	}
	msg = strings.ReplaceAll(msg, dsn, RedactDSN(dsn))
	if pw := dsnPassword(dsn); pw != "" {
		msg = strings.ReplaceAll(msg, pw, Redacted)
	}
	return msg
}

// validateCalendar checks the calendar and returns the standard day to read
// "wd" durations with (8h when the configured one is unusable).
func (c *Config) validateCalendar(ps *problems) time.Duration {
	cal := c.Calendar
	before := len(*ps)
	if strings.TrimSpace(cal.Timezone) == "" || cal.Timezone == "Local" {
		ps.add("calendar.timezone", cal.Timezone, "must name an IANA time zone, e.g. Asia/Shanghai")
	} else if _, err := time.LoadLocation(cal.Timezone); err != nil {
		ps.add("calendar.timezone", cal.Timezone, "unknown IANA time zone")
	}

	for _, day := range sortedKeys(cal.Hours) {
		if weekdayIndex(day) < 0 {
			ps.add("calendar.hours."+day, strings.Join(cal.Hours[day], ","), "unknown weekday: use mon, tue, wed, thu, fri, sat, sun")
			continue
		}
		checkWindows(ps, "calendar.hours."+day, cal.Hours[day])
	}
	seen := map[string]string{}
	for i, list := range [][]DateEntry{cal.Holidays, cal.Workdays} {
		name := [...]string{"calendar.holidays", "calendar.workdays"}[i]
		for j, d := range list {
			key := fmt.Sprintf("%s[%d]", name, j)
			if _, err := time.Parse(time.DateOnly, d.Date); err != nil {
				ps.add(key+".date", d.Date, "not a valid date: want YYYY-MM-DD")
			} else if prev, dup := seen[d.Date]; dup {
				ps.add(key+".date", d.Date, "date already listed at %s", prev)
			} else {
				seen[d.Date] = key
			}
			checkWindows(ps, key+".hours", d.Hours)
		}
	}

	std := 8 * time.Hour
	if cal.StandardDay != "" {
		d, err := time.ParseDuration(cal.StandardDay)
		switch {
		case err != nil:
			ps.add("calendar.standard_day", cal.StandardDay, "not a duration (e.g. 8h, 7h30m)")
		case d <= 0 || d > 24*time.Hour:
			ps.add("calendar.standard_day", cal.StandardDay, "must be more than 0 and at most 24h")
		default:
			std = d
		}
	}
	if len(*ps) > before {
		return std
	}

	spec, err := c.CalendarSpec()
	if err != nil { // only the derived standard day can still fail here
		if !hasWorkingTime(spec) {
			ps.add("calendar.hours", "", "the calendar has no working time: give at least one weekday a window")
		} else {
			ps.add("calendar.standard_day", "", "not set, and no weekday has working hours to take it from")
		}
		return std
	}
	if !hasWorkingTime(spec) {
		ps.add("calendar.hours", "", "the calendar has no working time: give at least one weekday a window")
		return std
	}
	if _, err := calendar.New(spec); err != nil {
		ps.add("calendar", "", "%s", strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	return spec.StandardDay
}

// hasWorkingTime reports whether any regular or dated window exists.
func hasWorkingTime(s calendar.Spec) bool {
	for _, w := range s.Week {
		if len(w) > 0 {
			return true
		}
	}
	for _, d := range s.Holidays {
		if len(d.Windows) > 0 {
			return true
		}
	}
	for _, d := range s.Workdays {
		if len(d.Windows) > 0 {
			return true
		}
	}
	return false
}

// checkWindows checks each window and that none overlaps another.
func checkWindows(ps *problems, key string, list []string) {
	type span struct {
		w   calendar.Window
		txt string
	}
	var ok []span
	for i, s := range list {
		w, err := calendar.ParseWindow(s)
		if err != nil {
			ps.add(fmt.Sprintf("%s[%d]", key, i), s, "not a window like 09:00-12:00: %v", err)
			continue
		}
		ok = append(ok, span{w, s})
	}
	sort.Slice(ok, func(i, j int) bool { return ok[i].w.Start < ok[j].w.Start })
	for i := 1; i < len(ok); i++ {
		if ok[i].w.Start < ok[i-1].w.End {
			ps.add(key, strings.Join(list, ","), "windows %s and %s overlap", ok[i-1].txt, ok[i].txt)
		}
	}
}

func weekdayIndex(day string) int {
	for i, d := range weekdayKeys {
		if d == day {
			return i
		}
	}
	return -1
}

func (c *Config) validateSLA(ps *problems, std time.Duration) {
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
	checkPositiveDuration(ps, "sla.max_delivery_ahead", s.MaxDeliveryAhead)

	clocks := map[string]string{}
	for _, name := range orderedKeys(s.Deadlines, policy.ConfigurableNames) {
		d := s.Deadlines[name]
		key := "sla.deadlines." + name
		if !contains(policy.ConfigurableNames, name) {
			ps.add(key, name, "unknown deadline: use one of %s", strings.Join(policy.ConfigurableNames, ", "))
			continue
		}
		if d.Clock != string(calendar.Wall) && d.Clock != string(calendar.Business) {
			ps.add(key+".clock", d.Clock, "must be wall or business")
		}
		clocks[name] = d.Clock
		checkTarget(ps, key+".urgent", d.Urgent, d.Clock, std)
		checkTarget(ps, key+".normal", d.Normal, d.Clock, std)
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
		for _, prio := range orderedKeys(s.VIP[name], []string{policy.Urgent, policy.Normal}) {
			pkey := key + "." + prio
			if prio != policy.Urgent && prio != policy.Normal {
				ps.add(pkey, s.VIP[name][prio], "unknown priority: use urgent or normal")
				continue
			}
			checkTarget(ps, pkey, s.VIP[name][prio], clocks[name], std)
		}
	}
}

// checkTarget checks one deadline target: a positive duration, "wd" only on
// a business clock.
func checkTarget(ps *problems, key, value, clock string, std time.Duration) {
	if strings.TrimSpace(value) == "" {
		ps.add(key, value, "missing: give a duration such as 30m or 2wd")
		return
	}
	d, wd, err := calendar.ParseDuration(value, std)
	switch {
	case err != nil:
		ps.add(key, value, "not a duration: use Go syntax (90s, 30m, 24h) or Nwd")
	case d <= 0:
		ps.add(key, value, "must be more than 0")
	case wd && clock != string(calendar.Business):
		ps.add(key, value, "wd (working days) needs a business clock; this deadline's clock is %s", clockWord(clock))
	}
}

func clockWord(c string) string {
	if c == "" {
		return "not set"
	}
	return c
}

func (c *Config) validateRouting(ps *problems) {
	r := c.Routing
	if len(r.Groups) == 0 {
		ps.add("routing.groups", "", "at least one group is needed")
	}
	for _, name := range sortedKeys(r.Groups) {
		g := r.Groups[name]
		for _, f := range []struct{ field, addr string }{{"email", g.Email}, {"supervisor", g.Supervisor}, {"manager", g.Manager}} {
			if f.addr == "" {
				continue
			}
			if _, err := mail.ParseAddress(f.addr); err != nil {
				ps.add("routing.groups."+name+"."+f.field, f.addr, "not an email address")
			}
		}
	}
	if r.DefaultGroup == "" {
		ps.add("routing.default_group", r.DefaultGroup, "must name a group of routing.groups")
	} else if _, ok := r.Groups[r.DefaultGroup]; !ok {
		ps.add("routing.default_group", r.DefaultGroup, "no such group in routing.groups%s", caseHint(r.Groups, r.DefaultGroup))
	}
	for i, rule := range r.Rules {
		key := fmt.Sprintf("routing.rules[%d]", i)
		if _, ok := r.Groups[rule.Group]; !ok {
			ps.add(key+".group", rule.Group, "no such group in routing.groups%s", caseHint(r.Groups, rule.Group))
		}
		if m := rule.Match.Tier; m != "" && m != policy.VIP && m != policy.Standard {
			ps.add(key+".match.tier", m, "must be vip or standard")
		}
		if m := rule.Match.Priority; m != "" && m != policy.Urgent && m != policy.Normal {
			ps.add(key+".match.priority", m, "must be urgent or normal")
		}
	}
}

// caseHint explains a miss caused by the file's keys being read in lower case.
func caseHint(groups map[string]Group, name string) string {
	if _, ok := groups[strings.ToLower(name)]; ok && name != strings.ToLower(name) {
		return " (group names are read in lower case: write " + strings.ToLower(name) + ")"
	}
	return ""
}

func (c *Config) validateIntake(ps *problems) {
	in := c.Intake
	checkHostPort(ps, "intake.listen", in.Listen, false)
	if n, err := ParseSize(in.MaxBody); err != nil {
		ps.add("intake.max_body", in.MaxBody, "%v", err)
	} else if n <= 0 {
		ps.add("intake.max_body", in.MaxBody, "must be more than 0")
	}
	checkPositiveDuration(ps, "intake.max_clock_skew", in.MaxClockSkew)
	checkPositiveDuration(ps, "intake.max_backdate", in.MaxBackdate)
}

// checkPositiveDuration requires a Go duration above zero.
func checkPositiveDuration(ps *problems, key, value string) {
	d, err := time.ParseDuration(value)
	switch {
	case err != nil:
		ps.add(key, value, "not a duration (e.g. 5m, 720h)")
	case d <= 0:
		ps.add(key, value, "must be more than 0")
	}
}

func (c *Config) validateNotify(ps *problems) {
	n := c.Notify
	used := map[string]bool{}
	for _, party := range orderedKeys(n.Parties, partyNames) {
		key := "notify.parties." + party
		chans := n.Parties[party]
		if !contains(partyNames, party) {
			ps.add(key, strings.Join(chans, ","), "unknown party: use %s", strings.Join(partyNames, ", "))
			continue
		}
		if len(chans) == 0 {
			ps.add(key, "", "needs at least one channel (%s)", strings.Join(channelNames, ", "))
		}
		dup := map[string]bool{}
		for i, ch := range chans {
			switch {
			case !contains(channelNames, ch):
				ps.add(fmt.Sprintf("%s[%d]", key, i), ch, "unknown channel: use %s", strings.Join(channelNames, ", "))
			case dup[ch]:
				ps.add(fmt.Sprintf("%s[%d]", key, i), ch, "channel listed twice")
			default:
				dup[ch] = true
				used[ch] = true
				if ch == "email" {
					c.checkGroupAddresses(ps, party, key)
				}
			}
		}
	}
	for _, party := range partyNames {
		if _, ok := n.Parties[party]; !ok {
			ps.add("notify.parties."+party, "", "missing: every party needs a channel (%s)", strings.Join(channelNames, ", "))
		}
	}

	e := n.Email
	if e.TLS != "starttls" && e.TLS != "tls" && e.TLS != "none" {
		ps.add("notify.email.tls", e.TLS, "must be starttls, tls or none")
	}
	if e.Port < 1 || e.Port > 65535 {
		ps.add("notify.email.port", e.Port, "must be a port number 1-65535")
	}
	if e.From != "" {
		if _, err := mail.ParseAddress(e.From); err != nil {
			ps.add("notify.email.from", e.From, "not an email address")
		}
	}
	if used["email"] {
		if e.Host == "" {
			ps.add("notify.email.host", e.Host, "required: a party uses the email channel")
		}
		if e.From == "" {
			ps.add("notify.email.from", e.From, "required: a party uses the email channel")
		}
	}

	w := n.Webhook
	if d, err := time.ParseDuration(w.Timeout); err != nil {
		ps.add("notify.webhook.timeout", w.Timeout, "not a duration (e.g. 5s)")
	} else if d <= 0 {
		ps.add("notify.webhook.timeout", w.Timeout, "must be more than 0")
	}
	if w.URL != "" {
		checkURL(ps, "notify.webhook.url", w.URL)
	}
	if used["webhook"] {
		if w.URL == "" {
			ps.add("notify.webhook.url", w.URL, "required: a party uses the webhook channel")
		}
		if w.Secret == "" {
			ps.add("notify.webhook.secret", w.Secret, "required: a party uses the webhook channel")
		}
	}
	c.validateRobots(ps, used)
	if n.DefaultLocale != "en" && n.DefaultLocale != "zh-CN" {
		ps.add("notify.default_locale", n.DefaultLocale, "must be en or zh-CN")
	}
}

// checkGroupAddresses requires every group to have the address an email to
// party goes to (the customer's address comes with the request).
func (c *Config) checkGroupAddresses(ps *problems, party, partyKey string) {
	field := map[string]string{"assignee": "email", "supervisor": "supervisor", "manager": "manager"}[party]
	if field == "" {
		return
	}
	for _, name := range sortedKeys(c.Routing.Groups) {
		g := c.Routing.Groups[name]
		addr := map[string]string{"email": g.Email, "supervisor": g.Supervisor, "manager": g.Manager}[field]
		if addr == "" {
			ps.add("routing.groups."+name+"."+field, "", "required: %s uses email", partyKey)
		}
	}
}

func (c *Config) validateWorker(ps *problems) {
	w := c.Worker
	if w.MetricsListen != "" {
		checkHostPort(ps, "worker.metrics_listen", w.MetricsListen, false)
	}
	for _, f := range []struct {
		key string
		n   int
	}{
		{"worker.cache_size", w.CacheSize},
		{"worker.max_concurrent_activities", w.MaxConcurrentActivities},
		{"worker.max_concurrent_workflow_tasks", w.MaxConcurrentWorkflowTasks},
		{"worker.workflow_pollers", w.WorkflowPollers},
		{"worker.activity_pollers", w.ActivityPollers},
	} {
		if f.n < 0 {
			ps.add(f.key, f.n, "must not be negative (0 = the SDK default)")
		}
	}
	switch w.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		ps.add("worker.log_level", w.LogLevel, "must be debug, info, warn or error")
	}
	if w.LogFormat != "text" && w.LogFormat != "json" {
		ps.add("worker.log_format", w.LogFormat, "must be text or json")
	}
}

// checkHostPort checks a host:port address. A dial address (dial) needs a
// host and a port 1-65535; a listen address may leave the host empty (all
// interfaces) and use port 0 (any free port).
func checkHostPort(ps *problems, key, addr string, dial bool) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		ps.add(key, addr, "not a host:port address")
		return
	}
	if dial && host == "" {
		ps.add(key, addr, "needs a host, e.g. 127.0.0.1:7233")
		return
	}
	min := 0
	if dial {
		min = 1
	}
	if n, err := strconv.Atoi(port); err != nil || n < min || n > 65535 {
		ps.add(key, addr, "port must be a number %d-65535", min)
	}
}

// checkURL requires an absolute http(s) URL.
func checkURL(ps *problems, key, raw string) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		ps.add(key, raw, "not an http(s) URL")
	}
}

// orderedKeys returns the map's keys: those in order first, in that order,
// then the rest sorted.
func orderedKeys[V any](m map[string]V, order []string) []string {
	out := make([]string, 0, len(m))
	for _, k := range order {
		if _, ok := m[k]; ok {
			out = append(out, k)
		}
	}
	var rest []string
	for k := range m {
		if !contains(order, k) {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}
