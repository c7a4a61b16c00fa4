// Package notify renders notifications from templates and sends them on the
// configured channels (log, email, webhook), each at most once.
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

	"go.temporal.io/sdk/temporal"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/store"
)

// Channels.
const (
	ChannelLog     = "log"
	ChannelEmail   = "email"
	ChannelWebhook = "webhook"
)

// ErrTypeUndeliverable is the temporal application error type of sends that
// retrying cannot fix (bad input, 4xx webhook answers, permanent SMTP
// errors).
const ErrTypeUndeliverable = "Undeliverable"

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

// WithHTTPClient sets the webhook HTTP client (its Timeout is kept if set).
func WithHTTPClient(c *http.Client) Option { return func(d *Dispatcher) { d.webhook.client = c } }

// Dispatcher sends notifications.
type Dispatcher struct {
	parties       map[string][]string
	defaultLocale string
	ledger        Ledger
	logger        *slog.Logger
	email         *emailSender
	webhook       *webhookSender
	now           func() time.Time
}

var knownParties = []string{activities.PartyCustomer, activities.PartyAssignee, activities.PartySupervisor, activities.PartyManager}

// New builds a dispatcher for cfg, checking the settings of every channel a
// party uses; all problems are listed, each naming its key.
func New(cfg config.Notify, ledger Ledger, logger *slog.Logger, opts ...Option) (*Dispatcher, error) {
	var problems []error
	if ledger == nil {
		problems = append(problems, errors.New("notify: ledger is required"))
	}
	if logger == nil {
		logger = slog.Default()
	}
	d := &Dispatcher{parties: map[string][]string{}, ledger: ledger, logger: logger, now: time.Now}
	d.defaultLocale = LocaleZhCN
	if cfg.DefaultLocale != "" {
		if loc := NormalizeLocale(cfg.DefaultLocale); loc != "" {
			d.defaultLocale = loc
		} else {
			problems = append(problems, fmt.Errorf("notify.default_locale: %q: want zh-CN or en", cfg.DefaultLocale))
		}
	}
	used := map[string]bool{}
	for party, chans := range cfg.Parties {
		if !slices.Contains(knownParties, party) {
			problems = append(problems, fmt.Errorf("notify.parties.%s: unknown party (want %s)", party, strings.Join(knownParties, ", ")))
			continue
		}
		var list []string
		for _, ch := range chans {
			ch = strings.ToLower(strings.TrimSpace(ch))
			switch ch {
			case ChannelLog, ChannelEmail, ChannelWebhook:
			default:
				problems = append(problems, fmt.Errorf("notify.parties.%s: channel %q: want log, email or webhook", party, ch))
				continue
			}
			if !slices.Contains(list, ch) {
				list = append(list, ch)
			}
			used[ch] = true
		}
		d.parties[party] = list
	}
	if used[ChannelEmail] {
		es, errs := newEmailSender(cfg.Email)
		problems = append(problems, errs...)
		d.email = es
	}
	if used[ChannelWebhook] {
		ws, errs := newWebhookSender(cfg.Webhook)
		problems = append(problems, errs...)
		d.webhook = ws
	}
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}
	for _, o := range opts {
		o(d)
	}
	if d.webhook != nil && d.webhook.client == nil {
		d.webhook.client = &http.Client{}
	}
	if d.webhook != nil {
		d.webhook.client = d.webhook.noRedirects(d.webhook.client)
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
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeUndeliverable, err)
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
		return temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeUndeliverable, err)
	}

	var retryable, perm []string
	for _, ch := range chans {
		status, err := d.ledger.NotificationStatus(ctx, n.DedupeKey, ch)
		if err != nil {
			retryable = append(retryable, fmt.Sprintf("%s: ledger: %v", ch, err))
			continue
		}
		if status == store.StatusSent || status == store.StatusSkipped {
			continue
		}
		rec := store.NotificationRecord{DedupeKey: n.DedupeKey, Channel: ch, RequestID: n.RequestID,
			Party: n.Party, Kind: n.Kind, Template: msg.Template, Locale: msg.Locale}
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
		if err := d.ledger.RecordNotification(ctx, rec); err != nil {
			// The send may have happened; the retry sends again with the same
			// dedupe key (Message-ID, Idempotency-Key) for the receiver.
			retryable = append(retryable, fmt.Sprintf("%s: record: %v", ch, err))
		}
		if sendErr != nil {
			if isPermanent(sendErr) {
				perm = append(perm, ch+": "+sendErr.Error())
			} else {
				retryable = append(retryable, ch+": "+sendErr.Error())
			}
		}
	}
	switch {
	case len(retryable) > 0:
		return fmt.Errorf("notification %s: %s", n.DedupeKey, strings.Join(append(retryable, perm...), "; "))
	case len(perm) > 0:
		msg := fmt.Sprintf("notification %s: %s", n.DedupeKey, strings.Join(perm, "; "))
		return temporal.NewNonRetryableApplicationError(msg, ErrTypeUndeliverable, nil)
	}
	return nil
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
