package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/calendar"
	"github.com/svcflow/svcflow/internal/cli"
	"github.com/svcflow/svcflow/workflows"
)

// runSvcctl runs the command line and returns exit code, stdout and stderr.
func runSvcctl(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	root := newRootCmd()
	root.SetArgs(args)
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetIn(strings.NewReader(stdin))
	code := cli.Execute("svcctl", root, &errb)
	return code, out.String(), errb.String()
}

// testConfig writes a config whose Temporal address nothing listens on.
func testConfig(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "svcflow.yaml")
	yaml := "temporal: {address: 127.0.0.1:1}\ncalendar:\n  timezone: Asia/Shanghai\n  standard_day: 8h\n  hours:\n" +
		"    mon: [\"09:00-12:00\", \"13:00-18:00\"]\n    tue: [\"09:00-12:00\", \"13:00-18:00\"]\n    wed: [\"09:00-12:00\", \"13:00-18:00\"]\n" +
		"    thu: [\"09:00-12:00\", \"13:00-18:00\"]\n    fri: [\"09:00-12:00\", \"13:00-18:00\"]\n  holidays: []\n  workdays: []\n" +
		"intake: {token: intake-s3cret}\npostgres: {dsn: \"postgres://svc:pg-s3cret@127.0.0.1:1/x\"}\n"
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestExitCodes(t *testing.T) {
	cfg := testConfig(t)
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown command", []string{"explode", "42"}, cli.ExitUsage, "unknown command"},
		{"unknown flag", []string{"respond", "42", "--colour", "red"}, cli.ExitUsage, "unknown flag"},
		{"missing request", []string{"respond"}, cli.ExitUsage, "exactly one request"},
		{"two requests", []string{"status", "1", "2"}, cli.ExitUsage, "exactly one request"},
		{"bad request id", []string{"respond", "4 2"}, cli.ExitRejected, "request \"4 2\""},
		{"bad data json", []string{"note", "42", "--data", "{oops"}, cli.ExitRejected, "--data"},
		{"unknown payload field", []string{"note", "42", "--data", `{"colour":"red"}`}, cli.ExitRejected, "colour"},
		{"field of another action", []string{"respond", "42", "--data", `{"reason":"x"}`}, cli.ExitRejected, "reason"},
		{"bad time", []string{"submit-sheet", "42", "--expected-delivery", "tomorrow"}, cli.ExitRejected, "--expected-delivery"},
		{"bad priority", []string{"reprioritize", "42", "--priority", "soon"}, cli.ExitRejected, "priority"},
		{"bad stage filter", []string{"list", "--stage", "done", "--config", cfg}, cli.ExitRejected, "--stage"},
		{"bad due clock", []string{"due", "--add", "1h", "--clock", "moon", "--config", cfg}, cli.ExitRejected, "--clock"},
		{"due needs add", []string{"due", "--config", cfg}, cli.ExitUsage, "add"},
		{"missing config", []string{"due", "--add", "1h", "--config", "/nonexistent/svcflow.yaml"}, cli.ExitRejected, "nonexistent"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runSvcctl(t, "", c.args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d (stderr %q)", code, c.code, stderr)
			}
			first := strings.SplitN(stderr, "\n", 2)[0]
			if !strings.HasPrefix(first, "svcctl: ") || !strings.Contains(first, c.want) {
				t.Fatalf("first stderr line %q lacks %q", first, c.want)
			}
		})
	}
}

func TestDue(t *testing.T) {
	cfg := testConfig(t)
	cases := []struct{ from, add, clock, want string }{
		// Friday 17:30: half an hour left that day, then Monday, then 7.5h on Tuesday.
		{"2026-11-20T17:30:00+08:00", "2wd", "business", "2026-11-24T17:30:00+08:00"},
		// Saturday: counts from Monday's opening.
		{"2026-11-21T10:00:00+08:00", "90m", "business", "2026-11-23T10:30:00+08:00"},
		{"2026-11-21T10:00:00Z", "30m", "wall", "2026-11-21T18:30:00+08:00"},
	}
	for _, c := range cases {
		code, out, stderr := runSvcctl(t, "", "due", "--from", c.from, "--add", c.add, "--clock", c.clock, "--config", cfg)
		if code != 0 || strings.TrimSpace(out) != c.want {
			t.Errorf("due %s + %s (%s) = %q (exit %d, %q), want %s", c.from, c.add, c.clock, out, code, stderr, c.want)
		}
	}
	code, _, stderr := runSvcctl(t, "", "due", "--from", "2026-11-20T17:30:00+08:00", "--add", "1wd", "--clock", "wall", "--config", cfg)
	if code != cli.ExitRejected || !strings.Contains(stderr, "--clock business") {
		t.Errorf("wd on a wall clock: exit %d %q", code, stderr)
	}
}

func TestConfigShowRedacts(t *testing.T) {
	cfg := testConfig(t)
	for _, args := range [][]string{{"config", "show", "--config", cfg}, {"config", "show", "--json", "--config", cfg}} {
		code, out, stderr := runSvcctl(t, "", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d %q", args, code, stderr)
		}
		if strings.Contains(out, "s3cret") || !strings.Contains(out, config.Redacted) || !strings.Contains(out, "127.0.0.1:1") {
			t.Fatalf("%v printed:\n%s", args, out)
		}
	}
}

func TestUnreachableTemporalIsOneLine(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the dial timeout")
	}
	cfg := testConfig(t)
	code, _, stderr := runSvcctl(t, "", "respond", "42", "--config", cfg, "--timeout", "300ms")
	if code != cli.ExitRejected || !strings.HasPrefix(stderr, "svcctl: ") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

func TestBuildAction(t *testing.T) {
	t.Setenv("SVCFLOW_ACTOR", "ann-from-env")
	dir := t.TempDir()
	file := filepath.Join(dir, "sheet.json")
	if err := os.WriteFile(file, []byte(`{"goal":"from file","description":"d","action_id":"file-id"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	parse := func(name string, args ...string) (workflows.Action, error) {
		t.Helper()
		cmd := newActionCmd(&app{}, name)
		var o actionOptions
		if err := cmd.ParseFlags(args); err != nil {
			t.Fatal(err)
		}
		f := cmd.Flags()
		o.actor, _ = f.GetString("actor")
		o.note, _ = f.GetString("note")
		o.actionID, _ = f.GetString("action-id")
		o.data, _ = f.GetString("data")
		return buildAction(name, f, o, strings.NewReader(`{"reason":"from stdin"}`))
	}

	a, err := parse(workflows.ActionSubmitSheet, "--data", "@"+file, "--goal", "from flag", "--expected-delivery", "2026-12-01T18:00:00+08:00", "--actor", "ann", "--note", "n")
	if err != nil {
		t.Fatal(err)
	}
	if a.Goal != "from flag" || a.Description != "d" || a.ActionID != "file-id" || a.Actor != "ann" || a.Note != "n" ||
		a.ExpectedDelivery == nil || !a.ExpectedDelivery.Equal(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)) {
		t.Fatalf("flags over @file: %+v", a)
	}

	a, err = parse(workflows.ActionRejectSheet, "--data", "@-")
	if err != nil {
		t.Fatal(err)
	}
	if a.Reason != "from stdin" || a.ActionID == "" || a.Actor != "ann-from-env" {
		t.Fatalf("@- with defaults: %+v", a)
	}
	b, err := parse(workflows.ActionRejectSheet, "--data", "@-")
	if err != nil || b.ActionID == a.ActionID {
		t.Fatalf("two sends share the generated action ID %q (%v)", b.ActionID, err)
	}

	a, err = parse(workflows.ActionRecordFollowUp, "--response-speed", "5", "--resolution", "4", "--attitude", "5", "--professionalism", "3", "--comment", "ok", "--solved", "--action-id", "f-1")
	if err != nil {
		t.Fatal(err)
	}
	if a.ResponseSpeed != 5 || a.Resolution != 4 || a.Attitude != 5 || a.Professionalism != 3 || a.Solved == nil || !*a.Solved || a.ActionID != "f-1" {
		t.Fatalf("follow-up: %+v", a)
	}

	a, err = parse(workflows.ActionAnnounceDelay, "--new-delivery", "+48h")
	if err != nil {
		t.Fatal(err)
	}
	if a.NewDelivery == nil || time.Until(*a.NewDelivery) < 47*time.Hour {
		t.Fatalf("+48h: %+v", a.NewDelivery)
	}

	if _, err := parse(workflows.ActionRecordFollowUp, "--response-speed", "9", "--resolution", "4", "--attitude", "5", "--professionalism", "3"); err == nil || !strings.Contains(err.Error(), "response_speed") {
		t.Fatalf("score 9 accepted or not named: %v", err)
	}
	if _, err := parse(workflows.ActionNote, "--data", "[1,2]"); err == nil {
		t.Fatal("a JSON array was accepted as --data")
	}
	if _, err := parse(workflows.ActionNote, "--data", `{"note":"a"} {"note":"b"}`); err == nil {
		t.Fatal("trailing data accepted")
	}
}

func TestActionCommandsCoverEveryAction(t *testing.T) {
	root := newRootCmd()
	root.InitDefaultCompletionCmd()
	for _, name := range workflows.ActionNames {
		c, _, err := root.Find([]string{kebab(name)})
		if err != nil || c.Name() != kebab(name) {
			t.Errorf("no command for %s", name)
			continue
		}
		if c.Short == "" {
			t.Errorf("%s has no help", kebab(name))
		}
		for _, f := range []string{"actor", "note", "action-id", "data", "signal"} {
			if c.Flags().Lookup(f) == nil {
				t.Errorf("%s lacks --%s", kebab(name), f)
			}
		}
	}
	for _, name := range []string{"status", "list", "timeline", "due", "config", "completion"} {
		if c, _, err := root.Find([]string{name}); err != nil || c.Name() != name {
			t.Errorf("no %s command", name)
		}
	}
}

func TestListQuery(t *testing.T) {
	cmd := newListCmd(&app{})
	if err := cmd.ParseFlags([]string{"--stage", "closed", "--group", "field", "--tier", "vip", "--priority", "urgent", "--breached", "--due-before", "2026-11-24T18:00:00+08:00"}); err != nil {
		t.Fatal(err)
	}
	o := listOptionsOf(t, cmd)
	q, err := o.query(cmd)
	if err != nil {
		t.Fatal(err)
	}
	want := "WorkflowType = 'ServiceRequest' AND Stage = 'closed' AND AssignedGroup = 'field' AND CustomerTier = 'vip' AND Priority = 'urgent' AND SlaBreached = true AND NextDeadline < '2026-11-24T10:00:00Z'"
	if q != want {
		t.Fatalf("query\n %s\nwant\n %s", q, want)
	}
	cmd = newListCmd(&app{})
	if err := cmd.ParseFlags([]string{"--group", "x' OR 1=1"}); err != nil {
		t.Fatal(err)
	}
	if o := listOptionsOf(t, cmd); func() error { _, err := o.query(cmd); return err }() == nil {
		t.Fatal("a quote in --group was accepted")
	}
}

// listOptionsOf reads the list filters back from the parsed flags.
func listOptionsOf(t *testing.T, cmd *cobra.Command) *listOptions {
	t.Helper()
	f := cmd.Flags()
	o := &listOptions{}
	o.stage, _ = f.GetString("stage")
	o.group, _ = f.GetString("group")
	o.tier, _ = f.GetString("tier")
	o.priority, _ = f.GetString("priority")
	o.breached, _ = f.GetBool("breached")
	o.dueBefore, _ = f.GetString("due-before")
	o.limit, _ = f.GetInt("limit")
	return o
}

func TestPrintStatus(t *testing.T) {
	spec := calendar.Spec{Zone: "Asia/Shanghai", StandardDay: 8 * time.Hour}
	for d := time.Monday; d <= time.Friday; d++ {
		spec.Week[d] = []calendar.Window{{Start: 9 * 3600, End: 12 * 3600}, {Start: 13 * 3600, End: 18 * 3600}}
	}
	cal, err := calendar.New(spec)
	if err != nil {
		t.Fatal(err)
	}
	loc := cal.Location()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, loc) // Monday 10:00
	at := func(day, h int) *time.Time { t := time.Date(2026, 11, day, h, 0, 0, 0, loc); return &t }
	st := workflows.Status{
		RequestID: "42", WorkflowID: "sr-42", Title: "Printer jams", CustomerID: "c-7", CustomerName: "Acme", Tier: "vip",
		Stage: workflows.StageAnalysis, Priority: "urgent", Group: "general", Assignee: "bob", EscalationLevel: 1, SlaBreached: true,
		RoundsUsed: 1, RoundsAllowed: 3, TimeZone: "Asia/Shanghai", CreatedAt: *at(20, 9),
		Deadlines: []workflows.DeadlineStatus{
			{Name: "response", Instance: 1, Clock: "wall", DueAt: at(20, 10), State: workflows.DeadlineBreached, EscalationLevel: 1},
			{Name: "sheet", Instance: 1, Clock: "business", DueAt: at(24, 11), State: workflows.DeadlinePending},
		},
		Complaints: []workflows.ComplaintStatus{{ID: 1, Reason: "slow", OpenedAt: *at(23, 9)}},
		Timeline:   []workflows.TimelineItem{{Seq: 1, At: *at(20, 9), Kind: "received"}, {Seq: 2, At: *at(20, 9), Kind: "stage", Detail: []byte(`{"from":"received","to":"analysis"}`)}},
	}
	var out bytes.Buffer
	if err := printStatus(&out, st, cal, now); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{
		"Request 42 — Printer jams (sr-42)", "analysis", "bob", "SLA breached",
		"2026-11-24T11:00:00+08:00", // due time in the calendar's zone, RFC 3339
		"1wd1h0m0s working left",    // Mon 10:00 → Tue 11:00 = 7h + 2h of working time
		"overdue 72h0m0s",           // wall clock: Fri 10:00 → Mon 10:00
		"slow", "received", "received → analysis",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("status lacks %q:\n%s", want, s)
		}
	}
}

func TestDetailWords(t *testing.T) {
	for _, c := range []struct{ kind, payload, want string }{
		{"stage", `{"from":"analysis","to":"awaiting_confirmation"}`, "analysis → awaiting_confirmation"},
		{"deadline.met", `{"deadline":"response","instance":1,"late":false}`, "response #1"},
		{"deadline.met", `{"deadline":"sheet","instance":2,"late":true}`, "sheet #2, late"},
		{"action.note", `{"action_id":"k","note":"` + strings.Repeat("long note ", 20) + `"}`, "note: long note long note long note long note long note long note…"},
		{"received", ``, "-"},
	} {
		if got := detailWords(c.kind, []byte(c.payload)); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.kind, c.payload, got, c.want)
		}
	}
}
