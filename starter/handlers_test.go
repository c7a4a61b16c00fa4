package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/workflows"
	"github.com/svcflow/svcflow/workflows/requests"
)

// fakeBackend records calls and answers as configured.
type fakeBackend struct {
	existing  map[string]bool // request IDs that already have a workflow
	started   []workflows.Request
	updates   []string
	signals   []string
	rejection string // non-empty: every update is rejected with it
}

func (f *fakeBackend) Start(_ context.Context, req workflows.Request) (requests.StartResult, error) {
	f.started = append(f.started, req)
	wid := workflows.WorkflowID(req.RequestID)
	created := !f.existing[req.RequestID]
	if f.existing == nil {
		f.existing = map[string]bool{}
	}
	f.existing[req.RequestID] = true
	return requests.StartResult{WorkflowID: wid, RunID: "run-1", UIURL: "http://ui/" + wid, Created: created}, nil
}

func (f *fakeBackend) Status(_ context.Context, id string) (workflows.Status, error) {
	if !f.existing[id] {
		return workflows.Status{}, &requests.NotFoundError{RequestID: id}
	}
	return workflows.Status{RequestID: id, WorkflowID: workflows.WorkflowID(id), Stage: workflows.StageAnalysis}, nil
}

func (f *fakeBackend) Update(_ context.Context, id, name string, a workflows.Action) (workflows.ActionResult, error) {
	if !f.existing[id] {
		return workflows.ActionResult{}, &requests.NotFoundError{RequestID: id}
	}
	f.updates = append(f.updates, name+":"+a.ActionID)
	if f.rejection != "" {
		return workflows.ActionResult{}, &requests.RejectedError{Reason: f.rejection}
	}
	return workflows.ActionResult{Result: "accepted", Stage: workflows.StageAnalysis}, nil
}

func (f *fakeBackend) Signal(_ context.Context, id, name string, a workflows.Action) error {
	if !f.existing[id] {
		return &requests.NotFoundError{RequestID: id}
	}
	f.signals = append(f.signals, name+":"+a.ActionID)
	return nil
}

func (f *fakeBackend) Health(context.Context) error { return nil }

const validRequest = `{"request_id":"42","customer":{"id":"c-7","name":"Acme Ltd","tier":"vip"},"priority":"urgent","title":"Printer jams"}`

func newTestServer(b *fakeBackend, token string, maxBody int64) http.Handler {
	s := &server{b: b, token: token, maxBody: maxBody, log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		skew: 5 * time.Minute, backdate: 720 * time.Hour, now: func() time.Time { return testNow }}
	return s.routes()
}

// testNow is the intake's clock in these tests.
var testNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func do(t *testing.T, h http.Handler, method, path, body, token string) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	return doWith(t, h, method, path, body, token, map[string]string{"Content-Type": "application/json"})
}

// doWith sends a request with exactly the given headers (plus the token).
func doWith(t *testing.T, h http.Handler, method, path, body, token string, headers map[string]string) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("%s %s: answer is not a JSON object: %v: %q", method, path, err, rec.Body.String())
	}
	return rec, m
}

func TestCreateRequestCreatedThenExisting(t *testing.T) {
	b := &fakeBackend{}
	h := newTestServer(b, "", 64<<10)
	rec, m := do(t, h, "POST", "/requests", validRequest, "")
	if rec.Code != http.StatusCreated || m["created"] != true || m["workflow_id"] != "sr-42" || m["run_id"] != "run-1" || m["ui_url"] != "http://ui/sr-42" {
		t.Fatalf("first start: %d %v", rec.Code, m)
	}
	rec, m = do(t, h, "POST", "/requests", validRequest, "")
	if rec.Code != http.StatusOK || m["created"] != false {
		t.Fatalf("second start: %d %v, want 200 created:false", rec.Code, m)
	}
	if len(b.started) != 2 || b.started[0].Customer.Name != "Acme Ltd" {
		t.Fatalf("backend saw %+v", b.started)
	}
}

func TestCreateRequestListsEveryBadField(t *testing.T) {
	b := &fakeBackend{}
	h := newTestServer(b, "", 64<<10)
	body := `{"request_id":"bad id!","customer":{"id":"c","name":"N","tier":"gold"},"priority":"soon","title":"t","colour":"red"}`
	rec, m := do(t, h, "POST", "/requests", body, "")
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("code %d, want 400: %v", rec.Code, m)
	}
	// Unknown fields are reported first by the strict decoder; fix that and
	// every bad value is listed.
	if !strings.Contains(m["error"].(string), "colour") {
		t.Fatalf("error %q does not name the unknown field colour", m["error"])
	}
	body = `{"request_id":"bad id!","customer":{"id":"c","name":"N","tier":"gold"},"priority":"soon","title":"t"}`
	rec, m = do(t, h, "POST", "/requests", body, "")
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("code %d, want 400: %v", rec.Code, m)
	}
	probs, _ := m["problems"].([]any)
	joined := ""
	for _, p := range probs {
		joined += p.(string) + "\n"
	}
	for _, field := range []string{"request_id", "customer.tier", "priority"} {
		if !strings.Contains(joined, field) {
			t.Errorf("problems %q do not name %s", joined, field)
		}
	}
	if len(probs) < 3 {
		t.Errorf("want at least 3 problems, got %d: %v", len(probs), probs)
	}
	if len(b.started) != 0 {
		t.Fatalf("a bad request reached Temporal: %+v", b.started)
	}
}

func TestBodyLimit413(t *testing.T) {
	b := &fakeBackend{existing: map[string]bool{"42": true}}
	h := newTestServer(b, "", 100)
	big := `{"request_id":"42","title":"` + strings.Repeat("x", 200) + `"}`
	rec, m := do(t, h, "POST", "/requests", big, "")
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("POST /requests: code %d, want 413: %v", rec.Code, m)
	}
	rec, m = do(t, h, "POST", "/requests/42/actions/note", `{"note":"`+strings.Repeat("x", 200)+`"}`, "")
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("POST action: code %d, want 413: %v", rec.Code, m)
	}
	if len(b.started)+len(b.updates) != 0 {
		t.Fatal("an oversized body reached Temporal")
	}
}

func TestTokenRequired(t *testing.T) {
	b := &fakeBackend{}
	h := newTestServer(b, "s3cret-token", 64<<10)
	for _, tok := range []string{"", "wrong", "s3cret", "s3cret-token-and-more", "S3CRET-TOKEN"} {
		rec, m := do(t, h, "POST", "/requests", validRequest, tok)
		if rec.Code != http.StatusUnauthorized {
			t.Errorf("token %q: code %d, want 401: %v", tok, rec.Code, m)
		}
		if rec.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("token %q: no WWW-Authenticate header", tok)
		}
	}
	// A non-bearer scheme carrying the right secret is refused too.
	req := httptest.NewRequest("GET", "/requests/42", nil)
	req.Header.Set("Authorization", "Basic s3cret-token")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("Basic scheme: code %d, want 401", rec.Code)
	}
	if len(b.started) != 0 {
		t.Fatal("an unauthenticated request reached Temporal")
	}
	rec, m := do(t, h, "POST", "/requests", validRequest, "s3cret-token")
	if rec.Code != http.StatusCreated {
		t.Fatalf("right token: code %d: %v", rec.Code, m)
	}
	// /healthz needs no token.
	rec, _ = do(t, h, "GET", "/healthz", "", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("/healthz: code %d", rec.Code)
	}
}

func TestAccessLogNeverShowsToken(t *testing.T) {
	var logs strings.Builder
	s := &server{b: &fakeBackend{}, token: "s3cret-token", maxBody: 1 << 16, log: slog.New(slog.NewTextHandler(&logs, nil))}
	h := s.routes()
	do(t, h, "POST", "/requests", validRequest, "s3cret-token")
	do(t, h, "POST", "/requests", validRequest, "wrong-token")
	if strings.Contains(logs.String(), "s3cret") || strings.Contains(logs.String(), "wrong-token") {
		t.Fatalf("access log shows a token: %s", logs.String())
	}
	if !strings.Contains(logs.String(), "status=201") || !strings.Contains(logs.String(), "status=401") {
		t.Fatalf("access log lacks the status codes: %s", logs.String())
	}
}

func TestGetRequest(t *testing.T) {
	b := &fakeBackend{existing: map[string]bool{"42": true}}
	h := newTestServer(b, "", 64<<10)
	for _, path := range []string{"/requests/42", "/requests/sr-42"} {
		rec, m := do(t, h, "GET", path, "", "")
		if rec.Code != http.StatusOK || m["stage"] != workflows.StageAnalysis || m["request_id"] != "42" {
			t.Fatalf("GET %s: %d %v", path, rec.Code, m)
		}
	}
	rec, m := do(t, h, "GET", "/requests/43", "", "")
	if rec.Code != http.StatusNotFound || m["error"] != "request 43 not found" {
		t.Fatalf("unknown: %d %v", rec.Code, m)
	}
	rec, _ = do(t, h, "GET", "/requests/bad%20id", "", "")
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("bad id: %d", rec.Code)
	}
}

func TestActions(t *testing.T) {
	b := &fakeBackend{existing: map[string]bool{"42": true}}
	h := newTestServer(b, "", 64<<10)

	rec, m := do(t, h, "POST", "/requests/42/actions/respond", `{"action_id":"a1","actor":"crm"}`, "")
	if rec.Code != http.StatusOK || m["result"] != "accepted" || m["stage"] != workflows.StageAnalysis {
		t.Fatalf("update: %d %v", rec.Code, m)
	}
	rec, m = do(t, h, "POST", "/requests/42/actions/confirm-sheet?async=1", `{"action_id":"a2"}`, "")
	if rec.Code != http.StatusAccepted || m["result"] != "signalled" || m["action"] != "confirm_sheet" {
		t.Fatalf("signal: %d %v", rec.Code, m)
	}
	if len(b.updates) != 1 || b.updates[0] != "respond:a1" || len(b.signals) != 1 || b.signals[0] != "confirm_sheet:a2" {
		t.Fatalf("backend saw updates %v signals %v", b.updates, b.signals)
	}

	b.rejection = "request sr-42 is in stage analysis; deliver is valid only in in_progress or rework"
	rec, m = do(t, h, "POST", "/requests/42/actions/deliver", `{}`, "")
	if rec.Code != http.StatusConflict || m["error"] != b.rejection {
		t.Fatalf("rejected: %d %v", rec.Code, m)
	}
	rec, m = do(t, h, "POST", "/requests/43/actions/deliver", ``, "")
	if rec.Code != http.StatusNotFound {
		t.Fatalf("unknown request: %d %v", rec.Code, m)
	}
	rec, m = do(t, h, "POST", "/requests/42/actions/explode", `{}`, "")
	if rec.Code != http.StatusNotFound || !strings.Contains(m["error"].(string), "unknown action") {
		t.Fatalf("unknown action: %d %v", rec.Code, m)
	}
	rec, m = do(t, h, "POST", "/requests/42/actions/reprioritize", `{"priority":"whenever","colour":1}`, "")
	if rec.Code != http.StatusBadRequest || !strings.Contains(m["error"].(string), "colour") {
		t.Fatalf("bad payload: %d %v", rec.Code, m)
	}
}

func TestBearer(t *testing.T) {
	for h, want := range map[string]string{"Bearer abc": "abc", "bearer abc ": "abc", "BEARER x y": "x y"} {
		if got, ok := bearer(h); !ok || got != want {
			t.Errorf("bearer(%q) = %q, %v; want %q", h, got, ok, want)
		}
	}
	for _, h := range []string{"", "Bearer", "Basic abc", "Bearerabc"} {
		if _, ok := bearer(h); ok {
			t.Errorf("bearer(%q) accepted", h)
		}
	}
}

// Every POST needs application/json: a cross-site form or text/plain post
// is refused with 415 before anything is started.
func TestPostsNeedJSONContentType(t *testing.T) {
	b := &fakeBackend{existing: map[string]bool{"42": true}}
	h := newTestServer(b, "", 64<<10)
	for _, ct := range []string{"", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx"} {
		for _, path := range []string{"/requests", "/requests/42/actions/note"} {
			rec, m := doWith(t, h, "POST", path, validRequest, "", map[string]string{"Content-Type": ct})
			if rec.Code != http.StatusUnsupportedMediaType || !strings.Contains(m["error"].(string), "application/json") {
				t.Errorf("%s with Content-Type %q: %d %v, want 415", path, ct, rec.Code, m)
			}
		}
	}
	if len(b.started) != 0 || len(b.updates) != 0 {
		t.Fatalf("refused posts reached Temporal: %v %v", b.started, b.updates)
	}
	rec, _ := doWith(t, h, "POST", "/requests", validRequest, "", map[string]string{"Content-Type": "application/json; charset=utf-8"})
	if rec.Code != http.StatusOK {
		t.Fatalf("application/json with charset: %d", rec.Code)
	}
}

// Errors are JSON everywhere: a wrong method (405, with Allow) and an
// unknown path (404).
func TestWrongMethodAndPathAnswerJSON(t *testing.T) {
	h := newTestServer(&fakeBackend{}, "", 64<<10)
	for _, c := range []struct {
		method, path, allow string
		code                int
	}{
		{"GET", "/requests", "POST", http.StatusMethodNotAllowed},
		{"DELETE", "/requests/42", "GET", http.StatusMethodNotAllowed},
		{"GET", "/requests/42/actions/note", "POST", http.StatusMethodNotAllowed},
		{"POST", "/healthz", "GET", http.StatusMethodNotAllowed},
		{"GET", "/nothing/here", "", http.StatusNotFound},
	} {
		rec, m := do(t, h, c.method, c.path, "", "")
		if rec.Code != c.code || rec.Header().Get("Content-Type") != "application/json" || m["error"] == nil {
			t.Errorf("%s %s: %d %q %v", c.method, c.path, rec.Code, rec.Header().Get("Content-Type"), m)
		}
		if rec.Header().Get("Allow") != c.allow {
			t.Errorf("%s %s: Allow %q, want %q", c.method, c.path, rec.Header().Get("Allow"), c.allow)
		}
	}
}

// Idempotency-Key is the action_id when the body has none, sync and async;
// one that contradicts the body is refused.
func TestIdempotencyKeyIsTheActionID(t *testing.T) {
	b := &fakeBackend{existing: map[string]bool{"42": true}}
	h := newTestServer(b, "", 64<<10)
	hdr := map[string]string{"Content-Type": "application/json", "Idempotency-Key": "crm-77"}
	for _, path := range []string{"/requests/42/actions/note", "/requests/42/actions/note?async=1"} {
		if rec, m := doWith(t, h, "POST", path, `{"note":"called"}`, "", hdr); rec.Code/100 != 2 {
			t.Fatalf("%s: %d %v", path, rec.Code, m)
		}
	}
	if len(b.updates) != 1 || b.updates[0] != "note:crm-77" || len(b.signals) != 1 || b.signals[0] != "note:crm-77" {
		t.Fatalf("updates %v signals %v, want the key as action_id", b.updates, b.signals)
	}
	rec, m := doWith(t, h, "POST", "/requests/42/actions/note", `{"note":"called","action_id":"other"}`, "", hdr)
	if rec.Code != http.StatusBadRequest || !strings.Contains(m["error"].(string), "Idempotency-Key") {
		t.Fatalf("key contradicting the body: %d %v", rec.Code, m)
	}
	hdr["Idempotency-Key"] = strings.Repeat("k", 200)
	rec, m = doWith(t, h, "POST", "/requests/42/actions/note", `{"note":"called"}`, "", hdr)
	if rec.Code != http.StatusBadRequest || !strings.HasPrefix(m["error"].(string), "Idempotency-Key: ") {
		t.Fatalf("over-long key: %d %v", rec.Code, m)
	}
}

// The intake refuses what the workflow could not tell apart or would
// misapply: the sr- prefix, submitted_at out of bounds, duplicate keys.
func TestIntakeRefusesByName(t *testing.T) {
	b := &fakeBackend{}
	h := newTestServer(b, "", 64<<10)
	body := func(field string) string {
		return `{"request_id":"42","customer":{"id":"c-7","name":"Acme","tier":"standard"},"priority":"normal","title":"t"` + field + `}`
	}
	for _, c := range []struct{ body, want string }{
		{strings.Replace(body(""), `"42"`, `"sr-900"`, 1), `request_id: must not start with "sr-"`},
		{body(`,"submitted_at":"1970-01-01T00:00:00Z"`), "submitted_at: 1970-01-01T00:00:00Z is more than intake.max_backdate 720h in the past"},
		{body(`,"submitted_at":"2026-11-23T11:00:00Z"`), "submitted_at: 2026-11-23T11:00:00Z is in the future (more than intake.max_clock_skew 5m ahead of now)"},
		{body(`,"submitted_at":"yesterday"`), `submitted_at: "yesterday" is not an RFC 3339 time`},
		{body(`,"submitted_at":1700000000`), "submitted_at: expected an RFC 3339 time string"},
		{strings.Replace(body(""), `"tier":"standard"`, `"tier":"standard","tier":"vip"`, 1), "customer.tier: duplicate key"},
		{strings.Replace(body(""), `"customer":{`, `"customer":"c-7","x":{`, 1), "customer: expected an object, got string"},
	} {
		rec, m := do(t, h, "POST", "/requests", c.body, "")
		if rec.Code != http.StatusBadRequest || !strings.Contains(m["error"].(string), c.want) {
			t.Errorf("%s: %d %v, want 400 naming %q", c.body, rec.Code, m, c.want)
		}
		if e := m["error"].(string); strings.Contains(e, "workflows.") || strings.Contains(e, "2006-01-02") || strings.Contains(e, "UnmarshalJSON") {
			t.Errorf("%s: message shows Go internals: %s", c.body, e)
		}
	}
	if len(b.started) != 0 {
		t.Fatalf("refused requests were started: %v", b.started)
	}
}

func TestServeRefusesAnonymousNonLoopback(t *testing.T) {
	for _, c := range []struct {
		listen string
		in     config.IntakeSettings
		ok     bool
	}{
		{"127.0.0.1:8088", config.IntakeSettings{}, true},
		{"localhost:8088", config.IntakeSettings{}, true},
		{"[::1]:8088", config.IntakeSettings{}, true},
		{"0.0.0.0:8088", config.IntakeSettings{}, false},
		{":8088", config.IntakeSettings{}, false},
		{"10.0.0.5:8088", config.IntakeSettings{}, false},
		{"0.0.0.0:8088", config.IntakeSettings{Token: "t"}, true},
		{"0.0.0.0:8088", config.IntakeSettings{AllowAnonymous: true}, true},
	} {
		err := checkAnonymous(c.listen, c.in)
		if (err == nil) != c.ok {
			t.Errorf("%s %+v: %v", c.listen, c.in, err)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "intake.token: ") {
			t.Errorf("error does not name intake.token: %v", err)
		}
	}
}
