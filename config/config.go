// Package config loads, validates and redacts svcflow's configuration (CONTRACT §4).
package config

// Config is the whole configuration file of CONTRACT §4. Keys are the contract:
// operators write this file.
type Config struct {
	Temporal Temporal `mapstructure:"temporal" json:"temporal"`
	Postgres Postgres `mapstructure:"postgres" json:"postgres"`
	Calendar Calendar `mapstructure:"calendar" json:"calendar"`
	// Calendars are named calendars beside the default one (policies and
	// groups name them).
	Calendars map[string]Calendar `mapstructure:"calendars" json:"calendars"`
	SLA       SLA                 `mapstructure:"sla" json:"sla"`
	Routing   Routing             `mapstructure:"routing" json:"routing"`
	Intake    Intake              `mapstructure:"intake" json:"intake"`
	Notify    Notify              `mapstructure:"notify" json:"notify"`
	Worker    Worker              `mapstructure:"worker" json:"worker"`

	settings *Settings // parsed by Load / Parse
	dir      string    // of the file read: relative holidays_ics paths may sit beside it
}

// Temporal is how programs reach the Temporal service.
type Temporal struct {
	Address   string `mapstructure:"address" json:"address"`
	Namespace string `mapstructure:"namespace" json:"namespace"`
	TaskQueue string `mapstructure:"task_queue" json:"task_queue"`
	UIURL     string `mapstructure:"ui_url" json:"ui_url"`
	TLS       TLS    `mapstructure:"tls" json:"tls"`
	APIKey    string `mapstructure:"api_key" json:"api_key"` // secret
}

// TLS for the Temporal connection; all empty = plain connection.
type TLS struct {
	CAFile     string `mapstructure:"ca_file" json:"ca_file"`
	CertFile   string `mapstructure:"cert_file" json:"cert_file"`
	KeyFile    string `mapstructure:"key_file" json:"key_file"`
	ServerName string `mapstructure:"server_name" json:"server_name"`
}

// Postgres is the records database.
type Postgres struct {
	DSN      string `mapstructure:"dsn" json:"dsn"` // password is secret
	MaxConns int32  `mapstructure:"max_conns" json:"max_conns"`
}

// Calendar is the business calendar as written in the file.
type Calendar struct {
	Timezone    string              `mapstructure:"timezone" json:"timezone"`
	StandardDay string              `mapstructure:"standard_day" json:"standard_day"`
	Hours       map[string][]string `mapstructure:"hours" json:"hours"` // mon..sun → ["09:00-12:00", ...]
	Holidays    []DateEntry         `mapstructure:"holidays" json:"holidays"`
	Workdays    []DateEntry         `mapstructure:"workdays" json:"workdays"`
	// HolidaysICS are iCalendar files: every all-day VEVENT is a closed date.
	HolidaysICS []string `mapstructure:"holidays_ics" json:"holidays_ics"`
}

// DateEntry is a date, written either as "2026-10-01" or as
// {date: "2026-12-31", hours: ["09:00-12:00"]}.
type DateEntry struct {
	Date  string   `mapstructure:"date" json:"date"`
	Hours []string `mapstructure:"hours" json:"hours,omitempty"`
}

// SLA is the policy as written in the file; Config.Policy turns it into a
// policy.Snapshot.
type SLA struct {
	WarnAt            float64                      `mapstructure:"warn_at" json:"warn_at"`
	EscalateAt        float64                      `mapstructure:"escalate_at" json:"escalate_at"`
	SheetRounds       int                          `mapstructure:"sheet_rounds" json:"sheet_rounds"`
	AcceptanceSilence string                       `mapstructure:"acceptance_silence" json:"acceptance_silence"`
	LowScore          LowScore                     `mapstructure:"low_score" json:"low_score"`
	Deadlines         map[string]DeadlineEntry     `mapstructure:"deadlines" json:"deadlines"`
	VIP               map[string]map[string]string `mapstructure:"vip" json:"vip"` // deadline → priority → duration
	// MaxDeliveryAhead bounds how far ahead a committed delivery
	// (expected_delivery, new_delivery) may be.
	MaxDeliveryAhead string `mapstructure:"max_delivery_ahead" json:"max_delivery_ahead"`
	// Escalation is the chain of steps (empty: warn_at / breach / escalate_at).
	Escalation []EscalationStep `mapstructure:"escalation" json:"escalation"`
	// Policies are tried in order; the first whose match holds applies.
	Policies []Policy `mapstructure:"policies" json:"policies"`
}

// EscalationStep is one step of a chain: at a share of the target, notify
// the parties.
type EscalationStep struct {
	At     float64  `mapstructure:"at" json:"at"`
	Notify []string `mapstructure:"notify" json:"notify"`
}

// Policy is one entry of sla.policies.
type Policy struct {
	Name       string                   `mapstructure:"name" json:"name"`
	Match      PolicyMatch              `mapstructure:"match" json:"match"`
	Calendar   string                   `mapstructure:"calendar" json:"calendar,omitempty"`
	Deadlines  map[string]DeadlineEntry `mapstructure:"deadlines" json:"deadlines,omitempty"`
	Escalation []EscalationStep         `mapstructure:"escalation" json:"escalation,omitempty"`
}

// PolicyMatch is a policy's condition: each field a list (a single value
// is a list of one); an absent field matches anything.
type PolicyMatch struct {
	Tier     []string `mapstructure:"tier" json:"tier,omitempty"`
	Category []string `mapstructure:"category" json:"category,omitempty"`
	Channel  []string `mapstructure:"channel" json:"channel,omitempty"`
	Priority []string `mapstructure:"priority" json:"priority,omitempty"`
	Group    []string `mapstructure:"group" json:"group,omitempty"`
}

// LowScore: a follow-up with any score <= max_score or an average below
// min_average opens a complaint.
type LowScore struct {
	MaxScore   int     `mapstructure:"max_score" json:"max_score"`
	MinAverage float64 `mapstructure:"min_average" json:"min_average"`
}

// DeadlineEntry is one line of sla.deadlines.
type DeadlineEntry struct {
	Clock  string `mapstructure:"clock" json:"clock"`
	Urgent string `mapstructure:"urgent" json:"urgent"`
	Normal string `mapstructure:"normal" json:"normal"`
}

// Routing maps requests to service groups.
type Routing struct {
	DefaultGroup string           `mapstructure:"default_group" json:"default_group"`
	Groups       map[string]Group `mapstructure:"groups" json:"groups"`
	Rules        []Rule           `mapstructure:"rules" json:"rules"`
}

// Group is who is told what for one service group.
type Group struct {
	Email      string `mapstructure:"email" json:"email"`
	Supervisor string `mapstructure:"supervisor" json:"supervisor"`
	Manager    string `mapstructure:"manager" json:"manager"`
	// Calendar names the calendar the group works (empty: the default).
	Calendar string `mapstructure:"calendar" json:"calendar,omitempty"`
}

// Rule routes matching requests to a group; first match wins. Empty match
// fields match anything.
type Rule struct {
	Match RuleMatch `mapstructure:"match" json:"match"`
	Group string    `mapstructure:"group" json:"group"`
}

// RuleMatch is the condition of a routing rule: lists as in sla.policies
// (a single value stays valid).
type RuleMatch struct {
	Category []string `mapstructure:"category" json:"category,omitempty"`
	Tier     []string `mapstructure:"tier" json:"tier,omitempty"`
	Priority []string `mapstructure:"priority" json:"priority,omitempty"`
}

// Intake is the starter's HTTP API.
type Intake struct {
	Listen  string `mapstructure:"listen" json:"listen"`
	Token   string `mapstructure:"token" json:"token"` // secret
	MaxBody string `mapstructure:"max_body" json:"max_body"`
	// AllowAnonymous lets serve run without a token on a non-loopback address.
	AllowAnonymous bool `mapstructure:"allow_anonymous" json:"allow_anonymous"`
	// submitted_at may be at most MaxClockSkew in the future and at most
	// MaxBackdate in the past.
	MaxClockSkew string `mapstructure:"max_clock_skew" json:"max_clock_skew"`
	MaxBackdate  string `mapstructure:"max_backdate" json:"max_backdate"`
}

// Notify says which channels reach which party, and how.
type Notify struct {
	Parties       map[string][]string `mapstructure:"parties" json:"parties"` // customer|assignee|supervisor|manager → log|email|webhook|wecom|dingtalk|feishu|slack
	Email         Email               `mapstructure:"email" json:"email"`
	Webhook       Webhook             `mapstructure:"webhook" json:"webhook"`
	WeCom         Robot               `mapstructure:"wecom" json:"wecom"` // chat robots: channels.go
	DingTalk      Robot               `mapstructure:"dingtalk" json:"dingtalk"`
	Feishu        Robot               `mapstructure:"feishu" json:"feishu"`
	Slack         Robot               `mapstructure:"slack" json:"slack"`
	DefaultLocale string              `mapstructure:"default_locale" json:"default_locale"` // agents' locale
	QuietHours    QuietHours          `mapstructure:"quiet_hours" json:"quiet_hours"`
}

// QuietHours hold the notifications of Parties outside working hours.
type QuietHours struct {
	Parties  []string    `mapstructure:"parties" json:"parties"`
	Calendar string      `mapstructure:"calendar" json:"calendar"` // "" = the request's calendar
	Except   QuietExcept `mapstructure:"except" json:"except"`
}

// QuietExcept are the requests whose notifications are never held.
type QuietExcept struct {
	Priority []string `mapstructure:"priority" json:"priority"`
}

// Email is the SMTP channel.
type Email struct {
	Host     string `mapstructure:"host" json:"host"`
	Port     int    `mapstructure:"port" json:"port"`
	Username string `mapstructure:"username" json:"username"`
	Password string `mapstructure:"password" json:"password"` // secret
	From     string `mapstructure:"from" json:"from"`
	TLS      string `mapstructure:"tls" json:"tls"` // starttls | tls | none
}

// Webhook is the signed JSON POST channel.
type Webhook struct {
	URL     string `mapstructure:"url" json:"url"`
	Secret  string `mapstructure:"secret" json:"secret"` // secret
	Timeout string `mapstructure:"timeout" json:"timeout"`
}

// Worker tunes the worker process (not in CONTRACT §4's sample; all optional).
type Worker struct {
	MetricsListen              string `mapstructure:"metrics_listen" json:"metrics_listen"` // /metrics and /healthz
	CacheSize                  int    `mapstructure:"cache_size" json:"cache_size"`
	MaxConcurrentActivities    int    `mapstructure:"max_concurrent_activities" json:"max_concurrent_activities"`
	MaxConcurrentWorkflowTasks int    `mapstructure:"max_concurrent_workflow_tasks" json:"max_concurrent_workflow_tasks"`
	WorkflowPollers            int    `mapstructure:"workflow_pollers" json:"workflow_pollers"`
	ActivityPollers            int    `mapstructure:"activity_pollers" json:"activity_pollers"`
	LogLevel                   string `mapstructure:"log_level" json:"log_level"`
	LogFormat                  string `mapstructure:"log_format" json:"log_format"` // text | json
}
