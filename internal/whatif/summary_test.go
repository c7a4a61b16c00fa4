package whatif_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/svcflow/svcflow/internal/policy"
	"github.com/svcflow/svcflow/internal/report"
	"github.com/svcflow/svcflow/internal/whatif"
)

// answered is a normal request answered after d, recorded under a 30 min
// response target.
func answered(t *testing.T, id string, t0 time.Time, d time.Duration) *hist {
	state := met
	if d >= 30*time.Minute {
		state = breached
	}
	return newHist(t, id, t0, policy.Normal).met(t0.Add(d), policy.Response, 1).row(policy.Response, 1, state, t0, tp(t0.Add(30*time.Minute)))
}

// flipSummary replays requests answered after 10, 19, 20, 25 and 29 min 59 s,
// 30 and 45 min under a 20 min response target.
func flipSummary(t *testing.T) *whatif.Summary {
	t0 := at("2026-11-23 10:00")
	p := set(func(s *policy.Set) { s.Deadlines[policy.Response] = entry(s, policy.Response, 0, 20*time.Minute) })
	tally := whatif.NewTally()
	for i, d := range []time.Duration{10 * time.Minute, 19 * time.Minute, 20 * time.Minute, 25 * time.Minute, 30*time.Minute - time.Second, 30 * time.Minute, 45 * time.Minute} {
		h := answered(t, "r"+strings.ReplaceAll(d.String(), "0s", ""), t0.Add(time.Duration(i)*time.Hour), d)
		tally.Add(i, h.replay(p, time.Time{}))
	}
	return tally.Summary()
}

// A 30 → 20 min response target flips exactly the requests answered from
// 20 min (the due instant is late) to before 30 min.
func TestFlipResponseTarget(t *testing.T) {
	s := flipSummary(t)
	var got []string
	for _, c := range s.Changes {
		got = append(got, c.RequestID+" "+c.Name+" "+c.Recorded.Outcome+"→"+c.WhatIf.Outcome)
	}
	want := []string{"r20m response met→breached", "r25m response met→breached", "r29m59s response met→breached"}
	if !slices.Equal(got, want) {
		t.Errorf("changes %q\nwant    %q", got, want)
	}
	if s.Requests != 7 || s.Instances != 7 || s.Moved != 4 || s.Differences != 7 {
		t.Errorf("requests %d instances %d moved %d differences %d, want 7 7 4 7", s.Requests, s.Instances, s.Moved, s.Differences)
	}
	resp := s.Deadlines[0]
	if resp.Name != policy.Response || resp.Settled != 7 || resp.BreachedRecorded != 2 || resp.BreachedWhatIf != 5 {
		t.Errorf("response line %+v", resp)
	}
	if v := s.Figures.Recorded[0].Value; s.Figures.Recorded[0].Key != "sla.response" || v == nil || *v != 5.0/7 {
		t.Errorf("recorded response figure %+v", s.Figures.Recorded[0])
	}
	if v := s.Figures.WhatIf[1].Value; s.Figures.WhatIf[1].Key != "sla.team" || v == nil || *v != 2.0/7 || s.Figures.WhatIf[1].Status != report.Fail {
		t.Errorf("what-if team figure %+v", s.Figures.WhatIf[1])
	}
}

// The JSON is exactly CONTRACT §10's shape.
func TestJSONShape(t *testing.T) {
	var buf bytes.Buffer
	if err := flipSummary(t).WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	keys := func(raw json.RawMessage) []string {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		var out []string
		for k := range m {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	check := func(what string, got, want []string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s keys %v, want %v", what, got, want)
		}
	}
	check("top", keys(buf.Bytes()), []string{"changes", "deadlines", "figures"})
	var deadlines, changes []json.RawMessage
	_ = json.Unmarshal(doc["deadlines"], &deadlines)
	_ = json.Unmarshal(doc["changes"], &changes)
	if len(deadlines) != len(policy.DeadlineNames) || len(changes) != 3 {
		t.Fatalf("%d deadlines, %d changes", len(deadlines), len(changes))
	}
	check("deadline", keys(deadlines[0]), []string{"breached_recorded", "breached_whatif", "name", "settled"})
	check("change", keys(changes[0]), []string{"deadline", "instance", "recorded", "request_id", "whatif"})
	var c struct {
		Recorded json.RawMessage `json:"recorded"`
		WhatIf   json.RawMessage `json:"whatif"`
	}
	_ = json.Unmarshal(changes[0], &c)
	check("change.recorded", keys(c.Recorded), []string{"due_at", "outcome"})
	check("change.whatif", keys(c.WhatIf), []string{"due_at", "outcome"})
	check("figures", keys(doc["figures"]), []string{"recorded", "whatif"})
	var f struct {
		Recorded map[string]report.Figure `json:"recorded"`
	}
	_ = json.Unmarshal(doc["figures"], &f)
	if _, ok := f.Recorded["sla.response"]; !ok || len(f.Recorded) != 2 {
		t.Errorf("recorded figures %v", f.Recorded)
	}
	if !strings.Contains(buf.String(), `"due_at": "2026-11-23T04:20:00Z"`) {
		t.Errorf("due times not RFC 3339 UTC:\n%s", buf.String())
	}
}

func TestCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := flipSummary(t).WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], whatif.CSVHeader) {
		t.Fatalf("header %v", rows[0])
	}
	want := map[string]int{"deadline": len(policy.DeadlineNames), "figure": 2, "change": 3}
	got := map[string]int{}
	for _, r := range rows[1:] {
		got[r[0]]++
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%d %s rows, want %d", got[k], k, n)
		}
	}
	if !slices.Equal(rows[1], []string{"deadline", "", "response", "", "7", "2", "5", "", ""}) {
		t.Errorf("response row %v", rows[1])
	}
	last := rows[len(rows)-1]
	if !slices.Equal(last, []string{"change", "r29m59s", "response", "1", "", "met", "breached", "2026-11-23T06:30:00Z", "2026-11-23T06:20:00Z"}) {
		t.Errorf("last change row %v", last)
	}
}

func TestText(t *testing.T) {
	var buf bytes.Buffer
	sc := whatif.Scope{PolicyFile: "faster.yaml", Filter: report.Filter{From: at("2026-11-01 00:00"), To: at("2026-12-01 00:00")}, Location: shanghai}
	if err := flipSummary(t).WriteText(&buf, sc); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, re := range []string{
		`^svcflow what-if: faster.yaml on the requests created 2026-11-01T00:00:00\+08:00 to 2026-12-01T00:00:00\+08:00, group all, tier all\n`,
		`7 requests replayed, 7 deadline instances: 3 change outcome, 4 more keep it at another due time`,
		`\nresponse\s+team\s+7\s+2\s+5\s+\+3\n`,
		`\nresponse within SLA\s+71.4 %\s+FAIL\s+28.6 %\s+FAIL\s+≥ 95.0 %\n`,
		`\nr25m\s+response\s+1\s+met\s+2026-11-23T13:30:00\+08:00\s+breached\s+2026-11-23T13:20:00\+08:00\n`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("text lacks %s:\n%s", re, out)
		}
	}
}

func TestHTML(t *testing.T) {
	var buf bytes.Buffer
	s := flipSummary(t)
	s.Changes[0].RequestID = `<b>"x"&</b>`
	if err := s.WriteHTML(&buf, whatif.Scope{PolicyFile: "faster.yaml", Location: shanghai}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`(?i)https?://`),
		regexp.MustCompile(`(?i)<script|<link|<iframe|<img|@import|url\(`),
		regexp.MustCompile(`<b>"x"`),
	} {
		if m := bad.FindString(page); m != "" {
			t.Errorf("page: %q", m)
		}
	}
	if n := strings.Count(page, "<svg"); n != 1 {
		t.Errorf("%d charts, want 1", n)
	}
	for _, want := range []string{"<style>", "breached as recorded", "breached under the policy tried", "r29m59s", "2026-11-23T14:20:00", `class="mark fail"`, "&lt;b&gt;"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
