package cluster

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/svcflow/svcflow/internal/proc"
)

// stopLimit is how long Stop lets a process shut down after SIGTERM
// before it is killed.
const stopLimit = 15 * time.Second

// Cluster is a running Temporal server: four service processes on
// PostgreSQL, optionally the UI server. Its methods are safe for
// concurrent use.
type Cluster struct {
	opts      Options // defaults applied, ports picked, databases named
	pg        pgTarget
	adminCfg  *pgx.ConnConfig
	dropOnEnd bool // fresh databases, not kept

	mu      sync.Mutex
	procs   map[Service]*serviceProc
	ui      *proc.Proc
	uiURL   string
	stopped bool
}

// serviceProc is one running service process.
type serviceProc struct {
	proc *proc.Proc
	// knownHosts are the membership host IDs on the service's membership
	// port before it started: the new process is the one not among them.
	knownHosts map[string]bool
}

// Start creates (or reuses) the databases and sets their schema up,
// writes the config into o.Dir, starts the four services as separate
// processes, waits until the frontend serves, registers the namespace and
// the CONTRACT §7 search attributes, and returns when a workflow can run. On
// failure everything it started is stopped and fresh databases are
// dropped; the error names the step (and ends with the failing process's
// log). Processes die with their parent (Linux: Pdeathsig).
func Start(ctx context.Context, o Options) (_ *Cluster, err error) {
	o, err = o.withDefaults()
	if err != nil {
		return nil, err
	}
	adminCfg, pg, err := parseAdminDSN(o.AdminDSN)
	if err != nil {
		return nil, err
	}
	for _, d := range []string{o.Dir, filepath.Join(o.Dir, "config"), filepath.Join(o.Dir, "logs")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("cluster: options: Dir: %w", err)
		}
	}
	c := &Cluster{pg: pg, adminCfg: adminCfg, procs: map[Service]*serviceProc{}}

	admin, err := connectAdmin(ctx, adminCfg, "")
	if err != nil {
		return nil, err
	}
	defer admin.Close(context.Background())
	reuse := o.Databases.Main != ""
	if !reuse {
		if o.Databases, err = freshDatabases(); err != nil {
			return nil, err
		}
	}
	if err := createDatabases(ctx, admin, o.Databases, reuse); err != nil {
		return nil, err
	}
	c.dropOnEnd = !reuse && !o.KeepDatabases
	c.opts = o
	defer func() {
		if err != nil {
			err = errors.Join(err, c.Stop())
		}
	}()
	if err := setupSchema(ctx, o.Binaries.SQLTool, pg, o.Databases, filepath.Join(o.Dir, "logs", "schema.log")); err != nil {
		return nil, err
	}
	if err := fillPorts(&c.opts.Ports); err != nil {
		return nil, err
	}
	if err := c.writeConfig(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.ReadyTimeout)
	defer cancel()
	// The first process writes the cluster metadata; processes starting
	// together on fresh databases race on it and all but one fail. So
	// history starts alone until the metadata is there, then the others.
	if err := c.launch(ctx, History); err != nil {
		return nil, err
	}
	if err := c.waitClusterMetadata(ctx); err != nil {
		return nil, err
	}
	for _, s := range []Service{Matching, Frontend, Worker} {
		if err := c.launch(ctx, s); err != nil {
			return nil, err
		}
	}
	for _, s := range Services() {
		if err := c.waitService(ctx, s); err != nil {
			return nil, err
		}
	}
	if err := c.register(ctx); err != nil {
		return nil, err
	}
	if err := c.probe(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// writeConfig writes the dynamic config file and the server's config
// (readable by the owner only: it holds the database password).
func (c *Cluster) writeConfig() error {
	dc, err := renderDynamicConfig(c.opts.DynamicConfig)
	if err != nil {
		return err
	}
	dcPath := filepath.Join(c.opts.Dir, "dynamicconfig.yaml")
	if err := os.WriteFile(dcPath, dc, 0o644); err != nil {
		return fmt.Errorf("cluster: write dynamic config: %w", err)
	}
	cfg, err := renderServerConfig(c.opts, c.pg, dcPath)
	if err != nil {
		return err
	}
	if err := os.WriteFile(c.ConfigFile(), cfg, 0o600); err != nil {
		return fmt.Errorf("cluster: write config: %w", err)
	}
	return nil
}

// launch starts the process of service s (not waiting for it).
func (c *Cluster) launch(ctx context.Context, s Service) error {
	sp := &serviceProc{}
	if s == Worker {
		conn, err := connectAdmin(ctx, c.adminCfg, c.opts.Databases.Main)
		if err != nil {
			return err
		}
		sp.knownHosts, err = membershipHosts(ctx, conn, c.opts.Ports.Worker.Membership)
		conn.Close(context.Background())
		if err != nil {
			return err
		}
	}
	args := []string{"--root", c.opts.Dir, "--config", "config", "--env", configEnv, "--allow-no-auth", "start", "--service", string(s)}
	p, err := proc.Start(string(s), c.opts.Binaries.Server, args, os.Environ(), c.LogPath(s))
	if err != nil {
		return fmt.Errorf("cluster: start %s: %w", s, err)
	}
	sp.proc = p
	c.mu.Lock()
	c.procs[s] = sp
	c.mu.Unlock()
	return nil
}

// HostPort is the frontend's gRPC address (host:port) clients dial.
func (c *Cluster) HostPort() string {
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(c.opts.Ports.Frontend.GRPC))
}

// Namespace is the namespace Start registered.
func (c *Cluster) Namespace() string { return c.opts.Namespace }

// Databases are the names of the cluster's databases.
func (c *Cluster) Databases() Databases { return c.opts.Databases }

// Ports are the ports of the four services.
func (c *Cluster) Ports() Ports { return c.opts.Ports }

// ConfigFile is the server's config file.
func (c *Cluster) ConfigFile() string {
	return filepath.Join(c.opts.Dir, "config", configEnv+".yaml")
}

// LogPath is the log file of service s (appended to across restarts).
func (c *Cluster) LogPath(s Service) string {
	return filepath.Join(c.opts.Dir, "logs", string(s)+".log")
}

// KillService kills service s with SIGKILL and waits until it has exited.
// Killing a service that already exited is not an error.
func (c *Cluster) KillService(s Service) error {
	if !s.valid() {
		return fmt.Errorf("cluster: kill: unknown service %q", s)
	}
	c.mu.Lock()
	sp := c.procs[s]
	c.mu.Unlock()
	if sp == nil {
		return fmt.Errorf("cluster: kill %s: not started", s)
	}
	sp.proc.Kill()
	return nil
}

// StartService starts service s again with the same config and ports
// after KillService (or a crash) and waits until it serves and the
// cluster runs workflows again.
func (c *Cluster) StartService(ctx context.Context, s Service) error {
	if !s.valid() {
		return fmt.Errorf("cluster: start: unknown service %q", s)
	}
	c.mu.Lock()
	sp, stopped := c.procs[s], c.stopped
	c.mu.Unlock()
	switch {
	case stopped:
		return fmt.Errorf("cluster: start %s: the cluster is stopped", s)
	case sp != nil && !sp.proc.Exited():
		return fmt.Errorf("cluster: start %s: already running (pid %d)", s, sp.proc.Pid())
	}
	if err := c.launch(ctx, s); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.ReadyTimeout)
	defer cancel()
	if err := c.waitService(ctx, s); err != nil {
		return err
	}
	return c.probe(ctx)
}

// WaitReady waits until every service serves and a workflow can run
// (bounded by ctx and Options.ReadyTimeout).
func (c *Cluster) WaitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, c.opts.ReadyTimeout)
	defer cancel()
	for _, s := range Services() {
		if err := c.waitService(ctx, s); err != nil {
			return err
		}
	}
	return c.probe(ctx)
}

// Exited reports a service process that has ended (killed or crashed)
// with the end of its log; nil while all four run.
func (c *Cluster) Exited() error {
	if err := c.exited(); err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	return nil
}

// Connections counts the PostgreSQL connections to the cluster's databases.
func (c *Cluster) Connections(ctx context.Context) (int, error) {
	admin, err := connectAdmin(ctx, c.adminCfg, "")
	if err != nil {
		return 0, err
	}
	defer admin.Close(context.Background())
	return connections(ctx, admin, c.opts.Databases)
}

// Stop stops the UI server and the services (SIGTERM, SIGKILL after 15s)
// and drops fresh databases unless Options.KeepDatabases. Calling it
// again does nothing.
func (c *Cluster) Stop() error {
	c.mu.Lock()
	if c.stopped {
		c.mu.Unlock()
		return nil
	}
	c.stopped = true
	procs := []*proc.Proc{}
	if c.ui != nil {
		procs = append(procs, c.ui)
	}
	for _, sp := range c.procs {
		procs = append(procs, sp.proc)
	}
	c.mu.Unlock()

	var wg sync.WaitGroup
	for _, p := range procs {
		wg.Go(func() { p.Stop(stopLimit) })
	}
	wg.Wait()
	if !c.dropOnEnd {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	admin, err := connectAdmin(ctx, c.adminCfg, "")
	if err != nil {
		return fmt.Errorf("cluster: stop: drop databases %s, %s: %w", c.opts.Databases.Main, c.opts.Databases.Visibility, err)
	}
	defer admin.Close(context.Background())
	return dropDatabases(ctx, admin, c.opts.Databases)
}

// Usage is the CPU time and resident memory of the service processes
// running now, summed (for benchmarks; Linux /proc).
func (c *Cluster) Usage() (cpu time.Duration, rss int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, sp := range c.procs {
		if sp.proc.Exited() {
			continue
		}
		cpu += sp.proc.CPU()
		if r, err := sp.proc.RSS(); err == nil {
			rss += r
		}
	}
	return cpu, rss
}
