package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/cli"
	"github.com/svcflow/svcflow/internal/report"
	"github.com/svcflow/svcflow/internal/store"
	"github.com/svcflow/svcflow/internal/testenv"
)

// reportConfig is a config whose PostgreSQL holds a small generated data
// set: 400 requests over the 8 weeks before now.
func reportConfig(t *testing.T) string {
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
	span := 56 * 24 * time.Hour
	spec := report.GenSpec{Requests: 400, EventsPerRequest: 3, Start: time.Now().Add(-span), Span: span, Groups: 3, Seed: 0.1}
	if err := report.Generate(ctx, st.Pool(), spec); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "svcflow.yaml")
	yaml := "temporal: {address: 127.0.0.1:1}\ncalendar:\n  timezone: Asia/Shanghai\n  standard_day: 8h\n  hours:\n" +
		"    mon: [\"09:00-18:00\"]\n    tue: [\"09:00-18:00\"]\n    wed: [\"09:00-18:00\"]\n    thu: [\"09:00-18:00\"]\n    fri: [\"09:00-18:00\"]\n" +
		"  holidays: []\n  workdays: []\nintake: {token: intake-s3cret}\npostgres: {dsn: \"" + dsn + "\"}\n"
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReportCommand(t *testing.T) {
	cfg := reportConfig(t)

	code, out, errOut := runSvcctl(t, "", "report", "--config", cfg)
	if code != 0 || !strings.Contains(out, "svcflow KPI report") || !strings.Contains(out, "satisfaction (surveys averaging >= 4)") {
		t.Fatalf("report: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "+08:00 to ") {
		t.Errorf("period not shown in the calendar's zone:\n%s", out)
	}

	code, out, errOut = runSvcctl(t, "", "report", "--config", cfg, "--json", "--group", "group-2", "--tier", "standard")
	var r report.Report
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil {
		t.Fatalf("report --json: exit %d\n%s\n%s", code, out, errOut)
	}
	if r.Filter.Group != "group-2" || r.Filter.Tier != "standard" || r.Figures[0].Key != "requests.received" || r.Figures[0].N == 0 {
		t.Errorf("report --json: filter %+v, first figure %+v", r.Filter, r.Figures[0])
	}
	if got := r.Filter.To.Sub(r.Filter.From); got != report.DefaultPeriod {
		t.Errorf("default period %v, want %v", got, report.DefaultPeriod)
	}

	code, out, _ = runSvcctl(t, "", "report", "--config", cfg, "--csv", "--from", "2020-01-01", "--to", "2030-12-31")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(rows) < 20 || rows[0][0] != "key" || rows[1][0] != "requests.received" || rows[1][3] != "400" {
		t.Fatalf("report --csv: exit %d, %v\n%s", code, err, out)
	}

	page := filepath.Join(t.TempDir(), "kpi.html")
	code, out, errOut = runSvcctl(t, "", "report", "--config", cfg, "--html", page)
	html, err := os.ReadFile(page)
	if code != 0 || err != nil || !strings.Contains(string(html), "<svg") || !strings.Contains(errOut, "wrote "+page) || strings.TrimSpace(out) != "" {
		t.Fatalf("report --html: exit %d, %v\n%s", code, err, errOut)
	}
	code, out, _ = runSvcctl(t, "", "report", "--config", cfg, "--html", "-")
	if code != 0 || !strings.HasPrefix(out, "<!DOCTYPE html>") {
		t.Errorf("report --html -: exit %d, output starts %.40q", code, out)
	}
}

func TestReportCommandRejects(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "svcflow.yaml")
	// PostgreSQL is not reached: every case fails before.
	yaml := "calendar: {timezone: UTC}\npostgres: {dsn: \"postgres://x@127.0.0.1:1/x\"}\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--csv", "--json"}, cli.ExitUsage, "--csv and --json exclude each other"},
		{[]string{"--tier", "gold"}, cli.ExitRejected, `tier: "gold": want vip or standard`},
		{[]string{"--from", "last week"}, cli.ExitRejected, `from: "last week": want RFC 3339`},
		{[]string{"--from", "2026-11-10", "--to", "2026-11-01"}, cli.ExitRejected, "from: 2026-11-10T00:00:00Z is not before to"},
		{[]string{"--group", ""}, cli.ExitRejected, "group: empty"},
		{[]string{"extra"}, cli.ExitUsage, "unknown command"},
	}
	for _, c := range cases {
		code, _, errOut := runSvcctl(t, "", append([]string{"report", "--config", cfg}, c.args...)...)
		first, _, _ := strings.Cut(errOut, "\n")
		if code != c.code || !strings.Contains(first, c.want) {
			t.Errorf("report %v: exit %d, stderr %q; want %d and %q on the first line", c.args, code, errOut, c.code, c.want)
		}
		if code == cli.ExitRejected && strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("report %v: rejection not on one line: %q", c.args, errOut)
		}
	}
}
