package metrics

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func get(t *testing.T, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.String()
}

func TestMetricsIncludeTemporalSDKAndRuntime(t *testing.T) {
	m, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Shutdown(context.Background())
	th := m.TemporalHandler().WithTags(map[string]string{"task_queue": "svcflow"})
	th.Counter("temporal_request").Inc(3)
	th.Timer("temporal_request_latency").Record(150 * time.Millisecond)
	m.Meter("svcflow").Int64Counter("svcflow_requests_started")

	code, body := get(t, m.Handler(), "/metrics")
	if code != 200 {
		t.Fatalf("GET /metrics = %d", code)
	}
	for _, want := range []string{
		`temporal_request_total{task_queue="svcflow"} 3`,
		`temporal_request_latency_seconds_bucket{task_queue="svcflow",le="0.25"} 1`,
		"go_goroutines",
		"process_cpu_seconds_total",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestHealthz(t *testing.T) {
	m, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	ok := Check{Name: "postgres", Func: func(context.Context) error { return nil }}
	code, body := get(t, m.Handler(ok), "/healthz")
	if code != 200 || body != "ok\n" {
		t.Fatalf("healthy: got %d %q, want 200 \"ok\\n\"", code, body)
	}

	bad := Check{Name: "temporal", Func: func(context.Context) error { return errors.New("connection\nrefused") }}
	code, body = get(t, m.Handler(ok, bad), "/healthz")
	if code != 503 || body != "temporal: connection refused\n" {
		t.Fatalf("unhealthy: got %d %q", code, body)
	}

	boom := Check{Name: "boom", Func: func(context.Context) error { panic("x") }}
	code, body = get(t, m.Handler(boom), "/healthz")
	if code != 503 || !strings.HasPrefix(body, "boom: check panicked") {
		t.Fatalf("panicking check: got %d %q", code, body)
	}
}

func TestSlowCheckTimesOut(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	block := make(chan struct{})
	defer close(block)
	slow := Check{Name: "slow", Func: func(context.Context) error { <-block; return nil }}
	got := RunChecks(ctx, []Check{slow})
	if len(got) != 1 || !strings.HasPrefix(got[0], "slow: no answer") {
		t.Fatalf("got %q", got)
	}
}

func TestServe(t *testing.T) {
	m, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Serve("127.0.0.1:0", m.Handler())
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + s.Addr() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != "ok\n" {
		t.Fatalf("got %d %q", resp.StatusCode, b)
	}
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := Serve(s.Addr()+"x", m.Handler()); err == nil || !strings.Contains(err.Error(), "listen on") {
		t.Fatalf("bad address: got %v", err)
	}
}

// svcflow's metrics export under their contract names, the fire delay with
// its own buckets.
func TestSvcflowMetricNames(t *testing.T) {
	m, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Shutdown(context.Background())
	th := m.TemporalHandler()
	th.WithTags(map[string]string{"deadline": "response", "event": "breached", "policy": "default"}).Counter(DeadlineEventsInstrument).Inc(1)
	th.WithTags(map[string]string{"deadline": "response", "step": "breach"}).Timer(FireDelayInstrument).Record(300 * time.Millisecond)
	th.WithTags(map[string]string{"action": "respond", "result": "accepted"}).Counter(ActionsInstrument).Inc(1)
	_, body := get(t, m.Handler(), "/metrics")
	for _, want := range []string{
		`svcflow_deadline_events_total{deadline="response",event="breached",policy="default"} 1`,
		`svcflow_deadline_fire_delay_seconds_bucket{deadline="response",step="breach",le="0.5"} 1`,
		`svcflow_deadline_fire_delay_seconds_bucket{deadline="response",step="breach",le="0.25"} 0`,
		`svcflow_actions_total{action="respond",result="accepted"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(body, `svcflow_deadline_fire_delay_seconds_bucket{deadline="response",step="breach",le="0.005"}`) {
		t.Error("the fire delay has the SDK's buckets")
	}
}
