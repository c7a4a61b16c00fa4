package config

import (
	"fmt"
	"time"

	"github.com/svcflow/svcflow/internal/calendar"
	"github.com/svcflow/svcflow/internal/policy"
)

// Settings is the configuration parsed, the one form the programs use:
// every value of the file checked and converted once, by Load (or Parse).
type Settings struct {
	Calendar  calendar.Spec            // calendar (the default calendar)
	Calendars map[string]calendar.Spec // every calendar by name, the default as policy.DefaultCalendar
	Policies  *policy.Set              // what a new request selects its policy from
	Policy    policy.Snapshot          // the default policy in the default calendar
	Intake    IntakeSettings
	Notify    NotifySettings
}

// IntakeSettings are intake.* parsed.
type IntakeSettings struct {
	Listen         string
	Token          string // secret
	MaxBody        int64  // bytes
	MaxClockSkew   time.Duration
	MaxBackdate    time.Duration
	AllowAnonymous bool
}

// NotifySettings are notify.* parsed: the channels of each party and the
// settings of each channel a party uses.
type NotifySettings struct {
	Parties       map[string][]string // customer|assignee|supervisor|manager → channels, checked
	DefaultLocale string              // en | zh-CN
	Email         Email
	Webhook       Webhook
	Robots        map[string]Robot // wecom, dingtalk, feishu, slack
	HTTPTimeout   time.Duration    // notify.webhook.timeout: webhook and robots
}

// Used reports whether some party uses channel.
func (n NotifySettings) Used(channel string) bool {
	for _, chans := range n.Parties {
		for _, c := range chans {
			if c == channel {
				return true
			}
		}
	}
	return false
}

// Parse checks the whole configuration in one pass, listing every problem
// in a *ValidationError, and keeps the parsed Settings.
func (c *Config) Parse() error {
	var ps problems
	s := &Settings{}
	c.checkTemporal(&ps)
	c.checkPostgres(&ps)
	s.Calendars = parseCalendars(&ps, c.Calendar, c.Calendars, c.dir)
	s.Calendar = s.Calendars[policy.DefaultCalendar]
	s.Policies = parseSLA(&ps, c, s.Calendars)
	s.Policy = s.Policies.Default()
	c.checkRouting(&ps)
	s.Intake = parseIntake(&ps, c.Intake)
	s.Notify = parseNotify(&ps, c.Notify, c.Routing.Groups)
	c.checkWorker(&ps)
	if len(ps) > 0 {
		return &ValidationError{Problems: ps}
	}
	c.settings = s
	return nil
}

// Validate is Parse: nil when the configuration is good.
func (c *Config) Validate() error { return c.Parse() }

// Settings returns the parsed configuration. Load parses it; a Config made
// otherwise (tests, Default) is parsed on first use, and a bad one panics.
func (c *Config) Settings() *Settings {
	if c.settings == nil {
		if err := c.Parse(); err != nil {
			panic(fmt.Sprintf("config: Settings of an invalid configuration: %v", err))
		}
	}
	return c.settings
}

// Policy is the SLA policy snapshot new requests copy (Settings().Policy).
func (c *Config) Policy() policy.Snapshot { return c.Settings().Policy }

// CalendarSpec is the default calendar (Settings().Calendar).
func (c *Config) CalendarSpec() calendar.Spec { return c.Settings().Calendar }
