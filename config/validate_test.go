package config

import (
	"strings"
	"testing"
)

// TestValidateEachFailure breaks one thing at a time and checks that exactly
// the expected keys are named.
func TestValidateEachFailure(t *testing.T) {
	cases := []struct {
		name   string
		break_ func(c *Config)
		keys   []string
	}{
		{"temporal address without port", func(c *Config) { c.Temporal.Address = "temporal" }, []string{"temporal.address"}},
		{"temporal address without host", func(c *Config) { c.Temporal.Address = ":7233" }, []string{"temporal.address"}},
		{"temporal address bad port", func(c *Config) { c.Temporal.Address = "h:99999" }, []string{"temporal.address"}},
		{"namespace empty", func(c *Config) { c.Temporal.Namespace = "" }, []string{"temporal.namespace"}},
		{"task queue empty", func(c *Config) { c.Temporal.TaskQueue = " " }, []string{"temporal.task_queue"}},
		{"ui url not http", func(c *Config) { c.Temporal.UIURL = "ftp://x" }, []string{"temporal.ui_url"}},
		{"tls cert without key", func(c *Config) { c.Temporal.TLS.CertFile = "svcflow.yaml" }, []string{"temporal.tls"}},
		{"tls ca file missing", func(c *Config) { c.Temporal.TLS.CAFile = "/nonexistent/ca.pem" }, []string{"temporal.tls.ca_file"}},
		{"dsn does not parse", func(c *Config) { c.Postgres.DSN = "postgres://h:notaport/db" }, []string{"postgres.dsn"}},
		{"dsn empty", func(c *Config) { c.Postgres.DSN = "" }, []string{"postgres.dsn"}},
		{"max conns zero", func(c *Config) { c.Postgres.MaxConns = 0 }, []string{"postgres.max_conns"}},
		{"unknown zone", func(c *Config) { c.Calendar.Timezone = "Mars/Olympus" }, []string{"calendar.timezone"}},
		{"empty zone", func(c *Config) { c.Calendar.Timezone = "" }, []string{"calendar.timezone"}},
		{"Local zone", func(c *Config) { c.Calendar.Timezone = "Local" }, []string{"calendar.timezone"}},
		{"standard day not a duration", func(c *Config) { c.Calendar.StandardDay = "8 hours" }, []string{"calendar.standard_day"}},
		{"standard day too long", func(c *Config) { c.Calendar.StandardDay = "25h" }, []string{"calendar.standard_day"}},
		{"standard day in wd", func(c *Config) { c.Calendar.StandardDay = "1wd" }, []string{"calendar.standard_day"}},
		{"unknown weekday", func(c *Config) { c.Calendar.Hours["funday"] = []string{"09:00-10:00"} }, []string{"calendar.hours.funday"}},
		{"bad window", func(c *Config) { c.Calendar.Hours["mon"] = []string{"9-12"} }, []string{"calendar.hours.mon[0]"}},
		{"reversed window", func(c *Config) { c.Calendar.Hours["tue"] = []string{"12:00-09:00"} }, []string{"calendar.hours.tue[0]"}},
		{"overlapping windows", func(c *Config) { c.Calendar.Hours["wed"] = []string{"13:00-18:00", "09:00-13:30"} }, []string{"calendar.hours.wed"}},
		{"bad holiday date", func(c *Config) { c.Calendar.Holidays[0].Date = "2026-02-30" }, []string{"calendar.holidays[0].date"}},
		{"duplicate date", func(c *Config) { c.Calendar.Workdays[0].Date = "2026-10-01" }, []string{"calendar.workdays[0].date"}},
		{"bad holiday window", func(c *Config) { c.Calendar.Holidays[1].Hours = []string{"09:00-25:00"} }, []string{"calendar.holidays[1].hours[0]"}},
		{"bad workday date", func(c *Config) { c.Calendar.Workdays[0].Date = "10/10/2026" }, []string{"calendar.workdays[0].date"}},
		{"no working time", func(c *Config) {
			c.Calendar.Hours = map[string][]string{}
			c.Calendar.Holidays, c.Calendar.Workdays = nil, nil
		}, []string{"calendar.hours"}},
		{"warn at zero", func(c *Config) { c.SLA.WarnAt = 0 }, []string{"sla.warn_at"}},
		{"warn at one", func(c *Config) { c.SLA.WarnAt = 1 }, []string{"sla.warn_at"}},
		{"escalate at one", func(c *Config) { c.SLA.EscalateAt = 1 }, []string{"sla.escalate_at"}},
		{"sheet rounds zero", func(c *Config) { c.SLA.SheetRounds = 0 }, []string{"sla.sheet_rounds"}},
		{"acceptance silence unknown", func(c *Config) { c.SLA.AcceptanceSilence = "ignore" }, []string{"sla.acceptance_silence"}},
		{"low score max too high", func(c *Config) { c.SLA.LowScore.MaxScore = 5 }, []string{"sla.low_score.max_score"}},
		{"low score average too high", func(c *Config) { c.SLA.LowScore.MinAverage = 6 }, []string{"sla.low_score.min_average"}},
		{"unknown deadline", func(c *Config) { c.SLA.Deadlines["lunch"] = DeadlineEntry{Clock: "wall", Urgent: "1h", Normal: "1h"} }, []string{"sla.deadlines.lunch"}},
		{"delivery is not configurable", func(c *Config) {
			c.SLA.Deadlines["delivery"] = DeadlineEntry{Clock: "wall", Urgent: "1h", Normal: "1h"}
		}, []string{"sla.deadlines.delivery"}},
		{"missing deadline", func(c *Config) { delete(c.SLA.Deadlines, "review") }, []string{"sla.deadlines.review"}},
		{"unknown clock", func(c *Config) { setDeadline(c, "sheet", func(d *DeadlineEntry) { d.Clock = "cpu" }) }, []string{"sla.deadlines.sheet.clock", "sla.deadlines.sheet.urgent", "sla.deadlines.sheet.normal"}},
		{"missing target", func(c *Config) { setDeadline(c, "review", func(d *DeadlineEntry) { d.Urgent = "" }) }, []string{"sla.deadlines.review.urgent"}},
		{"target not a duration", func(c *Config) { setDeadline(c, "review", func(d *DeadlineEntry) { d.Normal = "soon" }) }, []string{"sla.deadlines.review.normal"}},
		{"wd on a wall clock", func(c *Config) { setDeadline(c, "response", func(d *DeadlineEntry) { d.Urgent = "1wd" }) }, []string{"sla.deadlines.response.urgent"}},
		{"zero target", func(c *Config) { setDeadline(c, "complaint", func(d *DeadlineEntry) { d.Urgent = "0s" }) }, []string{"sla.deadlines.complaint.urgent"}},
		{"negative target", func(c *Config) { setDeadline(c, "complaint", func(d *DeadlineEntry) { d.Normal = "-5m" }) }, []string{"sla.deadlines.complaint.normal"}},
		{"vip unknown deadline", func(c *Config) { c.SLA.VIP["lunch"] = map[string]string{"urgent": "1m"} }, []string{"sla.vip.lunch"}},
		{"vip progress report", func(c *Config) { c.SLA.VIP["progress_report"] = map[string]string{"urgent": "1h"} }, []string{"sla.vip.progress_report"}},
		{"vip unknown priority", func(c *Config) { c.SLA.VIP["response"]["asap"] = "1m" }, []string{"sla.vip.response.asap"}},
		{"vip bad duration", func(c *Config) { c.SLA.VIP["response"]["urgent"] = "fast" }, []string{"sla.vip.response.urgent"}},
		{"vip wd on a wall clock", func(c *Config) { c.SLA.VIP["response"]["normal"] = "1wd" }, []string{"sla.vip.response.normal"}},
		{"default group unknown", func(c *Config) { c.Routing.DefaultGroup = "nobody" }, []string{"routing.default_group"}},
		{"default group empty", func(c *Config) { c.Routing.DefaultGroup = "" }, []string{"routing.default_group"}},
		{"no groups", func(c *Config) { c.Routing.Groups = nil; c.Routing.Rules = nil }, []string{"routing.groups", "routing.default_group"}},
		{"rule to unknown group", func(c *Config) { c.Routing.Rules[0].Group = "nobody" }, []string{"routing.rules[0].group"}},
		{"rule bad tier", func(c *Config) { c.Routing.Rules[0].Match.Tier = []string{"gold"} }, []string{"routing.rules[0].match.tier[0]"}},
		{"rule bad priority", func(c *Config) { c.Routing.Rules[0].Match.Priority = []string{"high"} }, []string{"routing.rules[0].match.priority[0]"}},
		{"group bad address", func(c *Config) { setGroup(c, func(g *Group) { g.Email = "not an address" }) }, []string{"routing.groups.general.email"}},
		{"unknown party", func(c *Config) { c.Notify.Parties["boss"] = []string{"log"} }, []string{"notify.parties.boss"}},
		{"unknown channel", func(c *Config) { c.Notify.Parties["manager"] = []string{"pager"} }, []string{"notify.parties.manager[0]"}},
		{"missing party", func(c *Config) { delete(c.Notify.Parties, "customer") }, []string{"notify.parties.customer"}},
		{"party without channel", func(c *Config) { c.Notify.Parties["assignee"] = []string{} }, []string{"notify.parties.assignee"}},
		{"channel twice", func(c *Config) { c.Notify.Parties["assignee"] = []string{"log", "log"} }, []string{"notify.parties.assignee[1]"}},
		{"email used but not configured", func(c *Config) { c.Notify.Parties["customer"] = []string{"email"} }, []string{"notify.email.host", "notify.email.from"}},
		{"email to supervisor without address", func(c *Config) {
			c.Notify.Parties["supervisor"] = []string{"log", "email"}
			c.Notify.Email.Host, c.Notify.Email.From = "smtp.example.com", "svcflow@example.com"
			setGroup(c, func(g *Group) { g.Supervisor = "" })
		}, []string{"routing.groups.general.supervisor"}},
		{"webhook used but not configured", func(c *Config) { c.Notify.Parties["manager"] = []string{"webhook"} }, []string{"notify.webhook.url", "notify.webhook.secret"}},
		{"webhook bad url", func(c *Config) { c.Notify.Webhook.URL = "hooks.example.com/x" }, []string{"notify.webhook.url"}},
		{"webhook timeout", func(c *Config) { c.Notify.Webhook.Timeout = "5" }, []string{"notify.webhook.timeout"}},
		{"email tls", func(c *Config) { c.Notify.Email.TLS = "ssl" }, []string{"notify.email.tls"}},
		{"email port", func(c *Config) { c.Notify.Email.Port = 0 }, []string{"notify.email.port"}},
		{"email from", func(c *Config) { c.Notify.Email.From = "svcflow" }, []string{"notify.email.from"}},
		{"default locale", func(c *Config) { c.Notify.DefaultLocale = "fr" }, []string{"notify.default_locale"}},
		{"intake listen", func(c *Config) { c.Intake.Listen = "8088" }, []string{"intake.listen"}},
		{"intake max body unit", func(c *Config) { c.Intake.MaxBody = "64 parsecs" }, []string{"intake.max_body"}},
		{"intake max body zero", func(c *Config) { c.Intake.MaxBody = "0" }, []string{"intake.max_body"}},
		{"metrics listen", func(c *Config) { c.Worker.MetricsListen = "x" }, []string{"worker.metrics_listen"}},
		{"cache size", func(c *Config) { c.Worker.CacheSize = -1 }, []string{"worker.cache_size"}},
		{"log level", func(c *Config) { c.Worker.LogLevel = "loud" }, []string{"worker.log_level"}},
		{"log format", func(c *Config) { c.Worker.LogFormat = "xml" }, []string{"worker.log_format"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := Default()
			tc.break_(c)
			ps := problemsOf(t, c.Validate())
			for _, k := range tc.keys {
				if !hasKey(ps, k) {
					t.Errorf("%s not named:%s", k, dump(ps))
				}
			}
			if len(ps) != len(tc.keys) {
				t.Errorf("want %d problems, got %d:%s", len(tc.keys), len(ps), dump(ps))
			}
			for _, p := range ps {
				if p.Why == "" || strings.Contains(p.Why, "\n") {
					t.Errorf("problem %q: why must be one non-empty line", p.String())
				}
			}
		})
	}
}

func TestValidAlternatives(t *testing.T) {
	c := Default()
	c.Notify.Parties["manager"] = []string{"log", "email", "webhook"}
	c.Notify.Email.Host, c.Notify.Email.From = "smtp.example.com", "svcflow <svcflow@example.com>"
	c.Notify.Webhook.URL, c.Notify.Webhook.Secret = "https://hooks.example.com/svcflow", "s"
	c.Notify.DefaultLocale = "zh-CN"
	c.SLA.AcceptanceSilence = "escalate"
	c.Calendar.StandardDay = "" // derived from the regular day
	c.Calendar.Hours["sat"] = []string{"00:00-24:00"}
	c.Intake.Listen = ":0"
	c.Postgres.DSN = "host=127.0.0.1 port=5432 user=postgres password=secret dbname=svcflow"
	if err := c.Validate(); err != nil {
		t.Fatalf("valid alternatives rejected:\n%v", err)
	}
}

func TestValidationRedactsSecrets(t *testing.T) {
	c := Default()
	c.Postgres.DSN = "postgres://app:hunter2@db:notaport/svcflow"
	err := c.Validate()
	ps := problemsOf(t, err)
	if !hasKey(ps, "postgres.dsn") {
		t.Fatalf("dsn not named:%s", dump(ps))
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("password printed:\n%v", err)
	}
}

func setDeadline(c *Config, name string, f func(*DeadlineEntry)) {
	d := c.SLA.Deadlines[name]
	f(&d)
	c.SLA.Deadlines[name] = d
}

func setGroup(c *Config, f func(*Group)) {
	g := c.Routing.Groups["general"]
	f(&g)
	c.Routing.Groups["general"] = g
}
