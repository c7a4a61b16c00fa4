package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"

	"github.com/svcflow/svcflow/internal/testenv"
	"github.com/svcflow/svcflow/internal/teststack"
	"github.com/svcflow/svcflow/workflows"
)

// TestSLAPolicies runs every CONTRACT §9 key through the real worker on one
// stack: policies by condition with their own calendar and escalation chain
// (and the SlaPolicy search attribute), a group's calendar, quiet hours with
// the urgent exception, holidays from the shipped .ics file, and last
// apply_policy after the worker restarted with a changed config.
func TestSLAPolicies(t *testing.T) {
	q := quietCalendar(time.Now())
	path := writeConfig(t, func(cfg yamlMap) { policiesConfig(cfg, q) })
	ts := teststack.New(t, teststack.Options{Config: path, Workers: 1, Prefix: "pol",
		Env: []string{"SVCFLOW_ACTOR=e2e-agent"}})
	s := &stack{Stack: ts}
	t.Logf("quiet hours: calendar office in %s opens at %s", q.zone, q.opens.Format(time.RFC3339))

	t.Run("keys", func(t *testing.T) {
		t.Run("PolicyCalendarChain", func(t *testing.T) { t.Parallel(); testPolicyChain(t, s) })
		t.Run("GroupCalendar", func(t *testing.T) { t.Parallel(); testGroupCalendar(t, s) })
		t.Run("QuietHours", func(t *testing.T) { t.Parallel(); testQuietHours(t, s, q) })
		t.Run("HolidaysICS", func(t *testing.T) { t.Parallel(); testHolidaysICS(t, s) })
	})
	if t.Failed() {
		return
	}
	t.Run("ApplyPolicy", func(t *testing.T) { testApplyPolicy(t, s, q) })
}

// policiesConfig adds the §9 keys to config/test.yaml.
func policiesConfig(cfg yamlMap, q quiet) {
	cn := yamlMap{"timezone": "Asia/Shanghai", "standard_day": "9h",
		"hours": yamlMap{"mon": []string{"09:00-18:00"}, "tue": []string{"09:00-18:00"}, "wed": []string{"09:00-18:00"},
			"thu": []string{"09:00-18:00"}, "fri": []string{"09:00-18:00"}},
		// The .ics file closes dates; make-up working days are calendar.workdays.
		"holidays": []string{}, "workdays": []string{"2026-09-20", "2026-10-10"},
		"holidays_ics": []string{filepath.Join(testenv.RepoRoot(), "config", "holidays", "cn-2026.ics")}}
	cfg["calendars"] = yamlMap{
		"berlin":    allWeek("Europe/Berlin"),
		"field-cal": allWeek("Asia/Shanghai"),
		"office":    q.cal,
		"cn":        cn,
	}
	sla := section(cfg, "sla")
	sla["policies"] = []yamlMap{{
		"name":     "gold",
		"match":    yamlMap{"tier": []string{"vip"}, "category": []string{"outage"}, "channel": []string{"phone"}, "priority": []string{"urgent"}},
		"calendar": "berlin",
		// 2s response: steps at 1s, 2s, 3s, 4s.
		"deadlines": yamlMap{"response": yamlMap{"urgent": "2s"}},
		"escalation": []yamlMap{
			{"at": 0.5, "notify": []string{"assignee"}},
			{"at": 1.0, "notify": []string{"assignee", "supervisor"}},
			{"at": 1.5, "notify": []string{"supervisor"}},
			{"at": 2.0, "notify": []string{"manager"}},
		},
	}}
	groups := section(section(cfg, "routing"), "groups")
	field := groups["field"].(yamlMap)
	field["calendar"] = "field-cal"
	section(cfg, "notify")["quiet_hours"] = yamlMap{
		"parties":  []string{"supervisor"},
		"calendar": "office",
		"except":   yamlMap{"priority": []string{"urgent"}},
	}
}

// quiet is a calendar closed now that opens within two minutes.
type quiet struct {
	zone  string
	cal   yamlMap
	opens time.Time
}

// quietCalendar picks a fixed-offset zone where it is about noon, so that
// "closed now, open from the minute after next until midnight" never
// crosses a day, whatever the time of the run.
func quietCalendar(now time.Time) quiet {
	k := 12 - now.UTC().Hour() // local = UTC + k hours
	zone := "UTC"
	switch {
	case k > 0:
		zone = fmt.Sprintf("Etc/GMT-%d", k) // the Etc names invert the sign
	case k < 0:
		zone = fmt.Sprintf("Etc/GMT+%d", -k)
	}
	loc, _ := time.LoadLocation(zone)
	local := now.In(loc)
	opens := local.Truncate(time.Minute).Add(2 * time.Minute)
	hours := yamlMap{}
	today := strings.ToLower(local.Weekday().String()[:3])
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"} {
		hours[d] = []string{"00:00-24:00"}
	}
	hours[today] = []string{opens.Format("15:04") + "-24:00"}
	return quiet{zone: zone, opens: opens,
		cal: yamlMap{"timezone": zone, "standard_day": "24h", "hours": hours, "holidays": []string{}, "workdays": []string{}}}
}

// startRequest starts a request from JSON fields with the starter.
func (s *stack) startRequest(t *testing.T, name string, fields map[string]any) string {
	t.Helper()
	id := s.id(name)
	req := map[string]any{
		"request_id": id,
		"customer":   map[string]any{"id": "cust-" + id, "name": "Customer " + id, "email": "c@example.com", "tier": "standard", "locale": "en"},
		"channel":    "web", "category": "printer", "priority": "normal", "title": "Policy check (" + id + ")",
	}
	for k, v := range fields {
		if k == "tier" {
			req["customer"].(map[string]any)["tier"] = v
			continue
		}
		req[k] = v
	}
	raw, _ := json.Marshal(req)
	if r := s.run(t, string(raw), "starter", "--file", "-"); r.code != 0 {
		t.Fatalf("starter: %s", r)
	}
	return id
}

// eventLevels lists a request's deadline events of one deadline as
// "kind/level" in order, from PostgreSQL.
func (s *stack) eventLevels(ctx context.Context, id, deadline string) ([]string, error) {
	rows, err := s.DB.Query(ctx, `SELECT kind, COALESCE(payload->>'level', '') FROM request_events
		WHERE request_id = $1 AND kind LIKE 'deadline.%' AND payload->>'deadline' = $2 ORDER BY seq`, id, deadline)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var kind, level string
		if err := rows.Scan(&kind, &level); err != nil {
			return nil, err
		}
		out = append(out, strings.TrimPrefix(kind, "deadline.")+"/"+level)
	}
	return out, rows.Err()
}

// testPolicyChain: a VIP urgent phone outage matches gold: Berlin calendar,
// a 2 s response and a chain of four steps, each firing once in order with
// its parties told; the names are in status, the search attribute and the
// deadline rows.
func testPolicyChain(t *testing.T, s *stack) {
	id := s.startRequest(t, "gold", map[string]any{"tier": "vip", "category": "outage", "channel": "phone", "priority": "urgent"})
	st := s.waitStatus(t, id, "response escalated to level 3", 30*time.Second, func(st workflows.Status) bool {
		d, ok := deadline(st, "response", 1)
		return ok && d.EscalationLevel >= 3
	})
	if st.Policy != "gold" || st.Calendar != "berlin" {
		t.Errorf("status policy %q calendar %q, want gold, berlin", st.Policy, st.Calendar)
	}
	want := []string{"started/", "warning/", "breach/1", "escalation/2", "escalation/3"}
	s.waitDB(t, "the chain's events", func(ctx context.Context) (bool, string, error) {
		got, err := s.eventLevels(ctx, id, "response")
		return strings.Join(got, " ") == strings.Join(want, " "), strings.Join(got, " "), err
	})
	s.waitDB(t, "one notification per step and party", func(ctx context.Context) (bool, string, error) {
		counts, _, err := s.dbNotifications(ctx, id)
		want := map[string]int{"warning/assignee": 1, "breach/assignee": 1, "breach/supervisor": 1,
			"escalation/supervisor": 1, "escalation/manager": 1}
		for k, n := range want {
			if counts[k] != n {
				return false, fmt.Sprint(counts), err
			}
		}
		return true, "", err
	})
	s.waitDB(t, "the deadline row names policy and calendar", func(ctx context.Context) (bool, string, error) {
		var pol, cal string
		err := s.DB.QueryRow(ctx, `SELECT policy, calendar FROM sla_deadlines WHERE request_id = $1 AND name = 'response'`, id).Scan(&pol, &cal)
		return pol == "gold" && cal == "berlin", pol + "/" + cal, err
	})
	pollFor(t, "SlaPolicy = gold in visibility", 30*time.Second, func(ctx context.Context) (bool, string, error) {
		resp, err := s.Client.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Query: fmt.Sprintf(`SlaPolicy = "gold" AND RequestId = %q`, id)})
		if err != nil {
			return false, "", err
		}
		return len(resp.Executions) == 1, fmt.Sprintf("%d runs", len(resp.Executions)), nil
	})
}

// testGroupCalendar: a request routed to group field (category onsite)
// counts in the group's calendar under the default policy.
func testGroupCalendar(t *testing.T, s *stack) {
	id := s.startRequest(t, "onsite", map[string]any{"category": "onsite"})
	st := s.waitStatus(t, id, "routed", 20*time.Second, func(st workflows.Status) bool { return st.Group != "" })
	if st.Group != "field" || st.Policy != "default" || st.Calendar != "field-cal" {
		t.Errorf("group %q policy %q calendar %q, want field, default, field-cal", st.Group, st.Policy, st.Calendar)
	}
	if st.CalendarSpec == nil || st.CalendarSpec.Zone != "Asia/Shanghai" {
		t.Errorf("calendar spec %+v, want the group's (Asia/Shanghai)", st.CalendarSpec)
	}
}

// testQuietHours: the supervisor's breach notice of a normal request falls
// in the office calendar's closed hours: the breach is recorded at once, the
// notice is held until the opening and then sent once; an urgent request's
// is sent at once.
func testQuietHours(t *testing.T, s *stack, q quiet) {
	normal := s.startRequest(t, "quiet", nil)
	urgent := s.startRequest(t, "loud", map[string]any{"priority": "urgent"})
	type row struct {
		status string
		held   *time.Time
		sent   *time.Time
	}
	breachRow := func(ctx context.Context, id string) (row, error) {
		var r row
		err := s.DB.QueryRow(ctx, `SELECT status, held_until, sent_at FROM notifications
			WHERE request_id = $1 AND kind = 'breach' AND party = 'supervisor'`, id).Scan(&r.status, &r.held, &r.sent)
		if err != nil && strings.Contains(err.Error(), "no rows") {
			return r, nil
		}
		return r, err
	}
	var breachAt time.Time
	s.waitDB(t, "the normal request's breach recorded and its notice held", func(ctx context.Context) (bool, string, error) {
		var n int
		if err := s.DB.QueryRow(ctx, `SELECT count(*), COALESCE(min(at), now()) FROM request_events
			WHERE request_id = $1 AND kind IN ('deadline.breach', 'notification.held')`, normal).Scan(&n, &breachAt); err != nil {
			return false, "", err
		}
		return n == 2, fmt.Sprintf("%d of breach and held events", n), nil
	})
	if time.Now().After(q.opens) {
		t.Skipf("the office opened before the hold could be seen (machine too slow: breach at %s)", breachAt)
	}
	if r, err := breachRow(context.Background(), normal); err != nil || r.status == "sent" {
		t.Fatalf("the held notice is %q before the opening (%v)", r.status, err)
	}
	s.waitDB(t, "the urgent request's notice sent at once", func(ctx context.Context) (bool, string, error) {
		r, err := breachRow(ctx, urgent)
		return r.status == "sent" && r.held == nil, fmt.Sprintf("%+v", r), err
	})
	var got row
	pollFor(t, "the held notice sent at the opening", time.Until(q.opens)+60*time.Second, func(ctx context.Context) (bool, string, error) {
		r, err := breachRow(ctx, normal)
		got = r
		return r.status == "sent", fmt.Sprintf("%+v", r), err
	})
	if got.held == nil || !got.held.Equal(q.opens) {
		t.Errorf("held_until %v, want the opening %s", got.held, q.opens)
	}
	if got.sent == nil || got.sent.Before(q.opens) {
		t.Errorf("sent at %v, before the opening %s", got.sent, q.opens)
	}
	var sends int
	if err := s.DB.QueryRow(context.Background(), `SELECT count(*) FROM notifications
		WHERE request_id = $1 AND kind = 'breach' AND party = 'supervisor'`, normal).Scan(&sends); err != nil || sends != 1 {
		t.Errorf("%d rows for the held notice (%v), want 1", sends, err)
	}
}

// testHolidaysICS: the shipped cn-2026.ics closes National Day (1–7
// October), in svcctl calendar show and in svcctl due, beside the make-up
// Saturday the calendar's workdays open.
func testHolidaysICS(t *testing.T, s *stack) {
	out := s.svcctl(t, "calendar", "show", "--calendar", "cn", "--year", "2026")
	for _, want := range []string{"2026-10-01", "2026-10-07", "2026-10-10", "National Day"} {
		if !strings.Contains(out, want) {
			t.Errorf("calendar show lacks %q:\n%s", want, out)
		}
	}
	// Wed 30 Sep 17:00 + 2 working hours: one hour that day, the next on
	// Thu 8 Oct, the first working day after the holiday.
	got := strings.TrimSpace(s.svcctl(t, "due", "--calendar", "cn", "--from", "2026-09-30T17:00:00+08:00", "--add", "2h", "--clock", "business"))
	if !strings.Contains(got, "2026-10-08T10:00:00+08:00") {
		t.Errorf("due across National Day: %q, want 2026-10-08T10:00:00+08:00", got)
	}
	// Sat 10 Oct is a make-up working day: 09:00 + 1h = 10:00 the same day.
	got = strings.TrimSpace(s.svcctl(t, "due", "--calendar", "cn", "--from", "2026-10-10T09:00:00+08:00", "--add", "1h", "--clock", "business"))
	if !strings.Contains(got, "2026-10-10T10:00:00+08:00") {
		t.Errorf("due on the make-up Saturday: %q, want 2026-10-10T10:00:00+08:00", got)
	}
}

// testApplyPolicy: a request runs under the default policy; the worker
// restarts with a policy that matches it; nothing changes until
// apply_policy, which re-selects it and records from and to.
func testApplyPolicy(t *testing.T, s *stack, q quiet) {
	id := s.startRequest(t, "apply", map[string]any{"category": "install"})
	st := s.waitStatus(t, id, "started", 20*time.Second, func(st workflows.Status) bool { return st.Policy != "" })
	if st.Policy != "default" {
		t.Fatalf("policy %q before the change, want default", st.Policy)
	}
	changed := writeConfig(t, func(cfg yamlMap) {
		policiesConfig(cfg, q)
		sla := section(cfg, "sla")
		sla["policies"] = append(sla["policies"].([]yamlMap), yamlMap{
			"name": "install-care", "match": yamlMap{"category": "install"}, "calendar": "berlin",
			"deadlines": yamlMap{"response": yamlMap{"normal": "1h"}},
		})
	})
	old := s.Worker()
	if err := old.Stop(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := s.StartWorker(ctx, teststack.WorkerSpec{Env: []string{"SVCFLOW_CONFIG=" + changed}, Name: "worker-changed"}); err != nil {
		t.Fatal(err)
	}
	if st := s.status(t, id); st.Policy != "default" {
		t.Fatalf("a config change altered a running request: policy %q", st.Policy)
	}
	s.act(t, "received", "apply-policy", id, "--note", "install requests get the care policy")
	st = s.waitStatus(t, id, "policy applied", 20*time.Second, func(st workflows.Status) bool { return st.Policy == "install-care" })
	if st.Calendar != "berlin" {
		t.Errorf("calendar %q after apply_policy, want berlin", st.Calendar)
	}
	d, ok := deadline(st, "response", 1)
	if !ok || d.DueAt == nil || time.Until(*d.DueAt) < 50*time.Minute {
		t.Errorf("response deadline %+v, want due about 1h after the start", d)
	}
	s.waitDB(t, "policy.applied names from and to", func(ctx context.Context) (bool, string, error) {
		var from, to string
		err := s.DB.QueryRow(ctx, `SELECT payload->>'from', payload->>'to' FROM request_events
			WHERE request_id = $1 AND kind = 'policy.applied'`, id).Scan(&from, &to)
		if err != nil && strings.Contains(err.Error(), "no rows") {
			return false, "no event yet", nil
		}
		return from == "default" && to == "install-care", from + " -> " + to, err
	})
}

// pollFor waits up to limit for cond (testenv.Poll), failing t on timeout.
func pollFor(t *testing.T, what string, limit time.Duration, cond func(ctx context.Context) (bool, string, error)) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	if err := testenv.Poll(ctx, what, cond); err != nil {
		t.Fatal(err)
	}
}
