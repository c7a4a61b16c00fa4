package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/svcflow/svcflow/workflows"
)

// TestEndToEnd runs every scenario against one stack, in parallel, then
// checks visibility across them and records their histories.
func TestEndToEnd(t *testing.T) {
	s := newStack(t)
	started := time.Now().Add(-time.Minute) // what-if replays what was created since
	var mu sync.Mutex
	ids := map[string]string{} // history name → request ID
	keep := func(name, id string) {
		if name == "" {
			return // no history recorded
		}
		mu.Lock()
		defer mu.Unlock()
		ids[name] = id
	}
	t.Run("scenarios", func(t *testing.T) {
		for _, sc := range []struct {
			name, history string
			run           func(*testing.T, *stack) string
		}{
			{"HappyPath", "happy-path", testHappyPath},
			{"ResponseBreach", "response-breach", testResponseBreach},
			{"ReworkLoop", "rework-loop", testReworkLoop},
			{"DuplicateStart", "duplicate-start", testDuplicateStart},
			{"WrongStage", "wrong-stage", testWrongStage},
			{"SignalReply", "signal-reply", testSignalReply},
			{"StopCare", "vip-stop-care", testStopCare},
			{"Examples", "", testExamples},
		} {
			t.Run(sc.name, func(t *testing.T) {
				t.Parallel()
				keep(sc.history, sc.run(t, s))
			})
		}
	})
	if t.Failed() {
		return
	}
	t.Run("ClosedAndBreachedVisible", func(t *testing.T) {
		testClosedBreachedList(t, s, ids["response-breach"], ids["happy-path"])
	})
	t.Run("WhatIfSelfCheck", func(t *testing.T) { testWhatIfSelfCheck(t, s, started) })
	if os.Getenv("SVCFLOW_RECORD_HISTORIES") == "1" {
		recordHistories(t, s, ids)
	}
}

// testHappyPath walks one complex request through every stage, started and
// partly driven over HTTP (starter serve), the rest with svcctl.
func testHappyPath(t *testing.T, s *stack) string {
	id := s.id("happy")
	wid := workflows.WorkflowID(id)
	code, m := s.http(t, "POST", "/requests", requestJSON(id, "standard", "normal", true))
	if code != 201 || m["created"] != true || m["workflow_id"] != wid || m["run_id"] == "" || !strings.HasSuffix(m["ui_url"].(string), "/namespaces/default/workflows/"+wid) {
		t.Fatalf("POST /requests: %d %v", code, m)
	}
	runID := m["run_id"]
	code, m = s.http(t, "POST", "/requests", requestJSON(id, "standard", "normal", true))
	if code != 200 || m["created"] != false || m["run_id"] != runID {
		t.Fatalf("second POST /requests: %d %v, want 200 created:false run %v", code, m, runID)
	}
	code, m = s.http(t, "GET", "/requests/"+id, "")
	if code != 200 || m["request_id"] != id || m["stage"] != workflows.StageReceived {
		t.Fatalf("GET /requests/%s: %d %v", id, code, m)
	}

	s.act(t, workflows.StageAnalysis, "respond", id, "--actor", "alice", "--note", "received, a specialist will contact you")
	s.act(t, workflows.StageAwaitingConfirmation, "submit-sheet", wid, "--actor", "alice", "--description", "replace the feed roller",
		"--goal", "no jams in 500 pages", "--expected-delivery", "+1h", "--customer-duties", "site access on weekdays")
	confirm := `{"action_id":"crm-confirm-` + id + `","actor":"customer"}`
	code, m = s.http(t, "POST", "/requests/"+id+"/actions/confirm_sheet", confirm)
	if code != 200 || m["stage"] != workflows.StagePlanning {
		t.Fatalf("confirm_sheet over HTTP: %d %v", code, m)
	}
	// The upstream system retries the same delivery: applied once, answered
	// as a duplicate.
	code, m = s.http(t, "POST", "/requests/"+id+"/actions/confirm-sheet", confirm)
	if code != 200 || m["stage"] != workflows.StagePlanning || m["result"] != workflows.ResultDuplicate {
		t.Fatalf("retried confirm_sheet: %d %v, want 200 duplicate", code, m)
	}
	s.act(t, workflows.StagePlanning, "approve-review", id, "--actor", "bob")
	s.act(t, workflows.StageInProgress, "agree-plan", id, "--actor", "customer")
	s.act(t, workflows.StageInProgress, "progress", id, "--note", "parts ordered", "--action-id", "prog-"+id)
	// An agent's script retries the same svcctl call: a duplicate, applied once.
	if out := s.svcctl(t, "progress", id, "--note", "parts ordered", "--action-id", "prog-"+id); strings.TrimSpace(out) != "duplicate: already applied (stage in_progress)" {
		t.Fatalf("retried progress: %q", out)
	}
	// The same action_id for another action is refused by name.
	if r := s.run(t, "", "svcctl", "note", id, "--note", "x", "--action-id", "prog-"+id); r.code != 1 || strings.TrimSpace(r.stderr) != "svcctl: action_id prog-"+id+" was already used for progress" {
		t.Fatalf("reused action_id: %s", r)
	}
	s.act(t, workflows.StageAwaitingAcceptance, "deliver", id)
	s.act(t, workflows.StageFollowUp, "accept-delivery", id, "--actor", "customer")
	s.act(t, workflows.StageClosed, "record-follow-up", id, "--response-speed", "5", "--resolution", "5", "--attitude", "4",
		"--professionalism", "5", "--solved", "--comment", "quick and friendly")

	st := s.waitClosed(t, id)
	if st.Stage != workflows.StageClosed || st.Outcome != workflows.OutcomeCompleted || st.SlaBreached || st.EscalationLevel != 0 {
		t.Fatalf("final status: stage %s outcome %s breached %v level %d", st.Stage, st.Outcome, st.SlaBreached, st.EscalationLevel)
	}
	for _, name := range []string{"response", "sheet", "confirmation", "review", "acceptance", "follow_up"} {
		if d, ok := deadline(st, name, 1); !ok || d.State != workflows.DeadlineMet {
			t.Errorf("deadline %s/1 = %+v (found %v), want met", name, d, ok)
		}
	}
	for _, d := range st.Deadlines {
		if d.State == workflows.DeadlineBreached || d.State == workflows.DeadlinePending {
			t.Errorf("deadline %s/%d is %s after closing", d.Name, d.Instance, d.State)
		}
	}

	s.waitDB(t, "happy path records", func(ctx context.Context) (bool, string, error) {
		r, ok, err := s.dbRequest(ctx, id)
		if err != nil || !ok {
			return false, "no service_requests row", err
		}
		return r.stage == workflows.StageClosed && r.outcome == workflows.OutcomeCompleted && r.close && r.firstResponse && !r.slaBreached, fmtAny(r), nil
	})
	ctx := context.Background()
	kinds, err := s.dbEvents(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	order := []string{"action.respond", "action.submit_sheet", "action.confirm_sheet", "action.approve_review", "action.agree_plan",
		"action.progress", "action.deliver", "action.accept_delivery", "action.record_follow_up"}
	if !subsequence(kinds, order) {
		t.Errorf("request_events %v lack %v in order", kinds, order)
	}
	if n := count(kinds, "action.confirm_sheet"); n != 1 {
		t.Errorf("confirm_sheet recorded %d times, want once", n)
	}
	if n := count(kinds, "action.progress"); n != 1 {
		t.Errorf("progress recorded %d times, want once", n)
	}
	dls, err := s.dbDeadlines(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"response/1", "sheet/1", "confirmation/1", "review/1", "acceptance/1", "follow_up/1"} {
		if d, ok := dls[key]; !ok || !d.met || d.breached || d.state != workflows.DeadlineMet {
			t.Errorf("sla_deadlines %s = %+v (found %v), want met", key, d, ok)
		}
	}
	s.waitDB(t, "happy path notifications", func(ctx context.Context) (bool, string, error) {
		counts, statuses, err := s.dbNotifications(ctx, id)
		if err != nil {
			return false, "", err
		}
		for _, k := range []string{"receipt/customer", "assignment/assignee", "sheet/customer", "delivery/customer", "survey_request/customer"} {
			if counts[k] != 1 {
				return false, fmtAny(counts), nil
			}
		}
		return len(statuses) == 1 && statuses["sent"] > 0, fmtAny(statuses), nil
	})

	// The engineers' and agents' views of the closed request.
	r := s.run(t, "", s.temporalBin, "workflow", "query", "--workflow-id", wid, "--type", workflows.StatusQuery, "--address", s.HostPort, "--namespace", "default", "--output", "json")
	if r.code != 0 || !strings.Contains(compact(r.stdout), `"stage":"closed"`) || !strings.Contains(compact(r.stdout), `"outcome":"completed"`) {
		t.Errorf("temporal workflow query --type status: %s", r)
	}
	var js workflows.Status
	if err := json.Unmarshal([]byte(s.svcctl(t, "status", id, "--json")), &js); err != nil || js.Stage != workflows.StageClosed || js.RequestID != id {
		t.Errorf("svcctl status --json: %+v, %v", js, err)
	}
	if out := s.svcctl(t, "status", wid); !strings.Contains(out, "closed, outcome completed") || !strings.Contains(out, "response") {
		t.Errorf("svcctl status:\n%s", out)
	}
	if out := s.svcctl(t, "timeline", id); !strings.Contains(out, "action.record_follow_up") || !strings.Contains(out, "alice") {
		t.Errorf("svcctl timeline:\n%s", out)
	}
	var events []map[string]any
	if err := json.Unmarshal([]byte(s.svcctl(t, "timeline", id, "--json")), &events); err != nil || len(events) != len(kinds) {
		t.Errorf("svcctl timeline --json: %d events (%v), want %d", len(events), err, len(kinds))
	}
	return id
}

// testResponseBreach lets a VIP urgent request's response deadline (2s)
// breach and escalate (4s), then answers late and cancels.
func testResponseBreach(t *testing.T, s *stack) string {
	id := s.id("breach")
	r := s.run(t, requestJSON(id, "vip", "urgent", false), "starter", "--file", "-", "--json")
	var res struct {
		WorkflowID string `json:"workflow_id"`
		Created    bool   `json:"created"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil || !res.Created || res.WorkflowID != workflows.WorkflowID(id) {
		t.Fatalf("starter --file - --json: %s", r)
	}
	st := s.waitStatus(t, id, "escalated to the manager on the response deadline", 45*time.Second, func(st workflows.Status) bool {
		d, ok := deadline(st, "response", 1)
		return ok && d.State == workflows.DeadlineBreached && d.EscalationLevel >= 2
	})
	if !st.SlaBreached || st.EscalationLevel < 2 {
		t.Errorf("status after escalation: breached %v level %d", st.SlaBreached, st.EscalationLevel)
	}
	if out := s.svcctl(t, "status", id); !strings.Contains(out, "overdue") || !strings.Contains(out, "SLA breached") {
		t.Errorf("svcctl status of a breached request:\n%s", out)
	}
	s.waitDB(t, "breach records", func(ctx context.Context) (bool, string, error) {
		dls, err := s.dbDeadlines(ctx, id)
		if err != nil {
			return false, "", err
		}
		d := dls["response/1"]
		if !d.breached || d.escalation < 2 || !d.warned || d.state != workflows.DeadlineBreached {
			return false, fmtAny(dls), nil
		}
		r, ok, err := s.dbRequest(ctx, id)
		return ok && r.slaBreached && r.escalation >= 2, fmtAny(r), err
	})
	s.waitDB(t, "breach notifications", func(ctx context.Context) (bool, string, error) {
		counts, _, err := s.dbNotifications(ctx, id)
		if err != nil {
			return false, "", err
		}
		ok := counts["warning/assignee"] == 1 && counts["breach/supervisor"] == 1 && counts["escalation/manager"] == 1
		return ok, fmtAny(counts), nil
	})
	// The breach shows in visibility (eventually consistent).
	s.waitList(t, "svcctl list --breached --tier vip", workflows.WorkflowID(id), "list", "--breached", "--tier", "vip", "--json")

	// A breach does not end the step: the late answer is still accepted.
	s.act(t, workflows.StageAnalysis, "respond", id, "--note", "sorry for the wait")
	s.act(t, workflows.StageClosed, "cancel", id, "--reason", "customer found a workaround", "--actor", "customer")
	st = s.waitClosed(t, id)
	if st.Outcome != workflows.OutcomeCancelled || !st.SlaBreached {
		t.Fatalf("final: outcome %s breached %v", st.Outcome, st.SlaBreached)
	}
	// Notifications stay once each after the request closed.
	counts, _, err := s.dbNotifications(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if counts["breach/supervisor"] != 1 || counts["escalation/manager"] != 1 {
		t.Errorf("notifications after close: %v", counts)
	}
	return id
}

// testReworkLoop rejects the first delivery, reworks and delivers again.
func testReworkLoop(t *testing.T, s *stack) string {
	id := s.id("rework")
	r := s.run(t, "", "starter", "--request-id", id, "--customer-id", "c-rework", "--customer-name", "Rework Ltd", "--tier", "standard",
		"--priority", "normal", "--title", "Scanner streaks", "--category", "scanner")
	if r.code != 0 || !strings.Contains(r.stdout, workflows.WorkflowID(id)+" created") || !strings.Contains(r.stdout, "/workflows/"+workflows.WorkflowID(id)) {
		t.Fatalf("starter with flags: %s", r)
	}
	s.act(t, workflows.StageAnalysis, "respond", id)
	s.act(t, workflows.StageAwaitingConfirmation, "submit-sheet", id, "--description", "clean the scanner glass", "--goal", "no streaks",
		"--expected-delivery", "+2h", "--customer-duties", "none")
	s.act(t, workflows.StagePlanning, "confirm-sheet", id, "--actor", "customer")
	s.act(t, workflows.StageInProgress, "agree-plan", id, "--actor", "customer")
	s.act(t, workflows.StageAwaitingAcceptance, "deliver", id)
	s.act(t, workflows.StageRework, "reject-delivery", id, "--reason", "still streaks on the left", "--actor", "customer")
	s.act(t, workflows.StageRework, "progress", id, "--note", "replaced the lamp")
	s.act(t, workflows.StageAwaitingAcceptance, "deliver", id)
	s.act(t, workflows.StageFollowUp, "accept-delivery", id, "--actor", "customer")
	s.act(t, workflows.StageClosed, "record-follow-up", id, "--response-speed", "4", "--resolution", "4", "--attitude", "5", "--professionalism", "4")

	st := s.waitClosed(t, id)
	if st.Outcome != workflows.OutcomeCompleted || st.ReworkRounds != 1 {
		t.Fatalf("final: outcome %s rework rounds %d", st.Outcome, st.ReworkRounds)
	}
	for _, key := range []struct {
		name string
		n    int
	}{{"acceptance", 1}, {"rework", 1}, {"acceptance", 2}} {
		if d, ok := deadline(st, key.name, key.n); !ok || d.State != workflows.DeadlineMet {
			t.Errorf("deadline %s/%d = %+v (found %v), want met", key.name, key.n, d, ok)
		}
	}
	s.waitDB(t, "rework records", func(ctx context.Context) (bool, string, error) {
		r, ok, err := s.dbRequest(ctx, id)
		return ok && r.stage == workflows.StageClosed && r.rework == 1, fmtAny(r), err
	})
	ctx := context.Background()
	kinds, err := s.dbEvents(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"action.deliver", "action.reject_delivery", "action.progress", "action.deliver", "action.accept_delivery"}; !subsequence(kinds, want) {
		t.Errorf("request_events %v lack %v in order", kinds, want)
	}
	dls, err := s.dbDeadlines(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"acceptance/1", "rework/1", "acceptance/2"} {
		if d := dls[key]; !d.met || d.breached {
			t.Errorf("sla_deadlines %s = %+v, want met", key, d)
		}
	}
	s.waitDB(t, "one delivery notice per delivery", func(ctx context.Context) (bool, string, error) {
		counts, _, err := s.dbNotifications(ctx, id)
		return counts["delivery/customer"] == 2 && counts["receipt/customer"] == 1, fmtAny(counts), err
	})
	return id
}

// testDuplicateStart starts one request four ways; one workflow results,
// and a closed request is never restarted.
func testDuplicateStart(t *testing.T, s *stack) string {
	id := s.id("dup")
	wid := workflows.WorkflowID(id)
	file := filepath.Join(t.TempDir(), "request.json")
	if err := os.WriteFile(file, []byte(requestJSON(id, "standard", "normal", false)), 0o644); err != nil {
		t.Fatal(err)
	}
	type startJSON struct {
		WorkflowID string `json:"workflow_id"`
		RunID      string `json:"run_id"`
		UIURL      string `json:"ui_url"`
		Created    bool   `json:"created"`
	}
	start := func() startJSON {
		t.Helper()
		r := s.run(t, "", "starter", "--file", file, "--json")
		var res startJSON
		if r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil {
			t.Fatalf("starter --file: %s", r)
		}
		return res
	}
	first, second := start(), start()
	if !first.Created || second.Created || first.RunID != second.RunID || first.WorkflowID != wid || first.RunID == "" {
		t.Fatalf("starts: %+v then %+v", first, second)
	}
	if r := s.run(t, "", "starter", "--file", file); r.code != 0 || !strings.Contains(r.stdout, wid+" already existed") {
		t.Fatalf("third start: %s", r)
	}
	code, m := s.http(t, "POST", "/requests", requestJSON(id, "standard", "normal", false))
	if code != 200 || m["created"] != false || m["run_id"] != first.RunID {
		t.Fatalf("POST /requests of an existing request: %d %v", code, m)
	}
	s.act(t, workflows.StageClosed, "cancel", id, "--reason", "duplicate ticket")
	s.waitClosed(t, id)
	if again := start(); again.Created || again.RunID != first.RunID {
		t.Fatalf("start after close: %+v, want the closed run %s", again, first.RunID)
	}
	// Exactly one execution with this ID exists (visibility is eventually
	// consistent: wait until the closed run shows, then count).
	s.waitDB(t, "one execution of "+wid, func(ctx context.Context) (bool, string, error) {
		resp, err := s.Client.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Namespace: "default", Query: "WorkflowId = '" + wid + "'"})
		if err != nil {
			return false, "", err
		}
		n := len(resp.GetExecutions())
		closed := n == 1 && resp.GetExecutions()[0].GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING
		return closed, fmtAny(n) + " executions", nil
	})
	return id
}

// testWrongStage sends actions the stage does not allow: exit 1 with the
// workflow's reason, nothing recorded; unknown requests are named.
func testWrongStage(t *testing.T, s *stack) string {
	id := s.id("wrong")
	wid := workflows.WorkflowID(id)
	if r := s.run(t, "", "starter", "--request-id", id, "--customer-id", "c-w", "--customer-name", "Wrong Stage", "--title", "Wrong stage"); r.code != 0 {
		t.Fatalf("start: %s", r)
	}
	before := s.waitStatus(t, id, "received", 30*time.Second, func(st workflows.Status) bool { return st.Stage == workflows.StageReceived && len(st.Timeline) > 0 })

	// Visibility filters: its next deadline (response) is due within minutes.
	soon := time.Now().Add(10 * time.Minute).Format(time.RFC3339)
	s.waitList(t, "svcctl list --due-before", wid, "list", "--stage", "received", "--group", "general", "--priority", "normal", "--tier", "standard", "--due-before", soon, "--json")

	r := s.run(t, "", "svcctl", "deliver", id)
	want := "svcctl: request " + wid + " is in stage received; deliver is valid only in in_progress or rework\n"
	if r.code != 1 || r.stderr != want || r.stdout != "" {
		t.Fatalf("deliver in received: %s, want exit 1 and %q", r, want)
	}
	r = s.run(t, "", "svcctl", "accept-delivery", wid, "--json")
	if r.code != 1 || !strings.Contains(r.stderr, "is in stage received") || strings.Count(r.stderr, "\n") != 1 {
		t.Fatalf("accept-delivery in received: %s", r)
	}
	code, m := s.http(t, "POST", "/requests/"+id+"/actions/submit_sheet", `{"goal":"g","description":"d","expected_delivery":"2099-01-01T00:00:00Z","customer_duties":"x"}`)
	if code != 409 || !strings.Contains(m["error"].(string), "is in stage received") {
		t.Fatalf("submit_sheet over HTTP in received: %d %v", code, m)
	}
	after := s.status(t, id)
	if len(after.Timeline) != len(before.Timeline) || after.Stage != workflows.StageReceived {
		t.Fatalf("a rejected update changed the request: timeline %d → %d, stage %s", len(before.Timeline), len(after.Timeline), after.Stage)
	}
	// Rejected updates leave no trace in the history either.
	iter := s.Client.GetWorkflowHistory(context.Background(), wid, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for iter.HasNext() {
		ev, err := iter.Next()
		if err != nil {
			t.Fatal(err)
		}
		if ev.GetEventType() == enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED {
			t.Fatalf("history has an accepted update: %v", ev)
		}
	}

	// Unknown requests are named, over the CLI and HTTP.
	nope := s.id("nope")
	for _, args := range [][]string{{"status", nope}, {"respond", nope}, {"respond", nope, "--signal"}} {
		r := s.run(t, "", "svcctl", args...)
		if r.code != 1 || r.stderr != "svcctl: request "+nope+" not found\n" {
			t.Errorf("svcctl %v: %s", args, r)
		}
	}
	if code, m := s.http(t, "GET", "/requests/"+nope, ""); code != 404 {
		t.Errorf("GET unknown: %d %v", code, m)
	}
	if code, m := s.http(t, "POST", "/requests/"+nope+"/actions/respond", "{}"); code != 404 {
		t.Errorf("POST action to unknown: %d %v", code, m)
	}

	s.act(t, workflows.StageClosed, "cancel", id, "--reason", "test done")
	s.waitClosed(t, id)
	// Nothing of the rejected actions reached PostgreSQL.
	kinds, err := s.dbEvents(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range kinds {
		if k == "action.deliver" || k == "action.accept_delivery" || k == "action.submit_sheet" || k == "action.rejected" {
			t.Errorf("request_events has %s: %v", k, kinds)
		}
	}
	// Actions on a closed request are refused with a reason.
	if r := s.run(t, "", "svcctl", "note", id, "--note", "late"); r.code != 1 || !strings.Contains(r.stderr, "closed") {
		t.Errorf("note on a closed request: %s", r)
	}
	return id
}

// testSignalReply relays the customer's reply as a signal (?async=1) and
// checks an invalid signal is recorded as rejected without harm.
func testSignalReply(t *testing.T, s *stack) string {
	id := s.id("signal")
	if code, m := s.http(t, "POST", "/requests", requestJSON(id, "standard", "normal", false)); code != 201 {
		t.Fatalf("POST /requests: %d %v", code, m)
	}
	s.act(t, workflows.StageAnalysis, "respond", id)
	s.act(t, workflows.StageAnalysis, "request-info", id, "--reason", "need the printer's serial number")
	st := s.status(t, id)
	if !st.Paused {
		t.Fatalf("not paused after request_info: %+v", st)
	}
	code, m := s.http(t, "POST", "/requests/"+id+"/actions/provide_info?async=1", `{"action_id":"crm-reply-`+id+`","actor":"customer","note":"serial SN-1234"}`)
	if code != 202 || m["result"] != "signalled" {
		t.Fatalf("provide_info signal: %d %v", code, m)
	}
	s.waitStatus(t, id, "resumed by the customer's reply", 30*time.Second, func(st workflows.Status) bool {
		return !st.Paused && hasKind(st, "action.provide_info")
	})
	// The upstream system redelivers the reply (Idempotency-Key this time):
	// applied once, the repeat recorded as a duplicate.
	code, m = s.httpWith(t, "POST", "/requests/"+id+"/actions/provide_info?async=1", `{"actor":"customer","note":"serial SN-1234"}`,
		map[string]string{"Idempotency-Key": "crm-reply-" + id})
	if code != 202 || m["action_id"] != "crm-reply-"+id {
		t.Fatalf("redelivered provide_info: %d %v", code, m)
	}
	s.waitStatus(t, id, "recording the duplicate signal", 30*time.Second, func(st workflows.Status) bool { return hasKind(st, "action.duplicate") })
	// Its action_id reused for another action by signal: recorded as rejected, not applied.
	if out := s.svcctl(t, "cancel", id, "--action-id", "crm-reply-"+id, "--signal"); !strings.HasPrefix(out, "signalled cancel") {
		t.Fatalf("cancel with a reused action_id: %q", out)
	}
	s.waitStatus(t, id, "rejecting the reused action_id", 30*time.Second, func(st workflows.Status) bool {
		for _, e := range st.Timeline {
			if e.Kind == "action.rejected" && strings.Contains(string(e.Detail), "was already used for provide_info") {
				return st.Stage == workflows.StageAnalysis
			}
		}
		return false
	})
	// A signal whose name is no action is recorded, not lost.
	if r := s.run(t, "", s.temporalBin, "workflow", "signal", "--workflow-id", workflows.WorkflowID(id), "--name", "provide_infos",
		"--input", `{"actor":"crm"}`, "--address", s.HostPort, "--namespace", "default"); r.code != 0 {
		t.Fatalf("temporal workflow signal: %s", r)
	}
	s.waitStatus(t, id, "rejecting the unknown signal", 30*time.Second, func(st workflows.Status) bool {
		for _, e := range st.Timeline {
			if e.Kind == "action.rejected" && strings.Contains(string(e.Detail), `unknown action \"provide_infos\"`) {
				return true
			}
		}
		return false
	})
	// An invalid signal is recorded as rejected; the workflow carries on.
	if code, m := s.http(t, "POST", "/requests/"+id+"/actions/deliver?async=1", `{"action_id":"bad-`+id+`"}`); code != 202 {
		t.Fatalf("deliver signal: %d %v", code, m)
	}
	s.waitStatus(t, id, "recording the rejected signal", 30*time.Second, func(st workflows.Status) bool {
		return hasKind(st, "action.rejected") && st.Stage == workflows.StageAnalysis
	})
	if out := s.svcctl(t, "note", id, "--note", "called the customer", "--signal"); !strings.HasPrefix(out, "signalled note to "+workflows.WorkflowID(id)) {
		t.Fatalf("svcctl --signal: %q", out)
	}
	s.waitStatus(t, id, "noting the signalled note", 30*time.Second, func(st workflows.Status) bool { return hasKind(st, "action.note") })
	s.svcctl(t, "cancel", id, "--reason", "solved by phone", "--signal")
	st = s.waitClosed(t, id)
	if st.Outcome != workflows.OutcomeCancelled {
		t.Fatalf("outcome %s", st.Outcome)
	}
	kinds, err := s.dbEvents(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"action.request_info", "action.provide_info", "action.rejected", "action.note", "action.cancel"}; !subsequence(kinds, want) {
		t.Errorf("request_events %v lack %v in order", kinds, want)
	}
	return id
}

// testClosedBreachedList checks the search attributes through the temporal
// CLI: the breached request is closed and breached, the happy one is not.
func testClosedBreachedList(t *testing.T, s *stack, breached, happy string) {
	query := `Stage="closed" AND SlaBreached=true`
	deadline := time.Now().Add(30 * time.Second)
	for {
		r := s.run(t, "", s.temporalBin, "workflow", "list", "--query", query, "--address", s.HostPort, "--namespace", "default", "--output", "json")
		if r.code != 0 {
			t.Fatalf("temporal workflow list: %s", r)
		}
		if strings.Contains(r.stdout, `"`+workflows.WorkflowID(breached)+`"`) {
			if strings.Contains(r.stdout, `"`+workflows.WorkflowID(happy)+`"`) {
				t.Fatalf("happy path listed as breached:\n%s", r.stdout)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not listed by %q within 30s:\n%s", breached, query, r.stdout)
		}
		time.Sleep(300 * time.Millisecond)
	}
	s.waitList(t, "svcctl list --stage closed", workflows.WorkflowID(happy), "list", "--stage", "closed", "--json")
}

// waitList polls a svcctl list command until it shows wid.
func (s *stack) waitList(t *testing.T, what, wid string, args ...string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var rows []struct {
			WorkflowID string `json:"workflow_id"`
		}
		out := s.svcctl(t, args...)
		if err := json.Unmarshal([]byte(out), &rows); err != nil {
			t.Fatalf("%s: %v: %q", what, err, out)
		}
		if slices.ContainsFunc(rows, func(r struct {
			WorkflowID string `json:"workflow_id"`
		}) bool {
			return r.WorkflowID == wid
		}) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %s not listed within 30s: %s", what, wid, out)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

func hasKind(st workflows.Status, kind string) bool {
	return slices.ContainsFunc(st.Timeline, func(e workflows.TimelineItem) bool { return e.Kind == kind })
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

func compact(s string) string { return strings.Join(strings.Fields(s), "") }

func fmtAny(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "?"
	}
	return string(b)
}
