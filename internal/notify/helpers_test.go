package notify

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"mime/quotedprintable"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/svcflow/svcflow/config"
	"github.com/svcflow/svcflow/internal/store"
	"github.com/svcflow/svcflow/internal/testenv"
)

// dsn is this package's database (one per test package).
var dsn string

func TestMain(m *testing.M) { testenv.Main(m, &dsn) }

var (
	ledgerOnce sync.Once
	ledger     *store.Store
	ledgerErr  error
)

// newLedger is the package's migrated store; tests keep apart by request
// IDs and dedupe keys named after the test.
func newLedger(t *testing.T) *store.Store {
	t.Helper()
	testenv.Integration(t, "PostgreSQL")
	ledgerOnce.Do(func() {
		ctx := context.Background()
		ledger, ledgerErr = store.Open(ctx, config.Postgres{DSN: dsn, MaxConns: 4})
		if ledgerErr == nil {
			ledgerErr = ledger.Migrate(ctx)
		}
	})
	if ledgerErr != nil {
		t.Fatal(ledgerErr)
	}
	return ledger
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newLogger() (*slog.Logger, *syncBuffer) {
	buf := &syncBuffer{}
	return slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), buf
}

// nonRetryable: the send failed for good (the activities turn this into a
// non-retryable Temporal error).
func nonRetryable(err error) bool {
	var u *UndeliverableError
	return errors.As(err, &u)
}

func retryable(err error) bool {
	return err != nil && !nonRetryable(err)
}

// selfSigned is a certificate for 127.0.0.1 and the pool that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "svcflow test SMTP"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

func qpReader(r io.Reader) io.Reader { return quotedprintable.NewReader(r) }

// settingsOf turns a notify section written by a test into the settings
// notify.New takes, without the checks of config.Parse (tests give partial
// sections; config's own tests check the rules).
func settingsOf(n config.Notify) config.NotifySettings {
	s := config.NotifySettings{Parties: n.Parties, DefaultLocale: n.DefaultLocale, Email: n.Email, Webhook: n.Webhook, Robots: map[string]config.Robot{}}
	for _, name := range config.RobotChannels {
		s.Robots[name] = *n.Robot(name)
	}
	if d, err := time.ParseDuration(n.Webhook.Timeout); err == nil {
		s.HTTPTimeout = d
	}
	if s.Email.TLS == "" {
		s.Email.TLS = "starttls"
	}
	return s
}
