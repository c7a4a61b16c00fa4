package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/config"
)

// Webhook headers (CONTRACT §4).
const (
	HeaderTimestamp      = "X-Svcflow-Timestamp"
	HeaderSignature      = "X-Svcflow-Signature"
	HeaderIdempotencyKey = "Idempotency-Key"
)

// DefaultWebhookTimeout applies when notify.webhook.timeout is empty (to the
// webhook and the robot channels).
const DefaultWebhookTimeout = 5 * time.Second

// WebhookPayload is the JSON body of a webhook notification.
type WebhookPayload struct {
	DedupeKey string            `json:"dedupe_key"`
	RequestID string            `json:"request_id"`
	Party     string            `json:"party"`
	Kind      string            `json:"kind"`
	Locale    string            `json:"locale"`
	To        string            `json:"to,omitempty"`
	Subject   string            `json:"subject"`
	Body      string            `json:"body"`
	Data      map[string]string `json:"data,omitempty"`
}

type webhookSender struct {
	url       string
	recipient string // host of the URL (never its query, which may hold a token)
	secret    string // secret: only ever used as the HMAC key
	timeout   time.Duration
	client    *http.Client
}

// newWebhookSender builds the webhook channel from its checked settings.
func newWebhookSender(c config.Webhook, timeout time.Duration) *webhookSender {
	ws := &webhookSender{url: strings.TrimSpace(c.URL), secret: c.Secret, timeout: timeout}
	if u, err := url.Parse(ws.url); err == nil {
		ws.recipient = u.Host
	}
	return ws
}

// noRedirects returns a copy of c that does not follow redirects (a POST
// must not turn into a GET elsewhere).
func noRedirects(c *http.Client) *http.Client {
	cc := *c
	cc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &cc
}

// Sign is the X-Svcflow-Signature of body sent at timestamp (Unix seconds):
// "sha256=" + hex HMAC-SHA256(secret, timestamp + "." + body).
func Sign(secret string, timestamp int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(timestamp, 10)))
	m.Write([]byte("."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify checks a received webhook: the signature matches and the timestamp
// is within tolerance of now (for receivers and tests).
func Verify(secret, timestampHeader, signatureHeader string, body []byte, now time.Time, tolerance time.Duration) error {
	ts, err := strconv.ParseInt(timestampHeader, 10, 64)
	if err != nil {
		return fmt.Errorf("%s: %q: not Unix seconds", HeaderTimestamp, timestampHeader)
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("%s: %d is %v away from now", HeaderTimestamp, ts, d)
	}
	if !hmac.Equal([]byte(Sign(secret, ts, body)), []byte(signatureHeader)) {
		return fmt.Errorf("%s: mismatch", HeaderSignature)
	}
	return nil
}

// send POSTs the signed JSON. 2xx → sent; 429/5xx/timeouts → retryable;
// other answers → permanent.
func (w *webhookSender) send(ctx context.Context, n activities.Notification, msg Message, now time.Time) error {
	body, err := json.Marshal(WebhookPayload{DedupeKey: n.DedupeKey, RequestID: n.RequestID, Party: n.Party,
		Kind: n.Kind, Locale: msg.Locale, To: n.To, Subject: msg.Subject, Body: msg.Body, Data: n.Data})
	if err != nil {
		return permanent{fmt.Errorf("webhook body: %w", err)}
	}
	ctx, cancel := context.WithTimeout(ctx, w.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return permanent{fmt.Errorf("webhook request to %s: %v", w.recipient, stripURL(err))}
	}
	ts := now.Unix()
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "svcflow")
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, Sign(w.secret, ts, body))
	req.Header.Set(HeaderIdempotencyKey, n.DedupeKey)
	resp, err := w.client.Do(req)
	if err != nil {
		return fmt.Errorf("webhook POST to %s: %v", w.recipient, stripURL(err))
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	code := resp.StatusCode
	switch {
	case code >= 200 && code < 300:
		return nil
	case code == http.StatusTooManyRequests || code >= 500:
		return fmt.Errorf("webhook POST to %s: HTTP %d%s", w.recipient, code, brief(snippet))
	default:
		return permanent{fmt.Errorf("webhook POST to %s: HTTP %d%s", w.recipient, code, brief(snippet))}
	}
}

// stripURL drops the URL from net/http errors (its query may hold a token).
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func brief(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if s == "" {
		return ""
	}
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return ": " + s
}
