package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/store"
)

const (
	hookSecret   = "hook-Secret-never-logged"
	hookURLToken = "url-Token-never-logged"
)

// hookServer verifies every request as a receiver would and answers with
// the next queued status (200 when the queue is empty).
type hookServer struct {
	*httptest.Server
	t        *testing.T
	mu       sync.Mutex
	statuses []int
	hang     bool
	calls    int
	accepted []WebhookPayload
	keys     []string
}

func startHook(t *testing.T, statuses ...int) *hookServer {
	h := &hookServer{t: t, statuses: statuses}
	h.Server = httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(h.Close)
	return h
}

func (h *hookServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	h.calls++
	hang := h.hang
	status := http.StatusOK
	if len(h.statuses) > 0 {
		status, h.statuses = h.statuses[0], h.statuses[1:]
	}
	h.mu.Unlock()
	if hang {
		<-r.Context().Done() // the client gives up (its timeout)
		return
	}
	if r.Method != http.MethodPost || r.URL.Query().Get("token") != hookURLToken ||
		!strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		h.t.Errorf("request %s %s content-type %q", r.Method, r.URL, r.Header.Get("Content-Type"))
	}
	if err := Verify(hookSecret, r.Header.Get(HeaderTimestamp), r.Header.Get(HeaderSignature), body, time.Now(), time.Minute); err != nil {
		h.t.Errorf("receiver rejects signature: %v", err)
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var p WebhookPayload
	if err := json.Unmarshal(body, &p); err != nil {
		h.t.Errorf("body is not JSON: %v", err)
	}
	if r.Header.Get(HeaderIdempotencyKey) != p.DedupeKey || p.DedupeKey == "" {
		h.t.Errorf("Idempotency-Key %q, body dedupe_key %q", r.Header.Get(HeaderIdempotencyKey), p.DedupeKey)
	}
	if status/100 == 2 {
		h.mu.Lock()
		h.accepted = append(h.accepted, p)
		h.keys = append(h.keys, r.Header.Get(HeaderIdempotencyKey))
		h.mu.Unlock()
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, http.StatusText(status))
}

func (h *hookServer) counts() (calls, accepted int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.calls, len(h.accepted)
}

func hookConfig(h *hookServer, timeout string) config.Notify {
	return config.Notify{
		Parties: map[string][]string{activities.PartySupervisor: {"webhook", "log"}},
		Webhook: config.Webhook{URL: h.URL + "/hooks/svcflow?token=" + hookURLToken, Secret: hookSecret, Timeout: timeout},
	}
}

func warning(id, key string) activities.Notification {
	return activities.Notification{DedupeKey: key, RequestID: id, Party: activities.PartySupervisor,
		Kind: activities.KindWarning, Data: map[string]string{"title": "Printer on fire", "deadline": "sheet", "due_at": "2026-11-03 18:00", "stage": "analysis"}}
}

func TestWebhookSignedAndSentOnce(t *testing.T) {
	h := startHook(t)
	ledger := newLedger(t)
	d, err := New(settingsOf(hookConfig(h, "2s")), ledger, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	n := warning(t.Name(), t.Name()+"/warning/sheet/1")
	if err := d.Send(ctx, n); err != nil {
		t.Fatal(err)
	}
	if err := d.Send(ctx, n); err != nil {
		t.Fatal(err)
	}
	calls, accepted := h.counts()
	if calls != 1 || accepted != 1 {
		t.Fatalf("calls %d accepted %d, want 1 and 1", calls, accepted)
	}
	p := h.accepted[0]
	if h.keys[0] != t.Name()+"/warning/sheet/1" || p.Kind != "warning" || p.Party != "supervisor" || p.RequestID != t.Name() ||
		p.Locale != "en" || !strings.Contains(p.Subject, "sheet due soon") || p.Data["title"] != "Printer on fire" {
		t.Fatalf("payload = %+v", p)
	}
	recs, _ := ledger.Notifications(ctx, t.Name())
	if len(recs) != 2 {
		t.Fatalf("records = %+v, want webhook and log", recs)
	}
	for _, r := range recs {
		if r.Status != store.StatusSent || r.Attempts != 1 {
			t.Errorf("record %+v", r)
		}
		if r.Channel == "webhook" && (r.Recipient != strings.TrimPrefix(h.URL, "http://") || strings.Contains(r.Recipient, hookURLToken)) {
			t.Errorf("webhook recipient %q", r.Recipient)
		}
	}
}

func TestWebhook500ThenRetrySendsOnce(t *testing.T) {
	h := startHook(t, 500)
	ledger := newLedger(t)
	d, err := New(settingsOf(hookConfig(h, "2s")), ledger, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	n := warning(t.Name(), t.Name()+"/warning/sheet/2")
	err = d.Send(ctx, n)
	if !retryable(err) {
		t.Fatalf("500: %v, want retryable", err)
	}
	// The activity retry: the log line already went out, the webhook is sent.
	if err := d.Send(ctx, n); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if err := d.Send(ctx, n); err != nil {
		t.Fatalf("third: %v", err)
	}
	calls, accepted := h.counts()
	if calls != 2 || accepted != 1 {
		t.Fatalf("calls %d accepted %d, want 2 and 1", calls, accepted)
	}
	recs, _ := ledger.Notifications(ctx, t.Name())
	for _, r := range recs {
		if r.Channel == "webhook" && (r.Status != store.StatusSent || r.Attempts != 2) {
			t.Errorf("webhook record %+v, want sent after 2 attempts", r)
		}
		if r.Channel == "log" && r.Attempts != 1 {
			t.Errorf("log record %+v, want 1 attempt", r)
		}
	}
}

func TestWebhookStatusClasses(t *testing.T) {
	for _, tc := range []struct {
		status    int
		retryable bool
	}{{400, false}, {404, false}, {422, false}, {429, true}, {503, true}} {
		h := startHook(t, tc.status)
		d, err := New(settingsOf(hookConfig(h, "2s")), newLedger(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		key := fmt.Sprintf("%s/%d", t.Name(), tc.status)
		err = d.Send(context.Background(), warning(key, key))
		if tc.retryable && !retryable(err) || !tc.retryable && !nonRetryable(err) {
			t.Errorf("HTTP %d: %v (want retryable %v)", tc.status, err, tc.retryable)
		}
	}
}

func TestWebhookTimeoutIsRetryable(t *testing.T) {
	h := startHook(t)
	h.hang = true
	d, err := New(settingsOf(hookConfig(h, "150ms")), newLedger(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err = d.Send(context.Background(), warning(t.Name(), t.Name()))
	if !retryable(err) {
		t.Fatalf("timeout: %v, want retryable", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("timeout took %v", el)
	}
	if strings.Contains(err.Error(), hookURLToken) {
		t.Fatalf("error shows the URL token: %v", err)
	}
}
