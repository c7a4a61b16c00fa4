package teststack

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/svcflow/svcflow/internal/notify"
)

// Sink is a fake webhook receiver: the stack points notify.webhook at it,
// so any party routed to the webhook channel lands here. It checks every
// delivery the way a real receiver would (JSON body, signature, timestamp)
// and records those it accepts; it answers 200 to those, 400 to the rest.
type Sink struct {
	URL    string
	Secret string
	srv    *httptest.Server

	mu      sync.Mutex
	msgs    []Delivery
	refused []error
	arrived chan struct{} // closed and replaced on every delivery
}

// Delivery is one accepted webhook delivery.
type Delivery struct {
	notify.WebhookPayload
	IdempotencyKey string
	At             time.Time
}

// NewSink starts a sink; secret "" picks a random one.
func NewSink(secret string) *Sink {
	if secret == "" {
		secret = "sink-" + randomHex(8)
	}
	k := &Sink{Secret: secret, arrived: make(chan struct{})}
	k.srv = httptest.NewServer(http.HandlerFunc(k.serve))
	k.URL = k.srv.URL + "/hook"
	return k
}

func (k *Sink) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err == nil {
		err = notify.Verify(k.Secret, r.Header.Get(notify.HeaderTimestamp), r.Header.Get(notify.HeaderSignature), body, time.Now(), 5*time.Minute)
	}
	var d Delivery
	if err == nil {
		err = json.Unmarshal(body, &d.WebhookPayload)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if err != nil {
		k.refused = append(k.refused, fmt.Errorf("sink: %s %s: %w", r.Method, r.URL.Path, err))
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	d.IdempotencyKey, d.At = r.Header.Get(notify.HeaderIdempotencyKey), time.Now()
	k.msgs = append(k.msgs, d)
	close(k.arrived)
	k.arrived = make(chan struct{})
	w.WriteHeader(http.StatusOK)
}

// Deliveries are the accepted deliveries so far, in arrival order.
func (k *Sink) Deliveries() []Delivery {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]Delivery{}, k.msgs...)
}

// Refused are the deliveries the sink refused (bad signature or body).
func (k *Sink) Refused() []error {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]error{}, k.refused...)
}

// Wait waits until at least n deliveries arrived and returns them.
func (k *Sink) Wait(ctx context.Context, n int) ([]Delivery, error) {
	for {
		k.mu.Lock()
		got, arrived := len(k.msgs), k.arrived
		k.mu.Unlock()
		if got >= n {
			return k.Deliveries(), nil
		}
		select {
		case <-ctx.Done():
			return k.Deliveries(), fmt.Errorf("sink: %d of %d deliveries: %w", got, n, ctx.Err())
		case <-arrived:
		}
	}
}

// Close stops the receiver.
func (k *Sink) Close() { k.srv.Close() }
