package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An .ics file with a national holiday closes that date in calendar show
// and in due.
func TestCalendarShowAndDueWithAnICSHoliday(t *testing.T) {
	dir := t.TempDir()
	ics, err := os.ReadFile(filepath.Join("..", "config", "holidays", "cn-2026.ics"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "holidays"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "holidays", "cn.ics"), ics, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "svcflow.yaml")
	yaml := "calendar:\n  timezone: Asia/Shanghai\n  hours:\n" +
		"    mon: [\"09:00-12:00\", \"13:00-18:00\"]\n    tue: [\"09:00-12:00\", \"13:00-18:00\"]\n    wed: [\"09:00-12:00\", \"13:00-18:00\"]\n" +
		"    thu: [\"09:00-12:00\", \"13:00-18:00\"]\n    fri: [\"09:00-12:00\", \"13:00-18:00\"]\n" +
		"  holidays_ics: [holidays/cn.ics]\n  workdays: [\"2026-10-10\"]\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runSvcctl(t, "", "calendar", "show", "--config", cfg, "--year", "2026", "--json")
	var rows []dayRow
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil {
		t.Fatalf("calendar show: exit %d\n%s%s", code, out, errOut)
	}
	kinds := map[string]dayRow{}
	for _, r := range rows {
		kinds[r.Date] = r
	}
	if r := kinds["2026-10-01"]; r.Kind != "closed" || r.Source != "holidays/cn.ics" || !strings.Contains(r.Summary, "国庆节") {
		t.Errorf("National Day: %+v", r)
	}
	if r := kinds["2026-10-10"]; r.Kind != "workday" || r.Weekday != "Sat" {
		t.Errorf("make-up day: %+v", r)
	}
	// Wed 2026-09-30 17:00 + 2h of working time: Oct 1-7 are closed, Sat
	// Oct 10 is a make-up day → 2026-10-08 (Thu) 10:00.
	code, out, errOut = runSvcctl(t, "", "due", "--config", cfg, "--from", "2026-09-30T17:00:00+08:00", "--add", "2h")
	if code != 0 || strings.TrimSpace(out) != "2026-10-08T10:00:00+08:00" {
		t.Fatalf("due across National Day: exit %d %q %s", code, out, errOut)
	}
}
