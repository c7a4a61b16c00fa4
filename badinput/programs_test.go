package badinput

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/svcflow/svcflow/workflows"
)

// fixtures are the requests the program cases act on.
type fixtures struct {
	open   string // stage analysis
	closed string // cancelled
}

// snapshot is everything a refused input must leave unchanged.
type snapshot struct {
	rows      map[string]int64
	workflows int64
	history   map[string]int64
}

func (s *stack) snapshot(t *testing.T, fx fixtures) snapshot {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	sn := snapshot{rows: map[string]int64{}, history: map[string]int64{}}
	for _, table := range []string{"service_requests", "request_events", "sla_deadlines", "notifications", "surveys", "complaints", "care_letters"} {
		var n int64
		if err := s.DB.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		sn.rows[table] = n
	}
	resp, err := s.Client.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Namespace: "default"})
	if err != nil {
		t.Fatalf("count workflows: %v", err)
	}
	sn.workflows = resp.GetCount()
	for _, id := range []string{fx.open, fx.closed} {
		d, err := s.Client.DescribeWorkflowExecution(ctx, workflows.WorkflowID(id), "")
		if err != nil {
			t.Fatalf("describe %s: %v", id, err)
		}
		sn.history[id] = d.GetWorkflowExecutionInfo().GetHistoryLength()
	}
	return sn
}

func (a snapshot) diff(b snapshot) string {
	var d []string
	for k, v := range a.rows {
		if b.rows[k] != v {
			d = append(d, fmt.Sprintf("%s rows %d → %d", k, v, b.rows[k]))
		}
	}
	if a.workflows != b.workflows {
		d = append(d, fmt.Sprintf("workflows %d → %d", a.workflows, b.workflows))
	}
	for k, v := range a.history {
		if b.history[k] != v {
			d = append(d, fmt.Sprintf("history of %s %d → %d events", k, v, b.history[k]))
		}
	}
	slices.Sort(d)
	return strings.Join(d, ", ")
}

// settle waits until two snapshots a second apart agree.
func (s *stack) settle(t *testing.T, fx fixtures) snapshot {
	t.Helper()
	last := s.snapshot(t, fx)
	for i := 0; i < 60; i++ {
		time.Sleep(time.Second)
		now := s.snapshot(t, fx)
		if now.diff(last) == "" {
			return now
		}
		last = now
	}
	t.Fatalf("records still changing after 60s: %s", last.diff(s.snapshot(t, fx)))
	return last
}

func (s *stack) makeFixtures(t *testing.T) fixtures {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	fx := fixtures{open: "bi-open", closed: "bi-closed"}
	for _, id := range []string{fx.open, fx.closed} {
		r, err := workflows.DecodeRequest(strings.NewReader(strings.Replace(validRequest, `"bad-1"`, `"`+id+`"`, 1)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Requests.Start(ctx, r); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Requests.Update(ctx, id, workflows.ActionRespond, workflows.Action{Actor: "fixture"}); err != nil {
			t.Fatal(err)
		}
	}
	// An action_id the cases reuse for other actions.
	if _, err := s.Requests.Update(ctx, fx.open, workflows.ActionNote, workflows.Action{ActionID: "bi-note-1", Note: "fixture"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Requests.Update(ctx, fx.closed, workflows.ActionCancel, workflows.Action{Reason: "fixture"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Client.GetWorkflow(ctx, workflows.WorkflowID(fx.closed), "").Get(ctx, nil); err != nil {
		t.Fatal(err)
	}
	return fx
}

// progCase is a bad input to a program or the HTTP API. For programs the
// exit status must be 1 with one stderr line; for HTTP the status code
// given, with a one-line "error". newIDs are request IDs that must still
// have no workflow afterwards.
type progCase struct {
	name   string
	run    func(t *testing.T, s *stack, fx fixtures) (code int, msg string)
	code   int
	want   string
	newIDs []string
}

func cliCase(name, want, stdin string, args ...string) progCase {
	return progCase{name: name, code: 1, want: want, run: func(t *testing.T, s *stack, fx fixtures) (int, string) {
		for i, a := range args {
			args[i] = strings.NewReplacer("{open}", fx.open, "{closed}", fx.closed).Replace(a)
		}
		r := s.run(t, stdin, nil, args[0], args[1:]...)
		if strings.TrimSpace(r.stdout) != "" {
			t.Errorf("printed on stdout: %q", clip(r.stdout))
		}
		return r.code, r.stderr
	}}
}

func httpCase(name string, code int, want, method, path, token string, body []byte) progCase {
	return httpCaseWith(name, code, want, method, path, token, body, map[string]string{"Content-Type": "application/json"})
}

func httpCaseWith(name string, code int, want, method, path, token string, body []byte, headers map[string]string) progCase {
	return progCase{name: name, code: code, want: want, run: func(t *testing.T, s *stack, fx fixtures) (int, string) {
		p := strings.NewReplacer("{open}", fx.open, "{closed}", fx.closed).Replace(path)
		if token == "{token}" {
			token = secretToken
		}
		got, raw := s.httpWith(t, method, p, token, body, headers)
		var e struct {
			Error string `json:"error"`
		}
		if err := json.Unmarshal([]byte(raw), &e); err != nil || e.Error == "" {
			t.Errorf("answer %q is not a JSON object with an error", clip(raw))
		}
		return got, e.Error
	}}
}

func withNewIDs(c progCase, ids ...string) progCase { c.newIDs = ids; return c }

var sqlID = "x'; DROP TABLE service_requests;--"

func programCases() []progCase {
	startJSON := strings.Replace(validRequest, `"bad-1"`, `"bi-new-1"`, 1)
	big := []byte(`{"request_id":"bi-big","description":"` + strings.Repeat("x", 70<<10) + `"}`)
	past := time.Now().Add(-48 * time.Hour).UTC().Format(time.RFC3339)
	future := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	return []progCase{
		withNewIDs(cliCase("starter: malformed JSON", "malformed JSON", `{"request_id" "bi-new-1"}`, "starter", "--file", "-"), "bi-new-1"),
		withNewIDs(cliCase("starter: unknown field", "colour: unknown field", strings.Replace(startJSON, `"channel"`, `"colour":"red","channel"`, 1), "starter", "--file", "-"), "bi-new-1"),
		withNewIDs(cliCase("starter: bad tier", "customer.tier", strings.Replace(startJSON, `"standard"`, `"platinum"`, 1), "starter", "--file", "-"), "bi-new-1"),
		withNewIDs(cliCase("starter: invalid UTF-8", "UTF-8", strings.Replace(startJSON, "Printer jams", "Printer \xff jams", 1), "starter", "--file", "-"), "bi-new-1"),
		cliCase("starter: SQL in request ID", "request_id", strings.Replace(startJSON, `"bi-new-1"`, `"`+sqlID+`"`, 1), "starter", "--file", "-"),
		withNewIDs(cliCase("starter: bad request ID flag", "request", "", "starter", "--request-id", "bi new 2", "--customer-id", "c", "--customer-name", "n",
			"--tier", "standard", "--priority", "normal", "--title", "t"), "bi-new-2"),
		withNewIDs(cliCase("starter: bad priority flag", "priority", "", "starter", "--request-id", "bi-new-3", "--customer-id", "c", "--customer-name", "n",
			"--tier", "standard", "--priority", "whenever", "--title", "t"), "bi-new-3"),
		cliCase("starter: missing file", "no-such-file.json", "", "starter", "--file", "/nonexistent/no-such-file.json"),
		withNewIDs(cliCase("svcctl: action on unknown request", "not found", "", "svcctl", "respond", "bi-ghost"), "bi-ghost"),
		cliCase("svcctl: action in the wrong stage", "stage analysis", "", "svcctl", "deliver", "{open}"),
		cliCase("svcctl: action on a closed request", "closed", "", "svcctl", "respond", "{closed}"),
		cliCase("svcctl: score out of range", "response_speed", "", "svcctl", "record-follow-up", "{open}", "--response-speed", "9", "--resolution", "5", "--attitude", "5", "--professionalism", "5"),
		cliCase("svcctl: delivery date in the past", "expected_delivery", "", "svcctl", "submit-sheet", "{open}", "--description", "d", "--goal", "g", "--expected-delivery", past),
		cliCase("svcctl: unknown field in --data", "mood", "", "svcctl", "note", "{open}", "--data", `{"note":"n","mood":"grumpy"}`),
		cliCase("svcctl: malformed --data", "--data: malformed JSON", "", "svcctl", "note", "{open}", "--data", `{"note" "n"}`),
		cliCase("svcctl: bad request ID", "must be 1-64", "", "svcctl", "status", "bad id!"),
		cliCase("svcctl: SQL in request ID", "must be 1-64", "", "svcctl", "timeline", sqlID),
		cliCase("svcctl: bad reprioritize enum", "priority", "", "svcctl", "reprioritize", "{open}", "--data", `{"priority":"yesterday"}`),

		withNewIDs(httpCase("http: no token", 401, "token", "POST", "/requests", "", []byte(startJSON)), "bi-new-1"),
		withNewIDs(httpCase("http: wrong token", 401, "token", "POST", "/requests", "wrong-"+secretToken[:4], []byte(startJSON)), "bi-new-1"),
		httpCase("http: no token on GET", 401, "token", "GET", "/requests/{open}", "", nil),
		withNewIDs(httpCase("http: malformed JSON", 400, "malformed JSON", "POST", "/requests", "{token}", []byte(`{"request_id":"bi-new-1",,}`)), "bi-new-1"),
		withNewIDs(httpCase("http: oversized body", 413, "larger than", "POST", "/requests", "{token}", big), "bi-big"),
		withNewIDs(httpCase("http: unknown field", 400, "colour", "POST", "/requests", "{token}", []byte(strings.Replace(startJSON, `"channel"`, `"colour":"red","channel"`, 1))), "bi-new-1"),
		withNewIDs(httpCase("http: invalid UTF-8", 400, "UTF-8", "POST", "/requests", "{token}", []byte(strings.Replace(startJSON, "Printer jams", "Printer \xc3\x28 jams", 1))), "bi-new-1"),
		withNewIDs(httpCase("http: bad enum", 400, "priority", "POST", "/requests", "{token}", []byte(strings.Replace(startJSON, `"normal"`, `"soonish"`, 1))), "bi-new-1"),
		httpCase("http: SQL in request ID", 400, "request_id", "POST", "/requests", "{token}", []byte(strings.Replace(startJSON, `"bi-new-1"`, `"`+strings.ReplaceAll(sqlID, `"`, `\"`)+`"`, 1))),
		httpCase("http: bad request ID in path", 400, "1-64", "GET", "/requests/bad%20id%27--", "{token}", nil),
		httpCase("http: unknown action", 404, "unknown action", "POST", "/requests/{open}/actions/teleport", "{token}", []byte(`{}`)),
		httpCase("http: action in the wrong stage", 409, "stage analysis", "POST", "/requests/{open}/actions/accept_delivery", "{token}", []byte(`{}`)),
		withNewIDs(httpCase("http: action on unknown request", 404, "not found", "POST", "/requests/bi-ghost2/actions/respond", "{token}", []byte(`{}`)), "bi-ghost2"),
		httpCase("http: action on a closed request", 409, "closed", "POST", "/requests/{closed}/actions/note", "{token}", []byte(`{"note":"late"}`)),
		httpCase("http: score out of range", 400, "professionalism", "POST", "/requests/{open}/actions/record_follow_up", "{token}", []byte(`{"response_speed":5,"resolution":5,"attitude":5,"professionalism":0}`)),
		httpCase("http: delivery date in the past", 409, "expected_delivery", "POST", "/requests/{open}/actions/submit_sheet", "{token}", []byte(`{"description":"d","goal":"g","expected_delivery":"`+past+`"}`)),
		httpCase("http: field of another action", 400, "reason", "POST", "/requests/{open}/actions/respond", "{token}", []byte(`{"reason":"x"}`)),

		// Applied exactly once or refused by name (CONTRACT §3, §8).
		withNewIDs(cliCase("starter: duplicate key", "customer.tier: duplicate key", strings.Replace(startJSON, `"tier":"standard"`, `"tier":"standard","tier":"vip"`, 1), "starter", "--file", "-"), "bi-new-1"),
		withNewIDs(cliCase("starter: submitted_at in 1970", "submitted_at: 1970-01-01T00:00:00Z is more than intake.max_backdate", strings.Replace(startJSON, `"channel"`, `"submitted_at":"1970-01-01T00:00:00Z","channel"`, 1), "starter", "--file", "-"), "bi-new-1"),
		withNewIDs(cliCase("starter: submitted_at in the future", "submitted_at: ", strings.Replace(startJSON, `"channel"`, `"submitted_at":"`+future+`","channel"`, 1), "starter", "--file", "-"), "bi-new-1"),
		withNewIDs(cliCase("starter: submitted_at not a time", `submitted_at: "soon" is not an RFC 3339 time`, strings.Replace(startJSON, `"channel"`, `"submitted_at":"soon","channel"`, 1), "starter", "--file", "-"), "bi-new-1"),
		withNewIDs(cliCase("starter: workflow ID prefix in the request ID", `request_id: must not start with "sr-"`, strings.Replace(startJSON, `"bi-new-1"`, `"sr-bi-new-4"`, 1), "starter", "--file", "-"), "sr-bi-new-4", "bi-new-4"),
		withNewIDs(cliCase("starter: --submitted-at in 1970", "submitted_at", "", "starter", "--request-id", "bi-new-5", "--customer-id", "c", "--customer-name", "n",
			"--title", "t", "--submitted-at", "1970-01-01T00:00:00Z"), "bi-new-5"),
		cliCase("svcctl: action_id reused for another action", "action_id bi-note-1 was already used for note", "", "svcctl", "reassign", "{open}", "--assignee", "x", "--action-id", "bi-note-1"),
		cliCase("svcctl: action_id reused with other fields", "action_id bi-note-1 was already used for note with other fields", "", "svcctl", "note", "{open}", "--note", "other", "--action-id", "bi-note-1"),
		cliCase("svcctl: duplicate key in --data", "note: duplicate key", "", "svcctl", "note", "{open}", "--data", `{"note":"a","note":"b"}`),
		cliCase("svcctl: note without its text", "svcctl: note: required", "", "svcctl", "note", "{open}"),
		cliCase("svcctl: whole-number flag", `--complaint-id: "abc" is not a whole number`, "", "svcctl", "resolve-complaint", "{open}", "--complaint-id", "abc"),
		cliCase("svcctl: delivery too far ahead", "sla.max_delivery_ahead", "", "svcctl", "submit-sheet", "{open}", "--description", "d", "--goal", "g", "--expected-delivery", "3000-01-01T00:00:00Z"),
		withNewIDs(httpCaseWith("http: text/plain start", 415, "application/json", "POST", "/requests", "{token}", []byte(startJSON), map[string]string{"Content-Type": "text/plain"}), "bi-new-1"),
		withNewIDs(httpCaseWith("http: cross-site form start", 415, "application/json", "POST", "/requests", "{token}", []byte("request_id=bi-new-1"), map[string]string{"Content-Type": "application/x-www-form-urlencoded"}), "bi-new-1"),
		httpCaseWith("http: action without content type", 415, "application/json", "POST", "/requests/{open}/actions/note", "{token}", []byte(`{"note":"n"}`), nil),
		httpCase("http: wrong method", 405, "method GET not allowed", "GET", "/requests", "{token}", nil),
		withNewIDs(httpCase("http: duplicate key", 400, "priority: duplicate key", "POST", "/requests", "{token}", []byte(strings.Replace(startJSON, `"priority":"normal"`, `"priority":"normal","priority":"urgent"`, 1))), "bi-new-1"),
		withNewIDs(httpCase("http: submitted_at in 1970", 400, "submitted_at", "POST", "/requests", "{token}", []byte(strings.Replace(startJSON, `"channel"`, `"submitted_at":"1970-01-01T00:00:00Z","channel"`, 1))), "bi-new-1"),
		httpCase("http: action_id reused for another action", 409, "action_id bi-note-1 was already used for note", "POST", "/requests/{open}/actions/cancel", "{token}", []byte(`{"action_id":"bi-note-1"}`)),
		httpCaseWith("http: Idempotency-Key reused for another action", 409, "action_id bi-note-1 was already used for note", "POST", "/requests/{open}/actions/cancel", "{token}", []byte(`{}`),
			map[string]string{"Content-Type": "application/json", "Idempotency-Key": "bi-note-1"}),
		httpCaseWith("http: Idempotency-Key against the body", 400, "Idempotency-Key", "POST", "/requests/{open}/actions/note", "{token}", []byte(`{"note":"n","action_id":"a-1"}`),
			map[string]string{"Content-Type": "application/json", "Idempotency-Key": "a-2"}),
	}
}

// TestProgramsRefuseBadInput runs the program and HTTP cases and checks each
// is refused with one line and leaves PostgreSQL, visibility and the
// fixtures' histories unchanged.
func TestProgramsRefuseBadInput(t *testing.T) {
	s := getStack(t)
	fx := s.makeFixtures(t)
	before := s.settle(t, fx)
	for _, tc := range programCases() {
		t.Run(tc.name, func(t *testing.T) {
			code, msg := tc.run(t, s, fx)
			if code != tc.code {
				t.Errorf("status %d, want %d (message %q)", code, tc.code, clip(msg))
			}
			checkLine(t, msg, tc.want)
			after := s.snapshot(t, fx)
			if d := before.diff(after); d != "" {
				t.Errorf("refused input wrote something: %s", d)
				before = after
			}
			for _, id := range tc.newIDs {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				_, err := s.Client.DescribeWorkflowExecution(ctx, workflows.WorkflowID(id), "")
				cancel()
				var nf *serviceerror.NotFound
				if !errors.As(err, &nf) {
					t.Errorf("workflow %s exists after a refused start (describe: %v)", workflows.WorkflowID(id), err)
				}
			}
		})
	}
	n := len(programCases()) + len(requestCases) + len(actionCases) + len(configCases) + 1
	t.Logf("bad-input corpus: %d cases (%d program and HTTP, %d start inputs, %d action payloads, %d config files, 1 missing file)",
		n, len(programCases()), len(requestCases), len(actionCases), len(configCases))
	if n < 120 {
		t.Errorf("corpus has %d cases, want at least 120 (the README names the count)", n)
	}
}
