// Package notify renders notifications from templates and sends them on the
// configured channels (log, email, webhook, and the chat robots wecom,
// dingtalk, feishu, slack), each at most once.
package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/metrics"
	"github.com/svcflow/svcflow/internal/store"
)

// Channels.
const (
	ChannelLog     = "log"
	ChannelEmail   = "email"
	ChannelWebhook = "webhook"

	ChannelWeCom    = "wecom"    // WeCom group robot (wecom.go)
	ChannelDingTalk = "dingtalk" // DingTalk custom robot (dingtalk.go)
	ChannelFeishu   = "feishu"   // Feishu/Lark custom bot (feishu.go)
	ChannelSlack    = "slack"    // Slack incoming webhook (slack.go)
)

// UndeliverableError is a send that retrying cannot fix (bad input, a 4xx
// answer, a permanent SMTP or vendor error).
type UndeliverableError struct{ Msg string }

func (e *UndeliverableError) Error() string { return e.Msg }

// Undeliverable marks the error as final for the activity's retry policy.
func (e *UndeliverableError) Undeliverable() bool { return true }

// RateLimitedError is a retryable failure whose channels said when to try
// again (a vendor's rate limit, Retry-After).
type RateLimitedError struct {
	Msg   string
	After time.Duration
}

func (e *RateLimitedError) Error() string { return e.Msg }

// RetryAfter is when the channels allow the next try.
func (e *RateLimitedError) RetryAfter() time.Duration { return e.After }

// Ledger records sends so that a retried activity never sends twice
// (implemented by *store.Store).
type Ledger interface {
	// NotificationStatus is the recorded status of (dedupeKey, channel):
	// store.StatusSent, StatusFailed, StatusSkipped, or "" when none.
	NotificationStatus(ctx context.Context, dedupeKey, channel string) (string, error)
	// RecordNotification records one attempt; a row once sent stays sent.
	RecordNotification(ctx context.Context, rec store.NotificationRecord) error
}

var _ Ledger = (*store.Store)(nil)

// Option adjusts a Dispatcher.
type Option func(*Dispatcher)

// WithSMTPTLSConfig sets the TLS configuration of SMTP connections (e.g. a
// private CA); ServerName defaults to notify.email.host.
func WithSMTPTLSConfig(c *tls.Config) Option { return func(d *Dispatcher) { d.email.tlsConfig = c } }

// WithClock sets the clock of the robots' rate limits and of every
// timestamp the dispatcher writes or signs (tests: a fake one).
func WithClock(c Clock) Option {
	return func(d *Dispatcher) { d.clock, d.now = c, c.Now }
}

// WithMeter records svcflow_notifications_total{channel,status} with meter.
func WithMeter(m metric.Meter) Option {
	return func(d *Dispatcher) {
		c, err := m.Int64Counter(metrics.NotificationsInstrument, metric.WithDescription("notification sends by channel and status"))
		if err != nil {
			d.logger.Warn("notification metric not available", "error", err)
			return
		}
		d.sends = c
	}
}

// Dispatcher sends notifications.
type Dispatcher struct {
	parties       map[string][]string
	defaultLocale string
	ledger        Ledger
	logger        *slog.Logger
	email         *emailSender
	webhook       *webhookSender
	robots        map[string]robotSender // by channel
	sends         metric.Int64Counter    // nil: not counted
	client        *http.Client
	clock         Clock
	now           func() time.Time
}

var knownParties = []string{activities.PartyCustomer, activities.PartyAssignee, activities.PartySupervisor, activities.PartyManager}

// New builds a dispatcher for the checked notification settings (config
// parses and checks them once, naming every problem).
func New(cfg config.NotifySettings, ledger Ledger, logger *slog.Logger, opts ...Option) (*Dispatcher, error) {
	if ledger == nil {
		return nil, errors.New("notify: ledger is required")
	}
	if logger == nil {
		logger = slog.Default()
	}
	d := &Dispatcher{parties: cfg.Parties, defaultLocale: cfg.DefaultLocale, ledger: ledger, logger: logger, clock: realClock{}, now: time.Now,
		robots: map[string]robotSender{}}
	if d.defaultLocale == "" {
		d.defaultLocale = LocaleEn
	}
	timeout := cfg.HTTPTimeout
	if timeout <= 0 {
		timeout = DefaultWebhookTimeout
	}
	var robots []*robot
	if cfg.Used(ChannelEmail) {
		d.email = newEmailSender(cfg.Email)
	}
	if cfg.Used(ChannelWebhook) {
		d.webhook = newWebhookSender(cfg.Webhook, timeout)
	}
	for _, ch := range robotChannels {
		if cfg.Used(ch) {
			s := robotSenders[ch](cfg.Robots[ch], timeout)
			d.robots[ch] = s
			robots = append(robots, s.base())
		}
	}
	for _, o := range opts {
		o(d)
	}
	if d.client == nil {
		d.client = &http.Client{}
	}
	if d.webhook != nil {
		d.webhook.client = noRedirects(d.client)
	}
	for _, r := range robots {
		r.start(d.client, d.clock)
	}
	return d, nil
}

// errSkip says a channel cannot reach the party (recorded as skipped).
type errSkip struct{ reason string }

func (e errSkip) Error() string { return e.reason }

// permanent marks an error retrying cannot fix.
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

func isPermanent(err error) bool {
	var p permanent
	return errors.As(err, &p)
}

// Send delivers n on every channel configured for n.Party. Each (dedupe key,
// channel) already recorded as sent (or skipped) is not sent again; every
// attempt is recorded. A channel that cannot reach the party (no address)
// is recorded as skipped. The error is a non-retryable application error
// when only permanent failures happened, else a plain (retryable) error.
func (d *Dispatcher) Send(ctx context.Context, n activities.Notification) error {
	if err := validateNotification(n); err != nil {
		return &UndeliverableError{Msg: err.Error()}
	}
	chans := d.parties[n.Party]
	if len(chans) == 0 {
		return nil
	}
	locale := d.defaultLocale
	if n.Locale != "" {
		if loc := NormalizeLocale(n.Locale); loc != "" {
			locale = loc
		}
	}
	msg, err := Render(n, locale)
	if err != nil {
		return &UndeliverableError{Msg: err.Error()}
	}

	var retryable, perm []string
	var hints []time.Duration // when to retry, per retryable failure (0: no hint)
	for _, ch := range chans {
		status, err := d.ledger.NotificationStatus(ctx, n.DedupeKey, ch)
		if err != nil {
			retryable, hints = append(retryable, fmt.Sprintf("%s: ledger: %v", ch, err)), append(hints, 0)
			continue
		}
		if status == store.StatusSent || status == store.StatusSkipped {
			continue
		}
		rec := store.NotificationRecord{DedupeKey: n.DedupeKey, Channel: ch, RequestID: n.RequestID,
			Party: n.Party, Kind: n.Kind, Template: msg.Template, Locale: msg.Locale, HeldUntil: n.HeldUntil}
		var sendErr error
		switch ch {
		case ChannelLog:
			rec.Recipient = "log"
			d.logger.InfoContext(ctx, "notification", "channel", ch, "kind", n.Kind, "party", n.Party,
				"dedupe_key", n.DedupeKey, "request_id", n.RequestID, "locale", msg.Locale, "subject", msg.Subject)
		case ChannelEmail:
			rec.Recipient = n.To
			sendErr = d.email.send(ctx, n, msg)
		case ChannelWebhook:
			rec.Recipient = d.webhook.recipient
			sendErr = d.webhook.send(ctx, n, msg, d.now())
		default: // a chat robot
			r := d.robots[ch]
			rec.Recipient = r.base().recipient
			sendErr = r.send(ctx, n, msg)
		}
		var skip errSkip
		switch {
		case sendErr == nil:
			now := d.now()
			rec.Status, rec.SentAt = store.StatusSent, &now
			if ch != ChannelLog {
				d.logger.InfoContext(ctx, "notification sent", "channel", ch, "kind", n.Kind, "party", n.Party,
					"dedupe_key", n.DedupeKey, "request_id", n.RequestID)
			}
		case errors.As(sendErr, &skip):
			rec.Status, rec.LastError = store.StatusSkipped, skip.reason
			d.logger.InfoContext(ctx, "notification skipped", "channel", ch, "kind", n.Kind, "party", n.Party,
				"dedupe_key", n.DedupeKey, "reason", skip.reason)
			sendErr = nil
		default:
			rec.Status, rec.LastError = store.StatusFailed, sendErr.Error()
			d.logger.WarnContext(ctx, "notification failed", "channel", ch, "kind", n.Kind, "party", n.Party,
				"dedupe_key", n.DedupeKey, "permanent", isPermanent(sendErr), "error", sendErr.Error())
		}
		if d.sends != nil {
			d.sends.Add(ctx, 1, metric.WithAttributes(attribute.String("channel", ch), attribute.String("status", rec.Status)))
		}
		if err := d.ledger.RecordNotification(ctx, rec); err != nil {
			// The send may have happened; the retry sends again with the same
			// dedupe key (Message-ID, Idempotency-Key) for the receiver. The
			// robots take no such key: their group may see it twice.
			retryable, hints = append(retryable, fmt.Sprintf("%s: record: %v", ch, err)), append(hints, 0)
		}
		if sendErr != nil {
			if isPermanent(sendErr) {
				perm = append(perm, ch+": "+sendErr.Error())
			} else {
				retryable, hints = append(retryable, ch+": "+sendErr.Error()), append(hints, retryHint(sendErr))
			}
		}
	}
	switch {
	case len(retryable) > 0:
		msg := fmt.Sprintf("notification %s: %s", n.DedupeKey, strings.Join(append(retryable, perm...), "; "))
		// Only when every retryable failure says when: retry once the last
		// of them allows (an earlier retry would find it still closed).
		if after := slices.Min(hints); after > 0 {
			return &RateLimitedError{Msg: msg, After: slices.Max(hints)}
		}
		return errors.New(msg)
	case len(perm) > 0:
		msg := fmt.Sprintf("notification %s: %s", n.DedupeKey, strings.Join(perm, "; "))
		return &UndeliverableError{Msg: msg}
	}
	return nil
}

// retryHint is when a retryable send error says to try again, 0 if it
// does not.
func retryHint(err error) time.Duration {
	var h interface{ retryAfter() time.Duration }
	if errors.As(err, &h) {
		return h.retryAfter()
	}
	return 0
}

func validateNotification(n activities.Notification) error {
	var bad []string
	if n.DedupeKey == "" {
		bad = append(bad, "dedupe_key: empty")
	}
	if !slices.Contains(knownParties, n.Party) {
		bad = append(bad, fmt.Sprintf("party: %q: want %s", n.Party, strings.Join(knownParties, ", ")))
	}
	if n.Kind == "" {
		bad = append(bad, "kind: empty")
	}
	if len(bad) > 0 {
		return fmt.Errorf("invalid notification: %s", strings.Join(bad, "; "))
	}
	return nil
}
