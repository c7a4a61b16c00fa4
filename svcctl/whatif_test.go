package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/records"
	"github.com/svcflow/svcflow/internal/store"
	"github.com/svcflow/svcflow/internal/testenv"
	"github.com/svcflow/svcflow/internal/whatif"
)

// whatifConfigs writes a database with requests answered after 10, 25 and
// 45 min (recorded as the workflow records them under a 30 min response
// target), the config pointing at it (30 min) and a policy file with a
// 20 min target.
func whatifConfigs(t *testing.T) (cfg, faster string) {
	t.Helper()
	dsn := testenv.NewDatabase(t)
	ctx := context.Background()
	st, err := store.Open(ctx, config.Postgres{DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now().Add(-48 * time.Hour).Truncate(time.Second)
	for i, after := range []time.Duration{10 * time.Minute, 25 * time.Minute, 45 * time.Minute} {
		recordAnswered(t, st, fmt.Sprintf("w%d", i+1), t0.Add(time.Duration(i)*time.Hour), after)
	}
	dir := t.TempDir()
	base := "temporal: {address: 127.0.0.1:1}\ncalendar: {timezone: Asia/Shanghai}\npostgres: {dsn: \"" + dsn + "\"}\n"
	cfg, faster = filepath.Join(dir, "svcflow.yaml"), filepath.Join(dir, "faster.yaml")
	for path, yaml := range map[string]string{
		cfg:    base,
		faster: base + "sla:\n  deadlines:\n    response: {normal: 20m}\n",
	} {
		if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return cfg, faster
}

// recordAnswered writes a normal request received at t0 and answered after
// d, then cancelled, transition by transition as the workflow does.
func recordAnswered(t *testing.T, st *store.Store, id string, t0 time.Time, d time.Duration) {
	t.Helper()
	due := t0.Add(30 * time.Minute)
	row := records.RequestRow{RequestID: id, WorkflowID: "sr-" + id, Tier: "standard", Priority: "normal", Category: "install", Channel: "web",
		Group: "general", Stage: "received", CreatedAt: t0, SlaPolicy: "default", SlaCalendar: "default", SlaSemantics: 1}
	seq := int64(0)
	write := func(at time.Time, rows []records.DeadlineRow, events ...[2]string) {
		t.Helper()
		var evs []records.Event
		for _, e := range events {
			seq++
			evs = append(evs, records.Event{Seq: seq, At: at, Kind: e[0], Payload: json.RawMessage(e[1])})
		}
		row.Seq, row.UpdatedAt = seq, at
		if err := st.RecordTransition(context.Background(), records.Facts{Request: row, Events: evs, Deadlines: rows}); err != nil {
			t.Fatal(err)
		}
	}
	resp := records.DeadlineRow{Name: "response", Instance: 1, Clock: "wall", StartedAt: t0, DueAt: &due, State: "pending", Target: 30 * time.Minute}
	write(t0, []records.DeadlineRow{resp},
		[2]string{"received", `{"priority": "normal", "tier": "standard", "group": "general", "channel": "web", "category": "install"}`},
		[2]string{"deadline.started", `{"deadline": "response", "instance": 1}`})
	at := t0.Add(d)
	if d >= 30*time.Minute {
		resp.State, resp.BreachedAt = "breached", &due
		write(due, []records.DeadlineRow{resp}, [2]string{"deadline.breach", `{"deadline": "response", "instance": 1, "level": 1}`})
	} else {
		resp.State = "met"
	}
	resp.MetAt = &at
	row.Stage = "analysis"
	write(at, []records.DeadlineRow{resp}, [2]string{"action.respond", `{}`}, [2]string{"deadline.met", `{"deadline": "response", "instance": 1}`})
	row.Stage, row.Outcome = "closed", "cancelled"
	write(at.Add(time.Minute), nil, [2]string{"action.cancel", `{}`}, [2]string{"closed", `{"outcome": "cancelled"}`})
}

func TestWhatIfCommand(t *testing.T) {
	testenv.Integration(t, "PostgreSQL")
	cfg, faster := whatifConfigs(t)

	code, out, errOut := runSvcctl(t, "", "whatif", "--config", cfg, "--policy", faster)
	if code != 0 || !strings.Contains(out, "svcflow what-if: "+faster) || !strings.Contains(out, "3 requests replayed, 3 deadline instances: 1 change outcome") {
		t.Fatalf("whatif: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "\nw2 ") || strings.Contains(out, "\nw1 ") || strings.Contains(out, "\nw3 ") {
		t.Errorf("only w2 (answered at 25 min) flips:\n%s", out)
	}

	code, out, errOut = runSvcctl(t, "", "whatif", "--config", cfg, "--policy", faster, "--json")
	var s struct {
		Deadlines []whatif.DeadlineCount `json:"deadlines"`
		Changes   []whatif.Change        `json:"changes"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &s) != nil {
		t.Fatalf("whatif --json: exit %d\n%s\n%s", code, out, errOut)
	}
	if len(s.Changes) != 1 || s.Changes[0].RequestID != "w2" || s.Changes[0].WhatIf.Outcome != whatif.Breached ||
		s.Deadlines[0] != (whatif.DeadlineCount{Name: "response", Settled: 3, BreachedRecorded: 1, BreachedWhatIf: 2}) {
		t.Errorf("whatif --json: %+v", s)
	}

	code, out, _ = runSvcctl(t, "", "whatif", "--config", cfg, "--policy", faster, "--csv", "--tier", "standard", "--group", "general")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || rows[0][0] != "section" || rows[len(rows)-1][0] != "change" || rows[len(rows)-1][1] != "w2" {
		t.Fatalf("whatif --csv: exit %d, %v\n%s", code, err, out)
	}

	// Under the configuration the requests ran with: nothing changes.
	code, out, _ = runSvcctl(t, "", "whatif", "--config", cfg, "--policy", cfg, "--json")
	if code != 0 || !strings.Contains(out, `"changes": []`) {
		t.Errorf("self-check: exit %d\n%s", code, out)
	}

	// Another group: nothing to replay.
	code, out, _ = runSvcctl(t, "", "whatif", "--config", cfg, "--policy", faster, "--group", "field")
	if code != 0 || !strings.Contains(out, "0 requests replayed") {
		t.Errorf("group field: exit %d\n%s", code, out)
	}

	page := filepath.Join(t.TempDir(), "whatif.html")
	code, _, errOut = runSvcctl(t, "", "whatif", "--config", cfg, "--policy", faster, "--html", page)
	html, err := os.ReadFile(page)
	if code != 0 || err != nil || !strings.Contains(string(html), "<svg") || !strings.Contains(errOut, "wrote "+page) {
		t.Errorf("whatif --html: exit %d, %v, %s", code, err, errOut)
	}
}

// Bad flags and files: one line naming the flag or key, exit 1.
func TestWhatIfBadInput(t *testing.T) {
	cfg := testConfig(t)
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("sla:\n  deadlines:\n    response: {normal: 3x}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"whatif", "--config", cfg}, 1, "svcctl: --policy: missing: name the configuration file whose calendars, sla and routing to try\n"},
		{[]string{"whatif", "--config", cfg, "--policy", "/no/such.yaml"}, 1, "svcctl: --policy: config file /no/such.yaml: stat /no/such.yaml: no such file or directory\n"},
		{[]string{"whatif", "--config", cfg, "--policy", bad}, 1, "svcctl: invalid configuration in " + bad + " (1 problem):\n  sla.deadlines.response.normal: 3x: not a duration: use Go syntax (90s, 30m, 24h) or Nwd\n"},
		{[]string{"whatif", "--config", cfg, "--policy", cfg, "--tier", "gold"}, 1, "svcctl: tier: \"gold\": want vip or standard\n"},
		{[]string{"whatif", "--config", cfg, "--policy", cfg, "--from", "2026-12-01", "--to", "2026-11-01"}, 1, "svcctl: from: 2026-12-01T00:00:00+08:00 is not before to 2026-11-02T00:00:00+08:00\n"},
		{[]string{"whatif", "--config", cfg, "--policy", cfg, "--group", ""}, 1, "svcctl: group: empty\n"},
		{[]string{"whatif", "--config", cfg, "--policy", cfg, "--json", "--csv"}, 2, "svcctl: --csv and --json exclude each other\n"},
	} {
		code, _, errOut := runSvcctl(t, "", c.args...)
		if code != c.code || !strings.HasPrefix(errOut, c.want) {
			t.Errorf("%v: exit %d\n%s\nwant exit %d\n%s", c.args[3:], code, errOut, c.code, c.want)
		}
	}
}
