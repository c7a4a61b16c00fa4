// Package testenv gives tests real dependencies: a fresh PostgreSQL database.
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// AdminDSNEnv overrides the administrative connection used to create and drop
// test databases.
const AdminDSNEnv = "SVCFLOW_TEST_PG_ADMIN_DSN"

// DefaultAdminDSN is the local PostgreSQL 15 of the development machine.
const DefaultAdminDSN = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// StartCommand is how to start the local PostgreSQL when it is down.
const StartCommand = "pg_ctlcluster --skip-systemctl-redirect 15 main start"

// AdminDSN is the administrative DSN in force (env override or default).
func AdminDSN() string {
	if v := os.Getenv(AdminDSNEnv); v != "" {
		return v
	}
	return DefaultAdminDSN
}

// NewDatabase creates a fresh randomly named database and returns its DSN;
// the database is dropped (WITH (FORCE)) when the test ends. PostgreSQL
// being down fails the test with the command that starts it.
func NewDatabase(t testing.TB) (dsn string) {
	t.Helper()
	admin := AdminDSN()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("testenv: PostgreSQL unreachable (%v); start it with: %s (or set %s)", redactErr(err, admin), StartCommand, AdminDSNEnv)
	}
	defer conn.Close(context.Background())

	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("testenv: random name: %v", err)
	}
	name := "svcflow_test_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("testenv: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Errorf("testenv: drop database %s: connect: %v", name, redactErr(err, admin))
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("testenv: drop database %s: %v", name, err)
		}
	})

	u, err := url.Parse(admin)
	if err != nil || u.Scheme == "" {
		// keyword/value DSN: append the database name (last one wins).
		return admin + " dbname=" + name
	}
	u.Path = "/" + name
	return u.String()
}

// redactErr keeps a password in the admin DSN out of test output.
func redactErr(err error, dsn string) string {
	msg := err.Error()
	if u, perr := url.Parse(dsn); perr == nil && u.User != nil {
		if p, ok := u.User.Password(); ok && p != "" {
			msg = strings.ReplaceAll(msg, p, "xxxxx")
		}
	}
	return msg
}
