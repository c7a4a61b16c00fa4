package config

import (
	"encoding/json"
	"fmt"
	"strings"
)

// DefaultPath is the file Load reads when no path is given.
const DefaultPath = "config/svcflow.yaml"

// Default returns the configuration of CONTRACT §4 with every default filled in:
// what Load gives for an empty file. The shipped config/svcflow.yaml says the
// same thing.
func Default() *Config {
	week := []string{"09:00-12:00", "13:00-18:00"}
	return &Config{
		Temporal: Temporal{
			Address:   "127.0.0.1:7233",
			Namespace: "default",
			TaskQueue: "svcflow",
			UIURL:     "http://localhost:8233",
		},
		Postgres: Postgres{
			DSN:      "postgres://postgres@127.0.0.1:5432/svcflow?sslmode=disable",
			MaxConns: 8,
		},
		Calendar: Calendar{
			Timezone:    "Asia/Shanghai",
			StandardDay: "8h",
			Hours: map[string][]string{
				"mon": week, "tue": week, "wed": week, "thu": week, "fri": week,
			},
			Holidays: []DateEntry{{Date: "2026-10-01"}, {Date: "2026-12-31", Hours: []string{"09:00-12:00"}}},
			Workdays: []DateEntry{{Date: "2026-10-10"}},
		},
		SLA: SLA{
			WarnAt:            0.8,
			EscalateAt:        2.0,
			SheetRounds:       3,
			AcceptanceSilence: "auto_accept",
			LowScore:          LowScore{MaxScore: 2, MinAverage: 3.0},
			Deadlines: map[string]DeadlineEntry{
				"response":        {Clock: "wall", Urgent: "5m", Normal: "30m"},
				"sheet":           {Clock: "business", Urgent: "2wd", Normal: "2wd"},
				"confirmation":    {Clock: "business", Urgent: "1wd", Normal: "1wd"},
				"review":          {Clock: "business", Urgent: "2wd", Normal: "2wd"},
				"delay_notice":    {Clock: "wall", Urgent: "24h", Normal: "24h"},
				"progress_report": {Clock: "wall", Urgent: "168h", Normal: "168h"},
				"acceptance":      {Clock: "business", Urgent: "3wd", Normal: "3wd"},
				"rework":          {Clock: "business", Urgent: "2wd", Normal: "2wd"},
				"follow_up":       {Clock: "business", Urgent: "3wd", Normal: "3wd"},
				"complaint":       {Clock: "wall", Urgent: "24h", Normal: "24h"},
			},
			VIP: map[string]map[string]string{
				"response": {"urgent": "3m", "normal": "15m"},
			},
			MaxDeliveryAhead: "8760h",
		},
		Routing: Routing{
			DefaultGroup: "general",
			Groups: map[string]Group{
				"general": {Email: "service@example.com", Supervisor: "lead@example.com", Manager: "head@example.com"},
			},
			Rules: []Rule{{Match: RuleMatch{Tier: []string{"vip"}}, Group: "general"}},
		},
		Intake: Intake{
			Listen:       "127.0.0.1:8088",
			MaxBody:      "64KiB",
			MaxClockSkew: "5m",
			MaxBackdate:  "720h",
		},
		Notify: Notify{
			Parties: map[string][]string{
				"customer": {"log"}, "assignee": {"log"}, "supervisor": {"log"}, "manager": {"log"},
			},
			Email:         Email{Port: 587, TLS: "starttls"},
			Webhook:       Webhook{Timeout: "5s"}, // the timeout is also the robot channels'
			WeCom:         Robot{},                // robots: no url or secret until set (channels.go)
			DingTalk:      Robot{},
			Feishu:        Robot{},
			Slack:         Robot{},
			DefaultLocale: "en",
		},
		Worker: Worker{
			MetricsListen: "127.0.0.1:9090",
			CacheSize:     1000, // 10k parked requests measured at ~250 MB RSS with 1000 (make bench)
			LogLevel:      "info",
			LogFormat:     "text",
		},
	}
}

// wholeSections are defaults that only make sense as a unit: when the file
// gives the trigger key, the listed keys get no default at all (so a file
// with its own working hours does not inherit the shipped holidays, and a
// file with its own groups does not inherit a rule for group "general").
var wholeSections = []struct {
	trigger string
	keys    []string
}{
	{"calendar.hours", []string{"calendar.hours", "calendar.holidays", "calendar.workdays", "calendar.standard_day"}},
	{"calendar.holidays", []string{"calendar.holidays"}},
	{"calendar.workdays", []string{"calendar.workdays"}},
	{"sla.vip", []string{"sla.vip"}},
	{"routing.groups", []string{"routing.groups", "routing.rules"}},
	{"routing.rules", []string{"routing.rules"}},
}

// defaultKeys flattens Default() into viper keys and values, leaving out the
// whole sections that inConfig reports the file sets itself.
func defaultKeys(inConfig func(key string) bool) (map[string]any, error) {
	raw, err := json.Marshal(Default())
	if err != nil {
		return nil, fmt.Errorf("config: encode defaults: %w", err)
	}
	var tree map[string]any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return nil, fmt.Errorf("config: decode defaults: %w", err)
	}
	skip := map[string]bool{}
	for _, s := range wholeSections {
		if inConfig(s.trigger) {
			for _, k := range s.keys {
				skip[k] = true
			}
		}
	}
	out := map[string]any{}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			key := k
			if prefix != "" {
				key = prefix + "." + k
			}
			if skipped(skip, key) {
				continue
			}
			if sub, ok := v.(map[string]any); ok && len(sub) > 0 {
				walk(key, sub)
				continue
			}
			out[key] = v
		}
	}
	walk("", tree)
	return out, nil
}

// skipped reports whether key is, or lies under, a skipped key.
func skipped(skip map[string]bool, key string) bool {
	for k := range skip {
		if key == k || strings.HasPrefix(key, k+".") {
			return true
		}
	}
	return false
}
