package notify

import (
	"context"
	"crypto/tls"
	"strings"
	"testing"
	"time"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/store"
)

func TestNewNeedsALedger(t *testing.T) {
	if _, err := New(config.NotifySettings{}, nil, nil); err == nil {
		t.Fatal("nil ledger accepted")
	}
}

func TestLogChannelOnceAndBadNotificationsNonRetryable(t *testing.T) {
	logger, logs := newLogger()
	ledger := newLedger(t)
	d, err := New(settingsOf(config.Notify{Parties: map[string][]string{"assignee": {"log"}}, DefaultLocale: "en"}), ledger, logger)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	n := activities.Notification{DedupeKey: t.Name() + "/assignment", RequestID: t.Name(), Party: "assignee",
		Kind: activities.KindAssignment, Data: map[string]string{"title": "Printer", "assignee": "li"}}
	for range 2 {
		if err := d.Send(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	out := logs.String()
	if c := strings.Count(out, `"msg":"notification"`); c != 1 {
		t.Fatalf("log channel wrote %d lines, want 1:\n%s", c, out)
	}
	for _, want := range []string{`"kind":"assignment"`, `"party":"assignee"`, `"dedupe_key":"` + n.DedupeKey + `"`, `"locale":"en"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log line lacks %s:\n%s", want, out)
		}
	}
	recs, _ := ledger.Notifications(ctx, t.Name())
	if len(recs) != 1 || recs[0].Channel != "log" || recs[0].Status != store.StatusSent {
		t.Fatalf("records %+v", recs)
	}
	// A party with no channels configured: nothing to do.
	n2 := n
	n2.Party, n2.DedupeKey = "manager", t.Name()+"/m"
	if err := d.Send(ctx, n2); err != nil {
		t.Fatalf("party without channels: %v", err)
	}
	for _, bad := range []activities.Notification{
		{RequestID: "x", Party: "assignee", Kind: activities.KindAssignment},
		{DedupeKey: "k1", Party: "boss", Kind: activities.KindAssignment},
		{DedupeKey: "k2", Party: "assignee", Kind: "telegram"},
	} {
		if err := d.Send(ctx, bad); !nonRetryable(err) {
			t.Errorf("bad notification %+v: %v, want non-retryable", bad, err)
		}
	}
}

// TestSecretsNeverLogged sends and fails on every channel with secrets
// configured, and checks the logs, the errors and the ledger.
func TestSecretsNeverLogged(t *testing.T) {
	cert, pool := selfSigned(t)
	srv := startSMTP(t, &cert, false, smtpUser, smtpPassword)
	h := startHook(t, 503, 200)
	ledger := newLedger(t)
	logger, logs := newLogger()
	cfg := config.Notify{
		Parties: map[string][]string{"manager": {"log", "email", "webhook"}},
		Email: config.Email{Host: srv.host, Port: srv.port, Username: smtpUser, Password: smtpPassword,
			From: "svc@svcflow.example", TLS: "starttls"},
		Webhook: config.Webhook{URL: h.URL + "/x?token=" + hookURLToken, Secret: hookSecret, Timeout: "2s"},
	}
	d, err := New(settingsOf(cfg), ledger, logger, WithSMTPTLSConfig(&tls.Config{RootCAs: pool}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	n := activities.Notification{DedupeKey: t.Name() + "/esc/1", RequestID: t.Name(), Party: "manager",
		Kind: activities.KindEscalation, To: "head@example.com", Data: map[string]string{"level": "1"}}
	var errs []string
	srv.rcptCode = 451
	for i := range 3 {
		if i == 2 {
			srv.rcptCode = 0
		}
		if err := d.Send(ctx, n); err != nil {
			errs = append(errs, err.Error())
		} else if i < 2 {
			t.Fatalf("send %d succeeded while the mail server refuses", i+1)
		}
	}
	if len(errs) != 2 {
		t.Fatalf("errors %v, want 2 then success", errs)
	}
	if len(srv.messages()) != 1 {
		t.Fatalf("mails %d, want 1", len(srv.messages()))
	}
	if _, accepted := h.counts(); accepted != 1 {
		t.Fatalf("webhooks accepted %d, want 1", accepted)
	}
	recs, _ := ledger.Notifications(ctx, t.Name())
	var ledgerText []string
	for _, r := range recs {
		ledgerText = append(ledgerText, r.Recipient, r.LastError)
		if r.Status != store.StatusSent {
			t.Errorf("record %+v not sent", r)
		}
	}
	everything := logs.String() + strings.Join(errs, "\n") + strings.Join(ledgerText, "\n")
	for _, secret := range []string{smtpPassword, hookSecret, hookURLToken} {
		if strings.Contains(everything, secret) {
			t.Errorf("secret %q shows in logs, errors or ledger:\n%s", secret, everything)
		}
	}
	if !strings.Contains(logs.String(), "notification failed") {
		t.Errorf("failures not logged:\n%s", logs)
	}
}

func TestVerify(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"a":1}`)
	sig := Sign("s", now.Unix(), body)
	if !strings.HasPrefix(sig, "sha256=") || len(sig) != 7+64 {
		t.Fatalf("signature %q", sig)
	}
	if err := Verify("s", "1800000000", sig, body, now, time.Minute); err != nil {
		t.Fatal(err)
	}
	if Verify("s", "1800000000", sig, []byte(`{"a":2}`), now, time.Minute) == nil ||
		Verify("t", "1800000000", sig, body, now, time.Minute) == nil ||
		Verify("s", "1800000000", sig, body, now.Add(time.Hour), time.Minute) == nil ||
		Verify("s", "x", sig, body, now, time.Minute) == nil {
		t.Fatal("Verify accepted a tampered message")
	}
}
