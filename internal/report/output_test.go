package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

func TestJSONShape(t *testing.T) {
	r := build(t, Filter{From: fixFrom, To: fixTo, Group: "alpha"})
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	for _, k := range []string{"generated_at", "filter", "time_zone", "figures", "deadlines", "weekly", "breaches_by_group"} {
		if _, ok := got[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	filter := got["filter"].(map[string]any)
	if filter["group"] != "alpha" || filter["from"] != "2026-11-02T00:00:00Z" || filter["to"] != "2026-11-16T00:00:00Z" {
		t.Errorf("filter = %v", filter)
	}
	var sat map[string]any
	for _, f := range got["figures"].([]any) {
		m := f.(map[string]any)
		for _, k := range []string{"key", "label", "unit", "value", "n", "status"} {
			if _, ok := m[k]; !ok {
				t.Errorf("figure %v lacks %q", m["key"], k)
			}
		}
		if m["key"] == "satisfaction_rate" {
			sat = m
		}
	}
	if sat == nil || sat["unit"] != "share" || sat["status"] != "fail" || sat["n"] != 3.0 {
		t.Fatalf("satisfaction_rate = %v", sat)
	}
	if tg := sat["target"].(map[string]any); tg["op"] != ">=" || tg["value"] != 0.9 {
		t.Errorf("satisfaction target = %v", tg)
	}
	dls := got["deadlines"].([]any)
	if len(dls) != 10 {
		t.Errorf("%d deadline rows, want 10 (one per kind)", len(dls))
	}
	review := dls[3].(map[string]any)
	if review["name"] != "review" || review["met_share"] != nil || review["status"] != NoData {
		t.Errorf("review row = %v", review)
	}
	if wk := got["weekly"].([]any); len(wk) != 2 || wk[0].(map[string]any)["start"] != "2026-11-02T00:00:00Z" {
		t.Errorf("weekly = %v", wk)
	}
}

func TestCSVShape(t *testing.T) {
	r := build(t, Filter{From: fixFrom, To: fixTo})
	var buf bytes.Buffer
	if err := r.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "key,label,unit,value,n,target_op,target,status" {
		t.Errorf("header %v", rows[0])
	}
	if want := 1 + len(r.Figures) + 2*10; len(rows) != want {
		t.Errorf("%d rows, want %d", len(rows), want)
	}
	byKey := map[string][]string{}
	for _, row := range rows[1:] {
		if len(row) != 8 {
			t.Fatalf("row %v has %d columns", row, len(row))
		}
		byKey[row[0]] = row
	}
	check := map[string]string{
		"requests.received":          "requests.received,requests received,count,6,6,,,no_target",
		"first_response.p90":         "first_response.p90,\"first-response time, p90\",seconds,2100,6,<=,1800,fail",
		"satisfaction_rate":          "satisfaction_rate,satisfaction (surveys averaging >= 4),share,0.75,4,>=,0.9,fail",
		"sla.review.met_share":       "sla.review.met_share,review within SLA (team),share,,0,>=,0.9,no_data",
		"sla.acceptance.breaches":    "sla.acceptance.breaches,acceptance breaches (customer),count,1,1,,,no_target",
		"resolution_work.median":     "resolution_work.median,\"resolution working time, median\",seconds,90000,4,<=,144000,pass",
		"complaints.in_time":         "complaints.in_time,complaints closed within 24 h deadline,share,0.3333333333333333,3,>=,1,fail",
		"sla.confirmation.met_share": "sla.confirmation.met_share,confirmation within SLA (customer),share,0.5,2,,,no_target",
	}
	for key, line := range check {
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		_ = w.Write(byKey[key])
		w.Flush()
		if got := strings.TrimSpace(b.String()); got != line {
			t.Errorf("CSV %s:\n got %s\nwant %s", key, got, line)
		}
	}
}

func TestTextTable(t *testing.T) {
	r := build(t, Filter{From: fixFrom, To: fixTo, Tier: "standard"})
	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"svcflow KPI report, 2026-11-02T00:00:00Z to 2026-11-16T00:00:00Z, group all, tier standard",
		"FIGURE", "satisfaction (surveys averaging >= 4)", "≥ 90.0 %",
		"DEADLINE", "confirmation", "customer", "GROUP", "WEEK", "2026-11-09",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	// first-response p90 of the standard tier: 300 600 1800 2400 s -> 1800 + 0.7*600 = 2220 s.
	if !regexp.MustCompile(`first-response time, p90\s+37m00s\s+≤ 30m00s\s+FAIL\s+4`).MatchString(out) {
		t.Errorf("p90 line wrong:\n%s", out)
	}
}

func TestHTMLSelfContained(t *testing.T) {
	r := build(t, Filter{From: fixFrom, To: fixTo})
	var buf bytes.Buffer
	if err := r.WriteHTML(&buf); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?\s*(https?:)?//`),
		regexp.MustCompile(`(?i)https?://`),
		regexp.MustCompile(`(?i)<script|<link|<iframe|<img|@import|url\(`),
	} {
		if m := bad.FindString(page); m != "" {
			t.Errorf("page is not self-contained: %q", m)
		}
	}
	if n := strings.Count(page, "<svg"); n != 3 {
		t.Errorf("%d <svg> charts, want 3", n)
	}
	for _, want := range []string{"<style>", "Weekly trend", "Breaches by deadline", "Breaches by group", "<polyline", `class="mark fail"`, `class="mark pass"`, "alpha", "beta"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestHTMLEscapesNames(t *testing.T) {
	r := build(t, Filter{From: fixFrom, To: fixTo})
	r.BreachesByGroup[0].Group = `<b>"x"&</b>`
	var buf bytes.Buffer
	if err := r.WriteHTML(&buf); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), `<b>"x"`) || !strings.Contains(buf.String(), "&lt;b&gt;&#34;x&#34;&amp;&lt;/b&gt;") {
		t.Error("group name not escaped in the SVG")
	}
}
