package notify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/svcflow/svcflow/activities"
	"github.com/svcflow/svcflow/config"
)

// smtpTimeout bounds one SMTP conversation when ctx has no deadline.
const smtpTimeout = 30 * time.Second

type emailSender struct {
	host      string
	port      int
	username  string
	password  string // secret: only ever given to smtp.PlainAuth
	from      *mail.Address
	mode      string // starttls | tls | none
	tlsConfig *tls.Config
}

// newEmailSender builds the SMTP channel from its checked settings.
func newEmailSender(c config.Email) *emailSender {
	es := &emailSender{host: strings.TrimSpace(c.Host), port: c.Port, username: c.Username, password: c.Password, mode: c.TLS}
	if es.port == 0 {
		es.port = map[string]int{"tls": 465, "none": 25}[es.mode]
		if es.port == 0 {
			es.port = 587
		}
	}
	if a, err := mail.ParseAddress(c.From); err == nil {
		es.from = a
	}
	return es
}

// MessageID is the Message-ID of the e-mail for dedupeKey: the same key
// always gives the same ID, so a receiver can drop a resend.
func MessageID(dedupeKey, domain string) string {
	sum := sha256.Sum256([]byte(dedupeKey))
	if domain == "" {
		domain = "svcflow.invalid"
	}
	return "<svcflow." + hex.EncodeToString(sum[:16]) + "@" + domain + ">"
}

func (e *emailSender) domain() string {
	if i := strings.LastIndexByte(e.from.Address, '@'); i >= 0 {
		return e.from.Address[i+1:]
	}
	return ""
}

// buildMessage renders the RFC 5322 message: UTF-8 subject in encoded
// words, quoted-printable UTF-8 text body.
func (e *emailSender) buildMessage(to []*mail.Address, n activities.Notification, msg Message, date time.Time) ([]byte, error) {
	var b bytes.Buffer
	h := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	h("From", e.from.String())
	tos := make([]string, len(to))
	for i, a := range to {
		tos[i] = a.String()
	}
	h("To", strings.Join(tos, ", "))
	h("Subject", mime.QEncoding.Encode("utf-8", msg.Subject))
	h("Date", date.Format(time.RFC1123Z))
	h("Message-ID", MessageID(n.DedupeKey, e.domain()))
	if safeHeaderValue(n.DedupeKey) {
		h("X-Svcflow-Dedupe-Key", n.DedupeKey)
	}
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=UTF-8")
	h("Content-Transfer-Encoding", "quoted-printable")
	h("Content-Language", msg.Locale)
	h("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(msg.Body)); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func safeHeaderValue(s string) bool {
	for _, r := range s {
		if r < 0x21 || r > 0x7e {
			return false
		}
	}
	return s != "" && len(s) <= 200
}

// send delivers one e-mail over SMTP. No address → errSkip; permanent SMTP
// answers (5xx), certificate and authentication problems → permanent.
func (e *emailSender) send(ctx context.Context, n activities.Notification, msg Message) error {
	if strings.TrimSpace(n.To) == "" {
		return errSkip{reason: "no e-mail address for party " + n.Party}
	}
	to, err := mail.ParseAddressList(n.To)
	if err != nil {
		return permanent{fmt.Errorf("e-mail address %q: %v", n.To, err)}
	}
	body, err := e.buildMessage(to, n, msg, time.Now())
	if err != nil {
		return permanent{fmt.Errorf("build e-mail: %w", err)}
	}
	rcpts := make([]string, len(to))
	for i, a := range to {
		rcpts[i] = a.Address
	}
	if err := e.deliver(ctx, rcpts, body); err != nil {
		return classifySMTP(err)
	}
	return nil
}

func (e *emailSender) tlsFor() *tls.Config {
	c := &tls.Config{MinVersion: tls.VersionTLS12}
	if e.tlsConfig != nil {
		c = e.tlsConfig.Clone()
	}
	if c.ServerName == "" {
		c.ServerName = e.host
	}
	return c
}

func (e *emailSender) deliver(ctx context.Context, rcpts []string, body []byte) error {
	addr := net.JoinHostPort(e.host, strconv.Itoa(e.port))
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	var conn net.Conn
	var err error
	if e.mode == "tls" {
		conn, err = (&tls.Dialer{NetDialer: dialer, Config: e.tlsFor()}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = dialer.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return fmt.Errorf("smtp %s: %w", addr, err)
	}
	defer conn.Close()
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(smtpTimeout)
	}
	_ = conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	c, err := smtp.NewClient(conn, e.host)
	if err != nil {
		return fmt.Errorf("smtp %s: greeting: %w", addr, err)
	}
	defer c.Close()
	if host, herr := os.Hostname(); herr == nil && host != "" {
		if err := c.Hello(host); err != nil {
			return fmt.Errorf("smtp %s: HELO: %w", addr, err)
		}
	}
	if e.mode == "starttls" {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return permanent{fmt.Errorf("smtp %s: server does not offer STARTTLS (notify.email.tls is starttls)", addr)}
		}
		if err := c.StartTLS(e.tlsFor()); err != nil {
			return fmt.Errorf("smtp %s: STARTTLS: %w", addr, err)
		}
	}
	if e.username != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return permanent{fmt.Errorf("smtp %s: server does not offer AUTH but notify.email.username is set", addr)}
		}
		if err := c.Auth(smtp.PlainAuth("", e.username, e.password, e.host)); err != nil {
			return fmt.Errorf("smtp %s: AUTH as %s: %w", addr, e.username, authErr(err))
		}
	}
	if err := c.Mail(e.from.Address); err != nil {
		return fmt.Errorf("smtp %s: MAIL FROM: %w", addr, err)
	}
	for _, rcpt := range rcpts {
		if err := c.Rcpt(rcpt); err != nil {
			return fmt.Errorf("smtp %s: RCPT TO %s: %w", addr, rcpt, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp %s: DATA: %w", addr, err)
	}
	if _, err := w.Write(body); err != nil {
		return fmt.Errorf("smtp %s: DATA: %w", addr, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp %s: end of DATA: %w", addr, err)
	}
	_ = c.Quit() // the message is accepted; a failed QUIT changes nothing
	return nil
}

// authErr makes net/smtp's refusal to send a password in clear permanent.
func authErr(err error) error {
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return err
	}
	if strings.Contains(err.Error(), "unencrypted connection") {
		return permanent{errors.New("refusing to send the password over an unencrypted connection (set notify.email.tls to starttls or tls)")}
	}
	return err
}

// classifySMTP marks 5xx answers and certificate errors permanent.
func classifySMTP(err error) error {
	if isPermanent(err) {
		return err
	}
	var tp *textproto.Error
	if errors.As(err, &tp) && tp.Code >= 500 {
		return permanent{err}
	}
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	if errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &hn) {
		return permanent{err}
	}
	return err
}
