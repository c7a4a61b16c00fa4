package tclient

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	"github.com/svcflow/svcflow/config"
)

// tlsConfig builds the TLS settings from files. All fields empty gives a
// plain connection unless an API key is used (API keys travel only over
// TLS; system roots then verify the server).
func tlsConfig(t config.TLS, apiKey bool) (*tls.Config, error) {
	if t.CAFile == "" && t.CertFile == "" && t.KeyFile == "" && t.ServerName == "" && !apiKey {
		return nil, nil
	}
	c := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: t.ServerName}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("temporal.tls.ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("temporal.tls.ca_file: %s holds no PEM certificate", t.CAFile)
		}
		c.RootCAs = pool
	}
	switch {
	case t.CertFile != "" && t.KeyFile != "":
		cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("temporal.tls.cert_file/key_file: %w", err)
		}
		c.Certificates = []tls.Certificate{cert}
	case t.CertFile != "":
		return nil, errors.New("temporal.tls.key_file: required when temporal.tls.cert_file is set")
	case t.KeyFile != "":
		return nil, errors.New("temporal.tls.cert_file: required when temporal.tls.key_file is set")
	}
	return c, nil
}
