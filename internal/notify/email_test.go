package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"mime"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/store"
)

const (
	smtpUser     = "svcflow-mailer"
	smtpPassword = "smtp-Pa55word-never-logged"
)

func emailConfig(s *smtpServer, mode string) config.Notify {
	return config.Notify{
		Parties:       map[string][]string{activities.PartyCustomer: {"email"}, activities.PartyManager: {"email", "log"}},
		DefaultLocale: "en",
		Email: config.Email{Host: s.host, Port: s.port, Username: smtpUser, Password: smtpPassword,
			From: "Svcflow 服务台 <service@svcflow.example>", TLS: mode},
	}
}

func breachNotification(id, to, locale string) activities.Notification {
	return activities.Notification{
		DedupeKey: "sr-" + id + "/breach/response/1", RequestID: id, Party: activities.PartyCustomer,
		Kind: activities.KindBreach, Locale: locale, To: to,
		Data: map[string]string{"title": "光纤中断", "deadline": "response", "due_at": "2026-11-02 09:05", "stage": "received", "customer": "张三"},
	}
}

// parse reads a received message and decodes its subject and body.
func parse(t *testing.T, raw []byte) (*mail.Message, string, string) {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("received message does not parse: %v\n%s", err, raw)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("subject: %v", err)
	}
	if m.Header.Get("Content-Transfer-Encoding") != "quoted-printable" {
		t.Fatalf("transfer encoding %q", m.Header.Get("Content-Transfer-Encoding"))
	}
	body, err := io.ReadAll(qpReader(m.Body))
	if err != nil {
		t.Fatalf("body: %v", err)
	}
	return m, subject, string(body)
}

func TestEmailOverSTARTTLSWithAuthArrivesOnce(t *testing.T) {
	cert, pool := selfSigned(t)
	srv := startSMTP(t, &cert, false, smtpUser, smtpPassword)
	ledger := newLedger(t)
	logger, logs := newLogger()
	d, err := New(settingsOf(emailConfig(srv, "starttls")), ledger, logger, WithSMTPTLSConfig(&tls.Config{RootCAs: pool}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	n := breachNotification(t.Name(), "Zhang San <zhang@customer.example>", "zh-CN")
	if err := d.Send(ctx, n); err != nil {
		t.Fatalf("send: %v", err)
	}
	msgs := srv.messages()
	if len(msgs) != 1 {
		t.Fatalf("server received %d messages, want 1", len(msgs))
	}
	got := msgs[0]
	if !got.TLS || got.User != smtpUser || got.From != "service@svcflow.example" || got.To != "zhang@customer.example" {
		t.Fatalf("envelope: tls=%v user=%q from=%q to=%q", got.TLS, got.User, got.From, got.To)
	}
	m, subject, body := parse(t, got.Data)
	if want := "【SLA 超时】response 已超时：光纤中断（" + t.Name() + "）"; subject != want {
		t.Errorf("subject = %q, want %q", subject, want)
	}
	if !strings.Contains(body, "请求 "+t.Name()+"「光纤中断」的 response 时限已于 2026-11-02 09:05 超时") {
		t.Errorf("body (zh-CN) = %q", body)
	}
	if m.Header.Get("Content-Language") != "zh-CN" || !strings.Contains(m.Header.Get("Content-Type"), "charset=UTF-8") {
		t.Errorf("headers: %v", m.Header)
	}
	if want := MessageID(n.DedupeKey, "svcflow.example"); m.Header.Get("Message-ID") != want {
		t.Errorf("Message-ID = %q, want %q", m.Header.Get("Message-ID"), want)
	}
	if m.Header.Get("X-Svcflow-Dedupe-Key") != n.DedupeKey {
		t.Errorf("X-Svcflow-Dedupe-Key = %q", m.Header.Get("X-Svcflow-Dedupe-Key"))
	}
	if d, err := m.Header.Date(); err != nil || time.Since(d) > time.Minute {
		t.Errorf("Date %q: %v", m.Header.Get("Date"), err)
	}
	from, err := m.Header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "Svcflow 服务台" || from[0].Address != "service@svcflow.example" {
		t.Errorf("From = %v, %v", from, err)
	}
	to, err := m.Header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != "zhang@customer.example" {
		t.Errorf("To = %v, %v", to, err)
	}

	// A retried activity sends nothing more.
	if err := d.Send(ctx, n); err != nil {
		t.Fatalf("second send: %v", err)
	}
	if len(srv.messages()) != 1 {
		t.Fatalf("second Send sent again: %d messages", len(srv.messages()))
	}
	recs, err := ledger.Notifications(ctx, t.Name())
	if err != nil || len(recs) != 1 {
		t.Fatalf("ledger = %+v, %v", recs, err)
	}
	if r := recs[0]; r.Status != store.StatusSent || r.Attempts != 1 || r.Channel != "email" ||
		r.Template != "breach.zh-CN" || r.Recipient != n.To || r.SentAt == nil {
		t.Errorf("ledger record = %+v", r)
	}
	if strings.Contains(logs.String(), smtpPassword) {
		t.Fatalf("SMTP password in logs:\n%s", logs)
	}
}

func TestEmailOverImplicitTLSInAgentsDefaultLocale(t *testing.T) {
	cert, pool := selfSigned(t)
	srv := startSMTP(t, &cert, true, smtpUser, smtpPassword)
	ledger := newLedger(t)
	d, err := New(settingsOf(emailConfig(srv, "tls")), ledger, nil, WithSMTPTLSConfig(&tls.Config{RootCAs: pool}))
	if err != nil {
		t.Fatal(err)
	}
	n := breachNotification(t.Name(), "head@example.com", "")
	n.Party, n.Kind = activities.PartyManager, activities.KindEscalation
	n.Data["level"] = "2"
	if err := d.Send(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	msgs := srv.messages()
	if len(msgs) != 1 || !msgs[0].TLS {
		t.Fatalf("messages = %d (tls %v)", len(msgs), len(msgs) == 1 && msgs[0].TLS)
	}
	m, subject, body := parse(t, msgs[0].Data)
	if subject != "[Escalation level 2] 光纤中断 ("+t.Name()+")" || m.Header.Get("Content-Language") != "en" {
		t.Errorf("subject %q, language %q", subject, m.Header.Get("Content-Language"))
	}
	if !strings.Contains(body, "is escalated to level 2") {
		t.Errorf("body = %q", body)
	}
}

func TestEmailWithoutAddressIsSkipped(t *testing.T) {
	cert, pool := selfSigned(t)
	srv := startSMTP(t, &cert, false, smtpUser, smtpPassword)
	ledger := newLedger(t)
	d, err := New(settingsOf(emailConfig(srv, "starttls")), ledger, nil, WithSMTPTLSConfig(&tls.Config{RootCAs: pool}))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Send(context.Background(), breachNotification(t.Name(), "", "zh-CN")); err != nil {
		t.Fatalf("send without address: %v", err)
	}
	recs, _ := ledger.Notifications(context.Background(), t.Name())
	if len(srv.messages()) != 0 || len(recs) != 1 || recs[0].Status != store.StatusSkipped {
		t.Fatalf("messages %d, records %+v", len(srv.messages()), recs)
	}
}

func TestEmailRefusalsRetryableOrNot(t *testing.T) {
	cert, pool := selfSigned(t)
	srv := startSMTP(t, &cert, false, smtpUser, smtpPassword)
	ledger := newLedger(t)
	d, err := New(settingsOf(emailConfig(srv, "starttls")), ledger, nil, WithSMTPTLSConfig(&tls.Config{RootCAs: pool}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	srv.rcptCode = 451
	n := breachNotification(t.Name(), "a@customer.example", "en")
	if err := d.Send(ctx, n); !retryable(err) {
		t.Fatalf("451: %v, want retryable", err)
	}
	srv.rcptCode = 550
	n.DedupeKey = t.Name() + "/2"
	if err := d.Send(ctx, n); !nonRetryable(err) {
		t.Fatalf("550: %v, want non-retryable", err)
	}
	// Wrong password: permanent, and the password never shows.
	bad := emailConfig(srv, "starttls")
	bad.Email.Password = "wrong-Secret-pw"
	d2, err := New(settingsOf(bad), ledger, nil, WithSMTPTLSConfig(&tls.Config{RootCAs: pool}))
	if err != nil {
		t.Fatal(err)
	}
	srv.rcptCode = 0
	n.DedupeKey = t.Name() + "/3"
	err = d2.Send(ctx, n)
	if !nonRetryable(err) || strings.Contains(err.Error(), "wrong-Secret-pw") {
		t.Fatalf("bad credentials: %v, want non-retryable without the password", err)
	}
	// An untrusted certificate is permanent too.
	d3, err := New(settingsOf(emailConfig(srv, "starttls")), ledger, nil)
	if err != nil {
		t.Fatal(err)
	}
	n.DedupeKey = t.Name() + "/4"
	if err := d3.Send(ctx, n); !nonRetryable(err) {
		t.Fatalf("untrusted certificate: %v, want non-retryable", err)
	}
	if len(srv.messages()) != 0 {
		t.Fatalf("refused sends delivered %d messages", len(srv.messages()))
	}
	recs, _ := ledger.Notifications(ctx, t.Name())
	for _, r := range recs {
		if r.Status != store.StatusFailed || r.LastError == "" || strings.Contains(r.LastError, "wrong-Secret-pw") {
			t.Errorf("record %+v", r)
		}
	}
}

func TestEmailPlainWithoutAuthToSeveralRecipients(t *testing.T) {
	srv := startSMTP(t, nil, false, "", "")
	cfg := emailConfig(srv, "none")
	cfg.Email.Username, cfg.Email.Password = "", ""
	d, err := New(settingsOf(cfg), newLedger(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Send(context.Background(), breachNotification(t.Name(), "a@x.example, B <b@y.example>", "en")); err != nil {
		t.Fatal(err)
	}
	msgs := srv.messages()
	if len(msgs) != 1 || msgs[0].TLS || msgs[0].To != "a@x.example,b@y.example" {
		t.Fatalf("messages %+v", msgs)
	}
	m, subject, _ := parse(t, msgs[0].Data)
	if to, err := m.Header.AddressList("To"); err != nil || len(to) != 2 || !strings.HasPrefix(subject, "[SLA breached]") {
		t.Fatalf("To %v (%v), subject %q", to, err, subject)
	}
}

func TestSTARTTLSRequiredButNotOffered(t *testing.T) {
	srv := startSMTP(t, nil, false, "", "") // no certificate: no STARTTLS
	d, err := New(settingsOf(emailConfig(srv, "starttls")), newLedger(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	err = d.Send(context.Background(), breachNotification(t.Name(), "a@x.example", "en"))
	if !nonRetryable(err) || !strings.Contains(err.Error(), "STARTTLS") || len(srv.messages()) != 0 {
		t.Fatalf("%v, want non-retryable naming STARTTLS and nothing sent", err)
	}
}
