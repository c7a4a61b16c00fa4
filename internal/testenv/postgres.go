package testenv

// This file makes fresh PostgreSQL databases on the machine's server (or any
// admin DSN, e.g. a private cluster's).

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
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
	Integration(t, "PostgreSQL")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	dsn, drop, err := CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Error(err)
		}
	})
	return dsn
}

// CreateDatabase creates a fresh randomly named database at AdminDSN and
// returns its DSN and the function that drops it (WITH (FORCE)).
func CreateDatabase(ctx context.Context) (dsn string, drop func() error, err error) {
	return CreateDatabaseOn(ctx, AdminDSN())
}

// CreateDatabaseOn is CreateDatabase on the server of another admin DSN.
func CreateDatabaseOn(ctx context.Context, admin string) (dsn string, drop func() error, err error) {
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", nil, fmt.Errorf("testenv: PostgreSQL unreachable (%s); start it with: %s (or point %s elsewhere)", redactErr(err, admin), StartCommand, AdminDSNEnv)
	}
	defer conn.Close(context.Background())

	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, fmt.Errorf("testenv: random name: %w", err)
	}
	name := "svcflow_test_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", nil, fmt.Errorf("testenv: create database %s: %w", name, err)
	}
	drop = func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, admin)
		if err != nil {
			return fmt.Errorf("testenv: drop database %s: connect: %s", name, redactErr(err, admin))
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("testenv: drop database %s: %w", name, err)
		}
		return nil
	}

	u, err := url.Parse(admin)
	if err != nil || u.Scheme == "" {
		// keyword/value DSN: append the database name (the last one wins).
		return admin + " dbname=" + name, drop, nil
	}
	u.Path = "/" + name
	return u.String(), drop, nil
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
