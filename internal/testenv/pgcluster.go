package testenv

// This file runs a private PostgreSQL cluster, for tests that stop or
// restart PostgreSQL without touching the machine's shared server.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/svcflow/svcflow/internal/proc"
)

// PGBinDir holds initdb and pg_ctl of PostgreSQL 15 (Debian's layout).
var PGBinDir = "/usr/lib/postgresql/15/bin"

// PGCluster is a private PostgreSQL cluster in a directory of its own, on a
// free port, run as user postgres when the caller is root.
type PGCluster struct {
	Dir      string
	Port     int
	AdminDSN string // postgres://postgres@127.0.0.1:<port>/postgres?sslmode=disable
}

// NewPGCluster starts a private cluster for t, removed when t ends.
func NewPGCluster(t testing.TB) *PGCluster {
	t.Helper()
	Integration(t, "PostgreSQL's initdb and pg_ctl")
	c, err := StartPGCluster("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Remove(); err != nil {
			t.Error(err)
		}
	})
	return c
}

// StartPGCluster runs initdb into a fresh directory under parent ("" the
// system's temporary directory) and starts the cluster.
func StartPGCluster(parent string) (*PGCluster, error) {
	dir, err := os.MkdirTemp(parent, "svcflow-pgcluster-")
	if err != nil {
		return nil, fmt.Errorf("private PostgreSQL: %w", err)
	}
	c := &PGCluster{Dir: dir}
	if err := c.init(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	if err := c.Start(); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return c, nil
}

func (c *PGCluster) init() error {
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return fmt.Errorf("private PostgreSQL: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(c.Dir, uid, gid); err != nil {
			return fmt.Errorf("private PostgreSQL: %w", err)
		}
		// The parents must be traversable by postgres.
		for p := filepath.Dir(c.Dir); p != "/" && p != "."; p = filepath.Dir(p) {
			if fi, err := os.Stat(p); err == nil && fi.Mode().Perm()&0o001 == 0 {
				_ = os.Chmod(p, fi.Mode().Perm()|0o011)
			}
		}
	}
	port, err := proc.FreePort()
	if err != nil {
		return fmt.Errorf("private PostgreSQL: %w", err)
	}
	c.Port = port
	c.AdminDSN = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	if out, err := runPG("initdb", "-D", c.data(), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"); err != nil {
		return fmt.Errorf("private PostgreSQL: initdb: %v: %s", err, lastLine(out))
	}
	return nil
}

func (c *PGCluster) data() string { return filepath.Join(c.Dir, "data") }

// runPG runs a PostgreSQL program as user postgres when we are root.
func runPG(name string, args ...string) (string, error) {
	bin := filepath.Join(PGBinDir, name)
	cmd := exec.Command(bin, args...)
	if os.Geteuid() == 0 {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", bin}, args...)...)
	}
	var b bytes.Buffer
	cmd.Stdout, cmd.Stderr = &b, &b
	err := cmd.Run()
	return b.String(), err
}

// Start starts the cluster and waits until it accepts connections.
func (c *PGCluster) Start() error {
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100", c.Port, c.Dir)
	if out, err := runPG("pg_ctl", "-D", c.data(), "-l", filepath.Join(c.Dir, "pg.log"), "-o", opts, "-w", "-t", "60", "start"); err != nil {
		return fmt.Errorf("private PostgreSQL on %d: pg_ctl start: %v: %s", c.Port, err, lastLine(out))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return Poll(ctx, "private PostgreSQL on "+strconv.Itoa(c.Port)+" accepting connections", func(ctx context.Context) (bool, string, error) {
		conn, err := pgx.Connect(ctx, c.AdminDSN)
		if err != nil {
			return false, err.Error(), nil
		}
		return true, "", conn.Close(ctx)
	})
}

// Stop stops the cluster (fast mode: connections are cut).
func (c *PGCluster) Stop() error {
	if out, err := runPG("pg_ctl", "-D", c.data(), "-m", "fast", "-w", "stop"); err != nil {
		return fmt.Errorf("private PostgreSQL on %d: pg_ctl stop: %v: %s", c.Port, err, lastLine(out))
	}
	return nil
}

// Running reports whether the cluster's postmaster runs.
func (c *PGCluster) Running() bool {
	_, err := runPG("pg_ctl", "-D", c.data(), "status")
	return err == nil
}

// Remove stops the cluster if it runs and deletes its directory.
func (c *PGCluster) Remove() error {
	var err error
	if c.Running() {
		err = c.Stop()
	}
	if rerr := os.RemoveAll(c.Dir); rerr != nil && err == nil {
		err = fmt.Errorf("private PostgreSQL: remove %s: %w", c.Dir, rerr)
	}
	return err
}
