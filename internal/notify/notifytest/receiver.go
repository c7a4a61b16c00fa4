// Package notifytest has fake receivers for the chat-robot channels of
// internal/notify: one local HTTP server per vendor (WeCom, DingTalk,
// Feishu, Slack) that checks every request the way the vendor documents it
// — the token in the URL, the signature (computed here from the vendor's
// formula, independently of internal/notify), the message shape and the
// vendor's rate limit — records the messages it accepts, and answers as
// the vendor does, or as the test asks (Enqueue).
//
// A request a receiver refuses (bad token, bad signature, bad shape, too
// fast) gets the vendor's error answer and fails the test, unless the
// receiver was made with Lenient (then Rejected lists them).
//
// In a test through the real worker, point the config at a receiver:
//
//	rcv := notifytest.NewDingTalk(t, notifytest.WithSecret("SEC..."))
//	env := []string{"SVCFLOW_NOTIFY_PARTIES_MANAGER=log,dingtalk",
//		"SVCFLOW_NOTIFY_DINGTALK_URL=" + rcv.URL, "SVCFLOW_NOTIFY_DINGTALK_SECRET=SEC..."}
//	... start the worker with env, drive a request to an escalation ...
//	msgs, err := rcv.Wait(ctx, 1) // no sleeping: returns once one arrived
package notifytest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Message is one message a receiver accepted.
type Message struct {
	At    time.Time // the receiver's clock when it arrived
	Title string    // DingTalk: markdown.title; Feishu: the card header; else ""
	Text  string    // the markdown: WeCom content, DingTalk text, Feishu card markdown (or text), Slack text
	Color string    // Feishu: the card header's template
	Body  []byte    // the request body as sent
}

// Answer is a receiver's reply to one request.
type Answer struct {
	Status int
	Body   string
	Header http.Header
}

// Receiver is a fake vendor endpoint.
type Receiver struct {
	// URL is the robot URL to configure, token included.
	URL string
	// Token is the secret part of URL.
	Token string

	vendor  string
	secret  string
	t       testing.TB
	srv     *httptest.Server
	now     func() time.Time
	lenient bool
	limits  []limit
	check   func(r *Receiver, req *http.Request, body []byte) (Message, *refusal)
	ok      Answer

	mu       sync.Mutex
	queue    []Answer
	calls    int
	accepted []Message
	counted  []time.Time // arrivals that count toward the rate limit
	rejected []string
	changed  chan struct{}
}

// refusal is why a receiver refused a request, and the vendor's answer.
type refusal struct {
	why    string
	answer Answer
}

// limit is a vendor's rate limit: at most n requests in any span of per.
type limit struct {
	n   int
	per time.Duration
	err Answer
}

// Option adjusts a receiver.
type Option func(*Receiver)

// WithSecret makes the receiver require the vendor's signature with secret
// (DingTalk 加签, Feishu 签名校验).
func WithSecret(secret string) Option { return func(r *Receiver) { r.secret = secret } }

// WithClock gives the receiver a clock (a FakeClock's Now) for the arrival
// times, the timestamp check and the rate limit.
func WithClock(now func() time.Time) Option { return func(r *Receiver) { r.now = now } }

// WithoutLimit lifts the vendor's rate limit.
func WithoutLimit() Option { return func(r *Receiver) { r.limits = nil } }

// Lenient records refused requests (Rejected) instead of failing the test.
func Lenient() Option { return func(r *Receiver) { r.lenient = true } }

func start(t testing.TB, vendor, path, query, token string, ok Answer, limits []limit,
	check func(*Receiver, *http.Request, []byte) (Message, *refusal), opts []Option) *Receiver {
	t.Helper()
	r := &Receiver{Token: token, vendor: vendor, t: t, now: time.Now, limits: limits, check: check, ok: ok,
		changed: make(chan struct{})}
	for _, o := range opts {
		o(r)
	}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	r.URL = r.srv.URL + path
	if query != "" {
		r.URL += "?" + query
	}
	return r
}

// Enqueue queues answers for the next requests the receiver would accept:
// each gets one answer instead of the vendor's success and is not accepted.
func (r *Receiver) Enqueue(answers ...Answer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.queue = append(r.queue, answers...)
}

// Calls is how many requests arrived.
func (r *Receiver) Calls() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls
}

// Messages are the accepted messages, in order of arrival.
func (r *Receiver) Messages() []Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Message(nil), r.accepted...)
}

// Rejected lists why requests were refused (Lenient receivers).
func (r *Receiver) Rejected() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.rejected...)
}

// Wait waits until at least n messages have been accepted and returns them.
func (r *Receiver) Wait(ctx context.Context, n int) ([]Message, error) {
	for {
		r.mu.Lock()
		ch, got := r.changed, len(r.accepted)
		r.mu.Unlock()
		if got >= n {
			return r.Messages(), nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return r.Messages(), fmt.Errorf("%s receiver: %d of %d messages: %w", r.vendor, got, n, ctx.Err())
		}
	}
}

func (r *Receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	defer func() { close(r.changed); r.changed = make(chan struct{}) }()
	var m Message
	var ref *refusal
	switch ct, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type")); {
	case err != nil:
		ref = &refusal{why: "reading the body: " + err.Error(), answer: Answer{Status: http.StatusBadRequest}}
	case req.Method != http.MethodPost || ct != "application/json":
		ref = &refusal{why: fmt.Sprintf("%s with Content-Type %q, want a JSON POST", req.Method, req.Header.Get("Content-Type")),
			answer: Answer{Status: http.StatusMethodNotAllowed}}
	default:
		m, ref = r.check(r, req, body)
	}
	if ref == nil {
		ref = r.overLimit(now)
	}
	if ref != nil {
		r.rejected = append(r.rejected, ref.why)
		if !r.lenient {
			r.t.Errorf("%s receiver refuses a request: %s", r.vendor, ref.why)
		}
		reply(w, ref.answer)
		return
	}
	r.counted = append(r.counted, now)
	if len(r.queue) > 0 {
		a := r.queue[0]
		r.queue = r.queue[1:]
		reply(w, a)
		return
	}
	m.At, m.Body = now, body
	r.accepted = append(r.accepted, m)
	reply(w, r.ok)
}

// overLimit refuses a request that would put more than a limit's n in its
// span (the vendors' own sliding count, as documented; they do not say
// whether refused requests count, so here they do not).
func (r *Receiver) overLimit(now time.Time) *refusal {
	for _, l := range r.limits {
		in := 1
		for _, t := range r.counted {
			if now.Sub(t) < l.per {
				in++
			}
		}
		if in > l.n {
			return &refusal{why: fmt.Sprintf("%d requests within %v: the limit is %d", in, l.per, l.n), answer: l.err}
		}
	}
	return nil
}

func reply(w http.ResponseWriter, a Answer) {
	for k, vs := range a.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	if strings.HasPrefix(strings.TrimSpace(a.Body), "{") {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	status := a.Status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, a.Body)
}

// decodeStrict decodes a JSON body into v, refusing unknown fields (the
// shape is checked as sent, not as the vendor might tolerate it).
func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("data after the JSON value")
	}
	return nil
}

func jsonAnswer(v any) Answer {
	b, _ := json.Marshal(v) // plain maps of strings and numbers
	return Answer{Status: http.StatusOK, Body: string(b)}
}

// withinHour reports whether ts is within an hour of now (DingTalk's and
// Feishu's tolerance).
func withinHour(ts, now time.Time) bool {
	d := now.Sub(ts)
	return d <= time.Hour && d >= -time.Hour
}
