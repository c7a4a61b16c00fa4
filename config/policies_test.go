package config

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/svcflow/svcflow/internal/policy"
)

const policiesYAML = `
calendar:
  holidays_ics: [holidays/cn-2026.ics]
calendars:
  berlin:
    timezone: Europe/Berlin
    hours: {mon: ["08:00-17:00"], tue: ["08:00-17:00"], wed: ["08:00-17:00"], thu: ["08:00-17:00"], fri: ["08:00-17:00"]}
sla:
  escalation:
    - {at: 0.5, notify: [assignee]}
    - {at: 1.0, notify: [assignee, supervisor]}
    - {at: 1.5, notify: [supervisor]}
    - {at: 2.0, notify: [manager]}
  policies:
    - name: gold
      match: {tier: vip, category: [outage, network]}
      calendar: berlin
      deadlines: {response: {urgent: 2m}, sheet: {normal: 1wd}}
      escalation: [{at: 1.0, notify: [supervisor]}]
routing:
  default_group: general
  groups:
    general: {email: service@example.com, supervisor: lead@example.com, manager: head@example.com}
    field: {email: field@example.com, supervisor: f@example.com, manager: head@example.com, calendar: berlin}
  rules:
    - {match: {category: [onsite, install]}, group: field}
notify:
  quiet_hours: {parties: [supervisor, manager], except: {priority: [urgent]}}
`

func TestPoliciesCalendarsChainsQuietHoursLoad(t *testing.T) {
	clearEnv(t)
	c, err := Load(writeIn(t, "svcflow.yaml", policiesYAML), nil)
	if err != nil {
		t.Fatal(err)
	}
	set := c.Settings().Policies
	gold := set.Select(policy.Attrs{Tier: "vip", Category: "network", Priority: "urgent", Group: "general"})
	if gold.Name != "gold" || gold.CalendarName != "berlin" || gold.Calendar.Zone != "Europe/Berlin" {
		t.Fatalf("gold selected as %s / %s", gold.Name, gold.CalendarName)
	}
	if _, target, _ := gold.Resolve("response", "urgent", "vip"); target != 2*time.Minute {
		t.Errorf("gold response urgent %v, want the override 2m", target)
	}
	if _, target, _ := gold.Resolve("response", "normal", "vip"); target != 30*time.Minute {
		t.Errorf("gold response normal %v, want the default 30m kept", target)
	}
	if _, target, _ := gold.Resolve("sheet", "normal", "vip"); target != 9*time.Hour {
		t.Errorf("gold sheet 1wd = %v, want Berlin's 9h working day", target)
	}
	if len(gold.Escalation) != 1 || gold.QuietHours == nil {
		t.Errorf("gold chain %v quiet %v", gold.Escalation, gold.QuietHours)
	}
	field := set.Select(policy.Attrs{Tier: "standard", Category: "onsite", Priority: "normal", Group: "field"})
	if field.Name != policy.DefaultPolicy || field.CalendarName != "berlin" || len(field.Escalation) != 4 {
		t.Errorf("field selected as %s / %s, chain %d steps", field.Name, field.CalendarName, len(field.Escalation))
	}
	if _, target, _ := field.Resolve("sheet", "normal", "standard"); target != 18*time.Hour {
		t.Errorf("field sheet 2wd = %v, want 18h in Berlin", target)
	}
	def := set.Select(policy.Attrs{Tier: "standard", Priority: "normal", Group: "general"})
	found := false
	for _, d := range def.Calendar.Holidays {
		if d.Date == "2026-02-17" { // Spring Festival, from the .ics beside the config
			found = true
		}
	}
	if def.CalendarName != policy.DefaultCalendar || !found {
		t.Errorf("default calendar %s, holidays %v", def.CalendarName, def.Calendar.Holidays)
	}
}

// writeIn writes a config beside a copy of the sample holidays file.
func writeIn(t *testing.T, name, content string) string {
	t.Helper()
	dir := t.TempDir()
	copyFile(t, filepath.Join("holidays", "cn-2026.ics"), filepath.Join(dir, "holidays", "cn-2026.ics"))
	return writeFileAt(t, filepath.Join(dir, name), content)
}

func TestPolicyProblemsNamed(t *testing.T) {
	clearEnv(t)
	bad := strings.NewReplacer(
		"- {at: 0.5, notify: [assignee]}", "- {at: 0.5, notify: [pager]}",
		"- {at: 1.5, notify: [supervisor]}", "- {at: 1.0, notify: [supervisor]}",
		"calendar: berlin\n      deadlines", "calendar: paris\n      deadlines",
		"sheet: {normal: 1wd}", "sheet: {normal: soon}, teleport: {normal: 1h}",
		"name: gold", "name: default",
		"match: {tier: vip,", "match: {tier: platinum,",
		"calendar: berlin}", "calendar: tokyo}",
		"holidays/cn-2026.ics", "holidays/none.ics",
		"except: {priority: [urgent]}", "except: {priority: [asap]}",
	).Replace(policiesYAML)
	_, err := Load(writeIn(t, "svcflow.yaml", bad), nil)
	for _, key := range []string{
		"sla.escalation[0].notify[0]", "sla.escalation[2].at", "sla.escalation",
		"sla.policies[0].calendar", "sla.policies[0].deadlines.sheet.normal", "sla.policies[0].deadlines.teleport",
		"sla.policies[0].name", "sla.policies[0].match.tier[0]", "routing.groups.field.calendar",
		"calendar.holidays_ics[0]", "notify.quiet_hours.except.priority[0]",
	} {
		if err == nil || !strings.Contains(err.Error(), key+":") {
			t.Errorf("problem of %s not named in:\n%v", key, err)
		}
	}
}
