package proctest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// PGBinDir holds initdb and pg_ctl of PostgreSQL 15.
var PGBinDir = "/usr/lib/postgresql/15/bin"

// Cluster is a private PostgreSQL cluster in a temporary directory, run as
// user postgres when the caller is root. It never touches the shared one.
type Cluster struct {
	Dir  string
	Port int
	DSN  string // postgres://postgres@127.0.0.1:<port>/postgres
}

// asPostgres wraps a command so it runs as user postgres when we are root.
func asPostgres(name string, args ...string) *exec.Cmd {
	if os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...)
	}
	return exec.Command(name, args...)
}

// NewCluster runs initdb into a fresh directory under parent (made
// readable by user postgres) on a free port.
func NewCluster(parent string) (*Cluster, error) {
	dir, err := os.MkdirTemp(parent, "pgcluster-")
	if err != nil {
		return nil, err
	}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, err
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, err
		}
		// The parents must be traversable by postgres.
		for p := filepath.Dir(dir); p != "/" && p != "."; p = filepath.Dir(p) {
			if fi, err := os.Stat(p); err == nil && fi.Mode().Perm()&0o001 == 0 {
				_ = os.Chmod(p, fi.Mode().Perm()|0o011)
			}
		}
	}
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: dir, Port: port, DSN: fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)}
	data := filepath.Join(dir, "data")
	if out, err := run(asPostgres(filepath.Join(PGBinDir, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8")); err != nil {
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	return c, nil
}

func run(cmd *exec.Cmd) (string, error) {
	var b bytes.Buffer
	cmd.Stdout, cmd.Stderr = &b, &b
	err := cmd.Run()
	return b.String(), err
}

// Start starts the cluster and waits until it accepts connections.
func (c *Cluster) Start() error {
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100", c.Port, c.Dir)
	out, err := run(asPostgres(filepath.Join(PGBinDir, "pg_ctl"), "-D", filepath.Join(c.Dir, "data"), "-l", filepath.Join(c.Dir, "pg.log"), "-o", opts, "-w", "-t", "60", "start"))
	if err != nil {
		return fmt.Errorf("pg_ctl start: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		conn, err := pgx.Connect(ctx, c.DSN)
		if err == nil {
			conn.Close(ctx)
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("private PostgreSQL on %d not ready: %v", c.Port, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Stop stops the cluster (fast mode: connections are cut).
func (c *Cluster) Stop() error {
	out, err := run(asPostgres(filepath.Join(PGBinDir, "pg_ctl"), "-D", filepath.Join(c.Dir, "data"), "-m", "fast", "-w", "stop"))
	if err != nil {
		return fmt.Errorf("pg_ctl stop: %v\n%s", err, out)
	}
	return nil
}

// Remove stops the cluster if running and deletes its directory.
func (c *Cluster) Remove() {
	_ = c.Stop()
	_ = os.RemoveAll(c.Dir)
}

// CreateDB creates a database in the cluster and returns its DSN.
func (c *Cluster) CreateDB(ctx context.Context, name string) (string, error) {
	conn, err := pgx.Connect(ctx, c.DSN)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", err
	}
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", c.Port, name), nil
}
